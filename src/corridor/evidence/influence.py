"""Influence: how exposure is associated with attitudes, never read as a causal effect.

Two views, as in InterMedia's *A Quiet Opening* (2012), which related latent outside-media
exposure to beliefs about the outside world with a structural equation model:

- :func:`exposure_sem`: a SEM in ``semopy`` (lavaan syntax): a latent ``exposure`` measured by
  the channel items, a latent ``outside_view`` measured by attitude items, and the path
  ``outside_view ~ exposure`` with controls.
- :func:`attitude_logit`: a Bayesian logistic regression (PyMC, nutpie) of one attitude item
  (agree = 4–5) on exposure to each channel, with sex, age group, border province and the
  departure-year trend as controls.

Both carry :data:`SELECTION_CAVEAT`: the people asked are those who left, and exposure to
outside media may itself make leaving more likely (23 % of one survey's respondents said
outside information increased their intention to leave; NKDB 2019 via RFA).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.errors import CorridorError
from corridor.evidence.vocabulary import ATTITUDE_ITEMS, CHANNELS, trend

#: z for a two-sided 90 % normal interval.
_Z90 = 1.6449

SELECTION_CAVEAT = ("Associational only: respondents are people who left, and people exposed to "
                    "outside media may be more likely to leave, so exposure and attitudes are "
                    "selected together; this is not the effect of a channel on people inside.")


def _binary(series: pd.Series) -> pd.Series:
    return series.map({"yes": 1.0, "no": 0.0})


def exposure_sem(df: pd.DataFrame, channels, attitude_items) -> dict:
    """Fit ``exposure =~ channels; outside_view =~ items; outside_view ~ exposure + controls``.

    ``df`` has ``<channel>_ever`` answers, attitude items as numbers 1–5, ``female`` and
    ``border`` (0/1). Rows with ``dont_know``/``refused``/missing in any used item are left out.
    Returns the path estimate, its standard error and p-value, fit indices and the caveat.
    """
    import semopy

    data = pd.DataFrame({ch: _binary(df[f"{ch}_ever"]) for ch in channels})
    for item in attitude_items:
        data[item] = pd.to_numeric(df[item], errors="coerce")
    data["female"], data["border"] = df["female"].astype(float), df["border"].astype(float)
    data = data.dropna()
    if len(data) < 50:
        raise CorridorError("too few complete answers for the SEM", field="respondents", value=len(data))
    desc = (f"exposure =~ {' + '.join(channels)}\n"
            f"outside_view =~ {' + '.join(attitude_items)}\n"
            "outside_view ~ exposure + female + border\n")
    model = semopy.Model(desc)
    model.fit(data)
    est = model.inspect()
    path = est[(est["lval"] == "outside_view") & (est["op"] == "~") & (est["rval"] == "exposure")].iloc[0]
    stats = semopy.calc_stats(model)
    value, se = float(path["Estimate"]), float(path["Std. Err"])
    return {"path_exposure_to_outside_view": value, "se": se,
            "lower90": value - _Z90 * se, "upper90": value + _Z90 * se,
            "p_value": float(path["p-value"]), "n": len(data),
            "cfi": float(stats["CFI"].iloc[0]), "rmsea": float(stats["RMSEA"].iloc[0]),
            "caveat": SELECTION_CAVEAT}


def attitude_logit(df: pd.DataFrame, item: str, channels, *, draws: int = 500, seed: int = 0) -> dict:
    """Posterior odds ratios of agreeing with ``item`` for exposure to each channel.

    logit P(agree) = α + Σ_c β_c·exposed_c + γ·female + δ·border + λ·trend + age contrasts,
    β ~ N(0, 1). Returns per channel the median odds ratio exp(β_c) and its 90 % interval,
    and the diagnostics of the fit (the same gate as the exposure estimates: if it fails, the
    odds ratios are withheld and ``not_shown_because`` says why).
    """
    import nutpie

    from corridor.evidence.diagnostics import diagnose

    x = pd.DataFrame({ch: _binary(df[f"{ch}_ever"]) for ch in channels})
    y = pd.to_numeric(df[item], errors="coerce")
    ok = x.notna().all(axis=1) & y.notna()
    if ok.sum() < 50:
        raise CorridorError("too few complete answers", field=item, value=int(ok.sum()))
    data = {"x": x[ok].to_numpy(dtype="float64"),
            "agree": (y[ok] >= 4).to_numpy(dtype="float64"),
            "ctrl": np.column_stack([df.loc[ok, "female"], df.loc[ok, "border"],
                                     trend(df.loc[ok, "year_left"])]).astype("float64"),
            "age_index": df.loc[ok, "age_index"].to_numpy(dtype="int64")}
    compiled = _compiled_logit(data, tuple(channels)).with_data(**data)
    idata = nutpie.sample(compiled, draws=draws, tune=draws, chains=4, seed=seed, progress_bar=False)
    diag = diagnose(idata, ("alpha", "beta", "controls", "age"))
    result = {"item": item, "n": int(ok.sum()), "channels": {}, "diagnostics": diag.as_dict(),
              "caveat": SELECTION_CAVEAT}
    if not diag.passed:
        result["not_shown_because"] = "; ".join(diag.problems)
        return result
    beta = idata.posterior["beta"].values.reshape(-1, len(channels))
    result["channels"] = {ch: {"odds_ratio": float(np.exp(np.median(beta[:, i]))),
                               "lower90": float(np.exp(np.percentile(beta[:, i], 5))),
                               "upper90": float(np.exp(np.percentile(beta[:, i], 95)))}
                          for i, ch in enumerate(channels)}
    return result


_LOGIT_MODELS: dict = {}


def _compiled_logit(data: dict, channels: tuple):
    """The attitude model compiled once per set of channels (the rows are data of free length)."""
    import nutpie
    import pymc as pm
    import pytensor.tensor as pt

    from corridor.evidence.vocabulary import AGE_GROUPS

    if channels not in _LOGIT_MODELS:
        with pm.Model(coords={"channel": list(channels)}) as model:
            d = {name: pm.Data(name, value) for name, value in data.items()}
            a = pm.Normal("alpha", 0, 2.5)
            b = pm.Normal("beta", 0, 1, dims="channel")
            g = pm.Normal("controls", 0, 1, shape=3)
            ga = pm.Normal("age", 0, 1, shape=len(AGE_GROUPS) - 1)
            age_effect = pt.concatenate([pt.zeros(1), ga])
            eta = a + pt.dot(d["x"], b) + pt.dot(d["ctrl"], g) + age_effect[d["age_index"]]
            # Bernoulli log-likelihood, Σ y·η − log(1 + e^η)
            pm.Potential("loglik", pt.sum(d["agree"] * eta - pt.softplus(eta)))
        _LOGIT_MODELS[channels] = nutpie.compile_pymc_model(model, freeze_model=False)
    return _LOGIT_MODELS[channels]


def influence_estimate(respondents: pd.DataFrame, *, items=None, channels=None, logit: bool = True,
                       sem: bool = True, seed: int = 0, min_answers: int = 50) -> dict:
    """Both influence views for validated canonical respondents with attitude items.

    ``items`` defaults to the attitude items with at least ``min_answers`` answers 1–5;
    ``channels`` to the channels with at least ``min_answers`` yes/no answers, at least 5 % of
    them yes and at least 5 % no (a channel nearly everyone or no one saw says nothing about
    influence). Returns ``{"respondents", "items", "channels", "sem", "logit", "caveat"}``; a
    view that cannot be fitted carries ``{"not_shown_because": …}``.
    """
    from corridor.evidence.estimate import model_columns
    from corridor.geo.names import BORDER_PROVINCES

    df = model_columns(respondents)
    df["border"] = df["province"].isin(BORDER_PROVINCES).astype(int)
    items = _items_to_fit(df, items, min_answers)
    if channels is None:
        channels = []
        for ch in CHANNELS:
            if f"{ch}_ever" not in df:
                continue
            x = _binary(df[f"{ch}_ever"]).dropna()
            if len(x) >= min_answers and 0.05 <= x.mean() <= 0.95:
                channels.append(ch)
    if not channels:
        raise CorridorError("no channel has enough yes and no answers", field="respondents")
    out = {"respondents": len(df), "items": list(items), "channels": list(channels),
           "caveat": SELECTION_CAVEAT}
    if sem:
        try:
            out["sem"] = exposure_sem(df, channels, items) if len(items) >= 2 else {
                "not_shown_because": "the SEM needs at least two attitude items"}
        except CorridorError as exc:
            out["sem"] = {"not_shown_because": exc.message}
    if logit:
        out["logit"] = {}
        for item in items:
            try:
                out["logit"][item] = attitude_logit(df, item, channels, seed=seed)
            except CorridorError as exc:
                out["logit"][item] = {"not_shown_because": exc.message}
    return out


def _items_to_fit(df: pd.DataFrame, items, min_answers: int) -> list[str]:
    """The attitude items to relate to exposure: ``items`` when given (each must be a column),
    else every item with at least ``min_answers`` answers 1-5; an error when there are none."""
    present_items = [i for i in ATTITUDE_ITEMS if i in df]
    if items is None:
        items = [i for i in present_items
                 if pd.to_numeric(df[i], errors="coerce").between(1, 5).sum() >= min_answers]
    for item in items:
        if item not in df:
            raise CorridorError("no such attitude column in the file", field="--item", value=item,
                                hint="items: " + (", ".join(present_items) or "none in this file"))
    if not items:
        raise CorridorError(f"no attitude item has {min_answers} or more answers 1-5", field="respondents",
                            hint="columns: " + ", ".join(ATTITUDE_ITEMS))
    return list(items)


THEME_CAVEAT = ("Per theme, exposure is to content of the theme through any channel the survey asked "
                "about content for; the themes are fitted together, so each odds ratio is for one theme "
                "with the others held fixed (dramas and news of South Korea often come together).")


def influence_by_theme(respondents: pd.DataFrame, *, items=None, themes=None, channels=CHANNELS,
                       seed: int = 0, min_answers: int = 50) -> dict:
    """The Bayesian logit view of :func:`attitude_logit`, with exposure per content theme.

    Exposure to theme t is the overall status of :func:`corridor.evidence.theme_answers.theme_answers`
    (complete cases: a respondent with an unanswered channel or content question is left out of
    the fit). ``themes`` defaults to the themes with at least ``min_answers`` known answers, at
    least 5 % yes and 5 % no. Returns ``{"respondents", "items", "themes", "logit", "caveat"}``,
    ``logit[item]["themes"][code]`` holding the odds ratio and its 90 % interval; the same
    diagnostics gate and the same selection caveat as for channels.
    """
    from corridor.evidence.estimate import model_columns
    from corridor.evidence.theme_answers import overall_key, theme_answers
    from corridor.geo.names import BORDER_PROVINCES

    df = model_columns(respondents)
    df["border"] = df["province"].isin(BORDER_PROVINCES).astype(int)
    answers = theme_answers(respondents, [c for c in channels if f"{c}_ever" in respondents], themes)
    df = pd.concat([df, answers.frame], axis=1)
    items = _items_to_fit(df, items, min_answers)
    chosen = []
    for code in answers.themes:
        x = _binary(df[f"{overall_key(code)}_ever"]).dropna()
        if len(x) >= min_answers and 0.05 <= x.mean() <= 0.95:
            chosen.append(code)
    if not chosen:
        raise CorridorError("no theme has enough yes and no answers", field="respondents")
    keys = [overall_key(c) for c in chosen]
    out = {"respondents": len(df), "items": list(items), "themes": chosen,
           "caveat": SELECTION_CAVEAT + " " + THEME_CAVEAT, "logit": {}}
    for item in items:
        try:
            res = attitude_logit(df, item, keys, seed=seed)
        except CorridorError as exc:
            out["logit"][item] = {"not_shown_because": exc.message}
            continue
        res["themes"] = {key.split(":", 1)[1]: v for key, v in res.pop("channels").items()}
        res["caveat"] = out["caveat"]
        out["logit"][item] = res
    return out
