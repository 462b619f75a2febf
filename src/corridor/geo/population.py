"""Population totals and how people are spread within a county: plain functions over arrays.

The population grid (:mod:`corridor.geo.grid`) composes these. Each function states its
formula; the assumptions behind the default parameters are in ``docs/population-grid.md``.
"""

from __future__ import annotations

import numpy as np

from corridor.errors import CorridorError

#: 2008 census: household and institutional population (assigned to counties).
CENSUS_2008_CIVILIAN = 23_349_859
#: 2008 census: people living in military camps (not assigned to any area).
CENSUS_2008_MILITARY = 702_372
CENSUS_2008_TOTAL = CENSUS_2008_CIVILIAN + CENSUS_2008_MILITARY  # 24,052,231
CENSUS_YEAR = 2008

#: UN DESA, World Population Prospects 2024, medium variant, total population of the DPRK
#: (1 July), in the rounding (0.1 million) in which it is republished. Years in between are
#: interpolated linearly; 2008 is the census itself.
WPP2024_TOTAL: dict[int, float] = {
    2020: 26.1e6,
    2024: 26.5e6,
    2050: 25.8e6,
    2100: 19.5e6,
}
WPP_SOURCE = ("UN DESA Population Division, World Population Prospects 2024, medium variant "
              "(rounded to 0.1 million)")


def total_population(year: int) -> float:
    """Total population of North Korea for ``year``, census included military.

    2008 is the census total (24,052,231). From 2020 on, the UN WPP 2024 medium variant
    (:data:`WPP2024_TOTAL`), linearly interpolated between its published years; between 2008
    and 2020, linear between the census and WPP 2020.

    Raises :class:`CorridorError` for years before the census or after 2100.
    """
    if not isinstance(year, (int, np.integer)) or year < CENSUS_YEAR or year > 2100:
        raise CorridorError(f"year must be between {CENSUS_YEAR} and 2100", field="--year", value=year)
    years = np.array([CENSUS_YEAR, *WPP2024_TOTAL], dtype=float)
    totals = np.array([CENSUS_2008_TOTAL, *WPP2024_TOTAL.values()])
    return float(np.interp(year, years, totals))


def town_peak_density(population: np.ndarray, reference_density_per_km2: float,
                      reference_population: float = 1e6, exponent: float = 1 / 6) -> np.ndarray:
    """Peak density of a town, rising slowly with its size.

        D(P) = D_ref · (P / P_ref)^β

    Urban scaling theory and measurements give built-up area growing as ``P^(5/6)`` with
    population, so that density grows as ``P^(1/6)`` (Bettencourt 2013, *The origins of scaling
    in cities*, Science 340:1438, eq. 5 and Fig. 2). With ``D_ref`` = 8,000 people/km² at one
    million people, Pyongyang's 2.5 million urban residents peak near 9,300 people/km² and a
    town of 30,000 near 4,500.

    Parameters
    ----------
    population : array, people
    reference_density_per_km2 : float, people per km² at ``reference_population``
    """
    p = np.maximum(np.asarray(population, dtype=float), 1.0)
    return reference_density_per_km2 * (p / reference_population) ** exponent


def town_sigma_km(population: np.ndarray, peak_density_per_km2: np.ndarray | float,
                  min_sigma_km: float) -> np.ndarray:
    """Width of the Gaussian kernel that holds a town's urban population at a given peak density.

    A circular Gaussian holding ``P`` people with standard deviation ``σ`` has its peak density
    ``P / (2πσ²)``. Setting that peak to ``D`` gives

        σ = sqrt(P / (2π D)),   σ ≥ σ_min

    Parameters
    ----------
    population : array, people
    peak_density_per_km2 : array or float, people per km²
    min_sigma_km : float, km
    """
    population = np.asarray(population, dtype=float)
    sigma = np.sqrt(np.maximum(population, 0.0) / (2.0 * np.pi * np.asarray(peak_density_per_km2)))
    return np.maximum(sigma, min_sigma_km)


def fit_sigma_to_land(population: float, peak_density_per_km2: float, distance_km: np.ndarray,
                      area_km2: np.ndarray, sigma0_km: float, max_sigma_km: float = 60.0) -> float:
    """Widen a town's kernel until the land around it holds its people at the peak density.

    A town on a coast or a border river loses the part of its Gaussian that falls on water or
    across the border. Rather than scale the remaining part up (which would make such towns
    denser than the capital), the kernel is widened: the smallest ``σ ≥ σ0`` with

        D · Σ_cells a_i · exp(−d_i² / 2σ²) ≥ P

    found by bisection on ``σ`` (the left side grows monotonically with ``σ``). Distances and
    areas are those of the cells the town may use (its county zone).
    """
    d2 = np.asarray(distance_km, dtype=float) ** 2
    a = np.asarray(area_km2, dtype=float)

    def mass(sigma: float) -> float:
        return peak_density_per_km2 * float(np.sum(a * np.exp(-0.5 * d2 / sigma**2)))

    if mass(sigma0_km) >= population:
        return sigma0_km
    lo, hi = sigma0_km, sigma0_km
    while mass(hi) < population and hi < max_sigma_km:
        lo, hi = hi, hi * 2.0
    if mass(hi) < population:
        return hi
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if mass(mid) < population else (lo, mid)
    return hi


def gaussian_weights(distance_km: np.ndarray, sigma_km: np.ndarray | float) -> np.ndarray:
    """Unnormalised Gaussian kernel ``exp(-d² / (2σ²))``; ``distance_km`` and ``sigma_km`` in km."""
    d = np.asarray(distance_km, dtype=float)
    return np.exp(-0.5 * (d / sigma_km) ** 2)


def exponential_weights(distance_km: np.ndarray, scale_km: float) -> np.ndarray:
    """Unnormalised exponential decay ``exp(-d / L)``, ``d`` and ``L`` in km.

    Used for rural population, which thins out with distance from the county seat (where
    cooperative farms, roads and the valley floor are) towards the mountains.
    """
    return np.exp(-np.asarray(distance_km, dtype=float) / scale_km)


def allocate(total: float, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` over cells in proportion to ``weights`` so that the parts sum to ``total``.

    If every weight is zero (a kernel that underflowed far from any cell), the total goes to
    the cell with the largest weight before underflow, i.e. the caller passes a fallback; here
    it is split evenly.
    """
    weights = np.asarray(weights, dtype=float)
    s = weights.sum()
    if total == 0:
        return np.zeros_like(weights)
    if not np.isfinite(s) or s <= 0:
        return np.full(weights.shape, total / weights.size)
    return total * weights / s
