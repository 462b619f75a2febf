"""Loss terms and field strength of one sky-wave mode, paths up to 7000 km: ITU-R P.533-14 (08/2019) §5.2.

Field strength in dB(µV/m), power in dB(1 kW), frequency in MHz, distances in km.

Two values differ between editions of the Recommendation and between the text and the ITU-R
reference program: the "not otherwise included" loss L_z, which P.533-14 §5.2.2 gives as "The
present recommended value is 8.72 dB" (P.533-12: 9.14 dB, which ITU-R's program ITURHFProp still
defines, ``#define NOIL 9.14`` in ``MedianSkywaveFieldStrengthShort.c``; Note 1 of §5.2 ties L_z to
the rest of the method, so it follows the edition whose method we implement), and the above-the-MUF
loss L_m, which the text gives as eqs. 24–26 (0 at and below f_b; E modes 130 (f/f_b − 1)², at most
81 dB; F2 modes 36 (f/f_b − 1)^½, at most 62 dB). For L_m we use the expression of the ITU-R reference
program for P.533 (ITURHFProp, Study Group 3), ``46 x^½ + 5`` for E modes and ``36 x^½ + 5`` up to
3000 km, ``70 x + 8`` beyond, for F2 modes (x = f/f_b − 1), rather than the printed eqs. 24–26,
which start from 0 at the MUF and do not depend on the path length. The measured field strengths
of CCIR Data Bank D1 decide between the two: with the printed form the model was 5.7–8.0 dB too
strong above the MUF (f/f_b 1.0–1.6, 1,970 hourly medians) against −0.4 dB at f/f_b 0.5–0.8; with the
program's form it was −1.0 to +0.6 dB, and is −0.1 to +1.2 dB with the basic MUF beyond d_max of
P.533-14 §3.5.1.2 (``docs/radio-validation.md``).
"""

from __future__ import annotations

import numpy as np

#: "Not otherwise included" loss for paths up to 9000 km (P.533-14 (08/2019) §5.2.2, eq. 18, L_z:
#: "The present recommended value is 8.72 dB"; ITURHFProp keeps P.533-12's 9.14 dB).
LZ_DB = 8.72
#: Caps of the above-the-MUF loss L_m (dB), ITU-R reference program for P.533: E modes, F2 modes
#: on paths up to 3000 km, F2 modes beyond.
LM_CAP_E_DB = 58.0
LM_CAP_F2_SHORT_DB = 60.0
LM_CAP_F2_LONG_DB = 80.0
#: Path length (km) up to which the F2 above-the-MUF loss grows as a square root.
LM_F2_SHORT_KM = 3000.0


def above_muf_loss_db(freq_mhz, basic_muf_mhz, layer: str, distance_km):
    """Loss when f exceeds the mode's basic MUF f_b (P.533 §5.2.2, L_m), in dB, x = f/f_b − 1:

        f ≤ f_b:                     L_m = 0
        E modes, f > f_b:            L_m = min(46 x^½ + 5, 58)
        F2 modes, f > f_b, D ≤ 3000:  L_m = min(36 x^½ + 5, 60)
        F2 modes, f > f_b, D > 3000:  L_m = min(70 x + 8, 80)

    as in the ITU-R reference program for P.533 (module doc: why not the printed eqs. 24–26).
    ``distance_km`` is the great-circle path length D; all arguments broadcast.
    """
    r = np.asarray(freq_mhz) / np.asarray(basic_muf_mhz) - 1.0
    above = r > 0.0
    x = np.maximum(r, 0.0)
    if layer == "E":
        lm = np.minimum(46.0 * np.sqrt(x) + 5.0, LM_CAP_E_DB)
    else:
        short = np.minimum(36.0 * np.sqrt(x) + 5.0, LM_CAP_F2_SHORT_DB)
        long_ = np.minimum(70.0 * x + 8.0, LM_CAP_F2_LONG_DB)
        lm = np.where(np.asarray(distance_km) <= LM_F2_SHORT_KM, short, long_)
    return np.where(above, lm, 0.0)


#: P.533-14 Table 2, L_h (dB) giving auroral and other signal losses: [range ≤ 2500 km, > 2500 km]
#: [winter, equinox, summer][geomagnetic latitude band: ≥ 77.5°, 72.5–77.5°, …, 42.5–47.5°]
#: [mid-path local time: 01–04, 04–07, 07–10, 10–13, 13–16, 16–19, 19–22, 22–01 h].
LH_TABLE_DB = np.array([
    [[[2.0, 6.6, 6.2, 1.5, 0.5, 1.4, 1.5, 1.0], [3.4, 8.3, 8.6, 0.9, 0.5, 2.5, 3.0, 3.0],
      [6.2, 15.6, 12.8, 2.3, 1.5, 4.6, 7.0, 5.0], [7.0, 16.0, 14.0, 3.6, 2.0, 6.8, 9.8, 6.6],
      [2.0, 4.5, 6.6, 1.4, 0.8, 2.7, 3.0, 2.0], [1.3, 1.0, 3.2, 0.3, 0.4, 1.8, 2.3, 0.9],
      [0.9, 0.6, 2.2, 0.2, 0.2, 1.2, 1.5, 0.6], [0.4, 0.3, 1.1, 0.1, 0.1, 0.6, 0.7, 0.3]],
     [[1.4, 2.5, 7.4, 3.8, 1.0, 2.4, 2.4, 3.3], [3.3, 11.0, 11.6, 5.1, 2.6, 4.0, 6.0, 7.0],
      [6.5, 12.0, 21.4, 8.5, 4.8, 6.0, 10.0, 13.7], [6.7, 11.2, 17.0, 9.0, 7.2, 9.0, 10.9, 15.0],
      [2.4, 4.4, 7.5, 5.0, 2.6, 4.8, 5.5, 6.1], [1.7, 2.0, 5.0, 3.0, 2.2, 4.0, 3.0, 4.0],
      [1.1, 1.3, 3.3, 2.0, 1.4, 2.6, 2.0, 2.6], [0.5, 0.6, 1.6, 1.0, 0.7, 1.3, 1.0, 1.3]],
     [[2.2, 2.7, 1.2, 2.3, 2.2, 3.8, 4.2, 3.8], [2.4, 3.0, 2.8, 3.0, 2.7, 4.2, 4.8, 4.5],
      [4.9, 4.2, 6.2, 4.5, 3.8, 5.4, 7.7, 7.2], [6.5, 4.8, 9.0, 6.0, 4.8, 9.1, 9.5, 8.9],
      [3.2, 2.7, 4.0, 3.0, 3.0, 6.5, 6.7, 5.0], [2.5, 1.8, 2.4, 2.3, 2.6, 5.0, 4.6, 4.0],
      [1.6, 1.2, 1.6, 1.5, 1.7, 3.3, 3.1, 2.6], [0.8, 0.6, 0.8, 0.7, 0.8, 1.6, 1.5, 1.3]]],
    [[[1.5, 2.7, 2.5, 0.8, 0.0, 0.9, 0.8, 1.6], [2.5, 4.5, 4.3, 0.8, 0.3, 1.6, 2.0, 4.8],
      [5.5, 5.0, 7.0, 1.9, 0.5, 3.0, 4.5, 9.6], [5.3, 7.0, 5.9, 2.0, 0.7, 4.0, 4.5, 10.0],
      [1.6, 2.4, 2.7, 0.6, 0.4, 1.7, 1.8, 3.5], [0.9, 1.0, 1.3, 0.1, 0.1, 1.0, 1.5, 1.4],
      [0.6, 0.6, 0.8, 0.1, 0.1, 0.6, 1.0, 0.5], [0.3, 0.3, 0.4, 0.0, 0.0, 0.3, 0.5, 0.4]],
     [[1.0, 1.2, 2.7, 3.0, 0.6, 2.0, 2.3, 1.6], [1.8, 2.9, 4.1, 5.7, 1.5, 3.2, 5.6, 3.6],
      [3.7, 5.6, 7.7, 8.1, 3.5, 5.0, 9.5, 7.3], [3.9, 5.2, 7.6, 9.0, 5.0, 7.5, 10.0, 7.9],
      [1.4, 2.0, 3.2, 3.8, 1.8, 4.0, 5.4, 3.4], [0.9, 0.9, 1.8, 2.0, 1.3, 3.1, 2.7, 2.0],
      [0.6, 0.6, 1.2, 1.3, 0.8, 2.0, 1.8, 1.3], [0.3, 0.3, 0.6, 0.6, 0.4, 1.0, 0.9, 0.6]],
     [[1.9, 3.8, 2.2, 1.1, 2.1, 1.2, 2.3, 2.4], [1.9, 4.6, 2.9, 1.3, 2.2, 1.3, 2.8, 2.7],
      [4.4, 6.3, 5.9, 1.9, 3.3, 1.7, 4.4, 4.5], [5.5, 8.5, 7.6, 2.6, 4.2, 3.2, 5.5, 5.7],
      [2.8, 3.8, 3.7, 1.4, 2.7, 1.6, 4.5, 3.2], [2.2, 2.4, 2.2, 1.0, 2.2, 1.2, 4.4, 2.5],
      [1.4, 1.6, 1.4, 0.6, 1.4, 0.8, 2.9, 1.6], [0.7, 0.8, 0.7, 0.3, 0.7, 0.4, 1.4, 0.8]]],
])
#: L_h is zero below this geomagnetic latitude (P.533-14 Table 2).
LH_MIN_GEOMAG_DEG = 42.5


def auroral_loss_db(geomag_lat_deg, lat_deg, month: int, midpath_local_hour, distance_km):
    """L_h, auroral and other signal losses at one control point (P.533-14 §5.2.2, Table 2), dB.

    Season by the control point's hemisphere (winter December–February in the north, June–August
    in the south; summer the opposite; equinox the other months), the mid-path local time in
    three-hour blocks starting at 01 h, the transmission range (≤ 2500 km or beyond) and the
    geomagnetic latitude in 5° bands from 42.5°; 0 below 42.5°.
    """
    gm = np.abs(np.asarray(geomag_lat_deg, dtype=float))
    north = np.asarray(lat_deg, dtype=float) >= 0.0
    m = int(month)
    season_n = 0 if m in (12, 1, 2) else 2 if m in (6, 7, 8) else 1
    season = np.where(north, season_n, 2 - season_n)
    band = np.clip(np.floor((82.5 - gm) / 5.0), 0, 7).astype(int)         # ≥ 77.5° → 0 … 42.5–47.5° → 7
    block = (np.floor((np.asarray(midpath_local_hour, dtype=float) - 1.0) % 24.0 / 3.0)).astype(int)
    far = (np.asarray(distance_km, dtype=float) > 2500.0).astype(int)
    shape = np.broadcast(gm, season, block, far).shape
    lh = LH_TABLE_DB[np.broadcast_to(far, shape), np.broadcast_to(season, shape), np.broadcast_to(band, shape),
                     np.broadcast_to(block, shape)]
    return np.where(np.broadcast_to(gm, shape) >= LH_MIN_GEOMAG_DEG, lh, 0.0)


def ground_reflection_loss_db(hops):
    """``L_g = 2(n − 1)`` dB for the intermediate ground reflections, land or sea alike (P.533-14
    §5.2.2, eq. 27)."""
    return 2.0 * (np.asarray(hops) - 1.0)


def mode_field_dbuv(power_dbkw, gain_dbi, slant_km, absorption_db, above_muf_db, ground_db,
                    auroral_db=0.0):
    """Median field strength of one mode (P.533-14 eqs. 17–18):

        E_w = 136.6 + P_t + G_t + 20 log f − L_b,
        L_b = 32.45 + 20 log f + 20 log p′ + L_i + L_m + L_g + L_h + L_z

    (the 20 log f terms cancel). ``L_h`` (auroral and other losses, :func:`auroral_loss_db`) is 0
    below 42.5° geomagnetic latitude, which holds for the paths to Korea.
    """
    return (136.6 - 32.45 + power_dbkw + gain_dbi - 20.0 * np.log10(slant_km)
            - absorption_db - above_muf_db - ground_db - auroral_db - LZ_DB)


def power_sum_db(levels_db, axis=-1):
    """Sum of incoherent contributions in power, ``10 log Σ 10^(E/10)`` (P.533-14 eq. 28)."""
    levels = np.asarray(levels_db, dtype=float)
    top = np.max(levels, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.squeeze(top, axis=axis) + 10.0 * np.log10(np.sum(10.0 ** ((levels - top) / 10.0), axis=axis))


def received_power_dbw(field_dbuv, freq_mhz, rx_gain_dbi=0.0):
    """Available power from an antenna of gain G_r, ``P_r = E + G_r − 20 log f − 107.2`` dBW
    (P.533-14 §6)."""
    return np.asarray(field_dbuv) + rx_gain_dbi - 20.0 * np.log10(freq_mhz) - 107.2
