"""The national flow of foreign video, 2000–2026, by province: who has ever seen it, year by year.

The same mechanics as the shipment model (:mod:`.spread`, equations in ``docs/border-model.md``),
applied to *all* foreign video in the country instead of one shipment, on the ten provinces of the
2008 census and in weekly steps. The state per Monte Carlo draw and province ``p`` is the number of
copies in circulation per person ``η_p`` and the share of adults who have ever seen foreign video
``e_p``. Each week (``Δ = 365/52`` days; rates per day as in :mod:`.parameters`)::

    η_p ← η_p + A(y)·(1 − π)·a_p·Δ/365 / P_p          devices entering through the crossings
    c_p  = κ_y·Δ · η_p · max(0, 1 − η_p/k_y)           new copies, k_y = s_play(y)/h per person
    x_p  = η_p·(λ·h + v·g)·Δ + c_p·h                   exposures per person (lending, guests, copies)
    e_p ← 1 − (1 − e_p)·exp(−x_p)                      only people not yet exposed count
    e_p ← e_p·(1 − μ·Δ/365)                            adults replaced by young adults not yet exposed
    o_p  = min(1, λ·(ŵ_fam·f_away + ŵ_mkt·m_away)·Δ)·η_p   copies carried to other provinces
    η   ← η − min(1, δ·f(t)·Δ)·η + c − o + (o·P)·M / P   M: province trade matrix

with the inflow ``A(y) = A_2010 · exp(g·(y − 2010)) · m(t)`` (``m`` the border-closure factor of
``data/crackdown_periods.csv``), ``κ_y = κ·(d_y·κ_dvd + 1 − d_y)`` with ``d_y`` the share of
copies on discs, ``f(t)`` the removal factor of the crackdown periods, ``a_p`` the share of
crossings in province ``p`` and ``M`` the county trade network of :mod:`.network` summed over
provinces. ``1 − exp(−x)`` is the continuous-time form of the shipment model's ``min(1, X/P)``
(the same to first order for small steps). ``e`` is recorded at mid-year.

Every parameter array has one value per draw; the loop over draws and weeks is compiled with
Numba (one draw for a whole 27-year run takes well under a millisecond, which is what makes
likelihood-free inference affordable).
"""

from __future__ import annotations

import numpy as np

#: The model's span (inclusive): exposure is given for mid-year of each of these years.
FIRST_YEAR = 2000
LAST_YEAR = 2026
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
#: Weekly steps.
STEPS_PER_YEAR = 52
STEP_DAYS = 365.0 / STEPS_PER_YEAR
#: Adults leave the adult population at this rate and are replaced by young adults who have not
#: seen foreign video yet (per year): about one over the adult span of 17 to 72 years (UN WPP 2024
#: life expectancy at birth for North Korea, about 73 years).
ADULT_TURNOVER_PER_YEAR = 1.0 / 55.0


def interpolate_years(anchor_years: np.ndarray, values: np.ndarray,
                      years: np.ndarray = YEARS) -> np.ndarray:
    """Values by year, linear between the anchor years and constant beyond them."""
    return np.interp(np.asarray(years, float), np.asarray(anchor_years, float), np.asarray(values, float))


def inflow_by_step(inflow_2010: np.ndarray, growth: np.ndarray, multiplier: np.ndarray,
                   years: np.ndarray = YEARS) -> np.ndarray:
    """Devices entering the country per week, shape (draws, steps).

    ``A(t) = A_2010 · exp(g · (y − 2010)) · m(t) · Δ/365`` with ``A_2010`` in devices per year
    (draws,), ``g`` per year (draws,) and ``m`` the inflow factor of each step (draws, steps).
    """
    step_year = np.repeat(np.asarray(years, float), STEPS_PER_YEAR)
    trend = np.asarray(inflow_2010, float)[:, None] * np.exp(np.asarray(growth, float)[:, None]
                                                              * (step_year[None, :] - 2010.0))
    return trend * multiplier * (STEP_DAYS / 365.0)


def step_factors(periods: list[dict], values: dict[str, np.ndarray], effect: str,
                 years: np.ndarray = YEARS) -> np.ndarray:
    """Per-step factors (draws, steps) of one ``effect`` ("inflow" or "removal").

    Each period (``start`` and ``end`` as ``(year, month)``, inclusive) multiplies the steps it
    covers by ``values[parameter] ** exponent``; outside every period the factor is 1.
    """
    n = len(next(iter(values.values())))
    step_year = np.repeat(np.asarray(years), STEPS_PER_YEAR)
    step_month = np.tile(np.minimum(np.arange(STEPS_PER_YEAR) * 12 // STEPS_PER_YEAR + 1, 12), len(years))
    stamp = step_year * 12 + step_month
    out = np.ones((n, stamp.size))
    for p in periods:
        if p["effect"] != effect:
            continue
        inside = (stamp >= p["start"][0] * 12 + p["start"][1]) & (stamp <= p["end"][0] * 12 + p["end"][1])
        out[:, inside] *= (np.asarray(values[p["parameter"]], float) ** float(p["exponent"]))[:, None]
    return out


def simulate(*, inflow: np.ndarray, removal: np.ndarray, kappa: np.ndarray, exposure_rate: np.ndarray, crackdown_rate: np.ndarray, away_rate: np.ndarray,
             exposed_2000: np.ndarray, population: np.ndarray, entry: np.ndarray, trade: np.ndarray,
             copies_cap: np.ndarray, household_size: np.ndarray,
             turnover_per_year: float = ADULT_TURNOVER_PER_YEAR) -> tuple[np.ndarray, np.ndarray]:
    """Share ever exposed and copies per person, by draw, year and province.

    Parameters
    ----------
    inflow, removal : arrays (D, S)
        Devices entering per week (all crossings, before seizure) and the removal factor ``f(t)``.
    kappa : array (D, Y)
        Copies made per copy per day in each year (``κ_y``, discs and sticks mixed).
    exposure_rate : array (D,)
        People exposed per copy per day, ``λ·h + v·g``.
    crackdown_rate : array (D,)
        Copies removed per copy per day, ``δ`` (before ``f(t)``).
    away_rate : array (D,)
        Copies leaving their province per copy per day, ``λ·(ŵ_fam·f_away + ŵ_mkt·m_away)``.
    exposed_2000 : array (D,)
        Share of adults exposed at the start (1 January 2000), every province.
    population : array (Y, P)
        People per province and year.
    entry : array (P,)
        Share of the inflow entering each province (sums to 1).
    trade : array (P, P)
        Row-stochastic destinations of copies leaving each province.
    copies_cap : array (Y,)
        Copies per person at which copying stops, ``s_play(y)/h``.
    household_size : array (D,)
        People in a household that receives a new copy, ``h``.
    turnover_per_year : float
        Rate at which exposed adults are replaced by young adults, per year (``μ``).

    Returns
    -------
    exposed : array (D, Y, P)
        Share of adults who have ever seen foreign video, at mid-year.
    copies : array (D, Y, P)
        Copies in circulation per person, at mid-year.

    The model is mean-field (expected values); the uncertainty is in the parameters.
    """
    from corridor.channels.border._national_kernel import run

    D = int(np.asarray(exposure_rate).shape[0])
    f = lambda a, shape: np.ascontiguousarray(np.broadcast_to(np.asarray(a, np.float64), shape))
    Y, P = np.asarray(population).shape
    S = Y * STEPS_PER_YEAR
    return run(f(inflow, (D, S)), f(removal, (D, S)), f(kappa, (D, Y)), f(exposure_rate, (D,)),
               f(crackdown_rate, (D,)), f(away_rate, (D,)), f(exposed_2000, (D,)),
               f(population, (Y, P)), f(entry, (P,)), f(trade, (P, P)), f(copies_cap, (Y,)),
               f(household_size, (D,)), float(turnover_per_year), STEPS_PER_YEAR, STEP_DAYS)


def survey_share(exposed: np.ndarray, weights: np.ndarray, bias: np.ndarray | float,
                 year_index: np.ndarray) -> np.ndarray:
    """What a survey sample would report: provinces weighted, years averaged, bias added.

    ``logit(ŝ) = logit(Σ_p w_p · mean_y e_{y,p}) + β``: ``exposed`` (D, Y, P) from
    :func:`simulate`, ``weights`` (P,) the provinces the sample comes from (sum 1), ``year_index``
    the years of exposure it measures, ``bias`` the log-odds selection term β (D,) or scalar.
    Post-stratification by province (Little 1993, "Post-stratification: a modeler's perspective",
    JASA 88:1001) with a stated selection term on the log-odds scale (an assumption of this model).
    """
    share = np.einsum("dyp,p->dy", exposed[:, year_index, :], np.asarray(weights, float)).mean(axis=1)
    share = np.clip(share, 1e-9, 1 - 1e-9)
    logit = np.log(share) - np.log1p(-share) + np.asarray(bias, float)
    return 1.0 / (1.0 + np.exp(-logit))


def national_share(exposed: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Population-weighted share ever exposed, (D, Y), from ``exposed`` (D, Y, P) and
    ``population`` (Y, P)."""
    pop = np.asarray(population, float)
    return np.einsum("dyp,yp->dy", exposed, pop) / pop.sum(axis=1)[None, :]
