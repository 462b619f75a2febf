"""The P.533 building blocks against hand-computed values and physical limits."""

import numpy as np
import pytest

from corridor.channels.radio import antennas, geometry, ionosphere, loss, muf, noise, reliability


def test_great_circle_known_distance():
    d, az = geometry.great_circle(15.05, 145.63, 39.03, 125.75)   # Tinian -> Pyongyang
    assert abs(float(d) - 3298) < 10 and abs(float(az) - 327.7) < 1.0
    lat, lon = geometry.destination(15.05, 145.63, az, d)
    assert abs(lat - 39.03) < 1e-6 and abs(lon - 125.75) < 1e-6


def test_elevation_and_slant_range_limits():
    assert abs(float(geometry.elevation_deg(1e-3, 300.0)) - 90.0) < 0.01
    assert float(geometry.elevation_deg(4000.0, 300.0)) < 3.0
    # a vertical hop goes up and down: p' = 2h
    assert abs(float(geometry.slant_range_km(1e-6, 300.0, 1)) - 600.0) < 1e-3


def test_dmax_and_muf_formulas():
    x = muf.foratio(9.0, 3.0)
    b = muf.b_factor(3.2, x)
    assert 2.9 < b < 3.3
    d = muf.dmax_km(b, x)
    assert 3000 < d <= 4000
    # at 3000 km the F2 MUF is foF2 * M(3000)-like factor B (plus a small gyro term)
    m = muf.f2_muf_mhz(3000.0, 9.0, 3.2, 3.0, 1.2)
    assert abs(m - (b * 9.0 + 0.6 * (1 - 3000 / d))) < 1e-9
    assert muf.f2_muf_mhz(100.0, 9.0, 3.2, 3.0, 1.2) < m


def test_above_muf_and_absorption_losses():
    assert loss.above_muf_loss_db(10.0, 12.0, "F2", 2000) == 0
    assert loss.above_muf_loss_db(12.0 * 1.0001, 12.0, "F2", 2000) == pytest.approx(5.0, abs=0.5)
    assert loss.above_muf_loss_db(100.0, 12.0, "F2", 2000) == 60.0
    assert loss.above_muf_loss_db(100.0, 12.0, "F2", 5000) == 80.0
    assert loss.above_muf_loss_db(100.0, 3.0, "E", 1000) == 58.0
    night = loss.absorption_index(120.0, 100)
    noon = loss.absorption_index(20.0, 100)
    assert night == 0 and noon > 0.9
    assert loss.absorption_loss_db(5.0, 1.2, noon, 2.0, 1) > loss.absorption_loss_db(15.0, 1.2, noon, 2.0, 1)


def test_field_strength_free_space_check():
    # with no losses, E = 104.15 + P + G - 20 log p': 1 kW at 1000 km -> 44.15 dB(uV/m) + Lz
    e = loss.mode_field_dbuv(0.0, 0.0, 1000.0, 0.0, 0.0, 0.0)
    assert e == pytest.approx(136.6 - 32.45 - 60.0 - loss.LZ_DB)
    assert loss.power_sum_db([[50.0, 50.0]])[0] == pytest.approx(53.01, abs=0.01)


def test_noise_p372_values():
    # P.372 residential man-made noise at 3 MHz is -144.7 dBW/Hz
    assert noise.man_made_db(3.0, "residential") - 204 == pytest.approx(-144.7, abs=0.1)
    n, du, dl = noise.total_noise(10.0, 1, 12.0, "city", galactic_visible=True)
    assert n > noise.man_made_db(10.0, "city") - 204 and du > 0 and dl > 0


def test_reliability_is_monotone_and_half_at_threshold():
    snr = np.linspace(40, 110, 50)
    r = reliability.basic_circuit_reliability(snr, 73.0, 10.0, 10.0)
    assert np.all(np.diff(r) >= 0) and r[0] == 0 and r[-1] == 1
    assert reliability.basic_circuit_reliability(73.0, 73.0, 10.0, 10.0) == pytest.approx(0.5)


def test_antenna_gains():
    assert antennas.gain_dbi("isotropic", 90, 10, gain_dbi_=17) == 17
    assert antennas.gain_dbi("beam", 60, 10, gain_dbi_=15, beamwidth_deg=60) == pytest.approx(3.0)
    dip = antennas.gain_dbi("dipole", 0, np.array([30.0]), height_wavelengths=0.5)
    assert 7.5 < dip[0] < 8.8           # half-wave dipole at lambda/2 over ground: ~8.2 dBi at 30 deg
    cur = antennas.gain_dbi("curtain", np.array([0.0, 180.0]), 10.0)
    assert 19 < cur[0] < 23 and cur[1] < cur[0] - 25


def test_pyiri_maps_match_known_values():
    iono = ionosphere.at_points(1, [3.0], [125.5], [39.0], 0.0)
    assert iono.fof2_mhz[0, 0] == pytest.approx(6.3, abs=0.2)
    assert iono.m3000[0, 0] == pytest.approx(3.58, abs=0.05)
    hi = ionosphere.at_points(1, [3.0], [125.5], [39.0], 100.0)
    assert hi.fof2_mhz[0, 0] == pytest.approx(10.0, abs=0.3)
    assert 1.0 < hi.gyro_300km_mhz[0, 0] < 1.5


def test_p1147_night_sky_wave_agrees_with_fcc_formula():
    from corridor.channels.radio import skywave_mf

    phi = skywave_mf.geomagnetic_latitude_deg(38.5, 126.8)
    assert 25 < phi < 30
    d = np.array([100.0, 200.0, 300.0, 500.0, 1000.0])
    itu = skywave_mf.field_dbuv(1188.0, 100.0, d, phi, 120.0)
    fcc = skywave_mf.fcc_night_field_dbuv(100.0, d, phi)
    assert np.all(np.abs(itu - fcc) < 2.5) and np.all(np.diff(itu) < 0)
    # no sky wave by day or under 50 km; twilight in between
    assert skywave_mf.field_dbuv(1188.0, 100.0, 300.0, phi, 60.0) == -np.inf
    assert skywave_mf.field_dbuv(1188.0, 100.0, 30.0, phi, 120.0) == -np.inf
    assert skywave_mf.field_dbuv(1188.0, 100.0, 300.0, phi, 100.0) < itu[2]


def test_sunspot_table_by_date():
    import datetime as dt

    from corridor.channels.radio import ssn
    from corridor.errors import CorridorError

    low, projected = ssn.sunspot_number(dt.date(2019, 12, 1))
    high, _ = ssn.sunspot_number(dt.date(2024, 7, 1))
    assert low < 10 and high > 140 and not projected
    assert ssn.sunspot_number(dt.date(2027, 6, 1))[1]
    with pytest.raises(CorridorError):
        ssn.sunspot_number(dt.date(1990, 1, 1))
