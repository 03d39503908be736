"""Properties every shipped protocol must have, checked on generated answers."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from screening import assess, load_protocol
from screening.model import Item, Protocol
from tests.conftest import ROOT


def _protocols() -> list[Protocol]:
    from screening.files.yaml_source import load_directory

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
    from screening.files.dumping import dump_protocol

    for protocol in PROTOCOLS:
        assert load_protocol(dump_protocol(protocol)) == protocol


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_result_json_says_each_fact_once_and_alike(data: st.DataObject) -> None:
    from screening.report import NO_RULE, result_json

    protocol = data.draw(st.sampled_from(PROTOCOLS))
    answers = {item.id: data.draw(_answer(item)) for item in protocol.items if data.draw(st.booleans())}
    result = result_json(assess(protocol, answers))
    sections = {s["heading"]: s["lines"] for s in result["report"]}
    assert (result["report"][0]["heading"] == "Act now") == bool(result["urgent_notes"])
    assert not set(result["urgent_notes"]) & set(result["notes"])
    if result["fired"]:
        assert all(line.startswith(f["says"]) for line, f in zip(sections["Why"], result["fired"], strict=True))
    else:
        assert sections["Why"] == [NO_RULE]
    assert len(sections["Why"]) == max(1, len(result["fired"]))
    assert sum(f["rule"] == "score" for f in result["fired"]) == (1 if protocol.scoring else 0)
    labels = {i["id"]: i["label"] for i in result["present"]}
    for fired in result["fired"]:
        for item in fired["items"]:
            assert labels.get(item["id"], item["label"]) == item["label"]
    level = result["level"]
    assert (level["place"] == "highest") == (level["rank"] == level["of"] - 1 == len(protocol.levels) - 1)
    assert (level["place"] == "lowest") == (level["rank"] == 0)
    assert sections["Level from the answers"] == [f"{level['label']} ({level['position']})"]
