"""The partnership's settings (partnership.yml): the schema, every bad setting named at its
line, the review dates, taking out what a partnership does not publish, and what stops a
publication build. No site is built here except where a build must stop before its generator."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from build_scripts import build
from build_scripts.customise import customise_config, mark_pages, trim_nav, trim_text
from build_scripts.partnership import (
    CONTACT_FIELDS,
    SETTINGS,
    SettingsError,
    contrast,
    read_partnership,
)
from build_scripts.partnership_fields import settings_schema
from build_scripts.reviews import add_months, chapter_reviews, overdue

ROOT = Path(__file__).resolve().parents[2]
NORTHSHIRE = ROOT / "tests" / "data" / "settings" / "partnership-northshire.yml"
TRIM_STUB = "stdlib: (not trimmed in this test)"
SCHEMA = ROOT / "schemas" / "partnership.schema.json"


def test_the_schema_file_is_the_one_the_build_describes_and_names_on_the_first_line() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == settings_schema(), (
        "run: .venv/bin/python -c 'import json; from build_scripts.partnership_fields import settings_schema; "
        "print(json.dumps(settings_schema(), indent=2))' > schemas/partnership.schema.json"
    )
    for settings in (SETTINGS, NORTHSHIRE):
        assert settings.read_text(encoding="utf-8").splitlines()[0] == (
            "# yaml-language-server: $schema=schemas/partnership.schema.json"
        )
        jsonschema.validate(yaml.safe_load(settings.read_text(encoding="utf-8")), settings_schema())


def test_the_bundled_settings_build_the_example_with_every_contact_a_placeholder() -> None:
    settings = read_partnership()
    assert settings.screening_tools == ("pan-lancashire", "sandwell-nwg", "all-wales-seraf", "dfe-step-by-step")
    assert all(value is None for fields in settings.contacts.values() for value in fields.values())
    shown = settings.contact_markup()
    assert shown["police"]["non_emergency"] == (
        '<span class="contact-placeholder">Your partnership adds its number here</span>'
    )
    lines = settings.placeholders()
    assert len(lines) == sum(len(f) for f in CONTACT_FIELDS.values()) + 1  # every detail, and the address
    assert lines[0].startswith("partnership.yml:") and "contacts.police.force is empty" in lines[0]


def test_given_details_are_shown_and_leave_no_placeholder() -> None:
    settings = read_partnership(NORTHSHIRE)
    assert settings.placeholders() == []
    shown = settings.contact_markup()
    assert shown["police"]["non_emergency"] == '<a class="contact-detail" href="tel:+441134960101">0113 496 0101</a>'
    assert 'href="mailto:web@northshire.example"' in shown["accessibility"]["email"]
    assert "contact-placeholder" not in "".join(v for fields in shown.values() for v in fields.values())


BAD = [
    ("screening_tools:\n  - sandwell-nwg\n", "screening_tools:\n  - sandwell-nwgg\n", "  - sandwell-nwgg", (
        "'sandwell-nwgg' is not one of protocols/")),
    ("exit_to: https://weather.example.org/today", "exit_to: https://safeguarding.northshire.example/cse/away",
     "exit_to:", "is on this site"),
    ("exit_to: https://weather.example.org/today", "exit_to: http://weather.example.org/today", "exit_to:",
     "'exit_to' must be an https address"),
    ('non_emergency: "0113 496 0101"', 'non_emergency: "0113 496 O1O1"', "non_emergency:", "has letters in it"),
    ("name: Northshire Safeguarding Children Partnership\nshort", "short", None, "'name' is missing"),
    ('colour: "#00594f"', 'colour: "#7fa8ff"', "colour:", "WCAG 2.2 AA needs 4.5:1"),
    ("review_cycle_months: 24", "review_cycle_months: 24\nlogo:\n  file: assets/javascripts/dom.js\n", "logo:",
     "no text alternative"),
    ("review_cycle_months: 24", "review_cycle_months: 24\nlogo:\n  file: assets/images/gone.svg\n  alt: Northshire\n",
     "  file:", "is not a file under docs/"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line_start", "message"), BAD, ids=[b[3][:30] for b in BAD])
def test_a_bad_setting_is_named_at_its_line(
    tmp_path: Path, old: str, new: str, line_start: str | None, message: str
) -> None:
    text = NORTHSHIRE.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new)
    settings = tmp_path / "partnership.yml"
    settings.write_text(changed, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        read_partnership(settings, "partnership.yml")
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    lines = changed.splitlines()
    first_key = next(n for n, line in enumerate(lines, 1) if line and not line.startswith("#"))
    expected = (
        first_key
        if line_start is None
        else next(n for n, line in enumerate(lines, 1) if line.strip().startswith(line_start.strip()))
    )
    assert problems[0].startswith(f"partnership.yml:{expected}: "), problems
    assert message in problems[0]


def test_the_contrast_is_wcags() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#1d4f91", "#ffffff") >= 4.5 > contrast("#7fa8ff", "#ffffff")


def test_a_build_with_bad_settings_stops_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "partnership.yml"
    settings.write_text(NORTHSHIRE.read_text(encoding="utf-8").replace("- all-wales-seraf", "- all-wales"))
    assert build.main(["--out", str(tmp_path / "out"), "--settings", str(settings)]) == 1
    err = capsys.readouterr().err
    line = settings.read_text().splitlines().index("  - all-wales") + 1
    assert f"{settings}:{line}: 'all-wales' is not one of protocols/" in err or (
        f"partnership.yml:{line}: 'all-wales' is not one of protocols/" in err
    )
    assert "build failed: 1 problem(s) in the settings" in err
    assert not (tmp_path / "out").exists()


# Reviews ------------------------------------------------------------------------------------


def _chapter(docs: Path, relative: str, front: str, body: str = "") -> None:
    path = docs / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.parent.name if path.stem == "index" else path.stem
    path.write_text(f'---\ntitle: T\n{front}---\n\n# T\n\n--8<-- "reviews.md:{name}"\n{body}', encoding="utf-8")


def test_review_dates_come_from_front_matter_or_the_cycle_and_overdue_ones_are_listed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _chapter(docs, "understanding/a.md", "reviewed: 2025-01-31\n")
    _chapter(docs, "responding/b.md", "reviewed: 2026-06-01\nreview_due: 2026-09-01\n")
    _chapter(docs, "trainers/index.md", "reviewed: 2026-11-24\n")
    reviews, problems = chapter_reviews(docs, 12)
    assert problems == []
    due = {r.page: r.due for r in reviews}
    assert due == {
        "understanding/a.md": datetime.date(2026, 1, 31),
        "responding/b.md": datetime.date(2026, 9, 1),
        "trainers/index.md": datetime.date(2027, 11, 24),
    }
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert overdue(reviews, datetime.date(2026, 12, 7)) == [
        "docs/responding/b.md: review overdue: it was due on 1 September 2026 (last reviewed 1 June 2026)",
        "docs/understanding/a.md: review overdue: it was due on 31 January 2026 (last reviewed 31 January 2025)",
    ]
    assert overdue(reviews, datetime.date(2026, 1, 30)) == []


def test_a_chapter_without_its_review_dates_is_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _chapter(docs, "about/x.md", "description: no date\n")
    _chapter(docs, "about/y.md", "reviewed: 2026-01-01\nreview_due: soon\n")
    (docs / "about" / "z.md").write_text("---\ntitle: Z\nreviewed: 2026-01-01\n---\n\n# Z\n", encoding="utf-8")
    _, problems = chapter_reviews(docs, 12)
    assert [str(p) for p in problems] == [
        "docs/about/x.md:1: give 'reviewed: YYYY-MM-DD' in the front matter",
        "docs/about/y.md:4: 'review_due' must be a date (YYYY-MM-DD) after 'reviewed'",
        'docs/about/z.md:1: the chapter does not show its review dates: add the line --8<-- "reviews.md:z"',
    ]


def test_two_chapters_of_one_name_need_the_same_dates(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _chapter(docs, "local/team.md", "reviewed: 2026-01-01\n")
    _chapter(docs, "about/team.md", "reviewed: 2026-01-01\n")
    reviews, problems = chapter_reviews(docs, 12)
    assert problems == [] and [r.page for r in reviews] == ["about/team.md"]
    _chapter(docs, "local/team.md", "reviewed: 2026-02-01\n")
    _, problems = chapter_reviews(docs, 12)
    assert [str(p) for p in problems] == [
        "docs/local/team.md:1: another chapter, docs/about/team.md, has the same file name and other review dates; "
        "rename one"
    ]


def test_every_bundled_chapter_has_its_review_dates() -> None:
    reviews, problems = chapter_reviews(ROOT / "docs", 12)
    assert problems == []
    assert len(reviews) >= 24


# Taking out what is not published -------------------------------------------------------------


def test_links_to_pages_not_published_become_text_and_lines_of_only_such_links_go() -> None:
    dropped = {"screening/pan-lancashire.md", "local/ncc.md"}
    text = "\n".join(
        [
            "Use the [Pan Lancashire screening](../screening/pan-lancashire.md) or [indicators](indicators.md).",
            "- [NCC](../local/ncc.md#x).",
            "| Row | [NCC](../local/ncc.md) |",
            "- [Wales](../local/wales.md), [NCC](../local/ncc.md).",
            '--8<-- "screening-choice.md:pan-lancashire"',
            '--8<-- "screening-choice.md:sandwell-nwg"',
        ]
    )
    assert trim_text(text, "understanding/page.md", dropped, {"pan-lancashire"}).split("\n") == [
        "Use the Pan Lancashire screening or [indicators](indicators.md).",
        "- [Wales](../local/wales.md), NCC.",
        '--8<-- "screening-choice.md:sandwell-nwg"',
    ]
    nav = [
        {"Screening": ["screening/index.md", {"Pan": "screening/pan-lancashire.md"}]},
        {"Local": [{"N": "local/ncc.md"}]},
    ]
    assert trim_nav(nav, dropped) == [{"Screening": ["screening/index.md"]}]


# Publication --------------------------------------------------------------------------------


def test_the_configuration_and_pages_take_the_name_logo_colour_and_exit_destination(tmp_path: Path) -> None:
    settings = tmp_path / "partnership.yml"
    settings.write_text(
        NORTHSHIRE.read_text(encoding="utf-8")
        + "logo:\n  file: assets/images/logo.svg\n  alt: Northshire Safeguarding Children Partnership\n",
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    (docs / "assets" / "images").mkdir(parents=True)
    (docs / "assets" / "images" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (docs / "local").mkdir()
    for name in ("sandwell", "wales", "ncc"):
        (docs / "local" / f"{name}.md").write_text("# x\n")
    partnership = read_partnership(settings, "partnership.yml", docs=docs)
    assert partnership.logo is not None and partnership.logo.file == "assets/images/logo.svg"
    config = {"site_name": "Old", "theme": {"name": "material"}, "extra_css": ["a.css"], "nav": ["local/ncc.md"]}
    custom = customise_config(config, partnership, {"local/ncc.md"}, docs)
    assert custom["site_name"] == "Northshire CSE procedures"
    assert custom["theme"]["logo"] == "assets/images/logo.svg"
    assert custom["extra_css"] == ["a.css", "assets/stylesheets/partnership.css"]
    assert custom["nav"] == []
    assert "#00594f" in (docs / "assets/stylesheets/partnership.css").read_text()
    site = tmp_path / "site"
    site.mkdir()
    # As Material writes the logo, and as Zensical does.
    logo = '<a><img src="assets/images/logo.svg" alt="logo"></a><a><img src="../assets/images/logo.svg" alt="Old"></a>'
    (site / "index.html").write_text(f'<html><body dir="ltr">{logo}</body>')
    mark_pages(site, partnership)
    page = (site / "index.html").read_text()
    assert '<body data-exit-to="https://weather.example.org/today" dir="ltr">' in page
    assert page.count('alt="Northshire Safeguarding Children Partnership"') == 2


def test_a_publication_build_needs_an_https_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "add_snapshot", lambda engine: object())  # the snapshot is not what is tested
    monkeypatch.setattr(build, "trim_stdlib", lambda docs: TRIM_STUB)  # nor the standard library's trim
    argv = ["--out", str(tmp_path / "out"), "--for-publication", "--settings", str(NORTHSHIRE)]
    code = build.main([*argv, "--site-url", "http://safeguarding.northshire.example/"])
    printed = capsys.readouterr()
    assert code == 1
    line = (
        NORTHSHIRE.read_text(encoding="utf-8")
        .splitlines()
        .index("site_url: https://safeguarding.northshire.example/cse/")
    )
    assert printed.out.splitlines() == [
        TRIM_STUB,
        f"tests/data/settings/partnership-northshire.yml:{line + 1}: the site's address must be https for publication, "
        "not 'http://safeguarding.northshire.example/'",
    ]
