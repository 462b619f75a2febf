"""Reader for CCIR Data Bank D1 (measured monthly-median HF field strengths, 1 kW EIRP).

The fixed-width text format is described with the data (Table 1 paths with coordinates in
degrees.minutes, Table 2 hourly medians with ``99`` for missing, Table 3 monthly R12).
Only validation code uses it (``corridor radio validate d1``); the data are not shipped with the
package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corridor.errors import CorridorError


def _dm(text: str) -> float:
    """``49.40N`` → 49°40′ N in decimal degrees (negative for S and W)."""
    text = text.strip()
    sign = -1.0 if text[-1] in "SW" else 1.0
    deg, minutes = text[:-1].split(".")
    return sign * (float(deg) + float(minutes) / 60.0)


def read_d1(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame, dict[tuple[int, int], float]]:
    """Paths (Table 1), path-month rows with 24 hourly values (Table 2) and R12 by (year, month).

    A file that is missing, or has no Table 1 paths and Table 2 medians in the D1 layout, or a
    row whose numbers do not read, raises :class:`CorridorError` naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise CorridorError("no such file", source=str(path))
    lines = path.read_text(encoding="latin-1").splitlines()
    paths, rows, r12 = [], [], {}
    table = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("TABLE"):
            table = int(line.split()[1]) if line.split()[1].isdigit() else table + 1
            continue
        try:
            if table == 1 and len(line) >= 66 and line[:3].strip().isdigit():
                paths.append({"id": int(line[0:3]), "tx": line[3:16].strip(), "rx": line[16:29].strip(),
                              "freq_mhz": float(line[29:34]), "tx_lat": _dm(line[34:41]), "tx_lon": _dm(line[41:49]),
                              "rx_lat": _dm(line[49:56]), "rx_lon": _dm(line[56:64]),
                              "dist_km": float(line[64:].strip())})
            elif table == 2 and len(line) >= 80 and line[:3].strip().isdigit():
                vals = [float(line[8 + 3 * k: 11 + 3 * k]) for k in range(24)]
                rows.append({"id": int(line[0:3]), "year": 1900 + int(line[3:6]), "month": int(line[6:8]),
                             **{f"h{k + 1:02d}": (np.nan if v == 99 else v) for k, v in enumerate(vals)}})
            elif table == 3 and line[:4].strip().isdigit() and len(line.split()) == 13:
                parts = line.split()
                for m, v in enumerate(parts[1:], start=1):
                    r12[(int(parts[0]), m)] = float(v)
        except (ValueError, IndexError):
            raise CorridorError(f"line {number} of Table {table} does not read as the D1 layout",
                                source=str(path)) from None
    if not paths or not rows:
        raise CorridorError("not a CCIR Data Bank D1 file (no Table 1 paths and Table 2 hourly medians)",
                            source=str(path))
    return pd.DataFrame(paths), pd.DataFrame(rows), r12
