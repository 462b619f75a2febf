"""The assessment by content theme: each person once, between the largest activity and the sum,
the cost divided by the theme's share, gaps by theme, and the what-if by theme."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corridor.assess import Item, assess
from corridor.assess.engine import what_if
from corridor.channels import Activity

DRAWS = 40
Q = ("reached_median", "reached_lower90", "reached_upper90")


def _speaker(i, lon, lat, themes):
    return Activity.create("loudspeaker", {"lon": lon, "lat": lat, "sound_power_db": 170, "azimuth_deg": 0,
                                           "period": "night"}, id=f"ls{i}",
                           start=datetime(2024, 7, 21, 13, tzinfo=UTC), title=f"array {i}", themes=themes)


@pytest.fixture(scope="module")
def items():
    return [Item(_speaker(1, 126.70, 37.90, {"world_news": 0.5, "entertainment": 0.5}), 2000.0, "s", "Org A", 1),
            Item(_speaker(2, 127.05, 38.10, {"world_news": None}), 3000.0, "s", "Org A", 1),
            Item(_speaker(3, 126.95, 37.95, {"unknown": None}), None, "s", "Org B", 2),
            Item(_speaker(4, 128.30, 38.60, {}), 1000.0, "s", "Org B", 2)]


@pytest.fixture(scope="module")
def result(items, grid):
    a = assess(items, grid, draws=DRAWS, scheduler="sync")
    return a, a.as_dict()


def _activity(r, aid):
    return next(x for x in r["activities"] if x["id"] == aid)


def test_a_theme_counts_each_person_once_between_its_largest_activity_and_the_sum(result):
    _a, r = result
    t = r["themes"]
    assert set(t) == {"world_news", "entertainment", "unknown"}          # no theme for the untagged one
    one, two = _activity(r, "ls1"), _activity(r, "ls2")
    for q in Q:
        largest, total = max(one[q], two[q]), one[q] + two[q]
        assert largest - 1 <= t["world_news"][q] <= total + 1, q
        assert t["entertainment"][q] == pytest.approx(one[q], rel=1e-6, abs=1)
    assert t["world_news"]["activities"] == 2 and t["world_news"]["channels"] == ["loudspeaker"]


def test_the_cost_of_a_theme_is_its_share_of_each_activity(result):
    _a, r = result
    t = r["themes"]
    assert t["world_news"]["cost_usd"] == pytest.approx(0.5 * 2000 + 3000)
    assert t["entertainment"]["cost_usd"] == pytest.approx(1000)
    assert t["unknown"]["cost_usd"] is None and t["unknown"]["activities_without_cost"] == 1


def test_gaps_by_theme_name_provinces_and_silent_hours(result):
    _a, r = result
    g = r["themes"]["entertainment"]
    assert len(g["provinces_least_reached"]) == 3
    assert g["hours_without_broadcast_kst"] == list(range(24))           # loudspeakers are not radio
    assert "themes" in r["assumptions"] and "version" in r["assumptions"]["themes"]


def test_the_what_if_answers_by_theme(result):
    a, r = result
    off = what_if(a, {"ls1": 0})
    assert "entertainment" not in off["themes"]
    assert off["themes"]["world_news"]["reached_median"] <= r["themes"]["world_news"]["reached_median"] + 1
    assert off["themes"]["world_news"]["cost_usd"] == pytest.approx(3000)


def test_the_survey_by_theme_sits_beside_the_modelled_share(items, grid):
    from corridor.assess import Evidence

    surveyed = {"world_news": {"median": 0.40, "lower90": 0.35, "upper90": 0.45}}
    ev = Evidence(exposure={}, year=2019, respondents=300, synthetic=True, themes=surveyed)
    r = assess(items, grid, draws=DRAWS, scheduler="sync", evidence=ev).as_dict()
    news = r["themes"]["world_news"]["evidence"]
    assert news["surveyed_share"] == surveyed["world_news"]
    assert 0 <= news["modelled_share"]["median"] <= 1
    # loudspeakers reach a sliver of the country; the survey counts every source over years
    assert news["disagreement"] == "survey_above_model"
    assert r["themes"]["entertainment"]["evidence"] is None        # not measured: no check invented
    back = Evidence.from_dict(ev.as_dict())
    assert back.themes == surveyed


def test_the_evidence_file_of_corridor_evidence_estimate_carries_its_themes(tmp_path):
    import json

    from corridor.assess import Evidence

    f = tmp_path / "evidence.json"
    f.write_text(json.dumps({
        "year": 2019, "respondents": 500, "synthetic": True,
        "channels": {"radio": {"share": 0.3, "lower90": 0.25, "upper90": 0.35}},
        "themes": {"overall": {"religion": {"share": 0.1, "lower90": 0.07, "upper90": 0.14},
                               "practical": {"share": None, "lower90": None, "upper90": None,
                                             "not_shown_because": "too few answers"}}}}), encoding="utf-8")
    ev = Evidence.read(f)
    assert ev.themes == {"religion": {"median": 0.1, "lower90": 0.07, "upper90": 0.14}}
