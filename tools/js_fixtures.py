"""Write the fixtures of the browser code's unit tests (tests/js/fixtures/) from the engine.

``python -m tools.js_fixtures`` writes, for each request below, the engine's reply
(``screening.json_api.assess_json``, as the page's worker calls it), for each protocol
used, the screening form as the page template renders it, and for each screening in
:data:`UNSCORED` the record file the engine's reference writer gives for a level not worked
out (``unscored_record_json``), which the page's own writer must match to the byte. tests/test_browser_code.py fails
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
from screening.json_api import assess_json, unscored_record_json
from screening.model import Protocol
from screening.record import MESSAGES
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

# Screenings saved without the engine: every kind of answer, notes, text to escape, a
# judgement chosen or not, a reference or none.
UNSCORED: dict[str, tuple[str, dict[str, Any]]] = {
    "pan-lancashire-unscored": REQUESTS["pan-lancashire-below"],
    "dfe-unscored": (
        "dfe-step-by-step",
        {
            "answers": {"missing-late": True, "age": "13-15"},
            "seen": {"missing-late": 'Out till 2am, "with friends" – 3 May\nand again on the 5th'},
            "strengths": "Zoë's aunt: close, and calls every day.",
        },
    ),
    "seraf-unscored": ("all-wales-seraf", {"answers": {"sig-abuse-by-boyfriend": "earlier"}}),
    "sandwell-unscored": (
        "sandwell-nwg",
        {"answers": {}, "record": {"child": "  S/0001 ", "practitioner": "", "agency": ""}},
    ),
}
SAVED_AT = "2026-12-07T18:00:00Z"
SITE = {"name": "CSE procedures and screening", "url": "https://cse.example.org/"}
# The page's report in words without a result, as the fixture gives it to both writers.
SECTIONS = [
    {"id": "not-scored", "heading": "Level from the answers", "lines": [{"text": "Not worked out", "items": []}]},
    {"id": "present", "heading": "Answers present", "lines": [{"text": "A sign", "items": ["What was seen: x"]}]},
]


def as_the_form_reads(protocol: Protocol, request: dict[str, Any]) -> dict[str, Any]:
    """The request the page's form gives once set to ``request``: every item, every field."""
    answers: dict[str, Any] = {}
    for item in protocol.items:
        given = request["answers"].get(item.id)
        if item.answer == "yes_no":
            answers[item.id] = given is True
        elif (given if given is not None else item.default) is not None:
            answers[item.id] = given if given is not None else item.default
    judgement = request.get("judgement", {})
    record = request.get("record", {})
    return {
        "answers": answers,
        "seen": request.get("seen", {}),
        "strengths": request.get("strengths", ""),
        "judgement": {
            "level": judgement.get("level"),
            "reason": judgement.get("reason", ""),
            "confirmed": judgement.get("confirmed", False),
        },
        "record": {key: str(record.get(key, "")).strip() for key in ("child", "practitioner", "agency")},
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
    for name, (protocol_id, given) in UNSCORED.items():
        request = as_the_form_reads(protocols[protocol_id], given)
        reply = json.loads(
            unscored_record_json(
                compiled_json(protocols[protocol_id]),
                json.dumps(request),
                SAVED_AT,
                json.dumps(SITE),
                json.dumps(SECTIONS),
            )
        )
        if not reply["ok"]:
            raise ValueError(f"{name}: {reply['error']['message']}")
        data = {
            "protocol": protocol_id,
            "request": request,
            "savedAt": SAVED_AT,
            "site": SITE,
            "sections": SECTIONS,
            "tooLarge": MESSAGES["save-too-large"],
            "file": reply["file"],
        }
        files[FIXTURES / "records" / f"{name}.json"] = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
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
