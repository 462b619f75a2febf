"""Border crossings where shipments enter, with two positions corrected (see ``data/``).

The table is the shipped ``geo`` crossings list with the same seven town-centre points and two
corrections: the Quanhe–Wŏnjŏng and Khasan–Tumangang bridges, which the geo table only anchors
to towns tens of kilometres away, are placed on the border river (``coord_basis`` says how).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from corridor.geo.names import fold

if TYPE_CHECKING:
    import pandas as pd

_FLOATS = ("kp_lat", "kp_lon", "nb_lat", "nb_lon")


@lru_cache(maxsize=1)
def _read() -> tuple[dict, ...]:
    """The rows of the table (read with :mod:`csv`, so that checking a crossing's name does not
    load pandas)."""
    path = resources.files("corridor.channels.border").joinpath("data", "border_crossings.csv")
    with path.open("r", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple({k: float(v) if k in _FLOATS else v for k, v in row.items()} for row in rows)


def crossings() -> pd.DataFrame:
    """The nine crossings: ``crossing_id``, North Korean and neighbouring point, river, modes."""
    import pandas as pd

    return pd.DataFrame([dict(r) for r in _read()])


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text).lower() if ch.isalnum())


def find_crossing(name: str) -> dict:
    """The crossing called ``name`` (its id, either town, or an alias such as ``hyesan``), as a
    row of :func:`crossings` (column -> value).

    Raises ``ValueError`` listing the known crossings when nothing matches.
    """
    key = _key(name)
    rows = _read()
    for row in rows:
        names = [row["crossing_id"], row["kp_town"], row["nb_town"], *row["aliases"].split(";")]
        if key and key in {_key(n) for n in names if n}:
            return dict(row)
    raise ValueError("unknown crossing; one of: " + ", ".join(r["crossing_id"] for r in rows))
