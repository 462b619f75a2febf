"""Air density with height, and what it implies for falling things and float levels.

Two standard atmospheres are used:

* the NASA Glenn Research Center three-layer model ("Earth Atmosphere Model", metric units),
  which Tawhiri's drag descent uses — kept here so descents compare with it exactly;
* the ICAO/ISA troposphere (ICAO Doc 7488/3, 1993): T = 288.15 − 0.0065·h K,
  p = 101325·(T/288.15)^5.25588 Pa, ρ = p/(287.05·T), for float levels from fill fractions.
"""

from __future__ import annotations

import numpy as np

# Compiled in ``kernels`` (next to the RK4 step that calls them). In the NASA Glenn model,
# troposphere (z ≤ 11 km): T = 15.04 − 0.00649 z (°C), p = 101.29·((T + 273.1)/288.08)^5.256 kPa;
# lower stratosphere (11–25 km): T = −56.46, p = 22.65·exp(1.73 − 0.000157 z); above:
# T = −131.21 + 0.00299 z, p = 2.488·((T + 273.1)/216.6)^−11.388; ρ = p/(0.2869·(T + 273.1)).
# Reference: NASA Glenn Research Center, "Earth Atmosphere Model — Metric Units". The drag
# descent w(z) = 1.1045·w0/sqrt(ρ(z)) is Tawhiri's ``make_drag_descent`` (terminal speed ∝ 1/sqrt ρ).
from corridor.channels.balloon.kernels import (
    DRAG_FACTOR,
    drag_fall_rate_m_s,
    nasa_density_kg_m3,
)


def isa_density_ratio(z_m):
    """ρ(z)/ρ(0) in the ISA troposphere (dimensionless), z in m (valid to 11 km)."""
    temp = 288.15 - 0.0065 * np.asarray(z_m, float)
    return (temp / 288.15) ** (5.25588 - 1.0)


def float_altitude_from_fill_m(fill_fraction):
    """Altitude (m) where a partly filled, non-extensible envelope becomes full.

    The gas expands as the air density falls; the envelope is full where
    ρ(z)/ρ(0) = V_launch/V_full (ideal gas at the ambient temperature and pressure; ISA
    troposphere, ISO 2533:1975). Inverts
    :func:`isa_density_ratio`: z = (288.15/0.0065)·(1 − f^(1/4.25588)).
    """
    f = np.asarray(fill_fraction, float)
    return 288.15 / 0.0065 * (1.0 - f ** (1.0 / (5.25588 - 1.0)))
