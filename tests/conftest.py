"""Shared fixtures: an isolated cache and data folder, the grids built once per run, fresh
databases, cheap password hashing, and the test tiers (markers given by what a test uses).

Tiers (markers declared in ``pyproject.toml``):

- ``make check`` runs ``-m "not (slow or fit or server or browser)"``: everything but model fits,
  live servers, browsers and the demo, in about a minute;
- ``make test`` runs everything.

Most markers are given here, from what a test uses, so that test files need no marker of their
own: ``db`` for a test that gets a database (``db_url``), ``browser`` for a module that drives
Chromium, ``server`` for one that starts a live server, and the node ids in :data:`TIERS`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fast_hashing import fast_argon2  # noqa: F401  (an autouse fixture: cheap Argon2 in every test)

ROOT = Path(__file__).resolve().parents[1]
#: The large development sets beside the repository (not needed by the product itself, absent from a
#: user's clone). ``CORRIDOR_SHARED_DIR=/nonexistent`` simulates a clone; the small reference data
#: the tests need is shipped in ``tests/<package>/data/``.
SHARED = Path(os.environ.get("CORRIDOR_SHARED_DIR") or ROOT.parent / "shared")


def needs_shared(path: Path, name: str):
    """Skip unless the development set ``name`` (at ``path``, under ``SHARED``) is present."""
    return pytest.mark.skipif(not path.exists(),
                              reason=f"needs the development set {name} beside the repository (../shared)")


#: Tests put in a tier by name (a file, a test, or a test with all its parameters), for what the
#: rules in :func:`pytest_collection_modifyitems` cannot see. ``fit``: samples a statistical
#: model; ``server``: starts ``corridor serve``; ``slow``: two seconds or more of other work on a
#: 2-core machine (a command-line process drawing maps, a whole coalition filled and backed up,
#: a fine grid, a network time-out, the demo).
TIERS: dict[str, str] = {
    "tests/assess/test_demo.py": "slow",
    "tests/cli/test_geo_cli.py": "slow",
    "tests/ops/test_backup.py": "slow",
    "tests/channels/test_contract.py::test_a_coverage_carries_its_model_version_and_assumptions[satellite-koreasat-116e]":
        "slow",
    "tests/archive/test_consent.py::test_each_consent_allows_its_own_use_only": "slow",
    "tests/archive/test_backup.py::test_damaged_backup_fails_cleanly_and_leaves_the_archive_untouched": "slow",
    "tests/cli/test_locale.py::test_a_korean_locale_makes_channel_commands_answer_in_korean": "slow",
    "tests/evidence/test_mrp.py": "fit",
    "tests/evidence/test_theme_estimate.py": "fit",
    "tests/evidence/test_themes.py::test_weighting_removes_the_follow_up_non_response_bias": "slow",
    "tests/evidence/test_themes.py::test_kobo_and_odk_exports_bring_the_content_answers_into_the_store": "slow",
    "tests/evidence/test_theme_cli.py::test_bad_theme_options_name_the_option": "slow",
    "tests/border/test_calibration.py::test_a_small_inference_recovers_a_known_series": "fit",
    "tests/evidence/test_influence.py::test_influence_command_prints_intervals_and_the_caveat": "fit",
    "tests/evidence/test_influence.py::test_sem_finds_the_built_in_association_and_states_the_caveat": "fit",
    "tests/cli/test_coalition_cli.py::test_killing_the_server_during_an_import_leaves_the_database_consistent": "server",
    "tests/cli/test_coalition_cli.py::test_admin_commands_end_to_end": "slow",
    "tests/attacks/test_public_schedule_upload.py::test_without_a_day_the_dashboard_shows_a_day_the_public_season_covers":
        "slow",
    "tests/evidence/test_cli.py::test_import_reports_rejected_rows_and_exits_2": "slow",
    "tests/evidence/test_cli.py::test_estimate_bad_year_and_missing_file": "slow",
    "tests/evidence/test_storage.py::test_round_trip_through_the_store": "slow",
    "tests/balloon/test_cli.py::test_bad_flights_are_one_line_errors_and_write_nothing": "slow",
    "tests/balloon/test_cli.py::test_the_wind_assumption_describes_the_field_used": "slow",
    "tests/balloon/test_channel.py::test_southerly_launch_reaches_people_in_the_north": "slow",
    "tests/balloon/test_channel.py::test_january_launch_lands_in_the_south_and_reaches_nobody": "slow",
    "tests/attacks/test_spec_files.py::test_a_stored_file_reference_is_skipped_not_opened": "slow",
    "tests/attacks/test_spec_files.py::test_the_assessment_names_the_skipped_activity": "slow",
    "tests/attacks/test_collision_probe.py::test_probing_activities_do_not_rebuild_a_private_slot": "slow",
    "tests/attacks/test_collision_probe.py::test_the_victim_sees_every_probe_that_matched": "slow",
    "tests/archive/test_backup.py::test_round_trip_is_equal_record_for_record": "slow",
    "tests/archive/test_attacker.py::test_unsealing_needs_the_reviewer_role_and_is_audited": "slow",
    "tests/geo/test_grid.py::test_pyongyang_holds_the_densest_cells[1.0]": "slow",
    "tests/radio/test_landscape.py::test_landscape_map_is_written": "slow",
    "tests/radio/test_channel.py::test_mediumwave_ground_wave_by_day_sky_wave_by_night": "slow",
    "tests/channels/test_contract.py::test_a_coverage_stays_within_the_population[satellite-koreasat-116e]": "slow",
}

#: Names a test module imports to start a server or a browser (from ``tests/web/browser.py``).
_SERVER_NAMES = ("live_server",)
_BROWSER_NAMES = ("chromium_page",)


def _tier_marks(item) -> set[str]:
    marks = set()
    if "db_url" in getattr(item, "fixturenames", ()):
        marks.add("db")
    module = getattr(item, "module", None)
    names = vars(module) if module is not None else {}
    if any(n in names for n in _BROWSER_NAMES):
        marks.add("browser")
    if any(n in names for n in _SERVER_NAMES):
        marks.add("server")
    for name, mark in TIERS.items():
        if item.nodeid == name or (item.nodeid.startswith(name) and item.nodeid[len(name)] in ":["):
            marks.add(mark)
    if "browser" in marks or "browser" in {m.name for m in item.iter_markers()}:
        marks.add("server")   # every browser test serves the app
    return marks


#: Files that take longest, run first so that the test processes finish together (longest job
#: first); every other file keeps its place.
HEAVY_FIRST = ("tests/assess/test_demo.py", "tests/evidence/test_mrp.py", "tests/evidence/test_theme_estimate.py",
               "tests/cli/test_coalition_cli.py", "tests/radio/test_landscape.py", "tests/ops/test_backup.py",
               "tests/evidence/test_influence.py")


def pytest_collection_modifyitems(config, items):
    """Give each test the tier markers of what it uses (see the module notes), and put the
    heaviest files first (pytest-xdist hands out whole files in this order)."""
    for item in items:
        for mark in _tier_marks(item):
            item.add_marker(getattr(pytest.mark, mark))
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session", autouse=True)
def _isolated_dirs(tmp_path_factory):
    """Keep tests away from the user's real cache and data, and speak English unless a test asks
    for Korean (the console follows the machine's locale otherwise: see corridor.settings)."""
    cache = tmp_path_factory.mktemp("cache")
    data = tmp_path_factory.mktemp("data")
    old = {k: os.environ.get(k) for k in ("CORRIDOR_CACHE_DIR", "CORRIDOR_DATA_DIR", "CORRIDOR_LANG")}
    os.environ["CORRIDOR_CACHE_DIR"] = str(cache)
    os.environ["CORRIDOR_DATA_DIR"] = str(data)
    os.environ["CORRIDOR_LANG"] = "en"
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


#: Fixtures that bring ``db_url`` to the latest schema as their first step: a test that uses one
#: gets a copy of a migrated template instead (the same database, made in milliseconds).
MIGRATING_FIXTURES = frozenset({"app", "engine"})


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory, _isolated_dirs):
    """A database at the latest schema, migrated once per test process, to be copied."""
    from tests.databases import drop_database, make_template

    url = make_template(tmp_path_factory.mktemp("db-template"))
    yield url
    drop_database(url)


@pytest.fixture()
def db_url(request, tmp_path):
    """A fresh database for one test: a SQLite file, or a new PostgreSQL schema or database.

    Empty, unless the test also uses a fixture that migrates it anyway (:data:`MIGRATING_FIXTURES`):
    then it is already at the latest schema.
    """
    from tests.databases import drop_database, fresh_database_url, migrated_database_url

    if MIGRATING_FIXTURES & set(request.fixturenames):
        url = migrated_database_url(request.getfixturevalue("migrated_template"), tmp_path)
    else:
        url = fresh_database_url(tmp_path)
    yield url
    drop_database(url)
