"""What the evidence benches share: synthetic surveys with a known truth, one JSON line each.

``bench/evidence_validation.py`` (channels) and ``bench/evidence_themes.py`` (content themes) draw
a synthetic population per seed, sample respondents with defector-like bias, fit, and append one
JSON line per survey so that a long run can be summarised at any time.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def surveys(count: int, n: int, first_seed: int) -> Iterator[tuple[int, object, object]]:
    """For seeds ``first_seed`` … ``first_seed + count − 1``: ``(seed, truth, sample)``, the sample
    of ``n`` respondents with ``urban`` as a boolean (as the models take it)."""
    from corridor.evidence.synth import draw_sample, draw_truth

    for seed in range(first_seed, first_seed + count):
        truth = draw_truth(seed)
        sample = draw_sample(truth, n, seed=seed)
        sample["urban"] = sample["urban"] == "urban"
        yield seed, truth, sample


def compiled_model(sample, compiled=None):
    """The MRP model compiled once for the cells of the first sample (the cells are the frame's)."""
    from corridor.evidence import mrp
    from corridor.evidence.estimate import model_columns

    return compiled if compiled is not None else mrp.compile_model(mrp.aggregate_cells(model_columns(sample)))


def record(out: Path, row: dict, started: float, done: int, count: int) -> None:
    """Add the fit's seconds to ``row``, append it to ``out`` and report progress."""
    row["seconds"] = time.perf_counter() - started
    with out.open("a") as f:
        f.write(json.dumps(row) + "\n")
    print(f"survey {done}/{count} seed {row['seed']}: {row['seconds']:.0f} s", flush=True)


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(doc: str, run: Callable[..., None], summarize: Callable[[Path], None], *, surveys: int, seed: int,
         out: str) -> None:
    """The benches' command line: ``--surveys --n --year --seed --draws --tune --out`` to run,
    ``--summarize FILE`` to print the table of a finished or interrupted run."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--surveys", type=int, default=surveys)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--year", type=int, default=2019)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--draws", type=int, default=500)
    ap.add_argument("--tune", type=int, default=400)
    ap.add_argument("--out", type=Path, default=Path(out))
    ap.add_argument("--summarize", type=Path)
    args = ap.parse_args()
    if args.summarize:
        summarize(args.summarize)
    else:
        run(args.surveys, args.n, args.year, args.out, args.seed, args.draws, args.tune)
