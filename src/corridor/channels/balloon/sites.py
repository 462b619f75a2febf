"""Launch sites reported in the press (approximate town coordinates; see ``data/sites.csv``)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from corridor.errors import CorridorError

if TYPE_CHECKING:
    import pandas as pd

_CSV = files("corridor.channels.balloon").joinpath("data/sites.csv")


@lru_cache(maxsize=1)
def keys() -> tuple[str, ...]:
    """The shipped site keys, in the file's order (read without pandas: help texts list them)."""
    with _CSV.open(encoding="utf-8") as fh:
        return tuple(row["site"] for row in csv.DictReader(fh))


@lru_cache(maxsize=1)
def sites() -> pd.DataFrame:
    """The shipped launch sites, indexed by key (``paju``, ``gimpo``, ...)."""
    import pandas as pd

    with _CSV.open(encoding="utf-8") as fh:
        return pd.read_csv(fh).set_index("site")


def site(key: str, *, field: str = "site") -> pd.Series:
    """One site by key (case-insensitive); an unknown key is a :class:`CorridorError`."""
    table = sites()
    k = str(key).strip().lower()
    if k not in table.index:
        raise CorridorError("unknown launch site", field=field, value=key,
                            hint="one of: " + ", ".join(keys()))
    return table.loc[k]
