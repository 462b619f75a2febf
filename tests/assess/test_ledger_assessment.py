"""Assessing the ledger (the one function the command line, the dashboard and the demo call) and its
cache: keyed by the ledger version, one computation per key, other keys never waiting."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from corridor.assess import assess
from corridor.assess.items import items_from_ledger
from corridor.assess.ledger_assessment import (
    AssessmentCache,
    SingleFlightCache,
    assess_ledger,
    ledger_version,
)

DRAWS = 20
WAIT_S = 60   # a guard against a hung test, never a measurement


def _ledger(url: str, speakers: int = 2) -> None:
    """A small ledger: one organisation, one campaign of loudspeaker broadcasts."""
    from corridor.access import members
    from corridor.access.rules import Actor, Role
    from corridor.coalition import ledger
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            org = members.create_organisation(s, "Org A")
            owner = Actor(user_id=0, roles={org.id: Role.OWNER}, label="test")
            camp = ledger.create_campaign(s, owner, org_id=org.id, name="speakers", channel="loudspeaker",
                                          start_date=date(2024, 7, 1))
            for i in range(speakers):
                ledger.add_activity(s, owner, camp.id, {
                    "id": f"ls{i}", "title": f"array {i}", "start": "2024-07-21T13:00:00Z",
                    "spec": {"lon": 126.70 + 0.3 * i, "lat": 37.90, "sound_power_db": 170, "azimuth_deg": 0,
                             "period": "night"},
                    "cost_amount": 1000.0, "cost_currency": "USD"}, source="test")
    finally:
        engine.dispose()


@pytest.fixture()
def session(db_url):
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        yield s
    engine.dispose()


def test_an_empty_ledger_gives_no_assessment(session):
    out = assess_ledger(session, draws=DRAWS)
    assert out.assessment is None and out.version == ledger_version(session)


def test_the_ledger_is_assessed_as_the_engine_assesses_its_items(db_url, grid):
    from corridor.store import make_engine, session_scope

    _ledger(db_url)
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as s:
            out = assess_ledger(s, draws=DRAWS, grid=grid, scheduler="sync")
            direct = assess(items_from_ledger(s, scope="all"), grid, draws=DRAWS, scheduler="sync")
            version = ledger_version(s)
    finally:
        engine.dispose()
    assert out.version == version > 0
    # the second run reads the coverages the first stored (kept at float16 precision)
    assert out.assessment.as_dict()["coalition"] == pytest.approx(direct.as_dict()["coalition"], rel=1e-3)
    assert set(out.assessment.as_dict()["channels"]) == {"loudspeaker"}
    from corridor.presentation.figures import figure_png

    png = figure_png(out, "channels", "ko")
    assert png.startswith(b"\x89PNG") and figure_png(out, "channels", "ko") is png   # drawn once


def test_the_cache_follows_the_ledger_version(db_url, grid):
    from corridor.store import make_engine, session_scope

    _ledger(db_url, speakers=1)
    cache = AssessmentCache()
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as s:
            first = cache.assess(s, draws=DRAWS, grid=grid)
            assert cache.assess(s, draws=DRAWS, grid=grid) is first            # same version: cached
            assert cache.assess(s, draws=DRAWS, grid=grid, scope="published") is not first   # another scope
        _ledger_more(db_url)
        with session_scope(engine) as s:
            second = cache.assess(s, draws=DRAWS, grid=grid)
    finally:
        engine.dispose()
    assert second is not first and second.version > first.version
    assert len(second.assessment.items) == len(first.assessment.items) + 1


def _ledger_more(url: str) -> None:
    from sqlalchemy import select

    from corridor.access.rules import Actor, Role
    from corridor.access.tables import Organisation
    from corridor.coalition import ledger
    from corridor.coalition.tables import Campaign
    from corridor.store import make_engine, session_scope

    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            org = s.execute(select(Organisation)).scalars().first()
            camp = s.execute(select(Campaign)).scalars().first()
            owner = Actor(user_id=0, roles={org.id: Role.OWNER}, label="test")
            ledger.add_activity(s, owner, camp.id, {
                "id": "late", "title": "late array", "start": "2024-07-22T13:00:00Z",
                "spec": {"lon": 127.2, "lat": 38.2, "sound_power_db": 170, "azimuth_deg": 0, "period": "night"}},
                source="test")
    finally:
        engine.dispose()


def test_one_computation_per_key_and_other_keys_do_not_wait():
    cache = SingleFlightCache(4)
    release_a = threading.Event()
    a_started = threading.Event()
    calls = {"a": 0, "b": 0}
    results = {}

    def compute_a():
        calls["a"] += 1
        a_started.set()
        assert release_a.wait(WAIT_S)
        return "A"

    def ask(name, key, compute):
        results[name] = cache.get_or_compute(key, compute)

    first = threading.Thread(target=ask, args=("a1", "a", compute_a))
    first.start()
    assert a_started.wait(WAIT_S)
    waiting = [threading.Thread(target=ask, args=(f"a{i}", "a", compute_a)) for i in (2, 3)]
    for t in waiting:
        t.start()
    # key "b" is answered while "a" is still being computed
    assert cache.get_or_compute("b", lambda: calls.__setitem__("b", calls["b"] + 1) or "B") == "B"
    assert cache.get("a") is None and "a2" not in results
    release_a.set()
    for t in (first, *waiting):
        t.join(WAIT_S)
    assert results == {"a1": "A", "a2": "A", "a3": "A"}
    assert calls == {"a": 1, "b": 1}


def test_a_failed_computation_is_not_cached():
    cache = SingleFlightCache(2)

    def boom():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", boom)
    assert cache.get_or_compute("k", lambda: 3) == 3
