"""Balloon trajectories per second for a 1,000-member ensemble, against Tawhiri's recorded time.

The ensemble repeats the 15 development float flights of the Tawhiri reference (same inputs, same
wind fields) until it has 1,000 members, and flies them with the compiled float-profile kernel
(a second ensemble spreads each member's launch time by ±1 h, climb rate by ±10 % and float altitude
by ±500 m, as a real ensemble would, so that no two members read the same wind in the same order)
(RK4 fused with the wind interpolation, :mod:`corridor.channels.balloon.kernels`), on one thread
and on one thread per core. Tawhiri's recorded mean wall time for those float flights (0.59 ms per
flight, one core, dataset in memory; reference README) is the yardstick.

Compile time is reported apart from the steady state: a fresh process with an empty Numba cache
(compiling), then a fresh process reusing that cache (loading the compiled code, what a user sees
from the second run on). The machine is shared, so the load average is printed with the figures,
as is the CPU time per flight (less sensitive to other work than the wall time).

    .venv/bin/python bench/balloon_throughput.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLIGHTS = SHARED / "data" / "reference" / "balloon" / "tawhiri"
MEMBERS = 1000
REPEATS = 15


def ensemble():
    """(wind arrays, kernel arguments) per wind field, 1,000 members in all."""
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.windfield import open_wind

    flights = [json.loads(p.read_text()) for p in sorted(FLIGHTS.glob("F*.json"))]
    by_field: dict[str, list[dict]] = {}
    for f in flights:
        by_field.setdefault(Path(f["wind_field"]["file"]).name, []).append(f)
    # members per field in proportion to its flights, the remainder to the first fields: 1,000 in all
    sizes = [MEMBERS * len(g) // len(flights) for g in by_field.values()]
    for i in range(MEMBERS - sum(sizes)):
        sizes[i] += 1
    out = []
    for (name, group), n in zip(by_field.items(), sizes):
        W = WindArrays.from_dataset(open_wind(SHARED / "data" / "wind" / name))
        pick = [group[i % len(group)]["inputs"] for i in range(n)]

        def arr(k, pick=pick):
            return np.array([p[k] for p in pick], float)

        out.append((W.args, np.zeros(n, np.int64), arr("launch_time_unix_s"), arr("launch_latitude_deg"),
                    arr("launch_longitude_deg"), arr("launch_altitude_m"), arr("ascent_rate_m_s"),
                    arr("float_altitude_m"), arr("stop_time_unix_s")))
    tawhiri_s = float(np.mean([f["runtime"]["mean_wall_s"] for f in flights]))
    return out, tawhiri_s


def spread(cases):
    """The same members with launch time ±1 h, climb rate ±10 % and float altitude ±500 m."""
    rng = np.random.default_rng(20111010)
    out = []
    for W, member, launch, lat, lon, z0, ascent, z_float, stop in cases:
        n = member.size
        out.append((W, member, launch + rng.uniform(-3600.0, 3600.0, n), lat, lon, z0,
                    ascent * rng.uniform(0.9, 1.1, n), z_float + rng.uniform(-500.0, 500.0, n), stop))
    return out


def first_call() -> None:
    """Run in a child process: import, then time the first call of the kernel (compile or cache load)."""
    t = time.perf_counter()
    from corridor.channels.balloon import integrate

    imported = time.perf_counter() - t
    cases, _ = ensemble()
    args = tuple(a[:8] if isinstance(a, np.ndarray) else a for a in cases[0])
    t = time.perf_counter()
    integrate.fly_float_profiles(*args)
    print(json.dumps({"import_s": imported, "first_call_s": time.perf_counter() - t}))


def _child(cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    proc = subprocess.run([sys.executable, __file__, "--first-call"], env=env, capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    from corridor.channels.balloon import integrate

    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as cache:
        cold = _child(cache)
        warm = _child(cache)
    print(f"Compile (fresh process, empty Numba cache): {cold['first_call_s']:.1f} s; "
          f"from the cache (later runs): {warm['first_call_s']:.2f} s")
    cases, tawhiri_s = ensemble()
    for args in cases:                                   # compile or load into this process
        integrate.fly_float_profiles(*args)
    print(f"Tawhiri (reference README): {1e3 * tawhiri_s:.3f} ms per float flight, one core "
          f"→ {1 / tawhiri_s:,.0f} flights/s")
    cores = os.cpu_count() or 1
    for label, members in (("the 15 flights repeated", cases), ("launch, climb and float spread", spread(cases))):
        for threads in sorted({1, cores}):
            integrate.set_threads(threads)
            best_wall, best_cpu, n = np.inf, np.inf, 0
            for _ in range(REPEATS):
                wall, cpu = time.perf_counter(), time.process_time()
                n = 0
                for args in members:
                    integrate.fly_float_profiles(*args)
                    n += args[1].size
                best_wall = min(best_wall, time.perf_counter() - wall)
                best_cpu = min(best_cpu, time.process_time() - cpu)
            rate = n / best_wall
            print(f"Corridor, {label}, {threads} thread(s): {n} members in {1e3 * best_wall:.1f} ms → "
                  f"{rate:,.0f} flights/s, {1e3 / rate:.4f} ms per flight (CPU {1e6 * best_cpu / n:.1f} µs "
                  f"per flight); ratio to Tawhiri {rate * tawhiri_s:.1f}×")
    integrate.set_threads(None)
    print(f"(machine: {cores} cores; load average {load0:.1f} before and {os.getloadavg()[0]:.1f} after the run; "
          f"best of {REPEATS} runs; Tawhiri was timed on the same kind of machine with nothing else running)")


if __name__ == "__main__":
    if "--first-call" in sys.argv:
        first_call()
    else:
        main()
