"""``corridor balloon`` as a user runs it: real processes, real exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests import cli_runner
from tests.cli_runner import assert_user_error
from corridor.channels.balloon.legal import LEGAL_NOTICE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "balloon"
#: One Tawhiri reference flight (see data/README.md), on the field of the shipped sample.
F05 = Path(__file__).parent / "data" / "tawhiri" / "F05.json"


def run_process(*args):
    """A real ``corridor balloon`` process, as a user runs it."""
    return cli_runner.run_process("balloon", *args, timeout=600)


@pytest.fixture
def run(capsys, monkeypatch):
    """The same command line in this process (``corridor.cli.main``), to keep the tests fast."""
    from corridor.cli import main

    def _run(*args):
        monkeypatch.setattr(sys, "argv", ["corridor", "balloon", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return _run




def test_predict_writes_the_reference_columns_and_matches_tawhiri(tmp_path, run):
    from corridor.channels.balloon.samples import sample_path

    # the shipped sample is reference field B cut to Korea: it holds every cell F05 reads
    out = tmp_path / "F05.csv"
    proc = run("predict", str(F05), "--wind", str(sample_path("rotating-2011-10-11")), "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["legal_notice"] == LEGAL_NOTICE
    ours = pd.read_csv(out)
    ref = json.loads(F05.read_text())["trajectory"]["rows"]
    assert list(ours.columns) == ["stage", "time_unix_s", "elapsed_s", "latitude_deg", "longitude_deg", "altitude_m"]
    assert len(ours) == len(ref)
    assert abs(ours.latitude_deg.iloc[-1] - ref[-1][3]) < 1e-6 and abs(ours.longitude_deg.iloc[-1] - ref[-1][4]) < 1e-6


def test_bad_flights_are_one_line_errors_and_write_nothing(tmp_path, run):
    flight = json.loads((EXAMPLES / "float-flight.json").read_text())
    out = tmp_path / "track.csv"
    high = dict(flight, inputs=dict(flight["inputs"], float_altitude_m=15000.0))
    (tmp_path / "high.json").write_text(json.dumps(high))
    assert_user_error(run_process("predict", str(tmp_path / "high.json"), "--wind", "gfs-2011-01-15", "--out", str(out)),
                      "high.json", "float_altitude_m=15000.0", "top level")
    far = dict(flight, inputs=dict(flight["inputs"], launch_time_utc="2012-05-01T00:00:00Z"))
    (tmp_path / "far.json").write_text(json.dumps(far))
    assert_user_error(run("predict", str(tmp_path / "far.json"), "--wind", "rotating-2011-10-11", "--out", str(out)),
                      "far.json", "inputs.launch_time_utc", "2012-05-01", "time range")
    assert not out.exists()


def test_wind_without_v_and_negative_counts_are_refused(tmp_path, run):
    from corridor.channels.balloon.samples import open_sample

    open_sample("gfs-2011-01-15").drop_vars("v").isel(member=0).to_netcdf(tmp_path / "no_v.nc")
    assert_user_error(run("launch", str(EXAMPLES / "paju-january.yaml"), "--wind", str(tmp_path / "no_v.nc")),
                      "no_v.nc", "v")
    text = (EXAMPLES / "paju-january.yaml").read_text().replace("balloons: 20", "balloons: -3")
    (tmp_path / "neg.yaml").write_text(text)
    assert_user_error(run("launch", str(tmp_path / "neg.yaml")), "neg.yaml", "spec.balloons=-3")
    text = (EXAMPLES / "paju-southerly.yaml").read_text().replace("timers_h: [2, 3, 4]", "timers_h: [2, 3, 47]")
    (tmp_path / "late.yaml").write_text(text)
    assert_user_error(run("launch", str(tmp_path / "late.yaml")), "late.yaml", "timers_h", "after the wind field")


def test_unknown_site_and_wind_name_the_file_field_and_the_choices(tmp_path, run):
    text = (EXAMPLES / "paju-january.yaml").read_text().replace("site: paju", "site: seoul")
    (tmp_path / "seoul.yaml").write_text(text)
    assert_user_error(run("launch", str(tmp_path / "seoul.yaml")), "seoul.yaml", "spec.site", "seoul", "imjingak")
    assert_user_error(run("launch", str(EXAMPLES / "paju-january.yaml"), "--wind", "gfs-2024-01-01"),
                      "--wind", "gfs-2024-01-01", "gfs-2011-01-15", "rotating-2011-10-11")
    text = (EXAMPLES / "paju-january.yaml").read_text().replace("wind: gfs-2011-01-15", "wind: gfs-2099")
    (tmp_path / "nowind.yaml").write_text(text)
    assert_user_error(run("launch", str(tmp_path / "nowind.yaml")), "spec.wind", "gfs-2099")


def test_the_wind_assumption_describes_the_field_used(run):
    one = json.loads(run("launch", str(EXAMPLES / "paju-january.yaml"), "--draws", "10", "--json").stdout)
    many = json.loads(run("launch", str(EXAMPLES / "paju-southerly.yaml"), "--draws", "10", "--json").stdout)
    assert "one time step, held constant in time" in one["assumptions"]["wind"]
    assert "held constant" not in many["assumptions"]["wind"]
    assert "time steps, linear in time" in many["assumptions"]["wind"]


def test_launch_json_puts_the_south_first_with_intervals(run):
    proc = run("launch", str(EXAMPLES / "paju-january.yaml"), "--draws", "20", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data["leaflet_share"])[0] == "south"
    south = data["leaflet_share"]["south"]
    assert south["lower90"] <= south["median"] <= south["upper90"] and south["median"] > 0.3
    assert data["people_finding_a_leaflet"]["reached_median"] == 0
    assert data["legal_notice"] == LEGAL_NOTICE


def test_windows_scan_every_hour_of_the_field(tmp_path, run):
    out = tmp_path / "w.png"
    proc = run("windows", "--site", "paju", "--wind", "rotating-2011-10-11", "--balloons", "8",
               "--timers", "2,3", "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    hours = data["hours"]
    assert len(hours) == 46                          # 00Z 11th .. 21Z 12th: the last timer stays inside the field
    assert hours[0]["south"] > 0.8 and hours[-1]["north"] > 0.7   # winds turn from NW to SE
    assert out.stat().st_size > 50_000
    assert_user_error(run("windows", "--site", "seoul", "--wind", "gfs-2011-01-15"), "--site='seoul'")


def test_charts_in_korean_and_an_unknown_language_is_refused(tmp_path, run):
    from corridor.channels.balloon.legal import LEGAL_NOTICE_SHORT
    from corridor.i18n import gettext

    # every fixed label of the charts has a Korean translation in balloon.po
    for msg in (LEGAL_NOTICE_SHORT, "Launch site", "Share of leaflets landing (%)", "Launch time (UTC)",
                "Where the leaflets land: {title}", "Balloon launch windows from {site}"):
        assert gettext("ko", msg) != msg and any("\uac00" <= ch <= "\ud7a3" for ch in gettext("ko", msg))
    out = tmp_path / "w-ko.png"
    proc = run("windows", "--site", "paju", "--wind", "rotating-2011-10-11", "--balloons", "5",
               "--timers", "2", "--out", str(out), "--lang", "ko", "--json")
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 50_000
    assert_user_error(run("launch", str(EXAMPLES / "paju-january.yaml"), "--lang", "fr"), "--lang='fr'")


def test_balloon_help_shows_the_legal_notice_without_loading_the_models():
    """``corridor balloon --help`` needs only the legal notice, not NumPy models, pandas or Numba."""
    code = ("import sys\nfrom corridor.cli import main\nsys.argv = ['corridor', 'balloon', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'numba', 'xarray', 'corridor.channels.balloon.channel')"
            " if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "launch" in r.stdout and "windows" in r.stdout and "Aviation Safety Act" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "[]"
