"""Balloon launches as activities: where the leaflets land and who finds one.

:class:`LaunchSpec` describes one launch (site, number of balloons, leaflets per balloon, float
altitude, timers); the launch time is the activity's ``start``. :class:`BalloonChannel` flies an
ensemble of the launch through a wind field and returns a :class:`Coverage` whose probability is
the expected share of people in each cell who find at least one leaflet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, ClassVar

import numpy as np
from pydantic import Field, field_validator, model_validator

from corridor.channels.balloon.legal import LEGAL_NOTICE
from corridor.channels.balloon.sites import keys as site_keys
from corridor.channels.balloon.sites import site as find_site
from corridor.channels.base import (
    Activity,
    ChannelSpec,
    Coverage,
    SharedValues,
    register,
)
from corridor.errors import CorridorError

if TYPE_CHECKING:  # the flight model (Numba kernels), pandas, xarray and the grid load only to fly;
    # a spec is validated without them
    import pandas as pd
    import xarray as xr

    from corridor.channels.balloon.ensemble import (
        Assumptions,
        EnsembleResult,
        LaunchPlan,
    )
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.geo.grid import PopulationGrid

MODEL_VERSION = "1"


def wind_samples() -> list[str]:
    """The ``wind`` values the shared ledger accepts: the keys of the shipped samples."""
    from corridor.channels.balloon.samples import shared_values

    return shared_values()


class LaunchSpec(ChannelSpec):
    """One balloon launch (the time is the activity's ``start``)."""

    site: str | None = Field(None, description=f"shipped site key ({', '.join(site_keys())})")
    lat: float | None = Field(None, ge=33.0, le=43.5, description="launch latitude, degrees north (instead of site)")
    lon: float | None = Field(None, ge=120.0, le=135.0, description="launch longitude, degrees east (instead of site)")
    balloons: int = Field(10, ge=1, le=10_000, description="balloons launched")
    leaflets_per_balloon: int = Field(10_000, ge=0, le=1_000_000, description="leaflets carried by each balloon")
    float_altitude_m: float = Field(4000.0, gt=200, le=12_000, description="nominal float altitude, m above MSL")
    fill_fraction: float | None = Field(None, gt=0.3, lt=1.0, description="envelope fill at launch, V_launch/V_full; "
                                        "when given, the float altitude is where the envelope becomes full")
    ascent_rate_m_s: float | None = Field(None, gt=0, le=10, description="climb rate, m/s (default: drawn 1.5–3)")
    timers_h: list[float] = Field(default_factory=lambda: [2.0, 3.0, 4.0],
                                  description="payload release times, hours after launch (one payload each)")
    wind: Annotated[str | None, SharedValues(wind_samples, "wind sample")] = Field(
        None, max_length=4000,
        description="shipped wind sample key (or, on the command line, wind file(s), comma-separated)")

    @field_validator("timers_h")
    @classmethod
    def _timers(cls, v: list[float]) -> list[float]:
        if not v:
            raise ValueError("give at least one timer")
        if len(v) > 12:
            raise ValueError("at most 12 timers")
        if any(not (0 < t <= 48) for t in v):
            raise ValueError("timers must be between 0 and 48 hours after launch")
        return sorted(v)

    @field_validator("site")
    @classmethod
    def _known_site(cls, v: str | None) -> str | None:
        # checked against the keys (read without pandas); a ValueError, so that the file and the
        # field spec.site are named with it
        if v is not None and str(v).strip().lower() not in site_keys():
            raise ValueError(f"unknown launch site (one of: {', '.join(site_keys())})")
        return v

    @model_validator(mode="after")
    def _where(self) -> "LaunchSpec":
        if self.site is None and (self.lat is None or self.lon is None):
            raise ValueError("give a site or both lat and lon")
        return self

    def position(self) -> tuple[float, float, float, str]:
        """Launch latitude, longitude, altitude (m) and display name."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon, 50.0, self.site or f"{self.lat:.2f}N {self.lon:.2f}E"
        s = find_site(self.site)
        return float(s.lat_deg), float(s.lon_deg), float(s.altitude_m), str(s["name"])


def launch_plan(spec: LaunchSpec, start: pd.Timestamp | float) -> LaunchPlan:
    from corridor.channels.balloon.atmosphere import float_altitude_from_fill_m
    from corridor.channels.balloon.ensemble import LaunchPlan

    lat, lon, alt, _ = spec.position()
    if isinstance(start, (int, float)):
        t = float(start)
    else:
        import pandas as pd

        ts = pd.Timestamp(start)
        t = (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).value / 1e9
    z_float = (float(float_altitude_from_fill_m(spec.fill_fraction)) if spec.fill_fraction is not None
               else spec.float_altitude_m)
    return LaunchPlan(lat_deg=lat, lon_deg=lon, launch_time_unix_s=float(t), balloons=spec.balloons,
                      leaflets_per_balloon=float(spec.leaflets_per_balloon),
                      float_altitude_m=z_float, timers_h=tuple(spec.timers_h),
                      launch_altitude_m=alt, ascent_rate_m_s=spec.ascent_rate_m_s)


def check_plan(plan: LaunchPlan, wind: WindArrays, *, source: str | None = None) -> None:
    """Refuse a launch the field cannot carry: outside its area or time, float above its top."""
    if not wind.covers(plan.lat_deg, plan.lon_deg):
        raise CorridorError("launch site is outside the wind field's area", source=source,
                            field="site", value=(plan.lat_deg, plan.lon_deg))
    t0, t1 = wind.time_range()
    end = plan.launch_time_unix_s + max(plan.timers_h) * 3600.0
    if wind.times.size > 1:
        if not t0 <= plan.launch_time_unix_s <= t1:
            raise CorridorError("launch time is outside the wind field's time range", source=source,
                                field="start", value=_utc(plan.launch_time_unix_s),
                                hint=f"field covers {_utc(t0)} to {_utc(t1)}")
        if end > t1:
            raise CorridorError("the last timer fires after the wind field's last time", source=source,
                                field="timers_h", value=list(plan.timers_h), hint=f"field ends {_utc(t1)}")
    top = float(np.min(wind.gh[:, :, -1]))
    if plan.float_altitude_m > top:
        raise CorridorError(f"float altitude is above the wind field's top level ({top:.0f} m)",
                            source=source, field="float_altitude_m", value=plan.float_altitude_m)


def _utc(t: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass
class LaunchOutcome:
    """Everything one launch evaluation gives: the ensemble, shares per draw, coverage."""

    result: EnsembleResult
    leaflet_shares: dict[str, np.ndarray]      # per draw, share of leaflets by landing class
    envelope_shares: dict[str, np.ndarray]     # per draw, share of balloons (envelopes) by class
    coverage: Coverage | None
    leaflets_in_north_cells: np.ndarray | None  # per draw


def summarize(values: np.ndarray) -> dict[str, float]:
    lo, med, hi = np.percentile(values, [5, 50, 95])
    return {"median": float(med), "lower90": float(lo), "upper90": float(hi), "mean": float(np.mean(values))}


def assumption_texts(assumptions: Assumptions | None = None) -> dict[str, str]:
    """Assumptions shown wherever a balloon estimate is, after the wind's (:func:`wind_assumption`):
    the sentences of :meth:`Assumptions.prose` (their figures read from the fields) and the legal notice."""
    from corridor.channels.balloon.ensemble import Assumptions

    return {**(assumptions or Assumptions()).prose(), "legal": LEGAL_NOTICE}


def __getattr__(name: str):
    # ``ASSUMPTIONS``, the default assumptions' texts (see :func:`assumption_texts`), made on first
    # use (PEP 562): they need the flight model, which a spec's validation does not load.
    if name == "ASSUMPTIONS":
        return assumption_texts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def wind_assumption(arrays: WindArrays) -> str:
    """The ``wind`` assumption as it applies to this field (members, time steps)."""
    members, steps = arrays.members, int(arrays.times.size)
    bias = ("per-draw wind bias N(0, 2 m/s) per component (one forecast member)" if members == 1
            else f"draws spread over {members} forecast members, no added bias")
    time = ("one time step, held constant in time" if steps == 1
            else f"{steps} time steps, linear in time between them")
    return f"Tawhiri-style interpolation of the given forecast; {bias}; {time}"


def evaluate(spec: LaunchSpec, start, wind: xr.Dataset | WindArrays, grid: PopulationGrid | None = None, *,
             activity_id: str = "launch", draws: int = 100, parcels_per_release: int = 24, seed: int = 0,
             assumptions: Assumptions | None = None, source: str | None = None) -> LaunchOutcome:
    """Fly the launch ``draws`` times and sum up where leaflets and balloons land."""
    from corridor.channels.balloon import landing
    from corridor.channels.balloon.ensemble import fly
    from corridor.channels.balloon.interpolation import WindArrays

    arrays = wind if isinstance(wind, WindArrays) else WindArrays.from_dataset(wind)
    plan = launch_plan(spec, start)
    check_plan(plan, arrays, source=source)
    res = fly(plan, arrays, draws=draws, parcels_per_release=parcels_per_release,
              assumptions=assumptions, seed=seed)
    cls = landing.classify(res.parcel_lon, res.parcel_lat)
    leaf = landing.shares(cls, res.parcel_leaflets, res.parcel_draw, draws)
    env_cls = landing.classify(res.envelope_lon.ravel(), res.envelope_lat.ravel())
    env = landing.shares(env_cls, np.ones(env_cls.size), np.repeat(np.arange(draws), res.balloons), draws)
    cov = None
    in_cells = None
    if grid is not None:
        cells = landing.cell_index(grid, res.parcel_lon, res.parcel_lat)
        per_cell = landing.leaflets_per_cell(grid, cells, res.parcel_leaflets, res.parcel_draw, draws)
        in_cells = per_cell.sum(axis=1)
        found = per_cell * res.found_share[:, None]
        prob = landing.share_finding(found, grid.population[None, :]).astype(np.float32)
        cov = Coverage(activity_id=activity_id, channel="balloon", grid_key=grid.key, probability=prob,
                       model="Tawhiri-style RK4 trajectories with timed releases and leaflet fall",
                       version=MODEL_VERSION,
                       assumptions={"wind": wind_assumption(arrays), **assumption_texts(assumptions)},
                       extras={"site": (plan.lon_deg, plan.lat_deg), "leaflets_per_cell": per_cell,
                               "leaflet_shares": leaf, "envelope_shares": env,
                               "extrapolated_steps": res.extrapolated_steps})
    return LaunchOutcome(res, leaf, env, cov, in_cells)


@register
class BalloonChannel:
    """Leaflet balloons launched from the South, carried by the forecast wind."""

    name: ClassVar[str] = "balloon"
    spec_model: ClassVar[type[ChannelSpec]] = LaunchSpec

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200, seed: int = 0,
                 wind: xr.Dataset | None = None) -> Coverage:
        """Expected share of people in each cell who find a leaflet, per draw.

        ``wind`` is a normalised wind Dataset; without it the spec's ``wind`` (a file or a
        shipped sample key) is opened.
        """
        spec: LaunchSpec = activity.spec  # type: ignore[assignment]
        if wind is None:
            if not spec.wind:
                raise CorridorError("a balloon launch needs a wind field", field="spec.wind",
                                    hint="give a forecast file or a shipped sample key")
            from corridor.channels.balloon.samples import resolve_wind

            wind = resolve_wind(spec.wind)
        out = evaluate(spec, activity.start, wind, grid, activity_id=activity.id, draws=draws, seed=seed)
        return out.coverage
