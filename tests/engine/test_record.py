"""The saved screening record: save, open, review and compare, through the engine's JSON functions.

Tests marked ``pyodide_too`` also run inside Pyodide (tests/pyodide/test_pyodide.py), so they use
only the standard library, ``screening`` and tests/data/, and take no fixtures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from screening.json_api import assess_json, open_record_json, save_record_json, unscored_record_json
from screening.record import BEGIN, END, MESSAGES

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = (DATA / "minimal.json").read_text(encoding="utf-8")
SITE = json.dumps({"name": "CSE procedures and screening", "url": "https://cse.example.org/"})
FIRST = "2026-12-07T18:00:00Z"
SECOND = "2027-03-07T09:30:00Z"

REQUEST: dict[str, Any] = {
    "answers": {"a": True, "b": False, "when": "never"},
    "seen": {"a": "On the bus, 3 May\nand again on the 5th"},
    "strengths": "Goes to football",
    "judgement": {"level": "high", "reason": "Known to the team", "confirmed": False},
    "record": {"child": "C/123 Smith", "practitioner": "A. Worker", "agency": "School"},
}


def save(request: dict[str, Any], at: str = FIRST, protocol: str = MINIMAL) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(save_record_json(protocol, json.dumps(request), at, SITE))
    return reply


def opened(text: Any, protocol: str = MINIMAL) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(open_record_json(protocol, text))
    return reply


def saved_text(request: dict[str, Any] = REQUEST, at: str = FIRST) -> str:
    reply = save(request, at)
    assert reply["ok"] is True, reply
    text: str = reply["file"]["text"]
    return text


def data_of(text: str) -> dict[str, Any]:
    start = text.index(f"\n{BEGIN}\n") + len(BEGIN) + 2
    data: dict[str, Any] = json.loads(text[start : text.index(f"\n{END}\n")])
    return data


def edited(text: str, change: Callable[[dict[str, Any]], Any]) -> str:
    """The record with its data changed by ``change`` (which edits the data in place)."""
    data = data_of(text)
    change(data)
    head, _, rest = text.partition(f"\n{BEGIN}\n")
    _, _, tail = rest.partition(f"\n{END}\n")
    return f"{head}\n{BEGIN}\n{json.dumps(data, indent=2, ensure_ascii=False)}\n{END}\n{tail}"


def with_protocol(**changes: Any) -> str:
    data = json.loads(MINIMAL)
    data.update(changes)
    return json.dumps(data)


TEXT = saved_text()
TWO = json.loads(save_record_json(MINIMAL, json.dumps({"answers": {"b": True}, "previous": TEXT}), SECOND, SITE))[
    "file"
]["text"]
UNREADABLE = MESSAGES["unreadable"]


def _unreadable(detail: str) -> str:
    return UNREADABLE.format(detail=detail)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


NOT_A_RECORD = "This file is not a saved screening. Open a file made with Save on one of this site's screening pages."
OTHER = (
    "This file is a saved screening for Another protocol, not for Minimal protocol."
    " Open it on the page for Another protocol."
)

# (name, the file's text, the message, the protocol named); every message exactly.
BAD_FILES: list[tuple[str, Any, str, str | None]] = [
    ("empty", "", NOT_A_RECORD, None),
    ("a note", "Remember to call the school.\n", NOT_A_RECORD, None),
    ("a request, not a record", json.dumps(REQUEST), NOT_A_RECORD, None),
    ("not text", None, NOT_A_RECORD, None),
    ("other data between the markers", f'{BEGIN}\n{{"format": "notes"}}\n{END}\n', NOT_A_RECORD, None),
    (
        "another protocol's record",
        edited(TEXT, _set(("protocol",), {"id": "another", "title": "Another protocol", "version": "1"})),
        OTHER,
        "another",
    ),
    (
        "a newer version of the site",
        edited(TEXT, _set(("format_version",), 2)),
        "This file was saved by a newer version of the site (record format 2; this version reads format 1)."
        " Open it on the site as it is now, or ask whoever runs the site to update it.",
        None,
    ),
    (
        "passphrase-protected",
        "CSE screening record (protected)\n-----BEGIN ENCRYPTED SCREENING-----\neyJ2IjoxfQ==\n"
        "-----END ENCRYPTED SCREENING-----\n",
        "This saved screening is protected with a passphrase. Open it on the screening page, which asks for it.",
        None,
    ),
    ("cut short before the data", TEXT[:200], _unreadable("the screening data is missing"), None),
    (
        "cut short in the data",
        TEXT[: TEXT.index(BEGIN) + 300],
        _unreadable("the end of the screening data is missing"),
        None,
    ),
    (
        "JSON broken",
        TEXT.replace('"answers": {', '"answers": {,', 1),
        _unreadable(
            f"line {TEXT[: TEXT.index(chr(34) + 'answers' + chr(34) + ': {')].count(chr(10)) + 1}: not valid JSON: Expecting property name enclosed in double quotes"
        ),
        None,
    ),
    (
        "a key twice",
        TEXT.replace('"a": true,', '"a": true, "a": false,', 1),
        _unreadable(
            f"line {TEXT[: TEXT.index(chr(34) + 'a' + chr(34) + ': true,')].count(chr(10)) + 1}: duplicate key 'a' in 'screenings[0].request.answers'"
        ),
        None,
    ),
    (
        "a bidi override typed in",
        TEXT[: TEXT.rindex("Goes to football")]
        + "Goes to \u202efootball"
        + TEXT[TEXT.rindex("Goes to football") + 16 :],
        _unreadable(
            f"line {TEXT[: TEXT.rindex('Goes to football')].count(chr(10)) + 1}: 'screenings[0].request.strengths' may not"
            " hold the bidirectional control character U+202E, which can make text read differently from what it holds"
        ),
        None,
    ),
    (
        "an unknown key",
        edited(TEXT, _set(("screenings", 0, "notes"), "x")),
        _unreadable("'screenings[0]' has an unknown key 'notes'"),
        None,
    ),
    (
        "a key missing",
        edited(TEXT, _drop(("screenings", 0, "level"))),
        _unreadable("'screenings[0].level' is missing"),
        None,
    ),
    (
        "a wrong type",
        edited(TEXT, _set(("screenings", 0, "request", "answers", "a"), 1)),
        _unreadable("'screenings[0].request.answers.a' must be true or false"),
        None,
    ),
    (
        "format version as text",
        edited(TEXT, _set(("format_version",), "1")),
        _unreadable("'format_version' must be a whole number"),
        None,
    ),
    ("format version 0", edited(TEXT, _set(("format_version",), 0)), _unreadable("'format_version' must be 1"), None),
    ("no screenings", edited(TEXT, _set(("screenings",), [])), _unreadable("it holds no screening"), None),
    (
        "a date that is not a date",
        edited(TEXT, _set(("screenings", 0, "saved"), "yesterday")),
        _unreadable("'screenings[0].saved' must be a time in UTC such as 2026-12-07T18:00:00Z"),
        None,
    ),
    (
        "a date that does not exist",
        edited(TEXT, _set(("screenings", 0, "saved"), "2026-02-30T10:00:00Z")),
        _unreadable("'screenings[0].saved' must be a time in UTC such as 2026-12-07T18:00:00Z"),
        None,
    ),
    (
        "over 2 MB",
        TEXT + "\n" + "x" * 2_000_000,
        "This file is larger than 2 MB, the most a saved screening can be, so it was not opened.",
        None,
    ),
    (
        "answers to an item the protocol does not have",
        edited(TEXT, _set(("screenings", 0, "request", "answers", "zzz"), True)),
        "This saved screening has answers that Minimal protocol version 1 does not have ('zzz'), though it was"
        " saved with that version: the file has been edited, so it was not opened.",
        None,
    ),
    (
        "an option the protocol does not offer",
        edited(TEXT, _set(("screenings", 0, "request", "answers", "when"), "sometimes")),
        "This saved screening has answers that Minimal protocol version 1 does not have ('when'), though it was"
        " saved with that version: the file has been edited, so it was not opened.",
        None,
    ),
    (
        "a note for an item the protocol does not have",
        edited(TEXT, _set(("screenings", 0, "request", "seen", "zzz"), "Monday")),
        "This saved screening has answers that Minimal protocol version 1 does not have ('zzz'), though it was"
        " saved with that version: the file has been edited, so it was not opened.",
        None,
    ),
    (
        "a history out of date order",
        edited(TWO, _set(("screenings", 1, "saved"), "2026-11-01T08:00:00Z")),
        "The screenings in this file are not in date order: screening 2 (1 November 2026, 08:00 UTC) is not"
        " later than the one before it (7 December 2026, 18:00 UTC). The file has been edited, so it was not opened.",
        None,
    ),
    (
        "two screenings at the same time",
        edited(TWO, _set(("screenings", 1, "saved"), FIRST)),
        "The screenings in this file are not in date order: screening 2 (7 December 2026, 18:00 UTC) is not"
        " later than the one before it (7 December 2026, 18:00 UTC). The file has been edited, so it was not opened.",
        None,
    ),
]


@pytest.mark.pyodide_too
@pytest.mark.parametrize(("name", "text", "message", "protocol"), BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_a_bad_file_is_one_record_error(name: str, text: Any, message: str, protocol: str | None) -> None:
    reply = opened(text)
    assert reply == {"ok": False, "error": {"type": "RecordError", "message": message, "protocol": protocol}}, name
    # The same file as the previous screening of an assessment or a save: the same error, nothing else.
    if isinstance(text, str):
        request = json.dumps({"answers": {"a": True}, "previous": text})
        assert json.loads(assess_json(MINIMAL, request)) == reply, name
        assert json.loads(save_record_json(MINIMAL, request, "2030-01-01T00:00:00Z", SITE)) == reply, name


@pytest.mark.pyodide_too
def test_every_message_is_one_of_the_engines() -> None:
    messages = {row[2] for row in BAD_FILES}
    for kind, template in MESSAGES.items():
        if "{" not in template and kind not in ("save-too-large",):
            assert template in messages, kind


@pytest.mark.pyodide_too
def test_the_file_says_what_it_is_in_words() -> None:
    reply = save(REQUEST)
    assert reply["file"]["name"] == "minimal-2026-12-07-C-123-Smith.txt"
    text = reply["file"]["text"]
    lines = text.splitlines()
    assert lines[:6] == [
        "CSE screening record",
        "====================",
        "Made by: CSE procedures and screening (https://cse.example.org/) · Protocol: Minimal protocol, version 1"
        " (minimal)",
        "Saved: 7 December 2026, 18:00 UTC · Child's reference: C/123 Smith",
        "Keep this file where your agency keeps case records. The site keeps no copy. To continue or",
        'review this screening, open the file with "Open a saved screening" on the screening page.',
    ]
    # The report in words, as every view shows it, then the history.
    result = json.loads(assess_json(MINIMAL, json.dumps(REQUEST)))["result"]
    from screening.report import report_text

    assert report_text(result["report"]) in text
    assert (
        "Screenings in this file, oldest first\n- 7 December 2026, 18:00 UTC: Medium; professional judgement: High\n"
        in text
    )
    assert text.endswith(f"\n{END}\n") and "\r" not in text
    data = data_of(text)
    assert data["format"] == "cse-screening-record" and data["format_version"] == 1
    assert data["site"] == {"name": "CSE procedures and screening", "url": "https://cse.example.org/"}
    assert data["protocol"] == {"id": "minimal", "title": "Minimal protocol", "version": "1"}
    (screening,) = data["screenings"]
    assert screening == {
        "saved": FIRST,
        "protocol_version": "1",
        "request": REQUEST,
        "answers_in_words": [{"item": "a", "text": "Sign A"}, {"item": "when", "text": "When was it seen?: Never"}],
        "level": {"id": "medium", "label": "Medium"},
        "judgement": {"level": "high", "label": "High"},
    }


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("child", "name"),
    [
        ("", "minimal-2026-12-07.txt"),
        ("  ", "minimal-2026-12-07.txt"),
        ("../../etc/passwd", "minimal-2026-12-07-etc-passwd.txt"),
        ("Jo Bloggs 12/3", "minimal-2026-12-07-Jo-Bloggs-12-3.txt"),
        ("x" * 100, f"minimal-2026-12-07-{'x' * 40}.txt"),
        ("Zoë", "minimal-2026-12-07-Zo.txt"),
    ],
)
def test_the_file_name_is_safe(child: str, name: str) -> None:
    assert save({"answers": {}, "record": {"child": child}})["file"]["name"] == name


@pytest.mark.pyodide_too
def test_opening_gives_back_exactly_what_was_saved() -> None:
    assert opened(TEXT) == {
        "ok": True,
        "opened": {"request": REQUEST, "set_aside": [], "saved": FIRST, "screenings": 1, "protocol_version": "1"},
    }


@pytest.mark.pyodide_too
def test_windows_line_ends_and_a_byte_order_mark_still_open() -> None:
    assert opened("\ufeff" + TEXT.replace("\n", "\r\n")) == opened(TEXT)


@pytest.mark.pyodide_too
def test_a_marker_typed_into_a_note_does_not_confuse_the_reader() -> None:
    request = {**REQUEST, "strengths": f"x\n{BEGIN}\n{{}}\n{END}\ny"}
    assert opened(saved_text(request))["opened"]["request"] == request


@pytest.mark.pyodide_too
def test_saving_again_keeps_every_earlier_screening() -> None:
    data = data_of(TWO)
    assert [s["saved"] for s in data["screenings"]] == [FIRST, SECOND]
    assert data["screenings"][0] == data_of(TEXT)["screenings"][0]
    third = save({"answers": {}, "previous": TWO}, "2027-06-01T10:00:00Z")["file"]["text"]
    assert [s["saved"] for s in data_of(third)["screenings"]] == [FIRST, SECOND, "2027-06-01T10:00:00Z"]
    assert data_of(third)["screenings"][:2] == data["screenings"]
    assert opened(third)["opened"]["screenings"] == 3
    assert (
        "- 7 December 2026, 18:00 UTC: Medium; professional judgement: High\n"
        "- 7 March 2027, 09:30 UTC: Medium; professional judgement: agreed with the level from the answers\n"
        "- 1 June 2027, 10:00 UTC: Low; professional judgement: agreed with the level from the answers\n"
    ) in third


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("at", "kind", "message"),
    [
        (
            FIRST,
            "RecordError",
            "This screening's date (7 December 2026, 18:00 UTC) is not later than the last screening in the file"
            " (7 December 2026, 18:00 UTC), so it cannot be added to it.",
        ),
        (
            "2026-01-01T00:00:00Z",
            "RecordError",
            "This screening's date (1 January 2026, 00:00 UTC) is not later than the last screening in the file"
            " (7 December 2026, 18:00 UTC), so it cannot be added to it.",
        ),
        (
            "7/12/2026",
            "RequestError",
            "the time of saving must be ISO 8601 in UTC, such as 2026-12-07T18:00:00Z, not '7/12/2026'",
        ),
        (
            "2026-12-08T18:00:00+01:00",
            "RequestError",
            "the time of saving must be ISO 8601 in UTC, such as 2026-12-07T18:00:00Z, not '2026-12-08T18:00:00+01:00'",
        ),
    ],
)
def test_a_screening_is_added_only_after_the_last(at: str, kind: str, message: str) -> None:
    reply = save({"answers": {}, "previous": TEXT}, at)
    assert reply["ok"] is False and reply["error"]["type"] == kind and reply["error"]["message"] == message


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("site", "message"),
    [
        ("{}", 'the site must be {"name": TEXT, "url": TEXT}'),
        ('{"name": "x", "url": 1}', 'the site must be {"name": TEXT, "url": TEXT}'),
        (
            '{"name": "x\u202e", "url": "u"}',
            "the site: line 1: 'name' may not hold the bidirectional control character U+202E, which can make text read differently from what it holds",
        ),
        ("[", "the site: line 1: not valid JSON: Expecting value"),
    ],
)
def test_the_site_is_read_like_a_request(site: str, message: str) -> None:
    reply = json.loads(save_record_json(MINIMAL, '{"answers": {}}', FIRST, site))
    assert reply == {"ok": False, "error": {"type": "RequestError", "message": message, "item": None}}


def _review(answers: dict[str, Any], previous: str = TEXT, protocol: str = MINIMAL) -> dict[str, Any]:
    reply = json.loads(assess_json(protocol, json.dumps({"answers": answers, "previous": previous})))
    assert reply["ok"] is True, reply
    result: dict[str, Any] = reply["result"]
    return result


def _lines(result: dict[str, Any], section: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = next(s["lines"] for s in result["report"] if s["id"] == section)
    return lines


@pytest.mark.pyodide_too
def test_without_a_previous_record_there_is_no_comparison() -> None:
    result = json.loads(assess_json(MINIMAL, json.dumps(REQUEST)))["result"]
    assert result["comparison"] is None and result["history"] is None
    assert not {"since", "history"} & {s["id"] for s in result["report"]}


@pytest.mark.pyodide_too
def test_the_comparison_says_what_changed_since_then() -> None:
    result = _review({"b": True, "when": "now"})
    ids = [s["id"] for s in result["report"]]
    assert ids[ids.index("judgement") + 1 : ids.index("judgement") + 3] == ["since", "history"]
    assert result["comparison"] == {
        "then": {
            "saved": FIRST,
            "level": {"id": "medium", "label": "Medium", "rank": 1},
            "judgement": {"level": "high", "label": "High"},
            "reason": "Known to the team",
        },
        "now": {"level": {"id": "high", "label": "High", "rank": 2}},
        "direction": "rose",
        "new": [{"id": "b", "label": "Sign B"}, {"id": "when", "label": "When was it seen?: Now"}],
        "gone": [{"id": "a", "label": "Sign A"}],
        "still": [],
        "earlier_levels": [],
        "set_aside": [],
    }
    assert _lines(result, "since") == [
        {"text": "Level then (7 December 2026, 18:00 UTC): Medium", "items": []},
        {"text": "Level now: High", "items": []},
        {"text": "The level has risen since the last screening.", "items": []},
        {"text": "New since then", "items": ["Sign B", "When was it seen?: Now"]},
        {"text": "No longer present", "items": ["Sign A"]},
        {"text": "Still present", "items": ["None"]},
        {"text": "Professional judgement then: High (reason: Known to the team)", "items": []},
    ]
    assert result["history"] == [
        {"saved": FIRST, "level": {"id": "medium", "label": "Medium", "rank": 1}, "judgement_label": "High"},
        {"saved": None, "level": {"id": "high", "label": "High", "rank": 2}, "judgement_label": None},
    ]
    assert [line["text"] for line in _lines(result, "history")] == [
        "7 December 2026, 18:00 UTC: Medium; professional judgement: High",
        "Now (not saved yet): High; professional judgement: agreed with the level from the answers",
    ]


@pytest.mark.pyodide_too
def test_the_same_answers_stay_the_same() -> None:
    result = _review({"a": True})
    assert result["comparison"]["direction"] == "same"
    assert result["comparison"]["new"] == result["comparison"]["gone"] == []
    assert [line["text"] for line in _lines(result, "since")][2:6] == [
        "The level is the same as at the last screening.",
        "New since then",
        "No longer present",
        "Still present",
    ]
    assert _lines(result, "since")[5]["items"] == ["Sign A"]


@pytest.mark.pyodide_too
def test_where_the_level_fell_the_levels_speaking_of_earlier_levels_are_quoted() -> None:
    data = json.loads(MINIMAL)
    data["levels"][0] = {**data["levels"][0], "speaks_of_earlier_levels": True, "description": "Once seen, now safe."}
    protocol = json.dumps(data)
    previous = json.loads(save_record_json(protocol, json.dumps({"answers": {"when": "now"}}), FIRST, SITE))["file"][
        "text"
    ]
    fell = _review({"a": True}, previous, protocol)
    assert fell["comparison"]["direction"] == "fell"
    assert fell["comparison"]["earlier_levels"] == [
        {"id": "low", "label": "Low", "description": "Once seen, now safe."}
    ]
    assert _lines(fell, "since")[2]["text"] == "The level has fallen since the last screening."
    assert _lines(fell, "since")[-1] == {"text": "Low (from the source): Once seen, now safe.", "items": []}
    # Not where it rose or stayed, and never a level flagged at or above the level then.
    assert _review({"when": "now"}, previous, protocol)["comparison"]["earlier_levels"] == []
    same_protocol = json.loads(MINIMAL)
    same_protocol["levels"][2] = {**same_protocol["levels"][2], "speaks_of_earlier_levels": True}
    previous_high = json.loads(
        save_record_json(json.dumps(same_protocol), json.dumps({"answers": {"when": "now"}}), FIRST, SITE)
    )["file"]["text"]
    assert _review({"a": True}, previous_high, json.dumps(same_protocol))["comparison"]["earlier_levels"] == []


@pytest.mark.pyodide_too
def test_an_older_version_sets_aside_what_no_longer_fits_and_names_it() -> None:
    text = saved_text(
        {
            "answers": {"a": True, "b": True, "when": "past"},
            "seen": {"b": "At the park"},
            "judgement": {"level": "high", "reason": "r"},
            "record": {"child": "C-9"},
        }
    )
    data = json.loads(MINIMAL)
    data["version"] = "2"
    data["items"] = [data["items"][0], {**data["items"][2], "options": data["items"][2]["options"][::2]}]
    data["rules"] = [r for r in data["rules"] if r["id"] != "many-signs"]
    data["settings"] = {}
    protocol = json.dumps(data)
    reply = opened(text, protocol)
    assert reply["ok"] is True, reply
    assert reply["opened"]["request"] == {
        "answers": {"a": True},
        "seen": {},
        "judgement": {"level": "high", "reason": "r"},
        "record": {"child": "C-9"},
    }
    assert reply["opened"]["protocol_version"] == "1"
    assert reply["opened"]["set_aside"] == [
        {
            "item": "b",
            "says": "Sign B: this version of the protocol no longer asks this question, so the answer is set aside.",
        },
        {
            "item": "when",
            "says": "When was it seen?: In the past: this version of the protocol no longer offers this answer, so it"
            " is set aside. Answer the question again.",
        },
        {
            "item": "b",
            "says": "What was seen and when, for Sign B: “At the park”. This version of the protocol no longer asks"
            " this question, so the note is set aside.",
        },
    ]
    # The comparison lists them too, and compares what still applies.
    result = _review({"a": True}, text, protocol)
    assert result["comparison"]["set_aside"] == reply["opened"]["set_aside"]
    assert _lines(result, "since")[-1] == {
        "text": "Answers set aside from the last screening",
        "items": [entry["says"] for entry in reply["opened"]["set_aside"]],
    }
    assert result["comparison"]["still"] == [{"id": "a", "label": "Sign A"}]


@pytest.mark.pyodide_too
def test_a_judgement_level_the_new_version_does_not_have_is_set_aside() -> None:
    text = saved_text({"answers": {"a": True}, "judgement": {"level": "high", "reason": "r"}})
    data = json.loads(MINIMAL)
    data["version"] = "2"
    data["levels"] = data["levels"][:2]
    data["rules"] = [r for r in data["rules"] if r.get("then") != "high"]
    data["settings"] = {}
    reply = opened(text, json.dumps(data))
    assert reply["opened"]["request"]["judgement"] == {"level": None, "reason": "r"}
    assert reply["opened"]["set_aside"] == [
        {
            "item": "judgement",
            "says": "Professional judgement: High. This version of the protocol no longer has this level, so the"
            " judgement is set aside. Choose the level again.",
        }
    ]


def test_an_older_version_of_a_bundled_protocol(protocol_data: dict[str, Any]) -> None:
    """A SERAF record saved with the published version, opened with a copy that drops an item and an option."""
    protocol = protocol_data["all-wales-seraf"]
    choice = next(item for item in protocol["items"] if item.get("answer") == "choice")
    yes_no = next(
        item
        for item in protocol["items"]
        if item.get("answer", "yes_no") == "yes_no" and item["id"] != "immediate-danger"
    )
    kept_option, dropped_option = choice["options"][0]["id"], choice["options"][-1]["id"]
    compiled = json.dumps(protocol)
    request = {"answers": {yes_no["id"]: True, choice["id"]: dropped_option}, "record": {"child": "W-1"}}
    text = json.loads(save_record_json(compiled, json.dumps(request), FIRST, SITE))["file"]["text"]
    changed = json.loads(compiled)
    changed["version"] = "9.9.9"
    changed["items"] = [item for item in changed["items"] if item["id"] != yes_no["id"]]
    for item in changed["items"]:
        if item["id"] == choice["id"]:
            item["options"] = [o for o in item["options"] if o["id"] != dropped_option]
            if item.get("default") == dropped_option:
                item["default"] = kept_option

    def mentions(condition: Any) -> bool:
        return yes_no["id"] in json.dumps(condition) or dropped_option in json.dumps(condition)

    changed["rules"] = [rule for rule in changed["rules"] if not mentions(rule["when"])]
    reply = json.loads(open_record_json(json.dumps(changed), text))
    assert reply["ok"] is True, reply
    assert reply["opened"]["request"]["answers"] == {}
    assert [entry["item"] for entry in reply["opened"]["set_aside"]] == [yes_no["id"], choice["id"]]
    says = [entry["says"] for entry in reply["opened"]["set_aside"]]
    assert says[0].startswith(yes_no["text"]) and "no longer asks this question" in says[0]
    dropped_label = next(o["label"] for o in choice["options"] if o["id"] == dropped_option)
    assert says[1].startswith(f"{choice['text']}: {dropped_label}") and "no longer offers this answer" in says[1]
    # With the same version, the same file opens whole.
    assert json.loads(open_record_json(compiled, text))["opened"]["request"] == request


def test_the_record_data_conforms_to_the_record_schema() -> None:
    import jsonschema

    from build_scripts.json_schemas import RECORD_SCHEMA
    from tests.helpers import schema_check

    schema = json.loads(RECORD_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for text in (TEXT, TWO):
        data = data_of(text)
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
        assert schema_check.errors(schema, data) == []
    broken = data_of(TEXT)
    broken["screenings"][0]["extra"] = 1
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_the_command_line_saves_opens_and_compares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``save`` writes what save_record_json gives; ``assess --previous`` prints the same comparison."""
    from screening_cli import cli

    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "minimal.yaml").write_text((DATA / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    base = ["--protocols", str(folder)]
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(REQUEST), encoding="utf-8")
    second.write_text(json.dumps({"answers": {"b": True, "when": "now"}}), encoding="utf-8")
    record = tmp_path / "record.txt"
    assert cli.main([*base, "save", "minimal", "--answers", str(first), "--at", FIRST, "--out", str(record)]) == 0
    assert capsys.readouterr() == (f"wrote {record}\n", "")
    site = json.dumps({"name": cli.SITE_NAME, "url": cli.SITE_URL})
    assert (
        record.read_text(encoding="utf-8")
        == json.loads(save_record_json(MINIMAL, json.dumps(REQUEST), FIRST, site))["file"]["text"]
    )

    # Windows line ends, as a record edited in Notepad may have.
    record.write_bytes(record.read_bytes().replace(b"\n", b"\r\n"))
    assert cli.main([*base, "assess", "minimal", "--answers", str(second), "--previous", str(record)]) == 0
    out, err = capsys.readouterr()
    from screening.report import report_text

    request = {"answers": {"b": True, "when": "now"}, "previous": TEXT}
    assert out == report_text(json.loads(assess_json(MINIMAL, json.dumps(request)))["result"]["report"]) and err == ""
    assert "Since the last screening\n- Level then (7 December 2026, 18:00 UTC): Medium\n" in out

    later = tmp_path / "later.txt"
    args = [*base, "save", "minimal", "--answers", str(second), "--previous", str(record), "--at", SECOND]
    assert cli.main([*args, "--out", str(later)]) == 0
    capsys.readouterr()
    assert [s["saved"] for s in data_of(later.read_text(encoding="utf-8"))["screenings"]] == [FIRST, SECOND]

    # Each bad case: exit 2 and one line naming the file.
    assert cli.main([*args, "--out", str(later)]) == 2
    assert capsys.readouterr().err == (
        f"error: {later} already exists: the record is never written over a file"
        " (suggested name: minimal-2027-03-07.txt)\n"
    )
    note = tmp_path / "note.txt"
    note.write_text("Call the school\n", encoding="utf-8")
    assert cli.main([*base, "assess", "minimal", "--answers", str(second), "--previous", str(note)]) == 2
    assert capsys.readouterr().err == f"error: {note}: {NOT_A_RECORD}\n"
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2_000_001)
    assert cli.main([*base, "assess", "minimal", "--answers", str(second), "--previous", str(big)]) == 2
    assert capsys.readouterr().err == f"error: {big}: {MESSAGES['too-large']}\n"
    early = [*base, "save", "minimal", "--answers", str(second), "--previous", str(record), "--at", FIRST, "--out", "-"]
    assert cli.main(early) == 2
    assert capsys.readouterr().err.startswith(f"error: {record}: This screening's date (7 December 2026, 18:00 UTC)")


# A screening saved without the engine: the level not worked out -----------------------------

SECTIONS = [
    {"id": "not-scored", "heading": "Level from the answers", "lines": [{"text": "Not worked out", "items": []}]},
    {"id": "present", "heading": "Answers present", "lines": [{"text": "Sign A", "items": ["On the bus"]}]},
]


def unscored(request: dict[str, Any], at: str = FIRST, sections: Any = SECTIONS) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(
        unscored_record_json(MINIMAL, json.dumps(request), at, SITE, json.dumps(sections))
    )
    return reply


UNSCORED = unscored(REQUEST)["file"]["text"]


@pytest.mark.pyodide_too
def test_a_record_without_the_level_says_so_in_words() -> None:
    reply = unscored(REQUEST)
    assert reply["file"]["name"] == "minimal-2026-12-07-C-123-Smith.txt"
    text = reply["file"]["text"]
    # The same frame as the engine's record, with the page's report in words.
    assert text.splitlines()[:6] == saved_text().splitlines()[:6]
    assert "\nLevel from the answers\n- Not worked out\n\nAnswers present\n- Sign A\n  - On the bus\n" in text
    assert (
        "Screenings in this file, oldest first\n- 7 December 2026, 18:00 UTC: level not worked out on this device;"
        " professional judgement: High\n"
    ) in text
    (screening,) = data_of(text)["screenings"]
    engine_made = data_of(TEXT)["screenings"][0]
    assert screening == {**engine_made, "level": None}
    # With no level chosen, the judgement is empty as when agreeing.
    alone = unscored({"answers": {"a": True}, "judgement": {"level": None}})["file"]["text"]
    assert data_of(alone)["screenings"][0]["judgement"] == {"level": None, "label": None}
    assert (
        "- 7 December 2026, 18:00 UTC: level not worked out on this device; professional judgement: no level chosen\n"
        in alone
    )


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("request_json", "at", "sections", "error"),
    [
        (
            {"answers": {"nope": True}},
            FIRST,
            SECTIONS,
            {"type": "UnknownItemError", "message": "'nope' is not an item of protocol 'minimal'", "item": "nope"},
        ),
        (
            {"answers": {}, "judgement": {"level": "top"}},
            FIRST,
            SECTIONS,
            {
                "type": "RequestError",
                "message": "judgement.level 'top' is not a level (levels: low, medium, high)",
                "item": None,
            },
        ),
        (
            {"answers": {}},
            "yesterday",
            SECTIONS,
            {
                "type": "RequestError",
                "message": "the time of saving must be ISO 8601 in UTC, such as 2026-12-07T18:00:00Z",
                "item": None,
            },
        ),
        (
            {"answers": {}},
            FIRST,
            [{"id": "x", "heading": "H"}],
            {"type": "RequestError", "message": "'sections[0].lines' is missing", "item": None},
        ),
        (
            {"answers": {}, "previous": "x"},
            FIRST,
            SECTIONS,
            {
                "type": "RequestError",
                "message": "a screening with a previous record is saved by the engine",
                "item": None,
            },
        ),
    ],
)
def test_a_record_without_the_level_is_checked_as_the_engine_checks(
    request_json: dict[str, Any], at: str, sections: Any, error: dict[str, Any]
) -> None:
    assert unscored(request_json, at, sections) == {"ok": False, "error": error}


@pytest.mark.pyodide_too
def test_a_record_without_the_level_opens_with_every_answer() -> None:
    assert opened(UNSCORED) == {
        "ok": True,
        "opened": {"request": REQUEST, "set_aside": [], "saved": FIRST, "screenings": 1, "protocol_version": "1"},
    }


@pytest.mark.pyodide_too
def test_the_review_says_the_level_then_was_not_worked_out() -> None:
    result = _review({"b": True, "when": "now"}, UNSCORED)
    comparison = result["comparison"]
    assert comparison["then"]["level"] is None
    assert comparison["direction"] == "unknown"
    assert comparison["now"] == {"level": {"id": "high", "label": "High", "rank": 2}}
    assert comparison["earlier_levels"] == []
    assert [line["text"] for line in _lines(result, "since")][:3] == [
        "Level then (7 December 2026, 18:00 UTC): level not worked out on this device",
        "Level now: High",
        "The level was not worked out at the last screening, so no change of level can be shown.",
    ]
    assert result["history"] == [
        {"saved": FIRST, "level": None, "judgement_label": "High"},
        {"saved": None, "level": {"id": "high", "label": "High", "rank": 2}, "judgement_label": None},
    ]
    assert [line["text"] for line in _lines(result, "history")] == [
        "7 December 2026, 18:00 UTC: level not worked out on this device; professional judgement: High",
        "Now (not saved yet): High; professional judgement: agreed with the level from the answers",
    ]


@pytest.mark.pyodide_too
def test_the_engine_saves_after_a_record_without_the_level() -> None:
    text = save({"answers": {"b": True}, "previous": UNSCORED}, SECOND)["file"]["text"]
    data = data_of(text)
    assert [s["level"] for s in data["screenings"]] == [None, {"id": "medium", "label": "Medium"}]
    assert (
        "- 7 December 2026, 18:00 UTC: level not worked out on this device; professional judgement: High\n"
        "- 7 March 2027, 09:30 UTC: Medium; professional judgement: agreed with the level from the answers\n"
    ) in text
    assert opened(text)["opened"]["screenings"] == 2


def test_a_record_without_the_level_conforms_to_the_record_schema() -> None:
    import jsonschema

    from build_scripts.json_schemas import RECORD_SCHEMA

    schema = json.loads(RECORD_SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data_of(UNSCORED))) == []


def test_the_command_line_compares_with_a_record_without_the_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from screening_cli import cli

    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "minimal.yaml").write_text((DATA / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    answers, record = tmp_path / "answers.json", tmp_path / "record.txt"
    answers.write_text(json.dumps({"answers": {"b": True}}), encoding="utf-8")
    record.write_text(UNSCORED, encoding="utf-8")
    args = ["--protocols", str(folder), "assess", "minimal", "--answers", str(answers), "--previous", str(record)]
    assert cli.main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert (
        "- Level then (7 December 2026, 18:00 UTC): level not worked out on this device\n- Level now: Medium\n"
    ) in out
