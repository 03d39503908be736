"""What authored content may not hold, judged on parsed HTML as a browser reads it.

The checks run on markup, not on raw text: Python's HTML parser resolves character
references (``&#82;efresh`` is ``Refresh``) and case (``ONMOUSEOVER`` is ``onmouseover``),
and each URL is read as a browser's URL parser reads it (tabs and line breaks removed,
leading spaces and control characters dropped, the scheme in any case). Text that only
looks like markup (``x onload=y`` in a paragraph) is text, and is not refused.

Refused in authored content (chapters, shared text, protocol and case-study text):

- scripts, event handler attributes, and ``javascript:``, ``vbscript:`` or ``data:`` URLs;
- ``meta`` elements (refresh, cookies, referrer, policy: a page's settings come from the
  build), ``base``, ``link``, ``form`` and ``formaction``, frames, ``object``, ``embed``,
  ``ping`` and ``referrerpolicy``;
- inline styles altogether (``style=`` and ``<style>``): simpler and safer than telling a
  harmless style from one that positions text over the page and its Exit this page button.

Markup inside an HTML comment is checked as if it were not in one: browsers and Python's
parser do not always agree where a comment ends.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

Found = tuple[int, str]  # (line in the HTML, message)

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "cite",
        "codebase",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "usemap",
        "manifest",
        "icon",
        "archive",
        "classid",
        "profile",
        "srcset",
        "imagesrcset",
        "to",
        "from",
        "values",
    }
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_URL_CONTROLS = "".join(chr(c) for c in range(0x21))  # C0 controls and space, stripped at the ends

SCRIPT_FILES = "scripts run only from files under docs/assets/javascripts/, named in mkdocs.yml"
STYLE_REASON = (
    "authored text may not style itself, so nothing in it can cover the page or its Exit this page "
    "button; use a class from docs/assets/stylesheets/"
)
NO_REFERRER = "it would undo the site's Referrer-Policy (no-referrer)"

ELEMENTS = {
    "script": f"a <script> element: {SCRIPT_FILES}",
    "style": f"a <style> element: {STYLE_REASON}",
    "base": "a <base> element: it would change where every link on the page leads",
    "link": "a <link> element: the site's stylesheets and scripts are named in mkdocs.yml",
    "form": "a <form> element: the site's text sends nothing anywhere; link to the form's own page instead",
    "iframe": "a frame (<iframe>): link to the page instead",
    "frame": "a frame (<frame>): link to the page instead",
    "frameset": "a frame (<frameset>): link to the page instead",
    "object": "an <object> element: link to the file instead",
    "embed": "an <embed> element: link to the file instead",
    "applet": "an <applet> element: link to the file instead",
    "portal": "a <portal> element: link to the page instead",
}
META = {
    "refresh": 'a <meta http-equiv="refresh">: it would send readers to another page; link to the page instead',
    "set-cookie": 'a <meta http-equiv="set-cookie">: the site stores nothing on the reader\'s device',
    "content-security-policy": 'a <meta http-equiv="content-security-policy">: the build sets the one policy',
    "referrer": f'a <meta name="referrer">: {NO_REFERRER}',
}
OTHER_META = "a <meta> element: a page's settings come from mkdocs.yml and its front matter, not its text"


def url_scheme(value: str) -> str:
    """The scheme a browser would find in an attribute's (already entity-decoded) URL, lower-cased."""
    cleaned = re.sub("[\t\n\r]", "", value).strip(_URL_CONTROLS).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else ""


def _urls(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    if name == "values":
        return value.split(";")
    return [value]


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """What is wrong with one attribute, or None."""
    if name.startswith("on"):
        return f"an event handler attribute ({name}=): bind events from a script file under docs/assets/javascripts/"
    if name == "style":
        return f"an inline style (style=): {STYLE_REASON}"
    if name == "ping":
        return "a ping= attribute: it reports the reader's clicks to another address"
    if name == "referrerpolicy":
        return f"a referrerpolicy= attribute: {NO_REFERRER}"
    if name == "formaction":
        return "a formaction= attribute: the site's text sends nothing anywhere"
    if name == "srcdoc":
        return "a srcdoc= attribute: it holds a whole page; link to the page instead"
    if name in URL_ATTRIBUTES:
        for url in _urls(name, value):
            scheme = url_scheme(url)
            if scheme in ("javascript", "vbscript"):
                return f"a {scheme}: URL ({name}=): link to a page, or bind a button from a script file"
            if scheme == "data":
                return f"a data: URL ({name}=): put the file under docs/assets/ and link to it"
    return None


class _Checker(HTMLParser):
    def __init__(self, allow: frozenset[str], line_offset: int = 0) -> None:
        super().__init__(convert_charrefs=True)
        self.allow = allow
        self.line_offset = line_offset
        self.found: list[Found] = []

    def _add(self, message: str) -> None:
        self.found.append((self.getpos()[0] + self.line_offset, message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ELEMENTS and tag not in self.allow:
            self._add(ELEMENTS[tag])
        if tag == "meta":
            values = {name: (value or "").strip().lower() for name, value in attrs}
            equiv, name = values.get("http-equiv", ""), values.get("name", "")
            self._add(META.get(equiv) or META.get(name if name == "referrer" else "", OTHER_META))
        seen = set()
        for name, value in attrs:
            problem = attribute_problem(tag, name, value or "")
            if problem is not None and problem not in seen:
                seen.add(problem)
                self._add(problem)

    def handle_comment(self, data: str) -> None:
        if "<" in data:
            inner = _Checker(self.allow, self.getpos()[0] - 1 + self.line_offset)
            inner.feed(data)
            inner.close()
            self.found.extend(inner.found)


def markup_problems(html: str, allow: frozenset[str] = frozenset()) -> list[Found]:
    """Every problem in ``html``, with the line of the HTML it is on; ``allow`` names elements
    the caller's own markup may use (the screening page's form)."""
    checker = _Checker(allow)
    checker.feed(html)
    checker.close()
    return checker.found
