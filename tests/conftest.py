"""Shared fixtures: an isolated cache and data folder, and the grids built once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The large development sets beside the repository (not needed by the product itself, absent from a
#: user's clone). ``CORRIDOR_SHARED_DIR=/nonexistent`` simulates a clone; the small reference data
#: the tests need is shipped in ``tests/<package>/data/``.
SHARED = Path(os.environ.get("CORRIDOR_SHARED_DIR") or ROOT.parent / "shared")


def needs_shared(path: Path, name: str):
    """Skip unless the development set ``name`` (at ``path``, under ``SHARED``) is present."""
    return pytest.mark.skipif(not path.exists(),
                              reason=f"needs the development set {name} beside the repository (../shared)")


@pytest.fixture(scope="session", autouse=True)
def _isolated_dirs(tmp_path_factory):
    """Keep tests away from the user's real cache and data."""
    cache = tmp_path_factory.mktemp("cache")
    data = tmp_path_factory.mktemp("data")
    old = {k: os.environ.get(k) for k in ("CORRIDOR_CACHE_DIR", "CORRIDOR_DATA_DIR")}
    os.environ["CORRIDOR_CACHE_DIR"] = str(cache)
    os.environ["CORRIDOR_DATA_DIR"] = str(data)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def grid2008():
    """The 5 km grid for the census year (built once per test run)."""
    from corridor.geo import load_grid

    return load_grid(5.0, 2008)


@pytest.fixture(scope="session")
def grid():
    """The 5 km grid scaled to 2026, the default population for channel tests."""
    from corridor.geo import load_grid

    return load_grid(5.0, 2026)


def pytest_collection_modifyitems(config, items):
    """Every test that gets a database (through ``db_url``) is marked ``db``."""
    for item in items:
        if "db_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture()
def db_url(tmp_path):
    """A fresh, empty database for one test: a SQLite file, or a new PostgreSQL schema."""
    from tests.databases import drop_database, fresh_database_url

    url = fresh_database_url(tmp_path)
    yield url
    drop_database(url)
