"""Border media: a shipment of USB sticks, SD cards or DVDs, and who has seen it by a day.

By default the reach is the *calibrated marginal reach*: the copy, lending and crackdown rates
are drawn from the national posterior (:mod:`.calibration`), and the people who see the
shipment's content are split into those who see smuggled video for the first time and those who
had seen some before (the province's share ever exposed in the shipment's year). ``reach:
one_shipment`` keeps the earlier figure: one shipment with every parameter drawn from the table's
ranges, uncalibrated.
"""

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

MODEL_VERSION = "2"
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
    reach: Literal["new_content", "first_time", "one_shipment"] = Field(
        "new_content", description="new_content: people who see this content (calibrated); first_time: "
        "of those, people who see smuggled video for the first time; one_shipment: the uncalibrated "
        "one-shipment figure (every parameter over its table range)")

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


#: Assumptions added to the calibrated reach (``reach`` new_content or first_time).
CALIBRATED_ASSUMPTIONS = {
    "calibration": "copy, lending and crackdown rates drawn from the national posterior (PyMC SMC "
                   "on published shares of people who saw foreign video, 2000–2022, with terms for each sample and question); other parameters "
                   "over their table ranges; player ownership of the shipment's year",
    "first_time": "first-time viewers = people reached × (1 − share of the province who had already seen "
                  "smuggled foreign video that year), as if prior exposure were independent of who gets the "
                  "copy; television received across the border is not counted as prior exposure",
    "years": "after 2026 the conditions of 2026 (last year of the national model)",
}
ONE_SHIPMENT_ASSUMPTION = {"reach": "one shipment, uncalibrated: every parameter drawn over its table range"}
REACH_LABELS = {
    "new_content": "calibrated marginal reach: people who see this shipment's content",
    "first_time": "calibrated marginal reach: people who see smuggled video for the first time",
    "one_shipment": "one-shipment reach (uncalibrated, table ranges)",
}


def calibrated_theta(activity: Activity, grid: PopulationGrid, draws: int,
                     rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray, int]:
    """Parameters for ``draws`` runs of the shipment with the calibrated rates, and the share of
    each county's people already exposed (draws, counties), paired draw by draw with the
    posterior, and the year of the national model used."""
    from corridor.channels.border import calibration, national

    spec: BorderSpec = activity.spec  # type: ignore[assignment]
    post = calibration.shipped_posterior()
    idx = rng.integers(0, post.draws, draws)
    theta = parameters.draw(draws, rng, spec.parameters)
    for name in calibration.FROM_SHIPMENT_TABLE:
        if name not in spec.parameters:
            theta[name] = np.asarray(post.theta[name], float)[idx]
    start = activity.start
    year = min(max(start.year, national.FIRST_YEAR), national.LAST_YEAR)
    stamp = (year, start.month if start.year <= national.LAST_YEAR else 12)
    factor = np.ones(draws)
    for p in calibration.read_periods():
        if p["effect"] == "removal" and p["start"] <= stamp <= p["end"]:
            factor *= np.asarray(post.theta[p["parameter"]], float)[idx] ** p["exponent"]
    if "crackdown_rate" not in spec.parameters:
        theta["crackdown_rate"] = theta["crackdown_rate"] * factor
    if "player_share" not in spec.parameters:
        theta["player_share"] = np.full(draws, calibration.read_years()["player_share"][year - national.FIRST_YEAR])
    exposed, used = calibration.background(post, year)
    order = [post.provinces.index(name) for name in grid.provinces]
    county_province = np.zeros(len(grid.county_ids), dtype=int)
    county_province[grid.county] = grid.province
    return theta, exposed[idx][:, order][:, county_province], used


@register
class BorderChannel:
    """Who has seen the content of one shipment by the last day, over the grid."""

    name: ClassVar[str] = "border"
    spec_model: ClassVar[type[ChannelSpec]] = BorderSpec

    def simulate(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200, seed: int = 0,
                 theta: dict[str, np.ndarray] | None = None,
                 snapshot_days: tuple[int, ...] = (),
                 count_weight: np.ndarray | None = None) -> spread.SpreadResult:
        """Run the spread for ``activity`` (parameters drawn from the table unless ``theta``;
        ``count_weight`` (draws, counties) adds a weighted daily count, see :func:`.spread.simulate`)."""
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
                               snapshot_days=snapshot_days, count_weight=count_weight)

    def ever_exposed(self, year: int) -> dict[str, float] | None:
        """The national share of adults ever exposed to foreign video by ``year`` (median and
        90 % interval of the calibrated national model): what a survey of people who left
        measures for smuggled media, to compare with it (None outside the model's years)."""
        from corridor.channels.border import calibration

        post = calibration.shipped_posterior()
        years = [int(y) for y in post.years]
        if year not in years:
            return None
        iv = calibration.interval(post.national()[:, years.index(year)])
        return {k: float(v) for k, v in iv.items()}

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200,
                 seed: int = 0) -> Coverage:
        spec: BorderSpec = activity.spec  # type: ignore[assignment]
        check_date(activity)
        assumptions = dict(ASSUMPTIONS)
        pop = county_population(grid)
        if spec.reach == "one_shipment":
            result = self.simulate(activity, grid, draws=draws, seed=seed)
            fresh = np.full_like(result.reached, np.nan)
            assumptions.update(ONE_SHIPMENT_ASSUMPTION)
            used_year = None
        else:
            theta, before, used_year = calibrated_theta(activity, grid, draws, np.random.default_rng([seed, 19]))
            unseen = 1.0 - before
            result = self.simulate(activity, grid, draws=draws, seed=seed, theta=theta, count_weight=unseen)
            fresh = result.reached * unseen
            assumptions.update(CALIBRATED_ASSUMPTIONS)
            assumptions["copying"] = "κ, λ and δ from the national posterior; copies capped by households with a player"
            assumptions["crackdowns"] = "δ from the national posterior, raised by the 2020 law's factor after December 2020"
        counted = fresh if spec.reach == "first_time" else result.reached
        share = np.divide(counted, pop, out=np.zeros_like(counted), where=pop > 0)
        prob = np.clip(share[:, grid.county], 0.0, 1.0).astype(np.float32)
        # the curve by day counts what the reach counts: first-time viewers, or everyone who saw it
        by_day = result.counted_by_day if spec.reach == "first_time" else result.reached_by_day
        curve = np.percentile(by_day, [5, 50, 95], axis=0)
        held = np.percentile(result.held_by_day, [5, 50, 95], axis=0)
        row = crossings.find_crossing(spec.crossing)
        return Coverage(
            activity_id=activity.id, channel=self.name, grid_key=grid.key, probability=prob,
            model="county metapopulation: copying, lending, market trade, crackdowns (daily steps); "
                  + REACH_LABELS[spec.reach],
            version=MODEL_VERSION, assumptions=assumptions,
            extras={"reach": spec.reach, "reach_label": REACH_LABELS[spec.reach],
                    "new_content": _interval(result.reached.sum(axis=1)),
                    "first_time": (_interval(fresh.sum(axis=1)) if used_year is not None else None),
                    "background_year": used_year,
                    "crossing": spec.crossing, "site": (float(row["kp_lon"]), float(row["kp_lat"])),
                    "entry_county": grid.county_ids[entry_county(grid, spec.crossing)],
                    "days": spec.days,
                    "reached_by_day": {"lower90": curve[0], "median": curve[1], "upper90": curve[2]},
                    "held_by_day": {"lower90": held[0], "median": held[1], "upper90": held[2]},
                    "shipped": float(spec.devices),
                    "intercepted_median": float(np.median(result.intercepted)),
                    "copied_median": float(np.median(result.copied)),
                    "removed_median": float(np.median(result.removed)),
                    "held_median": float(np.median(result.held.sum(axis=1)))})


def _interval(values: np.ndarray) -> dict[str, float]:
    lo, med, hi = np.percentile(values, [5, 50, 95])
    return {"median": float(med), "lower90": float(lo), "upper90": float(hi)}


def marginal_reach(grid: PopulationGrid, *, year: int, crossings_: tuple[str, ...] | None = None,
                   sizes: tuple[int, ...] = (100, 1_000, 10_000), medium: str = "usb", days: int = 90,
                   draws: int = 200, seed: int = 0) -> list[dict]:
    """What one more shipment adds, per crossing, size and year (calibrated): people who see
    its content and, of them, people who see smuggled video for the first time, by day ``days``
    (median and 90 % interval over draws). The shipment starts on 1 March of ``year``."""
    ids = crossings_ or tuple(r["crossing_id"] for r in crossings._read())
    rows = []
    for crossing in ids:
        for devices in sizes:
            activity = Activity.create("border", {"crossing": crossing, "devices": int(devices), "medium": medium,
                                                  "content_gb": 4.0, "days": days},
                                       id=f"marginal-{crossing}-{devices}",
                                       start=datetime(year, 3, 1, tzinfo=timezone.utc))
            cov = BorderChannel().coverage(activity, grid, draws=draws, seed=seed)
            rows.append({"crossing": activity.spec.crossing, "devices": int(devices), "year": year,
                         "days": days, "medium": medium, "background_year": cov.extras["background_year"],
                         "new_content": cov.extras["new_content"], "first_time": cov.extras["first_time"]})
    return rows
