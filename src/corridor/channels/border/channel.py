"""Border media: a shipment of USB sticks, SD cards or DVDs, and who has seen it by a day."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field, ValidationInfo, field_validator

from corridor.channels.base import Activity, ChannelSpec, Coverage, register
from corridor.channels.border import crossings, parameters
from corridor.errors import CorridorError

if TYPE_CHECKING:  # the spread model and the grid load pandas, pyproj and scipy; a spec is checked without them
    from corridor.channels.border import network, spread
    from corridor.geo.grid import PopulationGrid

MODEL_VERSION = "1"
#: The model's date range: from the 2008 census (the population base) to 2040 (beyond which
#: sharing patterns measured 2010–2022 say nothing).
FIRST_DATE = datetime(2008, 10, 1, tzinfo=timezone.utc)
LAST_DATE = datetime(2040, 12, 31, 23, 59, tzinfo=timezone.utc)
#: Largest content each medium holds, GB (a single-layer DVD; common USB stick and SD card sizes).
MEDIUM_CAPACITY_GB = {"usb": 256.0, "sd": 512.0, "dvd": 8.5}
MAX_DAYS = 730


class BorderSpec(ChannelSpec):
    """One shipment across the border."""

    crossing: str = Field(description="crossing id or town, e.g. 'hyesan' or 'hyesan_changbai'")
    devices: int = Field(ge=1, le=10_000_000, description="copies sent (sticks, cards or discs)")
    medium: Literal["usb", "sd", "dvd"] = Field("usb", description="what carries the content")
    content_gb: float = Field(gt=0, description="size of the content, GB")
    days: int = Field(90, ge=1, le=MAX_DAYS, description="days to follow the spread after entry")
    sharing: bool = Field(True, description="false: each copy serves only its first household")
    parameters: dict[str, float] = Field(default_factory=dict,
                                         description="parameters fixed for all draws (see the table)")

    @field_validator("crossing")
    @classmethod
    def _known_crossing(cls, value: str) -> str:
        return str(crossings.find_crossing(value)["crossing_id"])

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, value: dict[str, float]) -> dict[str, float]:
        for name, v in value.items():
            parameters.check_value(name, float(v))
        return value

    @field_validator("content_gb")
    @classmethod
    def _fits_medium(cls, value: float, info: ValidationInfo) -> float:
        medium = info.data.get("medium", "usb")
        cap = MEDIUM_CAPACITY_GB[medium]
        if value > cap:
            raise ValueError(f"does not fit on one {medium} (at most {cap:g} GB)")
        return value


def check_date(activity: Activity, source: str | None = None) -> None:
    """The shipment date must lie in the model's range (:data:`FIRST_DATE`–:data:`LAST_DATE`)."""
    start = activity.start if activity.start.tzinfo else activity.start.replace(tzinfo=timezone.utc)
    if not FIRST_DATE <= start <= LAST_DATE:
        raise CorridorError(f"the border model covers {FIRST_DATE:%Y-%m-%d} to {LAST_DATE:%Y-%m-%d}",
                            source=source, field="start", value=activity.start.isoformat())


def entry_county(grid: PopulationGrid, crossing_id: str) -> int:
    """Index of the county holding the grid cell nearest the crossing's North Korean end."""
    row = crossings.find_crossing(crossing_id)
    d = (grid.lon - row["kp_lon"]) ** 2 + ((grid.lat - row["kp_lat"]) * 1.3) ** 2
    return int(grid.county[int(np.argmin(d))])


@lru_cache(maxsize=4)
def _network(grid_key: str, grid: PopulationGrid) -> network.TradeNetwork:
    from corridor.channels.border import network

    return network.trade_network(grid, parameters.GRAVITY_LEVELS)


def county_population(grid: PopulationGrid) -> np.ndarray:
    """People per county on the grid (civilian and military)."""
    return np.bincount(grid.county, weights=grid.population, minlength=len(grid.county_ids))


def _entry_text() -> str:
    p = parameters.table()["p_intercept"]
    return (f"copies seized at the crossing ~ Binomial(N, π), π ~ U({p.low:.2f}, {p.high:.2f}) (assumption)")


def _sharing_text() -> str:
    s = parameters.source_shares()
    return (f"sources of copies: family {parameters.pct(s['family'])}, friends {parameters.pct(s['friends'])}, "
            f"market {parameters.pct(s['market'])} (UMG/Daily NK 2022, n=50 inside)")


#: Assumptions shown beside every estimate; the figures of ``entry`` and ``sharing`` are read
#: from the parameter table (``data/parameters.csv``), never restated.
ASSUMPTIONS = {
    "entry": _entry_text(),
    "spread": "counties mix at random inside (no clustering of friends); mean-field daily steps",
    "sharing": _sharing_text(),
    "movement": "copies carried along main railway lines (Wikipedia line articles) and a gravity "
                "term between market towns (urban population, distance^-γ, γ 1.5–2.5)",
    "copying": "κ 0.005–0.08 copies per copy per day, capped by households with a player (42%, "
               "InterMedia 2012 via Enos); DVDs copied at 5–40% of that rate",
    "crackdowns": "copies removed at 0.3–3% per day (assumption; UMG 2019)",
    "map": "each county's share reached is spread evenly over its cells",
}


@register
class BorderChannel:
    """Who has seen the content of one shipment by the last day, over the grid."""

    name: ClassVar[str] = "border"
    spec_model: ClassVar[type[ChannelSpec]] = BorderSpec

    def simulate(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200, seed: int = 0,
                 theta: dict[str, np.ndarray] | None = None,
                 snapshot_days: tuple[int, ...] = ()) -> spread.SpreadResult:
        """Run the spread for ``activity`` (parameters drawn from the table unless ``theta``)."""
        from corridor.channels.border import spread

        spec: BorderSpec = activity.spec  # type: ignore[assignment]
        check_date(activity)
        rng = np.random.default_rng(seed)
        if theta is None:
            theta = parameters.draw(draws, rng, spec.parameters)
        return spread.simulate(theta, shipped=spec.devices, entry=entry_county(grid, spec.crossing),
                               population=county_population(grid),
                               network=_network(grid.key + f"-{grid.year}", grid), days=spec.days,
                               medium=spec.medium, sharing=spec.sharing, rng=rng,
                               snapshot_days=snapshot_days)

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200,
                 seed: int = 0) -> Coverage:
        spec: BorderSpec = activity.spec  # type: ignore[assignment]
        result = self.simulate(activity, grid, draws=draws, seed=seed)
        pop = county_population(grid)
        share = np.divide(result.reached, pop, out=np.zeros_like(result.reached), where=pop > 0)
        prob = np.clip(share[:, grid.county], 0.0, 1.0).astype(np.float32)
        curve = np.percentile(result.reached_by_day, [5, 50, 95], axis=0)
        held = np.percentile(result.held_by_day, [5, 50, 95], axis=0)
        row = crossings.find_crossing(spec.crossing)
        return Coverage(
            activity_id=activity.id, channel=self.name, grid_key=grid.key, probability=prob,
            model="county metapopulation: copying, lending, market trade, crackdowns (daily steps)",
            version=MODEL_VERSION, assumptions=dict(ASSUMPTIONS),
            extras={"crossing": spec.crossing, "site": (float(row["kp_lon"]), float(row["kp_lat"])),
                    "entry_county": grid.county_ids[entry_county(grid, spec.crossing)],
                    "days": spec.days,
                    "reached_by_day": {"lower90": curve[0], "median": curve[1], "upper90": curve[2]},
                    "held_by_day": {"lower90": held[0], "median": held[1], "upper90": held[2]},
                    "shipped": float(spec.devices),
                    "intercepted_median": float(np.median(result.intercepted)),
                    "copied_median": float(np.median(result.copied)),
                    "removed_median": float(np.median(result.removed)),
                    "held_median": float(np.median(result.held.sum(axis=1)))})
