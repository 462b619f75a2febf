"""Outputs are written whole or not at all."""

import pytest

from corridor.atomic import atomic_path, write_text
from corridor.errors import CorridorError


def test_failure_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "summary.json"
    write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_map_failure_writes_nothing(tmp_path, grid, monkeypatch):
    import matplotlib.figure

    from corridor.presentation.population import population_map

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    with pytest.raises(OSError):
        population_map(grid, tmp_path / "map.png")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(CorridorError, match="does not exist"):
        with atomic_path(tmp_path / "nope" / "x.txt"):
            pass
