"""Write one screening page per protocol into docs/screening/, from a template file.

The page is a complete HTML form before any script runs: it can be read, ticked and
printed without JavaScript, and it states the protocol's rules in plain words.

Step 3 of the build. Reads the compiled protocols, templates/screening_page.md.j2 and the
menu of mkdocs.yml; writes docs/screening/ID.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from screening.model import Protocol

from .engine_assets import EngineAssets
from .errors import BuildError
from .front_matter import front_matter
from .paths import SCREENING_PAGES, TEMPLATES
from .site_config import nav_pages, read_config


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # Markdown uses "{#id}" for heading anchors, so Jinja comments take another form.
        comment_start_string="<#--",
        comment_end_string="--#>",
    )


# Next steps that name someone to contact: the page shows the partnership's contacts beside the result.
NAMES_CONTACT = re.compile(
    r"\b(police|social care|children's services|social services|lead person|lead professional|team|mash|refer)",
    re.I,
)
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def names_contact(protocol: Protocol) -> bool:
    """Whether any level's next steps name someone to contact."""
    return any(NAMES_CONTACT.search(step) for level in protocol.levels for step in level.next_steps)


def render_page(protocol: Protocol, protocol_url: str, tool_count: int = 1) -> str:
    groups = [
        {
            "id": g.id,
            "label": g.label,
            "description": g.description,
            "source": g.source,
            "entries": protocol.items_in(g.id),
        }
        for g in protocol.groups
    ]
    template = environment().get_template("screening_page.md.j2")
    page = front_matter(title=protocol.title, description=protocol.summary, hide=["toc"])
    return template.render(
        p=protocol,
        groups=groups,
        levels=protocol.levels,
        protocol_url=protocol_url,
        front_matter=page,
        tool_count=tool_count,
        tool_count_words=NUMBER_WORDS[tool_count] if tool_count < len(NUMBER_WORDS) else str(tool_count),
        names_contact=names_contact(protocol),
    )


def page_path(protocol: Protocol, folder: Path = SCREENING_PAGES) -> Path:
    return folder / f"{protocol.id}.md"


def write_pages(protocols: list[Protocol], assets: EngineAssets, folder: Path = SCREENING_PAGES) -> list[Path]:
    """Write every page, drop pages of protocols that are gone, and check each is in the nav."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {page_path(p, folder) for p in protocols}
    for old in folder.glob("*.md"):
        if old.name != "index.md" and old not in wanted:
            old.unlink()
    listed = set(nav_pages(read_config().get("nav", [])))
    written = []
    for protocol in protocols:
        target = page_path(protocol, folder)
        relative = target.relative_to(folder.parent).as_posix()
        if relative not in listed:
            raise BuildError(f"protocol '{protocol.id}' has no entry in mkdocs.yml nav: add '{relative}'")
        # The page is one folder below the site root (directory URLs), hence '../../'.
        url = "../../" + assets.protocols[protocol.id]
        target.write_text(render_page(protocol, url, len(protocols)), encoding="utf-8")
        written.append(target)
    return written
