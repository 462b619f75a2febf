"""Coverages on a Dask cluster: the same code path as on a remote cluster, on a local one."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from corridor.assess.coverages import coverages
from corridor.channels import Activity
from corridor.errors import CorridorError


def _speakers():
    return [Activity.create("loudspeaker", {"lon": lon, "lat": 38.0, "sound_power_db": 168, "azimuth_deg": 0,
                                            "period": "night"}, id=f"s{i}",
                            start=datetime(2024, 7, 21, 13, tzinfo=UTC))
            for i, lon in enumerate((126.6, 126.7, 126.8, 126.9, 127.0))]


def test_a_distributed_scheduler_gives_the_same_coverages(grid):
    from distributed import LocalCluster

    acts = _speakers()
    local = coverages(acts, grid, draws=30, scheduler="sync", use_cache=False)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                      dashboard_address=None) as cluster:
        seen = []
        remote = coverages(acts, grid, draws=30, scheduler=cluster.scheduler_address, use_cache=False,
                           progress=lambda done, total: seen.append((done, total)))
    assert cluster.scheduler_address.startswith("tcp://")
    assert seen[-1] == (5, 5)
    for a in acts:
        assert np.array_equal(local[a.id]["probability"], remote[a.id]["probability"])


def test_coverages_are_cached_and_reused(grid):
    acts = _speakers()[:2]
    first = coverages(acts, grid, draws=30, scheduler="sync")
    calls = []
    again = coverages(acts, grid, draws=30, scheduler="sync", progress=lambda d, t: calls.append(t))
    assert calls == [0]                                  # nothing left to compute
    # cached as float16: probabilities to about three decimals
    assert np.allclose(first[acts[0].id]["probability"], again[acts[0].id]["probability"], atol=1e-3)


def test_an_unreachable_scheduler_is_a_clear_error(grid, monkeypatch):
    from corridor.assess import coverages as module

    monkeypatch.setattr(module, "SCHEDULER_TIMEOUT_S", 1.0)   # the same refusal, sooner
    with pytest.raises(CorridorError, match="cannot reach the Dask scheduler"):
        coverages(_speakers(), grid, draws=30, scheduler="tcp://127.0.0.1:9", use_cache=False)
