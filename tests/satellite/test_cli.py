"""``corridor satellite coverage``: JSON output, the map, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path


from tests.cli_runner import run_in_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "satellite" / "koreasat-116e.yaml"


run = run_in_process


def test_json_and_map(monkeypatch, capsys, tmp_path, grid):
    png = tmp_path / "sat.png"
    code, out, _ = run(monkeypatch, capsys, "satellite", "coverage", EXAMPLE, "--dish-cm", "60",
                       "--draws", "50", "--out", png, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["reached_lower90"] <= data["reached_median"] <= data["reached_upper90"] <= data["population"]
    assert data["dish_cm"] == 60 and data["datacast"]["bit_rate_mbps"] > 10
    assert png.stat().st_size > 50_000


def test_dish_of_zero_exit_2(monkeypatch, capsys, tmp_path):
    png = tmp_path / "never.png"
    code, _, err = run(monkeypatch, capsys, "satellite", "coverage", EXAMPLE, "--dish-cm", "0", "--out", png)
    assert code == 2 and "--dish-cm" in err and len(err.strip().splitlines()) == 1
    assert not png.exists()


def test_slot_below_horizon_exit_2(monkeypatch, capsys, tmp_path):
    text = EXAMPLE.read_text().replace("slot_lon_deg: 116.0", "slot_lon_deg: -30.0")
    path = tmp_path / "atlantic.yaml"
    path.write_text(text)
    code, _, err = run(monkeypatch, capsys, "satellite", "coverage", path)
    assert code == 2 and "horizon" in err and "atlantic.yaml" in err and "Traceback" not in err
