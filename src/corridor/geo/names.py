"""Names of North Korea's provinces and counties, in the spellings people actually use.

Survey exports, ledgers and testimonies name places in English, in Korean, in McCune–Reischauer
(with or without breves) or in the South's Revised Romanization, and often by a unit that has
since changed (Nampo, Rason, Kaesong). Everything is resolved here to the ten provinces of the
2008 census, which is what the population grid and the post-stratification frame use.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from corridor.errors import CorridorError

#: The ten provinces of the 2008 census, on 2008 boundaries, in the census's English names.
PROVINCES: tuple[str, ...] = (
    "Pyongyang", "South Pyongan", "North Pyongan", "Jagang", "South Hwanghae",
    "North Hwanghae", "Kangwon", "South Hamgyong", "North Hamgyong", "Ryanggang",
)

#: Korean names of the 2008 provinces.
PROVINCES_KO: dict[str, str] = {
    "Pyongyang": "평양시", "South Pyongan": "평안남도", "North Pyongan": "평안북도",
    "Jagang": "자강도", "South Hwanghae": "황해남도", "North Hwanghae": "황해북도",
    "Kangwon": "강원도", "South Hamgyong": "함경남도", "North Hamgyong": "함경북도",
    "Ryanggang": "량강도",
}

#: Natural Earth ``hasc`` codes of the shipped edition → 2008 province (Rason joins North Hamgyong).
NE_HASC_TO_PROVINCE: dict[str, str] = {
    "KP.PY": "Pyongyang", "KP.PN": "South Pyongan", "KP.PB": "North Pyongan",
    "KP.CH": "Jagang", "KP.WN": "South Hwanghae", "KP.WB": "North Hwanghae",
    "KP.KW": "Kangwon", "KP.HN": "South Hamgyong", "KP.HG": "North Hamgyong",
    "KP.YG": "Ryanggang", "KP.NJ": "North Hamgyong",
}

#: Border provinces (with China or Russia), used by the evidence models and the maps.
BORDER_PROVINCES: frozenset[str] = frozenset(
    {"North Pyongan", "Jagang", "Ryanggang", "North Hamgyong"})

# Other names for each province, written in the folded form of ``_fold``. Special cities that
# were carved out after 2008 resolve to the province that held them in 2008.
_ALIASES: dict[str, tuple[str, ...]] = {
    "Pyongyang": ("pyongyang", "pyeongyang", "pyongyangsi", "pyongyangjikhalsi",
                  "pyongyangcity", "평양", "평양직할시", "평양특별시"),
    "South Pyongan": ("southpyongan", "pyongannamdo", "pyeongannamdo", "pyongannam", "phyongannamdo",
                      "평남", "nampo", "namp'o", "nampho", "nampocity", "남포", "남포시",
                      "남포특별시"),
    "North Pyongan": ("northpyongan", "pyonganbukdo", "pyonganbukto", "pyeonganbukdo", "pyonganpukto",
                      "phyonganpukto", "평북"),
    "Jagang": ("jagang", "chagang", "chagangdo", "jagangdo", "자강"),
    "South Hwanghae": ("southhwanghae", "hwanghaenamdo", "hwanghaenam", "황남"),
    "North Hwanghae": ("northhwanghae", "hwanghaebukdo", "hwanghaepukto", "황북", "kaesong",
                       "gaeseong", "kaesongsi", "개성", "개성시", "개성특급시"),
    "Kangwon": ("kangwon", "gangwon", "kangwondo", "gangwondo", "강원", "강원도(북)"),
    "South Hamgyong": ("southhamgyong", "hamgyongnamdo", "hamgyeongnamdo", "hamgyongnam", "함남"),
    "North Hamgyong": ("northhamgyong", "hamgyongbukdo", "hamgyongbukto", "hamgyeongbukdo", "hamgyongpukto", "함북",
                       "rason", "rasŏn", "raseon", "rajinsonbong", "rajin-sonbong", "라선",
                       "라선시", "나선", "나선시"),
    "Ryanggang": ("ryanggang", "yanggang", "ryangkangdo", "ryanggangdo", "yanggangdo", "량강",
                  "양강도", "양강"),
}


def fold(name: str) -> str:
    """Lower-case, strip accents, breves, apostrophes, spaces and hyphens."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s'’ʼ`\-_.]", "", text)


_LOOKUP: dict[str, str] = {}
for _province in PROVINCES:
    _LOOKUP[fold(_province)] = _province
    _LOOKUP[fold(PROVINCES_KO[_province])] = _province
    for _alias in _ALIASES[_province]:
        _LOOKUP[fold(_alias)] = _province


def resolve_province(name: str, *, source: str | None = None, field: str = "province") -> str:
    """Return the 2008 census province for any common spelling of a province or special city.

    >>> resolve_province("P'yŏngan-namdo")
    'South Pyongan'
    >>> resolve_province("라선시")
    'North Hamgyong'

    Raises :class:`CorridorError` naming the value and the nearest valid name.
    """
    key = fold(str(name))
    if key in _LOOKUP:
        return _LOOKUP[key]
    return _unknown("province", name, PROVINCES, list(_LOOKUP), source, field)


def _unknown(kind: str, name: str, canonical, keys, source, field):
    close = difflib.get_close_matches(fold(str(name)), keys, n=1, cutoff=0.6)
    if close:
        best = _LOOKUP.get(close[0], close[0]) if kind == "province" else close[0]
        hint = f"did you mean {best!r}?"
    else:
        hint = "one of: " + ", ".join(canonical[:12]) + ("…" if len(canonical) > 12 else "")
    raise CorridorError(f"unknown {kind}", source=source, field=field, value=name, hint=hint)


def resolve_county(name: str, counties, *, source: str | None = None, field: str = "county") -> str:
    """Return the 2019 unit id (``KPnnnn``) for a county name in English or Korean.

    ``counties`` is the table from :func:`corridor.geo.sources.counties`. Ids are accepted too.
    """
    key = fold(str(name))
    table: dict[str, str] = {}
    for row in counties.itertuples():
        table[fold(row.adm2_id)] = row.adm2_id
        table[fold(row.name_en)] = row.adm2_id
        table[fold(re.sub(r"\s+(City|Dist\.)$", "", row.name_en))] = row.adm2_id
        for part in str(row.name_ko).split("·"):
            table[fold(part)] = row.adm2_id
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
    hint = f"did you mean {counties.set_index('adm2_id').loc[table[close[0]], 'name_en']!r}?" \
        if close else "see `corridor geo summary --province NAME` for the county names"
    raise CorridorError("unknown county", source=source, field=field, value=name, hint=hint)
