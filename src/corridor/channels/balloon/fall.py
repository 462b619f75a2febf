"""How leaflets fall: speeds, tumbling glide, and bundles that never open.

A single sheet falling broadside reaches v_t = sqrt(2·σ·g/(ρ·C_D)) (flat plate, C_D ≈ 1.2–2.0):
about 0.5–1.3 m/s for 20–100 g/m² at sea level (C_D of plates: Hoerner, *Fluid-Dynamic Drag*,
1965). Tumbling and fluttering
sheets glide sideways and scatter even in still air (Pesavento & Wang, Phys. Rev. Lett. 93,
144501, 2004). We draw, per parcel of leaflets,

* a sea-level fall speed from a lognormal distribution (median ≈ 0.9 m/s, σ_log ≈ 0.35; note
  §5.3), scaled with height as 1/sqrt(ρ) (:func:`corridor.channels.balloon.atmosphere.drag_fall_rate_m_s`);
* a constant glide velocity in a uniformly random direction (0–0.8 m/s, range assumed);
* for the unopened bundle of each release, a fall speed of 5–20 m/s (assumed, unverified).
"""

from __future__ import annotations

import numpy as np


def terminal_speed_m_s(areal_density_kg_m2, air_density_kg_m3, drag_coefficient=1.6, g_m_s2=9.80665):
    """Terminal speed (m/s) of a flat sheet falling broadside: sqrt(2·σ·g/(ρ·C_D)) (C_D 1.2–2.0, Hoerner 1965)."""
    return np.sqrt(2.0 * np.asarray(areal_density_kg_m2) * g_m_s2
                   / (np.asarray(air_density_kg_m3) * drag_coefficient))


def draw_parcels(rng: np.random.Generator, opened: np.ndarray, a) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sea-level fall speed (m/s) and glide velocity (u, v in m/s) for each parcel.

    ``opened`` marks leaflet parcels; the others are unopened bundles (fast, no glide).
    ``a`` is an :class:`~corridor.channels.balloon.ensemble.Assumptions`.
    """
    n = opened.size
    speed = a.leaflet_fall_median_m_s * np.exp(rng.normal(0.0, a.leaflet_fall_sigma_log, n))
    bundle = rng.uniform(*a.unopened_fall_range_m_s, n)
    speed = np.where(opened, speed, bundle)
    glide = np.where(opened, rng.uniform(*a.glide_range_m_s, n), 0.0)
    heading = rng.uniform(0.0, 2.0 * np.pi, n)
    return speed, glide * np.sin(heading), glide * np.cos(heading)
