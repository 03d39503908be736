"""The result JSON's reasons for a level: a scored band, and the level a judgement confirms to go below."""

from __future__ import annotations

import json
from typing import Any

from screening.json_api import assess_json


def ask(protocol: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(assess_json(json.dumps(protocol), json.dumps({"answers": answers})))
    assert reply["ok"], reply
    result: dict[str, Any] = reply["result"]
    return result


def test_a_band_that_sets_the_level_is_given_as_its_reason(protocol_data: dict[str, dict[str, Any]]) -> None:
    result = ask(protocol_data["all-wales-seraf"], {})
    assert result["band_reason"]["lifted"] is False
    assert result["band_reason"]["level"] == result["level"]["id"] == "category-1"
    level = next(section for section in result["report"] if section["id"] == "level")
    assert [line["text"] for line in level["lines"]][1] == result["band_reason"]["says"]
    assert "A rule lifts" not in json.dumps(result["report"])


def test_a_rule_that_lifts_the_level_above_the_band_says_so(protocol_data: dict[str, dict[str, Any]]) -> None:
    result = ask(protocol_data["all-wales-seraf"], {"immediate-danger": True})
    reason = result["band_reason"]
    assert reason["level"] == "category-1" and result["level"]["id"] == "category-4"
    assert reason["lifted"] is True
    assert reason["says"].startswith("A rule lifts the level above the band")
    level = next(section for section in result["report"] if section["id"] == "level")
    assert level["lines"][1] == {"text": reason["says"], "items": []}  # every view says it, from the report


def test_unscored_protocols_have_no_band_reason(protocol_data: dict[str, dict[str, Any]]) -> None:
    assert ask(protocol_data["pan-lancashire"], {"phones": True})["band_reason"] is None


def test_firm_rules_set_a_level_to_confirm_below(protocol_data: dict[str, dict[str, Any]]) -> None:
    disclosed = ask(protocol_data["pan-lancashire"], {"disclosure": True})
    assert disclosed["confirm_below"]["level"] == disclosed["level"]["id"] == "level-4"
    assert disclosed["confirm_below"]["rules"] == ["disclosure"]
    offence = ask(protocol_data["sandwell-nwg"], {"offence-evidence": True})
    assert offence["confirm_below"]["level"] == "medium" and offence["confirm_below"]["rules"] == ["offence"]
    urgent = ask(protocol_data["dfe-step-by-step"], {"immediate-danger": True})
    assert urgent["urgent"] and urgent["confirm_below"]["rank"] == urgent["level"]["rank"]
    assert ask(protocol_data["pan-lancashire"], {"phones": True})["confirm_below"] is None
