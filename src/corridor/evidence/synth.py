"""Synthetic survey data with a known truth, biased the way arrivals in the South are.

For demonstrations and for proving that the estimators recover what they should. A synthetic
population has, for each channel, an exposure probability per frame cell and departure year
(an additive logistic model of province, border, sex, urban/rural, age group and a trend in
the year). A sample is then drawn the way defectors reach the South: mostly from North
Hamgyong and Ryanggang and mostly women (Ministry of Unification figures, see
``docs/evidence-model.md``). Everything it writes says ``SYNTHETIC``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.evidence.frame import poststrat_frame
from corridor.evidence.vocabulary import AGE_GROUPS, AGE_LOWER, CHANNELS, trend
from corridor.geo.names import PROVINCES

SYNTHETIC_STUDY = "SYNTHETIC (corridor evidence synth): not real survey data"

#: Where sampled respondents come from, roughly as among arrivals (North Hamgyong > 60 %,
#: with Ryanggang > 75 % by 2016; 2.7 % from Pyongyang in the 6,351-defector sample).
DEFECTOR_PROVINCE_SHARE: dict[str, float] = {
    "Pyongyang": 0.027, "South Pyongan": 0.03, "North Pyongan": 0.04, "Jagang": 0.012,
    "South Hwanghae": 0.015, "North Hwanghae": 0.015, "Kangwon": 0.013, "South Hamgyong": 0.06,
    "North Hamgyong": 0.58, "Ryanggang": 0.198,
}
#: Share of women among arrivals (81.8 % in the 6,351-defector sample; about 70 % overall).
DEFECTOR_FEMALE_SHARE = 0.78
#: Age at departure (MOU 6,351 sample: 20s 27.9 %, 30s 26.9 %, 40s 26.9 %, 50+ 17.7 %).
DEFECTOR_AGE_SHARE = (0.18, 0.28, 0.26, 0.17, 0.08, 0.03)
#: Arrivals by year of departure (MOU arrivals table, rounded; 2020 onwards after the border
#: closure), used as sampling weights for ``year_left``.
ARRIVALS_BY_YEAR: dict[int, int] = {
    2000: 312, 2001: 583, 2002: 1138, 2003: 1281, 2004: 1894, 2005: 1383, 2006: 2018,
    2007: 2544, 2008: 2809, 2009: 2914, 2010: 2376, 2011: 2706, 2012: 1502, 2013: 1514,
    2014: 1397, 2015: 1275, 2016: 1418, 2017: 1127, 2018: 1137, 2019: 1047, 2020: 229,
    2021: 63, 2022: 67, 2023: 196, 2024: 236,
}

#: Channel levels at 2010 (logit of a reference cell's probability) and the trend per decade.
_CHANNEL_LEVEL = {"radio": (-1.6, 0.4), "tv": (-1.3, 0.5), "dvd": (-0.3, 0.9),
                  "usb_sd": (-1.0, 2.0), "mp3_mp4": (-1.4, 1.3), "phone": (-2.0, 1.8),
                  "leaflet": (-3.2, 0.3), "satellite": (-3.6, 0.5), "word_of_mouth": (0.1, 0.9)}


@dataclass(frozen=True)
class SyntheticTruth:
    """The known exposure model of one synthetic population (per channel, logit scale)."""

    intercept: dict[str, float]
    trend_per_decade: dict[str, float]
    province: dict[str, np.ndarray]     # (10,) effect incl. border
    female: dict[str, float]
    urban: dict[str, float]
    age: dict[str, np.ndarray]          # (6,)
    seed: int

    def logit(self, channel: str, province_index, female, urban, age_index, year) -> np.ndarray:
        """Log-odds of ever being exposed, by the given year, for the given people."""
        return (self.intercept[channel] + self.trend_per_decade[channel] * trend(year)
                + self.province[channel][province_index] + self.female[channel] * np.asarray(female)
                + self.urban[channel] * np.asarray(urban) + self.age[channel][age_index])

    def shares(self, year: int) -> dict[str, dict]:
        """True population share exposed by ``year``: national and per province, per channel."""
        frame = poststrat_frame(year)
        w = frame["population"].to_numpy()
        out = {}
        for ch in self.intercept:
            p = 1.0 / (1.0 + np.exp(-self.logit(ch, frame["province_index"], frame["female"],
                                                 frame["urban"], frame["age_index"], year)))
            by_prov = {PROVINCES[i]: float(np.sum((p * w)[frame["province_index"] == i])
                                           / np.sum(w[frame["province_index"] == i]))
                       for i in range(len(PROVINCES))}
            out[ch] = {"national": float(np.sum(p * w) / np.sum(w)), "provinces": by_prov}
        return out


def draw_truth(seed: int = 0) -> SyntheticTruth:
    """Draw a synthetic population's exposure model (border provinces more exposed)."""
    rng = np.random.default_rng(seed)
    border = np.array([p in ("North Pyongan", "Jagang", "Ryanggang", "North Hamgyong")
                       for p in PROVINCES], dtype=float)
    intercept, slope, prov, female, urban, age = {}, {}, {}, {}, {}, {}
    for ch in CHANNELS:
        level, tr = _CHANNEL_LEVEL[ch]
        intercept[ch] = level + rng.normal(0, 0.2)
        slope[ch] = tr + rng.normal(0, 0.15)
        prov[ch] = 0.6 * border + rng.normal(0, 0.35, len(PROVINCES))
        female[ch] = rng.normal(-0.15, 0.15)
        urban[ch] = rng.normal(0.35, 0.15)
        age[ch] = np.sort(rng.normal(0, 0.3, len(AGE_GROUPS)))[::-1] * 1.0
    return SyntheticTruth(intercept, slope, prov, female, urban, age, seed)


def draw_sample(truth: SyntheticTruth, n: int, *, seed: int = 0, dont_know: float = 0.03,
                refused: float = 0.01) -> pd.DataFrame:
    """Draw ``n`` respondents the way arrivals are biased, in the canonical CSV layout.

    Province and sex follow :data:`DEFECTOR_PROVINCE_SHARE` and :data:`DEFECTOR_FEMALE_SHARE`;
    urban/rural follows each province's census share; age at departure follows
    :data:`DEFECTOR_AGE_SHARE`; the year left follows :data:`ARRIVALS_BY_YEAR`. Each
    ``<channel>_ever`` is drawn from the truth, then a share is replaced by ``dont_know`` or
    ``refused`` at random (ignorable non-response).
    """
    rng = np.random.default_rng(seed)
    frame = poststrat_frame(2008)
    prov_share = np.array([DEFECTOR_PROVINCE_SHARE[p] for p in PROVINCES])
    prov = rng.choice(len(PROVINCES), size=n, p=prov_share / prov_share.sum())
    female = (rng.random(n) < DEFECTOR_FEMALE_SHARE).astype(int)
    urban_share = (frame[frame["urban"] == 1].groupby("province_index")["population"].sum()
                   / frame.groupby("province_index")["population"].sum()).to_numpy()
    urban = (rng.random(n) < urban_share[prov]).astype(int)
    age_idx = rng.choice(len(AGE_GROUPS), size=n, p=np.array(DEFECTOR_AGE_SHARE) / sum(DEFECTOR_AGE_SHARE))
    upper = np.array(list(AGE_LOWER[1:]) + [80])
    age = rng.integers(np.array(AGE_LOWER)[age_idx], upper[age_idx])
    years = np.array(list(ARRIVALS_BY_YEAR))
    wy = np.array(list(ARRIVALS_BY_YEAR.values()), dtype=float)
    year_left = rng.choice(years, size=n, p=wy / wy.sum())
    df = pd.DataFrame({
        "respondent_id": [f"synthetic-{i + 1:05d}" for i in range(n)],
        "sex": np.where(female == 1, "female", "male"),
        "birth_year": year_left - age,
        "province": [PROVINCES[i] for i in prov],
        "urban": np.where(urban == 1, "urban", "rural"),
        "year_left": year_left,
    })
    for ch in CHANNELS:
        p = 1.0 / (1.0 + np.exp(-truth.logit(ch, prov, female, urban, age_idx, year_left)))
        ans = np.where(rng.random(n) < p, "yes", "no").astype(object)
        u = rng.random(n)
        ans[u < dont_know + refused] = "refused"
        ans[u < dont_know] = "dont_know"
        df[f"{ch}_ever"] = ans
    df["study"] = SYNTHETIC_STUDY
    return df


def add_attitudes(sample: pd.DataFrame, *, effect: float = 0.5, seed: int = 0) -> pd.DataFrame:
    """Add SYNTHETIC Likert attitude items (1–5) driven by a latent view of the outside world.

    outside_view = ``effect`` × (share of channels answered ``yes``, standardised) + N(0, 1);
    each item is that view plus item noise, cut into five levels. For demonstrating the
    influence models only.
    """
    rng = np.random.default_rng(seed)
    yes = np.column_stack([(sample[f"{c}_ever"] == "yes").to_numpy(float) for c in CHANNELS]).mean(axis=1)
    z = (yes - yes.mean()) / (yes.std() or 1.0)
    view = effect * z + rng.normal(0, 1, len(sample))
    out = sample.copy()
    for item, loading in (("sk_richer", 1.0), ("sk_free", 0.8), ("info_influenced_leaving", 0.6)):
        latent = loading * view + rng.normal(0, 0.7, len(sample))
        out[item] = np.digitize(latent, [-1.2, -0.4, 0.4, 1.2]) + 1
    return out


# --------------------------------------------------------------------------- content themes

#: Probability that a person who saw or heard a channel met the theme through it, at 2010 in a
#: reference province. Illustrative levels for SYNTHETIC data only, shaped after what the
#: channels carry (dramas and films on DVD and USB, news and religion on radio and leaflets);
#: a theme not listed here (an edited vocabulary) gets 0.15.
_THEME_LEVEL: dict[str, dict[str, float]] = {
    "radio": {"world_news": .60, "south_korea_news": .55, "north_korea_news": .50, "democracy_rights": .30,
              "entertainment": .30, "religion": .15, "practical": .20, "family_messages": .10,
              "testimonies": .20, "language_education": .10},
    "tv": {"world_news": .35, "south_korea_news": .50, "north_korea_news": .15, "democracy_rights": .15,
           "entertainment": .75, "religion": .05, "practical": .20, "family_messages": .03,
           "testimonies": .10, "language_education": .10},
    "dvd": {"world_news": .10, "south_korea_news": .40, "north_korea_news": .05, "democracy_rights": .05,
            "entertainment": .90, "religion": .05, "practical": .05, "family_messages": .02,
            "testimonies": .03, "language_education": .05},
    "usb_sd": {"world_news": .15, "south_korea_news": .45, "north_korea_news": .08, "democracy_rights": .08,
               "entertainment": .85, "religion": .08, "practical": .10, "family_messages": .05,
               "testimonies": .08, "language_education": .10},
    "mp3_mp4": {"world_news": .10, "south_korea_news": .30, "north_korea_news": .05, "democracy_rights": .05,
                "entertainment": .85, "religion": .08, "practical": .05, "family_messages": .05,
                "testimonies": .05, "language_education": .15},
    "phone": {"world_news": .15, "south_korea_news": .40, "north_korea_news": .08, "democracy_rights": .06,
              "entertainment": .70, "religion": .05, "practical": .25, "family_messages": .20,
              "testimonies": .06, "language_education": .10},
    "leaflet": {"world_news": .30, "south_korea_news": .40, "north_korea_news": .60, "democracy_rights": .50,
                "entertainment": .02, "religion": .25, "practical": .10, "family_messages": .15,
                "testimonies": .30, "language_education": .02},
    "satellite": {"world_news": .50, "south_korea_news": .55, "north_korea_news": .20, "democracy_rights": .20,
                  "entertainment": .70, "religion": .10, "practical": .20, "family_messages": .02,
                  "testimonies": .10, "language_education": .10},
    "word_of_mouth": {"world_news": .35, "south_korea_news": .55, "north_korea_news": .30,
                      "democracy_rights": .10, "entertainment": .40, "religion": .05, "practical": .35,
                      "family_messages": .20, "testimonies": .15, "language_education": .02},
}


@dataclass(frozen=True)
class SyntheticThemeTruth:
    """Known content of each channel: P(theme t | saw channel c), logit-additive per cell.

    logit q_ct = level_ct + trend_ct · τ + province_ct[p]; with the channel's π_c of
    :class:`SyntheticTruth`, exposure to t through c is π_c q_ct, and overall (channels and
    themes drawn independently given the person's cell and year) 1 − Π_c (1 − π_c q_ct).
    """

    channels: SyntheticTruth
    themes: tuple[str, ...]
    level: np.ndarray        # (channels, themes), logit scale
    trend: np.ndarray        # (channels, themes), per decade
    province: np.ndarray     # (channels, themes, 10)

    def conditional(self, ci: int, ti: int, province_index, year) -> np.ndarray:
        """P(theme | saw the channel) for people of the given provinces and years."""
        eta = (self.level[ci, ti] + self.trend[ci, ti] * trend(year)
               + self.province[ci, ti][np.asarray(province_index)])
        return 1.0 / (1.0 + np.exp(-eta))

    def shares(self, year: int) -> dict[str, dict]:
        """True shares exposed by ``year``: ``{"overall": {t: {"national", "provinces"}},
        "by_channel": {c: {t: {"national"}}}}``."""
        frame = poststrat_frame(year)
        w = frame["population"].to_numpy()
        prov = frame["province_index"].to_numpy()
        pi = {ch: 1.0 / (1.0 + np.exp(-self.channels.logit(ch, prov, frame["female"], frame["urban"],
                                                            frame["age_index"], year)))
              for ch in CHANNELS}
        overall, by_channel = {}, {ch: {} for ch in CHANNELS}
        for ti, t in enumerate(self.themes):
            none = np.ones(len(w))
            for ci, ch in enumerate(CHANNELS):
                p = pi[ch] * self.conditional(ci, ti, prov, year)
                by_channel[ch][t] = {"national": float(p @ w / w.sum())}
                none *= 1.0 - p
            p_any = 1.0 - none
            overall[t] = {"national": float(p_any @ w / w.sum()),
                          "provinces": {PROVINCES[i]: float(p_any[prov == i] @ w[prov == i] / w[prov == i].sum())
                                        for i in range(len(PROVINCES))}}
        return {"overall": overall, "by_channel": by_channel}


def draw_theme_truth(truth: SyntheticTruth, themes=None, *, seed: int | None = None) -> SyntheticThemeTruth:
    """Draw the content of each channel around :data:`_THEME_LEVEL` (seeded from ``truth``)."""
    from corridor.themes import vocabulary

    themes = tuple(themes or vocabulary().codes)
    rng = np.random.default_rng(10_000 + (truth.seed if seed is None else seed))
    base = np.array([[_THEME_LEVEL[ch].get(t, 0.15) for t in themes] for ch in CHANNELS])
    level = np.log(base / (1 - base)) + rng.normal(0, 0.3, base.shape)
    slope = rng.normal(0, 0.3, base.shape)
    province = rng.normal(0, 0.3, base.shape + (len(PROVINCES),))
    return SyntheticThemeTruth(truth, themes, level, slope, province)


def add_themes(sample: pd.DataFrame, theme_truth: SyntheticThemeTruth, *, seed: int = 0,
               dont_know: float = 0.03, refused: float = 0.01) -> pd.DataFrame:
    """Add ``<channel>_themes``: the content seen through each channel answered ``yes``.

    For a respondent who answered ``yes``, each theme is drawn from the truth's q_ct (given the
    province and year left); no theme gives ``other``. A share of the answers is then replaced
    by ``dont_know`` or ``refused`` at random (ignorable non-response among the exposed). Other
    answers leave the cell empty, as the form's skip logic does. Draws use their own random
    stream, so the channel answers of :func:`draw_sample` are unchanged.
    """
    rng = np.random.default_rng(20_000 + seed)
    out = sample.copy()
    prov = np.array([PROVINCES.index(p) for p in out["province"]])
    year = out["year_left"].to_numpy()
    n = len(out)
    for ci, ch in enumerate(CHANNELS):
        col = f"{ch}_ever"
        if col not in out:
            continue
        chosen = np.column_stack([rng.random(n) < theme_truth.conditional(ci, ti, prov, year)
                                  for ti in range(len(theme_truth.themes))])
        text = np.array([" ".join(t for t, on in zip(theme_truth.themes, row, strict=True) if on) or "other"
                         for row in chosen], dtype=object)
        u = rng.random(n)
        text[u < dont_know + refused] = "refused"
        text[u < dont_know] = "dont_know"
        out[f"{ch}_themes"] = np.where(out[col].to_numpy() == "yes", text, None)
    return out
