"""Every case of protocols/cases/ through the page's three views of a result: the result panel,
the printed record and the downloaded summary each show the engine's report as it is, the
same section ids, headings, lines and items in the same order (the command line is checked
in tests/engine/test_cli.py). The report is the engine's, worked out here in CPython.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from screening.json_api import assess_json
from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic
from tests.helpers.repository import case_tables
from tests.helpers.site import one_generator

pytestmark = [pytest.mark.browser, pytest.mark.site]

TABLES = case_tables()

# Ticks a case's answers on a cleared form, as the training-case link does, and asks again.
ENTER = """(answers) => {
  const form = document.querySelector("#screening-form");
  form.reset();
  for (const [item, value] of Object.entries(answers)) {
    const id = value === true ? `item-${item}` : typeof value === "string" ? `item-${item}-${value}` : null;
    if (id) document.getElementById(id).checked = true;
  }
  form.dispatchEvent(new Event("input", { bubbles: true }));
}"""

# A list of sections read back from the page: [id, heading, [[text, [items]]]].
READ = """(where) => {
  const own = (el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join("");
  return [...document.querySelectorAll(where)].map((section) => [
    section.dataset.section,
    section.querySelector("h2, h3").textContent,
    [...section.querySelectorAll(":scope > ul > li")].map((li) => [
      own(li),
      [...li.querySelectorAll(":scope > ul > li")].map((item) => item.textContent),
    ]),
  ]);
}"""

# The downloaded summary's text, kept in the page instead of saved.
CAPTURE = """(() => {
  window.__downloaded = [];
  const make = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    blob.text().then((text) => window.__downloaded.push(text));
    return make.call(URL, blob);
  };
  HTMLAnchorElement.prototype.click = function () {};
})()"""


def _sections(report: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [section["id"], section["heading"], [[line["text"], line["items"]] for line in section["lines"]]]
        for section in report
    ]


def _from_text(text: str) -> list[list[Any]]:
    """The sections of a downloaded summary (headings underlined with '-', lines '- ', items '  - ')."""
    lines = text.lstrip("\ufeff").split("\r\n")
    found: list[list[Any]] = []
    for index, line in enumerate(lines):
        if index + 1 < len(lines) and lines[index + 1] == "-" * len(line) and line:
            found.append([line, []])
        elif found and line.startswith("- "):
            found[-1][1].append([line[2:], []])
        elif found and line.startswith("  - "):
            found[-1][1][-1][1].append(line[4:])
    return found


@one_generator
@pytest.mark.parametrize("table", TABLES, ids=[t["protocol"] for t in TABLES])
def test_every_case_shows_the_same_report_in_the_panel_print_and_download(
    visit: tuple[Any, Traffic], site_url: str, table: dict[str, Any], protocol_data: dict[str, Any]
) -> None:
    page, _ = visit
    page.add_init_script(CAPTURE)
    page.goto(f"{site_url}screening/{table['protocol']}/")
    page.wait_for_selector("[data-screening-level]", timeout=ENGINE_TIMEOUT_MS)
    protocol = json.dumps(protocol_data[table["protocol"]])
    cases = [case for case in table["cases"] if "error" not in case]
    assert len(cases) >= 10
    for number, case in enumerate(cases):
        reply = json.loads(assess_json(protocol, json.dumps({"answers": case["answers"]})))
        expected = _sections(reply["result"]["report"])
        page.evaluate(ENTER, case["answers"])
        try:
            page.wait_for_function(
                f"(want) => JSON.stringify(({READ})('[data-screening-report] > section')) === JSON.stringify(want)",
                arg=expected,
                timeout=ENGINE_TIMEOUT_MS,
            )
        except Exception as error:
            shown = page.evaluate(READ, "[data-screening-report] > section")
            raise AssertionError(f"{case['name']}: the panel shows {shown}, the engine says {expected}") from error
        assert page.evaluate(READ, ".screening-print > section") == expected, case["name"]
        page.get_by_role("button", name="Download summary").click()
        page.wait_for_function("(count) => window.__downloaded.length === count", arg=number + 1)
        text = page.evaluate("(index) => window.__downloaded[index]", number)
        assert _from_text(text) == [section[1:] for section in expected], case["name"]
