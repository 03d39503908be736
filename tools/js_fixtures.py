"""Write the fixtures of the browser code's unit tests (tests/js/fixtures/) from the engine.

``python -m tools.js_fixtures`` writes, for each request below, the engine's reply
(``screening.json_api.assess_json``, as the page's worker calls it) and, for each protocol
used, the screening form as the page template renders it. tests/test_browser_code.py fails
while a committed fixture differs from what this gives, so the Node tests always render
real results and read real forms.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from build_scripts.paths import PROTOCOLS, ROOT
from build_scripts.screening_pages import render_page
from screening.json_api import assess_json
from screening_cli.dumping import compiled_json
from screening_cli.protocol_files import load_directory

FIXTURES = ROOT / "tests" / "js" / "fixtures"

# Each a result the renderers must handle: urgent notes with a judgement below a firm rule,
# a scored level lifted by a rule, questions with options, nothing ticked, an unfinished
# judgement.
REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "pan-lancashire-below": (
        "pan-lancashire",
        {
            "answers": {"immediate-danger": True, "phones": True, "truanting": True},
            "seen": {"phones": "Two phones seen at school, Monday 9:00"},
            "strengths": "Close to her grandmother.",
            "judgement": {"level": "level-1", "reason": "Police attended; she is safe.", "confirmed": True},
            "record": {"child": "REF-0042", "practitioner": "A. Khan", "agency": ""},
        },
    ),
    "pan-lancashire-incomplete": (
        "pan-lancashire",
        {"answers": {"truanting": True}, "judgement": {"level": "level-3", "reason": "", "confirmed": False}},
    ),
    "seraf-lifted": ("all-wales-seraf", {"answers": {"sig-abuse-by-boyfriend": "earlier"}}),
    "dfe-options": ("dfe-step-by-step", {"answers": {}}),
    "sandwell-nothing": ("sandwell-nwg", {"answers": {}}),
}

# The screening form, as the template writes it: from its opening tag to the end of the panel.
_FORM = re.compile(r'<div class="screening" .*?</section>\n</div>\n', re.S)


def fixtures() -> dict[Path, str]:
    """Every fixture file and its text."""
    protocols = {p.id: p for p in load_directory(PROTOCOLS)}
    files: dict[Path, str] = {}
    for name, (protocol_id, request) in REQUESTS.items():
        reply = json.loads(assess_json(compiled_json(protocols[protocol_id]), json.dumps(request)))
        data = {"protocol": protocol_id, "request": request, "reply": reply}
        files[FIXTURES / "results" / f"{name}.json"] = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    for protocol_id in sorted({protocol_id for protocol_id, _ in REQUESTS.values()}):
        page = render_page(protocols[protocol_id], f"protocols/{protocol_id}.json")
        match = _FORM.search(page)
        if match is None:
            raise ValueError(f"the screening page of {protocol_id} has no screening form")
        files[FIXTURES / "forms" / f"{protocol_id}.html"] = match.group(0)
    return files


def stale() -> list[Path]:
    """The fixture files missing or different from what the engine and template give now."""
    return [path for path, text in fixtures().items() if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    for path, text in fixtures().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
