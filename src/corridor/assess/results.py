"""The figures of an assessment, from its combined probabilities: people reached (and
influenced) per channel, theme, province, campaign, organisation and activity, with costs, gaps,
radio hours and the assumption notes. Each figure is a median and a 90 % interval over draws.

:mod:`corridor.assess.engine` runs the models and the calibration; this module only counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from corridor.assess import calibrate, combine
from corridor.assess.inputs import CHANNEL_ORDER, Item
from corridor.geo.grid import PopulationGrid
from corridor.geo.names import PROVINCES

if TYPE_CHECKING:
    from corridor.assess.engine import Assessment


def interval(values: np.ndarray) -> dict[str, float]:
    return combine.interval(values)


def flat(prefix: str, iv: dict) -> dict[str, float]:
    return {f"{prefix}_median": iv["median"], f"{prefix}_lower90": iv["lower90"],
            f"{prefix}_upper90": iv["upper90"]}


def reach_and_cost(iv: dict, cost: float | None) -> dict:
    """People reached (median, 90 % interval), the cost (USD) and the cost per person reached.
    A cost of 0 (nothing priced) or None has no cost per person."""
    cpp = combine.cost_per_person(cost if cost else None, iv)
    return {**flat("reached", iv), "cost_usd": None if cost is None else round(cost, 2),
            "cost_per_person_usd": cpp["median"], "cost_per_person_lower90": cpp["lower90"],
            "cost_per_person_upper90": cpp["upper90"]}


def channels_of(items: Iterable[Item]) -> list[str]:
    present = {it.activity.channel for it in items}
    return [c for c in CHANNEL_ORDER if c in present] + sorted(present - set(CHANNEL_ORDER))


def province_matrix(grid: PopulationGrid) -> np.ndarray:
    onehot = np.zeros((grid.n_cells, len(PROVINCES)), dtype=np.float64)
    onehot[np.arange(grid.n_cells), grid.province] = grid.population
    return onehot


def influence(a: Assessment, channel: str, reached: np.ndarray) -> dict | None:
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
            "baseline_agree": baseline, "risk_difference": interval(rd),
            "people": interval(np.sort(reached) * rd),
            "caveat": "association in interviews of people who left, not a measured causal effect; "
                      "people exposed to outside media may differ in ways the model does not see"}


def cost_of(items: Iterable[Item], times: dict[str, float] | None) -> tuple[float, int]:
    total, missing = 0.0, 0
    for it in items:
        n = times_run(it, times)
        if n <= 0:
            continue
        if it.cost_usd is None:
            missing += 1
        else:
            total += it.cost_usd * n
    return total, missing


def group_probability(a: Assessment, members: list[Item], times: dict[str, float] | None) -> np.ndarray | None:
    """The probability (draws × cells) of being reached by at least one of ``members``, with the
    same combination rules as the channels (see :func:`group_reach`); None for no activity."""
    by_channel: dict[str, combine.Accumulator] = defaultdict(combine.Accumulator)
    for it in members:
        n = times_run(it, times)
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
        return None
    return combine.union(parts)


def group_reach(a: Assessment, members: list[Item], times: dict[str, float] | None) -> np.ndarray:
    """Union of a group's activities (per channel with its overlap, then across channels),
    scaled by each channel's evidence factor; people per draw."""
    p = group_probability(a, members, times)
    if p is None:
        return np.zeros(a.draws)
    return np.sort(combine.people(p, a.grid.population))


def times_run(it: Item, times: dict[str, float] | None) -> float:
    """How many times ``it`` runs in a what-if (1 when not asked)."""
    return 1.0 if times is None else float(times.get(it.activity.id, 1.0))


def theme_figures(a: Assessment, prov_m: np.ndarray, times: dict[str, float] | None) -> dict:
    """Figures by content theme (:mod:`corridor.themes`): the people reached by at least one
    activity carrying the theme, each person once, combined as channels are; the cost of the
    theme's share of each activity (its whole cost when no share is given); and its gaps (the
    provinces it reaches least, the radio hours without it).

    A share of airtime does not thin the reach: everyone an activity reaches could hear any of
    its content (see the assumption note ``themes``). ``unknown`` gathers activities whose
    content nobody documented."""
    from corridor.themes import UNKNOWN, vocabulary

    carried: dict[str, list[tuple[Item, float | None]]] = defaultdict(list)
    for it in a.items:
        for code, share in (getattr(it.activity, "themes", None) or {}).items():
            if share is None or share > 0:
                carried[code].append((it, share))
    prov_pop = prov_m.sum(axis=0)
    prov_m32 = prov_m.astype(np.float32)
    out: dict[str, dict] = {}
    for code in (*vocabulary().codes, UNKNOWN):
        pairs = [(it, share) for it, share in carried.get(code, []) if times_run(it, times) > 0]
        if not pairs:
            continue
        members = [it for it, _ in pairs]
        p = group_probability(a, members, times)
        if p is None:
            continue
        iv = interval(np.sort(combine.people(p, a.grid.population)))
        priced = [(it, share) for it, share in pairs if it.cost_usd is not None]
        cost = sum(it.cost_usd * times_run(it, times) * (1.0 if share is None else share) for it, share in priced)
        share_by_prov = np.median(p @ prov_m32, axis=0) / np.maximum(prov_pop, 1.0)
        radio_hours = set()
        for it in members:
            if it.activity.channel == "radio":
                radio_hours.update(h % 24 for h in a.meta.get(it.activity.id, {}).get("hours") or [])
        out[code] = {
            **reach_and_cost(iv, cost if priced else None),
            "activities": len(members), "activities_without_cost": len(pairs) - len(priced),
            "channels": sorted({it.activity.channel for it in members}),
            "provinces_least_reached": [PROVINCES[j] for j in np.argsort(share_by_prov, kind="stable")[:3]],
            "hours_without_broadcast_kst": sorted((h + 9) % 24 for h in range(24) if h not in radio_hours),
            "evidence": _theme_evidence(a, code, iv),
        }
    return out


def _theme_evidence(a: Assessment, code: str, reached: dict) -> dict | None:
    """The survey's share ever exposed to a theme (any channel, any source) beside the share of
    the population the coalition's activities carrying it reach; None when it was not measured."""
    surveyed = ((a.evidence.themes or {}) if a.evidence else {}).get(code)
    if not surveyed:
        return None
    total = float(a.grid.population.sum())
    modelled = {k: reached[k] / total for k in ("median", "lower90", "upper90")}
    return {"surveyed_share": dict(surveyed), "modelled_share": modelled,
            "disagreement": calibrate.disagreement(modelled, surveyed)}


def figures(a: Assessment, present: list[str], pop64, prov_m, prov_pop, times) -> dict:
    comparison = a.result.get("_comparison", {}) if a.result else {}
    total_pop = float(pop64.sum())
    channels: dict[str, dict] = {}
    for ch in present:
        members = [it for it in a.items if it.activity.channel == ch]
        reached = np.sort(combine.people(a.channel_prob[ch], pop64))
        modelled = np.sort(combine.people(a.channel_model_prob[ch], pop64))
        iv, mv = interval(reached), interval(modelled)
        cost, missing = cost_of(members, times)
        active = [it for it in members if times_run(it, times) > 0]
        entry = {**reach_and_cost(iv, cost), "activities": len(active), "activities_without_cost": missing,
                 **flat("modelled", mv), "share_of_population": iv["median"] / total_pop,
                 "overlap_rho": a.rho(ch), "evidence": comparison.get(ch)}
        infl = influence(a, ch, reached)
        if infl:
            entry["influenced"] = infl
        channels[ch] = entry
    coal = np.sort(combine.people(a.coalition_prob, pop64))
    civ = interval(coal)
    cost_all, missing_all = cost_of(a.items, times)
    prov_m32 = prov_m.astype(np.float32)
    by_prov = (a.coalition_prob @ prov_m32).astype(np.float64)
    ch_prov = {ch: np.median(a.channel_prob[ch] @ prov_m32, axis=0) for ch in present}
    provinces = []
    for j, name in enumerate(PROVINCES):
        iv_p = interval(np.sort(by_prov[:, j]))
        provinces.append({"province": name, "population": float(prov_pop[j]), **flat("reached", iv_p),
                          "share": iv_p["median"] / max(prov_pop[j], 1.0),
                          "by_channel": {ch: float(ch_prov[ch][j]) for ch in present}})
    coalition = {**reach_and_cost(civ, cost_all), "activities_without_cost": missing_all,
                 "population": total_pop, "share_of_population": civ["median"] / total_pop}
    infl_parts = [a.channel_prob[ch] * np.float32(channels[ch]["influenced"]["risk_difference"]["median"])
                  for ch in present if "influenced" in channels[ch]]
    if infl_parts:
        coalition["influenced"] = interval(np.sort(combine.people(combine.union(infl_parts), pop64)))
    result = {
        "year": int(a.grid.year), "draws": a.draws, "grid": a.grid.key,
        "channels": channels, "coalition": coalition, "provinces": provinces,
        "campaigns": groups(a, lambda it: (it.campaign_id, it.campaign, it.organisation), times),
        "organisations": groups(a, lambda it: (None, it.organisation, it.organisation), times),
        "activities": activity_figures(a, pop64, times),
        "hours": hours(a, times),
        "themes": theme_figures(a, prov_m, times),
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


def groups(a: Assessment, key, times) -> list[dict]:
    groups: dict[tuple, list[Item]] = defaultdict(list)
    for it in a.items:
        groups[key(it)].append(it)
    out = []
    for (gid, name, org), members in groups.items():
        reached = group_reach(a, members, times)
        iv = interval(reached)
        cost, _missing = cost_of(members, times)
        out.append({"id": gid, "name": name, "organisation": org,
                    "channels": sorted({it.activity.channel for it in members}),
                    "activities": len(members), **reach_and_cost(iv, cost)})
    return sorted(out, key=lambda r: -r["reached_median"])


def activity_figures(a: Assessment, pop64, times) -> list[dict]:
    out = []
    ratio = {}
    for ch in a.channel_prob:
        cal = np.sort(combine.people(a.channel_prob[ch], pop64))
        mod = np.sort(combine.people(a.channel_model_prob[ch], pop64))
        ratio[ch] = np.where(mod > 0, cal / np.where(mod > 0, mod, 1.0), 1.0)
    for it in a.items:
        ch = it.activity.channel
        n = times_run(it, times)
        p = a.activity_prob(it.activity.id)
        if n != 1.0:
            p = combine.repeat(p, n, a.rho(ch)) if n > 0 else np.zeros_like(p)
        modelled = np.sort(combine.people(p, pop64))
        reached = modelled * ratio.get(ch, 1.0)
        iv = interval(reached)
        cost = None if it.cost_usd is None else it.cost_usd * n
        cpp = combine.cost_per_person(cost, iv)
        out.append({"id": it.activity.id, "title": it.activity.title, "channel": ch,
                    "themes": dict(getattr(it.activity, "themes", None) or {}),
                    "campaign": it.campaign, "campaign_id": it.campaign_id, "organisation": it.organisation,
                    "start": it.activity.start.isoformat(), "times": n, **flat("reached", iv),
                    **flat("modelled", interval(modelled)), "cost_usd": cost,
                    "cost_per_person_usd": cpp["median"], "cost_per_person_lower90": cpp["lower90"],
                    "cost_per_person_upper90": cpp["upper90"],
                    "model": a.meta.get(it.activity.id, {}).get("model", ""),
                    **({"leaflets_landing": a.meta[it.activity.id]["leaflet_shares"]}
                       if "leaflet_shares" in a.meta.get(it.activity.id, {}) else {})})
    return out


def hours(a: Assessment, times) -> list[dict]:
    """Radio by hour of the day (KST = UTC+9): activities on air and people listening (sum of the
    activities' medians, capped at the channel's daily reach: an upper estimate)."""
    on_air = np.zeros(24, dtype=int)
    listening = np.zeros(24)
    for it in a.items:
        if it.activity.channel != "radio":
            continue
        if times_run(it, times) <= 0:
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
    if any(getattr(it.activity, "themes", None) for it in a.items):
        from corridor.themes import vocabulary

        notes["themes"] = _(
            "themes (vocabulary version {version}): everyone an activity reaches counts for each theme it "
            "carries, whatever the theme's share of airtime; the share only divides the cost; 'unknown' is "
            "content nobody documented").format(version=vocabulary().version)
    if a.evidence and a.evidence.synthetic:
        notes["evidence"] = _("the evidence is SYNTHETIC (generated for the demo), not real survey data")
    if a.skipped:
        notes["skipped"] = _("{n} activities not assessed: {details}").format(n=len(a.skipped), details="; ".join(
            f"{r['title'] or r['id']} ({r['field'] or 'spec'}: {r['reason']})" for r in a.skipped))
    return notes
