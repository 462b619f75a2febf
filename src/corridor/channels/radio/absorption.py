"""Ionospheric absorption of a sky-wave mode, paths up to 7000 km: ITU-R P.533-14 (08/2019) §5.2.2 (eqs. 20–23).

    L_i = n (1 + 0.0067 R12) sec i · (1/m) Σ_j AT_noon,j φ_n(f_v/foE_j) F(χ_j)/F(χ_j,noon) / (f + f_L,j)²   (dB)

with n the number of hops, R12 ≤ 160, i the angle of incidence at 110 km, f_v = f cos i, f_L,j =
|f_H sin I| the longitudinal gyrofrequency at 100 km, and the sum over the m = 2n *penetration
points* of the mode: P.533-14 §5.2.2 computes L_i "at m penetration points", found "by assuming a
fixed reflection height of 300 km and a penetration height of 90 km (two penetration points per
hop)", with f_L taken at each penetration point inside the sum (:func:`penetration_offset_km`).
(The wording of the clause is as other implementations quote it; the text itself was not at hand.)
The printed equation does not say legibly whether the sum carries 1/m; we take the mean over the
m points times n, as ITU-R's reference program for P.533-14 does (``PenetrationPoints`` returns the
sum over 2n points divided by 2n) and as the per-hop calibration of AT_noon requires: without it a
hop would be counted twice. Where the program departs from the text we follow the text: it places
the points with each mode's own mirror height instead of 300 km, and divides by (f + f_L)² with
f_L averaged over the Table 1d control points, outside the sum. P.533-12 and earlier averaged instead over the k control points of
Table 1d (mid-path up to 2000 km; T + 1000, M, R − 1000 up to d_max; also T + d0/2, R − d0/2
beyond), which :func:`absorption_loss_db` still computes for the ``"p533_12"`` option of
:func:`corridor.channels.radio.hf.predict`.

The three figures of the Recommendation enter as data:

* ``AT_noon`` (Fig. 1): absorption factor at local noon and R12 = 0 against |latitude|, for nine
  month groups (dB·MHz²);
* ``φ_n`` (Fig. 2): absorption-layer penetration factor against f_v/foE, normalised to 1 above
  the E layer (f_v/foE ≥ 10);
* ``p`` (Fig. 3): diurnal absorption exponent against the modified magnetic dip for each month,
  in ``F(χ) = max(cos^p(0.881 χ), 0.02)``, χ at most 102°.

The numbers are those of P.533-14 Figs. 1–3 as tabulated (Fig. 1 at 2.5° steps) and fitted
(Figs. 2 and 3, polynomials of the earlier ITU-R program REC533) in the ITU-R Study Group 3
reference implementation of P.533 (ITU-R-HF, P533 library), which its authors distribute free of
copyright assertions; the code here is our own. Frequencies in MHz, angles in degrees.
"""

from __future__ import annotations

import numpy as np

from corridor.channels.radio.geometry import EARTH_RADIUS_KM, elevation_deg

#: R12 is limited to 160 in the absorption, as in ITU-R's reference program (``SSN = MIN(path->SSN,
#: MAXSSN)``, MAXSSN 160); the absorption scales as (1 + 0.0067 R12) (P.533-14 eq. 20).
SSN_CAP = 160.0
#: P.533-14 eq. 21: "F(χ) = cos^p(0.881 χ) or 0.02 whichever is greater", χ at most 102°.
MAX_ZENITH_DEG = 102.0
F_FLOOR = 0.02

#: Fig. 1, AT_noon (dB·MHz²) at |latitude| 0, 2.5, …, 70°, by month group.
_AT_LAT_STEP = 2.5
_AT_NOON = np.array([
    # Dec–Jan (winter)
    [323.9, 297.5, 274.5, 256.4, 244.2, 235.0, 229.5, 226.1, 226.8, 229.0, 232.5, 237.0, 243.4, 249.9, 258.1,
     267.5, 277.5, 283.3, 283.2, 273.1, 257.0, 232.1, 201.4, 171.5, 146.0, 123.0, 103.1, 83.0, 66.6],
    # Feb
    [312.1, 285.1, 263.1, 251.8, 249.5, 250.9, 254.5, 260.3, 266.7, 272.3, 277.8, 280.3, 283.9, 284.5, 284.4,
     283.0, 278.6, 273.0, 265.7, 256.3, 244.8, 232.0, 218.1, 204.5, 189.9, 172.3, 155.3, 135.5, 116.2],
    # Mar
    [347.7, 321.9, 302.5, 293.8, 291.4, 289.3, 292.1, 296.6, 304.3, 313.0, 321.7, 333.8, 342.6, 349.6, 355.2,
     355.6, 352.2, 341.7, 327.3, 308.4, 286.0, 265.0, 244.1, 223.8, 202.8, 181.8, 160.8, 141.6, 123.4],
    # Apr
    [338.0, 313.2, 297.0, 290.2, 292.1, 299.4, 308.0, 320.4, 331.6, 340.7, 347.8, 353.8, 357.0, 360.0, 359.8,
     358.3, 355.8, 350.8, 344.5, 332.7, 316.4, 292.5, 266.1, 236.4, 214.0, 193.8, 177.5, 165.0, 155.9],
    # May and Aug
    [328.1, 303.8, 287.7, 282.5, 284.4, 289.4, 294.8, 303.6, 312.9, 322.7, 332.3, 343.8, 350.6, 358.7, 364.3,
     365.8, 362.4, 356.0, 346.7, 333.0, 318.8, 299.7, 282.1, 260.5, 240.5, 220.6, 203.9, 186.3, 173.0],
    # Jun and Jul (summer)
    [305.1, 288.5, 275.2, 273.7, 278.6, 288.9, 302.5, 319.3, 333.6, 346.3, 356.3, 364.7, 371.7, 373.6, 374.2,
     373.1, 370.5, 365.1, 358.5, 347.7, 335.0, 320.3, 299.1, 276.6, 253.2, 230.7, 214.0, 196.6, 185.3],
    # Sep
    [345.4, 319.4, 298.7, 290.1, 290.0, 291.8, 296.3, 302.9, 312.1, 320.1, 327.8, 334.1, 340.2, 343.3, 345.7,
     346.5, 345.3, 341.1, 334.5, 321.7, 304.2, 286.8, 265.9, 244.8, 224.1, 204.5, 183.6, 164.1, 145.2],
    # Oct
    [341.9, 314.8, 295.3, 277.9, 265.0, 258.2, 254.4, 255.8, 257.3, 262.9, 268.5, 279.0, 287.5, 295.2, 299.6,
     300.2, 298.9, 291.5, 279.0, 262.6, 245.7, 227.0, 203.6, 182.3, 163.2, 147.1, 133.9, 119.9, 110.8],
    # Nov
    [318.8, 293.3, 268.3, 251.7, 240.4, 233.1, 229.4, 228.8, 230.5, 235.5, 239.7, 242.6, 245.4, 247.5, 248.9,
     249.9, 248.5, 244.4, 237.3, 225.6, 213.5, 195.2, 172.7, 151.3, 131.1, 113.1, 100.1, 89.0, 80.0],
])
#: Row of :data:`_AT_NOON` for each month 1–12 (northern-hemisphere months).
_AT_ROW = np.array([0, 1, 2, 3, 4, 5, 5, 4, 6, 7, 8, 0])

#: Fig. 3: the modified dip that splits the two polynomial ranges, by month (degrees).
_P_SPLIT_DEG = np.array([30.0, 30.0, 30.0, 27.5, 32.5, 35.0, 37.5, 35.0, 32.5, 30.0, 30.0, 30.0])
#: Fig. 3: p = Σ a_k X^k (k = 0…6), X the modified dip scaled to −1…1 within its range;
#: [month][range: below / above the split][k].
_P_COEF = np.array([
    [[1.510, -0.353, -0.090, 0.191, 0.133, -0.067, -0.053], [1.400, -0.365, -1.212, -0.049, 1.187, 0.119, -0.400]],
    [[1.490, -0.348, -0.055, 0.164, 0.160, -0.041, -0.080], [1.450, -0.119, -0.913, -0.640, 0.347, 0.458, 0.107]],
    [[1.520, -0.410, -0.138, 0.308, 0.267, -0.113, -0.133], [1.500, -0.492, -0.958, 0.216, 0.267, -0.029, 0.187]],
    [[1.580, -0.129, -0.228, -0.192, 0.200, 0.116, -0.027], [1.530, -0.468, -1.312, 0.096, 0.973, 0.057, -0.187]],
    [[1.590, 0.002, -0.102, -0.579, -0.467, 0.522, 0.613], [1.490, -0.937, -1.622, 1.365, 1.720, -0.873, -0.453]],
    [[1.600, -0.060, -0.175, -0.037, 0.147, -0.008, -0.027], [1.460, -0.881, -1.595, 0.901, 2.133, -0.395, -0.933]],
    [[1.60, -0.030, -0.135, -0.137, 0.053, 0.072, 0.027], [1.43, -0.902, -1.667, 0.905, 2.480, -0.383, -1.173]],
    [[1.59, -0.032, -0.083, -0.119, 0.000, 0.031, 0.053], [1.46, -0.831, -1.653, 0.708, 2.320, -0.257, -1.067]],
    [[1.59, -0.060, -0.180, -0.181, 0.267, 0.081, -0.107], [1.51, -0.809, -1.740, 0.750, 2.240, -0.301, -0.960]],
    [[1.57, -0.189, -0.207, -0.005, 0.293, 0.004, -0.107], [1.52, -0.433, -1.015, -0.017, 0.440, 0.115, 0.080]],
    [[1.55, -0.292, -0.275, 0.093, 0.427, -0.026, -0.187], [1.44, -0.279, -0.770, -0.266, 0.053, 0.245, 0.267]],
    [[1.51, -0.347, -0.082, 0.160, 0.093, -0.048, -0.027], [1.40, -0.355, -1.212, -0.102, 1.187, 0.172, -0.400]],
])
_MODIP_MAX_DEG = 70.0

#: Fig. 2: φ_n as polynomials in X on f_v/foE ≤ 1 (X = (T − 0.475)/0.475) and 1 < T ≤ 2.2
#: (X = (T − 1.65)/0.55), coefficients from X⁰ up; a slow fall to 0.34 at T = 10 beyond; the
#: curve is divided by 0.34 so that φ_n = 1 well above the E layer.
_PHI_LOW = (0.225, 0.159, 0.044, -0.027, 0.127, 0.04, -0.093)
_PHI_MID = (0.375, -0.049, 0.054, 0.034, -0.027, -0.07, 0.043)
_PHI_CAP, _PHI_HIGH = 0.53, 0.34


def at_noon(lat_deg, month: int):
    """AT_noon (dB·MHz²) of P.533-14 Fig. 1 at |latitude|, linear between the 2.5° steps (the
    figure's month groups; like the reference implementation, the month is not shifted south of
    the equator)."""
    row = _AT_NOON[_AT_ROW[int(month) - 1]]
    grid = np.arange(row.size) * _AT_LAT_STEP
    return np.interp(np.clip(np.abs(np.asarray(lat_deg, dtype=float)), 0.0, grid[-1]), grid, row)


def _horner(coef, x):
    out = np.full(np.shape(x), coef[-1], dtype=float)
    for c in coef[-2::-1]:
        out = out * x + c
    return out


def penetration_factor(ratio):
    """φ_n(f_v/foE) of P.533-14 Fig. 2, normalised to 1 above the E layer."""
    t = np.asarray(ratio, dtype=float)
    low = _horner(_PHI_LOW, (t - 0.475) / 0.475)
    mid = _horner(_PHI_MID, (t - 1.65) / 0.55)
    high = _PHI_HIGH + (10.0 - np.minimum(t, 10.0)) * 0.02 / 7.8
    phi = np.where(t <= 1.0, np.minimum(low, _PHI_CAP), np.where(t <= 2.2, np.minimum(mid, _PHI_CAP), high))
    return np.where(t < 0.0, 0.0, phi) / _PHI_HIGH


def modified_dip_deg(dip_deg, lat_deg):
    """Modified dip ``arctan(I / √cos φ)`` (I in radians; Rawer 1963), as used by P.533 Fig. 3."""
    dip = np.radians(np.asarray(dip_deg, dtype=float))
    coslat = np.sqrt(np.maximum(np.cos(np.radians(np.asarray(lat_deg, dtype=float))), 1e-6))
    return np.degrees(np.abs(np.arctan2(dip, coslat)))


def diurnal_exponent(dip_deg, lat_deg, month: int):
    """Diurnal absorption exponent p of P.533-14 Fig. 3 (month shifted by six south of the equator)."""
    lat = np.asarray(lat_deg, dtype=float)
    mu = np.minimum(modified_dip_deg(dip_deg, lat), _MODIP_MAX_DEG)
    out = np.zeros(np.broadcast(mu, lat).shape)
    for south in (False, True):
        here = (lat < 0.0) == south
        if not np.any(here):
            continue
        m = (int(month) + 5) % 12 if south else int(month) - 1
        split = _P_SPLIT_DEG[m]
        low = _horner(_P_COEF[m, 0], -1.0 + 2.0 * mu / split)
        high = _horner(_P_COEF[m, 1], -1.0 + 2.0 * (mu - split) / (_MODIP_MAX_DEG - split))
        out = np.where(here, np.where(mu > split, high, low), out)
    return out


def diurnal_factor(zenith_deg, p):
    """``F(χ) = max(cos^p(0.881 χ), 0.02)``, χ at most 102° (P.533-14 §5.2.1)."""
    chi = np.minimum(np.asarray(zenith_deg, dtype=float), MAX_ZENITH_DEG)
    return np.maximum(np.cos(np.radians(0.881 * chi)) ** p, F_FLOOR)


def absorption_term(month: int, lat_deg, zenith_deg, noon_zenith_deg, dip_deg, foe_mhz, fv_mhz):
    """AT at one control point: ``AT_noon · φ_n(f_v/foE) · F(χ)/F(χ_noon)`` (dB·MHz²)."""
    p = diurnal_exponent(dip_deg, lat_deg, month)
    ratio = np.asarray(fv_mhz) / np.maximum(np.asarray(foe_mhz), 0.1)
    return (at_noon(lat_deg, month) * penetration_factor(ratio)
            * diurnal_factor(zenith_deg, p) / diurnal_factor(noon_zenith_deg, p))


def absorption_loss_db(freq_mhz, hops, ssn: float, sec_i110, mean_term, fl_mhz):
    """``L_i = n (1 + 0.0067 R12) sec i AT / (f + f_L)²`` (dB), AT and f_L averaged over the control
    points of Table 1d: the method of P.533-12 (the ``"p533_12"`` option); P.533-14 uses
    :func:`absorption_loss_points_db`."""
    r = min(max(float(ssn), 0.0), SSN_CAP)
    return hops * (1.0 + 0.0067 * r) * sec_i110 * mean_term / (freq_mhz + fl_mhz) ** 2


#: P.533-14 §5.2.2: the penetration points of a hop are where a ray reflected at a fixed 300 km
#: crosses 90 km.
PENETRATION_REFLECTION_KM = 300.0
PENETRATION_HEIGHT_KM = 90.0


def penetration_offset_km(hop_km):
    """Ground distance (km) from either end of a hop to its penetration point (P.533-14 §5.2.2).

    The ray leaves the ground at the elevation Δ of a mirror at 300 km over the hop
    (:func:`~corridor.channels.radio.geometry.elevation_deg`) and crosses 90 km at the Earth-centre
    angle ``θ = 90° − Δ − arcsin(R cos Δ / (R + 90))`` from its end (triangle Earth centre–ground–
    crossing), so the offset is ``R θ``. A mirror at 300 km closes a hop of at most 3,836 km; for
    a longer hop (a one-hop F2 mode on a 3,836–4,000 km path, which the text does not treat) the
    grazing ray (Δ = 0) is taken. At most half the hop.
    """
    hop = np.asarray(hop_km, dtype=float)
    d = np.radians(np.maximum(elevation_deg(hop, PENETRATION_REFLECTION_KM), 0.0))
    theta = np.pi / 2 - d - np.arcsin(EARTH_RADIUS_KM * np.cos(d) / (EARTH_RADIUS_KM + PENETRATION_HEIGHT_KM))
    return np.minimum(EARTH_RADIUS_KM * theta, hop / 2.0)


def penetration_fractions(distance_km, hops):
    """The 2n penetration points of an n-hop mode as fractions of the path (P.533-14 §5.2.2).

    ``distance_km`` and ``hops`` broadcast (hops may differ per element). Returns a list of
    ``(fraction, present)`` pairs, two per hop up to the largest hop count: hop k (from 0) enters
    the absorbing layer at ``(k d_h + x)/D`` and leaves at ``((k + 1) d_h − x)/D``, d_h = D/n, x the
    :func:`penetration_offset_km`; ``present`` is False where the mode has fewer than k + 1 hops.
    """
    dist = np.asarray(distance_km, dtype=float)
    n = np.asarray(hops, dtype=float)
    hop = dist / n
    x = penetration_offset_km(hop)
    out = []
    for k in range(int(np.max(n))):
        present = k < n
        out.append((np.clip((k * hop + x) / dist, 0.0, 1.0), present))
        out.append((np.clip(((k + 1) * hop - x) / dist, 0.0, 1.0), present))
    return out


def absorption_loss_points_db(hops, ssn: float, sec_i110, mean_term_over_f2):
    """``L_i = n (1 + 0.0067 R12) sec i · ⟨AT_j / (f + f_L,j)²⟩`` (dB), P.533-14 eq. 20, the mean over
    the 2n penetration points of each point's absorption term divided by its own (f + f_L)²."""
    r = min(max(float(ssn), 0.0), SSN_CAP)
    return np.asarray(hops) * (1.0 + 0.0067 * r) * sec_i110 * mean_term_over_f2



#: The ``"d1_e_layer"`` option of :func:`corridor.channels.radio.hf.predict` (not the
#: Recommendation): the absorption of rays reflected within the E layer (f_v/foE ≤ 1, the E modes
#: below their MUF, which carry the signal by day on paths up to about 3000 km at low frequencies)
#: multiplied by ``1 + E_REFLECTION_GAIN``. Fitted on the development part of CCIR Data Bank D1
#: (``docs/radio-validation.md``).
E_REFLECTION_GAIN = 0.3


def e_reflection_factor(ratio, gain: float | None = None):
    """Factor on φ_n for the ``"d1_e_layer"`` option: ``1 + g`` where f_v/foE ≤ 1 (the ray turns
    within the E layer), 1 above; g = :data:`E_REFLECTION_GAIN` unless given."""
    g = E_REFLECTION_GAIN if gain is None else float(gain)
    return np.where(np.asarray(ratio, dtype=float) <= 1.0, 1.0 + g, 1.0)
