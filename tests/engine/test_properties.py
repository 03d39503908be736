"""Properties every shipped protocol must have, checked on generated answers."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from screening import assess, load_protocol
from screening.model import Item, Protocol
from tests.helpers.repository import ROOT


def _protocols() -> list[Protocol]:
    from screening_cli.protocol_files import load_directory

    return load_directory(ROOT / "protocols")


PROTOCOLS = _protocols()


def _answer(item: Item) -> st.SearchStrategy[Any]:
    if item.answer == "choice":
        return st.sampled_from([o.id for o in item.options])
    return st.booleans()


@st.composite
def answers_and_one_more(draw: st.DrawFn) -> tuple[Protocol, dict[str, Any], str, Any]:
    """A protocol, some answers, and an item that is not present with an answer that makes it present."""
    protocol = draw(st.sampled_from(PROTOCOLS))
    answers = {item.id: draw(_answer(item)) for item in protocol.items if draw(st.booleans())}
    candidates = []
    for item in protocol.items:
        value = answers.get(item.id, item.default)
        if item.answer == "choice":
            option = item.option(value) if isinstance(value, str) else None
            if option is None or not option.present:
                candidates.extend((item.id, o.id) for o in item.options if o.present)
        elif value is not True:
            candidates.append((item.id, True))
    if not candidates:
        return protocol, answers, "", None
    item_id, value = draw(st.sampled_from(candidates))
    return protocol, answers, item_id, value


@settings(max_examples=400, deadline=None)
@given(answers_and_one_more())
def test_one_more_item_present_never_lowers_the_level(case: tuple[Protocol, dict[str, Any], str, Any]) -> None:
    protocol, answers, item_id, value = case
    before = assess(protocol, answers)
    if not item_id:
        return
    after = assess(protocol, {**answers, item_id: value})
    assert after.level.rank >= before.level.rank, f"{protocol.id}: answering {item_id}={value} lowered the level"
    if protocol.scoring is not None:
        assert after.score is not None and before.score is not None and after.score >= before.score


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_fired_rule_names_only_present_items(data: st.DataObject) -> None:
    protocol = data.draw(st.sampled_from(PROTOCOLS))
    answers = {item.id: data.draw(_answer(item)) for item in protocol.items}
    result = assess(protocol, answers)
    for fired in result.fired:
        if fired.rule != "score":
            assert set(fired.items) <= set(result.present), fired
    assert result.next_steps == result.level.next_steps


def test_nothing_present_is_the_lowest_level_in_every_protocol() -> None:
    for protocol in PROTOCOLS:
        assert assess(protocol, {}).level.rank == 0, protocol.id


def test_compiled_protocols_round_trip() -> None:
    from screening_cli.dumping import dump_protocol

    for protocol in PROTOCOLS:
        assert load_protocol(dump_protocol(protocol)) == protocol


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_result_json_says_each_fact_once_and_alike(data: st.DataObject) -> None:
    from screening.report import NO_RULE, SECTION_IDS, result_json

    protocol = data.draw(st.sampled_from(PROTOCOLS))
    answers = {item.id: data.draw(_answer(item)) for item in protocol.items if data.draw(st.booleans())}
    result = result_json(assess(protocol, answers))
    sections = {s["id"]: s["lines"] for s in result["report"]}
    ids = [s["id"] for s in result["report"]]
    assert ids == [i for i in SECTION_IDS if i in ids], "sections in the contract's order"
    always = {"level", "judgement", "why", "present", "strengths", "next-steps", "record"}
    assert always <= set(ids)
    assert ("act-now" in ids) == bool(result["urgent_notes"]) == (ids[0] == "act-now")
    assert ("options" in ids) == any(item.answer == "choice" for item in protocol.items)
    assert not set(result["urgent_notes"]) & set(result["notes"])
    if result["fired"]:
        assert [(line["text"], line["items"]) for line in sections["why"]] == [
            (f["says"], [i["label"] for i in f["items"]]) for f in result["fired"]
        ]
    else:
        assert sections["why"] == [{"text": NO_RULE, "items": []}]
    assert sum(f["rule"] == "score" for f in result["fired"]) == (1 if protocol.scoring else 0)
    labels = {i["id"]: i["label"] for i in result["present"]}
    for fired in result["fired"]:
        for item in fired["items"]:
            assert labels.get(item["id"], item["label"]) == item["label"]
    level = result["level"]
    assert (level["place"] == "highest") == (level["rank"] == level["of"] - 1 == len(protocol.levels) - 1)
    assert (level["place"] == "lowest") == (level["rank"] == 0)
    reason = [] if result["band_reason"] is None else [result["band_reason"]["says"]]
    assert [line["text"] for line in sections["level"]] == [f"{level['label']} ({level['position']})", *reason]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_judgement_stands_only_with_a_reason_and_below_a_firm_rule_a_confirmation(data: st.DataObject) -> None:
    from screening.model import Choice, Context
    from screening.report import result_json

    protocol = data.draw(st.sampled_from(PROTOCOLS))
    answers = {item.id: data.draw(_answer(item)) for item in protocol.items if data.draw(st.booleans())}
    choice = Choice(
        data.draw(st.sampled_from([None, *(level.id for level in protocol.levels)])),
        data.draw(st.sampled_from(["", "Known to the team"])),
        data.draw(st.booleans()),
    )
    result = result_json(assess(protocol, answers, Context(judgement=choice)))
    judgement, floor = result["judgement"], result["confirm_below"]
    ranks = {level.id: level.rank for level in protocol.levels}
    differs = choice.level is not None and choice.level != result["level"]["id"]
    below = differs and floor is not None and ranks[str(choice.level)] < floor["rank"]
    needs = [
        n
        for n, missing in (("reason", differs and not choice.reason), ("confirmation", below and not choice.confirmed))
        if missing
    ]
    assert (judgement["differs"], judgement["below"]) == (differs, below)
    assert [n["field"] for n in judgement["needs"]] == needs
    assert judgement["status"] == ("agrees" if not differs else "incomplete" if needs else "stands")
    assert bool(judgement["confirm_why"]) == below
    lines = [line["text"] for s in result["report"] if s["id"] == "judgement" for line in s["lines"]]
    assert (lines == ["Agrees with the level from the answers"]) == (not differs)
    if floor is not None:
        assert all(f["firm"] for f in result["fired"] if f["rule"] in floor["rules"])
