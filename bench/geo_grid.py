"""Benchmark: building the population grid at 5 km and 1 km, cold and from the cache.

Run: ``.venv/bin/python bench/geo_grid.py``. Prints seconds for each (best of 3 for cached
loads); the cache goes to a temporary folder so the user's cache is untouched.
"""

from __future__ import annotations

import os
import tempfile
import time


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["CORRIDOR_CACHE_DIR"] = cache
        from corridor.geo import load_grid
        from corridor.geo.grid_io import cache_path

        print(f"{'grid':>6} {'cells':>9} {'cold build+save s':>18} {'cached load s':>14} {'cache MB':>9}")
        for res in (5.0, 1.0):
            t0 = time.perf_counter()
            grid = load_grid(res, 2008)
            cold = time.perf_counter() - t0
            warm = []
            for _ in range(3):
                t0 = time.perf_counter()
                load_grid(res, 2026)
                warm.append(time.perf_counter() - t0)
            size = cache_path(res).stat().st_size / 1e6
            print(f"{res:>4g}km {grid.n_cells:>9,} {cold:>18.2f} {min(warm):>14.3f} {size:>9.1f}")


if __name__ == "__main__":
    main()
