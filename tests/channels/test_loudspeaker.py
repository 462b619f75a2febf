"""The loudspeaker model against the ISO 9613-2 formulas and common sense."""

from datetime import datetime

import numpy as np
import pytest

from corridor.channels import Activity, get_channel
from corridor.channels.loudspeaker import acoustics


def test_divergence_and_absorption_follow_iso_9613_2():
    # A_div = 20 lg(d) + 11: 1 km → 71 dB, doubling distance adds 6.02 dB
    assert acoustics.geometric_divergence_db(1000.0) == pytest.approx(71.0)
    assert acoustics.geometric_divergence_db(2000.0) - acoustics.geometric_divergence_db(1000.0) == pytest.approx(6.0206, abs=1e-3)
    assert acoustics.atmospheric_absorption_db(5000.0, 2.8) == pytest.approx(14.0)
    # Ground effect: 4.8 dB far away, nothing very close to a high source
    assert acoustics.ground_attenuation_db(10_000.0, 5.0) == pytest.approx(4.8 - (10 / 10_000) * (17 + 0.03), abs=1e-9)
    assert acoustics.ground_attenuation_db(20.0, 10.0) == 0.0


def test_the_alternative_ground_method_adds_the_solid_angle_correction():
    """ISO 9613-2:1996 7.3.2: with A_gr of eq. 10, D_Ω of eq. 11 is added to the directivity."""
    hs, hr = 10.0, 1.5
    d = np.array([0.0, 50.0, 1000.0, 10_000.0])
    expected = 10 * np.log10(1 + (d ** 2 + (hs - hr) ** 2) / (d ** 2 + (hs + hr) ** 2))
    assert acoustics.solid_angle_correction_db(d, hs, hr) == pytest.approx(expected)
    assert acoustics.solid_angle_correction_db(10_000.0, hs, hr) == pytest.approx(10 * np.log10(2), abs=1e-3)
    assert acoustics.solid_angle_correction_db(0.0, hs, hr) < 10 * np.log10(2)
    level = acoustics.sound_pressure_level_db(160.0, d[1:], alpha_db_per_km=2.8, source_height_m=hs,
                                              receiver_height_m=hr, c_met_db=1.0)
    by_hand = (160.0 + expected[1:] - acoustics.geometric_divergence_db(d[1:])
               - acoustics.atmospheric_absorption_db(d[1:], 2.8)
               - acoustics.ground_attenuation_db(d[1:], (hs + hr) / 2) - 1.0)
    assert level == pytest.approx(by_hand)


def test_directivity_pattern():
    d = acoustics.directivity_db(np.array([0.0, 30.0, 180.0, 350.0]), 10.0, 60.0, 20.0)
    assert d[0] == 10.0
    assert d[1] == pytest.approx(7.0)       # −3 dB at half the beamwidth... of 12(θ/θ3)²
    assert d[2] == pytest.approx(-10.0)     # front-to-back limit
    assert d[3] == pytest.approx(10.0 - 12 * (10 / 60) ** 2)


def test_level_falls_with_distance_and_intelligibility_with_level():
    d = np.array([500.0, 2000.0, 8000.0, 20000.0])
    level = acoustics.sound_pressure_level_db(160.0, d)
    assert np.all(np.diff(level) < 0)
    p = acoustics.intelligibility_probability(level, 35.0, 10.0, 4.0)
    assert np.all(np.diff(p) <= 0) and p[0] > 0.99 and p[-1] < 0.01


@pytest.fixture(scope="module")
def paju():
    return {"lon": 126.70, "lat": 37.90, "sound_power_db": 165, "azimuth_deg": 0}


def test_coverage_is_local_louder_reaches_more_and_day_reaches_less(grid, paju):
    channel = get_channel("loudspeaker")
    def reached(**change):
        a = Activity.create("loudspeaker", {**paju, **change}, id="t", start=datetime(2024, 7, 1, 22))
        cov = channel.coverage(a, grid, draws=100, seed=1)
        assert cov.probability.shape == (100, grid.n_cells)
        far = np.hypot(grid.lon - paju["lon"], (grid.lat - paju["lat"])) > 1.0  # > ~90 km
        assert cov.probability[:, far].max() == 0.0
        return cov.summary(grid)
    base = reached()
    assert 0 < base["reached_lower90"] < base["reached_median"] < base["reached_upper90"]
    assert reached(sound_power_db=175)["reached_median"] > base["reached_median"]
    assert reached(period="day")["reached_median"] < base["reached_median"]
    assert reached(azimuth_deg=180)["reached_median"] < base["reached_median"]  # facing the South


def test_coverage_is_reproducible_with_a_seed(grid, paju):
    a = Activity.create("loudspeaker", paju, id="t", start=datetime(2024, 7, 1, 22))
    channel = get_channel("loudspeaker")
    one = channel.coverage(a, grid, draws=20, seed=7).probability
    two = channel.coverage(a, grid, draws=20, seed=7).probability
    assert np.array_equal(one, two)
