"""Loss terms and field strength of one sky-wave mode, paths up to 7000 km: ITU-R P.533-14 §5.2.

Field strength in dB(µV/m), power in dB(1 kW), frequency in MHz, distances in km.
"""

from __future__ import annotations

import numpy as np

#: "Not otherwise included" loss for short paths (P.533-14 §5.2.1, L_z).
LZ_DB = 9.14


def absorption_index(solar_zenith_deg, ssn):
    """Absorption index ``I = (1 + 0.0037 R12)·cos^1.3(0.881 χ)``, 0 when the Sun is far below the horizon.

    The CCIR absorption model of Report 252-2 (1970; Lucas & Haydon, ESSA Tech. Rep. IER 1-ITSA 1,
    1966). It replaces P.533's ATnoon, φn and diurnal-exponent figures, which are not published as
    formulas; documented in the validation notes.
    """
    c = np.cos(np.radians(0.881 * np.asarray(solar_zenith_deg, dtype=float)))
    return (1.0 + 0.0037 * min(max(ssn, 0.0), 160.0)) * np.maximum(c, 0.0) ** 1.3


def absorption_loss_db(freq_mhz, gyro_mhz, index, sec_i110, hops):
    """Ionospheric absorption of a mode, ``L_i = n · 677.2 · I · sec i / ((f + f_H)^1.98 + 10.2)`` dB
    (CCIR Report 252-2), ``I`` averaged over the absorption control points."""
    return hops * 677.2 * index * sec_i110 / ((freq_mhz + gyro_mhz) ** 1.98 + 10.2)


def above_muf_loss_db(freq_mhz, basic_muf_mhz, layer: str, distance_km):
    """Loss when f exceeds the mode's basic MUF (P.533-14 §5.2.1, L_m); 0 below it.

    E modes ``46 (f/f_b − 1)^½ + 5`` (≤ 58 dB); F2 modes on paths up to 3000 km
    ``36 (f/f_b − 1)^½ + 5`` (≤ 60 dB), longer paths ``70 (f/f_b − 1) + 8`` (≤ 80 dB).
    """
    r = np.maximum(np.asarray(freq_mhz) / np.asarray(basic_muf_mhz) - 1.0, 0.0)
    if layer == "E":
        lm = np.minimum(46.0 * np.sqrt(r) + 5.0, 58.0)
    else:
        lm = np.where(np.asarray(distance_km) <= 3000.0, np.minimum(36.0 * np.sqrt(r) + 5.0, 60.0),
                      np.minimum(70.0 * r + 8.0, 80.0))
    return np.where(r > 0.0, lm, 0.0)


def ground_reflection_loss_db(hops):
    """``L_g = 2(n − 1)`` dB for the intermediate ground reflections (P.533-14 §5.2.1)."""
    return 2.0 * (np.asarray(hops) - 1.0)


def mode_field_dbuv(power_dbkw, gain_dbi, slant_km, absorption_db, above_muf_db, ground_db,
                    auroral_db=0.0):
    """Median field strength of one mode (P.533-14 eqs. 22–23):

        E_w = 136.6 + P_t + G_t + 20 log f − L_b,
        L_b = 32.45 + 20 log f + 20 log p′ + L_i + L_m + L_g + L_h + L_z

    (the 20 log f terms cancel). ``L_h`` (auroral and other losses) is 0 below 42.5°
    geomagnetic latitude, which holds for every path to Korea.
    """
    return (136.6 - 32.45 + power_dbkw + gain_dbi - 20.0 * np.log10(slant_km)
            - absorption_db - above_muf_db - ground_db - auroral_db - LZ_DB)


def power_sum_db(levels_db, axis=-1):
    """Sum of incoherent contributions in power, ``10 log Σ 10^(E/10)`` (P.533-14 eq. 25)."""
    levels = np.asarray(levels_db, dtype=float)
    top = np.max(levels, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.squeeze(top, axis=axis) + 10.0 * np.log10(np.sum(10.0 ** ((levels - top) / 10.0), axis=axis))


def received_power_dbw(field_dbuv, freq_mhz, rx_gain_dbi=0.0):
    """Available power from an antenna of gain G_r, ``P_r = E + G_r − 20 log f − 107.2`` dBW
    (P.533-14 eq. 29)."""
    return np.asarray(field_dbuv) + rx_gain_dbi - 20.0 * np.log10(freq_mhz) - 107.2
