"""The post-stratification frame: civilians aged 15+ by province × sex × urban/rural × age.

Built from the 2008 census by county (sex and urban/rural, :func:`corridor.geo.sources.census_2008`),
split into age groups with the census's national age and sex structure
(``data/age_structure.yaml``), and scaled to the UN total of the target year
(:func:`corridor.geo.population.total_population`), keeping the 2008 shares of each cell.

References
----------
.. [1] DPRK Central Bureau of Statistics and UNFPA (2009), *DPR Korea 2008 Population Census,
   National Report*.
.. [2] UN DESA Population Division (2024), *World Population Prospects 2024*.
.. [3] Park, D. K., Gelman, A. and Bafumi, J. (2004), Bayesian multilevel estimation with
   poststratification, *Political Analysis* 12: 375–385 (the frame's role in MRP).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from corridor.evidence.vocabulary import AGE_GROUPS, SEXES
from corridor.geo.names import BORDER_PROVINCES, PROVINCES
from corridor.geo.population import CENSUS_2008_TOTAL, total_population
from corridor.geo.sources import census_2008


@lru_cache(maxsize=1)
def age_structure() -> dict:
    """The census age/sex summary used to split cells by age (see ``data/age_structure.yaml``)."""
    text = resources.files("corridor.evidence").joinpath("data", "age_structure.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def age_shares_by_sex(structure: dict | None = None) -> np.ndarray:
    """P(age group | sex) over the whole population, shape (2 sexes, 6 age groups).

    The rows do not sum to one: the remainder is children aged 0–14, outside the frame.
    For each broad group g with share s_g of the population and sex ratio r_g (men per woman),
    the men in g are s_g·r_g/(1+r_g); the overall male share is r/(1+r) with r = 0.95. The
    sex ratio of 15–64 is solved from the overall ratio, then 15–64 is split into five equal
    ten-year groups [1]_ (a stated approximation).
    """
    st = structure or age_structure()
    shares = st["broad_groups"]
    male = lambda r: r / (1.0 + r)  # noqa: E731
    m_total = male(st["sex_ratio_overall"])
    m_child = shares["0-14"] * male(st["sex_ratio_0_14"])
    m_old = shares["65+"] * male(st["sex_ratio_65plus"])
    m_work = m_total - m_child - m_old                       # men aged 15–64, share of all
    f_work = shares["15-64"] - m_work
    f_old = shares["65+"] - m_old
    n_split = len(st["split_15_64"])
    out = np.zeros((2, len(AGE_GROUPS)))
    out[0, :n_split] = m_work / n_split / m_total
    out[1, :n_split] = f_work / n_split / (1.0 - m_total)
    out[0, -1] = m_old / m_total
    out[1, -1] = f_old / (1.0 - m_total)
    return out


@lru_cache(maxsize=1)
def _census_cells() -> np.ndarray:
    """2008 census civilians, shape (10 provinces, 2 sexes, 2 (rural, urban))."""
    df = census_2008()
    out = np.zeros((len(PROVINCES), 2, 2))
    for i, prov in enumerate(PROVINCES):
        rows = df[df["province_2008"] == prov]
        out[i, 0, 0] = rows["rural_male"].sum()
        out[i, 0, 1] = rows["urban_male"].sum()
        out[i, 1, 0] = rows["rural_female"].sum()
        out[i, 1, 1] = rows["urban_female"].sum()
    return out


def poststrat_frame(year: int) -> pd.DataFrame:
    """Civilians aged 15+ in ``year`` by province × sex × urban/rural × age group.

    Columns: ``province``, ``province_index``, ``border``, ``sex``, ``female``, ``urban``,
    ``age_group``, ``age_index``, ``population`` (people). The 2008 cell shares are kept and
    the whole is scaled by ``total_population(year) / total_population(2008)`` [2]_.
    """
    scale = total_population(year) / CENSUS_2008_TOTAL
    cells = _census_cells()[:, :, :, None] * age_shares_by_sex()[None, :, None, :] * scale
    p, s, u, a = np.meshgrid(np.arange(len(PROVINCES)), np.arange(2), np.arange(2),
                             np.arange(len(AGE_GROUPS)), indexing="ij")
    frame = pd.DataFrame({
        "province_index": p.ravel(), "sex_index": s.ravel(), "urban": u.ravel().astype(int),
        "age_index": a.ravel(), "population": cells.ravel(),
    })
    frame["province"] = [PROVINCES[i] for i in frame["province_index"]]
    frame["border"] = frame["province"].isin(BORDER_PROVINCES).astype(int)
    frame["sex"] = [SEXES[i] for i in frame["sex_index"]]
    frame["female"] = frame["sex_index"]
    frame["age_group"] = [AGE_GROUPS[i] for i in frame["age_index"]]
    frame["year"] = year
    return frame
