"""Assessment at scale: 500 activities × 200 draws, and what-if answers on the demo coalition.

1. A ledger of 500 activities on every channel (radio schedules varied by frequency and hour,
   balloon launches on the shipped forecasts, shipments through every crossing, satellite beams,
   loudspeaker arrays), built from the demo coalition's specs. Timed cold (every coverage computed
   with Dask on this machine) and warm (coverages read from the cache: what the dashboard does after
   a change of the ledger). Aim: a full assessment under 30 s.
2. What-if on the demo coalition for a single activity (times 0, 2 and 3 for each activity),
   through the engine and through the dashboard's HTTP endpoint. Aim: under 300 ms.

Run: ``.venv/bin/python bench/assess_scale.py [--activities 500] [--draws 200] [--skip-cold]``
(``corridor demo --no-serve`` first, for part 2).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta


def ledger(n: int):
    from corridor.assess import Item
    from corridor.channels import Activity
    from corridor.demo import coalition_spec

    specs = {}
    for org in coalition_spec()["organisations"]:
        for c in org["campaigns"]:
            for a in c["activities"]:
                specs.setdefault(c["channel"], []).append(a)
    crossings = ["hyesan", "sinuiju_dandong", "manpo_jian", "musan_nanping", "hoeryong_sanhe", "namyang_tumen"]
    items = []
    i = 0
    while len(items) < n:
        k = i % 10
        if k in (0, 1):          # radio: 10 frequencies × 2 stations × 3 hours, then repeats
            base = copy.deepcopy(specs["radio"][i % 2])
            spec = base["spec"]
            spec["frequency_khz"] = spec["frequency_khz"] + 5 * ((i // 10) % 10) if spec["frequency_khz"] > 3000 \
                else spec["frequency_khz"]
            hour = 14 + (i // 100) % 3
            spec["utc_start"], spec["utc_end"] = f"{hour:02d}:00", f"{hour + 1:02d}:00"
            act = Activity.create("radio", spec, id=f"r{i}", start=base["start"], title=f"radio {i}")
            cost = base["cost_usd"]
        elif k == 2:             # balloon launches on the shipped forecast
            base = specs["balloon"][(i // 10) % 2]
            act = Activity.create("balloon", base["spec"], id=f"b{i}", start=base["start"], title=f"launch {i}")
            cost = base["cost_usd"]
        elif k in (3, 4, 5, 6, 7):   # shipments: crossings × sizes
            spec = dict(specs["border"][0]["spec"], crossing=crossings[i % len(crossings)],
                        devices=250 * (1 + (i // 10) % 8))
            act = Activity.create("border", spec, id=f"s{i}", start=datetime(2026, 3, 1, tzinfo=UTC)
                                  + timedelta(days=30 * ((i // 60) % 3)), title=f"shipment {i}")
            cost = 15.0 * spec["devices"]
        elif k == 8:
            spec = dict(specs["satellite"][0]["spec"], dish_cm=[60, 75, 90][(i // 10) % 3])
            act = Activity.create("satellite", spec, id=f"t{i}", start=datetime(2026, 1, 1, tzinfo=UTC),
                                  title=f"datacast {i}")
            cost = 30000.0
        else:
            spec = dict(specs["loudspeaker"][0]["spec"], lon=126.55 + 0.05 * ((i // 10) % 12))
            act = Activity.create("loudspeaker", spec, id=f"l{i}", start=datetime(2024, 7, 21, 13, tzinfo=UTC),
                                  title=f"array {i}")
            cost = 2000.0
        items.append(Item(act, cost, f"campaign {i % 40}", f"org {i % 8}", i % 40))
        i += 1
    return items


def part_scale(n: int, draws: int, skip_cold: bool) -> None:
    from corridor.assess import assess
    from corridor.assess.coverages import coverage_key
    from corridor.geo.grid import load_grid

    grid = load_grid(5.0)
    items = ledger(n)
    distinct = len({coverage_key(it.activity, f"{grid.key}@{grid.year}", draws, 0) for it in items})
    print(f"{n} activities ({distinct} distinct coverages), {draws} draws, grid {grid.n_cells} cells, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    if not skip_cold:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["CORRIDOR_CACHE_DIR"] = tmp
            t = time.perf_counter()
            a = assess(items, load_grid(5.0), draws=draws)
            cold = time.perf_counter() - t
            print(f"cold (every coverage computed with Dask, {distinct} models): {cold:.1f} s")
            t = time.perf_counter()
            a = assess(items, load_grid(5.0), draws=draws)
            warm = time.perf_counter() - t
        os.environ.pop("CORRIDOR_CACHE_DIR")
    else:
        a = assess(items, grid, draws=draws)
        t = time.perf_counter()
        a = assess(items, grid, draws=draws)
        warm = time.perf_counter() - t
    c = a.as_dict()["coalition"]
    print(f"warm (coverages cached): {warm:.1f} s  (aim < 30 s: {'met' if warm < 30 else 'NOT met'})")
    print(f"coalition reached {c['reached_median']:,.0f} [{c['reached_lower90']:,.0f}–{c['reached_upper90']:,.0f}]")


def part_whatif() -> None:
    from fastapi.testclient import TestClient

    from corridor.assess.engine import what_if
    from corridor.cli.assess import run_assessment
    from corridor.demo import demo_database_url, demo_evidence_path
    from corridor.web.app import create_app

    a, _demo = run_assessment(None, None, 200, None, None, quiet=True)
    times = []
    for it in a.items:
        for n in (0, 2, 3):
            t = time.perf_counter()
            what_if(a, {it.activity.id: n})
            times.append(time.perf_counter() - t)
    times.sort()
    print(f"what-if, engine, one activity changed ({len(times)} questions): "
          f"p50 {1000 * statistics.median(times):.0f} ms, p95 {1000 * times[int(0.95 * len(times))]:.0f} ms, "
          f"max {1000 * times[-1]:.0f} ms")
    client = TestClient(create_app(demo_database_url(), evidence=demo_evidence_path()))
    from corridor.access.accounts import hash_password
    from corridor.access.tables import User
    from corridor.store import make_engine
    from corridor.store.engine import session_scope

    engine = make_engine(demo_database_url())
    password = "bench-only-" + os.urandom(6).hex()
    with session_scope(engine) as s:   # a known password for this run only
        user = s.query(User).filter_by(username="demo").one()
        old = user.password_hash
        user.password_hash = hash_password(password)
    try:
        client.post("/login", data={"username": "demo", "password": password})
        client.get("/dashboard")          # builds the cached assessment
        http = []
        for it in a.items:
            for n in (0, 2, 3):
                t = time.perf_counter()
                r = client.get(f"/dashboard/whatif?times={it.activity.id}:{n}")
                http.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text
        http.sort()
        print(f"what-if, HTTP endpoint ({len(http)} requests): p50 {1000 * statistics.median(http):.0f} ms, "
              f"p95 {1000 * http[int(0.95 * len(http))]:.0f} ms, max {1000 * http[-1]:.0f} ms "
              f"(aim < 300 ms: {'met' if http[int(0.95 * len(http))] < 0.3 else 'NOT met'})")
    finally:
        with session_scope(engine) as s:
            s.query(User).filter_by(username="demo").one().password_hash = old
        engine.dispose()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--activities", type=int, default=500)
    p.add_argument("--draws", type=int, default=200)
    p.add_argument("--skip-cold", action="store_true")
    args = p.parse_args()
    from corridor.demo import demo_database_path

    if demo_database_path().exists():
        part_whatif()
    else:
        print("what-if: run `corridor demo --no-serve` first")
    part_scale(args.activities, args.draws, args.skip_cold)


if __name__ == "__main__":
    main()
