"""Recall of the identifying-details detector on the fictional testimonies of the test set.

Reads ``tests/archive/data/redaction_*.txt`` (one testimony per paragraph, identifying spans
marked ``[[name|…]]``, ``[[place|…]]``, ``[[date|…]]``), runs :func:`corridor.archive.redact.detect`
and prints, per file, the recall of each kind (a marked span counts as found when all of it is
covered by suggestions) and the share of suggestions that fall on a marked span. The ``holdout``
files were written after the rules and were not used to tune them.

Run: ``.venv/bin/python bench/archive_redaction.py``
"""

from __future__ import annotations

from pathlib import Path

from corridor.archive import redact

DATA = Path(__file__).resolve().parents[1] / "tests" / "archive" / "data"


def main() -> int:
    print(f"{'file':30} {'lang':4} {'names':>9} {'places':>9} {'dates':>9} {'precision':>9}")
    for path in sorted(DATA.glob("redaction_*.txt")):
        lang = path.stem.rsplit("_", 1)[1]
        r = redact.evaluate(redact.read_marked(path), lang)
        cells = [f"{r.found[k]}/{r.total[k]}" for k in ("name", "place", "date")]
        print(f"{path.name:30} {lang:4} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9} {r.precision:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
