"""Schedules as activities, coverage over the grid, the commands, and bad input."""

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import ROOT
from corridor.channels import Activity, get_channel
from corridor.errors import CorridorError

EXAMPLE = ROOT / "examples" / "radio" / "nkrr-2010-tashkent.yaml"
EXAMPLE_CASE = ROOT / "examples" / "radio" / "nkrr-2010-tashkent-case.json"
CASE05 = Path(__file__).parent / "data" / "voacapl" / "case05.json"
BASE = {"station": "Test", "lat": 41.3, "lon": 69.2, "power_kw": 100, "frequency_khz": 7590,
        "utc_start": "13:00", "utc_end": "14:00", "jammers": "none"}


def make(**changes):
    return Activity.create("radio", {**BASE, **changes}, id="t", start=datetime(2018, 2, 15, tzinfo=timezone.utc))


@pytest.mark.parametrize("field,value", [
    ("frequency_khz", 100), ("frequency_khz", 31000), ("power_kw", 0), ("utc_start", "25:00"),
    ("month", 13), ("utc_end", "12:00"), ("lon", -69.2), ("lat", 38.5)])
def test_bad_input_names_the_field(field, value):
    changes = {field: value}
    if field == "lat":          # the Yellow Sea, west of Korea
        changes = {"lat": 37.0, "lon": 124.0}
    with pytest.raises(CorridorError) as err:
        make(**changes)
    assert err.value.field.startswith("spec")


def test_coverage_hf_with_jamming_reduces_reach(grid):
    ch = get_channel("radio")
    free = ch.coverage(make(), grid, draws=20)
    jammed = ch.coverage(make(jammers="default"), grid, draws=20)
    assert free.probability.shape == (20, grid.n_cells)
    s_free, s_jam = free.summary(grid), jammed.summary(grid)
    assert 0 < s_jam["reached_median"] < s_free["reached_median"] < s_free["population"]
    assert s_free["reached_lower90"] <= s_free["reached_median"] <= s_free["reached_upper90"]
    assert "receivers" in free.assumptions and free.extras["reliability_median"].shape == (1, grid.n_cells)


def test_mediumwave_ground_wave_by_day_sky_wave_by_night(grid):
    ch = get_channel("radio")
    mw = {**BASE, "lat": 37.22, "lon": 126.56, "frequency_khz": 1188, "power_kw": 100}
    start = datetime(2020, 12, 1, tzinfo=timezone.utc)
    day = ch.coverage(Activity.create("radio", {**mw, "utc_start": "03:00", "utc_end": "04:00"}, id="d",
                                      start=start), grid, draws=10)
    night = ch.coverage(Activity.create("radio", {**mw, "utc_start": "15:00", "utc_end": "16:00"}, id="n",
                                        start=start), grid, draws=10)
    south, north = grid.lat < 38.5, grid.lat > 41.5
    day_field, night_field = day.extras["field_dbuv"][0], night.extras["field_dbuv"][0]
    assert day_field[south].mean() > day_field[north].mean() + 20        # ground wave falls off
    assert night_field[north].mean() > day_field[north].mean() + 20      # sky wave at night
    assert night.summary(grid)["reached_median"] > day.summary(grid)["reached_median"]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "corridor", *args], capture_output=True, text=True)


def test_cli_predict_writes_reference_columns(tmp_path):
    case = json.loads(CASE05.read_text())
    case["utc_hours"] = [3, 15]
    src = tmp_path / "case.json"
    src.write_text(json.dumps(case))
    out = tmp_path / "pred.csv"
    r = _run("radio", "predict", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    header = out.read_text().splitlines()[0].split(",")
    assert header[:5] == ["lat", "lon", "utc_hour", "muf_mhz", "mode"] and len(out.read_text().splitlines()) == 1 + 667 * 2


def test_shipped_example_case_runs_and_its_curtain_gain_reaches_the_field(tmp_path):
    from corridor.channels.radio import cases

    out = tmp_path / "nkrr.csv"
    r = _run("radio", "predict", str(EXAMPLE_CASE), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert len(out.read_text().splitlines()) == 1 + 667 * 24
    case = cases.read_case(EXAMPLE_CASE)
    case["utc_hours"] = [15]
    curtain = cases.predict_case(case)
    iso = cases.predict_case(dict(case, antenna={"kind": "isotropic", "gain_dbi": 0.0}))
    gain = curtain.tx_gain_dbi.median()
    assert 15.0 < gain < 25.0 and iso.tx_gain_dbi.abs().max() == 0.0
    # the field rises by about the strongest mode's gain (other modes leave at other angles)
    assert abs((curtain.field_dbuv_per_m - iso.field_dbuv_per_m).median() - gain) < 3.0


def test_cli_bad_case_exits_2_with_one_line(tmp_path):
    case = json.loads(CASE05.read_text())
    case["month"] = 13
    src = tmp_path / "case.json"
    src.write_text(json.dumps(case))
    out = tmp_path / "pred.csv"
    r = _run("radio", "predict", str(src), "--out", str(out))
    assert r.returncode == 2 and "month" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_example_schedule_is_dated_and_sourced():
    text = EXAMPLE.read_text()
    assert "HISTORICAL" in text and "source:" in text


def test_radio_help_does_not_load_the_models():
    """``corridor radio --help`` imports the radio commands only, not the models or other groups."""
    code = ("import sys\nfrom corridor.cli import main\nsys.argv = ['corridor', 'radio', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'PyIRI', 'matplotlib', 'corridor.channels', 'sqlalchemy')"
            " if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "predict" in r.stdout and "coverage" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_top_level_help_still_lists_every_group():
    r = _run("--help")
    assert r.returncode == 0
    for name in ("demo", "import-hxl", "serve", "geo", "db", "radio", "balloon", "evidence"):
        assert name in r.stdout


@pytest.mark.parametrize("change,field", [
    (lambda c: c["transmitter"].update(lat_deg=52.0, lon_deg=5.0), "transmitter.lat_deg/lon_deg"),
    (lambda c: c["transmitter"].update(lon_deg=-69.2), "transmitter.lat_deg/lon_deg"),
    (lambda c: c["receiver"]["grid"].update(step_deg=0.01), "receiver.grid.step_deg")])
def test_a_case_beyond_the_method_or_too_large_names_the_field(change, field):
    from corridor.channels.radio import cases

    data = json.loads(EXAMPLE_CASE.read_text())
    change(data)
    with pytest.raises(CorridorError) as exc:
        cases.parse_case(data, source="case.json")
    assert exc.value.field == field and "case.json" in exc.value.one_line()
