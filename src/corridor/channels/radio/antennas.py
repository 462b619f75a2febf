"""Transmitting antenna patterns: gain (dBi) against azimuth off boresight and elevation.

Four small models:

* ``isotropic``: the same gain everywhere (VOACAP antenna type 0 with a gain offset).
* ``beam``: an azimuthal beam independent of elevation, ``G0 − min(12 (φ/θ₃)², A_m)``
  (the sector pattern of 3GPP TR 36.814 Table A.2.1.1-2; VOACAP type 13 tables of that shape).
* ``dipole``: a horizontal half-wave dipole at height h over perfectly conducting ground
  (element factor of the half-wave dipole and the ground-image factor ``2 sin(k h sin Δ)``;
  Balanis, *Antenna Theory*, 4th ed., §4.6 and §4.7.2).
* ``curtain``: an HR m/n/h curtain of ITU-R BS.705 (m half-wave dipoles wide, n high, spaced λ/2,
  lowest row h wavelengths above ground, reflecting screen λ/4 behind): the dipole element
  times a uniform broadside array factor in each direction, the ground-image factor of each row,
  and an ideal-screen factor ``2 sin((π/2) cos Δ cos φ)`` (Balanis §6.3), floored at −30 dB
  relative to the main lobe for the back.

Directivity is normalised numerically over the upper hemisphere (lossless antenna, gain =
directivity). Dimensions are in wavelengths at the design frequency and scale with f/f_design.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

BACK_FLOOR_DB = -30.0


def _element(off_az_rad, elev_rad):
    """Half-wave dipole broadside to azimuth 0 (wire horizontal, perpendicular to boresight)."""
    cos_g = np.cos(elev_rad) * np.sin(off_az_rad)
    sin_g = np.sqrt(np.clip(1.0 - cos_g ** 2, 1e-12, 1.0))
    return np.cos(np.pi / 2.0 * cos_g) / sin_g


def _array_factor(n: int, phase):
    """Uniform broadside array factor |sin(n φ/2) / (n sin(φ/2))|, φ the inter-element phase."""
    if n == 1:
        return np.ones_like(phase)
    s = np.sin(phase / 2.0)
    return np.where(np.abs(s) < 1e-9, 1.0, np.abs(np.sin(n * phase / 2.0) / (n * np.where(np.abs(s) < 1e-9, 1.0, s))))


def _field(kind: str, off_az_rad, elev_rad, scale: float, width: int, height: int, h_low: float):
    """Relative field pattern (linear) of a dipole (``width=height=1``) or curtain."""
    k = 2.0 * np.pi
    cos_e, sin_e = np.cos(elev_rad), np.sin(elev_rad)
    f = np.abs(_element(off_az_rad, elev_rad))
    if kind == "curtain":
        spacing = 0.5 * scale
        f = f * _array_factor(width, k * spacing * cos_e * np.sin(off_az_rad))
        rows = sum(np.sin(k * (h_low + r * 0.5) * scale * sin_e) for r in range(height))
        f = f * np.abs(rows) * 2.0 / height
        f = f * np.abs(2.0 * np.sin(k * 0.25 * scale * cos_e * np.cos(off_az_rad))) * (np.cos(off_az_rad) > 0)
    else:
        f = f * np.abs(2.0 * np.sin(k * h_low * scale * sin_e))
    return f


@lru_cache(maxsize=64)
def _peak_directivity(kind: str, scale: float, width: int, height: int, h_low: float) -> float:
    az = np.radians(np.arange(-180.0, 180.0, 1.0) + 0.5)
    el = np.radians(np.arange(0.0, 90.0, 0.5) + 0.25)
    A, E = np.meshgrid(az, el, indexing="ij")
    p = _field(kind, A, E, scale, width, height, h_low) ** 2
    integral = np.sum(p * np.cos(E)) * np.radians(1.0) * np.radians(0.5)
    return float(4.0 * np.pi * p.max() / integral)


def gain_dbi(kind: str, off_azimuth_deg, elevation_deg, *, gain_dbi_: float = 0.0,
             beamwidth_deg: float = 60.0, max_attenuation_db: float = 20.0, freq_mhz: float = 10.0,
             design_mhz: float | None = None, width: int = 4, height: int = 4,
             height_wavelengths: float = 0.5) -> np.ndarray:
    """Gain (dBi) toward ``off_azimuth_deg`` from boresight and ``elevation_deg`` above the horizon."""
    off = (np.asarray(off_azimuth_deg, dtype=float) + 180.0) % 360.0 - 180.0
    elev = np.asarray(elevation_deg, dtype=float)
    if kind == "isotropic":
        return np.full(np.broadcast(off, elev).shape, float(gain_dbi_))
    if kind == "beam":
        g = gain_dbi_ - np.minimum(12.0 * (off / beamwidth_deg) ** 2, max_attenuation_db)
        return np.broadcast_to(g, np.broadcast(off, elev).shape).copy()
    if kind not in ("dipole", "curtain"):
        raise ValueError(f"unknown antenna type {kind!r}")
    scale = freq_mhz / (design_mhz or freq_mhz)
    w, h = (1, 1) if kind == "dipole" else (width, height)
    peak = _peak_directivity(kind, round(scale, 4), w, h, height_wavelengths)
    a, e = np.radians(off), np.radians(np.clip(elev, 0.0, 90.0))
    f = _field(kind, a, e, scale, w, h, height_wavelengths)
    fmax = _field(kind, *np.meshgrid(np.radians(np.arange(-180, 180, 1.0)), np.radians(np.arange(0, 90, 0.5)),
                                     indexing="ij"), scale, w, h, height_wavelengths).max()
    rel = 20.0 * np.log10(np.maximum(f / fmax, 10 ** (BACK_FLOOR_DB / 20.0)))
    return 10.0 * np.log10(peak) + rel
