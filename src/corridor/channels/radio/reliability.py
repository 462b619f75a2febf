"""Signal-to-noise variability and basic circuit reliability: ITU-R P.533-14 §10, P.842-5.

All in dB; reliabilities as fractions 0–1.
"""

from __future__ import annotations

import numpy as np

#: Day-to-day decile deviations of the signal (dB) by the ratio of operating frequency to basic
#: MUF, for paths not crossing 60° geomagnetic latitude (ITU-R P.842-5 Table 2, as used in
#: P.533-14 §10.2).
RATIO = np.array([0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 3.0, 4.0, 5.0])
DAY_UPPER_DB = np.array([6.0, 8.0, 12.0, 13.0, 12.0, 9.0, 9.0, 8.0, 7.0, 7.0])
DAY_LOWER_DB = np.array([8.0, 12.0, 13.0, 10.0, 8.0, 8.0, 8.0, 7.0, 6.0, 5.0])
#: Within-the-hour variation of the signal, upper and lower deciles (P.533-14 §10.2).
HOUR_UPPER_DB = 5.0
HOUR_LOWER_DB = 8.0


def signal_deciles_db(freq_mhz, basic_muf_mhz):
    """Upper and lower decile deviations of the signal, day-to-day and within the hour combined
    as root-sum-square (P.533-14 §10.2)."""
    r = np.asarray(freq_mhz) / np.asarray(basic_muf_mhz)
    du = np.interp(r, RATIO, DAY_UPPER_DB)
    dl = np.interp(r, RATIO, DAY_LOWER_DB)
    return np.hypot(du, HOUR_UPPER_DB), np.hypot(dl, HOUR_LOWER_DB)


def snr_deciles_db(signal_upper, signal_lower, noise_upper, noise_lower):
    """Deciles of the SNR: ``D_u = √(D_uS² + D_lN²)``, ``D_l = √(D_lS² + D_uN²)`` (P.533-14 §10.2)."""
    return np.hypot(signal_upper, noise_lower), np.hypot(signal_lower, noise_upper)


def basic_circuit_reliability(snr_db, required_snr_db, upper_db, lower_db):
    """Probability that the SNR reaches the required SNR (P.533-14 §10.2.2, eqs. 42–43):

        SNR ≥ SNR_r:  130 − 80 / (1 + (SNR − SNR_r)/D_l)   (at most 100 %)
        SNR < SNR_r:   80 / (1 + (SNR_r − SNR)/D_u) − 30    (at least 0 %)
    """
    margin = np.asarray(snr_db, dtype=float) - required_snr_db
    above = 130.0 - 80.0 / (1.0 + np.maximum(margin, 0.0) / lower_db)
    below = 80.0 / (1.0 + np.maximum(-margin, 0.0) / upper_db) - 30.0
    return np.clip(np.where(margin >= 0.0, above, below), 0.0, 100.0) / 100.0


def snr_at_percent_db(snr_db, upper_db, lower_db, percent: float = 90.0):
    """SNR exceeded on ``percent`` of days, normal with the decile deviations (P.533-14 §10.2)."""
    from scipy.special import ndtri

    t = ndtri(percent / 100.0) / 1.2816
    return np.where(t >= 0, np.asarray(snr_db) - lower_db * t, np.asarray(snr_db) - upper_db * t)
