"""The link budget's propagation terms against the ITU-R validation examples, to 0.1 dB.

Reference values: ITU-R SG 3 validation examples (CG-3M3J-13-ValEx rev. 5.1), see
``data/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.channels.satellite import link

DATA = Path(__file__).parent / "data"
TOLERANCE_DB = 0.1


def groups(df: pd.DataFrame, keys: list[str]):
    for values, rows in df.groupby(keys):
        yield dict(zip(keys, values)), rows


def test_rain_attenuation_p618():
    df = pd.read_csv(DATA / "e2e_rain.csv")
    for k, rows in groups(df, ["f", "p", "tau"]):
        gas, cloud, rain, scint = link.attenuation_components_db(
            rows["lat"].to_numpy(), rows["lon"].to_numpy(), k["f"], rows["el"].to_numpy(), k["p"], 1.0,
            efficiency=0.65, tau_deg=k["tau"], hs_km=rows["hs"].to_numpy())
        np.testing.assert_allclose(rain, rows["A"].to_numpy(), atol=TOLERANCE_DB)


def test_scintillation_p618():
    df = pd.read_csv(DATA / "e2e_scintillation.csv")
    for k, rows in groups(df, ["f", "p", "tau"]):
        *_, scint = link.attenuation_components_db(
            rows["lat"].to_numpy(), rows["lon"].to_numpy(), k["f"], rows["el"].to_numpy(), k["p"], 1.0,
            efficiency=0.65, tau_deg=k["tau"], hs_km=rows["hs"].to_numpy())
        np.testing.assert_allclose(scint, rows["A"].to_numpy(), atol=TOLERANCE_DB)


def test_cloud_attenuation_p840():
    df = pd.read_csv(DATA / "p840_8_cloud.csv")
    for k, rows in groups(df, ["f", "p"]):
        _, cloud, _, _ = link.attenuation_components_db(
            rows["lat"].to_numpy(), rows["lon"].to_numpy(), k["f"], rows["el"].to_numpy(), k["p"], 1.0)
        np.testing.assert_allclose(cloud, rows["A"].to_numpy(), atol=TOLERANCE_DB)


def test_gas_attenuation_p676():
    df = pd.read_csv(DATA / "p676_12_gas.csv")
    for k, rows in groups(df, ["f"]):
        a = link.gas_attenuation_db(k["f"], rows["el"].to_numpy(), rows["rho"].to_numpy(), rows["P"].to_numpy(),
                                    rows["T"].to_numpy(), rows["V_t"].to_numpy(), rows["h"].to_numpy())
        np.testing.assert_allclose(a, rows["A"].to_numpy(), atol=TOLERANCE_DB)


def test_total_attenuation_combination_p618_eq64():
    df = pd.read_csv(DATA / "e2e_components.csv")
    total = link.total_attenuation_db(df["A_gas"], df["A_cloud"], df["A_rain"], df["A_scint"])
    np.testing.assert_allclose(total, df["A_total"], atol=TOLERANCE_DB)
    assert np.abs(total - df["A_total"]).max() < 1e-4  # the equation itself, not just the tolerance


def test_table_over_p_matches_components():
    lat, lon, el = np.array([39.0, 41.5]), np.array([125.7, 129.0]), np.array([44.0, 40.0])
    total, absorptive = link.attenuation_exceeded_db(lat, lon, 12.25, el, 0.6, p_levels=np.array([0.1, 1.0]))
    for i, p in enumerate([0.1, 1.0]):
        g, c, r, s = link.attenuation_components_db(lat, lon, 12.25, el, p, 0.6)
        np.testing.assert_allclose(total[i], link.total_attenuation_db(g, c, r, s), atol=1e-9)
        np.testing.assert_allclose(absorptive[i], g + c + r, atol=1e-9)
    assert (total[0] > total[1]).all()  # rarer time percentages see deeper fades


def test_textbook_link_terms():
    # Free-space loss at 12 GHz over 38,000 km: 92.45 + 20 lg 12 + 20 lg 38000 = 205.63 dB
    assert link.free_space_loss_db(38_000.0, 12.0) == pytest.approx(205.63, abs=0.01)
    # A 60 cm dish at 12 GHz with 65 % efficiency: 10 lg(0.65 (π·0.6·12e9/c)²) = 35.7 dBi
    assert link.dish_gain_dbi(0.6, 12.0, 0.65) == pytest.approx(35.68, abs=0.05)
    # Noise figure 0.8 dB is 59 K; clear sky adds ~2.7 K, 3 dB of rain about 139 K
    assert link.noise_temperature_k(0.8) == pytest.approx(58.7, abs=0.5)
    assert link.sky_noise_k(3.0) == pytest.approx(275 * (1 - 10 ** -0.3) + 2.7 * 10 ** -0.3, rel=1e-9)
    # Beam pattern: −3 dB at half the beamwidth, floored at −25 dB
    assert link.satellite_pattern_db(1.0, 2.0) == pytest.approx(-3.0)
    assert link.satellite_pattern_db(10.0, 2.0) == pytest.approx(-25.0)
    # C/N: 52 dBW, 205.6 dB, 35.7 dBi, 100 K, 30 Mbaud → 52 − 205.6 + 35.7 − 20 + 228.6 − 74.8
    cn = link.carrier_to_noise_db(52.0, 205.6, 35.7, 100.0, 30e6)
    assert cn == pytest.approx(52 - 205.6 + 35.7 - 20 + 228.599 - 74.771, abs=0.01)


def test_availability_interpolates_in_log_p():
    p = np.array([0.01, 0.1, 1.0])
    cn = np.array([[0.0, 5.0, 12.0], [8.0, 6.0, 13.0], [12.0, 9.0, 14.0]])   # rows: p; columns: sites
    a = link.availability_percent(cn, 4.0, p)
    assert a[0] == pytest.approx(100 - 10 ** -1.5, rel=1e-6)   # crossing halfway in lg p
    assert a[1] == pytest.approx(99.99)                        # closes even at 0.01 %
    assert a[2] == pytest.approx(99.99)
    assert link.availability_percent(np.array([[1.0], [2.0], [3.0]]), 4.0, p)[0] == pytest.approx(99.0)
