"""Composition: the share of people exposed to each content theme, overall and by channel.

Post-stratified exactly as the channels are: the answers of
:mod:`corridor.evidence.theme_answers` go through the same cells, the same compiled MRP model,
the same frame and the same diagnostics gate (:func:`corridor.evidence.estimate.fit_share`);
only the counts are the weighted counts of that module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.evidence import mrp
from corridor.evidence.estimate import (
    ChannelEstimate,
    check_estimable,
    fit_share,
    is_synthetic,
    model_columns,
)
from corridor.evidence.frame import poststrat_frame
from corridor.evidence.theme_answers import channel_key, overall_key, theme_answers
from corridor.evidence.vocabulary import CHANNELS
from corridor.themes import vocabulary

THEME_ASSUMPTIONS = {
    "estimand": "share of civilians aged 15 and over who had ever seen or heard content of the "
                "theme by the given year: overall (through at least one channel the survey asked "
                "about content for) and through each channel",
    "question": "asked for every channel the respondent saw or heard: which kinds of content "
                "(the themes of the vocabulary, 'other', don't know, refused)",
    "model": "the channels' MRP model, frame and diagnostics gate, fitted to exposure per theme",
    "missing": "respondents with an unanswered channel or content question are left out; "
               "the rest are weighted by the inverse of their probability of having answered "
               "every content question (Little and Rubin 2019, section 3.3), assuming those "
               "non-answers are missing at random among the exposed",
    "selection": "as for channels: MRP corrects for who left, not for selection on exposure "
                 "itself; people who saw some content may be more likely to leave",
}


@dataclass
class ThemeEstimate:
    """Exposure per theme: ``overall[code]`` and ``by_channel[channel][code]``."""

    year: int
    respondents: int
    vocabulary_version: int
    channels_asked: tuple[str, ...]
    overall: dict[str, ChannelEstimate]
    by_channel: dict[str, dict[str, ChannelEstimate]] = field(default_factory=dict)
    missing_content_answers: dict[str, float] = field(default_factory=dict)
    synthetic: bool = False
    assumptions: dict = field(default_factory=lambda: dict(THEME_ASSUMPTIONS))

    def as_dict(self) -> dict:
        vocab = vocabulary()

        def one(code: str, est: ChannelEstimate) -> dict:
            return {"label_en": vocab.label(code, "en"), "label_ko": vocab.label(code, "ko"),
                    **est.as_dict()}

        return {"vocabulary_version": self.vocabulary_version,
                "channels_asked": list(self.channels_asked),
                "overall": {code: one(code, e) for code, e in self.overall.items()},
                "by_channel": {ch: {code: one(code, e) for code, e in per.items()}
                               for ch, per in self.by_channel.items()},
                "missing_content_answers": {ch: round(m, 4) for ch, m in self.missing_content_answers.items()},
                "assumptions": self.assumptions}


def estimate_themes(respondents: pd.DataFrame, year: int = 2019, *, channels=CHANNELS, themes=None,
                    by_channel: bool | tuple[str, ...] = True, draws: int = 500, tune: int = 400, seed: int = 0,
                    raking: bool = True, compiled=None, retry: bool = True,
                    progress=lambda msg: None) -> ThemeEstimate:
    """MRP share exposed to each theme by ``year``, overall and (``by_channel``) per channel.

    ``respondents``: validated canonical rows with ``<channel>_themes`` columns (see
    :mod:`corridor.evidence.theme_answers`). ``by_channel``: True for every channel asked about
    content, False for none, or the channels to estimate. Each share is a separate fit of the channels' model
    (4 chains × ``draws`` after ``tune``), gated by the same diagnostics; a share that fails the
    gate is withheld with its reasons. Seeds: ``seed + 1000 + k`` for the k-th fit.
    """
    check_estimable(respondents, year)
    vocab = vocabulary()
    themes = tuple(themes or vocab.codes)
    answers = theme_answers(respondents, [c for c in channels if f"{c}_ever" in respondents], themes)
    df = pd.concat([model_columns(respondents), answers.frame], axis=1)
    keys = [overall_key(t) for t in themes]
    per_channel = (answers.channels if by_channel is True else
                   tuple(c for c in answers.channels if by_channel and c in by_channel))
    keys += [channel_key(ch, t) for ch in per_channel for t in themes]
    cells = mrp.aggregate_cells(df, keys, weights=answers.weights)
    if compiled is None:
        progress("compiling the model")
        compiled = mrp.compile_model(cells)
    frame = poststrat_frame(year)
    fits: dict[str, ChannelEstimate] = {}
    for k, key in enumerate(keys):
        progress(f"{key} ({k + 1}/{len(keys)})")
        col = df[f"{key}_ever"]
        valid = col.isin(["yes", "no"])
        raw = float((col[valid] == "yes").mean()) if valid.any() else None
        fits[key] = fit_share(compiled, cells, key, df, frame, year, draws=draws, tune=tune,
                              seed=seed + 1000 + k, retry=retry, raking=raking, raw_share=raw)
    out = ThemeEstimate(year, len(respondents), vocab.version, answers.channels,
                        {t: fits[overall_key(t)] for t in themes},
                        missing_content_answers=answers.missing, synthetic=is_synthetic(respondents))
    out.by_channel = {ch: {t: fits[channel_key(ch, t)] for t in themes} for ch in per_channel}
    return out


def interval_covers(est: ChannelEstimate, truth: float) -> bool | None:
    """Whether the 90 % interval holds ``truth`` (None when the share was withheld)."""
    if est.share is None:
        return None
    return bool(est.lower90 <= truth <= est.upper90)


def coverage(estimates: list[ThemeEstimate], truths: list[dict[str, float]]) -> dict[str, float]:
    """Share of shown overall estimates whose 90 % interval holds the truth, per theme and ``all``.

    ``truths[i][code]`` is the true national share of survey i.
    """
    hits: dict[str, list[bool]] = {}
    for est, truth in zip(estimates, truths, strict=True):
        for code, e in est.overall.items():
            c = interval_covers(e, truth[code])
            if c is not None:
                hits.setdefault(code, []).append(c)
    out = {code: float(np.mean(h)) for code, h in hits.items()}
    every = [x for h in hits.values() for x in h]
    out["all"] = float(np.mean(every)) if every else float("nan")
    return out
