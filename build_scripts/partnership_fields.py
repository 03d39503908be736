"""The partnership's settings, field by field: what each may hold, and their JSON Schema.

:mod:`.partnership` reads and checks ``partnership.yml`` against these; editors check it as
they type against ``schemas/partnership.schema.json``, which :func:`settings_schema` writes.
"""

from __future__ import annotations

import re
from typing import Any

# Every contact detail a page can show: group -> field -> (kind, the placeholder shown
# while it is empty). A kind is "text", "phone" or "email".
CONTACT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "police": {
        "force": ("text", "Your partnership adds the police force's name here"),
        "non_emergency": ("phone", "Your partnership adds its number here"),
        "intelligence": ("text", "Your partnership adds how to submit one here"),
    },
    "front_door": {
        "name": ("text", "Your partnership adds the name of its front door (for example its MASH) here"),
        "telephone": ("phone", "Your partnership adds its number here"),
        "out_of_hours": ("phone", "Your partnership adds its out-of-hours number here"),
    },
    "exploitation_team": {
        "name": ("text", "Your partnership adds the name of its CSE or exploitation team here"),
        "telephone": ("phone", "Your partnership adds its number here"),
        "email": ("email", "Your partnership adds its address here"),
    },
    "agency_lead": {
        "role": ("text", "Your agency adds its lead's name or role here"),
        "how_to_reach": ("text", "Your agency adds the number or address here"),
    },
    "mash": {
        "telephone": ("phone", "Your partnership adds its number here"),
        "email": ("email", "Your partnership adds its address here"),
    },
    "engage": {
        "telephone": ("phone", "Your partnership adds its number here"),
        "email": ("email", "Your partnership adds its address here"),
    },
    "sandwell_cse_team": {
        "telephone": ("phone", "Your partnership adds its number here"),
        "email": ("email", "Your partnership adds its address here"),
    },
    "rise": {
        "telephone": ("phone", "Your partnership adds its number here"),
        "email": ("email", "Your partnership adds its address here"),
    },
    "site_owner": {
        "name": ("text", "Your partnership adds its name here"),
        "data_protection": ("text", "Your partnership adds how to reach its data protection officer here"),
    },
    "accessibility": {
        "email": ("email", "Your partnership adds its address here"),
        "telephone": ("phone", "Your partnership adds its number here"),
        "reply_within": ("text", "Your partnership adds how many working days here"),
    },
}

KEYS = (
    "name",
    "short_name",
    "site_url",
    "exit_to",
    "exit_to_name",
    "screening_tools",
    "local_chapters",
    "logo",
    "colour",
    "review_cycle_months",
    "contacts",
)
PHONE = re.compile(r"^\+?[0-9][0-9 ]{2,}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = (".png", ".svg", ".jpg", ".jpeg", ".webp")
# The text the colour carries (the header's white text) and the contrast WCAG 2.2 AA asks of it.
SITE_TEXT_ON_COLOUR = "#ffffff"
MIN_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of the settings (schemas/partnership.schema.json), for editors.

    The build's own checks (above) say more: known protocol and chapter ids, the logo file,
    the colour's contrast, an exit destination off the site."""
    nullable_text: dict[str, Any] = {"type": ["string", "null"], "minLength": 1}
    kinds = {
        "text": nullable_text,
        "phone": {"type": ["string", "null"], "pattern": PHONE.pattern},
        "email": {"type": ["string", "null"], "pattern": EMAIL.pattern},
    }
    contacts = {
        group: {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {
                name: {**kinds[kind], "description": placeholder} for name, (kind, placeholder) in fields.items()
            },
        }
        for group, fields in CONTACT_FIELDS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "partnership.schema.json",
        "title": "A partnership's settings for the CSE procedures site (partnership.yml)",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "exit_to", "screening_tools"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "The site's name"},
            "short_name": {**nullable_text, "description": "The name where space is short (header, browser tab)"},
            "site_url": {"type": ["string", "null"], "pattern": "^https?://", "description": "The site's address"},
            "exit_to": {"type": "string", "pattern": "^https://", "description": "Where Exit this page goes"},
            "exit_to_name": {**nullable_text, "description": "Its name, as the privacy page says it"},
            "screening_tools": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string"},
                "description": "Protocol ids (file names in protocols/) to publish",
            },
            "local_chapters": {
                "type": ["array", "null"],
                "uniqueItems": True,
                "items": {"type": "string"},
                "description": "Chapters of docs/local/ to show, by file name without .md",
            },
            "logo": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "required": ["file", "alt"],
                "properties": {
                    "file": {"type": "string", "minLength": 1, "description": "A file under docs/"},
                    "alt": {"type": "string", "minLength": 1, "description": "The logo's text alternative"},
                },
            },
            "colour": {"type": ["string", "null"], "pattern": COLOUR.pattern, "description": "#RRGGBB"},
            "review_cycle_months": {"type": "integer", "minimum": 1, "maximum": 60},
            "contacts": {"type": ["object", "null"], "additionalProperties": False, "properties": contacts},
        },
    }
