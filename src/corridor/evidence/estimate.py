"""Composition: from validated respondents to post-stratified exposure estimates per channel.

The statistics live in plain functions (:mod:`~corridor.evidence.mrp`,
:mod:`~corridor.evidence.raking`, :mod:`~corridor.evidence.diagnostics`); this module runs them
in order for each channel and packs the result, with its assumptions, into an
:class:`ExposureEstimate`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.errors import CorridorError
from corridor.evidence import mrp
from corridor.evidence.diagnostics import diagnose
from corridor.evidence.frame import poststrat_frame
from corridor.evidence.raking import raked_share
from corridor.evidence.vocabulary import CHANNELS, age_group_index
from corridor.geo.names import PROVINCES

ASSUMPTIONS = {
    "estimand": "share of civilians aged 15 and over who had ever been exposed to the channel "
                "by the given year (post-stratified to the 2008 census, scaled to the UN total)",
    "model": "per channel, a hierarchical logistic regression on cell counts (province effects "
             "with a border-province predictor; sex, urban/rural, age group, departure-year "
             "trend), fitted in PyMC with nutpie; dont_know and refused answers left out",
    "frame": "2008 census province x sex x urban/rural; age split by the national age and sex "
             "structure (same in every province); 2008 cell shares kept",
    "selection": "MRP corrects for who left (province, sex, urban/rural, age, year) but not for "
                 "selection on exposure itself: people exposed to outside media may be more "
                 "likely to leave, so shares may be overstated",
}


@dataclass
class ChannelEstimate:
    """One channel's result; ``share`` etc. are None when the diagnostics gate failed."""

    channel: str
    raw_share: float | None
    respondents_valid: int
    share: float | None = None
    lower90: float | None = None
    upper90: float | None = None
    provinces: dict[str, dict] = field(default_factory=dict)
    diagnostics: dict = field(default_factory=dict)
    refused_because: list[str] = field(default_factory=list)
    raking: dict | None = None
    seconds: float = 0.0
    attempts: int = 1
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {"raw_share": _r(self.raw_share), "share": _r(self.share), "lower90": _r(self.lower90),
               "upper90": _r(self.upper90), **self.diagnostics,
               "respondents_valid": self.respondents_valid}
        if self.refused_because:
            out["not_shown_because"] = "; ".join(self.refused_because)
        return out


@dataclass
class ExposureEstimate:
    """Per channel (and province) posterior of the share exposed, with diagnostics."""

    year: int
    respondents: int
    channels: dict[str, ChannelEstimate]
    synthetic: bool = False
    assumptions: dict = field(default_factory=lambda: dict(ASSUMPTIONS))
    #: Exposure per content theme (:class:`corridor.evidence.theme_estimate.ThemeEstimate`), or None.
    themes: object | None = None

    def as_dict(self) -> dict:
        out = {"year": self.year, "respondents": self.respondents,
               "channels": {k: v.as_dict() for k, v in self.channels.items()},
               "assumptions": self.assumptions}
        if self.themes is not None:
            out["themes"] = self.themes.as_dict()
        if self.synthetic:
            out["synthetic"] = True
        return out


def _r(x):
    return None if x is None else round(float(x), 4)


def model_columns(respondents: pd.DataFrame) -> pd.DataFrame:
    """Add the model's codes to validated respondents (province index, 0/1 sex and urban, age group)."""
    df = respondents.copy()
    df["province_index"] = [PROVINCES.index(p) for p in df["province"]]
    df["female"] = (df["sex"] == "female").astype(int)
    df["urban"] = df["urban"].astype(int)
    df["age_index"] = age_group_index(df["year_left"] - df["birth_year"])
    return df


def check_estimable(respondents: pd.DataFrame, year: int) -> None:
    """An estimate for ``year`` needs respondents, and some who left within 5 years of it."""
    if len(respondents) == 0:
        raise CorridorError("no respondents to estimate from", field="respondents", value=0)
    years = respondents["year_left"]
    if year < years.min() - 5 or year > years.max() + 5:
        raise CorridorError(f"no respondent left within 5 years of it (they left "
                            f"{years.min()}–{years.max()})", field="--year", value=year)


def estimate_exposure(respondents: pd.DataFrame, year: int = 2019, *, channels=CHANNELS,
                      draws: int = 500, tune: int = 400, seed: int = 0, raking: bool = True,
                      compiled=None, retry: bool = True,
                      progress=lambda msg: None) -> ExposureEstimate:
    """MRP estimate of the share exposed by ``year`` for each channel, gated by diagnostics.

    ``respondents`` are validated canonical rows (see :func:`corridor.evidence.canonical.read_canonical`).
    Each channel is sampled with 4 chains × ``draws`` after ``tune`` steps (500 after 400: the
    smallest effective sample size is then typically 800–1,500, twice the gate's 400). A fit
    that fails the gate is sampled once more with a diagonal mass matrix, target acceptance
    0.98, 1,000 tuning steps and at least 1,000 draws per chain; if it still fails, its share
    is withheld and the reasons are given. ``ChannelEstimate.timings`` gives the seconds spent
    sampling (first and second attempt), on diagnostics, post-stratification and raking.
    """
    check_estimable(respondents, year)
    df = model_columns(respondents)
    frame = poststrat_frame(year)
    cells = mrp.aggregate_cells(df, channels)
    if compiled is None:
        progress("compiling the model")
        compiled = mrp.compile_model(cells)
    out = {}
    for i, ch in enumerate(channels):
        progress(f"{ch} ({i + 1}/{len(channels)})")
        out[ch] = fit_share(compiled, cells, ch, df, frame, year, draws=draws, tune=tune,
                            seed=seed + i, retry=retry, raking=raking)
    return ExposureEstimate(year, len(respondents), out, synthetic=is_synthetic(respondents))


def is_synthetic(respondents: pd.DataFrame) -> bool:
    """Whether the respondents come from a SYNTHETIC study."""
    return bool("study" in respondents
                and respondents["study"].astype(str).str.contains("SYNTHETIC").any())


def fit_share(compiled, cells: mrp.Cells, key: str, df: pd.DataFrame, frame: pd.DataFrame, year: int, *,
              draws: int = 500, tune: int = 400, seed: int = 0, retry: bool = True, raking: bool = True,
              raw_share: float | None = None) -> ChannelEstimate:
    """One share by MRP, gated by the diagnostics (the steps of :func:`estimate_exposure`).

    ``key`` names the counts in ``cells`` and the ``<key>_ever`` answers in ``df`` (a channel,
    or a theme key of :mod:`corridor.evidence.theme_answers`). ``raw_share`` replaces the share
    of yes in the cells (which are weighted counts for themes).
    """
    t0 = time.perf_counter()
    valid_n = float(cells.valid[key].sum())
    answers = df[f"{key}_ever"]
    valid = int(answers.isin(["yes", "no"]).sum())
    raw = raw_share if raw_share is not None else (float(cells.yes[key].sum() / valid_n) if valid_n else None)
    est = ChannelEstimate(key, raw, valid)
    if valid == 0:
        est.refused_because = ["no yes/no answers"]
        return est
    timings = est.timings
    t = time.perf_counter()
    idata = mrp.sample(compiled, cells, key, draws=draws, tune=tune, seed=seed)
    timings["sampling"] = time.perf_counter() - t
    t = time.perf_counter()
    diag = diagnose(idata, mrp.PARAMETERS)
    timings["diagnostics"] = time.perf_counter() - t
    if not diag.passed and retry:
        t = time.perf_counter()
        idata = mrp.sample(compiled, cells, key, draws=max(draws, 1000), tune=max(tune, 1000),
                           seed=seed + 100, target_accept=0.98, low_rank=False)
        timings["second_attempt"] = time.perf_counter() - t
        est.attempts = 2
        t = time.perf_counter()
        diag = diagnose(idata, mrp.PARAMETERS)
        timings["diagnostics"] += time.perf_counter() - t
    est.diagnostics = diag.as_dict()
    if diag.passed:
        t = time.perf_counter()
        post = mrp.poststratify(mrp.posterior_draws(idata), frame, year)
        est.share = float(np.median(post["national"]))
        est.lower90, est.upper90 = (float(v) for v in np.percentile(post["national"], [5, 95]))
        est.provinces = {p: {"share": float(np.median(d)),
                             "lower90": float(np.percentile(d, 5)),
                             "upper90": float(np.percentile(d, 95))}
                         for p, d in post["provinces"].items()}
        timings["poststratification"] = time.perf_counter() - t
    else:
        est.refused_because = diag.problems
    if raking:
        t = time.perf_counter()
        est.raking = raked_share(df, frame, key, year)
        timings["raking"] = time.perf_counter() - t
    est.seconds = time.perf_counter() - t0
    return est
