"""Exposure per content theme by MRP: it recovers a known synthetic truth, overall and through a
channel, and shows in the evidence JSON and the console in both languages (model fits: slow)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corridor.evidence.estimate import ExposureEstimate
from corridor.evidence.synth import add_themes, draw_sample, draw_theme_truth, draw_truth
from corridor.evidence.theme_estimate import coverage, estimate_themes

THEMES = ("world_news", "entertainment", "democracy_rights")


@pytest.fixture(scope="module")
def theme_truth(truth):
    return draw_theme_truth(truth)


@pytest.fixture(scope="module")
def estimate(survey, theme_truth):
    themed = add_themes(survey, theme_truth, seed=7)
    return estimate_themes(themed.assign(urban=themed["urban"] == "urban"), 2019, themes=THEMES,
                           by_channel=("dvd",), seed=5)


def test_theme_shares_recover_the_truth_better_than_the_raw_share(estimate, theme_truth):
    true = theme_truth.shares(2019)
    covered, err_mrp, err_raw = 0, [], []
    for code in THEMES:
        e = estimate.overall[code]
        assert e.share is not None, e.refused_because
        assert e.diagnostics["rhat_max"] <= 1.01 and e.diagnostics["divergences"] == 0
        t = true["overall"][code]["national"]
        covered += e.lower90 <= t <= e.upper90
        err_mrp.append(abs(e.share - t))
        err_raw.append(abs(e.raw_share - t))
        assert 0 <= e.lower90 <= e.share <= e.upper90 <= 1 and e.upper90 - e.lower90 < 0.25
    assert covered >= 2
    assert np.mean(err_mrp) < np.mean(err_raw)
    dvd = estimate.by_channel["dvd"]
    assert set(estimate.by_channel) == {"dvd"}
    assert sum(dvd[c].lower90 <= true["by_channel"]["dvd"][c]["national"] <= dvd[c].upper90 for c in THEMES) >= 2
    # through one channel never more than through any channel
    assert all(dvd[c].share <= estimate.overall[c].upper90 for c in THEMES)


def test_the_themes_block_sits_beside_the_channels_in_the_evidence_json(estimate):
    est = ExposureEstimate(2019, estimate.respondents, {}, synthetic=True)
    est.themes = estimate
    out = json.loads(json.dumps(est.as_dict()))
    assert {"year", "respondents", "channels", "assumptions", "themes", "synthetic"} == set(out)
    block = out["themes"]
    assert block["vocabulary_version"] == 1 and len(block["channels_asked"]) == 9
    wn = block["overall"]["world_news"]
    assert wn["label_ko"] == "국제 뉴스" and {"share", "lower90", "upper90", "raw_share", "rhat_max",
                                           "ess_bulk_min", "divergences", "respondents_valid"} <= set(wn)
    assert set(block["by_channel"]["dvd"]) == set(THEMES)
    assert "missing at random" in block["assumptions"]["missing"]
    assert "more likely to leave" in block["assumptions"]["selection"]


def test_console_prints_the_themes_in_korean_and_english(estimate, capsys):
    from corridor.cli.evidence import _print_estimate

    est = ExposureEstimate(2019, estimate.respondents, {}, synthetic=True)
    est.themes = estimate
    _print_estimate(est, "ko")
    ko = capsys.readouterr().out
    assert "국제 뉴스" in ko and "민주주의·인권·법" in ko and "주제 어휘 버전 1" in ko and "DVD·CD·VCD 경로로" in ko
    assert "무작위라고 가정함" in ko
    _print_estimate(est, "en")
    en = capsys.readouterr().out
    assert "World news" in en and "through DVD / CD / VCD:" in en and "theme vocabulary version 1" in en


def test_a_few_surveys_cover_the_truth_most_of_the_time():
    """The bench's check in small: three surveys, two themes; at least four of six intervals hold
    the truth (at a true 90 % that fails about 2 % of the time; at 50 % about two times in three)."""
    ests, truths = [], []
    for seed in (41, 42, 43):
        truth = draw_truth(seed)
        theme_truth = draw_theme_truth(truth)
        sample = add_themes(draw_sample(truth, 1500, seed=seed), theme_truth, seed=seed)
        ests.append(estimate_themes(sample.assign(urban=sample["urban"] == "urban"), 2019,
                                    themes=("south_korea_news", "religion"), by_channel=False,
                                    raking=False, seed=seed))
        truths.append({c: v["national"] for c, v in theme_truth.shares(2019)["overall"].items()})
    cov = coverage(ests, truths)
    assert cov["all"] >= 4 / 6, cov


def test_influence_by_theme_gives_gated_odds_ratios_with_both_caveats(survey, theme_truth):
    from corridor.evidence.influence import influence_by_theme
    from corridor.evidence.synth import add_attitudes

    data = add_themes(add_attitudes(survey, effect=0.8, seed=1), theme_truth, seed=7)
    out = influence_by_theme(data.assign(urban=data["urban"] == "urban"), items=["sk_richer"],
                             themes=("south_korea_news", "religion"), seed=2)
    assert out["themes"] == ["south_korea_news", "religion"]
    res = out["logit"]["sk_richer"]
    assert res["diagnostics"]["divergences"] == 0 and res["diagnostics"]["rhat_max"] <= 1.01
    assert set(res["themes"]) == {"south_korea_news", "religion"}
    for v in res["themes"].values():
        assert 0 < v["lower90"] <= v["odds_ratio"] <= v["upper90"]
    # attitudes rise with the number of channels seen, and news of the South comes through most of
    # them: its association is positive
    assert res["themes"]["south_korea_news"]["lower90"] > 1
    assert "more likely to leave" in out["caveat"] and "held fixed" in out["caveat"]
