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
from corridor.evidence.vocabulary import trend

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
    return {"path_exposure_to_outside_view": float(path["Estimate"]), "se": float(path["Std. Err"]),
            "p_value": float(path["p-value"]), "n": len(data),
            "cfi": float(stats["CFI"].iloc[0]), "rmsea": float(stats["RMSEA"].iloc[0]),
            "caveat": SELECTION_CAVEAT}


def attitude_logit(df: pd.DataFrame, item: str, channels, *, draws: int = 500, seed: int = 0) -> dict:
    """Posterior odds ratios of agreeing with ``item`` for exposure to each channel.

    logit P(agree) = α + Σ_c β_c·exposed_c + γ·female + δ·border + λ·trend + age contrasts,
    β ~ N(0, 1). Returns per channel the median odds ratio exp(β_c) and its 90 % interval.
    """
    import nutpie
    import pymc as pm

    x = pd.DataFrame({ch: _binary(df[f"{ch}_ever"]) for ch in channels})
    y = pd.to_numeric(df[item], errors="coerce")
    ok = x.notna().all(axis=1) & y.notna()
    if ok.sum() < 50:
        raise CorridorError("too few complete answers", field=item, value=int(ok.sum()))
    X = x[ok].to_numpy()
    agree = (y[ok] >= 4).to_numpy(dtype="int64")
    ctrl = np.column_stack([df.loc[ok, "female"], df.loc[ok, "border"], trend(df.loc[ok, "year_left"])])
    age = df.loc[ok, "age_index"].to_numpy()
    with pm.Model(coords={"channel": list(channels)}) as model:
        a = pm.Normal("alpha", 0, 2.5)
        b = pm.Normal("beta", 0, 1, dims="channel")
        g = pm.Normal("controls", 0, 1, shape=3)
        ga = pm.Normal("age", 0, 1, shape=int(age.max()) + 1)
        pm.Bernoulli("agree", logit_p=a + X @ b + ctrl @ g + ga[age] - ga[0], observed=agree)
    idata = nutpie.sample(nutpie.compile_pymc_model(model), draws=draws, tune=draws, chains=4, seed=seed,
                          progress_bar=False)
    beta = idata.posterior["beta"].values.reshape(-1, len(channels))
    out = {ch: {"odds_ratio": float(np.exp(np.median(beta[:, i]))),
                "lower90": float(np.exp(np.percentile(beta[:, i], 5))),
                "upper90": float(np.exp(np.percentile(beta[:, i], 95)))}
           for i, ch in enumerate(channels)}
    return {"item": item, "n": int(ok.sum()), "channels": out, "caveat": SELECTION_CAVEAT}
