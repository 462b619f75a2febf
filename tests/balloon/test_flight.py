"""Flights of many balloons at once: timed releases, leaks, failures, falling leaflets."""

import numpy as np
import pandas as pd

from tests.balloon.balloon_winds import january, rotating  # noqa: F401  (fixtures)
from corridor.channels.balloon import integrate
from corridor.channels.balloon.atmosphere import (drag_fall_rate_m_s, float_altitude_from_fill_m,
                                                  isa_density_ratio, nasa_density_kg_m3)
from corridor.channels.balloon.ensemble import Assumptions, LaunchPlan, fly
from corridor.channels.balloon.fall import terminal_speed_m_s
from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.profiles import FlightInputs, predict

T0 = pd.Timestamp("2011-01-15T12:00Z").value / 1e9


def _fly(W, releases, *, leak=0.0, n=None):
    releases = np.atleast_2d(np.asarray(releases, float))
    n = releases.shape[0]
    one = lambda x: np.full(n, float(x))  # noqa: E731
    return integrate.fly_balloons(W.args, np.zeros(n, np.int64), one(T0), one(37.76), one(126.78), one(50),
                                  one(2.5), one(4000), one(leak), one(5.0), one(T0 + 8 * 3600), releases,
                                  0.0, one(0), one(0))


def test_releases_happen_exactly_at_their_times(january):
    W = WindArrays.from_dataset(january)
    rel = T0 + np.array([[1.7 * 3600, 2.05 * 3600, 3.333 * 3600]])
    drops, aloft, end, counts = _fly(W, rel)
    np.testing.assert_array_equal(drops[0, :, 0], rel[0])
    assert aloft.all()
    assert np.allclose(drops[0, :, 3], drops[0, 0, 3])        # floating, no leak
    assert end[0, 3] < 1.0 and end[0, 0] > rel[0, -1]          # envelope comes down after the last timer
    # the same release point as a single-flight prediction floating at the reached altitude
    f = FlightInputs("float_profile", 37.76, 126.78, 50.0, T0, 2.5, float_altitude_m=4000.0,
                     stop_time_unix_s=float(rel[0, 0]))
    p = predict(f, W).final
    assert abs(p.latitude_deg - drops[0, 0, 1]) < 1e-3 and abs(p.longitude_deg - drops[0, 0, 2]) < 1e-3


def test_failed_timers_and_leaks_bring_payloads_down_with_the_balloon(january):
    W = WindArrays.from_dataset(january)
    rel = T0 + np.array([[3600.0, np.nan, np.nan]])
    drops, aloft, end, _ = _fly(W, rel)
    assert aloft.tolist() == [[True, False, False]]
    np.testing.assert_array_equal(drops[0, 1], end[0])
    # a fast leak lands the balloon before its 6-h timer; the payload lands with it
    drops, aloft, end, _ = _fly(W, T0 + np.array([[6 * 3600.0]]), leak=-0.5)
    assert not aloft[0, 0] and end[0, 0] < T0 + 6 * 3600
    np.testing.assert_array_equal(drops[0, 0], end[0])


def test_density_scaled_fall_speed_and_float_from_fill():
    assert abs(nasa_density_kg_m3(0.0) - 1.225) < 0.005
    assert abs(drag_fall_rate_m_s(1.0, 0.0) - 1.0) < 0.01            # 1.1045/sqrt(1.225) ≈ 1
    assert drag_fall_rate_m_s(1.0, 5000.0) > 1.25                    # thinner air, faster fall
    np.testing.assert_allclose(isa_density_ratio(3000.0), 0.742, atol=0.002)   # note §5.5
    np.testing.assert_allclose(float_altitude_from_fill_m([0.75, 0.6]), [2900, 5000], atol=60)  # note §3.8
    v = terminal_speed_m_s(0.080, 1.225, drag_coefficient=np.array([2.0, 1.2]))
    np.testing.assert_allclose(v, [0.80, 1.03], atol=0.01)            # note §3.7 table, 80 g/m²


def test_ensemble_spreads_leaflets_and_is_reproducible(january):
    W = WindArrays.from_dataset(january)
    plan = LaunchPlan(37.76, 126.78, T0, balloons=3, leaflets_per_balloon=3000, float_altitude_m=4000,
                      timers_h=(2.0, 3.0))
    a = fly(plan, W, draws=8, parcels_per_release=10, seed=3)
    b = fly(plan, W, draws=8, parcels_per_release=10, seed=3)
    np.testing.assert_array_equal(a.parcel_lat, b.parcel_lat)
    assert a.parcel_lat.size == 8 * 3 * 2 * 11
    np.testing.assert_allclose(np.bincount(a.parcel_draw, weights=a.parcel_leaflets), 9000)
    opened = a.parcel_opened & a.parcel_aloft
    # north-westerlies: leaflets drift south-east, spread over tens of km
    assert np.median(a.parcel_lon[opened]) > 127.5 and np.median(a.parcel_lat[opened]) < 37.5
    assert np.ptp(a.parcel_lon[opened]) > 0.5
    # unopened bundles fall fast: they land close to where they were released
    c = fly(plan, W, draws=8, parcels_per_release=10, seed=3,
            assumptions=Assumptions(timer_failure_probability=0.0))
    drop_lon = c.drops[..., 2].reshape(-1)
    bundles = ~c.parcel_opened
    assert np.all(np.abs(c.parcel_lon[bundles] - drop_lon) < 0.15)
