"""The site's safeguard is declared on the rule (``firm: true``), never decided by a rule's id."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from screening.json_api import assess_json

# Which rules of each bundled protocol are firm: immediate danger, a disclosure, an offence,
# and every urgent rule. A change here is a change to the safeguard, made on purpose.
FIRM = {
    "pan-lancashire": ["immediate-danger", "disclosure"],
    "sandwell-nwg": ["immediate-danger", "offence"],
    "all-wales-seraf": ["immediate-danger", "withdrawn-allegation", "abuse-by-controlling-adult"],
    "dfe-step-by-step": ["immediate-danger", "offence-under-16", "position-of-trust", "no-true-consent"],
}


def reply(protocol: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(assess_json(json.dumps(protocol), json.dumps(request)))
    assert out["ok"], out
    return out


def test_the_firm_rules_of_each_bundled_protocol(protocol_data: dict[str, dict[str, Any]]) -> None:
    assert sorted(protocol_data) == sorted(FIRM)
    for protocol_id, data in protocol_data.items():
        firm = [rule["id"] for rule in data["rules"] if rule.get("firm")]
        assert firm == FIRM[protocol_id], protocol_id
        urgent = [rule["id"] for rule in data["rules"] if rule.get("urgent")]
        assert urgent == ["immediate-danger"] and set(urgent) <= set(firm), protocol_id


def test_every_bundled_protocol_asks_the_immediate_danger_question_first(
    protocol_data: dict[str, dict[str, Any]],
) -> None:
    for protocol_id, data in protocol_data.items():
        first_group = data["groups"][0]
        assert first_group["id"] == "immediate-safety" and "Site note" in first_group["description"], protocol_id
        item = next(i for i in data["items"] if i["id"] == "immediate-danger")
        assert item["group"] == "immediate-safety" and item["source"].startswith("the site"), protocol_id
        result = reply(data, {"answers": {"immediate-danger": True}})["result"]
        assert result["level"]["place"] == "highest", protocol_id
        assert result["urgent"] and result["urgent_notes"][0].startswith("Site note: if a child is in immediate danger")
        assert result["confirm_below"]["rules"] == ["immediate-danger"], protocol_id


def _firm_answers(protocol_id: str) -> dict[str, Any]:
    """Answers that make each protocol's firm rules (other than immediate danger) hold."""
    return {
        "pan-lancashire": {"disclosure": True},
        "sandwell-nwg": {"offence-evidence": True},
        "all-wales-seraf": {"withdrawn-allegation": True},
        "dfe-step-by-step": {"sexual-activity": True, "age": "13-15"},
    }[protocol_id]


@pytest.mark.parametrize("protocol_id", sorted(FIRM))
def test_renaming_a_firm_rule_keeps_its_behaviour(protocol_id: str, protocol_data: dict[str, dict[str, Any]]) -> None:
    original = protocol_data[protocol_id]
    renamed = copy.deepcopy(original)
    old = FIRM[protocol_id][1]
    rule = next(r for r in renamed["rules"] if r["id"] == old)
    rule["id"] = "renamed-rule"
    lowest = original["levels"][0]["id"]
    for judgement in ({}, {"level": lowest, "reason": "Known to the team"}, {"level": lowest, "confirmed": True}):
        request = {"answers": _firm_answers(protocol_id), "judgement": judgement}
        before = reply(original, request)["result"]
        after = reply(renamed, request)["result"]
        assert before["confirm_below"] is not None and old in before["confirm_below"]["rules"]
        renamed_back = [old if r == "renamed-rule" else r for r in after["confirm_below"]["rules"]]
        assert {**after["confirm_below"], "rules": renamed_back} == before["confirm_below"]
        assert after["judgement"] == before["judgement"]
        assert [s for s in after["report"] if s["id"] == "judgement"] == [
            s for s in before["report"] if s["id"] == "judgement"
        ]
    assert before["judgement"]["below"] and before["judgement"]["status"] == "incomplete"
    assert [n["field"] for n in before["judgement"]["needs"]] == ["reason"]


@pytest.mark.parametrize("protocol_id", sorted(FIRM))
def test_a_rule_that_is_not_firm_sets_no_level_to_confirm(
    protocol_id: str, protocol_data: dict[str, dict[str, Any]]
) -> None:
    data = copy.deepcopy(protocol_data[protocol_id])
    for rule in data["rules"]:
        if rule["id"] == FIRM[protocol_id][1]:
            del rule["firm"]
    lowest = data["levels"][0]["id"]
    result = reply(data, {"answers": _firm_answers(protocol_id), "judgement": {"level": lowest, "reason": "r"}})
    assert result["result"]["confirm_below"] is None
    assert result["result"]["judgement"]["status"] == "stands" and not result["result"]["judgement"]["below"]
