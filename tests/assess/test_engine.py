"""The assessment on real channel models (the fast ones), with costs, evidence and what-if."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corridor.assess import Evidence, Item, assess
from corridor.assess.allocate import suggest
from corridor.assess.engine import what_if
from corridor.channels import Activity
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES

DRAWS = 40


def _speaker(i, lon, lat):
    return Activity.create("loudspeaker", {"lon": lon, "lat": lat, "sound_power_db": 170, "azimuth_deg": 0,
                                           "period": "night"}, id=f"ls{i}",
                           start=datetime(2024, 7, 21, 13, tzinfo=UTC), title=f"array {i}")


def _shipment(i, crossing, devices):
    return Activity.create("border", {"crossing": crossing, "devices": devices, "medium": "usb", "content_gb": 16,
                                      "days": 60, "sharing": True, "parameters": {}}, id=f"b{i}",
                           start=datetime(2026, 3, 1, tzinfo=UTC), title=f"shipment {i}")


@pytest.fixture(scope="module")
def items():
    return [Item(_speaker(1, 126.70, 37.90), 2000.0, "speakers", "Org A", 1),
            Item(_speaker(2, 127.05, 38.10), 2000.0, "speakers", "Org A", 1),
            Item(_shipment(1, "hyesan", 1000), 15000.0, "usb", "Org B", 2),
            Item(_shipment(2, "sinuiju_dandong", 2000), 20000.0, "usb", "Org B", 2),
            Item(_shipment(3, "hyesan", 500), None, "usb small", "Org C", 3)]


@pytest.fixture(scope="module")
def assessment(items, grid):
    return assess(items, grid, draws=DRAWS, scheduler="sync")


def test_coalition_is_between_its_largest_channel_and_the_sum(assessment):
    r = assessment.as_dict()
    ch = r["channels"]
    assert set(ch) == {"loudspeaker", "border"}
    for q in ("reached_median", "reached_lower90", "reached_upper90"):
        largest = max(v[q] for v in ch.values())
        total = sum(v[q] for v in ch.values())
        assert largest - 1 <= r["coalition"][q] <= total + 1, q
    # province medians roughly add up to the whole (medians of sums are not sums of medians)
    assert sum(p["reached_median"] for p in r["provinces"]) == pytest.approx(r["coalition"]["reached_median"], rel=0.1)
    assert [p["province"] for p in r["provinces"]] == list(PROVINCES)


def test_costs_and_cost_per_person(assessment):
    r = assessment.as_dict()
    border = r["channels"]["border"]
    assert border["cost_usd"] == 35000.0 and border["activities_without_cost"] == 1
    assert border["cost_per_person_usd"] == pytest.approx(35000.0 / border["reached_median"])
    assert border["cost_per_person_lower90"] == pytest.approx(35000.0 / border["reached_upper90"])
    assert r["coalition"]["cost_usd"] == 39000.0
    names = {c["name"] for c in r["campaigns"]}
    assert names == {"speakers", "usb", "usb small"}
    orgs = {o["name"]: o for o in r["organisations"]}
    assert orgs["Org B"]["reached_median"] >= max(a["reached_median"] for a in r["activities"] if a["id"] in ("b1", "b2")) - 1


def test_identical_activities_share_one_coverage(items, grid):
    twin = Item(_speaker(9, 126.70, 37.90), 2000.0, "speakers", "Org A", 1)   # same spec as ls1, other id
    a = assess([items[0], twin], grid, draws=DRAWS, scheduler="sync")
    assert a.key_of["ls1"] == a.key_of["ls9"] and len(a.probability) == 1
    # rho 0.8 for loudspeakers: the twin adds only the independent fifth of the union
    one = a.as_dict()["activities"][0]["reached_median"]
    both = a.as_dict()["channels"]["loudspeaker"]["reached_median"]
    assert one < both < 1.25 * one


def test_what_if_removes_and_repeats_without_changing_the_assessment(assessment):
    base = assessment.as_dict()["coalition"]["reached_median"]
    off = what_if(assessment, {"b1": 0, "b2": 0, "b3": 0})
    assert "border" not in off["channels"]
    assert off["coalition"]["reached_median"] == pytest.approx(off["channels"]["loudspeaker"]["reached_median"])
    more = what_if(assessment, {"b2": 3})
    assert more["coalition"]["change_median"] > 0 and more["channels"]["border"]["cost_usd"] == 75000.0
    assert assessment.as_dict()["coalition"]["reached_median"] == base
    with pytest.raises(CorridorError, match="no such activity"):
        what_if(assessment, {"nope": 1})


def test_budget_suggestion_spends_within_budget_with_diminishing_gains(assessment):
    plan = suggest(assessment, 60000)
    assert 0 < plan["spent_usd"] <= 60000
    assert sum(s["cost_usd"] for s in plan["steps"]) == plan["spent_usd"]
    per_dollar = [s["new_people_median"] / s["cost_usd"] for s in plan["steps"]]
    assert per_dollar == sorted(per_dollar, reverse=True) or len(per_dollar) < 2
    assert all(s["activity"] != "b3" for s in plan["steps"])     # no cost, cannot be priced
    with pytest.raises(CorridorError, match="positive"):
        suggest(assessment, -5)


def test_evidence_caps_the_model_and_reports_disagreement(items, grid):
    low = {"share": 0.001, "lower90": 0.0005, "upper90": 0.002,
           "provinces": {p: {"share": 0.001, "lower90": 0.0005, "upper90": 0.002} for p in PROVINCES}}
    ev = Evidence(exposure={"usb_sd": low}, year=2019, respondents=1000, synthetic=True)
    capped = assess(items, grid, evidence=ev, draws=DRAWS, scheduler="sync").as_dict()
    free = assess(items, grid, draws=DRAWS, scheduler="sync").as_dict()
    b_cap, b_free = capped["channels"]["border"], free["channels"]["border"]
    assert b_cap["reached_median"] < b_free["reached_median"]
    assert b_cap["reached_median"] <= 0.003 * capped["coalition"]["population"]   # the survey's ceiling
    assert b_cap["evidence"]["disagreement"] == "model_above_survey"
    assert b_cap["modelled_median"] == pytest.approx(b_free["reached_median"], rel=1e-6)
    assert capped["channels"]["loudspeaker"]["evidence"] is None        # no survey measure
    assert "SYNTHETIC" in capped["assumptions"]["evidence"]


def test_bad_input_is_a_clear_error(items, grid):
    with pytest.raises(CorridorError, match="nothing to assess"):
        assess([], grid)
    with pytest.raises(CorridorError, match="same id"):
        assess([items[0], items[0]], grid, draws=DRAWS, scheduler="sync")
    with pytest.raises(CorridorError, match="too few draws"):
        assess(items, grid, draws=5)
    with pytest.raises(CorridorError, match="scheduler"):
        assess(items, grid, draws=DRAWS, scheduler="udp://nowhere", use_cache=False)


def test_the_assumption_notes_read_in_korean(assessment):
    from corridor.assess.engine import assumption_notes

    en, ko = assumption_notes(assessment), assumption_notes(assessment, "ko")
    assert en == assessment.as_dict()["assumptions"]              # the JSON keeps the English notes
    assert set(ko) == set(en)
    for key in ko:
        assert ko[key] != en[key] and any("\uac00" <= ch <= "\ud7a3" for ch in ko[key]), key
    assert str(assessment.draws) in ko["draws"] and assessment.grid.key in ko["population"]
    assert "확성기" in ko["overlap"]                               # channel names from the one place


def test_the_budget_suggestion_is_explained_in_either_language(assessment):
    from corridor.channels import channel_title
    from corridor.presentation import formatting
    from corridor.presentation.suggestion import explanation

    plan = suggest(assessment, 60000)
    assert plan["steps"] and plan["top_channel"] in plan["by_channel_usd"]
    en, ko = explanation(plan, "en"), explanation(plan, "ko")
    assert en.startswith("Spending " + formatting.usd(plan["spent_usd"], "en"))
    assert channel_title(plan["top_channel"], "en") in en and channel_title(plan["top_channel"], "ko") in ko
    assert formatting.people(plan["new_people_total_median"], "ko") in ko
    assert explanation({**plan, "steps": []}, "ko") != explanation({**plan, "steps": []}, "en")
