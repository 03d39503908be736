"""``python -m screening``: the JSON contract, and bad input exiting 2 with one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.repository import ROOT

DATA = Path(__file__).resolve().parents[1] / "data"


def run(
    *args: str, stdin: str | None = None, cwd: Path = ROOT, protocols: Path | None = None
) -> subprocess.CompletedProcess[str]:
    where = ["--protocols", str(protocols)] if protocols else []
    return subprocess.run(
        [sys.executable, "-m", "screening", *where, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_list_json() -> None:
    out = run("list", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"id": "pan-lancashire", "title": "Pan Lancashire risk sensible screening", "version": "1.1.0"} in rows
    assert all(set(row) == {"id", "title", "version"} for row in rows)


def test_show_json_levels_lowest_first() -> None:
    out = run("show", "pan-lancashire", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["id"], data["version"]) == ("pan-lancashire", "1.1.0")
    assert [lv["id"] for lv in data["levels"]] == ["level-1", "level-2", "level-3", "level-4"]
    assert len([i for i in data["items"] if i["group"] == "high-risk"]) == 13
    assert len([i for i in data["items"] if i["group"] == "underlying"]) == 16
    assert all({"id", "text", "group"} <= set(i) for i in data["items"])


def test_assess_json(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"phones": True, "bereavement": True}}))
    out = run("assess", "pan-lancashire", "--answers", str(answers), "--json")
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert reply["ok"] is True
    data = reply["result"]
    assert data["protocol"] == "pan-lancashire" and data["version"] == "1.1.0"
    assert data["level"] == {
        "id": "level-4",
        "label": "Level 4 – Risk of harm from CSE is highly likely",
        "rank": 3,
        "of": 4,
        "place": "highest",
        "position": "level 4 of 4, the highest",
    }
    assert data["score"] is None
    assert data["fired"][0]["rule"] == "high-risk-indicator"
    assert [i["id"] for i in data["fired"][0]["items"]] == ["phones"]
    assert data["next_steps"][0].startswith("The appropriate response at this level")


def test_assess_json_prints_exactly_what_the_engine_contract_returns(tmp_path: Path) -> None:
    from screening.json_api import assess_json
    from screening_cli.dumping import compiled_json
    from screening_cli.protocol_files import find_protocol

    request = json.dumps({"answers": {"phones": True, "bereavement": True}})
    out = run("assess", "pan-lancashire", "--answers", "-", "--json", stdin=request)
    expected = assess_json(compiled_json(find_protocol(ROOT / "protocols", "pan-lancashire")), request)
    assert json.loads(out.stdout) == json.loads(expected)


def test_assess_json_error_is_the_same_envelope_naming_the_item() -> None:
    out = run("assess", "pan-lancashire", "--answers", "-", "--json", stdin='{"answers": {"phones": "yes"}}')
    assert out.returncode == 2
    error = json.loads(out.stdout)["error"]
    assert (error["type"], error["item"]) == ("AnswerTypeError", "phones")
    assert out.stderr.strip() == "error: item 'phones' takes true or false, not 'yes'"


def test_assess_text_says_what_the_page_says() -> None:
    out = run("assess", "minimal", "--answers", "-", stdin='{"answers": {"when": "now"}}', protocols=DATA)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[:9] == [
        "Act now",
        "- Act today.",
        "",
        "Level from the answers",
        "- High (level 3 of 3, the highest)",
        "",
        "Professional judgement",
        "- Agrees with the level from the answers",
        "",
    ]


def test_assess_text_is_the_report_as_it_is_section_by_section() -> None:
    request = {
        "answers": {"disclosure": True, "bereavement": True},
        "seen": {"disclosure": "Told her teacher on Monday"},
        "strengths": "Close to her aunt",
        "judgement": {"level": "level-3", "reason": "  Disclosure retracted the same day ", "confirmed": True},
        "record": {"child": "K-12"},
    }
    text = run("assess", "pan-lancashire", "--answers", "-", stdin=json.dumps(request))
    as_json = run("assess", "pan-lancashire", "--answers", "-", "--json", stdin=json.dumps(request))
    assert text.returncode == as_json.returncode == 0, text.stderr
    report = json.loads(as_json.stdout)["result"]["report"]
    expected: list[str] = []
    for section in report:
        expected += [""] if expected else []
        expected.append(section["heading"])
        for line in section["lines"]:
            expected.append(f"- {line['text']}")
            expected += [f"  - {item}" for item in line["items"]]
    assert text.stdout.splitlines() == expected
    assert [s["id"] for s in report] == [
        "level",
        "judgement",
        "why",
        "present",
        "strengths",
        "next-steps",
        "caveats",
        "record",
    ]
    lines = text.stdout.splitlines()
    assert "- Reason: Disclosure retracted the same day" in lines
    assert lines[lines.index("- Direct disclosure of victimisation by a child or young person") + 1] == (
        "  - What was seen and when: Told her teacher on Monday"
    )
    assert "- Close to her aunt" in lines and "- Child's reference: K-12" in lines and "- Agency: not given" in lines
    assert any(line.endswith("The practitioner confirmed the lower level.") for line in lines)


def test_assess_reads_the_judgement_from_the_request() -> None:
    request = {"answers": {"disclosure": True}, "judgement": {"level": "level-1"}}
    out = run("assess", "pan-lancashire", "--answers", "-", "--json", stdin=json.dumps(request))
    judgement = json.loads(out.stdout)["result"]["judgement"]
    assert judgement["status"] == "incomplete" and judgement["below"] is True
    assert [need["field"] for need in judgement["needs"]] == ["reason", "confirmation"]


def test_a_bad_judgement_is_one_line_naming_the_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": {}, "judgement": {"level": "level-9"}}', encoding="utf-8")
    out = run("assess", "pan-lancashire", "--answers", str(answers))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"error: {answers}: judgement.level 'level-9' is not a level (levels: level-1,")
    assert len(out.stderr.splitlines()) == 1


def test_assess_reads_standard_input() -> None:
    out = run("assess", "pan-lancashire", "--answers", "-", "--json", stdin='{"answers": {}}')
    assert out.returncode == 0
    assert json.loads(out.stdout)["result"]["level"]["rank"] == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("assess", "pan-lancashire", "--answers", "-"),
            '{"answers": {"nope": true}}',
            "error: 'nope' is not an item of protocol 'pan-lancashire'",
        ),
        (
            ("assess", "pan-lancashire", "--answers", "-"),
            '{"answers": {"phones": "yes"}}',
            "error: item 'phones' takes true or false, not 'yes'",
        ),
        (
            ("assess", "pan-lancashire", "--answers", "-"),
            '{"answers": ',
            "error: standard input:1: not valid JSON: Expecting value",
        ),
        (
            ("assess", "pan-lancashire", "--answers", "-"),
            '{"phones": true}',
            "error: standard input: unknown key 'phones' in the request (expected one of: answers, seen, strengths,",
        ),
        (
            ("assess", "pan-lancashire", "--answers", "/no/such/file.json"),
            None,
            "error: cannot read answers file /no/such/file.json: No such file or directory",
        ),
        (
            ("assess", "nowhere", "--answers", "-"),
            '{"answers": {}}',
            "error: no protocol 'nowhere' in protocols (known: ",
        ),
        (("show", "nowhere"), None, "error: no protocol 'nowhere' in protocols (known: "),
        (
            ("assess", "pan-lancashire"),
            None,
            "python -m screening assess: error: the following arguments are required: --answers (see --help)",
        ),
        (("frobnicate",), None, "python -m screening: error: argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], stdin: str | None, message: str) -> None:
    out = run(*args, stdin=stdin)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_validate_ok() -> None:
    out = run("validate")
    assert out.returncode == 0
    assert "protocol files valid" in out.stdout


def test_validate_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "minimal.yaml"
    bad.write_text((DATA / "minimal.yaml").read_text().replace("then: medium", "then: middling"))
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert f"{bad}:50: rule 'any-sign' names level 'middling', which does not exist" in out.stderr.splitlines()


def test_commands_using_a_broken_folder_exit_2_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "minimal.yaml").write_text("id: minimal\n")
    out = run("--protocols", str(tmp_path), "list", "--json")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "minimal.yaml:1: the protocol is missing the key 'title'" in out.stderr


def test_every_case_prints_its_report_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], protocol_data: dict[str, Any]
) -> None:
    """Each case table's answers through the command line: the text is the report, section by section."""
    from screening.json_api import assess_json
    from screening.report import report_text
    from screening_cli import cli
    from tests.helpers.repository import case_tables

    checked = 0
    for table in case_tables():
        for case in table["cases"]:
            if "error" in case:
                continue
            request = tmp_path / "request.json"
            request.write_text(json.dumps({"answers": case["answers"]}), encoding="utf-8")
            code = cli.main(
                ["--protocols", str(ROOT / "protocols"), "assess", table["protocol"], "--answers", str(request)]
            )
            out = capsys.readouterr().out
            reply = json.loads(assess_json(json.dumps(protocol_data[table["protocol"]]), request.read_text("utf-8")))
            assert code == 0 and out == report_text(reply["result"]["report"]), case["name"]
            blocks = out.split("\n\n")
            assert [block.splitlines()[0] for block in blocks] == [s["heading"] for s in reply["result"]["report"]]
            checked += 1
    assert checked > 100
