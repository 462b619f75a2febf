"""The contract every registered channel keeps (docs/architecture.md, "The contracts").

Parametrized over the registry (``all_channels()``) and each channel's shipped examples
(``examples/<channel>/*.yaml``), so a channel added to the registry is checked without
touching this file:

- a spec with one field broken is refused with a ``CorridorError`` naming the file and the
  field (``spec.<field>``), never a traceback;
- a coverage on a coarse grid is a probability per draw and cell (0 ≤ p ≤ 1) and reaches at
  most the grid's population, in every draw and every province;
- the coverage carries its model, a version and its assumptions, and a seed makes it
  reproducible.

The loudspeaker's own field checks (ranges, the distance to North Korea) are in
``test_contracts.py``; which channels the registry knows is in ``test_registry.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from corridor.channels import all_channels, get_channel
from corridor.channels.files import read_activity, read_mapping
from corridor.errors import CorridorError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: A coarse grid keeps every channel's coverage to a few seconds (a few hundred cells).
RESOLUTION_KM = 15.0
DRAWS = 8

CHANNELS = sorted(all_channels())


def activity_examples(channel: str) -> list[Path]:
    """The YAML activity files under ``examples/<channel>/`` that are for ``channel``."""
    return [path for path in sorted((EXAMPLES / channel).glob("*.yaml"))
            if read_mapping(path).get("channel", channel) == channel]


CASES = [pytest.param(name, path, id=f"{name}-{path.stem}")
         for name in CHANNELS for path in activity_examples(name)]


@pytest.fixture(scope="module")
def coarse_grid():
    from corridor.geo import load_grid

    return load_grid(RESOLUTION_KM, 2026)


@pytest.fixture(scope="module")
def coverages(coarse_grid):
    """One coverage per example, computed once for the tests below."""
    out = {}

    def coverage(name: str, path: Path):
        if path not in out:
            activity = read_activity(path, channel=name)
            out[path] = activity, get_channel(name).coverage(activity, coarse_grid, draws=DRAWS, seed=3)
        return out[path]

    return coverage


@pytest.mark.parametrize("name", CHANNELS)
def test_every_channel_has_an_example_and_a_strict_spec(name):
    assert activity_examples(name), f"no activity example under examples/{name}/"
    channel = get_channel(name)
    assert channel.name == name and channel.title
    assert channel.spec_model.model_config.get("extra") == "forbid"


def _refused(tmp_path: Path, name: str, data: dict, spec: dict) -> CorridorError | None:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump({**data, "spec": spec}, allow_unicode=True), encoding="utf-8")
    try:
        read_activity(path, channel=name)
    except CorridorError as exc:
        return exc
    return None


@pytest.mark.parametrize("name, example", CASES)
def test_a_broken_spec_field_is_named(tmp_path, name, example):
    data = read_mapping(example)
    spec = dict(data["spec"])
    source = str(tmp_path / "broken.yaml")
    problems = []

    def expect(what: str, broken: dict, field: str, value_shown: str | None) -> None:
        err = _refused(tmp_path, name, data, broken)
        if err is None:
            problems.append(f"{what}: accepted")
            return
        text = err.one_line()
        wanted = f"{source}: spec.{field}" + (f"={value_shown}" if value_shown else "")
        if not text.startswith(wanted):
            problems.append(f"{what}: {text!r} does not start with {wanted!r}")

    numbers = [k for k, v in spec.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert numbers, f"{example.name} has no numeric spec field to break"
    for key in numbers:                                   # a number that is not a number
        expect(f"{key}='loud'", {**spec, key: "loud"}, key, "'loud'")
    required = [k for k, info in get_channel(name).spec_model.model_fields.items() if info.is_required()]
    for key in required:                                  # a required field left out
        if key in spec:
            expect(f"without {key}", {k: v for k, v in spec.items() if k != key}, key, None)
    expect("unknown field", {**spec, "colour": "red"}, "colour", "'red'")   # a misspelt field
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name, example", CASES)
def test_a_coverage_stays_within_the_population(coarse_grid, coverages, name, example):
    activity, cov = coverages(name, example)
    assert (cov.channel, cov.activity_id, cov.grid_key) == (name, activity.id, coarse_grid.key)
    p = np.asarray(cov.probability)
    assert p.shape == (DRAWS, coarse_grid.n_cells)
    assert np.all(np.isfinite(p)) and p.min() >= 0.0 and p.max() <= 1.0
    total = coarse_grid.population.sum()
    reached = cov.people(coarse_grid)
    assert np.all(reached >= 0.0) and np.all(reached <= total * (1 + 1e-9))
    by_province = cov.people_by_province(coarse_grid)
    province_population = np.bincount(coarse_grid.province, weights=coarse_grid.population,
                                      minlength=by_province.shape[1])
    assert np.all(by_province <= province_population * (1 + 1e-9) + 1e-6)
    s = cov.summary(coarse_grid)
    assert 0.0 <= s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"] <= s["population"]


@pytest.mark.parametrize("name, example", CASES)
def test_a_coverage_carries_its_model_version_and_assumptions(coverages, name, example):
    _, cov = coverages(name, example)
    assert isinstance(cov.model, str) and cov.model.strip()
    assert isinstance(cov.version, str) and cov.version.strip()
    assert cov.assumptions, f"{name}: a coverage must say what it assumes"
    for key, text in cov.assumptions.items():
        assert isinstance(key, str) and key.strip()
        assert isinstance(text, str) and text.strip(), f"{name}: assumption {key!r} is empty"


@pytest.mark.parametrize("name", CHANNELS)
def test_a_seed_makes_a_coverage_reproducible(coarse_grid, coverages, name):
    example = activity_examples(name)[0]
    activity, first = coverages(name, example)
    again = get_channel(name).coverage(activity, coarse_grid, draws=DRAWS, seed=3)
    assert np.array_equal(first.probability, again.probability)
