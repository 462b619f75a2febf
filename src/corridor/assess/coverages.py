"""Coverages of many activities: computed once, cached on disk, spread over Dask workers.

A coverage depends only on the channel's model code, the activity's channel, spec and dates, the
grid and the number of draws, so it is cached under a hash of exactly those (the activity's id
and title are not part of it: two identical launches share one coverage). Cached coverages are
stored as float16 (probabilities to about 3 decimal places), compressed.

Misses are computed as Dask tasks. The same code path runs on the local scheduler (processes on
this machine, the default) and on a cluster (``scheduler="tcp://HOST:PORT"``, a
``dask.distributed`` scheduler whose workers have Corridor installed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from corridor import __version__
from corridor.atomic import atomic_path
from corridor.channels import Activity, get_channel
from corridor.errors import CorridorError
from corridor.geo.grid import GridParams, PopulationGrid, load_grid
from corridor.paths import cache_dir

#: Below this many misses the coverages are computed in this process (starting workers costs
#: more than it saves).
MIN_PARALLEL = 4



#: How long to try to reach a remote Dask scheduler before giving up (s).
SCHEDULER_TIMEOUT_S = 10.0

def source_fingerprint(*packages: str) -> str:
    """A hash of Corridor's version and the ``.py`` sources of ``packages`` (dotted names; a
    name that is not a package counts as empty): results of older code are never reused."""
    h = hashlib.sha256(__version__.encode())
    for pkg in packages:
        try:
            folder = resources.files(pkg)
        except ModuleNotFoundError:
            continue
        for p in sorted((p for p in folder.iterdir() if p.name.endswith(".py")), key=lambda p: p.name):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


@cache
def model_fingerprint(channel: str) -> str:
    """A hash of the channel package's source: a changed model never reuses an old coverage."""
    return source_fingerprint(f"corridor.channels.{channel}")


def coverage_key(activity: Activity, grid_key: str, draws: int, seed: int) -> str:
    """The cache key of one activity's coverage (see the module notes)."""
    payload = {"channel": activity.channel, "model": model_fingerprint(activity.channel),
               "spec": activity.spec.model_dump(mode="json"),
               "start": activity.start.isoformat(),
               "end": activity.end.isoformat() if activity.end else None,
               "grid": grid_key, "draws": draws, "seed": seed}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _cache_file(key: str) -> Path:
    return cache_dir() / "coverage" / f"{key}.npz"


def read_cached(key: str) -> dict | None:
    path = _cache_file(key)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {"probability": z["probability"].astype(np.float32),
                    "meta": json.loads(str(z["meta"]))}
    except (OSError, ValueError, KeyError):
        path.unlink(missing_ok=True)  # damaged: recompute
        return None


def write_cached(key: str, entry: dict) -> None:
    path = _cache_file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, field="coverage cache") as tmp, open(tmp, "wb") as f:
        np.savez_compressed(f, probability=entry["probability"].astype(np.float16),
                            meta=np.asarray(json.dumps(entry["meta"], default=str)))


def _summary_meta(cov) -> dict:
    """What the assessment needs of a coverage besides the probabilities (JSON-safe)."""
    meta = {"model": cov.model, "version": cov.version, "assumptions": dict(cov.assumptions)}
    extras = cov.extras or {}
    if "hours" in extras and "people_listening_by_hour" in extras:
        meta["hours"] = [int(h) for h in np.asarray(extras["hours"]).ravel()]
        meta["listening_by_hour"] = np.asarray(extras["people_listening_by_hour"]).tolist()
    shares = extras.get("leaflet_shares")
    if isinstance(shares, dict):  # balloon: where the leaflets landed (South first: a safety output)
        meta["leaflet_shares"] = {}
        for region, values in shares.items():
            v = np.asarray(values, dtype=float).ravel()
            if v.size:
                lo, med, hi = np.percentile(v, [5, 50, 95])
                meta["leaflet_shares"][str(region)] = {"median": float(med), "lower90": float(lo),
                                                       "upper90": float(hi)}
    return meta


def compute_one(activity_json: dict, grid_params: dict, resolution_km: float, year: int,
                draws: int, seed: int) -> dict:
    """One coverage, as a Dask task: rebuilds its inputs from plain data (picklable anywhere).

    A model that refuses the activity (a :class:`CorridorError`: a launch outside its wind
    field's time, a balloon launch without a wind sample) gives ``{"skipped": {"field",
    "reason"}}`` instead, so one bad record leaves the others' assessment standing.
    """
    activity = Activity.model_validate(activity_json)
    grid = load_grid(resolution_km, year, GridParams(**grid_params))
    try:
        cov = get_channel(activity.channel).coverage(activity, grid, draws=draws, seed=seed)
    except CorridorError as exc:
        return {"skipped": {"field": exc.field, "reason": exc.message}}
    return {"probability": np.asarray(cov.probability, dtype=np.float32), "meta": _summary_meta(cov)}


def coverages(activities: Sequence[Activity], grid: PopulationGrid, *, draws: int = 200,
              seed: int = 0, scheduler: str | None = None, use_cache: bool = True,
              progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, dict]:
    """Coverage entries (``probability`` (draws, cells) float32 and ``meta``, or ``skipped``
    when the model refused the activity: see :func:`compute_one`) by activity id.

    Cached coverages are read; the others are computed with Dask and cached. ``scheduler``:
    None for the local default, ``"sync"`` to stay in this process, or a ``tcp://`` address.
    """
    year = _grid_year(grid)
    keys = {a.id: coverage_key(a, f"{grid.key}@{year}", draws, seed) for a in activities}
    found: dict[str, dict] = {}
    todo: dict[str, Activity] = {}
    for a in activities:
        k = keys[a.id]
        if k in found or k in todo:
            continue
        entry = read_cached(k) if use_cache else None
        if entry is not None and entry["probability"].shape == (draws, grid.n_cells):
            found[k] = entry
        else:
            todo[k] = a
    total = len(todo)
    progress(0, total)
    if todo:
        results = _run(list(todo.items()), grid, year, draws, seed, scheduler, progress)
        for k, entry in results.items():
            found[k] = entry
            if use_cache and "skipped" not in entry:
                write_cached(k, entry)
    return {a.id: found[keys[a.id]] for a in activities}


def _grid_year(grid: PopulationGrid) -> int:
    return int(grid.year)


def _run(items, grid, year, draws, seed, scheduler, progress) -> dict[str, dict]:
    args = (grid.params.model_dump(), grid.resolution_km, year, draws, seed)
    if scheduler is None and len(items) < MIN_PARALLEL:
        scheduler = "sync"
    out: dict[str, dict] = {}
    if scheduler == "sync":
        for i, (k, a) in enumerate(items):
            out[k] = compute_one(a.model_dump(mode="json"), *args)
            progress(i + 1, len(items))
        return out
    from distributed import as_completed

    with dask_client(scheduler) as client:
        futures = [client.submit(compute_one, a.model_dump(mode="json"), *args, key=f"coverage-{k}")
                   for k, a in items]
        by_key = {f.key: k for f, (k, _) in zip(futures, items)}
        for n, fut in enumerate(as_completed(futures), start=1):
            out[by_key[fut.key]] = fut.result()
            progress(n, len(items))
    return out


@contextmanager
def dask_client(scheduler: str | None):
    """A ``dask.distributed`` client: a local cluster of processes on this machine by default,
    or the cluster whose scheduler listens at ``scheduler`` (``tcp://HOST:PORT``). Everything
    after this point runs the same way on both."""
    import os

    from distributed import Client, LocalCluster

    if scheduler is None:
        workers = max(1, min(4, os.cpu_count() or 1))
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
            yield client
        return
    if not scheduler.startswith("tcp://"):
        raise CorridorError("unknown scheduler", field="--scheduler", value=scheduler,
                            hint="leave it out to use this machine, or give tcp://HOST:PORT")
    try:
        client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S:g}s")
    except (OSError, TimeoutError) as exc:
        raise CorridorError(f"cannot reach the Dask scheduler ({exc})", field="--scheduler",
                            value=scheduler) from None
    with client:
        yield client
