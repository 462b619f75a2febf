"""The fixed codes of the evidence schema: channels, answers, devices, age groups, periods.

Codes are stable across studies (a crosswalk maps each study's categories to them), and
"don't know" and "refused" are answers of their own, never folded into "no". The lists follow
the instruments of the anchor studies (InterMedia 2012 and 2017, the Ministry of Unification's
6,351-defector report, UMG 2019/2022); see ``docs/evidence-model.md``.
"""

from __future__ import annotations

import numpy as np

#: Channels of the canonical respondent CSV (``<channel>_ever`` columns), in report order.
CHANNELS: tuple[str, ...] = (
    "radio", "tv", "dvd", "usb_sd", "mp3_mp4", "phone", "leaflet", "satellite", "word_of_mouth",
)

CHANNEL_LABELS: dict[str, tuple[str, str]] = {
    "radio": ("Foreign radio", "외부 라디오"),
    "tv": ("Foreign TV broadcast", "외부 TV 방송"),
    "dvd": ("DVD / CD / VCD", "DVD·CD·VCD"),
    "usb_sd": ("USB stick / SD card", "USB·SD 카드"),
    "mp3_mp4": ("MP3 / MP4 player", "MP3·MP4 플레이어"),
    "phone": ("Content on a phone", "휴대전화 속 콘텐츠"),
    "leaflet": ("Balloon leaflet", "풍선 전단"),
    "satellite": ("Satellite TV", "위성 TV"),
    "word_of_mouth": ("Word of mouth", "입소문"),
}

#: Answers to an "ever" item. ``dont_know`` and ``refused`` are kept apart from ``no``.
ANSWERS: tuple[str, ...] = ("yes", "no", "dont_know", "refused")
ANSWER_ALIASES: dict[str, str] = {
    "yes": "yes", "y": "yes", "1": "yes", "true": "yes", "예": "yes", "네": "yes", "있다": "yes",
    "no": "no", "n": "no", "0": "no", "false": "no", "아니오": "no", "아니요": "no", "없다": "no",
    "dont_know": "dont_know", "don't know": "dont_know", "dk": "dont_know", "dontknow": "dont_know",
    "모름": "dont_know", "모르겠다": "dont_know",
    "refused": "refused", "refuse": "refused", "rf": "refused", "ref": "refused",
    "응답거부": "refused", "거부": "refused",
}

SEXES: tuple[str, ...] = ("male", "female")
SEX_ALIASES: dict[str, str] = {"m": "male", "male": "male", "man": "male", "남": "male", "남성": "male",
                               "남자": "male", "f": "female", "female": "female", "woman": "female",
                               "여": "female", "여성": "female", "여자": "female"}
URBAN_ALIASES: dict[str, bool] = {"urban": True, "yes": True, "1": True, "true": True, "도시": True,
                                  "dong": True, "동": True, "rural": False, "no": False, "0": False,
                                  "false": False, "농촌": False, "ri": False, "리": False}

#: Devices of the device-access table (InterMedia 2012 Fig. 3; 2017 devices chapter).
DEVICES: tuple[str, ...] = ("radio", "tv", "dvd_vcd", "notel", "usb", "sd", "mp3_mp4", "computer",
                            "phone_nk", "phone_cn", "tablet", "sat_dish")
TUNINGS: tuple[str, ...] = ("fixed", "tunable", "modified")
FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly", "less", "not_last12")
SOURCES: tuple[str, ...] = ("family", "friends", "market", "trader", "found", "other")
MODES: tuple[str, ...] = ("in_person", "phone", "video")
OCCUPATIONS: tuple[str, ...] = ("unemployed_dependent", "worker", "farmer", "office", "service",
                                "military", "student", "trader", "other")
#: Attitude items (Likert 1–5; ``dont_know``/``refused`` stored as answers, not numbers).
ATTITUDE_ITEMS: tuple[str, ...] = ("sk_richer", "sk_free", "us_hostile", "regime_to_blame",
                                   "succession_negative", "info_influenced_leaving",
                                   "witnessed_punishment")

#: Age groups (age in completed years at the time: at departure for a respondent, in the
#: target year for the population frame). Children under 15 are outside the frame.
AGE_GROUPS: tuple[str, ...] = ("15-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_LOWER: tuple[int, ...] = (15, 25, 35, 45, 55, 65)
MIN_AGE = 15

#: Departure periods (five-year bins, as in the Ministry of Unification's 6,351 report).
PERIOD_STARTS: tuple[int, ...] = (1990, 2000, 2005, 2010, 2015, 2020, 2025)
PERIOD_LABELS: tuple[str, ...] = ("<2000", "2000-04", "2005-09", "2010-14", "2015-19", "2020-24",
                                  "2025+")
#: Centre and scale of the linear departure-year trend: ``(year - 2010) / 10``.
TREND_CENTRE_YEAR = 2010
TREND_SCALE_YEARS = 10.0


def age_group_index(age_years) -> np.ndarray:
    """Index into :data:`AGE_GROUPS` for ages in years (ages under 15 fall in the first group)."""
    age = np.asarray(age_years, dtype=float)
    return np.clip(np.searchsorted(AGE_LOWER, age, side="right") - 1, 0, len(AGE_GROUPS) - 1)


def period_index(year) -> np.ndarray:
    """Index into :data:`PERIOD_LABELS` for calendar years (before 2000 → the first bin)."""
    y = np.asarray(year, dtype=float)
    return np.clip(np.searchsorted(PERIOD_STARTS, y, side="right") - 1, 0, len(PERIOD_STARTS) - 1)


def trend(year) -> np.ndarray:
    """Departure-year covariate of the model, in decades from 2010."""
    return (np.asarray(year, dtype=float) - TREND_CENTRE_YEAR) / TREND_SCALE_YEARS
