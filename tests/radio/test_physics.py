"""The P.533 building blocks against hand-computed values and physical limits."""

import numpy as np
import pytest

from corridor.channels.radio import (
    antennas,
    geometry,
    ionosphere,
    loss,
    muf,
    noise,
    reliability,
)


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


def test_above_muf_loss_is_the_itu_reference_programs():
    # no loss at or below the mode's basic MUF; a step of 5 dB (8 dB for F2 beyond 3000 km) just above it
    assert loss.above_muf_loss_db(10.0, 12.0, "F2", 2000) == 0
    assert loss.above_muf_loss_db(12.0, 12.0, "E", 2000) == 0
    assert loss.above_muf_loss_db(12.0 * 1.0001, 12.0, "F2", 2000) == pytest.approx(5.0 + 36.0 * 0.01, rel=1e-6)
    assert loss.above_muf_loss_db(12.0 * 1.0001, 12.0, "F2", 5000) == pytest.approx(8.0 + 70.0 * 1e-4, rel=1e-6)
    # F2: 36 x^0.5 + 5 up to 3000 km, 70 x + 8 beyond (x = f/fb - 1); E: 46 x^0.5 + 5
    assert loss.above_muf_loss_db(15.0, 12.0, "F2", 3000) == pytest.approx(36.0 * 0.5 + 5.0)
    assert loss.above_muf_loss_db(15.0, 12.0, "F2", 3001) == pytest.approx(70.0 * 0.25 + 8.0)
    assert loss.above_muf_loss_db(6.0, 5.0, "E", 1000) == pytest.approx(46.0 * 0.2 ** 0.5 + 5.0)
    # the caps: 60 dB (F2 up to 3000 km), 80 dB (F2 beyond), 58 dB (E)
    assert loss.above_muf_loss_db(100.0, 12.0, "F2", 1000) == 60.0
    assert loss.above_muf_loss_db(100.0, 12.0, "F2", 6000) == 80.0
    assert loss.above_muf_loss_db(100.0, 3.0, "E", 1000) == 58.0
    # broadcasts over frequencies, MUFs and distances
    out = loss.above_muf_loss_db(np.array([[10.0], [15.0]]), 12.0, "F2", np.array([1000.0, 5000.0]))
    assert out.shape == (2, 2) and (out[0] == 0).all() and out[1, 1] > out[1, 0] > 0
    assert loss.LZ_DB == 8.72


def test_auroral_loss_table():
    # zero below 42.5 deg geomagnetic (every path to Korea), Table 2 values above it
    assert loss.auroral_loss_db(40.0, 50.0, 1, 12.0, 1000.0) == 0.0
    # winter, <= 2500 km, 57.5-62.5 deg, 10-13 h: 1.4 dB; > 2500 km: 0.6 dB
    assert loss.auroral_loss_db(60.0, 55.0, 1, 12.0, 1000.0) == pytest.approx(1.4)
    assert loss.auroral_loss_db(60.0, 55.0, 1, 12.0, 3000.0) == pytest.approx(0.6)
    # equinox peak (67.5-72.5 deg, 07-10 h): 21.4 dB; the southern hemisphere swaps the seasons
    assert loss.auroral_loss_db(-70.0, -60.0, 4, 8.0, 1000.0) == pytest.approx(21.4)
    assert loss.auroral_loss_db(-60.0, -55.0, 7, 12.0, 1000.0) == loss.auroral_loss_db(60.0, 55.0, 1, 12.0, 1000.0)
    # the 22-01 h block wraps round midnight
    assert loss.auroral_loss_db(45.0, 50.0, 1, 0.5, 1000.0) == loss.auroral_loss_db(45.0, 50.0, 1, 23.0, 1000.0)


def test_f2_mirror_height_of_section_5_1():
    # case a) starts from A1 + B1 at short hops and falls towards A1 for long ones
    short = muf.f2_mirror_height_km(100.0, 11.8, 6.0, 0.5, 2.8, 120.0)
    long_ = muf.f2_mirror_height_km(3300.0, 11.8, 6.0, 0.5, 2.8, 120.0)
    assert 250.0 < long_ < short <= 800.0
    # case c) (foF2/foE <= 3.33) grows linearly with the hop length
    h = muf.f2_mirror_height_km(np.array([500.0, 1000.0, 1500.0]), 6.0, 8.0, 3.0, 3.0, 50.0)
    assert np.allclose(np.diff(np.diff(h)), 0.0) and h[1] > h[0]
    # G is continuous at x_r = 1 (G(1) = 0, so d_s = 160 km)
    a = muf.f2_mirror_height_km(1000.0, 6.0 * 1.000001, 6.0, 1.0, 3.0, 50.0)
    b = muf.f2_mirror_height_km(1000.0, 6.0 * 0.999999, 6.0, 1.0, 3.0, 50.0)
    assert np.isfinite(a) and np.isfinite(b)


def test_f2_muf_beyond_dmax_follows_section_3_5_1_2():
    # two control points T + d0/2 and R - d0/2 with different layers
    cps = [{"fof2": 9.0, "m3000": 3.2, "foe": 3.0, "gyro": 1.2}, {"fof2": 7.5, "m3000": 2.9, "foe": 2.6, "gyro": 1.1}]
    # lowest-order mode: the lower of the F2(d_max)MUF values of eq. 3 at the two points
    at_dmax = [muf.f2_muf_mhz(1e9, c["fof2"], c["m3000"], c["foe"], c["gyro"]) for c in cps]
    n0 = muf.f2_muf_beyond_dmax_mhz(2400.0, 2400.0, cps)
    assert n0 == pytest.approx(min(at_dmax))
    # F2(d_max)MUF is above the MUF of any shorter hop at the same point
    assert at_dmax[1] > muf.f2_muf_mhz(2400.0, 7.5, 2.9, 2.6, 1.1)
    # a higher-order mode (shorter hop) scales it by the lower ratio F2(d)MUF / F2(d0)MUF
    higher = muf.f2_muf_beyond_dmax_mhz(1600.0, 2400.0, cps)
    ratios = [muf.f2_muf_mhz(1600.0, c["fof2"], c["m3000"], c["foe"], c["gyro"], np.inf)
              / muf.f2_muf_mhz(2400.0, c["fof2"], c["m3000"], c["foe"], c["gyro"], np.inf) for c in cps]
    assert higher == pytest.approx(n0 * min(ratios)) and higher < n0


def test_e_screening_limited_to_4000_km_paths():
    # 1.05 foE sec i: a low F2 ray is screened by a strong daytime E layer, a path beyond 4000 km never
    sec_low = geometry.incidence_sec(geometry.elevation_deg(2000.0, 300.0), muf.E_HEIGHT_KM)
    assert muf.e_screening_mhz(3.5, sec_low) > 12.0
    assert muf.SCREENING_MAX_KM == 4000.0


def test_p533_absorption_terms():
    from corridor.channels.radio import absorption

    # Fig. 1 at the tabulated latitudes, linear between them (January row at 35 and 37.5 deg)
    assert absorption.at_noon(35.0, 1) == pytest.approx(258.1)
    assert absorption.at_noon(-36.25, 1) == pytest.approx(0.5 * (258.1 + 267.5))
    assert absorption.at_noon(80.0, 7) == absorption.at_noon(70.0, 7)
    # Fig. 2: 1 well above the E layer, larger near f_v = foE, nothing for negative ratios
    assert absorption.penetration_factor(20.0) == pytest.approx(1.0)
    assert absorption.penetration_factor(1.0) > 1.2
    assert absorption.penetration_factor(-1.0) == 0.0
    # Fig. 3 exponents lie in the figure's range; F(chi) is floored at 0.02 at night
    p = absorption.diurnal_exponent(np.array([0.0, 30.0, 55.0, 80.0]), np.array([0.0, 20.0, 38.0, 60.0]), 4)
    assert np.all((p > 0.5) & (p < 2.0))
    assert absorption.diurnal_factor(120.0, 1.3) == pytest.approx(0.02)
    assert absorption.diurnal_factor(0.0, 1.3) == pytest.approx(1.0)
    # L_i = n (1 + 0.0067 R) sec i AT / (f + f_L)^2, R capped at 160
    li = absorption.absorption_loss_db(9.0, 2, 100.0, 2.0, 300.0, 1.0)
    assert li == pytest.approx(2 * 1.67 * 2.0 * 300.0 / 100.0)
    assert absorption.absorption_loss_db(9.0, 1, 250.0, 1.0, 300.0, 1.0) == \
        absorption.absorption_loss_db(9.0, 1, 160.0, 1.0, 300.0, 1.0)


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


def test_p372_atmospheric_noise_over_korea():
    # the shipped P.372 extract: summer, 20-24 LT, 40 N 127 E is 69.3 dB at 1 MHz
    assert noise.atmospheric_1mhz_db(7, 22.0, 127.0) == pytest.approx(69.3)
    assert noise.atmospheric_1mhz_db(7, 22.0, 127.5) == pytest.approx(0.5 * (69.3 + 69.8))
    # at 1 MHz the frequency curves return F_am itself; summer nights are noisier than winter noons
    assert noise.atmospheric_db(1.0, 7, 22.0, 127.0) == pytest.approx(69.3, abs=0.3)
    assert noise.atmospheric_db(6.0, 7, 22.0) > noise.atmospheric_db(6.0, 1, 13.0) + 15
    # at a tabulated frequency F_a is linear in F_am(1 MHz) between the 10 and 100 dB curves
    _, _, freqs, f10, f100 = noise.atmospheric_tables()
    k = int(np.searchsorted(freqs, 6.0))
    fam = noise.atmospheric_1mhz_db(1, 21.0, 126.0)
    expected = f10[0, 5, k] + (fam - 10.0) * (f100[0, 5, k] - f10[0, 5, k]) / 90.0
    assert noise.atmospheric_db(6.0, 1, 21.0, 126.0) == pytest.approx(expected)
    # spring is the mean of winter and summer (documented approximation)
    assert noise.atmospheric_1mhz_db(4, 1.0) == pytest.approx(
        0.5 * (noise.atmospheric_1mhz_db(1, 1.0) + noise.atmospheric_1mhz_db(7, 1.0)))


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
