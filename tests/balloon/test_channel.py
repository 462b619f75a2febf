"""A launch as an Activity: its Coverage, its shares, its errors."""

import numpy as np
import pandas as pd
import pytest

from tests.balloon.balloon_winds import january, rotating  # noqa: F401  (fixtures)
from corridor.channels import Activity, get_channel
from corridor.channels.balloon.channel import evaluate, launch_plan, check_plan, LaunchSpec
from corridor.channels.balloon.interpolation import WindArrays
from corridor.errors import CorridorError


def _activity(**spec):
    start = spec.pop("start", "2011-10-12T06:00Z")
    base = {"site": "paju", "balloons": 4, "leaflets_per_balloon": 5000, "float_altitude_m": 4000,
            "timers_h": [2, 3, 4]}
    base.update(spec)
    return Activity.create("balloon", base, id="t", start=pd.Timestamp(start))


def test_southerly_launch_reaches_people_in_the_north(grid, rotating):
    act = _activity()
    cov = get_channel("balloon").coverage(act, grid, draws=20, wind=rotating)
    assert cov.probability.shape == (20, grid.n_cells)
    s = cov.summary(grid)
    assert s["reached_median"] > 1000 and s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"]
    north = cov.extras["leaflet_shares"]["north"]
    assert np.median(north) > 0.7
    assert "legal" in cov.assumptions


def test_january_launch_lands_in_the_south_and_reaches_nobody(grid, january):
    act = _activity(start="2011-01-15T12:00Z", wind="gfs-2011-01-15")
    cov = get_channel("balloon").coverage(act, grid, draws=20)
    assert cov.summary(grid)["reached_median"] == 0
    assert np.median(cov.extras["leaflet_shares"]["south"]) > 0.3
    assert np.max(cov.extras["leaflet_shares"]["north"]) < 0.05


@pytest.mark.parametrize("change, field", [
    ({"balloons": -1}, "spec.balloons"),
    ({"leaflets_per_balloon": -5}, "spec.leaflets_per_balloon"),
    ({"timers_h": [2, 60]}, "spec.timers_h"),
    ({"site": "seoul"}, "site"),
])
def test_bad_launch_specs_name_the_field(change, field):
    with pytest.raises(CorridorError) as err:
        _activity(**change)
    assert field in err.value.one_line()


def test_launch_outside_the_field_or_after_it_or_above_it_is_refused(rotating):
    W = WindArrays.from_dataset(rotating)
    spec = LaunchSpec(site="paju", timers_h=[2, 3])
    with pytest.raises(CorridorError, match="time range"):
        check_plan(launch_plan(spec, pd.Timestamp("2012-01-01T00:00Z")), W)
    with pytest.raises(CorridorError, match="last timer"):
        check_plan(launch_plan(spec, pd.Timestamp("2011-10-12T23:00Z")), W)
    with pytest.raises(CorridorError, match="top level"):
        check_plan(launch_plan(LaunchSpec(site="paju", float_altitude_m=9000), pd.Timestamp("2011-10-12T00:00Z")), W)
    with pytest.raises(CorridorError, match="area"):
        check_plan(launch_plan(LaunchSpec(lat=43.4, lon=134.9), pd.Timestamp("2011-10-12T00:00Z")), W)


def test_float_altitude_can_come_from_the_envelope_fill():
    plan = launch_plan(LaunchSpec(site="paju", fill_fraction=0.6), pd.Timestamp("2011-10-12T00:00Z"))
    assert abs(plan.float_altitude_m - 5000) < 60          # research note §3.8: 60 % fill → 5.0 km
    with pytest.raises(Exception):
        LaunchSpec(site="paju", fill_fraction=1.2)
