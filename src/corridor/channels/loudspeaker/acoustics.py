"""Outdoor sound propagation for loudspeaker broadcasts: plain functions over arrays.

Sound pressure level at a receiver from a point source of sound power level ``L_W``, by
ISO 9613-2:1996 (*Acoustics — Attenuation of sound during propagation outdoors — Part 2: General
method of calculation*), which describes propagation under favourable (downwind or moderate
night-time inversion) conditions, with the ground term of its alternative method (7.3.2: the
A-weighted ground attenuation of eq. 10 and the correction D_Ω of eq. 11 that goes with it):

    L_p = L_W + D_c + D_Ω − (A_div + A_atm + A_gr) − C_met         (ISO 9613-2 eqs. 3, 4, 10, 11)

All levels in dB (sound power re 1 pW, sound pressure re 20 µPa), distances in metres.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

#: Atmospheric absorption coefficient α, dB/km, by octave-band centre frequency (Hz), for the
#: six temperature/humidity conditions of ISO 9613-2:1996 Table 2 (10 °C/70 %, 20 °C/70 %,
#: 30 °C/70 %, 15 °C/20 %, 15 °C/50 %, 15 °C/80 %), from ISO 9613-1.
ABSORPTION_DB_PER_KM: dict[int, tuple[float, ...]] = {
    250: (1.0, 1.1, 1.0, 1.2, 1.2, 1.1),
    500: (1.9, 2.8, 3.1, 2.7, 2.2, 2.4),
    1000: (3.7, 5.0, 7.4, 8.2, 4.2, 4.1),
    2000: (9.7, 9.0, 12.7, 28.2, 10.8, 8.3),
}


def geometric_divergence_db(distance_m: np.ndarray) -> np.ndarray:
    """Spherical spreading from a point source, ``A_div = 20·lg(d / 1 m) + 11`` dB (ISO 9613-2 eq. 7).

    Distances below 1 m are treated as 1 m.
    """
    d = np.maximum(np.asarray(distance_m, dtype=float), 1.0)
    return 20.0 * np.log10(d) + 11.0


def atmospheric_absorption_db(distance_m: np.ndarray, alpha_db_per_km: np.ndarray | float) -> np.ndarray:
    """Air absorption ``A_atm = α·d / 1000`` dB (ISO 9613-2 eq. 8), α in dB/km (Table 2)."""
    return np.asarray(alpha_db_per_km) * np.asarray(distance_m, dtype=float) / 1000.0


def ground_attenuation_db(distance_m: np.ndarray, mean_height_m: float) -> np.ndarray:
    """Ground effect over mostly porous ground, the alternative method of ISO 9613-2 eq. 10:

        A_gr = 4.8 − (2 h_m / d)·(17 + 300 / d)  ≥ 0   dB

    ``h_m`` is the mean height of the propagation path above the ground (m).
    """
    d = np.maximum(np.asarray(distance_m, dtype=float), 1.0)
    return np.maximum(4.8 - (2.0 * mean_height_m / d) * (17.0 + 300.0 / d), 0.0)


def solid_angle_correction_db(distance_m: np.ndarray, source_height_m: float,
                              receiver_height_m: float) -> np.ndarray:
    """Sound reflected by the ground, added to the directivity when the ground attenuation is
    computed by the alternative method (ISO 9613-2:1996, 7.3.2, eq. 11):

        D_Ω = 10 lg{1 + [d_p² + (h_s − h_r)²] / [d_p² + (h_s + h_r)²]}   dB

    ``d_p`` is the source–receiver distance projected on the ground (m), ``h_s`` and ``h_r`` the
    heights of source and receiver above it (m). D_Ω tends to 10 lg 2 ≈ 3.01 dB far away.
    """
    d2 = np.square(np.asarray(distance_m, dtype=float))
    return 10.0 * np.log10(1.0 + (d2 + (source_height_m - receiver_height_m) ** 2)
                           / (d2 + (source_height_m + receiver_height_m) ** 2))


def meteorological_correction_db(distance_m: np.ndarray, source_height_m: float,
                                 receiver_height_m: float, c0_db: np.ndarray | float) -> np.ndarray:
    """Long-term average correction for less favourable weather (ISO 9613-2 eqs. 21–22):

        C_met = 0                               if d ≤ 10 (h_s + h_r)
        C_met = C_0 · (1 − 10 (h_s + h_r) / d)  otherwise

    ``C_0`` (0–5 dB) depends on how often the wind blows from source to receiver.
    """
    d = np.maximum(np.asarray(distance_m, dtype=float), 1.0)
    h = 10.0 * (source_height_m + receiver_height_m)
    return np.where(d <= h, 0.0, np.asarray(c0_db) * (1.0 - h / d))


def directivity_db(off_axis_deg: np.ndarray, directivity_index_db: float, beamwidth_deg: float,
                   front_to_back_db: float) -> np.ndarray:
    """Gain of a directional array relative to an omnidirectional source, D_c in dB.

    A parabolic main lobe, ``D_c(θ) = DI − min(12·(θ/θ₃)², FB)``, with θ₃ the −3 dB beamwidth
    and FB the front-to-back ratio: the pattern used for sector antennas in 3GPP TR 36.814
    (Table A.2.1.1-2), which fits horn and line-array loudspeaker polar data as well.
    """
    theta = np.abs((np.asarray(off_axis_deg, dtype=float) + 180.0) % 360.0 - 180.0)
    return directivity_index_db - np.minimum(12.0 * (theta / beamwidth_deg) ** 2, front_to_back_db)


def sound_pressure_level_db(sound_power_db: float, distance_m: np.ndarray, *, directivity_db_: np.ndarray | float = 0.0,
                            alpha_db_per_km: np.ndarray | float = 2.8, source_height_m: float = 10.0,
                            receiver_height_m: float = 1.5, c_met_db: np.ndarray | float = 0.0) -> np.ndarray:
    """Equivalent continuous sound pressure level at distance ``d`` (m), dB: ISO 9613-2 eqs. 3–4
    with the alternative method's ground term, eq. 10 with ``h_m = (h_s + h_r) / 2`` and the
    correction D_Ω of eq. 11 (heights in m)."""
    mean_height_m = (source_height_m + receiver_height_m) / 2.0
    return (sound_power_db + directivity_db_
            + solid_angle_correction_db(distance_m, source_height_m, receiver_height_m)
            - geometric_divergence_db(distance_m)
            - atmospheric_absorption_db(distance_m, alpha_db_per_km)
            - ground_attenuation_db(distance_m, mean_height_m) - c_met_db)


def intelligibility_probability(level_db: np.ndarray, background_db: np.ndarray, margin_db: float,
                                spread_db: float) -> np.ndarray:
    """Probability that speech is understood: ``Φ((L_p − L_bg − margin) / spread)``.

    Speech becomes intelligible once it stands ``margin`` dB above the background (about 10 dB
    for good intelligibility; ANSI S3.5-1997 speech intelligibility index reaches 1 at +15 dB);
    ``spread`` covers level fluctuations between minutes and listeners.
    """
    z = (np.asarray(level_db) - np.asarray(background_db) - margin_db) / spread_db
    return ndtr(z)
