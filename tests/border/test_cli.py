"""``corridor border spread``: JSON output, the map, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_in_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "border" / "hyesan-usb.yaml"


run = run_in_process


def test_json_and_map(monkeypatch, capsys, tmp_path, grid):
    png = tmp_path / "hyesan.png"
    code, out, _ = run(monkeypatch, capsys, "border", "spread", EXAMPLE, "--days", "30", "--draws", "60",
                       "--out", png, "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("reached_median", "reached_lower90", "reached_upper90", "population"):
        assert isinstance(data[key], float)
    assert data["reached_lower90"] <= data["reached_median"] <= data["reached_upper90"] <= data["population"]
    assert data["days"] == 30 and len(data["reached_by_day_median"]) == 31
    assert png.stat().st_size > 50_000 and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("spec,needle", [
    ("crossing: Panmunjom\ndevices: 10\ncontent_gb: 4\n", "spec.crossing"),
    ("crossing: hyesan\ndevices: -3\ncontent_gb: 4\n", "spec.devices"),
])
def test_bad_shipments_exit_2(monkeypatch, capsys, tmp_path, spec, needle):
    path = tmp_path / "bad.yaml"
    path.write_text("start: 2026-01-01\nspec:\n" + "".join("  " + line + "\n" for line in spec.splitlines()))
    png = tmp_path / "never.png"
    code, out, err = run(monkeypatch, capsys, "border", "spread", path, "--out", png)
    assert code == 2 and needle in err and "bad.yaml" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not png.exists()


def test_date_out_of_range_exit_2(monkeypatch, capsys, tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("start: 1999-05-01\nspec:\n  crossing: hyesan\n  devices: 10\n  content_gb: 4\n")
    code, _, err = run(monkeypatch, capsys, "border", "spread", path)
    assert code == 2 and "start" in err and "2008" in err


def test_days_out_of_range_exit_2(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "border", "spread", EXAMPLE, "--days", "0")
    assert code == 2 and "--days" in err
