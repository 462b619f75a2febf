"""The absorption methods of hf.predict: P.533-14 penetration points (default), the P.533-12 control
points, and the D1-fitted E-layer option; and the constants as the Recommendation gives them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridor.channels.radio import absorption, geometry, hf, loss

SAMPLE = Path(__file__).parent / "data" / "d1_sample.txt"


def iso(off, elev):
    return np.zeros(np.broadcast(off, elev).shape)


def predict(method=None, *, rx=([50.0], [-2.0]), freq=5.5, hours=(0, 3, 6, 9, 12, 15, 18, 21), month=6):
    kw = {} if method is None else {"absorption": method}
    # transmitter in southern England; receivers to the east and south
    return hf.predict(51.5, -1.2, rx[0], rx[1], freq_mhz=freq, month=month, utc_hours=list(hours), ssn=80.0,
                      power_kw=1.0, gain=iso, **kw)


def test_constants_as_the_recommendation_gives_them():
    # P.533-14 §5.2.2: L_z 8.72 dB; R12 capped at 160; chi limited to 102 deg, F(chi) floored at 0.02;
    # penetration points with a 300 km reflection height and a 90 km penetration height
    assert loss.LZ_DB == 8.72
    assert absorption.SSN_CAP == 160.0
    assert absorption.MAX_ZENITH_DEG == 102.0 and absorption.F_FLOOR == 0.02
    assert absorption.PENETRATION_REFLECTION_KM == 300.0 and absorption.PENETRATION_HEIGHT_KM == 90.0
    assert hf.DEFAULT_ABSORPTION == "p533" and hf.ABSORPTION_OPTIONS[0] == "p533"


def test_penetration_points_geometry():
    # a short hop is nearly flat: the 90 km crossing of a 300 km mirror ray is about 0.3 of the half hop out
    assert absorption.penetration_offset_km(200.0) == pytest.approx(0.3 * 100.0, rel=0.05)
    # the offset is the straight ray's: the crossing lies at 90 km on the 300 km mirror ray
    hop = 2500.0
    x = absorption.penetration_offset_km(hop)
    elev = np.radians(geometry.elevation_deg(hop, 300.0))
    theta = x / geometry.EARTH_RADIUS_KM
    height = geometry.EARTH_RADIUS_KM * np.cos(elev) / np.cos(elev + theta) - geometry.EARTH_RADIUS_KM
    assert height == pytest.approx(90.0, abs=0.5)
    # 2n points per mode, symmetric about mid-path, present only for the mode's own hops
    pts = absorption.penetration_fractions(np.array([3000.0, 3000.0]), np.array([2.0, 3.0]))
    assert len(pts) == 6
    fr = np.array([f for f, _ in pts])
    present = np.array([p for _, p in pts])
    assert present[:, 1].all() and present[:4, 0].all() and not present[4:, 0].any()
    assert fr[:4, 0] + fr[:4, 0][::-1] == pytest.approx(np.ones(4))
    assert np.all(np.diff(fr[:, 1]) > 0)
    # beyond the 3836 km a 300 km mirror closes, the grazing ray is taken (finite, at most half a hop)
    assert 0.0 < absorption.penetration_offset_km(3950.0) <= 3950.0 / 2


def test_plain_p533_is_the_default_and_unknown_methods_are_refused():
    a, b = predict(), predict("p533")
    assert np.array_equal(a.field_dbuv, b.field_dbuv) and np.array_equal(a.snr_db, b.snr_db)
    with pytest.raises(ValueError, match="absorption"):
        predict("voacap")


def test_the_methods_differ_only_in_absorption():
    a, b = predict("p533"), predict("p533_12")
    assert np.array_equal(a.muf_mhz, b.muf_mhz) and np.array_equal(a.noise_dbw, b.noise_dbw)
    # averaging over penetration points instead of control points moves the field by little
    assert np.max(np.abs(a.field_dbuv - b.field_dbuv)) < 3.0
    assert np.max(np.abs(a.field_dbuv - b.field_dbuv)) > 0.0


def test_the_e_layer_option_weakens_only_e_modes_by_day():
    # 1350 km (a D1-like path length) at 5.5 MHz in June: E modes by day
    rx = ([51.0], [18.0])
    plain, opt = predict("p533", rx=rx), predict("d1_e_layer", rx=rx)
    e_day = np.char.endswith(plain.mode[:, 0].astype(str), "E")
    assert e_day.any()
    d = opt.field_dbuv[:, 0] - plain.field_dbuv[:, 0]
    assert np.all(d <= 1e-9)                               # never stronger
    assert np.all(d[e_day] < -0.5)                         # E modes by day: weaker
    f2 = np.char.endswith(plain.mode[:, 0].astype(str), "F2")
    assert f2.any()
    # an F2 mode's own field does not change (the power sum may, through the weaker E modes)
    assert np.array_equal(opt.field_strongest_dbuv[f2, 0], plain.field_strongest_dbuv[f2, 0])
    assert np.array_equal(plain.muf_mhz, opt.muf_mhz)
    # the factor itself: 1 + g for rays turning within the E layer, 1 above it
    f = absorption.e_reflection_factor(np.array([0.5, 1.0, 1.01, 5.0]), gain=0.3)
    assert f == pytest.approx([1.3, 1.3, 1.0, 1.0])


def test_the_option_leaves_f2_only_paths_alone():
    # 4500 km: no E mode (E modes only up to 4000 km), so nothing changes
    rx = ([30.0], [45.0])
    plain, opt = predict("p533", rx=rx, freq=12.0), predict("d1_e_layer", rx=rx, freq=12.0)
    assert plain.distance_km[0] > 4000.0
    assert np.array_equal(plain.field_dbuv, opt.field_dbuv)


def test_strongest_mode_is_at_most_the_power_sum():
    p = predict(rx=([50.0, 51.0, 45.0], [-2.0, 18.0, 10.0]))
    assert p.field_strongest_dbuv.shape == p.field_dbuv.shape
    assert np.all(p.field_strongest_dbuv <= p.field_dbuv + 1e-9)
    # at most nine modes add up: the sum is at most 10 log 9 dB above the strongest
    live = p.field_dbuv > hf.FIELD_FLOOR_DBUV
    assert np.all(p.field_dbuv[live] - p.field_strongest_dbuv[live] <= 10 * np.log10(9) + 1e-9)
    # the strongest mode's field is the one the loss column describes
    rx_dbw = loss.received_power_dbw(p.field_strongest_dbuv, 5.5)
    assert (30.0 - rx_dbw) == pytest.approx(p.loss_db)


def test_d1_comparison_takes_the_method():
    from corridor.channels.radio import measured
    from corridor.errors import CorridorError

    plain = measured.compare_d1(SAMPLE)
    opt = measured.compare_d1(SAMPLE, absorption="d1_e_layer")
    assert plain.absorption == "p533" and measured.summary(opt)["absorption"] == "d1_e_layer"
    assert np.array_equal(plain.path_id, opt.path_id)
    d = opt.error_db - plain.error_db
    assert np.all(d <= 1e-9)
    # E-mode absorption is a daytime matter: the change by day is larger than at night, where only the
    # night-time floor of F(chi) (0.02) is left to scale
    assert np.mean(np.abs(d[plain.day])) > 3 * np.mean(np.abs(d[~plain.day]))
    assert np.all(np.abs(d[~plain.day]) < 1.5)
    assert np.all(plain.solar_zenith_deg[~plain.day] >= 90.0)
    with pytest.raises(CorridorError, match="absorption"):
        measured.compare_d1(SAMPLE, absorption="nonsense")
