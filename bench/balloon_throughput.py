"""Balloon trajectories per second for a 1,000-member ensemble, against Tawhiri's recorded time.

The ensemble repeats the 15 development float flights of the Tawhiri reference (same inputs, same
wind fields) until it has 1,000 members, and flies them with the compiled, parallel float-profile
kernel. Tawhiri's recorded mean wall time for those float flights (0.59 ms per flight, one core,
dataset in memory; reference README) is the yardstick.

    .venv/bin/python bench/balloon_throughput.py
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numba
import numpy as np

from corridor.channels.balloon.integrate import fly_float_profiles
from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.windfield import open_wind

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLIGHTS = SHARED / "data" / "reference" / "balloon" / "tawhiri"
MEMBERS = 1000
REPEATS = 5


def main() -> None:
    flights = [json.loads(p.read_text()) for p in sorted(FLIGHTS.glob("F*.json"))]
    tawhiri_s = float(np.mean([f["runtime"]["mean_wall_s"] for f in flights]))
    by_field: dict[str, list[dict]] = {}
    for f in flights:
        by_field.setdefault(Path(f["wind_field"]["file"]).name, []).append(f)
    fields = {name: WindArrays.from_dataset(open_wind(SHARED / "data" / "wind" / name)) for name in by_field}
    print(f"Tawhiri (reference README): {1e3 * tawhiri_s:.3f} ms per float flight, one core "
          f"→ {1 / tawhiri_s:,.0f} flights/s")
    for threads in sorted({1, numba.config.NUMBA_NUM_THREADS}):
        numba.set_num_threads(threads)
        total_s, total_n = 0.0, 0
        for name, group in by_field.items():
            W = fields[name]
            n = MEMBERS * len(group) // len(flights)
            pick = [group[i % len(group)]["inputs"] for i in range(n)]
            arr = lambda k: np.array([p[k] for p in pick], float)  # noqa: E731
            args = (W.args, np.zeros(n, np.int64), arr("launch_time_unix_s"), arr("launch_latitude_deg"),
                    arr("launch_longitude_deg"), arr("launch_altitude_m"), arr("ascent_rate_m_s"),
                    arr("float_altitude_m"), arr("stop_time_unix_s"))
            fly_float_profiles(*args)                       # compile / warm up
            best = min(_timed(fly_float_profiles, args) for _ in range(REPEATS))
            total_s += best
            total_n += n
        rate = total_n / total_s
        print(f"Corridor, {threads} thread(s): {total_n} members in {1e3 * total_s:.1f} ms "
              f"→ {rate:,.0f} flights/s, {1e3 / rate:.4f} ms per flight; "
              f"ratio to Tawhiri {rate * tawhiri_s:.1f}×")
    print(f"(machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} during the run; best of {REPEATS} "
          "runs; Tawhiri was timed on the same kind of machine with nothing else running)")


def _timed(fn, args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
