"""Where the next dollar goes: a greedy allocation of a budget over repeatable activities.

Candidates are the ledger's own activities with a cost: "do this once more" (another month of a
radio schedule, another shipment like this one, another launch like this one). Each step picks the
candidate with the most *new* people reached per dollar, averaged over draws, given everything
already done and already chosen, until the budget is spent. New people shrink as a channel's
audience fills up (the overlap rule of :mod:`corridor.assess.combine`) and as a channel's reach
meets the survey's ceiling (:mod:`corridor.assess.calibrate`), which is what spreads the budget
across channels. Greedy choice is optimal for the fractional version of this problem and close to
it for whole steps when steps are small against the budget (a monotone submodular objective:
Nemhauser, Wolsey & Fisher 1978, Math. Programming 14:265).
"""

from __future__ import annotations

import numpy as np

from corridor.assess import calibrate, combine
from corridor.assess.engine import Assessment
from corridor.assess.inputs import Item
from corridor.assess.results import province_matrix
from corridor.errors import CorridorError

#: Draws used while searching (every k-th of the aligned draws, so the spread is kept).
SEARCH_DRAWS = 50
MAX_STEPS = 40


def _candidates(a: Assessment) -> list[Item]:
    seen, out = set(), []
    for it in a.items:
        if it.cost_usd is None or it.cost_usd <= 0:
            continue
        key = a.key_of[it.activity.id]
        if key in seen:
            continue
        seen.add(key)
        out.append(it)
    return out


def suggest(a: Assessment, budget_usd: float, *, max_steps: int = MAX_STEPS) -> dict:
    """A suggested use of ``budget_usd`` more, step by step, each with the numbers behind it
    (data only: :func:`corridor.presentation.suggestion.explanation` says it in words)."""
    if not np.isfinite(budget_usd) or budget_usd <= 0:
        raise CorridorError("must be a positive amount of USD", field="--budget", value=budget_usd)
    cands = _candidates(a)
    if not cands:
        raise CorridorError("no activity has a cost, so nothing can be priced", field="--budget",
                            value=budget_usd, hint="record each activity's cost in the ledger")
    step = max(1, a.draws // SEARCH_DRAWS)
    sel = np.arange(0, a.draws, step)
    pop = a.grid.population.astype(np.float32)
    prov_m = province_matrix(a.grid).astype(np.float32)
    prov_pop = np.maximum(prov_m.sum(axis=0), 1.0)
    channels = list(a.channel_model_prob)
    best = {}
    miss = {}
    for ch in channels:
        members = [it for it in a.items if it.activity.channel == ch]
        ps = [a.activity_prob(it.activity.id)[sel] for it in members]
        best[ch] = np.maximum.reduce(ps)
        miss[ch] = np.prod([1.0 - p for p in ps], axis=0, dtype=np.float32)

    def calibrated(ch: str, b: np.ndarray, m: np.ndarray) -> np.ndarray:
        rho = a.rho(ch)
        p = np.clip((1 - rho) * (1.0 - m) + rho * b, 0.0, 1.0)
        if ch in a.channel_survey:
            share = (p @ prov_m) / prov_pop
            f = calibrate.ceiling_factor(share, a.channel_survey[ch][sel])
            p = p * f[:, a.grid.province].astype(np.float32)
        return p

    current = {ch: calibrated(ch, best[ch], miss[ch]) for ch in channels}

    def coalition_people(cur: dict) -> np.ndarray:
        return combine.people(combine.union(list(cur.values())), pop) if cur else np.zeros(sel.size)

    base = coalition_people(current)
    remaining = float(budget_usd)
    steps = []
    for _ in range(max_steps):
        affordable = [it for it in cands if it.cost_usd <= remaining]
        if not affordable:
            break
        others_miss = {}
        for ch in {it.activity.channel for it in affordable}:
            rest = [1.0 - p for c, p in current.items() if c != ch]
            others_miss[ch] = np.prod(rest, axis=0, dtype=np.float32) if rest else np.ones_like(best.get(ch, pop[None]))
        best_gain, choice = 0.0, None
        for it in affordable:
            ch = it.activity.channel
            p = a.activity_prob(it.activity.id)[sel]
            b = np.maximum(best[ch], p) if ch in best else p
            m = miss[ch] * (1.0 - p) if ch in miss else 1.0 - p
            pc = calibrated(ch, b, m)
            new = combine.people(1.0 - others_miss[ch] * (1.0 - pc), pop) - base
            score = float(np.mean(new)) / it.cost_usd
            if score > best_gain:
                best_gain, choice = score, (it, b, m, pc, new)
        if choice is None:
            break
        it, b, m, pc, new = choice
        ch = it.activity.channel
        best[ch], miss[ch], current[ch] = b, m, pc
        base = coalition_people(current)
        remaining -= it.cost_usd
        iv = combine.interval(np.sort(new))
        steps.append({"activity": it.activity.id, "title": f"Once more: {it.activity.title or it.activity.id}",
                      "channel": ch, "organisation": it.organisation, "cost_usd": it.cost_usd,
                      "new_people_median": iv["median"], "new_people_lower90": iv["lower90"],
                      "new_people_upper90": iv["upper90"],
                      "usd_per_new_person": it.cost_usd / iv["median"] if iv["median"] >= 1 else None})
    by_channel: dict[str, float] = {}
    for s in steps:
        by_channel[s["channel"]] = by_channel.get(s["channel"], 0.0) + s["cost_usd"]
    total_new = sum(s["new_people_median"] for s in steps)
    spent = budget_usd - remaining
    return {"budget_usd": float(budget_usd), "spent_usd": spent, "steps": steps, "by_channel_usd": by_channel,
            "new_people_total_median": total_new,
            "top_channel": max(by_channel, key=by_channel.get) if steps else None,
            "method": f"greedy by new people per dollar over {sel.size} of {a.draws} draws; candidates are "
                      "the ledger's activities repeated once more at their recorded cost"}
