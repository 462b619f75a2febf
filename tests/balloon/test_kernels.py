"""The compiled kernels against the plain NumPy reference, the Tawhiri flights and themselves."""

import json
from pathlib import Path

import numpy as np

from corridor.channels.balloon import integrate, numpy_reference
from corridor.channels.balloon.interpolation import WindArrays, wind_at
from corridor.channels.balloon.validation import SPHERE
from corridor.channels.balloon.windfield import open_wind
from tests.balloon.balloon_winds import january, rotating  # noqa: F401  (fixtures)
from tests.conftest import SHARED, needs_shared

FLIGHTS = SHARED / "data" / "reference" / "balloon" / "tawhiri"


def _random_float_flights(W: WindArrays, n: int, seed: int):
    rng = np.random.default_rng(seed)
    t0 = W.times[0] + rng.uniform(0, 20 * 3600, n)
    return (np.zeros(n, np.int64), t0, rng.uniform(37.5, 38.3, n), rng.uniform(126.3, 127.4, n),
            np.full(n, 50.0), rng.uniform(1.5, 5.0, n), rng.uniform(1500, 6500, n),
            t0 + rng.uniform(1, 8, n) * 3600)


def test_compiled_wind_equals_the_numpy_reference_everywhere_even_when_extrapolating(rotating):
    W = WindArrays.from_dataset(rotating)
    rng = np.random.default_rng(1)
    n = 3000
    t = W.times[0] + rng.uniform(-3 * 3600, 51 * 3600, n)       # also before and after the field
    lat = rng.uniform(32.0, 44.5, n)                             # also outside its area
    lon = rng.uniform(121.0, 133.5, n)
    z = rng.uniform(-300.0, 9000.0, n)                           # below the lowest and above the top level
    u, v, flags = wind_at(W, t, lat, lon, z)
    ur, vr = numpy_reference.wind(W, np.zeros(n, int), t, lat, lon, z)
    assert flags.any() and (flags == 0).any()
    np.testing.assert_allclose(u, ur, rtol=0, atol=1e-9)
    np.testing.assert_allclose(v, vr, rtol=0, atol=1e-9)


def test_random_ensemble_lands_where_the_numpy_reference_lands(rotating):
    W = WindArrays.from_dataset(rotating)
    args = _random_float_flights(W, 48, seed=7)
    fast, _ = integrate.fly_float_profiles(W.args, *args)
    slow = numpy_reference.float_profiles(W, *args)
    d = SPHERE.inv(fast[:, 2], fast[:, 1], slow[:, 2], slow[:, 1])[2]
    assert d.max() < 1.0, d.max()
    np.testing.assert_allclose(fast[:, 0], slow[:, 0], atol=1e-3)
    np.testing.assert_allclose(fast[:, 3], slow[:, 3], atol=1e-3)


@needs_shared(FLIGHTS, "Tawhiri reference flights (15 float) and wind fields")
def test_reference_float_flights_compiled_and_numpy_agree_with_tawhiri_to_a_metre():
    flights = [json.loads(p.read_text()) for p in sorted(FLIGHTS.glob("F*.json"))]
    assert len(flights) == 15
    fields = {}
    for f in flights:
        name = Path(f["wind_field"]["file"]).name
        fields.setdefault(name, []).append(f)
    for name, group in fields.items():
        W = WindArrays.from_dataset(open_wind(SHARED / "data" / "wind" / name))

        def col(k, group=group):
            return np.array([g["inputs"][k] for g in group], float)

        args = (np.zeros(len(group), np.int64), col("launch_time_unix_s"), col("launch_latitude_deg"),
                col("launch_longitude_deg"), col("launch_altitude_m"), col("ascent_rate_m_s"),
                col("float_altitude_m"), col("stop_time_unix_s"))
        fast, _ = integrate.fly_float_profiles(W.args, *args)
        slow = numpy_reference.float_profiles(W, *args)
        ref_lat = np.array([g["final_point"]["latitude_deg"] for g in group])
        ref_lon = np.array([g["final_point"]["longitude_deg"] for g in group])
        # the compiled kernel repeats Tawhiri's arithmetic: equal to the last digits (< 1 mm)
        assert SPHERE.inv(fast[:, 2], fast[:, 1], ref_lon, ref_lat)[2].max() < 1e-3
        assert SPHERE.inv(slow[:, 2], slow[:, 1], ref_lon, ref_lat)[2].max() < 1.0


def test_results_do_not_depend_on_the_number_of_threads(rotating):
    W = WindArrays.from_dataset(rotating)
    args = _random_float_flights(W, 300, seed=3)
    before = integrate.threads()
    try:
        integrate.set_threads(1)
        one, c1 = integrate.fly_float_profiles(W.args, *args)
        integrate.set_threads(2)
        two, c2 = integrate.fly_float_profiles(W.args, *args)
    finally:
        integrate.set_threads(before)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(c1, c2)
