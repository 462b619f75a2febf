"""Basic maximum usable frequency of E and F2 modes: ITU-R P.533-14 §3.5 (from P.1240-2).

Frequencies in MHz, distances in km.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

#: F2 hop lengths are limited to 4000 km, E hops to 2000 km (P.533-14 §3.5, §5.2.1).
DMAX_LIMIT_KM = 4000.0
E_HOP_MAX_KM = 2000.0
E_HEIGHT_KM = 110.0


def b_factor(m3000, x):
    """``B = M(3000)F2 − 0.124 + (M² − 4)·(0.0215 + 0.005 sin(7.854/x − 1.9635))`` (P.533-14 eq. 3)."""
    m = np.asarray(m3000, dtype=float)
    return m - 0.124 + (m ** 2 - 4.0) * (0.0215 + 0.005 * np.sin(7.854 / x - 1.9635))


def foratio(fof2_mhz, foe_mhz):
    """``x = foF2/foE``, at least 2 (P.533-14 §3.5.1)."""
    return np.maximum(np.asarray(fof2_mhz) / np.maximum(np.asarray(foe_mhz), 0.1), 2.0)


def dmax_km(b, x):
    """Maximum F2 hop ``d_max = 4780 + (12610 + 2140/x² − 49720/x⁴ + 688900/x⁶)(1/B − 0.303)``,
    at most 4000 km (P.533-14 eq. 4)."""
    d = 4780.0 + (12610.0 + 2140.0 / x ** 2 - 49720.0 / x ** 4 + 688900.0 / x ** 6) * (1.0 / b - 0.303)
    return np.clip(d, 100.0, DMAX_LIMIT_KM)


def cd_factor(hop_km, dmax):
    """``C_d = 0.74 − 0.591Z − 0.424Z² − 0.090Z³ + 0.088Z⁴ + 0.181Z⁵ + 0.096Z⁶``, Z = 1 − 2d/d_max
    (P.533-14 eq. 5)."""
    z = 1.0 - 2.0 * np.asarray(hop_km, dtype=float) / dmax
    return 0.74 + z * (-0.591 + z * (-0.424 + z * (-0.090 + z * (0.088 + z * (0.181 + z * 0.096)))))


def f2_muf_mhz(hop_km, fof2_mhz, m3000, foe_mhz, gyro_mhz):
    """Basic MUF of an F2 hop of length ``d ≤ d_max`` (P.533-14 eq. 2):

        F2(d)MUF = [1 + (C_d / C_3000)(B − 1)]·foF2 + (f_H / 2)(1 − d/d_max)
    """
    x = foratio(fof2_mhz, foe_mhz)
    b = b_factor(m3000, x)
    dmax = dmax_km(b, x)
    d = np.minimum(np.asarray(hop_km, dtype=float), dmax)
    ratio = cd_factor(d, dmax) / cd_factor(3000.0, dmax)
    return (1.0 + ratio * (b - 1.0)) * fof2_mhz + 0.5 * gyro_mhz * (1.0 - d / dmax)


def e_muf_mhz(foe_mhz, sec_i110):
    """Basic MUF of an E hop, ``foE · sec i₁₁₀`` (secant law, P.533-14 §3.5.2)."""
    return np.asarray(foe_mhz) * sec_i110


def e_screening_mhz(foe_mhz, sec_i110_of_f2_ray):
    """E-layer screening frequency of an F2 ray, ``f_s = 1.05 foE sec i₁₁₀`` (P.533-14 §5.2.1)."""
    return 1.05 * np.asarray(foe_mhz) * sec_i110_of_f2_ray


def f2_reflection_height_km(m3000):
    """Mirror reflection height of F2 modes, ``h_r = 1490/M(3000)F2 − 176`` km, at most 500 km
    (P.533-14 §5.1)."""
    return np.minimum(1490.0 / np.asarray(m3000) - 176.0, 500.0)


#: Day-to-day spread of the MUF: the lower decile of the operational MUF is about 0.85 of the
#: median and the upper about 1.15 (ITU-R P.1240-2 Table 1, F2 modes, typical values).
MUF_LOWER_DECILE_FACTOR = 0.85


def probability_below_muf(freq_mhz, muf_mhz):
    """Fraction of days the frequency is below the MUF, a log-normal MUF with the decile factor above."""
    sigma = -np.log(MUF_LOWER_DECILE_FACTOR) / 1.2816
    return ndtr(np.log(np.asarray(muf_mhz) / freq_mhz) / sigma)
