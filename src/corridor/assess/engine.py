"""The assessment: the coalition's activities, their modelled reach, the evidence and the costs,
combined into people reached (and influenced) per activity, campaign, channel, organisation and
for the whole coalition, each with a median and a 90 % interval over draws.

This is the composition layer: the arithmetic lives in :mod:`corridor.assess.combine` and
:mod:`corridor.assess.calibrate`, the physics in the channels. How each step works and what it
assumes: ``docs/assess.md``.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from corridor.assess import calibrate, combine
from corridor.assess.coverages import coverage_key, coverages
from corridor.channels import Activity
from corridor.channels.base import shared_value_problem
from corridor.errors import CorridorError
from corridor.geo.grid import PopulationGrid
from corridor.geo.names import PROVINCES

#: Channels in the order the tables list them.
CHANNEL_ORDER = ("radio", "balloon", "border", "satellite", "loudspeaker")


@dataclass(frozen=True)
class Item:
    """One activity as the assessment sees it: what it is, who runs it, what it costs."""

    activity: Activity
    cost_usd: float | None = None
    campaign: str = ""
    organisation: str = ""
    campaign_id: int | None = None


@dataclass(frozen=True)
class Evidence:
    """What the evidence module says, in the form the assessment uses.

    ``exposure``: per survey channel ``{"share", "lower90", "upper90", "provinces": {name:
    {"share", "lower90", "upper90"}}}`` (see :func:`corridor.evidence.estimate.estimate_exposure`).
    ``influence``: ``{"item", "baseline", "channels": {survey channel: {"odds_ratio", "lower90",
    "upper90"}}}`` or None.
    """

    exposure: dict
    year: int
    respondents: int
    synthetic: bool = False
    influence: dict | None = None

    @classmethod
    def from_estimate(cls, estimate, influence: dict | None = None) -> Evidence:
        exposure = {}
        for name, ch in estimate.channels.items():
            if ch.share is None:
                continue
            exposure[name] = {"share": ch.share, "lower90": ch.lower90, "upper90": ch.upper90,
                              "raw_share": ch.raw_share, "provinces": dict(ch.provinces)}
        return cls(exposure=exposure, year=estimate.year, respondents=estimate.respondents,
                   synthetic=bool(estimate.synthetic), influence=influence)

    @classmethod
    def read(cls, path: Path) -> Evidence:
        """An evidence file: one written by :meth:`as_dict`, or the output of
        ``corridor evidence estimate --json`` (national and, when given, province shares)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CorridorError(f"cannot read it ({exc.strerror})", source=str(path)) from None
        except json.JSONDecodeError as exc:
            raise CorridorError(f"not valid JSON ({exc.msg}, line {exc.lineno})", source=str(path)) from None
        try:
            if "exposure" in data:
                return cls.from_dict(data)
            if "channels" in data:  # `corridor evidence estimate --json`
                exposure = {ch: {"share": v["share"], "lower90": v["lower90"], "upper90": v["upper90"],
                                 "provinces": v.get("provinces", {})}
                            for ch, v in data["channels"].items() if v.get("share") is not None}
                return cls(exposure=exposure, year=int(data["year"]), respondents=int(data["respondents"]),
                           synthetic=bool(data.get("synthetic")))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorridorError(f"not an evidence file (missing or bad {exc})", source=str(path)) from None
        raise CorridorError("not an evidence file (no 'exposure' or 'channels')", source=str(path))

    def as_dict(self) -> dict:
        return {"exposure": self.exposure, "year": self.year, "respondents": self.respondents,
                "synthetic": self.synthetic, "influence": self.influence}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(exposure=data["exposure"], year=int(data["year"]), respondents=int(data["respondents"]),
                   synthetic=bool(data.get("synthetic")), influence=data.get("influence"))


@cache
def _default_assumptions_text() -> str:
    return resources.files("corridor.assess").joinpath("data", "assumptions.yaml").read_text(encoding="utf-8")


def load_assumptions(path: Path | None = None) -> dict:
    """The assessment's assumptions (overlap per channel, evidence mapping, influence item)."""
    text = _default_assumptions_text() if path is None else _read(path)
    data = yaml.safe_load(text)
    for ch, entry in data.get("overlap", {}).items():
        rho = entry.get("rho") if isinstance(entry, dict) else None
        if not isinstance(rho, (int, float)) or not 0 <= rho <= 1:
            raise CorridorError("overlap must be a number from 0 to 1", source=str(path or "assumptions"),
                                field=f"overlap.{ch}.rho", value=rho)
    return data


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CorridorError(f"cannot read it ({exc.strerror})", source=str(path)) from None


def _iv(values: np.ndarray) -> dict[str, float]:
    return combine.interval(values)


def _flat(prefix: str, iv: dict) -> dict[str, float]:
    return {f"{prefix}_median": iv["median"], f"{prefix}_lower90": iv["lower90"],
            f"{prefix}_upper90": iv["upper90"]}


def _reach_and_cost(iv: dict, cost: float | None) -> dict:
    """People reached (median, 90 % interval), the cost (USD) and the cost per person reached.
    A cost of 0 (nothing priced) or None has no cost per person."""
    cpp = combine.cost_per_person(cost if cost else None, iv)
    return {**_flat("reached", iv), "cost_usd": None if cost is None else round(cost, 2),
            "cost_per_person_usd": cpp["median"], "cost_per_person_lower90": cpp["lower90"],
            "cost_per_person_upper90": cpp["upper90"]}


@dataclass
class _Accumulator:
    """Running union of probabilities on one channel: best (max) and miss (Π(1 − p))."""

    best: np.ndarray | None = None
    miss: np.ndarray | None = None

    def add(self, p: np.ndarray) -> None:
        if self.best is None:
            self.best = p.copy()
            self.miss = 1.0 - p
        else:
            np.maximum(self.best, p, out=self.best)
            self.miss *= 1.0 - p

    def value(self, rho: float) -> np.ndarray:
        out = 1.0 - self.miss
        if rho > 0:
            out = (1.0 - rho) * out + rho * self.best
        return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)


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


def _channels_of(items: Iterable[Item]) -> list[str]:
    present = {it.activity.channel for it in items}
    return [c for c in CHANNEL_ORDER if c in present] + sorted(present - set(CHANNEL_ORDER))


def channel_union(a: Assessment, channel: str, times: dict[str, float] | None = None) -> np.ndarray | None:
    """The modelled (uncalibrated) union of one channel's activities; ``times`` repeats or drops
    activities (0 leaves one out) for what-if questions."""
    acc = _Accumulator()
    rho = a.rho(channel)
    for it in a.items:
        if it.activity.channel != channel:
            continue
        n = 1.0 if times is None else float(times.get(it.activity.id, 1.0))
        if n <= 0:
            continue
        p = a.activity_prob(it.activity.id)
        acc.add(p if n == 1.0 else combine.repeat(p, n, rho))
    return None if acc.best is None else acc.value(rho)


def _province_matrix(grid: PopulationGrid) -> np.ndarray:
    onehot = np.zeros((grid.n_cells, len(PROVINCES)), dtype=np.float64)
    onehot[np.arange(grid.n_cells), grid.province] = grid.population
    return onehot


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
        m = _iv(modelled_share[:, j])
        s_src = provinces.get(name) or ev
        s = {"median": float(s_src["share"]), "lower90": float(s_src["lower90"]),
             "upper90": float(s_src["upper90"])}
        rows.append({"province": name, "modelled_share": m, "surveyed_share": s,
                     "factor_median": float(np.median(factor[:, j])),
                     "disagreement": calibrate.disagreement(m, s)})
    national_model = _iv((p_model @ a.grid.population) / a.grid.population.sum())
    comparison = {"survey_channel": survey_channel, "year": a.evidence.year,
                  "respondents": a.evidence.respondents, "synthetic": a.evidence.synthetic,
                  "modelled_share": national_model,
                  "surveyed_share": {"median": ev["share"], "lower90": ev["lower90"], "upper90": ev["upper90"]},
                  "disagreement": calibrate.disagreement(national_model, {"lower90": ev["lower90"],
                                                                          "upper90": ev["upper90"]}),
                  "provinces": rows,
                  "capped_provinces": [r["province"] for r in rows if r["factor_median"] < 0.999]}
    return p_cal, factor, comparison


def _influence(a: Assessment, channel: str, reached: np.ndarray) -> dict | None:
    """People influenced: reached × the change in the share agreeing with the attitude item."""
    infl = a.evidence.influence if a.evidence else None
    survey_channel = a.assumptions.get("evidence", {}).get(channel)
    if not infl or not survey_channel or survey_channel not in infl.get("channels", {}):
        return None
    e = infl["channels"][survey_channel]
    rng = np.random.default_rng(7 + len(channel))
    orr = calibrate.lognormal_draws(e["odds_ratio"], e["lower90"], e["upper90"], a.draws, rng)
    baseline = float(infl.get("baseline", a.assumptions["influence"]["baseline_agree"]))
    rd = calibrate.risk_difference(orr, baseline)
    return {"item": infl.get("item"), "odds_ratio": {"median": e["odds_ratio"], "lower90": e["lower90"],
                                                     "upper90": e["upper90"]},
            "baseline_agree": baseline, "risk_difference": _iv(rd),
            "people": _iv(np.sort(reached) * rd),
            "caveat": "association in interviews of people who left, not a measured causal effect; "
                      "people exposed to outside media may differ in ways the model does not see"}


def recompute(a: Assessment, times: dict[str, float] | None = None, channels: Iterable[str] | None = None) -> dict:
    """Compute every figure of ``a`` (all channels, or only ``channels`` when re-answering a
    what-if question) and store them in ``a.result``."""
    grid = a.grid
    pop64 = grid.population.astype(np.float64)
    prov_m = _province_matrix(grid)
    prov_pop = prov_m.sum(axis=0)
    todo = list(channels) if channels is not None else _channels_of(a.items)
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
    present = [c for c in _channels_of(a.items) if c in a.channel_prob]
    a.coalition_prob = (combine.union([a.channel_prob[c] for c in present], rho=0.0) if present
                        else np.zeros((a.draws, grid.n_cells), dtype=np.float32))
    a.result = _figures(a, present, pop64, prov_m, prov_pop, times)
    return a.result


def _cost(items: Iterable[Item], times: dict[str, float] | None) -> tuple[float, int]:
    total, missing = 0.0, 0
    for it in items:
        n = 1.0 if times is None else float(times.get(it.activity.id, 1.0))
        if n <= 0:
            continue
        if it.cost_usd is None:
            missing += 1
        else:
            total += it.cost_usd * n
    return total, missing


def _group_reach(a: Assessment, members: list[Item], times: dict[str, float] | None) -> np.ndarray:
    """Union of a group's activities (per channel with its overlap, then across channels),
    scaled by each channel's evidence factor; people per draw."""
    by_channel: dict[str, _Accumulator] = defaultdict(_Accumulator)
    for it in members:
        n = 1.0 if times is None else float(times.get(it.activity.id, 1.0))
        if n <= 0:
            continue
        p = a.activity_prob(it.activity.id)
        ch = it.activity.channel
        by_channel[ch].add(p if n == 1.0 else combine.repeat(p, n, a.rho(ch)))
    parts = []
    for ch, acc in by_channel.items():
        p = acc.value(a.rho(ch))
        if ch in a.channel_factor:
            p = combine.align_draws(p * a.channel_factor[ch][:, a.grid.province].astype(np.float32),
                                    a.grid.population.astype(np.float32))
        parts.append(p)
    if not parts:
        return np.zeros(a.draws)
    return np.sort(combine.people(combine.union(parts), a.grid.population))


def _figures(a: Assessment, present: list[str], pop64, prov_m, prov_pop, times) -> dict:
    comparison = a.result.get("_comparison", {}) if a.result else {}
    total_pop = float(pop64.sum())
    channels: dict[str, dict] = {}
    for ch in present:
        members = [it for it in a.items if it.activity.channel == ch]
        reached = np.sort(combine.people(a.channel_prob[ch], pop64))
        modelled = np.sort(combine.people(a.channel_model_prob[ch], pop64))
        iv, mv = _iv(reached), _iv(modelled)
        cost, missing = _cost(members, times)
        active = [it for it in members if times is None or float(times.get(it.activity.id, 1.0)) > 0]
        entry = {**_reach_and_cost(iv, cost), "activities": len(active), "activities_without_cost": missing,
                 **_flat("modelled", mv), "share_of_population": iv["median"] / total_pop,
                 "overlap_rho": a.rho(ch), "evidence": comparison.get(ch)}
        infl = _influence(a, ch, reached)
        if infl:
            entry["influenced"] = infl
        channels[ch] = entry
    coal = np.sort(combine.people(a.coalition_prob, pop64))
    civ = _iv(coal)
    cost_all, missing_all = _cost(a.items, times)
    prov_m32 = prov_m.astype(np.float32)
    by_prov = (a.coalition_prob @ prov_m32).astype(np.float64)
    ch_prov = {ch: np.median(a.channel_prob[ch] @ prov_m32, axis=0) for ch in present}
    provinces = []
    for j, name in enumerate(PROVINCES):
        iv_p = _iv(np.sort(by_prov[:, j]))
        provinces.append({"province": name, "population": float(prov_pop[j]), **_flat("reached", iv_p),
                          "share": iv_p["median"] / max(prov_pop[j], 1.0),
                          "by_channel": {ch: float(ch_prov[ch][j]) for ch in present}})
    coalition = {**_reach_and_cost(civ, cost_all), "activities_without_cost": missing_all,
                 "population": total_pop, "share_of_population": civ["median"] / total_pop}
    infl_parts = [a.channel_prob[ch] * np.float32(channels[ch]["influenced"]["risk_difference"]["median"])
                  for ch in present if "influenced" in channels[ch]]
    if infl_parts:
        coalition["influenced"] = _iv(np.sort(combine.people(combine.union(infl_parts), pop64)))
    result = {
        "year": int(a.grid.year), "draws": a.draws, "grid": a.grid.key,
        "channels": channels, "coalition": coalition, "provinces": provinces,
        "campaigns": _groups(a, lambda it: (it.campaign_id, it.campaign, it.organisation), times),
        "organisations": _groups(a, lambda it: (None, it.organisation, it.organisation), times),
        "activities": _activities(a, pop64, times),
        "hours": _hours(a, times),
        "evidence": None if a.evidence is None else {
            "year": a.evidence.year, "respondents": a.evidence.respondents, "synthetic": a.evidence.synthetic},
        "assumptions": assumption_notes(a),
        "skipped": list(a.skipped),
        "_comparison": comparison,
    }
    result["safety"] = [
        {"activity": r["id"], "title": r["title"], "south_share": r["leaflets_landing"]["south"],
         "note": "share of leaflets landing in South Korea (median and 90% interval); since December 2025 "
                 "South Korean law bans free balloons in the border no-fly zones"}
        for r in result["activities"] if "leaflets_landing" in r and "south" in r["leaflets_landing"]]
    result["gaps"] = {"provinces_least_reached": [p["province"] for p in sorted(provinces, key=lambda r: r["share"])[:3]],
                      "hours_without_broadcast_kst": [h["hour_kst"] for h in result["hours"] if h["on_air"] == 0]}
    return result


def _groups(a: Assessment, key, times) -> list[dict]:
    groups: dict[tuple, list[Item]] = defaultdict(list)
    for it in a.items:
        groups[key(it)].append(it)
    out = []
    for (gid, name, org), members in groups.items():
        reached = _group_reach(a, members, times)
        iv = _iv(reached)
        cost, _missing = _cost(members, times)
        out.append({"id": gid, "name": name, "organisation": org,
                    "channels": sorted({it.activity.channel for it in members}),
                    "activities": len(members), **_reach_and_cost(iv, cost)})
    return sorted(out, key=lambda r: -r["reached_median"])


def _activities(a: Assessment, pop64, times) -> list[dict]:
    out = []
    ratio = {}
    for ch in a.channel_prob:
        cal = np.sort(combine.people(a.channel_prob[ch], pop64))
        mod = np.sort(combine.people(a.channel_model_prob[ch], pop64))
        ratio[ch] = np.where(mod > 0, cal / np.where(mod > 0, mod, 1.0), 1.0)
    for it in a.items:
        ch = it.activity.channel
        n = 1.0 if times is None else float(times.get(it.activity.id, 1.0))
        p = a.activity_prob(it.activity.id)
        if n != 1.0:
            p = combine.repeat(p, n, a.rho(ch)) if n > 0 else np.zeros_like(p)
        modelled = np.sort(combine.people(p, pop64))
        reached = modelled * ratio.get(ch, 1.0)
        iv = _iv(reached)
        cost = None if it.cost_usd is None else it.cost_usd * n
        cpp = combine.cost_per_person(cost, iv)
        out.append({"id": it.activity.id, "title": it.activity.title, "channel": ch,
                    "campaign": it.campaign, "campaign_id": it.campaign_id, "organisation": it.organisation,
                    "start": it.activity.start.isoformat(), "times": n, **_flat("reached", iv),
                    **_flat("modelled", _iv(modelled)), "cost_usd": cost,
                    "cost_per_person_usd": cpp["median"], "cost_per_person_lower90": cpp["lower90"],
                    "cost_per_person_upper90": cpp["upper90"],
                    "model": a.meta.get(it.activity.id, {}).get("model", ""),
                    **({"leaflets_landing": a.meta[it.activity.id]["leaflet_shares"]}
                       if "leaflet_shares" in a.meta.get(it.activity.id, {}) else {})})
    return out


def _hours(a: Assessment, times) -> list[dict]:
    """Radio by hour of the day (KST = UTC+9): activities on air and people listening (sum of the
    activities' medians, capped at the channel's daily reach: an upper estimate)."""
    on_air = np.zeros(24, dtype=int)
    listening = np.zeros(24)
    for it in a.items:
        if it.activity.channel != "radio":
            continue
        if times is not None and float(times.get(it.activity.id, 1.0)) <= 0:
            continue
        meta = a.meta.get(it.activity.id, {})
        hours = meta.get("hours") or []
        lis = meta.get("listening_by_hour")
        for j, h in enumerate(hours):
            on_air[h % 24] += 1
            if lis is not None:
                listening[h % 24] += float(lis[1][j])
    cap = a.result.get("channels", {}).get("radio", {}).get("reached_median") if a.result else None
    return [{"hour_utc": h, "hour_kst": (h + 9) % 24, "on_air": int(on_air[h]),
             "listening_median": float(min(listening[h], cap) if cap else listening[h])}
            for h in range(24)]


def assumption_notes(a: Assessment, lang: str = "en") -> dict[str, str]:
    """The assumptions behind ``a``'s figures, one short note each, in ``lang`` (the JSON result
    keeps the English ones; the dashboard shows the reader's language)."""
    from corridor.channels import channel_title
    from corridor.i18n import gettext

    _ = lambda m: gettext(lang, m)
    overlaps = "; ".join(f"{channel_title(c, lang)}: rho {a.rho(c):g}"
                         for c in CHANNEL_ORDER if c in a.assumptions.get("overlap", {}))
    notes = {
        "draws": _("{draws} Monte Carlo draws per activity; intervals are the 5th and 95th percentiles").format(
            draws=a.draws),
        "alignment": _("draws of different activities are paired by rank (comonotone): the most cautious, "
                       "widest interval for combined totals"),
        "overlap": _("{overlaps} (0 = independent audiences, 1 = nested); channels combine independently").format(
            overlaps=overlaps),
        "calibration": _("where a survey measures the channel, its share ever exposed per province caps the "
                         "modelled reach (see docs/assess.md)") if a.evidence
                       else _("no evidence given: modelled reach only"),
        "population": _("population grid {grid}, year {year}").format(grid=a.grid.key, year=a.grid.year),
    }
    if a.evidence and a.evidence.synthetic:
        notes["evidence"] = _("the evidence is SYNTHETIC (generated for the demo), not real survey data")
    if a.skipped:
        notes["skipped"] = _("{n} activities not assessed: {details}").format(n=len(a.skipped), details="; ".join(
            f"{r['title'] or r['id']} ({r['field'] or 'spec'}: {r['reason']})" for r in a.skipped))
    return notes


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
    prov_m = _province_matrix(grid)
    prov_pop = prov_m.sum(axis=0)
    pop64 = grid.population.astype(np.float64)
    channel_prob = dict(a.channel_prob)
    for ch in {known[aid].activity.channel for aid in times}:
        p = channel_union(a, ch, times)
        if p is None:
            channel_prob.pop(ch, None)
            continue
        channel_prob[ch], _f, _c = _calibrate(a, ch, p, prov_m, prov_pop)
    present = [c for c in _channels_of(a.items) if c in channel_prob]
    channels = {}
    for ch in present:
        iv = _iv(np.sort(combine.people(channel_prob[ch], pop64)))
        cost, _m = _cost([it for it in a.items if it.activity.channel == ch], times)
        channels[ch] = _reach_and_cost(iv, cost)
    coal = combine.union([channel_prob[c] for c in present]) if present else np.zeros((a.draws, grid.n_cells), np.float32)
    civ = _iv(np.sort(combine.people(coal, pop64)))
    cost_all, _m = _cost(a.items, times)
    base = a.result["coalition"]
    return {"channels": channels,
            "coalition": {**_reach_and_cost(civ, cost_all),
                          "change_median": civ["median"] - base["reached_median"]},
            "times": {k: float(v) for k, v in times.items()}}
