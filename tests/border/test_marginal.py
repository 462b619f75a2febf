"""The border channel's calibrated marginal reach: new content against first-time viewers."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from corridor.channels.base import Activity
from corridor.channels.border.channel import BorderChannel, marginal_reach


def shipment(year: int, **spec) -> Activity:
    base = {"crossing": "hyesan", "devices": 1000, "content_gb": 16, "days": 60}
    return Activity.create("border", {**base, **spec}, id="m", start=datetime(year, 3, 1))


@pytest.fixture(scope="module")
def coarse():
    from corridor.geo import load_grid

    return load_grid(15.0, 2026)


def test_first_time_viewers_are_a_part_of_those_who_see_the_content(coarse):
    new = BorderChannel().coverage(shipment(2012), coarse, draws=60, seed=2)
    first = BorderChannel().coverage(shipment(2012, reach="first_time"), coarse, draws=60, seed=2)
    a, b = new.people(coarse), first.people(coarse)
    assert (b <= a + 1e-6).all() and (b < a).any()
    assert new.extras["first_time"]["median"] == pytest.approx(float(np.median(b)), rel=1e-6)
    assert "first_time" in first.assumptions and "calibration" in first.assumptions


def test_the_curve_by_day_counts_what_the_reach_counts(coarse):
    """Under the first-time reach the curve by day is of first-time viewers: it ends at the
    first-time total and stays below the curve of everyone who saw the content."""
    new = BorderChannel().coverage(shipment(2019), coarse, draws=60, seed=4)
    first = BorderChannel().coverage(shipment(2019, reach="first_time"), coarse, draws=60, seed=4)
    content, fresh = new.extras["reached_by_day"]["median"], first.extras["reached_by_day"]["median"]
    assert len(content) == len(fresh) == 61
    assert (fresh <= content + 1e-6).all() and fresh[-1] < 0.8 * content[-1]
    assert np.all(np.diff(fresh) >= -1e-6)                       # people only accumulate
    assert fresh[-1] == pytest.approx(first.extras["first_time"]["median"], rel=0.05)
    assert content[-1] == pytest.approx(new.extras["new_content"]["median"], rel=0.05)


def test_later_shipments_find_fewer_people_who_never_saw_outside_video(coarse):
    early = BorderChannel().coverage(shipment(2010), coarse, draws=80, seed=4).extras
    late = BorderChannel().coverage(shipment(2024), coarse, draws=80, seed=4).extras
    share = lambda ex: ex["first_time"]["median"] / ex["new_content"]["median"]
    assert share(late) < share(early)
    assert early["background_year"] == 2010 and late["background_year"] == 2024


def test_after_the_model_span_the_last_year_is_used(coarse):
    cov = BorderChannel().coverage(shipment(2031), coarse, draws=10, seed=1)
    assert cov.extras["background_year"] == 2026 and "2026" in cov.assumptions["years"]


def test_marginal_reach_grows_with_the_shipment(coarse):
    rows = marginal_reach(coarse, year=2026, crossings_=("sinuiju",), sizes=(100, 10_000), draws=40, days=30)
    assert [r["devices"] for r in rows] == [100, 10_000]
    assert rows[1]["new_content"]["median"] > rows[0]["new_content"]["median"]
    for r in rows:
        assert r["first_time"]["median"] <= r["new_content"]["median"]
        assert r["crossing"] == "sinuiju_dandong"


def test_the_channel_gives_the_national_share_ever_exposed_for_a_survey_year():
    from corridor.channels import get_channel

    border = get_channel("border")
    y2010, y2020 = border.ever_exposed(2010), border.ever_exposed(2020)
    for y in (y2010, y2020):
        assert 0 <= y["lower90"] <= y["median"] <= y["upper90"] <= 1
    assert y2020["median"] > y2010["median"]             # exposure only grows
    assert border.ever_exposed(1995) is None              # outside the model's years: no figure
