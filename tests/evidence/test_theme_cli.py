"""``corridor evidence`` with content themes: synthetic answers with their truth, and bad options."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from corridor.cli import app
from corridor.evidence.vocabulary import CHANNELS
from corridor.themes import vocabulary

runner = CliRunner()


def test_synth_writes_content_answers_and_their_truth(tmp_path):
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["evidence", "synth", "--n", "400", "--seed", "3", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    for ch in CHANNELS:
        assert (df[f"{ch}_themes"].notna() == (df[f"{ch}_ever"] == "yes")).all()
    truth = json.loads((tmp_path / "s.truth.json").read_text(encoding="utf-8"))["themes"]
    assert truth["vocabulary_version"] == vocabulary().version
    assert set(truth["overall"]) == set(vocabulary().codes) and set(truth["by_channel"]) == set(CHANNELS)
    plain = tmp_path / "p.csv"
    res = runner.invoke(app, ["evidence", "synth", "--n", "50", "--no-themes", "--out", str(plain)])
    assert res.exit_code == 0, res.output
    assert not [c for c in pd.read_csv(plain).columns if c.endswith("_themes")]
    assert "themes" not in json.loads((tmp_path / "p.truth.json").read_text(encoding="utf-8"))


def test_bad_theme_options_name_the_option(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("respondent_id,sex,birth_year,province,urban,year_left,radio_ever\n"
                    "a,female,1980,Ryanggang,urban,2010,yes\n", encoding="utf-8")
    for args, field in ((["estimate", "--themes", "some"], "--themes='some'"),
                        (["estimate", "--lang", "fr"], "--lang='fr'"),
                        (["influence", "--by", "content"], "--by='content'")):
        res = subprocess.run([sys.executable, "-c", "from corridor.cli import main; main()", "evidence",
                              args[0], str(path), *args[1:]], capture_output=True, text=True, check=False)
        assert res.returncode == 2 and field in res.stderr and "Traceback" not in res.stderr, res.stderr
