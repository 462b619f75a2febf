"""Loudspeaker coverage: who can understand a broadcast from an array at the border."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from corridor.channels.base import Activity, ChannelSpec, Coverage, register

if TYPE_CHECKING:  # loads pandas and shapely; a spec is validated without them
    from pyproj import Transformer

    from corridor.geo.grid import PopulationGrid

MODEL_VERSION = "2"   # 2: the alternative method's D_Ω (ISO 9613-2 eq. 11) added
#: Height of a listener's ear above the ground, m (ISO 9613-2 h_r).
LISTENER_HEIGHT_M = 1.5
#: Beyond this distance no loudspeaker is audible (ISO 9613-2 losses exceed 120 dB).
MAX_REACH_KM = 40.0


class LoudspeakerSpec(ChannelSpec):
    """One loudspeaker array and when it plays."""

    lon: float = Field(ge=124.0, le=131.5, description="site longitude, degrees east")
    lat: float = Field(ge=33.0, le=43.5, description="site latitude, degrees north")
    sound_power_db: float = Field(
        gt=60, le=200, description="total radiated sound power level L_W, dB re 1 pW")
    azimuth_deg: float = Field(0.0, ge=0, lt=360, description="main-lobe direction, degrees from north")
    directivity_index_db: float = Field(10.0, ge=0, le=30, description="on-axis gain over omnidirectional, dB")
    beamwidth_deg: float = Field(60.0, gt=0, le=360, description="−3 dB beamwidth, degrees")
    front_to_back_db: float = Field(20.0, ge=0, le=40, description="front-to-back ratio, dB")
    height_m: float = Field(10.0, ge=0, le=200, description="array height above ground, m")
    band_hz: Literal[250, 500, 1000, 2000] = Field(500, description="octave band carrying speech")
    period: Literal["day", "night"] = Field("night", description="background noise regime")

    @model_validator(mode="after")
    def _near_north_korea(self) -> "LoudspeakerSpec":
        km = distance_to_north_korea_km(self.lon, self.lat)
        if km > MAX_REACH_KM:
            raise ValueError(f"site is {km:.0f} km from North Korea; a loudspeaker carries at most "
                             f"{MAX_REACH_KM:.0f} km")
        return self


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


@lru_cache(maxsize=1)
def _kp_projected():
    import shapely

    from corridor.geo import sources

    land = shapely.union_all(sources.provinces().to_crs(sources.PROJECTED).geometry.values)
    shapely.prepare(land)
    return land


_local = threading.local()


def _to_projected() -> Transformer:
    """The WGS 84 to projected transformer, built once per thread (pyproj transformers are not
    thread-safe, and building one takes about 10 ms)."""
    if not hasattr(_local, "transformer"):
        from pyproj import Transformer

        from corridor.geo import sources

        _local.transformer = Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True)
    return _local.transformer


def distance_to_north_korea_km(lon: float, lat: float) -> float:
    import shapely

    x, y = _to_projected().transform(lon, lat)
    return float(shapely.distance(_kp_projected(), shapely.Point(x, y))) / 1000.0


#: Assumptions with their sources and ranges (shown wherever a loudspeaker estimate is).
ASSUMPTIONS = {
    "propagation": "ISO 9613-2:1996, favourable propagation, alternative method for the ground "
                   "(eqs. 10–11: A_gr and D_Ω), C_met with C0 ~ U(0, 5) dB",
    "absorption": "α drawn from the six conditions of ISO 9613-2 Table 2 for the chosen band",
    "background": "night: 35 dB(A) rural to 50 dB(A) urban; day +10 dB; ±3 dB between draws "
                  "(WHO Night Noise Guidelines for Europe, 2009, ch. 2)",
    "intelligibility": "speech understood when 10 dB above background, spread 4 dB (ANSI S3.5-1997)",
    "listeners": "everyone outdoors or by a window could hear; no adjustment for being indoors",
}


@register
class LoudspeakerChannel:
    """Audible range of a loudspeaker array, over the population grid."""

    name: ClassVar[str] = "loudspeaker"
    spec_model: ClassVar[type[ChannelSpec]] = LoudspeakerSpec

    background_night_rural_db: float = 35.0
    background_night_urban_db: float = 50.0
    background_day_offset_db: float = 10.0
    margin_db: float = 10.0
    spread_db: float = 4.0

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200,
                 seed: int = 0) -> Coverage:
        from corridor.channels.loudspeaker import acoustics

        spec: LoudspeakerSpec = activity.spec  # type: ignore[assignment]
        rng = np.random.default_rng(seed)
        n = grid.n_cells
        lon0 = np.full(n, spec.lon)
        lat0 = np.full(n, spec.lat)
        az, _, dist_m = _geod().inv(lon0, lat0, grid.lon, grid.lat)
        near = dist_m <= MAX_REACH_KM * 1000.0
        prob = np.zeros((draws, n), dtype=np.float32)
        if near.any():
            d = dist_m[near]
            gain = acoustics.directivity_db(az[near] - spec.azimuth_deg, spec.directivity_index_db,
                                            spec.beamwidth_deg, spec.front_to_back_db)
            alpha = rng.choice(acoustics.ABSORPTION_DB_PER_KM[spec.band_hz], size=(draws, 1))
            c0 = rng.uniform(0.0, 5.0, size=(draws, 1))
            c_met = acoustics.meteorological_correction_db(d, spec.height_m, LISTENER_HEIGHT_M, c0)
            level = acoustics.sound_pressure_level_db(
                spec.sound_power_db, d, directivity_db_=gain, alpha_db_per_km=alpha,
                source_height_m=spec.height_m, receiver_height_m=LISTENER_HEIGHT_M, c_met_db=c_met)
            urban = grid.urban_share[near]
            background = (self.background_night_rural_db
                          + (self.background_night_urban_db - self.background_night_rural_db) * urban)
            if spec.period == "day":
                background = background + self.background_day_offset_db
            background = background + rng.normal(0.0, 3.0, size=(draws, 1))
            prob[:, near] = acoustics.intelligibility_probability(level, background, self.margin_db,
                                                                  self.spread_db)
        return Coverage(activity_id=activity.id, channel=self.name, grid_key=grid.key,
                        probability=prob, model="ISO 9613-2 point source with directivity",
                        version=MODEL_VERSION, assumptions=dict(ASSUMPTIONS),
                        extras={"site": (spec.lon, spec.lat)})
