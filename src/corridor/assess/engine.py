"""The assessment: the coalition's activities, their modelled reach, the evidence and the costs,
combined into people reached (and influenced) per activity, campaign, channel, theme,
organisation and for the whole coalition, each with a median and a 90 % interval over draws.

This is the composition layer: the inputs are in :mod:`corridor.assess.inputs`, the arithmetic
in :mod:`corridor.assess.combine` and :mod:`corridor.assess.calibrate`, the counting of figures
in :mod:`corridor.assess.results`, the physics in the channels. How each step works and what it
assumes: ``docs/assess.md``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from corridor.assess import calibrate, combine
from corridor.assess.coverages import coverage_key, coverages
from corridor.assess.inputs import CHANNEL_ORDER, Evidence, Item, load_assumptions
from corridor.assess.results import (
    assumption_notes,
    channels_of,
    cost_of,
    figures,
    interval,
    province_matrix,
    reach_and_cost,
    theme_figures,
    times_run,
)
from corridor.channels import get_channel
from corridor.channels.base import shared_value_problem
from corridor.errors import CorridorError
from corridor.geo.grid import PopulationGrid
from corridor.geo.names import PROVINCES

__all__ = ["CHANNEL_ORDER", "Assessment", "Evidence", "Item", "assess", "assumption_notes", "load_assumptions",
           "recompute", "usable_items", "what_if"]


@dataclass
class Assessment:
    """The result of :func:`assess`. ``as_dict`` is what ``corridor assess --json`` prints."""

    grid: PopulationGrid
    items: list[Item]
    draws: int
    assumptions: dict
    evidence: Evidence | None
    probability: dict[str, np.ndarray]           # aligned coverage by coverage key
    key_of: dict[str, str]                       # activity id -> coverage key
    meta: dict[str, dict]                        # activity id -> coverage meta
    channel_prob: dict[str, np.ndarray] = field(default_factory=dict)   # calibrated union per channel
    channel_model_prob: dict[str, np.ndarray] = field(default_factory=dict)
    channel_factor: dict[str, np.ndarray] = field(default_factory=dict)  # (draws, provinces)
    channel_survey: dict[str, np.ndarray] = field(default_factory=dict)  # surveyed share draws (draws, provinces)
    coalition_prob: np.ndarray | None = None
    result: dict = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)   # activities not assessed, with the reason

    # -- figures -----------------------------------------------------------------------------
    def as_dict(self) -> dict:
        return {k: v for k, v in self.result.items() if not k.startswith("_")}

    def rho(self, channel: str) -> float:
        entry = self.assumptions.get("overlap", {}).get(channel)
        return float(entry["rho"]) if isinstance(entry, dict) else 0.0

    def activity_prob(self, activity_id: str) -> np.ndarray:
        return self.probability[self.key_of[activity_id]]

    def median_map(self, which: str = "coalition") -> np.ndarray:
        """Median over draws of the probability of being reached, per cell."""
        p = self.coalition_prob if which == "coalition" else self.channel_prob[which]
        return np.median(p, axis=0)


def assess(items: Sequence[Item], grid: PopulationGrid, *, evidence: Evidence | None = None,
           assumptions: dict | None = None, draws: int = 200, seed: int = 0,
           scheduler: str | None = None, use_cache: bool = True,
           progress: Callable[[int, int], None] = lambda done, total: None) -> Assessment:
    """Assess ``items`` on ``grid`` (see the module notes and ``docs/assess.md``)."""
    if not items:
        raise CorridorError("nothing to assess: the ledger has no activities", field="activities", value=0)
    if draws < 20:
        raise CorridorError("too few draws for a 90% interval", field="--draws", value=draws,
                            hint="use at least 20 (200 is the default)")
    assumptions = assumptions or load_assumptions()
    ids = [it.activity.id for it in items]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise CorridorError("two activities have the same id", field="id", value=dup)
    unreadable = list(getattr(items, "skipped", []))   # rows the ledger could not turn into items
    items, skipped = usable_items(items)
    skipped = unreadable + skipped
    entries = coverages([it.activity for it in items], grid, draws=draws, seed=seed,
                        scheduler=scheduler, use_cache=use_cache, progress=progress)
    failed = {i for i, e in entries.items() if "skipped" in e}
    skipped += [_skip_entry(it, e["skipped"]["field"], e["skipped"]["reason"])
                for it in items if it.activity.id in failed for e in [entries[it.activity.id]]]
    items = [it for it in items if it.activity.id not in failed]
    year = int(grid.year)
    key_of = {it.activity.id: coverage_key(it.activity, f"{grid.key}@{year}", draws, seed) for it in items}
    pop = grid.population.astype(np.float32)
    probability: dict[str, np.ndarray] = {}
    for it in items:
        k = key_of[it.activity.id]
        if k not in probability:
            probability[k] = combine.align_draws(entries[it.activity.id]["probability"], pop)
    a = Assessment(grid=grid, items=list(items), draws=draws, assumptions=assumptions, evidence=evidence,
                   probability=probability, key_of=key_of,
                   meta={i: e["meta"] for i, e in entries.items() if i not in failed}, skipped=skipped)
    recompute(a)
    return a


def _skip_entry(it: Item, field_name: str | None, reason: str) -> dict:
    a = it.activity
    return {"id": a.id, "title": a.title, "channel": a.channel, "campaign": it.campaign,
            "campaign_id": it.campaign_id, "organisation": it.organisation, "field": field_name,
            "reason": reason}


def usable_items(items: Sequence[Item]) -> tuple[list[Item], list[dict]]:
    """The items the assessment may model, and the others with the reason each is left out.

    Items come from the shared ledger, whose specs may name only shipped resources (see
    :func:`corridor.channels.base.check_shared_spec`). A row stored before that rule, or arriving
    by a restore, may still name a file: it is left out here, before any model runs, so no file
    is opened for it and nobody's assessment fails because of it.
    """
    keep, skipped = [], []
    for it in items:
        problem = shared_value_problem(it.activity.channel, it.activity.spec.model_dump(mode="json"))
        if problem is None:
            keep.append(it)
        else:
            skipped.append(_skip_entry(it, *problem))
    return keep, skipped


def channel_union(a: Assessment, channel: str, times: dict[str, float] | None = None) -> np.ndarray | None:
    """The modelled (uncalibrated) union of one channel's activities; ``times`` repeats or drops
    activities (0 leaves one out) for what-if questions."""
    acc = combine.Accumulator()
    rho = a.rho(channel)
    for it in a.items:
        if it.activity.channel != channel:
            continue
        n = times_run(it, times)
        if n <= 0:
            continue
        p = a.activity_prob(it.activity.id)
        acc.add(p if n == 1.0 else combine.repeat(p, n, rho))
    if acc.best is None:
        return None
    # The union of rank-paired draws need not be in rank order itself: pair the channel with the
    # others by rank again (the comonotone assumption of the notes), so that a combined total
    # never exceeds the sum of its parts at any quantile.
    return combine.align_draws(acc.value(rho), a.grid.population.astype(np.float32))


def _calibrate(a: Assessment, channel: str, p_model: np.ndarray, prov_m: np.ndarray,
               prov_pop: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, dict | None]:
    """Apply the evidence ceiling to one channel; returns (probability, factor, comparison)."""
    survey_channel = a.assumptions.get("evidence", {}).get(channel)
    ev = a.evidence.exposure.get(survey_channel) if (a.evidence and survey_channel) else None
    if not ev:
        return p_model, None, None
    rng = np.random.default_rng(zlib.crc32(channel.encode()))   # stable across processes
    modelled_share = np.sort((p_model @ prov_m) / np.maximum(prov_pop, 1.0), axis=0)
    surveyed = np.empty_like(modelled_share)
    provinces = ev.get("provinces") or {}
    for j, name in enumerate(PROVINCES):
        src = provinces.get(name) or ev
        surveyed[:, j] = calibrate.beta_draws(src["share"], src["lower90"], src["upper90"], a.draws, rng)
    factor = calibrate.ceiling_factor(modelled_share, surveyed)
    a.channel_survey[channel] = surveyed
    # Apply the d-th quantile's factor to the d-th draw (both aligned ascending).
    p_cal = p_model * factor[:, a.grid.province].astype(np.float32)
    p_cal = combine.align_draws(p_cal, a.grid.population.astype(np.float32))
    rows = []
    for j, name in enumerate(PROVINCES):
        m = interval(modelled_share[:, j])
        s_src = provinces.get(name) or ev
        s = {"median": float(s_src["share"]), "lower90": float(s_src["lower90"]),
             "upper90": float(s_src["upper90"])}
        rows.append({"province": name, "modelled_share": m, "surveyed_share": s,
                     "factor_median": float(np.median(factor[:, j])),
                     "disagreement": calibrate.disagreement(m, s)})
    national_model = interval((p_model @ a.grid.population) / a.grid.population.sum())
    basis = "coalition_reach"
    ever = getattr(get_channel(channel), "ever_exposed", None)
    landscape = ever(int(a.evidence.year)) if ever is not None else None
    if landscape is not None:
        # A survey counts everyone who ever saw the medium from any source over the years: compare
        # it with the channel's national model of that, not with the coalition's few activities.
        national_model, basis = landscape, "national_model_ever_exposed"
    comparison = {"survey_channel": survey_channel, "year": a.evidence.year,
                  "respondents": a.evidence.respondents, "synthetic": a.evidence.synthetic,
                  "modelled_share": national_model, "modelled_basis": basis,
                  "surveyed_share": {"median": ev["share"], "lower90": ev["lower90"], "upper90": ev["upper90"]},
                  "disagreement": calibrate.disagreement(national_model, {"lower90": ev["lower90"],
                                                                          "upper90": ev["upper90"]}),
                  "provinces": rows,
                  "capped_provinces": [r["province"] for r in rows if r["factor_median"] < 0.999]}
    return p_cal, factor, comparison


def recompute(a: Assessment, times: dict[str, float] | None = None, channels: Iterable[str] | None = None) -> dict:
    """Compute every figure of ``a`` (all channels, or only ``channels`` when re-answering a
    what-if question) and store them in ``a.result``."""
    grid = a.grid
    pop64 = grid.population.astype(np.float64)
    prov_m = province_matrix(grid)
    prov_pop = prov_m.sum(axis=0)
    todo = list(channels) if channels is not None else channels_of(a.items)
    for ch in todo:
        p = channel_union(a, ch, times)
        if p is None:
            for d in (a.channel_prob, a.channel_model_prob, a.channel_factor):
                d.pop(ch, None)
            continue
        a.channel_model_prob[ch] = p
        p_cal, factor, comparison = _calibrate(a, ch, p, prov_m, prov_pop)
        a.channel_prob[ch] = p_cal
        if factor is not None:
            a.channel_factor[ch] = factor
        a.result.setdefault("_comparison", {})[ch] = comparison
    present = [c for c in channels_of(a.items) if c in a.channel_prob]
    a.coalition_prob = (combine.union([a.channel_prob[c] for c in present], rho=0.0) if present
                        else np.zeros((a.draws, grid.n_cells), dtype=np.float32))
    a.result = figures(a, present, pop64, prov_m, prov_pop, times)
    return a.result


def what_if(a: Assessment, times: dict[str, float]) -> dict:
    """Channels and coalition if some activities ran ``times`` times (0: not at all), without
    changing ``a``. Only the channels of the changed activities are recombined."""
    known = {it.activity.id: it for it in a.items}
    for aid, n in times.items():
        if aid not in known:
            raise CorridorError("no such activity in this assessment", field="activity", value=aid)
        if not 0 <= float(n) <= 20:
            raise CorridorError("must be between 0 and 20", field=f"times.{aid}", value=n)
    grid = a.grid
    prov_m = province_matrix(grid)
    prov_pop = prov_m.sum(axis=0)
    pop64 = grid.population.astype(np.float64)
    channel_prob = dict(a.channel_prob)
    for ch in {known[aid].activity.channel for aid in times}:
        p = channel_union(a, ch, times)
        if p is None:
            channel_prob.pop(ch, None)
            continue
        channel_prob[ch], _f, _c = _calibrate(a, ch, p, prov_m, prov_pop)
    present = [c for c in channels_of(a.items) if c in channel_prob]
    channels = {}
    for ch in present:
        iv = interval(np.sort(combine.people(channel_prob[ch], pop64)))
        cost, _m = cost_of([it for it in a.items if it.activity.channel == ch], times)
        channels[ch] = reach_and_cost(iv, cost)
    coal = combine.union([channel_prob[c] for c in present]) if present else np.zeros((a.draws, grid.n_cells), np.float32)
    civ = interval(np.sort(combine.people(coal, pop64)))
    cost_all, _m = cost_of(a.items, times)
    base = a.result["coalition"]
    return {"channels": channels,
            "coalition": {**reach_and_cost(civ, cost_all),
                          "change_median": civ["median"] - base["reached_median"]},
            "themes": theme_figures(a, prov_m, times),
            "times": {k: float(v) for k, v in times.items()}}
