"""Night-time mediumwave sky wave: ITU-R P.1147-2 (150–1700 kHz, paths 50–12,000 km).

Annual median of half-hourly median field strength (P.1147-2 eq. 1), dB(µV/m):

    E = V + G_S − L_p + A − 20 log p − L_α − L_t − L_r

* V: transmitter cymomotive force in dB above 300 V; a short vertical monopole radiating P kW has
  300·√P V, so ``V = 10 log P(kW)`` (ITU-R P.368 reference, 300 V for 1 kW).
* ``A = 106.6 − 2 sin Φ``, Φ the geomagnetic latitude of the path midpoint.
* ``p = √(d² + 40 000)`` km, slant distance via a reflection height of 100 km.
* ``L_α = k p / 1000``, ``k = 3.2 + 0.19 f^0.4 tan²(Φ + 3°)`` (f in kHz): absorption.
* ``L_t``: loss relative to six hours after sunset (P.1147 Fig. 2). Here a simplified stand-in on
  the solar zenith angle at the path midpoint: 0 dB for χ ≥ 108° (astronomical night), rising
  linearly to 20 dB at χ = 96°; no sky wave (by day, Annex 2) for χ < 96°.
* ``G_S`` (sea gain near coasts) is left at 0 (conservative), ``L_p`` (polarisation coupling, low
  latitudes) and ``L_r`` (solar-activity loss, North America, Europe and Australia only) are 0 for
  paths to Korea.

Over Korea these components give the US night sky-wave formula of 47 CFR 73.190 (Formula 1) to
within 1 dB up to 300 km and 2.5 dB up to 1000 km: an independent check used in the tests.
"""

from __future__ import annotations

import numpy as np

#: Geomagnetic north pole of the dipole used by P.1147 and 47 CFR 73.190: 78.5° N, 69° W.
POLE_LAT_DEG, POLE_LON_DEG = 78.5, -69.0
NIGHT_ZENITH_DEG = 108.0
DAY_ZENITH_DEG = 96.0
TWILIGHT_LOSS_DB = 20.0
#: Day-to-day and within-the-hour spread of night sky wave: about ±8 dB between deciles (the 10 %
#: value is 6–10 dB above the median, P.1147-2 §4 and 47 CFR 73.190 Formula 2).
DECILE_DB = 8.0


def geomagnetic_latitude_deg(lat_deg, lon_deg):
    """Geomagnetic latitude of a point for the dipole pole at 78.5° N, 69° W (47 CFR 73.190 eq. 3)."""
    a = np.radians(np.asarray(lat_deg, dtype=float))
    b = np.radians(np.asarray(lon_deg, dtype=float))
    s = np.sin(a) * np.sin(np.radians(POLE_LAT_DEG)) + np.cos(a) * np.cos(np.radians(POLE_LAT_DEG)) * np.cos(
        b - np.radians(POLE_LON_DEG))
    return np.degrees(np.arcsin(np.clip(s, -1, 1)))


def slant_distance_km(distance_km):
    """``p = √(d² + 40 000)`` km (P.1147-2 §2)."""
    return np.sqrt(np.asarray(distance_km, dtype=float) ** 2 + 40000.0)


def time_loss_db(solar_zenith_deg):
    """Simplified L_t (dB) from the solar zenith angle at the path midpoint; +∞ by day."""
    chi = np.asarray(solar_zenith_deg, dtype=float)
    ramp = TWILIGHT_LOSS_DB * np.clip((NIGHT_ZENITH_DEG - chi) / (NIGHT_ZENITH_DEG - DAY_ZENITH_DEG), 0, 1)
    return np.where(chi < DAY_ZENITH_DEG, np.inf, ramp)


def field_dbuv(freq_khz: float, power_kw: float, distance_km, geomag_lat_deg, solar_zenith_deg):
    """Median night-time sky-wave field strength (dB(µV/m)), P.1147-2 eq. 1 with the terms above."""
    phi = np.asarray(geomag_lat_deg, dtype=float)
    p = slant_distance_km(distance_km)
    v = 10.0 * np.log10(power_kw)
    a = 106.6 - 2.0 * np.sin(np.radians(phi))
    k = 3.2 + 0.19 * freq_khz ** 0.4 * np.tan(np.radians(np.minimum(np.abs(phi) + 3.0, 60.0))) ** 2
    e = v + a - 20.0 * np.log10(p) - k * p / 1000.0 - time_loss_db(solar_zenith_deg)
    return np.where(np.asarray(distance_km) >= 50.0, e, -np.inf)


def fcc_night_field_dbuv(power_kw: float, distance_km, geomag_lat_deg):
    """47 CFR 73.190 Formula 1 (50 % of nights, six hours after sunset), dB(µV/m):
    ``97.5 − 20 log D − (2 + 4.95 tan² Φ)·√(D/1000)`` for a characteristic field of 100 mV/m at
    1 km, rescaled to a short monopole radiating ``power_kw`` (300·√P mV/m at 1 km)."""
    d = slant_distance_km(distance_km)
    phi = np.radians(np.minimum(np.abs(np.asarray(geomag_lat_deg, dtype=float)), 60.0))
    fc = 97.5 - 20.0 * np.log10(d) - (2.0 + 4.95 * np.tan(phi) ** 2) * np.sqrt(d / 1000.0)
    # characteristic field 100 mV/m at 1 km -> 300·√P mV/m at 1 km for a short monopole
    return fc + 20.0 * np.log10(300.0 * np.sqrt(power_kw) / 100.0)
