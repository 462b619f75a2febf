"""Influence models: the SEM recovers a positive exposure path on synthetic data, with the caveat."""

from __future__ import annotations

from corridor.errors import CorridorError
from corridor.evidence.estimate import model_columns
from corridor.evidence.influence import SELECTION_CAVEAT, exposure_sem
from corridor.evidence.synth import add_attitudes
from corridor.geo.names import BORDER_PROVINCES


def _data(survey, effect):
    df = model_columns(add_attitudes(survey, effect=effect, seed=1).assign(urban=survey["urban"] == "urban"))
    df["border"] = df["province"].isin(BORDER_PROVINCES).astype(int)
    return df


def test_sem_finds_the_built_in_association_and_states_the_caveat(survey):
    items = ["sk_richer", "sk_free", "info_influenced_leaving"]
    chans = ["dvd", "usb_sd", "mp3_mp4", "tv"]
    strong = exposure_sem(_data(survey, 0.8), chans, items)
    none = exposure_sem(_data(survey, 0.0), chans, items)
    assert strong["caveat"] == SELECTION_CAVEAT and "more likely to leave" in strong["caveat"]
    assert strong["p_value"] < 0.01 and strong["path_exposure_to_outside_view"] > 0
    assert none["p_value"] > 0.05
    assert strong["cfi"] > 0.9 and strong["n"] > 1000


def test_influence_command_prints_intervals_and_the_caveat(tmp_path):
    import json

    from typer.testing import CliRunner

    from corridor.cli import app

    runner = CliRunner()
    path = tmp_path / "att.csv"
    res = runner.invoke(app, ["evidence", "synth", "--n", "600", "--seed", "4", "--attitudes", "--out", str(path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evidence", "influence", str(path), "--item", "sk_free", "--item", "sk_richer",
                              "--channel", "dvd", "--channel", "usb_sd", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["synthetic"] is True and "more likely to leave" in out["caveat"]
    sem = out["sem"]
    assert sem["lower90"] < sem["path_exposure_to_outside_view"] < sem["upper90"]
    logit = out["logit"]["sk_free"]
    assert logit["diagnostics"]["divergences"] == 0 and "more likely to leave" in logit["caveat"]
    for v in logit["channels"].values():
        assert 0 < v["lower90"] < v["odds_ratio"] < v["upper90"]
    text = runner.invoke(app, ["evidence", "influence", str(path), "--method", "sem"])
    assert text.exit_code == 0 and "Caveat:" in text.stdout and "SEM path" in text.stdout
    bad = runner.invoke(app, ["evidence", "influence", str(path), "--item", "no_such_item"])
    assert isinstance(bad.exception, CorridorError) and "--item" in bad.exception.one_line()
