"""The ``corridor evidence`` commands, through the real command line entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from corridor.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def corridor(*args, **kw):
    """Run the real console entry point in a fresh interpreter."""
    return subprocess.run([sys.executable, "-c", "from corridor.cli import main; main()", *args],
                          capture_output=True, text=True, **kw)


def test_synth_writes_labelled_csv_and_truth(tmp_path):
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["evidence", "synth", "--n", "300", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["synthetic"] is True and info["respondents"] == 300
    df = pd.read_csv(out)
    assert len(df) == 300 and df["study"].str.contains("SYNTHETIC").all()
    truth = json.loads((tmp_path / "s.truth.json").read_text())
    assert truth["synthetic"] is True and set(truth["channels"]) == set(info["true_national_share"])


def test_import_reports_rejected_rows_and_exits_2(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("respondent_id,sex,birth_year,province,urban,year_left,radio_ever\n"
                 "a,female,1980,Ryanggang,urban,2010,yes\nb,female,1980,Pyongyan,urban,2010,often\n")
    res = corridor("evidence", "import", str(p), env={"CORRIDOR_DATA_DIR": str(tmp_path), "PATH": ""})
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and "r.csv" in last and "nothing imported" in last
    assert "did you mean 'Pyongyang'" in res.stderr and "radio_ever" in res.stderr
    assert not (tmp_path / "corridor.db").exists()       # nothing was written
    ok = corridor("evidence", "import", str(p), "--skip-invalid", "--json",
                  env={"CORRIDOR_DATA_DIR": str(tmp_path), "PATH": ""})
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["imported"] == 1


def test_estimate_bad_year_and_missing_file(tmp_path):
    res = corridor("evidence", "estimate", str(tmp_path / "none.csv"))
    assert res.returncode == 2 and "file not found" in res.stderr
    p = tmp_path / "r.csv"
    p.write_text("respondent_id,sex,birth_year,province,urban,year_left,radio_ever\n"
                 "a,female,1980,Ryanggang,urban,2010,yes\n")
    res = corridor("evidence", "estimate", str(p), "--year", "1950")
    assert res.returncode == 2 and "--year" in res.stderr and "Traceback" not in res.stderr
