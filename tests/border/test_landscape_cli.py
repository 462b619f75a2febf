"""``corridor border landscape`` and ``corridor border calibrate``: JSON, chart, Korean, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.border.tables import edited_table
from tests.cli_runner import run_in_process as run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "border" / "hyesan-usb.yaml"


def test_landscape_json_has_the_issue_keys(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "border", "landscape", "--json")
    assert code == 0
    data = json.loads(out)
    assert "2010" in data["years"] and len(data["years"]) == 27
    assert {"exposed_median", "exposed_lower90", "exposed_upper90"} <= set(data["years"]["2010"])
    for row in data["published"]:
        assert {"study", "year", "figure", "model_median", "inside90"} <= set(row)


def test_landscape_one_year_with_chart_in_korean(monkeypatch, capsys, tmp_path):
    png = tmp_path / "landscape.png"
    code, out, _ = run(monkeypatch, capsys, "border", "landscape", "--year", "2015", "--out", png, "--lang", "ko")
    assert code == 0
    assert "외부 영상을 본 적이 있는 성인 비율" in out and "2015:" in out and "2014:" not in out
    assert "함경북도" in out                     # provinces for one year, in Korean
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 50_000


@pytest.mark.parametrize("args,needle", [(("--year", "1990"), "--year=1990"),
                                         (("--lang", "fr"), "--lang"),
                                         (("--posterior", "missing.npz"), "missing.npz")])
def test_landscape_bad_options_exit_2(monkeypatch, capsys, tmp_path, args, needle):
    png = tmp_path / "never.png"
    code, _, err = run(monkeypatch, capsys, "border", "landscape", *args, "--out", png)
    assert code == 2 and needle in err and "Traceback" not in err
    assert not png.exists()


@pytest.mark.parametrize("option,name,column,value", [
    ("--targets", "exposure_targets.csv", "share", "1.5"),
    ("--targets", "exposure_targets.csv", "exposure_to", "2040"),
    ("--priors", "national_priors.csv", "low", "9e9"),
])
def test_calibrate_refuses_bad_tables_before_any_work(monkeypatch, capsys, tmp_path, option, name, column, value):
    out = tmp_path / "post.npz"
    bad = edited_table(tmp_path, name, 0, column, value)
    code, _, err = run(monkeypatch, capsys, "border", "calibrate", option, bad, "--out", out)
    assert code == 2 and name in err and f"{column}=" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("args,needle", [(("--draws", "10"), "--draws"), (("--out", "post.csv"), "--out")])
def test_calibrate_bad_options_exit_2(monkeypatch, capsys, args, needle):
    code, _, err = run(monkeypatch, capsys, "border", "calibrate", *args)
    assert code == 2 and needle in err


def test_spread_reports_the_reach_it_shows(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "border", "spread", EXAMPLE, "--days", "20", "--draws", "30",
                       "--reach", "first_time", "--resolution-km", "15", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["reach"] == "first_time" and data["background_year"] == 2026
    assert data["first_time"]["median"] <= data["new_content"]["median"]
    assert data["reached_median"] == pytest.approx(data["first_time"]["median"], rel=0.05)
    code, _, err = run(monkeypatch, capsys, "border", "spread", EXAMPLE, "--reach", "everyone")
    assert code == 2 and "--reach" in err
