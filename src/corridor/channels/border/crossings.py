"""Border crossings where shipments enter, with two positions corrected (see ``data/``).

The table is the shipped ``geo`` crossings list with the same seven town-centre points and two
corrections: the Quanhe–Wŏnjŏng and Khasan–Tumangang bridges, which the geo table only anchors
to towns tens of kilometres away, are placed on the border river (``coord_basis`` says how).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from corridor.geo.names import fold


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    path = resources.files("corridor.channels.border").joinpath("data", "border_crossings.csv")
    with path.open("r", encoding="utf-8") as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
    for col in ("kp_lat", "kp_lon", "nb_lat", "nb_lon"):
        df[col] = df[col].astype(float)
    return df


def crossings() -> pd.DataFrame:
    """The nine crossings: ``crossing_id``, North Korean and neighbouring point, river, modes."""
    return _read().copy()


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text).lower() if ch.isalnum())


def find_crossing(name: str) -> pd.Series:
    """The crossing called ``name`` (its id, either town, or an alias such as ``hyesan``).

    Raises ``ValueError`` listing the known crossings when nothing matches.
    """
    key = _key(name)
    df = _read()
    for _, row in df.iterrows():
        names = [row["crossing_id"], row["kp_town"], row["nb_town"], *row["aliases"].split(";")]
        if key and key in {_key(n) for n in names if n}:
            return row.copy()
    raise ValueError("unknown crossing; one of: " + ", ".join(df["crossing_id"]))
