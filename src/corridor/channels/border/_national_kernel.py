"""Compiled weekly loop of the national model (:func:`corridor.channels.border.national.simulate`).

Kept apart so that importing :mod:`.national` does not load Numba; the equations are in the
docstring of :mod:`.national`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def run(inflow, removal, kappa, exposure_rate, crackdown_rate, away_rate, exposed_2000, population,
        entry, trade, copies_cap, household_size, turnover_per_year, steps_per_year, step_days):
    D = inflow.shape[0]
    Y, P = population.shape
    exposed = np.empty((D, Y, P))
    copies = np.empty((D, Y, P))
    eta = np.empty(P)
    e = np.empty(P)
    moved = np.empty(P)
    arrive = np.empty(P)
    keep_adults = 1.0 - turnover_per_year * step_days / 365.0
    record = steps_per_year // 2
    for d in range(D):
        for p in range(P):
            eta[p] = 0.0
            e[p] = exposed_2000[d]
        away = min(1.0, away_rate[d] * step_days)
        h = household_size[d]
        for y in range(Y):
            cap = copies_cap[y]
            k = kappa[d, y] * step_days
            for w in range(steps_per_year):
                s = y * steps_per_year + w
                gone = min(1.0, crackdown_rate[d] * removal[d, s] * step_days)
                for p in range(P):
                    eta[p] += inflow[d, s] * entry[p] / population[y, p]
                for q in range(P):
                    arrive[q] = 0.0
                for p in range(P):
                    made = k * eta[p] * max(0.0, 1.0 - eta[p] / cap)
                    x = eta[p] * exposure_rate[d] * step_days + made * h
                    e[p] = (1.0 - (1.0 - e[p]) * math.exp(-x)) * keep_adults
                    moved[p] = away * eta[p]
                    eta[p] = eta[p] * (1.0 - gone) + made - moved[p]
                    people = moved[p] * population[y, p]
                    for q in range(P):
                        arrive[q] += people * trade[p, q]
                for p in range(P):
                    eta[p] += arrive[p] / population[y, p]
                if w == record:
                    for p in range(P):
                        exposed[d, y, p] = e[p]
                        copies[d, y, p] = eta[p]
    return exposed, copies
