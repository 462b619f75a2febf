"""Launch sites reported in the press (approximate town coordinates; see ``data/sites.csv``)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import pandas as pd

from corridor.errors import CorridorError


@lru_cache(maxsize=1)
def sites() -> pd.DataFrame:
    """The shipped launch sites, indexed by key (``paju``, ``gimpo``, ...)."""
    with files("corridor.channels.balloon").joinpath("data/sites.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh).set_index("site")


def site(key: str, *, field: str = "site") -> pd.Series:
    """One site by key (case-insensitive); an unknown key is a :class:`CorridorError`."""
    table = sites()
    k = str(key).strip().lower()
    if k not in table.index:
        raise CorridorError("unknown launch site", field=field, value=key,
                            hint="one of: " + ", ".join(table.index))
    return table.loc[k]
