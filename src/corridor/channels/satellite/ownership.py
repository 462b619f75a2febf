"""Who has a dish and a free-to-air receiver: an editable assumption by province.

No survey has published the share of North Korean households able to receive foreign satellite
TV (see ``docs/satellite-model.md``); the table in ``data/dish_ownership.csv`` gives a central
value and a range per 2008 province, higher along the Chinese border, each row with its basis.
Draws take one common quantile per draw for all provinces (a national factor: enforcement and
supply move every province together), log-uniform between the low and high values.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from corridor.geo.names import PROVINCES


@lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """Ownership share of households by province: ``central``, ``low``, ``high``, ``source``."""
    path = resources.files("corridor.channels.satellite").joinpath("data", "dish_ownership.csv")
    with path.open("r", encoding="utf-8") as f:
        df = pd.read_csv(f).set_index("province")
    return df.loc[list(PROVINCES)]


def draw(n: int, rng: np.random.Generator, fixed: dict[str, float] | None = None) -> np.ndarray:
    """Ownership share per draw and province, shape ``(n, 10)`` in :data:`PROVINCES` order.

    ``fixed`` maps a province to a share used in every draw (the user's own assumption).
    """
    t = table()
    u = rng.uniform(size=(n, 1))
    lo, hi = np.log(t["low"].to_numpy()), np.log(t["high"].to_numpy())
    share = np.exp(lo + u * (hi - lo))
    for name, value in (fixed or {}).items():
        share[:, PROVINCES.index(name)] = value
    return share
