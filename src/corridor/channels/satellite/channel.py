"""Satellite: where a geostationary beam's link closes over North Korea, and who has a dish."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field, field_validator, model_validator

from corridor.channels.base import Activity, ChannelSpec, Coverage, register
from corridor.channels.satellite import dvbs2, geometry, link
from corridor.geo.names import PROVINCES

if TYPE_CHECKING:  # loads pandas and shapely; a spec is validated without them
    from corridor.geo.grid import PopulationGrid

MODEL_VERSION = "1"
#: A point in the middle of North Korea, for the visibility check (degrees).
KP_CENTRE = (127.0, 40.0)
#: Below this elevation a home dish is blocked by terrain and buildings, degrees.
MIN_ELEVATION_DEG = 5.0
#: Spacing of the lattice on which the ITU-R climatologies are evaluated, degrees.
LATTICE_DEG = 0.25
#: Antenna noise from ground spill-over and feed losses, K (Maral & Bousquet ch. 5: 20–50 K).
GROUND_NOISE_K = 30.0


class EirpContour(ChannelSpec):
    """One contour of a published EIRP footprint: a level and the polygon it encloses."""

    eirp_dbw: float = Field(gt=20, le=75, description="EIRP on and inside this contour, dBW")
    lonlat: list[tuple[float, float]] = Field(min_length=3, description="polygon vertices, (lon, lat) degrees")

    @field_validator("lonlat")
    @classmethod
    def _valid_polygon(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for lon, lat in value:
            if not (-180 <= lon <= 360 and -90 <= lat <= 90):
                raise ValueError(f"vertex ({lon}, {lat}) is not a longitude/latitude pair")
        import shapely

        if not shapely.Polygon(value).is_valid:
            raise ValueError("the contour polygon crosses itself")
        return value


class SatelliteSpec(ChannelSpec):
    """One geostationary beam carrying a DVB-S2 service.

    The footprint is either a circular beam (``peak_eirp_dbw`` and ``beamwidth_deg``) or the
    operator's EIRP contours (``eirp_contours``), one of the two.
    """

    satellite: str = Field("", description="satellite name, for the record")
    slot_lon_deg: float = Field(ge=-180, le=180, description="orbital slot, degrees east")
    beam_centre_lon: float = Field(ge=-180, le=180, description="beam centre (boresight), degrees east")
    beam_centre_lat: float = Field(ge=-90, le=90, description="beam centre, degrees north")
    peak_eirp_dbw: float | None = Field(None, gt=20, le=75, description="EIRP at beam centre, dBW")
    beamwidth_deg: float | None = Field(None, gt=0.1, le=20,
                                        description="−3 dB beamwidth seen from the satellite, degrees")
    eirp_contours: list[EirpContour] = Field(
        default_factory=list, description="published EIRP contours; replace peak_eirp_dbw and beamwidth_deg")
    eirp_uncertainty_db: float = Field(1.0, ge=0, le=6, description="± range of the EIRP in the draws, dB")
    frequency_ghz: float = Field(gt=3, le=30, description="downlink frequency, GHz")
    polarisation_tilt_deg: float = Field(0.0, ge=0, le=90, description="0 horizontal, 90 vertical, 45 circular")
    transponder_bandwidth_mhz: float = Field(36.0, gt=0, le=500, description="bandwidth leased, MHz")
    roll_off: float = Field(0.20, ge=0.05, le=0.35, description="DVB-S2 roll-off factor")
    modcod: str = Field("QPSK 3/4", description="DVB-S2 mode, e.g. 'QPSK 3/4' or '8PSK 2/3'")
    dish_cm: float = Field(60.0, gt=0, le=500, description="receiving dish diameter, cm")
    dish_efficiency: float = Field(0.65, gt=0.2, le=0.85, description="aperture efficiency")
    lnb_noise_figure_db: float = Field(0.8, gt=0, le=5, description="LNB noise figure, dB")
    pointing_error_deg: float = Field(0.2, ge=0, le=2, description="typical home-installation mispointing, degrees")
    availability_target: float = Field(99.5, ge=95, le=99.99, description="share of the year the link must close, %")
    broadcast_hours_per_day: float = Field(24.0, gt=0, le=24, description="hours of datacast per day")
    bundle_gb: float = Field(4.0, gt=0, le=10_000, description="size of one content bundle, GB")
    ownership: dict[str, float] = Field(default_factory=dict,
                                        description="share of households with a dish, by province")

    @field_validator("modcod")
    @classmethod
    def _known_modcod(cls, value: str) -> str:
        names = dvbs2.modcod_names()
        key = " ".join(value.upper().split())
        if key not in names:
            raise ValueError("unknown DVB-S2 mode; one of: " + ", ".join(names))
        return key

    @field_validator("ownership")
    @classmethod
    def _known_provinces(cls, value: dict[str, float]) -> dict[str, float]:
        for name, share in value.items():
            if name not in PROVINCES:
                raise ValueError(f"unknown province {name!r}; one of: " + ", ".join(PROVINCES))
            if not 0 <= share <= 1:
                raise ValueError(f"ownership of {name} must be a share between 0 and 1")
        return value

    @field_validator("slot_lon_deg")
    @classmethod
    def _sees_korea(cls, value: float) -> float:
        el, _ = geometry.look_angles(value, *KP_CENTRE)
        if float(el) < 0:
            raise ValueError(f"a satellite at {value:g}°E is below the horizon from North Korea "
                             f"(elevation {float(el):.1f}°); geostationary slots that see Korea lie "
                             f"roughly between 50°E and 200°E")
        return value

    @model_validator(mode="after")
    def _one_footprint(self) -> "SatelliteSpec":
        circular = self.peak_eirp_dbw is not None and self.beamwidth_deg is not None
        if not circular and not self.eirp_contours:
            raise ValueError("give peak_eirp_dbw and beamwidth_deg, or eirp_contours")
        if self.eirp_contours and (self.peak_eirp_dbw is not None or self.beamwidth_deg is not None):
            raise ValueError("give either peak_eirp_dbw and beamwidth_deg or eirp_contours, not both")
        return self

    @model_validator(mode="after")
    def _beam_on_earth(self) -> "SatelliteSpec":
        el_c, _ = geometry.look_angles(self.slot_lon_deg, self.beam_centre_lon, self.beam_centre_lat)
        if float(el_c) < 0:
            raise ValueError("beam_centre_lon/beam_centre_lat is beyond the satellite's horizon "
                             f"(elevation {float(el_c):.1f}°)")
        return self


@lru_cache(maxsize=8)
def _attenuation_lattice(slot: float, f: float, dish_m: float, eff: float, tau: float,
                         lat0: float, lat1: float, lon0: float, lon1: float):
    lats = np.arange(lat0, lat1 + LATTICE_DEG / 2, LATTICE_DEG)
    lons = np.arange(lon0, lon1 + LATTICE_DEG / 2, LATTICE_DEG)
    glat, glon = np.meshgrid(lats, lons, indexing="ij")
    el, _ = geometry.look_angles(slot, glon.ravel(), glat.ravel())
    total, absorptive = link.attenuation_exceeded_db(glat.ravel(), glon.ravel(), f,
                                                     np.maximum(el, MIN_ELEVATION_DEG), dish_m,
                                                     efficiency=eff, tau_deg=tau)
    shape = (len(link.P_LEVELS), len(lats), len(lons))
    return lats, lons, total.reshape(shape), absorptive.reshape(shape)


def attenuation_at_cells(spec: SatelliteSpec, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Total and absorptive attenuation at each P_LEVELS % for each cell, ``(P, n)`` dB."""
    from scipy.interpolate import RegularGridInterpolator

    box = (np.floor(lat.min() / LATTICE_DEG) * LATTICE_DEG, np.ceil(lat.max() / LATTICE_DEG) * LATTICE_DEG,
           np.floor(lon.min() / LATTICE_DEG) * LATTICE_DEG, np.ceil(lon.max() / LATTICE_DEG) * LATTICE_DEG)
    lats, lons, total, absorptive = _attenuation_lattice(
        spec.slot_lon_deg, spec.frequency_ghz, spec.dish_cm / 100.0, spec.dish_efficiency,
        spec.polarisation_tilt_deg, *map(float, box))
    pts = np.column_stack([lat, lon])
    out = []
    for field in (total, absorptive):
        out.append(np.stack([RegularGridInterpolator((lats, lons), field[k])(pts)
                             for k in range(field.shape[0])]))
    return out[0], out[1]


def eirp_dbw(spec: SatelliteSpec, lon: np.ndarray, lat: np.ndarray, off_axis: np.ndarray) -> np.ndarray:
    """EIRP towards each site, dBW: the circular beam's pattern, or the published contours.

    With contours, a site takes the level of the highest contour that encloses it (the level an
    operator guarantees inside that line; conservative between lines); outside every contour
    there is no service (−inf).
    """
    if not spec.eirp_contours:
        return spec.peak_eirp_dbw + link.satellite_pattern_db(off_axis, spec.beamwidth_deg)
    import shapely

    out = np.full(np.shape(lon), -np.inf)
    for contour in spec.eirp_contours:
        inside = shapely.contains_xy(shapely.Polygon(contour.lonlat), lon, lat)
        out = np.where(inside, np.maximum(out, contour.eirp_dbw), out)
    return out


def link_budget(spec: SatelliteSpec, lon: np.ndarray, lat: np.ndarray) -> dict[str, np.ndarray]:
    """The central (no-uncertainty) link budget per site: every term, and C/N at each P_LEVELS %."""
    el, rng_km = geometry.look_angles(spec.slot_lon_deg, lon, lat)
    theta = geometry.off_axis_deg(spec.slot_lon_deg, spec.beam_centre_lon, spec.beam_centre_lat, lon, lat)
    eirp = eirp_dbw(spec, lon, lat, theta)
    fsl = link.free_space_loss_db(rng_km, spec.frequency_ghz)
    d_m = spec.dish_cm / 100.0
    g_rx = link.dish_gain_dbi(d_m, spec.frequency_ghz, spec.dish_efficiency)
    point = link.pointing_loss_db(spec.pointing_error_deg, link.dish_beamwidth_deg(d_m, spec.frequency_ghz))
    a_tot, a_abs = attenuation_at_cells(spec, lon, lat)
    t_sys = link.noise_temperature_k(spec.lnb_noise_figure_db) + GROUND_NOISE_K + link.sky_noise_k(a_abs)
    rs = dvbs2.symbol_rate_baud(spec.transponder_bandwidth_mhz * 1e6, spec.roll_off)
    cn = link.carrier_to_noise_db(eirp - point, fsl + a_tot, g_rx, t_sys, rs)
    cn = np.where(el[None, :] >= MIN_ELEVATION_DEG, cn, -np.inf)
    return {"elevation_deg": el, "range_km": rng_km, "off_axis_deg": theta, "eirp_dbw": eirp,
            "free_space_loss_db": fsl, "rx_gain_dbi": np.full_like(el, g_rx), "pointing_loss_db": np.full_like(el, point),
            "attenuation_db": a_tot, "system_temperature_k": t_sys, "symbol_rate_baud": rs, "cn_db": cn}


ASSUMPTIONS = {
    "beam": "circular beam, ITU-R S.672 main lobe (−12(θ/θ3dB)² dB, floor −25 dB), or the operator's EIRP "
            "contours (level of the innermost enclosing contour); EIRP ± the spec's uncertainty",
    "propagation": "ITU-R P.618-13 rain and scintillation, P.676-12 gases, P.840 clouds (itur 0.4), combined by P.618 eq. 64",
    "receiver": "dish gain η(πDf/c)², LNB noise figure ±0.3 dB, 30 K ground noise, pointing error 0.5–1.5× the spec's",
    "threshold": "DVB-S2 quasi-error-free Es/N0 of ETSI EN 302 307-1 Table 13",
    "ownership": "share of households with a dish and free-to-air receiver by province: an assumption "
                 "(no survey figure exists), log-uniform over the ranges of dish_ownership.csv",
    "viewers": "everyone in a household with a working dish can watch; no neighbours",
}


@register
class SatelliteChannel:
    """Probability that a person could watch: the link closes at the target availability ×
    their household owns a dish and receiver."""

    name: ClassVar[str] = "satellite"
    spec_model: ClassVar[type[ChannelSpec]] = SatelliteSpec

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200,
                 seed: int = 0) -> Coverage:
        from corridor.channels.satellite import ownership

        spec: SatelliteSpec = activity.spec  # type: ignore[assignment]
        rng = np.random.default_rng(seed)
        lb = link_budget(spec, grid.lon, grid.lat)
        thr = float(dvbs2.modcods().loc[spec.modcod, "es_n0_threshold_db"])
        p_target = 100.0 - spec.availability_target
        logp = np.log10(link.P_LEVELS)
        # C/N at the target time percentage (linear in lg p between tabulated levels).
        k = np.clip(np.searchsorted(logp, np.log10(p_target)) - 1, 0, len(logp) - 2)
        w = (np.log10(p_target) - logp[k]) / (logp[k + 1] - logp[k])
        with np.errstate(invalid="ignore"):
            cn_target = np.where(np.isfinite(lb["cn_db"][k]) & np.isfinite(lb["cn_db"][k + 1]),
                                 (1 - w) * lb["cn_db"][k] + w * lb["cn_db"][k + 1], -np.inf)
        t_target = (1 - w) * lb["system_temperature_k"][k] + w * lb["system_temperature_k"][k + 1]
        # Draws: EIRP, LNB noise figure, dish efficiency and pointing error.
        d_eirp = rng.uniform(-spec.eirp_uncertainty_db, spec.eirp_uncertainty_db, size=(draws, 1))
        nf = np.maximum(spec.lnb_noise_figure_db + rng.uniform(-0.3, 0.3, size=(draws, 1)), 0.05)
        eff = np.clip(spec.dish_efficiency + rng.uniform(-0.07, 0.07, size=(draws, 1)), 0.3, 0.85)
        point = spec.pointing_error_deg * rng.uniform(0.5, 1.5, size=(draws, 1))
        d_m = spec.dish_cm / 100.0
        bw = link.dish_beamwidth_deg(d_m, spec.frequency_ghz)
        t_draw = t_target - link.noise_temperature_k(spec.lnb_noise_figure_db) + link.noise_temperature_k(nf)
        with np.errstate(invalid="ignore"):
            cn = (cn_target + d_eirp + 10 * np.log10(eff / spec.dish_efficiency)
                  + link.pointing_loss_db(spec.pointing_error_deg, bw) - link.pointing_loss_db(point, bw)
                  - 10 * np.log10(t_draw / t_target))
        closes = cn >= thr
        own = ownership.draw(draws, rng, spec.ownership)[:, grid.province]
        prob = (closes * own).astype(np.float32)
        availability = link.availability_percent(lb["cn_db"], thr)
        data = dvbs2.datacast_summary(spec.bundle_gb, spec.transponder_bandwidth_mhz * 1e6, spec.roll_off,
                                      spec.modcod, spec.broadcast_hours_per_day)
        clear = lb["cn_db"][-1]
        inside = np.isfinite(clear)
        return Coverage(
            activity_id=activity.id, channel=self.name, grid_key=grid.key, probability=prob,
            model="GEO downlink budget (ITU-R P.618/P.676/P.840 via itur) × dish ownership",
            version=MODEL_VERSION, assumptions=dict(ASSUMPTIONS),
            extras={"availability_percent": availability, "closes_share": closes.mean(axis=0),
                    "margin_db": np.where(np.isfinite(cn_target), cn_target - thr, np.nan),
                    "eirp_dbw": lb["eirp_dbw"],
                    "threshold_db": thr, "p_target_percent": p_target,
                    "cn_db_at_5pct_range": (float(clear[inside].min()), float(clear[inside].max())),
                    "cn_target_db_range": (float(cn_target[inside].min()), float(cn_target[inside].max())),
                    "elevation_deg_range": (float(lb["elevation_deg"].min()), float(lb["elevation_deg"].max())),
                    "eirp_dbw_range": (float(lb["eirp_dbw"].min()), float(lb["eirp_dbw"].max())),
                    "link_closes_population_median": float(np.median(closes @ grid.population)),
                    "datacast": data})
