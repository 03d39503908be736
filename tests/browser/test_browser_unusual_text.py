"""What validates, works: a protocol with unusual but valid ids and text scores in Chromium.

A scratch copy of the repository gets a changed Pan Lancashire protocol: ids that start
with a digit and mix '-' and '_', and text full of quotes, angle brackets, ampersands,
backslashes, a dollar sign, Welsh and Arabic letters and an emoji. The copy is built
and served, and the page must score it and show every text exactly as the file says it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts.paths import COMPLETE_MARK
from tests.helpers.browser import ENGINE_TIMEOUT_MS
from tests.helpers.site import free_port
from tools.benchmark_size import copy_repository

pytestmark = [pytest.mark.browser]

# No braces (in a rule's words {NAME} stands for a setting) and no Markdown marks.
ODD = "\"double\" & 'single' <b>not bold</b> </script> $x \\back\\ Cymraeg ŵŷ, عربى 🙂"
GROUP = "0-odd_group"
YES_NO = "0_odd-item-1"
CHOICE = "9-choice_x"
OPTIONS = ("0-a", "b_1-")
RULE = "odd-rule_1"


def _odd_protocol(path: Path) -> str:
    """Add an unusual group, two items and a rule to the protocol; return its top level's id."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = f"Pan Lancashire {ODD}"
    data["groups"].append({"id": GROUP, "label": f"Group {ODD}", "description": f"About {ODD}"})
    data["items"] += [
        {"id": YES_NO, "text": f"Item {ODD}", "group": GROUP, "source": f"Source {ODD}", "hint": f"Hint {ODD}"},
        {
            "id": CHOICE,
            "text": f"Choice {ODD}",
            "group": GROUP,
            "source": "Test",
            "answer": "choice",
            "options": [
                {"id": OPTIONS[0], "label": f"First {ODD}"},
                {"id": OPTIONS[1], "label": f"Second {ODD}", "present": True},
            ],
        },
    ]
    top = str(data["levels"][-1]["id"])
    data["rules"].append(
        {
            "id": RULE,
            "says": f"Rule {ODD}",
            "when": {"all": [{"item": YES_NO}, {"item": CHOICE, "is": OPTIONS[1]}]},
            "then": top,
            "notes": [f"Note {ODD}"],
        }
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return top


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    copy = copy_repository(tmp_path_factory.mktemp("odd"))
    top = _odd_protocol(copy / "protocols" / "pan-lancashire.yaml")
    port = free_port()
    built = subprocess.run(
        [sys.executable, "-m", "build_scripts.build", "--site-url", f"http://127.0.0.1:{port}/"],
        cwd=copy,
        env={**os.environ, "CSE_SNAPSHOT": "off"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, f"the build refused valid text:\n{built.stdout}\n{built.stderr}"
    assert (copy / "site" / COMPLETE_MARK).is_file()
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "tools.serve", "--port", str(port), "--quiet", "--directory", "site"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    assert " at http://" in first, first + (server.stdout.read() if server.poll() is not None else "")
    yield f"http://127.0.0.1:{port}/", top
    server.terminate()
    server.wait(timeout=10)


def test_unusual_ids_and_text_score_and_show_as_written(browser: Any, odd_site: tuple[str, str]) -> None:
    url, top = odd_site
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "screening/pan-lancashire/")
    assert page.locator("h1").first.inner_text().removesuffix("¶").strip() == f"Pan Lancashire {ODD}"
    page.get_by_label(f"Item {ODD}", exact=True).check()
    page.get_by_label(f"Second {ODD}", exact=True).check()
    page.wait_for_selector(f"[data-screening-level='{top}']", timeout=ENGINE_TIMEOUT_MS)
    panel = page.locator("[data-screening-output]").inner_text()
    for text in (f"Rule {ODD}", f"Item {ODD}", f"Note {ODD}", f"Choice {ODD}: Second {ODD}"):
        assert text in panel, text
    assert page.locator("[data-screening-output] b").count() == 0, "text is never read as markup"
    page.get_by_label(f"First {ODD}", exact=True).check()
    page.wait_for_function(
        "(top) => !document.querySelector(`[data-screening-level='${top}']`)", arg=top, timeout=ENGINE_TIMEOUT_MS
    )
    assert errors == []
    context.close()
