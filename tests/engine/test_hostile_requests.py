"""Hostile and careless requests: every one gets the typed error envelope with this exact message.

One reader (screening.json_text) reads every request, for the page's worker and the
command line alike: duplicate keys, nesting, number size, request size, and control and
bidirectional characters in any text. The table runs in CPython and, through
tests/pyodide/test_pyodide.py, in Pyodide; a second test runs it through the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening import json_api
from screening.json_api import assess_json

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = (DATA / "minimal.json").read_text(encoding="utf-8")

DEEP = "line 1: nested more than 40 levels deep, the most this reader takes"
BIDI = "which can make text read differently from what it holds"

# (name, request text, error type, message)
HOSTILE: list[tuple[str, str, str, str]] = [
    # The examples.
    (
        "duplicate answer",
        '{"answers": {"phones": true, "phones": false}}',
        "RequestError",
        "line 1: duplicate key 'phones' in 'answers'",
    ),
    ("1,000 nested brackets", '{"answers": ' + "[" * 1000 + "]" * 1000 + "}", "RequestError", DEEP),
    (
        "a number of 4,301 digits",
        '{"answers": {"a": ' + "7" * 4301 + "}}",
        "RequestError",
        "line 1: a whole number may have at most 15 digits (this one has 4301)",
    ),
    # Duplicate keys anywhere.
    (
        "duplicate top-level key",
        '{"answers": {},\n"answers": {"a": true}}',
        "RequestError",
        "line 2: duplicate key 'answers'",
    ),
    (
        "duplicate key written two ways",
        '{"answers": {"a": true, "\\u0061": true}}',
        "RequestError",
        "line 1: duplicate key 'a' in 'answers'",
    ),
    (
        "duplicate seen key",
        '{"answers": {}, "seen": {"a": "x", "a": "y"}}',
        "RequestError",
        "line 1: duplicate key 'a' in 'seen'",
    ),
    (
        "duplicate judgement key",
        '{"answers": {}, "judgement": {"level": null, "level": "high"}}',
        "RequestError",
        "line 1: duplicate key 'level' in 'judgement'",
    ),
    (
        "duplicate record key",
        '{"answers": {}, "record": {"child": "A", "child": "B"}}',
        "RequestError",
        "line 1: duplicate key 'child' in 'record'",
    ),
    # Nesting.
    ("100,000 nested brackets", "[" * 100_000 + "]" * 100_000, "RequestError", DEEP),
    ("100,000 open braces", '{"a":' * 100_000, "RequestError", DEEP),
    ("41 deep", "[" * 41 + "]" * 41, "RequestError", DEEP),
    (
        "40 deep is read, then its shape is wrong",
        '{"answers": {}, "seen": {"a": ' + "[" * 38 + "]" * 38 + "}}",
        "RequestError",
        "'seen.a' must be text, not a list",
    ),
    # Numbers.
    (
        "16 digits",
        '{"answers": {"a": -1234567890123456}}',
        "RequestError",
        "line 1: a whole number may have at most 15 digits (this one has 16)",
    ),
    (
        "15 digits is read, then its type is wrong",
        '{"answers": {"a": 123456789012345}}',
        "AnswerTypeError",
        "item 'a' takes true or false, not 123456789012345",
    ),
    (
        "a long decimal",
        '{"answers": {"a": 0.12345678901234567890}}',
        "RequestError",
        "line 1: a number may have at most 15 digits (this one has 21)",
    ),
    (
        "too large a number",
        '{"answers": {"a": 1e999}}',
        "RequestError",
        "line 1: '1e999' is not a number this reader takes",
    ),
    (
        "too small a number",
        '{"answers": {"a": -1e999}}',
        "RequestError",
        "line 1: '-1e999' is not a number this reader takes",
    ),
    ("NaN", '{"answers": {"a": NaN}}', "RequestError", "line 1: not valid JSON: NaN is not a value JSON has"),
    (
        "Infinity",
        '{"answers": {"a": Infinity}}',
        "RequestError",
        "line 1: not valid JSON: Infinity is not a value JSON has",
    ),
    (
        "-Infinity",
        '{"answers": {"a": -Infinity}}',
        "RequestError",
        "line 1: not valid JSON: -Infinity is not a value JSON has",
    ),
    # Size.
    (
        "over 1 MB",
        '{"answers": {}, "strengths": "' + "x" * 1_000_000 + '"}',
        "RequestError",
        "the request is larger than 1 MB, the most the engine takes",
    ),
    (
        "over 1 MB as UTF-8, under a million characters",
        '{"answers": {}, "strengths": "' + "é" * 600_000 + '"}',
        "RequestError",
        "the request is larger than 1 MB, the most the engine takes",
    ),
    # Control characters, written raw or escaped, in values and in keys.
    (
        "bell in strengths",
        '{"answers": {}, "strengths": "a\x07b"}',
        "RequestError",
        "line 1: 'strengths' may not hold the control character U+0007",
    ),
    (
        "escaped NUL in a reason",
        '{"answers": {}, "judgement": {"reason": "a\\u0000"}}',
        "RequestError",
        "line 1: 'judgement.reason' may not hold the control character U+0000",
    ),
    (
        "carriage return in what was seen",
        '{"answers": {},\n"seen": {"a": "Monday\\r\\nTuesday"}}',
        "RequestError",
        "line 2: 'seen.a' may not hold the control character U+000D",
    ),
    (
        "escape sequence in an item id",
        '{"answers": {"\\u001b[31mred": true}}',
        "RequestError",
        "line 1: a key in 'answers' may not hold the control character U+001B",
    ),
    (
        "DEL in the record",
        '{"answers": {}, "record": {"agency": "x\\u007f"}}',
        "RequestError",
        "line 1: 'record.agency' may not hold the control character U+007F",
    ),
    (
        "C1 next line in the record",
        '{"answers": {}, "record": {"child": "\\u0085"}}',
        "RequestError",
        "line 1: 'record.child' may not hold the control character U+0085",
    ),
    (
        "a control character in a top-level key",
        '{"answers": {}, "x\\u0001": 1}',
        "RequestError",
        "line 1: a key may not hold the control character U+0001",
    ),
    (
        "a control character in a list",
        '{"answers": {"a": ["ok", "\\u0002"]}}',
        "RequestError",
        "line 1: 'answers.a[1]' may not hold the control character U+0002",
    ),
    (
        "half of a character pair",
        '{"answers": {}, "strengths": "\\ud800"}',
        "RequestError",
        "line 1: 'strengths' may not hold U+D800, half of a character pair",
    ),
    # Bidirectional overrides and isolates, every one of them.
    *[
        (
            f"U+{code:04X} in strengths",
            json.dumps({"answers": {}, "strengths": f"name{chr(code)}txt.exe"}, ensure_ascii=False),
            "RequestError",
            f"line 1: 'strengths' may not hold the bidirectional control character U+{code:04X}, {BIDI}",
        )
        for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
    ],
    (
        "right-to-left override escaped in a seen note",
        '{"answers": {}, "seen": {"a": "\\u202eyadnoM"}}',
        "RequestError",
        f"line 1: 'seen.a' may not hold the bidirectional control character U+202E, {BIDI}",
    ),
    (
        "right-to-left override in an item id",
        '{"answers": {"\u202ea": true}}',
        "RequestError",
        f"line 1: a key in 'answers' may not hold the bidirectional control character U+202E, {BIDI}",
    ),
    (
        "first problem in the text wins",
        '{"answers": {"a": true, "a": true},\n"strengths": "\u202e"}',
        "RequestError",
        "line 1: duplicate key 'a' in 'answers'",
    ),
    # Broken JSON still says so.
    ("empty", "", "RequestError", "line 1: not valid JSON: Expecting value"),
    ("cut short", '{"answers": ', "RequestError", "line 1: not valid JSON: Expecting value"),
    ("two values", '{"answers": {}} {}', "RequestError", "line 1: not valid JSON: Extra data"),
    (
        "broken before a duplicate",
        '{"answers": x, "answers": {}}',
        "RequestError",
        "line 1: not valid JSON: Expecting value",
    ),
]


def _reply(protocol: Any, request: Any) -> dict[str, Any]:
    text = assess_json(protocol, request)
    assert isinstance(text, str)
    reply: dict[str, Any] = json.loads(text)
    return reply


@pytest.mark.pyodide_too
@pytest.mark.parametrize(("name", "request_text", "kind", "message"), HOSTILE, ids=[row[0] for row in HOSTILE])
def test_a_hostile_request_gets_one_typed_message(name: str, request_text: str, kind: str, message: str) -> None:
    reply = _reply(MINIMAL, request_text)
    assert reply["ok"] is False, name
    assert (reply["error"]["type"], reply["error"]["message"]) == (kind, message), name


@pytest.mark.pyodide_too
def test_tab_and_line_break_are_kept_in_text() -> None:
    request = {"answers": {"a": True}, "seen": {"a": "Monday\tbus\nTuesday\ttrain"}, "strengths": "a\nb"}
    reply = _reply(MINIMAL, json.dumps(request))
    present = next(s for s in reply["result"]["report"] if s["id"] == "present")
    assert present["lines"][0]["items"] == ["What was seen and when: Monday\tbus\nTuesday\ttrain"]


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("protocol", "request_text", "kind", "message"),
    [
        (MINIMAL, None, "RequestError", "the request must be JSON text, not NoneType"),
        (MINIMAL, b'{"answers": {}}', "RequestError", "the request must be JSON text, not bytes"),
        (None, '{"answers": {}}', "ProtocolError", "the compiled protocol must be JSON text, not NoneType"),
        (
            "[" * 100_000,
            '{"answers": {}}',
            "ProtocolError",
            "the compiled protocol is not valid JSON: line 1: nested more than 40 levels deep, the most this reader takes",
        ),
        (
            '{"id": "x", "id": "y"}',
            '{"answers": {}}',
            "ProtocolError",
            "the compiled protocol is not valid JSON: line 1: duplicate key 'id'",
        ),
    ],
)
def test_what_is_not_text_or_not_a_protocol_is_an_envelope(
    protocol: Any, request_text: Any, kind: str, message: str
) -> None:
    reply = _reply(protocol, request_text)
    assert reply["error"]["type"] == kind and reply["error"]["message"] == message


@pytest.mark.pyodide_too
def test_loaded_protocols_are_a_small_cache_of_the_last_used() -> None:
    data = json.loads(MINIMAL)
    first = MINIMAL
    assert _reply(first, '{"answers": {}}')["ok"] is True
    for n in range(2000):
        variant = json.dumps({**data, "title": f"Minimal {n}"})
        reply = _reply(variant, '{"answers": {"b": true}}')
        assert reply["result"]["title"] == f"Minimal {n}"
        assert len(json_api._loaded) <= json_api.CACHED_PROTOCOLS == 8
        if n % 5 == 0:  # used often, so it is never the least recently used
            assert _reply(first, '{"answers": {}}')["ok"] is True
            assert first in json_api._loaded
    assert first in json_api._loaded
    for n in range(8):
        _reply(json.dumps({**data, "title": f"Again {n}"}), '{"answers": {}}')
    assert first not in json_api._loaded


def test_many_protocols_do_not_grow_memory() -> None:
    import gc
    import tracemalloc

    data = json.loads(MINIMAL)
    # Large protocols, so that keeping them would show: about 50 kB of text each, 20 MB in all.
    padding = {"caveats": ["A caveat that is long enough to weigh something. " * 20] * 50}
    tracemalloc.start()
    try:
        for n in range(50):
            _reply(json.dumps({**data, **padding, "title": f"Warm {n}"}), '{"answers": {}}')
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(400):
            _reply(json.dumps({**data, **padding, "title": f"Minimal {n}"}), '{"answers": {}}')
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 5_000_000, f"memory grew by {after - before:,} bytes"


def test_the_command_line_reads_a_request_as_the_engine_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same table through ``assess --answers FILE``: the engine's message, its line as FILE:LINE."""
    from screening_cli import cli

    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "minimal.yaml").write_text((DATA / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "request.json"
    for name, request_text, _, message in HOSTILE:
        path.write_bytes(request_text.encode("utf-8", "surrogatepass"))
        code = cli.main(["--protocols", str(folder), "assess", "minimal", "--answers", str(path)])
        out, err = capsys.readouterr()
        if message.startswith("line "):
            line, _, rest = message.removeprefix("line ").partition(": ")
            expected = f"{path}:{line}: {rest}"
        elif message.startswith(("item ", "'")) and "must be" not in message:
            expected = message
        else:
            expected = f"{path}: {message}"
        assert (code, out) == (2, ""), name
        assert err == f"error: {expected}\n", name
