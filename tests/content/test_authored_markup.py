"""Authored content is checked as the browser reads it: parsed HTML, entities and case
resolved, each problem named where it was written (``docs/PAGE.md:LINE``,
``protocols/NAME.yaml:LINE``), and text that only looks like markup left alone.

The messages are written out here in full: a change to one is a change to what an editor
reads, and must be made on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.authored import chapter_problems, renderer, text_problems
from build_scripts.markup import markup_problems, url_scheme
from build_scripts.site_config import read_config

CONFIG = read_config()
TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
MINIMAL = (TESTS / "data" / "minimal.yaml").read_text(encoding="utf-8")

SCRIPT = "a <script> element: scripts run only from files under docs/assets/javascripts/, named in mkdocs.yml"
BIND = "bind events from a script file under docs/assets/javascripts/"
JS = "link to a page, or bind a button from a script file"
DATA = "put the file under docs/assets/ and link to it"
STYLE = (
    "authored text may not style itself, so nothing in it can cover the page or its Exit this page button; "
    "use a class from docs/assets/stylesheets/"
)
REFRESH = 'a <meta http-equiv="refresh">: it would send readers to another page; link to the page instead'
REFERRER = "it would undo the site's Referrer-Policy (no-referrer)"

# (id, Markdown put on line 5 of a chapter, the line the problem is named at, the message)
BAD = [
    ("script", "<script>alert(1)</script>", 5, SCRIPT),
    ("script upper case with src", '<SCRIPT SRC="x.js"></SCRIPT>', 5, SCRIPT),
    ("script module", '<script type="module">import "./x.js"</script>', 5, SCRIPT),
    ("script in a comment the browser ends early", "<!-- --!><script>go()</script> -->", 5, SCRIPT),
    ("onerror", '<img src="x.png" onerror="go()">', 5, f"an event handler attribute (onerror=): {BIND}"),
    ("img slash onerror", "<img/onerror=go() src=x>", 5, f"an event handler attribute (onerror=): {BIND}"),
    (
        "upper case handler",
        '<div ONMOUSEOVER="go()">Hover</div>',
        5,
        f"an event handler attribute (onmouseover=): {BIND}",
    ),
    ("unquoted handler", "<img src=x onerror=go()>", 5, f"an event handler attribute (onerror=): {BIND}"),
    ("ontoggle", '<details ontoggle="go()" open>x</details>', 5, f"an event handler attribute (ontoggle=): {BIND}"),
    (
        "attr list upper case",
        'Hover me\n{: ONMOUSEOVER="go()" }',
        6,
        f"an event handler attribute (onmouseover=): {BIND}",
    ),
    ("attr list on heading", '## Heading {: onclick="go()" }', 5, f"an event handler attribute (onclick=): {BIND}"),
    (
        "attr list in md_in_html",
        '<div markdown>\n*x*{: onfocus="go()" tabindex=0 }\n</div>',
        6,
        f"an event handler attribute (onfocus=): {BIND}",
    ),
    (
        "attr list style",
        "Text\n{: style=position:fixed;inset:0;z-index:99999 }",
        6,
        f"an inline style (style=): {STYLE}",
    ),
    ("style attribute", '<p style="color:red">Red</p>', 5, f"an inline style (style=): {STYLE}"),
    ("style on a link", '<a href="x.md" style="position:fixed">x</a>', 5, f"an inline style (style=): {STYLE}"),
    ("style element", "<style>.md-header{display:none}</style>", 5, f"a <style> element: {STYLE}"),
    ("javascript link", '<a href="javascript:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("entity javascript", '<a href="&#106;avascript:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("hex entities", '<a href="&#x6A;&#x61;vascript:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("entity no semicolon", '<a href="&#0000106avascript:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("tab inside scheme", '<a href="java&#x09;script:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("newline inside scheme", '<a href="java&NewLine;script:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("leading space upper case", '<a href=" JAVASCRIPT:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("leading control character", '<a href="&#1;javascript:go()">Go</a>', 5, f"a javascript: URL (href=): {JS}"),
    ("markdown link", "[Go](javascript:go())", 5, f"a javascript: URL (href=): {JS}"),
    ("markdown link mixed case", "[Go](JaVaScRiPt:go())", 5, f"a javascript: URL (href=): {JS}"),
    ("reference link", "[Go][ref]\n\n[ref]: javascript:go()", 7, f"a javascript: URL (href=): {JS}"),
    (
        "svg xlink",
        '<svg><a xlink:href="javascript:go()"><text>x</text></a></svg>',
        5,
        f"a javascript: URL (xlink:href=): {JS}",
    ),
    ("video poster", '<video poster="javascript:go()"></video>', 5, f"a javascript: URL (poster=): {JS}"),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>', 5, f"a vbscript: URL (href=): {JS}"),
    ("data link", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', 5, f"a data: URL (href=): {DATA}"),
    ("data image", "![x](data:image/svg+xml;base64,AAAA)", 5, f"a data: URL (src=): {DATA}"),
    ("data in srcset", '<img srcset="ok.png 1x, data:image/png;base64,AA 2x">', 5, f"a data: URL (srcset=): {DATA}"),
    ("entity refresh", '<meta http-equiv="&#82;efresh" content="2;url=https://example.org/">', 5, REFRESH),
    ("upper case refresh", '<META HTTP-EQUIV="REFRESH" content="0">', 5, REFRESH),
    (
        "set cookie",
        '<meta http-equiv="Set-Cookie" content="a=b">',
        5,
        'a <meta http-equiv="set-cookie">: the site stores nothing on the reader\'s device',
    ),
    ("referrer", '<meta name="referrer" content="unsafe-url">', 5, f'a <meta name="referrer">: {REFERRER}'),
    ("referrer mixed case", '<meta name="ReFeRrEr" content="unsafe-url">', 5, f'a <meta name="referrer">: {REFERRER}'),
    (
        "policy meta",
        '<meta http-equiv="Content-Security-Policy" content="script-src *">',
        5,
        'a <meta http-equiv="content-security-policy">: the build sets the one policy',
    ),
    (
        "other meta",
        '<meta name="viewport" content="width=10">',
        5,
        "a <meta> element: a page's settings come from mkdocs.yml and its front matter, not its text",
    ),
    (
        "base",
        '<base href="https://example.org/">',
        5,
        "a <base> element: it would change where every link on the page leads",
    ),
    (
        "form",
        '<form action="https://example.org/">\n<input name="q">\n</form>',
        5,
        "a <form> element: the site's text sends nothing anywhere; link to the form's own page instead",
    ),
    (
        "formaction",
        '<button formaction="https://example.org/">Send</button>',
        5,
        "a formaction= attribute: the site's text sends nothing anywhere",
    ),
    ("iframe", '<iframe src="https://example.org/"></iframe>', 5, "a frame (<iframe>): link to the page instead"),
    ("frame", '<frame src="x.html">', 5, "a frame (<frame>): link to the page instead"),
    ("object", '<object data="x.swf"></object>', 5, "an <object> element: link to the file instead"),
    ("embed", '<embed src="x.swf">', 5, "an <embed> element: link to the file instead"),
    (
        "ping",
        '<a href="https://example.org/" ping="https://tracker.example/">x</a>',
        5,
        "a ping= attribute: it reports the reader's clicks to another address",
    ),
    (
        "referrerpolicy",
        '<a href="x.md" referrerpolicy="unsafe-url">x</a>',
        5,
        f"a referrerpolicy= attribute: {REFERRER}",
    ),
    (
        "link element",
        '<link rel="stylesheet" href="https://example.org/x.css">',
        5,
        "a <link> element: the site's stylesheets and scripts are named in mkdocs.yml",
    ),
]

GOOD = [
    ("looks like a handler", "x onload=y"),
    ("handler named in text", "The onload= attribute runs scripts; so does javascript:go()."),
    ("escaped markup", "&lt;script&gt;alert(1)&lt;/script&gt; &lt;meta http-equiv=refresh&gt;"),
    ("inline code", "`<script>alert(1)</script>` and `{: style=x }`"),
    ("fenced code", '```html\n<iframe src="x"></iframe>\n<a href="javascript:go()">x</a>\n```'),
    ("title that mentions a scheme", '<abbr title="javascript: a language">JS</abbr>'),
    ("relative links", "[privacy](../about/privacy.md) [top](#top) [data](data-protection.md)"),
    ("other schemes", "[mail](mailto:x@example.org) [phone](tel:0123456789) [web](https://example.org/)"),
    ("id and class", "Heading {: #anchor .note }"),
    ("details", "<details><summary>More</summary>\nText.\n</details>"),
    ("noscript exit link", '<noscript><p><a href="https://www.bbc.co.uk/weather">Exit</a></p></noscript>'),
    ("data attribute", '<span data-note="javascript:">x</span>'),
    ("image", '<img src="../assets/logo.png" alt="Logo">'),
    ("abbreviation", "CSE\n\n*[CSE]: Child Sexual Exploitation"),
]


def _chapter(tmp_path: Path, markdown: str) -> list[str]:
    docs, includes = tmp_path / "docs", tmp_path / "includes"
    docs.mkdir()
    includes.mkdir()
    (docs / "page.md").write_text(f"# Title\n\nSome text.\n\n{markdown}\n", encoding="utf-8")
    return [str(p) for p in chapter_problems(docs, CONFIG, includes)]


@pytest.mark.parametrize(("markdown", "line", "message"), [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_chapter_markup_is_refused_at_its_line(tmp_path: Path, markdown: str, line: int, message: str) -> None:
    assert _chapter(tmp_path, markdown) == [f"docs/page.md:{line}: {message}"]


@pytest.mark.parametrize("markdown", [row[1] for row in GOOD], ids=[row[0] for row in GOOD])
def test_text_that_only_looks_like_markup_passes(tmp_path: Path, markdown: str) -> None:
    assert _chapter(tmp_path, markdown) == []


def test_the_table_holds_at_least_40_bad_inputs() -> None:
    assert len(BAD) >= 40 and len({row[0] for row in BAD}) == len(BAD)


def test_every_problem_in_a_page_is_named_at_its_own_line(tmp_path: Path) -> None:
    markdown = "<script>a()</script>\n\nText.\n\n<script>b()</script>\n\n[x](javascript:c())"
    assert _chapter(tmp_path, markdown) == [
        f"docs/page.md:5: {SCRIPT}",
        f"docs/page.md:9: {SCRIPT}",
        f"docs/page.md:11: a javascript: URL (href=): {JS}",
    ]


def test_front_matter_keeps_line_numbers(tmp_path: Path) -> None:
    docs, includes = tmp_path / "docs", tmp_path / "includes"
    docs.mkdir()
    includes.mkdir()
    (docs / "page.md").write_text("---\ntitle: A page\n---\n# A page\n\n<script>x()</script>\n")
    assert [str(p) for p in chapter_problems(docs, CONFIG, includes)] == [f"docs/page.md:6: {SCRIPT}"]


def test_shared_text_is_named_in_its_own_file_not_the_page_that_draws_it_in(tmp_path: Path) -> None:
    docs, includes = tmp_path / "docs", tmp_path / "includes"
    docs.mkdir()
    includes.mkdir()
    (includes / "contacts.md").write_text("Call us.\n\n<a href='javascript:go()'>x</a>\n")
    (docs / "page.md").write_text('# Page\n\n--8<-- "contacts.md"\n')
    # The page's snippet reads the repository's includes/ (mkdocs.yml's base_path), so point it here.
    config = {**CONFIG, "markdown_extensions": _snippets_from(includes)}
    assert [str(p) for p in chapter_problems(docs, config, includes)] == [
        f"{includes.as_posix()}/contacts.md:3: a javascript: URL (href=): {JS}"
    ]


def _snippets_from(includes: Path) -> list[object]:
    return [
        {"pymdownx.snippets": {"base_path": [str(includes)], "check_paths": True}}
        if isinstance(e, dict) and "pymdownx.snippets" in e
        else e
        for e in CONFIG["markdown_extensions"]
    ]


def test_a_missing_snippet_is_one_line_naming_the_page(tmp_path: Path) -> None:
    docs, includes = tmp_path / "docs", tmp_path / "includes"
    docs.mkdir()
    includes.mkdir()
    (docs / "page.md").write_text('# Page\n\nText.\n\n--8<-- "nowhere.md"\n')
    config = {**CONFIG, "markdown_extensions": _snippets_from(includes)}
    assert [str(p) for p in chapter_problems(docs, config, includes)] == [
        "docs/page.md:5: the snippet 'nowhere.md' is not in includes/: add the file, or correct the name"
    ]


def test_a_chapter_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    docs, includes = tmp_path / "docs", tmp_path / "includes"
    docs.mkdir()
    includes.mkdir()
    (docs / "page.md").write_bytes(b"# Page\n\nCaf\xe9\n")
    assert [str(p) for p in chapter_problems(docs, CONFIG, includes)] == [
        "docs/page.md:3: not UTF-8 text: byte 0xE9 cannot be read (save the file as UTF-8)"
    ]


# Protocol text: (id, text in minimal.yaml, replacement, line, message); the page escapes the
# text, so only Markdown that still acts once escaped is refused.
PROTOCOL_BAD = [
    (
        "style under a level description",
        "description: Something seen.",
        'description: "Something seen.\\n{: style=position:fixed;inset:0;z-index:99999 }"',
        f"an inline style (style=): {STYLE}",
    ),
    (
        "handler on an item",
        "text: Sign A",
        'text: "Sign A {: ONMOUSEOVER=go() }"',
        f"an event handler attribute (onmouseover=): {BIND}",
    ),
    (
        "javascript link in a next step",
        "next_steps: [Refer today.]",
        'next_steps: ["[Refer](javascript:go())"]',
        f"a javascript: URL (href=): {JS}",
    ),
    (
        "data link in a rule",
        "says: Seen now.",
        'says: "Seen now, see [this](DATA:text/html,x)."',
        f"a data: URL (href=): {DATA}",
    ),
]
PROTOCOL_GOOD = [
    ("title like a handler", "title: Minimal protocol", "title: x onload=y"),
    ("markup as text", "text: Sign A", 'text: "<script>alert(1)</script> <img src=x onerror=go()>"'),
    ("braces in text", "text: Sign A", 'text: "Sign A {not an attribute list}"'),
    ("a link", "text: Sign A", 'text: "Sign A, see [the guide](../responding/referral.md)"'),
]


@pytest.mark.parametrize(
    ("old", "new", "message"), [row[1:] for row in PROTOCOL_BAD], ids=[row[0] for row in PROTOCOL_BAD]
)
def test_protocol_text_is_refused_at_its_yaml_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    line = text.count("\n", 0, text.index(new)) + 1
    path = tmp_path / "protocols" / "minimal.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    problems = text_problems(renderer(CONFIG, snippets=False), [path])
    assert [(p.line, p.message) for p in problems] == [(line, message)]
    assert problems[0].file.endswith("protocols/minimal.yaml")


@pytest.mark.parametrize(("old", "new"), [row[1:] for row in PROTOCOL_GOOD], ids=[row[0] for row in PROTOCOL_GOOD])
def test_protocol_text_that_only_looks_like_markup_passes(tmp_path: Path, old: str, new: str) -> None:
    assert old in MINIMAL
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    assert text_problems(renderer(CONFIG, snippets=False), [path]) == []


def test_case_study_text_is_checked_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "case-studies" / "jade.yaml"
    path.parent.mkdir()
    path.write_text('id: jade\ntitle: Jade\nstory: "Jade, 14. {: style=position:fixed }"\n', encoding="utf-8")
    problems = text_problems(renderer(CONFIG, snippets=False), [path])
    assert [(p.line, p.message) for p in problems] == [(3, f"an inline style (style=): {STYLE}")]


def test_the_screening_form_is_allowed_only_where_the_build_writes_it() -> None:
    form = '<form class="screening-form"><input type="radio" name="a"></form>'
    assert markup_problems(form, frozenset({"form"})) == []
    assert [m for _, m in markup_problems(form)] == [
        "a <form> element: the site's text sends nothing anywhere; link to the form's own page instead"
    ]


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:x", "javascript"),
        ("\x00 \tjava\nscript:x", "javascript"),
        ("JAVASCRIPT:x", "javascript"),
        ("  data:text/html,x", "data"),
        ("../page/", ""),
        ("#javascript:x", ""),
        ("https://example.org/", "https"),
    ],
)
def test_url_schemes_are_read_as_a_browser_reads_them(url: str, scheme: str) -> None:
    assert url_scheme(url) == scheme
