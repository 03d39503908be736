"""The YAML front matter of a generated page, written so no title or summary can break it.

Text is put on one line and HTML-escaped, as the page templates escape everything else,
and then written by the YAML emitter, which quotes and escapes whatever needs it (a
backslash, a quote, a line of three dashes), so the site generator reads back exactly
the values given.
"""

from __future__ import annotations

from typing import Any

import yaml
from markupsafe import Markup, escape


def one_line(text: str) -> str:
    return " ".join(text.split())


def front_matter(**fields: Any) -> Markup:
    """``---``, the fields as YAML, ``---``: ready to start a page template."""
    values = {key: str(escape(one_line(value))) if isinstance(value, str) else value for key, value in fields.items()}
    body = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000)
    return Markup(f"---\n{body}---\n")
