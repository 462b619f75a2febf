"""Landing on the ground (the shipped elevation field) and forecast runs as ensemble members."""

import numpy as np
import pandas as pd
import pytest

from corridor.channels.balloon import integrate
from corridor.channels.balloon.ensemble import Assumptions, LaunchPlan, fly
from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.terrain import FLAT, korea
from corridor.channels.balloon.windfield import open_wind
from corridor.errors import CorridorError
from tests.balloon.balloon_winds import january, rotating  # noqa: F401  (fixtures)

T0 = pd.Timestamp("2011-01-15T12:00Z").value / 1e9


def test_shipped_elevation_field_knows_mountains_plains_and_sea():
    t = korea()
    assert t.heights_m.shape == (180, 204)
    h = t.height_at([41.99, 38.20, 37.57, 36.50, 38.50, 39.03], [128.06, 128.40, 126.98, 124.50, 131.0, 125.75])
    paektu, seorak_range, seoul, yellow_sea, east_sea, pyongyang = h
    assert 1500 < paektu < 2800 and 600 < seorak_range < 1800
    assert seoul < 150 and pyongyang < 150
    assert yellow_sea == 0 and east_sea == 0
    assert t.heights_m.min() == 0 and t.heights_m.max() < 2800
    assert FLAT.height_at(40.0, 128.0) == 0.0


def test_a_parcel_falling_over_mountains_stops_on_the_ground_not_at_sea_level(january):
    W = WindArrays.from_dataset(january)
    terrain = korea()
    # parcels released at 4 km above high ground (Kaema plateau), a plain, and the sea
    lat = np.array([40.6, 38.9, 38.0])
    lon = np.array([127.6, 125.4, 124.2])
    n = lat.size
    one = lambda x: np.full(n, float(x))  # noqa: E731
    args = (W.args, np.zeros(n, np.int64), one(T0), lat, lon, one(4000.0), one(1.0), one(0), one(0), 0.0)
    on_ground, _ = integrate.fall_parcels(*args, terrain=terrain)
    at_sea_level, _ = integrate.fall_parcels(*args)
    ground = terrain.height_at(on_ground[:, 1], on_ground[:, 2])
    # the end point is the bisection midpoint just past the ground: within a step's fall of it
    assert np.all(np.abs(on_ground[:, 3] - ground) < 2.0)
    assert ground[0] > 800                                   # a real mountain under the first parcel
    assert on_ground[0, 0] < at_sea_level[0, 0] - 600        # it lands more than 10 minutes earlier
    assert abs(at_sea_level[2, 3]) < 2.0 and abs(on_ground[2, 3]) < 2.0   # over the sea both reach 0 m


def test_envelopes_and_payloads_come_down_on_terrain_in_an_ensemble(january):
    W = WindArrays.from_dataset(january)
    terrain = korea()
    n = 40
    rng = np.random.default_rng(4)
    one = lambda x: np.full(n, float(x))  # noqa: E731
    releases = T0 + np.sort(rng.uniform(1, 3, (n, 2)), axis=1) * 3600
    _, aloft, end, _ = integrate.fly_balloons(
        W.args, np.zeros(n, np.int64), one(T0), one(37.76), one(126.78), one(50), rng.uniform(1.5, 3, n),
        rng.uniform(2500, 4500, n), one(0), one(5.0), one(T0 + 5 * 3600), releases, 0.0, one(0), one(0),
        terrain=terrain)
    ground = terrain.height_at(end[:, 1], end[:, 2])
    assert aloft.all()
    assert np.all(np.abs(end[:, 3] - ground) < 5.0)          # each envelope stops on the ground under it
    assert (ground > 100).sum() >= 5                        # some of them on high ground, not at sea level
    plan = LaunchPlan(37.76, 126.78, T0, 5, 1000.0, 4000.0, (2.0, 3.0))
    res = fly(plan, W, draws=16, parcels_per_release=4, seed=2)
    flat = fly(plan, W, draws=16, parcels_per_release=4, seed=2, assumptions=Assumptions(terrain=False))
    # the same draws: leaflets over land come down sooner, hence elsewhere, than on a flat sea-level ground
    assert np.abs(res.parcel_lat - flat.parcel_lat).max() > 0.01


def _two_cycles(rotating, tmp_path):
    """Two 'cycles' valid over overlapping times: the field itself, and a later run that differs."""
    a = rotating.isel(member=0, time=slice(0, 17))
    b = rotating.isel(member=0, time=slice(2, 17)).copy()
    b["u"] = b["u"] - 12.0            # a run that blows the balloons back west
    a.to_netcdf(tmp_path / "run_00z.nc")
    b.to_netcdf(tmp_path / "run_06z.nc")
    return tmp_path / "run_00z.nc", tmp_path / "run_06z.nc"


def test_time_lagged_runs_become_members_on_the_valid_times_they_share(rotating, tmp_path):
    pa, pb = _two_cycles(rotating, tmp_path)
    ds = open_wind([pb, pa])
    assert ds.sizes["member"] == 2 and ds.sizes["time"] == 15
    np.testing.assert_array_equal(ds["time"].values, rotating["time"].values[2:])
    sources = ds.attrs["member_sources"].split("; ")
    assert sources[0].endswith("run_00z.nc") and sources[1].endswith("run_06z.nc")
    np.testing.assert_allclose(ds.u.values[0] - ds.u.values[1], 12.0, atol=1e-4)
    # files of one run, one per stretch of hours, are still joined along time
    rotating.isel(member=0, time=slice(0, 8)).to_netcdf(tmp_path / "h0.nc")
    rotating.isel(member=0, time=slice(8, 17)).to_netcdf(tmp_path / "h1.nc")
    joined = open_wind([tmp_path / "h1.nc", tmp_path / "h0.nc"])
    assert joined.sizes["member"] == 1 and joined.sizes["time"] == 17
    # runs that share no valid time, or sit on other grids, are refused by name
    rotating.isel(member=0, time=slice(0, 3)).to_netcdf(tmp_path / "early.nc")
    shifted = rotating.isel(member=0, time=slice(2, 5)).copy()
    shifted["latitude"] = shifted["latitude"] + 0.5
    shifted.to_netcdf(tmp_path / "shifted.nc")
    with pytest.raises(CorridorError, match="latitude grid differs") as err:
        open_wind([tmp_path / "early.nc", tmp_path / "shifted.nc"])
    assert "shifted.nc" in str(err.value)


def test_draws_are_spread_evenly_over_the_runs_and_both_runs_matter(rotating, tmp_path):
    pa, pb = _two_cycles(rotating, tmp_path)
    W2 = WindArrays.from_dataset(open_wind([pa, pb]))
    start = pd.Timestamp("2011-10-11T09:00Z").value / 1e9
    plan = LaunchPlan(37.76, 126.78, start, 4, 1000.0, 4000.0, (2.0, 3.0))
    res = fly(plan, W2, draws=30, parcels_per_release=4, seed=5)
    counts = np.bincount(res.draw_member, minlength=2)
    assert counts.tolist() == [15, 15]
    lon = res.parcel_lon.reshape(30, -1).mean(axis=1)
    by_member = [lon[res.draw_member == m].mean() for m in (0, 1)]
    assert by_member[1] < by_member[0] - 0.5          # the westward run's leaflets land further west
