"""Sensitivity of people reached (day 90, Hyesan, 1,000 USB sticks) to each parameter.

Run: ``.venv/bin/python bench/border_sensitivity.py``. Two measures, printed as a Markdown table
(the one in ``docs/border-model.md``):

* one at a time: every other parameter at its central value, this one at its low and its high
  end of the range; people reached at each end and the ratio high/low;
* global: Spearman rank correlation between the parameter and people reached over 2,000 draws
  of all parameters together.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from corridor.channels.border import parameters, spread
from corridor.channels.border.channel import county_population, entry_county
from corridor.channels.border.network import trade_network
from corridor.geo import load_grid

DAYS, DEVICES, DRAWS = 90, 1000, 2000


def main() -> None:
    grid = load_grid(5.0, 2026)
    net = trade_network(grid, parameters.GRAVITY_LEVELS)
    pop = county_population(grid)
    entry = entry_county(grid, "hyesan")
    table = parameters.table()

    def reach(theta: dict[str, np.ndarray]) -> np.ndarray:
        n = len(theta["p_intercept"])
        r = spread.simulate(theta, shipped=DEVICES, entry=entry, population=pop, network=net, days=DAYS,
                            intercepted=np.round(DEVICES * theta["p_intercept"]) + np.zeros(n))
        return r.reached_by_day[:, -1]

    base = reach(parameters.central())[0]
    theta = parameters.draw(DRAWS, np.random.default_rng(0))
    r_all = reach(theta)
    rows = []
    for name, p in table.items():
        lo, hi = p.low, p.high
        if name == "gravity_exponent":
            lo, hi = parameters.GRAVITY_LEVELS[0], parameters.GRAVITY_LEVELS[-1]
        vals = []
        for v in (lo, hi):
            th = parameters.central()
            th[name] = np.array([v])
            vals.append(reach(th)[0])
        rho = spearmanr(theta[name], r_all).statistic
        rows.append((name, p.symbol, lo, hi, vals[0], vals[1], rho))
    rows.sort(key=lambda r: -abs(np.log(max(r[5], 1) / max(r[4], 1))))
    print(f"Central run: {base:,.0f} people by day {DAYS}. All draws: median {np.median(r_all):,.0f} "
          f"(90% interval {np.percentile(r_all, 5):,.0f}–{np.percentile(r_all, 95):,.0f}).\n")
    print("| parameter | symbol | range | reached at low | reached at high | high/low | Spearman ρ (all drawn) |")
    print("|---|---|---|---:|---:|---:|---:|")
    for name, sym, lo, hi, a, b, rho in rows:
        print(f"| `{name}` | {sym} | {lo:g}–{hi:g} | {a:,.0f} | {b:,.0f} | {b / max(a, 1):.2f} | {rho:+.2f} |")


if __name__ == "__main__":
    main()
