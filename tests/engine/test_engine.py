"""The engine on a small protocol written for the purpose, and its typed answer errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening import (
    AnswerError,
    AnswerTypeError,
    MissingAnswerError,
    ProtocolError,
    UnknownItemError,
    assess,
    load_protocol,
)
from screening.report import result_json
from screening_cli.dumping import dump_protocol
from screening_cli.protocol_files import check_file

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def minimal():  # type: ignore[no-untyped-def]
    protocol, problems = check_file(DATA / "minimal.yaml")
    assert problems == []
    assert protocol is not None
    return protocol


def test_nothing_present_is_the_lowest_level(minimal) -> None:  # type: ignore[no-untyped-def]
    result = assess(minimal, {})
    assert (result.level.id, result.level.rank, result.fired, result.present) == ("low", 0, (), ())
    assert result.next_steps == ("Keep watching.",)


def test_one_sign_fires_one_rule_naming_it(minimal) -> None:  # type: ignore[no-untyped-def]
    result = assess(minimal, {"b": True})
    assert result.level.id == "medium"
    assert [(f.rule, f.items) for f in result.fired] == [("any-sign", ("b",))]


def test_setting_threshold_and_placeholder(minimal) -> None:  # type: ignore[no-untyped-def]
    result = assess(minimal, {"a": True, "b": True})
    assert result.level.id == "high"
    assert result.fired[0].rule == "many-signs"
    assert result.fired[0].says == "2 or more signs are present."


def test_choice_item_default_is_not_present(minimal) -> None:  # type: ignore[no-untyped-def]
    assert assess(minimal, {"when": "never"}).level.id == "low"
    assert assess(minimal, {"when": "past"}).level.id == "medium"


def test_urgent_rule_comes_first_with_its_notes(minimal) -> None:  # type: ignore[no-untyped-def]
    result = assess(minimal, {"when": "now", "a": True})
    assert result.urgent is True
    assert result.fired[0].rule == "seen-now"
    assert result.urgent_notes == ("Act today.",)
    assert result.notes == ()


def test_result_json_shape(minimal) -> None:  # type: ignore[no-untyped-def]
    data = result_json(assess(minimal, {"a": True}))
    assert data["protocol"] == "minimal" and data["version"] == "1"
    assert data["level"] == {
        "id": "medium",
        "label": "Medium",
        "rank": 1,
        "of": 3,
        "place": "higher",
        "position": "level 2 of 3",
    }
    assert data["score"] is None
    assert data["fired"][0]["rule"] == "any-sign" and data["fired"][0]["items"] == [{"id": "a", "label": "Sign A"}]
    assert data["next_steps"] == ["Talk to your manager."]


def test_compiled_form_round_trips(minimal) -> None:  # type: ignore[no-untyped-def]
    again = load_protocol(dump_protocol(minimal))
    assert again == minimal
    assert dump_protocol(again) == dump_protocol(minimal)


@pytest.mark.parametrize(
    ("answers", "error", "item", "message"),
    [
        ({"zzz": True}, UnknownItemError, "zzz", "'zzz' is not an item of protocol 'minimal'"),
        ({"a": "yes"}, AnswerTypeError, "a", "item 'a' takes true or false, not 'yes'"),
        ({"a": 1}, AnswerTypeError, "a", "item 'a' takes true or false, not 1"),
        ({"when": True}, AnswerTypeError, "when", "item 'when' takes one of its option ids, not True"),
        (
            {"when": "soon"},
            AnswerTypeError,
            "when",
            "'soon' is not an option of item 'when' (options: never, past, now)",
        ),
    ],
)
def test_bad_answers_raise_typed_errors_naming_the_item(minimal, answers, error, item, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        assess(minimal, answers)
    assert caught.value.item == item
    assert str(caught.value) == message
    assert isinstance(caught.value, AnswerError)


def test_answers_must_be_a_mapping(minimal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerError, match="answers must be a mapping"):
        assess(minimal, ["a"])  # type: ignore[arg-type]


def test_required_item_left_out_names_it(minimal) -> None:  # type: ignore[no-untyped-def]
    data = dump_protocol(minimal)
    data["items"][2]["required"] = True
    protocol = load_protocol(data)
    with pytest.raises(MissingAnswerError) as caught:
        assess(protocol, {"a": True})
    assert caught.value.item == "when"


def test_scoring_bands(minimal) -> None:  # type: ignore[no-untyped-def]
    data = dump_protocol(minimal)
    data["scoring"] = {
        "source": "test",
        "bands": [
            {"from": 0, "label": "none", "level": "low"},
            {"from": 4, "label": "some", "level": "medium"},
            {"from": 8, "label": "lots", "level": "high"},
        ],
    }
    data["rules"] = [data["rules"][2]]  # only the urgent rule; the bands do the rest
    data["settings"] = {}
    protocol = load_protocol(data)
    assert assess(protocol, {}).score == 0
    result = assess(protocol, {"a": True, "b": True})  # 1 + 3
    assert (result.score, result.band.label if result.band else None, result.level.id) == (4, "some", "medium")
    assert result.fired[-1].rule == "score" and result.fired[-1].items == ("a", "b")
    result = assess(protocol, {"b": True, "when": "now"})  # 3 + 5
    assert (result.score, result.level.id) == (8, "high")


def test_load_protocol_rejects_bad_compiled_data_with_paths() -> None:
    with pytest.raises(ProtocolError) as caught:
        load_protocol({"id": "x"})
    text = str(caught.value)
    assert "the protocol is missing the key 'title'" in text
    assert "the protocol is missing the key 'rules'" in text


def test_engine_modules_do_not_import_yaml_or_do_io() -> None:
    import subprocess
    import sys

    code = (
        "import sys, builtins\n"
        "opened = []\n"
        "real = builtins.open\n"
        "builtins.open = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
        "import screening, screening.json_api\n"
        "assert 'yaml' not in sys.modules, 'yaml imported'\n"
        "assert not [a for a in opened if 'screening' not in str(a[0])], opened\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_rest_of_a_request_comes_in_a_context(minimal) -> None:  # type: ignore[no-untyped-def]
    from screening import Choice, Context, Record, RequestError

    context = Context(
        seen=(("a", "Monday"),),
        strengths="Football",
        judgement=Choice("low", "Known", confirmed=True),
        record=Record(child="C-1"),
    )
    result = assess(minimal, {"a": True, "when": "now"}, context)
    assert result.context is context
    assert result.judgement is not None
    assert (result.judgement.status, result.judgement.below, result.judgement.needs) == ("stands", True, ())
    assert result.judgement.floor is not None and result.judgement.floor.rules == ("seen-now",)
    agrees = assess(minimal, {}).judgement
    assert agrees is not None and agrees.status == "agrees"
    with pytest.raises(RequestError, match=r"judgement\.level 'top' is not a level"):
        assess(minimal, {}, Context(judgement=Choice("top")))
    with pytest.raises(UnknownItemError) as raised:
        assess(minimal, {}, Context(seen=(("zzz", "x"),)))
    assert raised.value.item == "zzz"
