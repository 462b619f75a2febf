"""Basic maximum usable frequency of E and F2 modes: ITU-R P.533-14 (08/2019) §§3.3–3.5 (from P.1240-2).

Frequencies in MHz, distances in km. Equation numbers are those of P.533-14: eq. 1 the E-layer
basic MUF, eq. 2 the mirror height h_r, eq. 3 F2(D)MUF, eq. 4 C_d, eq. 5 d_max, eq. 6 B (the
constants agree with ITU-R's reference program, ``MUFBasic.c``).
"""

from __future__ import annotations

import numpy as np

#: F2 hop lengths are limited to 4000 km, E hops to 2000 km (P.533-14 §3.5, §5.2.1).
DMAX_LIMIT_KM = 4000.0
E_HOP_MAX_KM = 2000.0
E_HEIGHT_KM = 110.0


def b_factor(m3000, x):
    """``B = M(3000)F2 − 0.124 + (M² − 4)·(0.0215 + 0.005 sin(7.854/x − 1.9635))`` (P.533-14 eq. 6)."""
    m = np.asarray(m3000, dtype=float)
    return m - 0.124 + (m ** 2 - 4.0) * (0.0215 + 0.005 * np.sin(7.854 / x - 1.9635))


def foratio(fof2_mhz, foe_mhz):
    """``x = foF2/foE``, at least 2 (P.533-14 §3.5.1)."""
    return np.maximum(np.asarray(fof2_mhz) / np.maximum(np.asarray(foe_mhz), 0.1), 2.0)


def dmax_km(b, x, limit_km: float = DMAX_LIMIT_KM):
    """Maximum F2 hop ``d_max = 4780 + (12610 + 2140/x² − 49720/x⁴ + 688900/x⁶)(1/B − 0.303)``,
    at most ``limit_km`` (4000 km, P.533-14 §3.5.1.1, eq. 5)."""
    d = 4780.0 + (12610.0 + 2140.0 / x ** 2 - 49720.0 / x ** 4 + 688900.0 / x ** 6) * (1.0 / b - 0.303)
    return np.clip(d, 100.0, limit_km)


def cd_factor(hop_km, dmax):
    """``C_d = 0.74 − 0.591Z − 0.424Z² − 0.090Z³ + 0.088Z⁴ + 0.181Z⁵ + 0.096Z⁶``, Z = 1 − 2d/d_max
    (P.533-14 eq. 4)."""
    z = 1.0 - 2.0 * np.asarray(hop_km, dtype=float) / dmax
    return 0.74 + z * (-0.591 + z * (-0.424 + z * (-0.090 + z * (0.088 + z * (0.181 + z * 0.096)))))


def f2_muf_mhz(hop_km, fof2_mhz, m3000, foe_mhz, gyro_mhz, dmax_limit_km: float = DMAX_LIMIT_KM):
    """Basic MUF of an F2 hop of length ``d ≤ d_max`` (P.533-14 eq. 3):

        F2(d)MUF = [1 + (C_d / C_3000)(B − 1)]·foF2 + (f_H / 2)(1 − d/d_max)

    A hop longer than d_max is taken as d_max, so a long ``hop_km`` gives F2(d_max)MUF.
    ``dmax_limit_km`` caps d_max (4000 km; the reference program lifts the cap for the ratios of
    :func:`f2_muf_beyond_dmax_mhz`).
    """
    x = foratio(fof2_mhz, foe_mhz)
    b = b_factor(m3000, x)
    dmax = dmax_km(b, x, dmax_limit_km)
    d = np.minimum(np.asarray(hop_km, dtype=float), dmax)
    ratio = cd_factor(d, dmax) / cd_factor(3000.0, dmax)
    return (1.0 + ratio * (b - 1.0)) * fof2_mhz + 0.5 * gyro_mhz * (1.0 - d / dmax)


def f2_muf_beyond_dmax_mhz(hop_km, lowest_hop_km, control_points):
    """Basic MUF of an F2 mode on a path longer than d_max, from the two control points
    T + d0/2 and R − d0/2 (``control_points``: two mappings with ``fof2``, ``m3000``, ``foe``,
    ``gyro``):

    * lowest-order mode (``hop_km == lowest_hop_km``, P.533-14 §3.5.1.2): "the lower of the
      F2(d_max)MUF values determined from equation (3) for the two control points";
    * higher-order modes (§3.5.2.2, as ITU-R's reference program for P.533 implements it,
      ``MUFBasic.c``): that value times the lower over the two points of
      F2(d)MUF / F2(d0)MUF, with d the mode's hop, d0 the lowest-order hop and d_max not capped.
    """
    n0_muf = np.minimum(*(f2_muf_mhz(np.inf, c["fof2"], c["m3000"], c["foe"], c["gyro"]) for c in control_points))
    ratio = np.minimum(*(
        f2_muf_mhz(hop_km, c["fof2"], c["m3000"], c["foe"], c["gyro"], np.inf)
        / f2_muf_mhz(lowest_hop_km, c["fof2"], c["m3000"], c["foe"], c["gyro"], np.inf) for c in control_points))
    return n0_muf * np.where(np.asarray(hop_km) >= np.asarray(lowest_hop_km), 1.0, ratio)


def e_muf_mhz(foe_mhz, sec_i110):
    """Basic MUF of an E hop, ``foE · sec i₁₁₀`` (secant law, P.533-14 §3.3, eq. 1)."""
    return np.asarray(foe_mhz) * sec_i110


def e_screening_mhz(foe_mhz, sec_i110_of_f2_ray):
    """E-layer maximum screening frequency of an F2 ray, ``f_s = 1.05 foE sec i₁₁₀`` (P.533-14 §4,
    eqs. 11–12), i₁₁₀ the angle of incidence at 110 km of the F2 mode's ray."""
    return 1.05 * np.asarray(foe_mhz) * sec_i110_of_f2_ray


#: Paths on which the E layer can screen F2 modes (P.533-14 §4: up to 4000 km).
SCREENING_MAX_KM = 4000.0


def f2_mirror_height_km(hop_km, freq_mhz, fof2_mhz, foe_mhz, m3000, ssn):
    """Equivalent plane-mirror reflection height h_r of an F2 hop (km), P.533-14 §5.1, as a
    function of time and place (foF2, foE, M(3000)F2, R12), frequency and hop length d:

        x = foF2/foE, y = max(x, 1.8), x_r = f/foF2,
        ΔM = 0.18/(y − 1.4) + 0.096 (R12 − 25)/150,  H = 1490/(M(3000)F2 + ΔM) − 316;

    a) x > 3.33, x_r ≥ 1: h = A₁ + B₁ 2.4^(−a) (A₁ + B₁ if B₁ < 0 or a < 0), with
       A₁ = 140 + (H − 47) E₁, B₁ = 150 + (H − 17) F₁ − A₁, a = (d − d_s)/(H + 140),
       d_s = 160 + (H + 43) G, E₁ = −0.09707 x_r³ + 0.6870 x_r² − 0.7506 x_r + 0.6,
       F₁ = −1.862 x_r⁴ + 12.95 x_r³ − 32.03 x_r² + 33.50 x_r − 10.91 (x_r ≤ 1.71; 1.21 + 0.2 x_r above),
       G = −2.102 x_r⁴ + 19.50 x_r³ − 63.15 x_r² + 90.47 x_r − 44.73 (x_r ≤ 3.7; 19.25 above);
    b) x > 3.33, x_r < 1: h = A₂ + B₂ b (A₂ + B₂ if B₂ < 0), with Z = max(x_r, 0.1),
       A₂ = 151 + (H − 47)(0.1906 Z² + 0.00583 Z + 0.1936), B₂ = 141 + (H − 24)(0.645 Z² + 0.883 Z
       + 0.162) − A₂, d_f = min(0.115 d/(Z (H + 140)), 0.65),
       b = −7.535 d_f⁴ + 15.75 d_f³ − 8.834 d_f² − 0.378 d_f + 1;
    c) x ≤ 3.33: h = 115 + H J + U d, J = −0.7126 y³ + 5.863 y² − 16.13 y + 16.07,
       U = 8·10⁻⁵ (H − 80)(1 + 11 y^−2.2) + 1.2·10⁻³ H y^−3.6;

    h_r = min(h, 800 km). R12 is capped at 160 (§3).
    """
    d = np.asarray(hop_km, dtype=float)
    fof2 = np.asarray(fof2_mhz, dtype=float)
    x = fof2 / np.maximum(np.asarray(foe_mhz, dtype=float), 0.1)
    y = np.maximum(x, 1.8)
    dm = 0.18 / (y - 1.4) + 0.096 * (min(max(float(ssn), 0.0), 160.0) - 25.0) / 150.0
    h_big = 1490.0 / (np.asarray(m3000, dtype=float) + dm) - 316.0
    xr = freq_mhz / fof2
    # a)
    e1 = ((-0.09707 * xr + 0.6870) * xr - 0.7506) * xr + 0.6
    f1 = np.where(xr <= 1.71, (((-1.862 * xr + 12.95) * xr - 32.03) * xr + 33.50) * xr - 10.91, 1.21 + 0.2 * xr)
    g = np.where(xr <= 3.7, (((-2.102 * xr + 19.50) * xr - 63.15) * xr + 90.47) * xr - 44.73, 19.25)
    ds = 160.0 + (h_big + 43.0) * g
    a = (d - ds) / (h_big + 140.0)
    a1 = 140.0 + (h_big - 47.0) * e1
    b1 = 150.0 + (h_big - 17.0) * f1 - a1
    h_a = np.where((b1 >= 0.0) & (a >= 0.0), a1 + b1 * 2.4 ** (-np.maximum(a, 0.0)), a1 + b1)
    # b)
    z = np.maximum(xr, 0.1)
    a2 = 151.0 + (h_big - 47.0) * ((0.1906 * z + 0.00583) * z + 0.1936)
    b2 = 141.0 + (h_big - 24.0) * ((0.645 * z + 0.883) * z + 0.162) - a2
    df = np.minimum(0.115 * d / (z * (h_big + 140.0)), 0.65)
    bb = (((-7.535 * df + 15.75) * df - 8.834) * df - 0.378) * df + 1.0
    h_b = np.where(b2 >= 0.0, a2 + b2 * bb, a2 + b2)
    # c)
    j = ((-0.7126 * y + 5.863) * y - 16.13) * y + 16.07
    u = 8e-5 * (h_big - 80.0) * (1.0 + 11.0 * y ** -2.2) + 1.2e-3 * h_big * y ** -3.6
    h_c = 115.0 + h_big * j + u * d
    h = np.where(x > 3.33, np.where(xr >= 1.0, h_a, h_b), h_c)
    return np.minimum(h, 800.0)


def f2_reflection_height_km(m3000):
    """Mirror reflection height of F2 modes, ``h_r = 1490/M(3000)F2 − 176`` km, at most 500 km
    (P.533-14 eq. 2): the height that decides which F2 modes exist (the lowest order n₀ with
    elevation ≥ 3°, §3.5.1.1 and §5.2.1) and, as in the ITU-R reference program, the ray
    geometry of each mode's field strength."""
    return np.minimum(1490.0 / np.asarray(m3000) - 176.0, 500.0)


#: Day-to-day spread of the MUF: the lower decile of the operational MUF is about 0.85 of the
#: median and the upper about 1.15 (ITU-R P.1240-2 Table 1, F2 modes, typical values).
MUF_LOWER_DECILE_FACTOR = 0.85


def probability_below_muf(freq_mhz, muf_mhz):
    """Fraction of days the frequency is below the MUF, a log-normal MUF with the decile factor above."""
    from scipy.special import ndtr

    sigma = -np.log(MUF_LOWER_DECILE_FACTOR) / 1.2816
    return ndtr(np.log(np.asarray(muf_mhz) / freq_mhz) / sigma)
