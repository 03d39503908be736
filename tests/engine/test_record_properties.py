"""Save then open gives back exactly what was saved, for generated screenings of every bundled protocol."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.json_api import assess_json, open_record_json, save_record_json
from screening.model import Protocol
from screening_cli.dumping import compiled_json
from tests.engine.test_record import data_of
from tests.helpers.repository import ROOT


def _protocols() -> list[Protocol]:
    from screening_cli.protocol_files import load_directory

    return load_directory(ROOT / "protocols")


PROTOCOLS = _protocols()
COMPILED = {p.id: compiled_json(p) for p in PROTOCOLS}
SITE = json.dumps({"name": "CSE procedures and screening", "url": "https://cse.example.org/"})
# Text a practitioner may type: anything but control characters (other than tab and line
# break), bidirectional overrides and isolates, and halves of character pairs.
REFUSED = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=REFUSED) | st.sampled_from("\t\n "),
    max_size=40,
)
TIMES = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
)


@st.composite
def requests(draw: st.DrawFn, protocol: Protocol) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in protocol.items:
        if draw(st.booleans()):
            if item.answer == "choice":
                answers[item.id] = draw(st.sampled_from([o.id for o in item.options] + [None]))
            else:
                answers[item.id] = draw(st.sampled_from([True, False, None]))
    request: dict[str, Any] = {"answers": answers}
    seen_items = draw(st.lists(st.sampled_from([i.id for i in protocol.items]), unique=True, max_size=3))
    if seen_items or draw(st.booleans()):
        request["seen"] = {item: draw(TEXT) for item in seen_items}
    if draw(st.booleans()):
        request["strengths"] = draw(TEXT)
    if draw(st.booleans()):
        judgement: dict[str, Any] = {}
        if draw(st.booleans()):
            judgement["level"] = draw(st.sampled_from([None, *(level.id for level in protocol.levels)]))
        if draw(st.booleans()):
            judgement["reason"] = draw(TEXT)
        if draw(st.booleans()):
            judgement["confirmed"] = draw(st.booleans())
        request["judgement"] = judgement
    if draw(st.booleans()):
        request["record"] = {
            key: draw(TEXT) for key in draw(st.sets(st.sampled_from(["child", "practitioner", "agency"])))
        }
    return request


Case = tuple[Protocol, list[dict[str, Any]], list[str]]


@st.composite
def screenings(draw: st.DrawFn) -> Case:
    protocol = draw(st.sampled_from(PROTOCOLS))
    made = draw(st.lists(requests(protocol), min_size=1, max_size=3))
    times = sorted(draw(st.lists(TIMES, min_size=len(made), max_size=len(made), unique=True)))
    return protocol, made, times


@settings(max_examples=60, deadline=None)
@given(screenings())
def test_save_then_open_gives_back_exactly_what_was_saved(
    case: tuple[Protocol, list[dict[str, Any]], list[str]],
) -> None:
    protocol, made, times = case
    compiled = COMPILED[protocol.id]
    text: str | None = None
    for number, (request, at) in enumerate(zip(made, times, strict=True)):
        body = {**request, **({"previous": text} if text is not None else {})}
        reply = json.loads(save_record_json(compiled, json.dumps(body), at, SITE))
        assert reply["ok"] is True, reply
        earlier = data_of(text)["screenings"] if text is not None else []
        text = reply["file"]["text"]
        data = data_of(text)
        # Every earlier screening is kept as it was, and this one added.
        assert data["screenings"][:number] == earlier
        assert [s["saved"] for s in data["screenings"]] == times[: number + 1]
        opened = json.loads(open_record_json(compiled, text))
        assert opened["ok"] is True, opened
        assert opened["opened"]["request"] == request
        assert opened["opened"]["set_aside"] == []
        assert opened["opened"]["screenings"] == number + 1
        assert opened["opened"]["saved"] == at
        # The level and judgement kept are those the engine gives for the request.
        result = json.loads(assess_json(compiled, json.dumps(request)))["result"]
        saved = data["screenings"][-1]
        assert saved["level"] == {"id": result["level"]["id"], "label": result["level"]["label"]}
        assert saved["judgement"] == {"level": result["judgement"]["level"], "label": result["judgement"]["label"]}
