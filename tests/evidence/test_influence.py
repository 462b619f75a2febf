"""Influence models: the SEM recovers a positive exposure path on synthetic data, with the caveat."""

from __future__ import annotations

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
