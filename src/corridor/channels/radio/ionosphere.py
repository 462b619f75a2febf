"""Ionospheric characteristics at control points, from the CCIR maps shipped with PyIRI.

ITU-R P.533-14 (§3) takes foF2 and M(3000)F2 from the CCIR (Oslo) numerical maps of
Rec. ITU-R P.1239 at two solar-activity levels (index 0 and 100) and interpolates linearly in
the 12-month smoothed sunspot number R12, capped at 160. PyIRI (Forsythe et al. 2023, *Space
Weather* 21, e2022SW003261) ships the same CCIR coefficients offline; this module evaluates them
with PyIRI's own diurnal and geographic basis functions. Like the ITU-R reference implementation
(which reads 1.5° maps and interpolates bilinearly), maps are evaluated on a regular mesh that
covers the control points and interpolated bilinearly to each point.

foE comes from PyIRI's E-region formula (NeQuick, Nava et al. 2008, with the solar zenith angle
for the 15th of the month) at the F10.7 equivalent of R12 (PyIRI ``R12_2_F107``), instead of the
P.1239 formula: a documented substitute, within a few tenths of a MHz of it by day.
The magnetic field (gyrofrequency) comes from PyIRI's IGRF-13.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

#: P.533 caps R12 at 160 for foF2 and M(3000)F2 (ITU-R P.533-14 §3.1).
SSN_CAP = 160.0
#: Electron gyrofrequency per unit field, MHz per nT (f_H = e B / 2π m_e).
GYRO_MHZ_PER_NT = 2.799e-5
MESH_STEP_DEG = 1.0


class _DeferredModule(types.ModuleType):
    """A module that is read from its file only when something asks for one of its names."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        spec = importlib.util.find_spec(self.__name__.rpartition(".")[0])
        path = Path(next(iter(spec.submodule_search_locations))) / (self.__name__.rpartition(".")[2] + ".py")
        real_spec = importlib.util.spec_from_file_location(self.__name__, path)
        real = importlib.util.module_from_spec(real_spec)
        sys.modules[self.__name__] = real
        real_spec.loader.exec_module(real)
        return getattr(real, name)


def _pyiri():
    """PyIRI's modules, imported on first use.

    PyIRI's package ``__init__`` imports its plotting module, which loads matplotlib (about half
    a second, more than a whole prediction) though nothing here draws. Before the first import,
    that one module is registered as a stand-in that reads the real one the moment anything asks
    for its contents, so PyIRI behaves as installed for any other caller in the process.
    """
    if "PyIRI" not in sys.modules:
        sys.modules.setdefault("PyIRI.plotting", _DeferredModule("PyIRI.plotting"))
    import PyIRI
    import PyIRI.igrf_library as igrf
    import PyIRI.main_library as iri

    return PyIRI.coeff_dir, igrf, iri


@dataclass(frozen=True)
class Ionosphere:
    """Layer characteristics, each shaped (hours, points)."""

    fof2_mhz: np.ndarray
    m3000: np.ndarray
    foe_mhz: np.ndarray
    solar_zenith_deg: np.ndarray
    gyro_300km_mhz: np.ndarray      # electron gyrofrequency at 300 km
    dip_deg: np.ndarray             # magnetic dip (inclination) at 300 km, degrees
    subsolar_lat_deg: np.ndarray    # (hours, 1): sub-solar latitude, for the noon zenith angle
    lat_deg: np.ndarray             # latitude of the points, degrees


@lru_cache(maxsize=12)
def _coefficients(month: int):
    coeff_dir, igrf, iri = _pyiri()
    fof2_ccir, _fof2_ursi, m3000, _es = iri.read_ccir_ursi_coeff(month, coeff_dir)
    return np.asarray(fof2_ccir, dtype=float), np.asarray(m3000, dtype=float)


def ssn_weight(ssn: float) -> float:
    """Weight of the index-100 map: ``min(R12, 160) / 100`` (P.533-14 §3.1, linear in R12)."""
    return min(max(float(ssn), 0.0), SSN_CAP) / 100.0


def map_characteristics(month: int, utc_hours, lon_deg, lat_deg, ssn: float, inclination_deg=None):
    """foF2 (MHz) and M(3000)F2 from the CCIR maps at points, shaped (hours, points).

    ``X = X0 + (X100 − X0)·min(R12, 160)/100`` (P.533-14 §3.1; P.1239-3 §2).
    """
    coeff_dir, igrf, iri = _pyiri()
    lon = np.asarray(lon_deg, dtype=float).ravel()
    lat = np.asarray(lat_deg, dtype=float).ravel()
    hours = np.asarray(utc_hours, dtype=float).ravel()
    inc = inclination_deg if inclination_deg is not None else igrf.inclination(
        coeff_dir, iri.decimal_year(dt.datetime(2024, month, 15)), lon, lat, 300.0, only_inc=True)
    modip = igrf.inc2modip(inc, lat)
    d_fof2, d_m3000, _ = (np.asarray(a, dtype=float) for a in iri.diurnal_functions(hours))
    g_fof2, g_m3000, _ = (np.asarray(a, dtype=float) for a in iri.set_gl_G(lon, lat, modip))
    c_fof2, c_m3000 = _coefficients(month)
    w = ssn_weight(ssn)
    out = []
    for d, c, g in ((d_fof2, c_fof2, g_fof2), (d_m3000, c_m3000, g_m3000)):
        # (F_D U) F_G at the two solar levels, blended; einsum avoids BLAS threading overhead on these
        # small products (measured: 0.5 ms against 10–30 ms with two BLAS threads on a busy machine)
        dc = np.einsum("hk,kg->hg", d, c[:, :, 0] * (1.0 - w) + c[:, :, 1] * w)
        out.append(np.einsum("hg,gp->hp", dc, g))
    return out[0], out[1]


def magnetic_field(lon_deg, lat_deg, year: int, month: int, height_km: float = 300.0):
    """Total field (nT) and inclination (degrees) from IGRF-13 (via PyIRI) at ``height_km``."""
    coeff_dir, igrf, iri = _pyiri()
    lon = np.asarray(lon_deg, dtype=float).ravel()
    lat = np.asarray(lat_deg, dtype=float).ravel()
    year = min(max(year, 1900), 2029)
    inc, *_rest, total = igrf.inclination(coeff_dir, iri.decimal_year(dt.datetime(year, month, 15)),
                                          lon, lat, height_km, only_inc=False)
    return np.asarray(total), np.asarray(inc)


def subsolar_points(month: int, utc_hours, year: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """Sub-solar latitude and longitude (radians) per UTC hour on the 15th of the month (PyIRI)."""
    coeff_dir, igrf, iri = _pyiri()
    hours = np.asarray(utc_hours, dtype=float).ravel()
    _, slon, slat = iri.solzen_timearray_grid(year, month, 15, hours, np.zeros(1), np.zeros(1))
    return (np.radians(np.asarray(slat, dtype=float).ravel()), np.radians(np.asarray(slon, dtype=float).ravel()))


def zenith_from_subsolar(sub_lat_rad, sub_lon_rad, lon_deg, lat_deg) -> np.ndarray:
    """Solar zenith angle (degrees), spherical law of cosines; points (n,) or (hours, n)."""
    slat, slon = np.asarray(sub_lat_rad)[:, None], np.asarray(sub_lon_rad)[:, None]
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    cos_z = np.sin(slat) * np.sin(lat) + np.cos(slat) * np.cos(lat) * np.cos(slon - lon)
    return np.degrees(np.arccos(np.clip(cos_z, -1.0, 1.0)))


def solar_zenith_deg(month: int, utc_hours, lon_deg, lat_deg, year: int = 2024) -> np.ndarray:
    """Solar zenith angle (degrees) on the 15th of the month, shaped (hours, points).

    Sub-solar points per hour from PyIRI (``solzen_timearray_grid``); the zenith angle by the
    spherical law of cosines. Points are (n,) or (hours, n).
    """
    return zenith_from_subsolar(*subsolar_points(month, utc_hours, year), lon_deg, lat_deg)


def foe_mhz(month: int, solar_zenith: np.ndarray, lat_deg, ssn: float) -> np.ndarray:
    """E-layer critical frequency (MHz) from PyIRI's NeQuick formula at F10.7(R12)."""
    coeff_dir, igrf, iri = _pyiri()
    f107 = iri.R12_2_F107(min(max(float(ssn), 0.0), SSN_CAP))
    foe = iri.foE(month, iri.solzen_effective(solar_zenith), np.asarray(lat_deg, dtype=float), f107)
    return np.asarray(foe, dtype=float)


class IonosphereMaps:
    """foF2, M(3000)F2 and the magnetic field on a regular 1° mesh for a month, hours and R12.

    Build once over the region a set of paths crosses (:meth:`covering`), then sample at any
    control points with :meth:`at` (bilinear in longitude and latitude). Solar zenith angle and
    foE are computed exactly at each point.
    """

    def __init__(self, month: int, utc_hours, ssn: float, lon_range, lat_range, *, year: int = 2024,
                 step_deg: float = MESH_STEP_DEG):
        self.month, self.ssn, self.year = int(month), float(ssn), int(year)
        self.hours = np.asarray(utc_hours, dtype=float).ravel()
        self.step = step_deg
        self.lon0 = np.floor(lon_range[0] / step_deg) * step_deg - step_deg
        self.lat0 = np.floor(lat_range[0] / step_deg) * step_deg - step_deg
        nlon = int(np.ceil((lon_range[1] - self.lon0) / step_deg)) + 2
        nlat = int(np.ceil((lat_range[1] - self.lat0) / step_deg)) + 2
        glon = self.lon0 + step_deg * np.arange(nlon)
        glat = self.lat0 + step_deg * np.arange(nlat)
        mlon, mlat = np.meshgrid(glon, glat, indexing="ij")
        total, inc = magnetic_field(mlon.ravel(), mlat.ravel(), self.year, self.month, 300.0)
        fof2, m3000 = map_characteristics(self.month, self.hours, mlon.ravel(), mlat.ravel(), self.ssn, inc)
        gyro = np.broadcast_to(GYRO_MHZ_PER_NT * total, fof2.shape)
        dip = np.broadcast_to(inc, fof2.shape)
        # foF2, M(3000)F2, f_H and dip stacked on the last axis: one gather per interpolation
        self._maps = np.stack([fof2, m3000, gyro, dip], axis=-1).reshape(len(self.hours), nlon, nlat, 4)
        self._subsolar = subsolar_points(self.month, self.hours, self.year)
        self.shape = (nlon, nlat)

    @classmethod
    def covering(cls, month: int, utc_hours, ssn: float, lon_deg, lat_deg, **kw) -> "IonosphereMaps":
        lon = np.asarray(lon_deg, dtype=float)
        lat = np.asarray(lat_deg, dtype=float)
        return cls(month, utc_hours, ssn, (lon.min(), lon.max()), (lat.min(), lat.max()), **kw)

    def _bilinear(self, values: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Bilinear interpolation; ``values`` (hours, nlon, nlat, k), points (hours, n) -> (hours, n, k)."""
        fx = np.clip((lon - self.lon0) / self.step, 0, self.shape[0] - 1.000001)
        fy = np.clip((lat - self.lat0) / self.step, 0, self.shape[1] - 1.000001)
        i, j = fx.astype(int), fy.astype(int)
        tx, ty = (fx - i)[..., None], (fy - j)[..., None]
        t = np.arange(values.shape[0])[:, None]
        return ((values[t, i, j] * (1 - tx) + values[t, i + 1, j] * tx) * (1 - ty)
                + (values[t, i, j + 1] * (1 - tx) + values[t, i + 1, j + 1] * tx) * ty)

    def at(self, lon_deg, lat_deg) -> Ionosphere:
        """Layer characteristics at points, each (hours, points).

        Points are (n,), the same for every hour, or (hours, n), one set per hour (control
        points that move with the hour).
        """
        h = len(self.hours)
        lon = np.broadcast_to(np.asarray(lon_deg, dtype=float), (h, np.shape(lon_deg)[-1]))
        lat = np.broadcast_to(np.asarray(lat_deg, dtype=float), lon.shape)
        zen = zenith_from_subsolar(*self._subsolar, lon, lat)
        v = self._bilinear(self._maps, lon, lat)
        return Ionosphere(fof2_mhz=v[..., 0], m3000=v[..., 1], foe_mhz=foe_mhz(self.month, zen, lat, self.ssn),
                          solar_zenith_deg=zen, gyro_300km_mhz=v[..., 2], dip_deg=v[..., 3],
                          subsolar_lat_deg=np.degrees(self._subsolar[0])[:, None], lat_deg=lat)


def at_points(month: int, utc_hours, lon_deg, lat_deg, ssn: float, year: int = 2024) -> Ionosphere:
    """All layer characteristics at arbitrary points (maps on a 1° mesh covering them)."""
    return IonosphereMaps.covering(month, utc_hours, ssn, lon_deg, lat_deg, year=year).at(lon_deg, lat_deg)
