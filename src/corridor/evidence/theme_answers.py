r"""Answers to "which kinds of content did you see or hear, by channel", as exposure per theme.

The survey asks, for every channel a respondent saw or heard (``<channel>_ever`` = ``yes``),
which kinds of content it carried: a multiple choice over the themes of
:func:`corridor.themes.vocabulary`, plus ``other`` (content outside the list) and the answers
``dont_know`` and ``refused``, which stand alone. Stored as ``<channel>_themes``: the chosen
codes separated by spaces.

Exposure of respondent i to theme t

- *through channel c*: 1 if ``c_ever`` = yes and t was chosen; 0 if ``c_ever`` = no, or yes and
  the content question was answered without t; unknown otherwise (``c_ever`` not answered, or
  the content question not answered);
- *overall*: through at least one channel the survey asked the content question for. Known
  only when every such channel is known (complete cases); 1 if any is 1.

The content question is a follow-up asked of the exposed only, so its non-answers fall on the
exposed side: leaving them out would understate exposure (an exposed person is less often
complete than an unexposed one). Complete cases are therefore weighted by the inverse of their
probability of being complete given what was observed [1]_: with m_c the share of ``c_ever`` =
yes answers whose content question was not answered,

.. math::

    w_i = \prod_{c\,:\,\mathrm{ever}_{ic} = \mathrm{yes}} \frac{1}{1 - m_c},

rescaled to mean 1 over the respondents used. This assumes the content question's non-answers
are missing at random among the exposed (ignorable, as the ``dont_know`` and ``refused``
answers to ``c_ever`` are taken to be).

References
----------
.. [1] Little, R. J. A. and Rubin, D. B. (2019), *Statistical Analysis with Missing Data*, 3rd
   ed., Wiley, §3.3 (weighting complete cases by the inverse of their response probability).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.errors import CorridorError
from corridor.themes import UNKNOWN, check_theme, vocabulary

#: Content outside the vocabulary: the channel was seen, none of the themes was.
OTHER = "other"
#: Answers that are not content; each stands alone.
NO_ANSWER = ("dont_know", "refused")
_ALIASES = {"dk": "dont_know", "don't know": "dont_know", "dontknow": "dont_know", "모름": "dont_know",
            "refuse": "refused", "rf": "refused", "응답거부": "refused", "거부": "refused", "기타": OTHER}


def parse_theme_answer(value: str) -> str:
    """One ``<channel>_themes`` cell as canonical text, or ``ValueError`` naming the nearest themes.

    Codes are separated by spaces, commas or semicolons; the result lists them in the
    vocabulary's order, ``other`` last. ``dont_know`` or ``refused`` must stand alone.
    """
    vocab = vocabulary()
    parts = [p for p in re.split(r"[\s,;]+", value.strip().lower()) if p]
    codes: list[str] = []
    for part in parts:
        code = _ALIASES.get(part, part)
        if code not in (OTHER, *NO_ANSWER):
            if code == UNKNOWN:
                raise ValueError("'unknown' marks undocumented programming, not an answer "
                                 "(use dont_know)")
            try:
                code = check_theme(code, field="themes", vocab=vocab)
            except CorridorError as exc:
                raise ValueError(f"{part!r} {exc.message}" + (f" ({exc.hint})" if exc.hint else "")) from None
        if code not in codes:
            codes.append(code)
    if any(c in NO_ANSWER for c in codes) and len(codes) > 1:
        raise ValueError("dont_know and refused stand alone")
    order = {c: i for i, c in enumerate((*vocab.codes, OTHER, *NO_ANSWER))}
    return " ".join(sorted(codes, key=order.__getitem__))


def _answered(themes: pd.Series) -> np.ndarray:
    text = themes.fillna("").astype(str).str.strip()
    return ((text != "") & ~text.isin(NO_ANSWER)).to_numpy()


def channel_theme_status(ever: pd.Series, themes: pd.Series, theme: str) -> np.ndarray:
    """Exposure to ``theme`` through one channel per respondent: 1.0, 0.0 or NaN (unknown)."""
    ever = ever.fillna("").astype(str).to_numpy()
    answered = _answered(themes)
    padded = " " + themes.fillna("").astype(str) + " "
    chosen = padded.str.contains(f" {theme} ", regex=False).to_numpy()
    out = np.full(len(ever), np.nan)
    out[ever == "no"] = 0.0
    yes = (ever == "yes") & answered
    out[yes] = chosen[yes].astype(float)
    return out


def followup_missing_share(ever: pd.Series, themes: pd.Series) -> float:
    """m_c: the share of ``yes`` answers to ``c_ever`` whose content question was not answered."""
    yes = (ever == "yes").to_numpy()
    if not yes.any():
        return 0.0
    return float(np.mean(~_answered(themes)[yes]))


def completeness_weights(ever: dict[str, pd.Series], missing: dict[str, float]) -> np.ndarray:
    """w_i = Π_{c: ever_c = yes} 1 / (1 − m_c), before rescaling (see the module's docstring)."""
    n = len(next(iter(ever.values())))
    log_w = np.zeros(n)
    for ch, answers in ever.items():
        m = min(missing.get(ch, 0.0), 0.99)
        log_w -= np.log1p(-m) * (answers == "yes").to_numpy()
    return np.exp(log_w)


@dataclass
class ThemeAnswers:
    """Derived answers per key (``yes`` / ``no`` / ``dont_know``) and each key's weights.

    Keys are ``theme:<code>`` (overall) and ``<channel>:<code>`` (through one channel).
    ``frame`` holds one ``<key>_ever`` column per key, in the layout the MRP and raking code read.
    """

    frame: pd.DataFrame
    weights: dict[str, np.ndarray]
    channels: tuple[str, ...]        # the channels whose content question was asked
    themes: tuple[str, ...]
    missing: dict[str, float]        # m_c per channel


def overall_key(theme: str) -> str:
    return f"theme:{theme}"


def channel_key(channel: str, theme: str) -> str:
    return f"{channel}:{theme}"


def asked_channels(respondents: pd.DataFrame, channels) -> tuple[str, ...]:
    """The channels with a ``<channel>_themes`` column holding at least one answer."""
    return tuple(ch for ch in channels if f"{ch}_themes" in respondents
                 and respondents[f"{ch}_themes"].fillna("").astype(str).str.strip().ne("").any()
                 and f"{ch}_ever" in respondents)


def theme_answers(respondents: pd.DataFrame, channels, themes=None) -> ThemeAnswers:
    """Exposure per theme, overall and through each channel, from validated respondents.

    ``channels``: the survey's channels (those without a content answer are left out);
    ``themes``: codes (default: the whole vocabulary). Unknowns become ``dont_know`` and are
    left out of the denominators, as for the channel answers.
    """
    themes = tuple(themes or vocabulary().codes)
    asked = asked_channels(respondents, channels)
    if not asked:
        raise CorridorError("no channel has answers to the content question", field="<channel>_themes",
                            hint="columns like dvd_themes, with theme codes")
    ever = {ch: respondents[f"{ch}_ever"].fillna("").astype(str) for ch in asked}
    content = {ch: respondents[f"{ch}_themes"] for ch in asked}
    missing = {ch: followup_missing_share(ever[ch], content[ch]) for ch in asked}
    cols: dict[str, np.ndarray] = {}
    weights: dict[str, np.ndarray] = {}
    for ch in asked:
        w = completeness_weights({ch: ever[ch]}, missing)
        for t in themes:
            cols[channel_key(ch, t)] = channel_theme_status(ever[ch], content[ch], t)
            weights[channel_key(ch, t)] = w
    w_all = completeness_weights(ever, missing)
    for t in themes:
        per = np.column_stack([cols[channel_key(ch, t)] for ch in asked])
        known = ~np.isnan(per).any(axis=1)
        status = np.where(known, np.nanmax(np.nan_to_num(per, nan=0.0), axis=1), np.nan)
        cols[overall_key(t)] = status
        weights[overall_key(t)] = w_all
    frame = pd.DataFrame({f"{k}_ever": np.where(np.isnan(v), "dont_know", np.where(v > 0, "yes", "no"))
                          for k, v in cols.items()}, index=respondents.index)
    for key, w in weights.items():
        valid = ~np.isnan(cols[key])
        weights[key] = w / w[valid].mean() if valid.any() else w
    return ThemeAnswers(frame, weights, asked, themes, missing)
