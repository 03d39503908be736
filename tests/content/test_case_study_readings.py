"""The case studies' readings: the trainers' notes say once how a story is answered, and
every case study answers its story that way.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from screening import assess, load_protocol
from tests.content.test_sources_and_voice import CASE_STUDIES, PROTOCOLS
from tests.helpers.repository import ROOT

# The case studies' readings ----------------------------------------------------------------


def _answers(case_id: str, protocol: str) -> dict[str, object]:
    return dict(next(a.answers for a in CASE_STUDIES[case_id].answers if a.protocol == protocol))


def _level(case_id: str, protocol: str) -> str:
    return assess(PROTOCOLS[protocol], _answers(case_id, protocol)).level.id


def _notes(case_id: str) -> str:
    return " ".join(CASE_STUDIES[case_id].facilitator_notes)


TRAINERS_NOTES = (ROOT / "docs" / "trainers" / "index.md").read_text(encoding="utf-8")


def test_the_readings_are_written_once_in_the_trainers_notes() -> None:
    section = TRAINERS_NOTES.split("{#indicator-readings}")[1].split("\n## ")[0]
    for heading in ('"Unexplained" and "unknown sources"', "One fact, one item", "High/Significant", "Offences"):
        assert heading in section
    assert "Site note" in section


# Reading 1: a child's own account does not explain a gift, money or an injury.
GIFTS_EVERYWHERE = {
    "pan-lancashire": "gifts-unknown",
    "all-wales-seraf": "sig-money-items",
    "dfe-step-by-step": "gifts",
}
UNEXPLAINED = {
    "jade-groomed-by-a-man-of-22": GIFTS_EVERYWHERE,
    "lily-bus-station": GIFTS_EVERYWHERE,
    "reece-says-no-help-needed": {"all-wales-seraf": "sig-injuries", "dfe-step-by-step": "gifts"},
    "kayleigh-missing-from-care": {"pan-lancashire": "gifts-unknown", "all-wales-seraf": "sig-money-items"},
}


@pytest.mark.parametrize("case_id", sorted(UNEXPLAINED))
def test_reading_1_an_account_the_family_cannot_check_leaves_it_unexplained(case_id: str) -> None:
    for protocol, item in UNEXPLAINED[case_id].items():
        value = _answers(case_id, protocol).get(item)
        assert value not in (None, False, "not-present"), f"{case_id}: {protocol} leaves {item} out"


def test_reading_1_no_note_leaves_an_item_out_because_it_was_explained() -> None:
    pattern = re.compile(r"leaves? (it|them) (out|unticked)[^.]*because [^.]*(explanation|names the giver)", re.I)
    found = [case_id for case_id in CASE_STUDIES if pattern.search(_notes(case_id))]
    assert not found


# Reading 2: one fact, one item. Late returns kept apart from nights away only where the story
# gives both as separate facts.
LATE_RETURNS_AND_NIGHTS_AWAY = {"jade-groomed-by-a-man-of-22"}


def test_reading_2_no_fact_is_scored_twice() -> None:
    problems = []
    for case_id in CASE_STUDIES:
        seraf = _answers(case_id, "all-wales-seraf")
        pan = _answers(case_id, "pan-lancashire")
        nights_away = seraf.get("sig-missing-overnight", "not-present") != "not-present"
        if nights_away and seraf.get("vuln-missing-history"):
            problems.append(f"{case_id}: nights away are both a vulnerability and a significant indicator")
        if seraf.get("internet") and seraf.get("mobile-phone"):
            problems.append(f"{case_id}: the same contact is scored as internet and as phone use")
        late_seraf = bool(seraf.get("staying-out-late")) and nights_away
        late_pan = bool(pan.get("home-late")) and bool(pan.get("missing-frequent"))
        late = late_seraf or late_pan
        if late and case_id not in LATE_RETURNS_AND_NIGHTS_AWAY:
            problems.append(f"{case_id}: late returns and nights away are scored as two facts")
    assert not problems, "\n".join(problems)


def test_reading_2_the_separate_late_returns_are_in_the_story() -> None:
    for case_id in LATE_RETURNS_AND_NIGHTS_AWAY:
        story = CASE_STUDIES[case_id].story
        assert "after midnight" in story and "not come home at all" in story


def test_reading_4_similar_facts_give_the_same_sandwell_level() -> None:
    jade = _level("jade-groomed-by-a-man-of-22", "sandwell-nwg")
    assert jade == _level("shannon-sexual-health-clinic", "sandwell-nwg") == "high"


# Reading 5: evidence of an offence is answered as one, and never gives the lowest level.
OFFENCE_CASES = (
    "amira-withdrawn-disclosure",
    "ellie-position-of-trust",
    "shannon-sexual-health-clinic",
    "tyler-online-coercion",
)


@pytest.mark.parametrize("case_id", OFFENCE_CASES)
def test_reading_5_offences_are_answered_and_lift_every_level(case_id: str) -> None:
    assert _answers(case_id, "sandwell-nwg").get("offence-evidence") is True
    dfe = _answers(case_id, "dfe-step-by-step")
    assert dfe.get("sexual-activity") or dfe.get("position-of-trust")
    for protocol in PROTOCOLS:
        assert assess(PROTOCOLS[protocol], _answers(case_id, protocol)).level.rank > 0, (case_id, protocol)


def test_reading_6_a_level_that_rests_on_local_settings_says_so(protocol_data: dict[str, Any]) -> None:
    """Every Pan Lancashire Level 3 rests on the local 4-point setting; the notes must say so."""
    plain = copy.deepcopy(protocol_data["pan-lancashire"])
    plain["settings"]["more_sexual_factor_points"]["value"] = 1
    counting_one = load_protocol(plain)
    silent = []
    for case_id in CASE_STUDIES:
        level = _level(case_id, "pan-lancashire")
        plain_level = assess(counting_one, _answers(case_id, "pan-lancashire")).level.id
        if (level == "level-3" or level != plain_level) and "local setting" not in _notes(case_id):
            silent.append(f"{case_id}: {level} (every factor counting 1: {plain_level})")
    assert not silent, "\n".join(silent)


def test_the_notes_quote_the_seraf_score_the_engine_gives() -> None:
    wrong = []
    for case_id in CASE_STUDIES:
        score = assess(PROTOCOLS["all-wales-seraf"], _answers(case_id, "all-wales-seraf")).score
        notes = _notes(case_id)
        said = re.findall(r"(\d+) points?, Category", notes) + re.findall(r"score is (?:only )?(\d+)", notes)
        if said and str(score) not in said:
            wrong.append(f"{case_id}: notes say {said}, the engine gives {score}")
    assert not wrong, "\n".join(wrong)


def test_shannons_discussion_matches_her_story() -> None:
    case = CASE_STUDIES["shannon-sexual-health-clinic"]
    assert "a girl from her year" in case.story
    assert "younger friend" not in " ".join(case.discussion + case.facilitator_notes)
