"""The border channel's shipped data tables, copied with one cell changed (for bad-input tests)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("corridor.channels.border").joinpath("data")))


def edited_table(tmp_path: Path, name: str, line: int, column: str, value: str) -> Path:
    """A copy of ``data/name`` in ``tmp_path`` with ``column`` of data row ``line`` (0 = first)
    set to ``value``."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[line][column] = value
    out = tmp_path / name
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out
