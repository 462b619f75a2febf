"""Suggest what could identify a witness (names, places, dates) and apply a reviewer's choices.

Suggestions only: a reviewer accepts, rejects or adds spans before anything leaves the archive
(:mod:`corridor.archive.records`). The detector favours recall over precision, since a missed
name can cost a family in the North while a needless redaction costs a word.

- **Korean**: morphological analysis with Kiwi (``kiwipiepy``; Lee, "Kiwi: Developing a Korean
  Morphological Analyzer Based on Statistical Language Models and Skip-Bigram Models", 2024):
  proper nouns (``NNP``), joined with a following one-syllable noun the analyser split off
  (박순|희), are places when they are in the gazetteer or carry an administrative suffix
  (시, 군, 구역, 리, 동, 읍, 노동자구) or a facility word (교화소, 수용소, 집결소), and names
  otherwise; a known surname with a title (씨, 동무, 선생) is a name even where Kiwi sees none.
- **English**: romanised Korean names (a surname from the common-surname list followed by a
  given name, often hyphenated: "Kim Young-chol"), titled names ("Mrs Park"), hyphenated given
  names alone, gazetteer places and "X County/City/Province" patterns.
- **Dates** in both languages: years, months with years, days with months.

The gazetteer holds the provinces, the 2019 counties and cities (OpenAdminData) and the
populated places of the region (GeoNames ``cities500``), in English and, where GeoNames has
them, in Korean; it is shipped in ``corridor.geo``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

KINDS = ("name", "place", "date")
PLACEHOLDER = {"en": {"name": "[name]", "place": "[place]", "date": "[date]"},
               "ko": {"name": "[이름]", "place": "[장소]", "date": "[날짜]"}}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    text: str


# --------------------------------------------------------------------------- gazetteer


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(English place names, Korean place names) for North Korea and the Chinese border region."""
    import csv
    from importlib import resources

    from corridor.geo.names import PROVINCES, PROVINCES_KO

    en, ko = set(PROVINCES), set()
    for p in PROVINCES:
        en.update(p.split())
    en -= {"North", "South"}
    for v in PROVINCES_KO.values():
        ko.add(v)
        ko.add(re.sub("(도|시)$", "", v))
    data = resources.files("corridor.geo").joinpath("data")
    with data.joinpath("admin", "kp_adm2_openadmindata.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = re.sub(r" (City|County|District|Worker's District)$", "", row["name_en"]).strip()
            en.add(name)
            en.add(row["name_en"])
    with data.joinpath("population", "geonames_cities500_korea_region.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["country"] not in ("KP", "CN"):
                continue
            en.add(row["name"])
            for alt in (row.get("alt_names_cjk") or "").split("|"):
                if alt and all("\uac00" <= ch <= "\ud7a3" for ch in alt):
                    ko.add(alt)
                    if len(alt) > 2 and alt[-1] in "시군구읍리동":
                        ko.add(alt[:-1])
    ko.update(_EXTRA_KO_PLACES)
    en.update(_EXTRA_EN_PLACES)
    en = {e for e in en if len(e) > 2}
    return frozenset(en), frozenset(k for k in ko if len(k) >= 2)


# Places that recur in testimonies but are not all populated places in GeoNames (camps, border
# towns in China, crossing points); from the UN COI report (A/HRC/25/CRP.1, 2014) and Hawk (2012).
_EXTRA_KO_PLACES = {"요덕", "개천", "화성", "북창", "회령", "청진", "혜산", "무산", "온성", "신의주", "평양",
                    "전거리", "도문", "연길", "장백", "단동", "심양", "훈춘", "함흥", "남포", "길림성", "지린성",
                    "료녕성", "랴오닝성", "흑룡강성", "헤이룽장성", "화룡", "룡정", "용정",
                    "원산", "사리원", "강계", "만포", "나선", "길주", "김책", "단천", "새별", "경원"}
_EXTRA_EN_PLACES = {"Yodok", "Kaechon", "Hwasong", "Pukchang", "Chongori", "Jongori", "Tumen", "Yanji",
                    "Changbai", "Dandong", "Shenyang", "Hunchun", "Yalu", "Hoeryong", "Chongjin", "Hyesan",
                    "Musan", "Onsong", "Sinuiju", "Hamhung", "Wonsan", "Kimchaek", "Tanchon", "Saebyol",
                    "Jilin", "Liaoning", "Heilongjiang", "Helong", "Longjing", "Tonghua", "Yanbian"}

# --------------------------------------------------------------------------- Korean

_KO_SURNAMES = set("김이박최정강조윤장임한오서신권황안송전홍고문손양배백허유남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모남탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈단견당화창")
_KO_TITLES = ("씨", "동무", "선생", "언니", "오빠", "아저씨", "아주머니", "할머니", "할아버지", "님")
_KO_PLACE_SUFFIX = ("시", "군", "구역", "리", "동", "읍", "면", "노동자구", "도", "역", "교화소", "수용소",
                    "집결소", "구류장", "단련대", "관리소", "강")
#: Nouns Kiwi sometimes tags as proper but that identify no one (agencies, facility kinds).
_KO_COMMON = {"보위부", "보위성", "안전부", "안전성", "구류장", "교화소", "집결소", "수용소", "관리소", "노동단련대",
              "단련대", "보안서", "보안원", "인민반", "노동당", "조선", "북한", "중국", "한국", "남한", "공안",
              "장마당", "김정일", "김정은", "김일성"}
_KO_KIN_NAME = re.compile(r"(?:언니|오빠|누나|형|동생|남동생|여동생|어머니|아버지|엄마|아빠|남편|아내|딸|아들|이모|삼촌|고모|"
                          r"친구|이웃|사촌|지도원|보위원|안전원|보안원|계호원|반장|작업반장|인민반장|사장|지배인|소장|부장|"
                          r"과장|담당|브로커|군인|교원|선생)\s+([가-힣]{2,3})(?=은|는|이|가|을|를|의|와|과|도|에게|하고|,|\s)")
_KO_FACILITY_AFTER = re.compile(r"\s?(?:교화소|수용소|집결소|관리소|노동단련대|구류장)")
_KO_DATE = re.compile(r"(?:(?:19|20)\d{2}\s*년(?:\s*\d{1,2}\s*월)?(?:\s*\d{1,2}\s*일)?(?:\s*(?:[초중말]|봄|여름|가을|겨울)"
                      r"(?=[\s,.]|에|부터|까지|의|$))?|\d{1,2}\s*월\s*\d{1,2}\s*일|(?:19|20)\d{2}\s*[./-]\s*\d{1,2}"
                      r"(?:\s*[./-]\s*\d{1,2})?)")
_KO_TITLED = re.compile(r"([가-힣]{2,4})\s?(?=" + "|".join(_KO_TITLES) + ")")


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def detect_ko(text: str) -> list[Span]:
    _, places = gazetteer()
    toks = _kiwi().tokenize(text)
    spans: list[Span] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.tag != "NNP":
            i += 1
            continue
        start, end = t.start, t.start + t.len
        j = i + 1
        # glue pieces Kiwi split off a proper noun: 박순|희, 회령|시 (adjacent, no space)
        while j < len(toks) and toks[j].start == end and toks[j].tag in ("NNP", "NNG", "XSN") and toks[j].len <= 4:
            nxt = toks[j]
            if nxt.tag == "NNG" and nxt.len > 1 and nxt.form not in _KO_PLACE_SUFFIX:
                break
            end = nxt.start + nxt.len
            j += 1
        word = text[start:end]
        if word in _KO_COMMON:
            i = j
            continue
        stem = word
        for suf in sorted(_KO_PLACE_SUFFIX, key=len, reverse=True):
            if word.endswith(suf) and len(word) > len(suf):
                stem = word[: -len(suf)]
                break
        after = text[end:end + 4].lstrip()
        is_place = (word in places or stem in places or stem != word
                    or any(after.startswith(s) for s in ("시", "군", "구역", "노동자구", "교화소", "수용소")))
        if word in places or stem in places or (stem != word and word[0] not in _KO_SURNAMES):
            kind = "place"
        elif any(after.startswith(tl) for tl in _KO_TITLES) or (word[0] in _KO_SURNAMES and 2 <= len(word) <= 4):
            kind = "name"
        else:
            kind = "place" if is_place else "name"
        spans.append(Span(start, end, kind, word))
        i = j
    for m in _KO_KIN_NAME.finditer(text):
        if m.group(1) not in places:
            spans.append(Span(m.start(1), m.end(1), "name", m.group(1)))
    for m in _KO_TITLED.finditer(text):
        word = m.group(1)
        if word[0] in _KO_SURNAMES:
            spans.append(Span(m.start(1), m.end(1), "name", word))
    for m in _KO_DATE.finditer(text):
        spans.append(Span(m.start(), m.end(), "date", m.group(0)))
    for place in places:
        if len(place) >= 2:
            for m in re.finditer(re.escape(place), text):
                spans.append(Span(m.start(), m.end(), "place", place))
    for sp in [sp for sp in spans if sp.kind == "place"]:   # 전거리 교화소: the facility goes with its place
        m = _KO_FACILITY_AFTER.match(text, sp.end)
        if m:
            spans.append(Span(sp.start, m.end(), "place", text[sp.start:m.end()]))
    return spans


# --------------------------------------------------------------------------- English

_EN_SURNAMES = ("Kim|Lee|Ri|Yi|Rhee|Park|Pak|Bak|Choi|Choe|Jung|Jong|Chung|Kang|Cho|Jo|Yoon|Yun|Jang|Chang|Lim|Rim|"
                "Han|Oh|O|Seo|So|Shin|Sin|Kwon|Hwang|Ahn|An|Song|Jeon|Jon|Chon|Hong|Ko|Go|Mun|Moon|Son|Yang|"
                "Bae|Pae|Baek|Paek|Heo|Ho|Yu|Ryu|Nam|Sim|Shim|No|Roh|Ha|Kwak|Sung|Cha|Joo|Ju|Woo|U|Ku|Koo|"
                "Min|Jin|Um|Won|Chae|Chun|Pyon|Ryom|Hyon|Hyun|Ji|Chi|Tak|Pang|Bang")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_GIVEN = r"[A-Z][a-z]+(?:-[a-z]+)?"
_EN_NAME = re.compile(rf"\b(?:{_EN_SURNAMES})\s+{_GIVEN}(?:\s+[A-Z][a-z]+)?\b")
_EN_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Comrade|Auntie|Uncle|Grandma|Grandpa)\.?\s+{_GIVEN}"
                        rf"(?:\s+{_GIVEN})?\b")
_EN_HYPHEN_GIVEN = re.compile(r"\b[A-Z][a-z]+-[a-z]{2,}\b")
_EN_KIN = re.compile(r"\b(?:named|called|my (?:brother|sister|mother|father|son|daughter|husband|wife|cousin|"
                     r"uncle|aunt|friend|grandmother|grandfather)),?\s+([A-Z][a-z]+(?:[- ][A-Z]?[a-z]+)?)")
_EN_PLACE_PATTERN = re.compile(r"\b(?:[A-Z][a-z]+(?:-[a-z]+)?\s)+(?:County|City|Province|District|Prison|Camp|"
                               r"Ri|Dong|Street|Station|Village|Farm|Mine)\b|\bCamp\s+(?:No\.\s*)?\d+\b")
_EN_TWO_CAPS = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[a-z]+)?)\b")
#: Capitalised words that start sentences or name nations, agencies, rivers: never a person.
_EN_COMMON_CAPS = {"I", "In", "On", "At", "The", "A", "An", "My", "Our", "His", "Her", "Their", "When", "Then",
                   "After", "Before", "From", "We", "They", "He", "She", "It", "There", "This", "That", "Later",
                   "North", "South", "Korea", "Korean", "Koreans", "China", "Chinese", "Russia", "Russian", "MSS",
                   "River", "Tumen", "Yalu", "Party", "Workers", "People", "Army", "Security", "State", "Ministry",
                   "Mr", "Mrs", "Ms", "Miss", "Dr", "Comrade", "January", "February", "March", "April", "May", "June",
                   "July", "August", "September", "October", "November", "December", "Christian", "Christians",
                   "Bible", "God", "Seoul", "UN", "United", "Nations", "Kim", "Il", "Sung", "Jong"}
_EN_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\.?(?:\s+(?:19|20)\d{{2}})?|(?:{_MONTHS})\.?\s+\d{{1,2}}"
                      rf"(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|(?:early |late |mid-)?(?:{_MONTHS}|spring|summer|"
                      rf"autumn|winter)\s+(?:of\s+)?(?:19|20)\d{{2}}|(?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}})\b")


def detect_en(text: str) -> list[Span]:
    places, _ = gazetteer()
    spans: list[Span] = []
    for rx in (_EN_NAME, _EN_TITLED, _EN_HYPHEN_GIVEN):
        for m in rx.finditer(text):
            spans.append(Span(m.start(), m.end(), "name", m.group(0)))
    for m in _EN_KIN.finditer(text):
        spans.append(Span(m.start(1), m.end(1), "name", m.group(1)))
    for m in _EN_PLACE_PATTERN.finditer(text):
        spans.append(Span(m.start(), m.end(), "place", m.group(0)))
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[a-z]+)?", text):
        window = re.match(r"[A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+(?:-[a-z]+)?){0,2}", text[m.start():]).group(0)
        words = window.split(" ")
        for n in range(len(words), 0, -1):   # the longest gazetteer entry starting here
            name = " ".join(words[:n])
            if name in places:
                spans.append(Span(m.start(), m.start() + len(name), "place", name))
                break
    for m in _EN_TWO_CAPS.finditer(text):
        first, second = m.group(1), m.group(2)
        if first in _EN_COMMON_CAPS or second in _EN_COMMON_CAPS or m.group(0) in places:
            continue
        spans.append(Span(m.start(), m.end(), "name", m.group(0)))
    for m in _EN_DATE.finditer(text):
        spans.append(Span(m.start(), m.end(), "date", m.group(0)))
    # a gazetteer place wins over a "name" that is the same words
    place_ranges = [(s.start, s.end) for s in spans if s.kind == "place"]
    return [s for s in spans if not (s.kind == "name" and any(a <= s.start and s.end <= b for a, b in place_ranges))]


# --------------------------------------------------------------------------- both


def merge(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans merged (the earlier kind wins, names before places before dates)."""
    order = {k: i for i, k in enumerate(KINDS)}
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end, order[s.kind])):
        if out and s.kind == out[-1].kind and s.kind != "date" and s.start > out[-1].end \
                and text[out[-1].end:s.start].isspace() and s.start - out[-1].end <= 2:
            last = out[-1]
            out[-1] = Span(last.start, s.end, last.kind, text[last.start:s.end])
            continue
        if out and s.start < out[-1].end:
            last = out[-1]
            if s.end > last.end:
                out[-1] = Span(last.start, s.end, last.kind, text[last.start:s.end])
            continue
        out.append(s)
    return out


def detect(text: str, lang: str) -> list[Span]:
    """Suggested spans for ``text`` in ``lang`` (``ko`` or ``en``), merged, in order."""
    raw = detect_ko(text) if lang == "ko" else detect_en(text)
    return merge(raw, text)


def apply(text: str, spans: list[tuple[int, int, str]], lang: str) -> str:
    """``text`` with each (start, end, kind) span replaced by its placeholder."""
    out, pos = [], 0
    for start, end, kind in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(PLACEHOLDER[lang][kind])
        pos = end
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- evaluation

_MARK = re.compile(r"\[\[(name|place|date)\|([^\]]+)\]\]")


def parse_marked(marked: str) -> tuple[str, list[Span]]:
    """Text with ``[[kind|words]]`` marks → plain text and the marked (gold) spans."""
    out, gold, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        gold.append(Span(length, length + len(m.group(2)), m.group(1), m.group(2)))
        out.append(m.group(2))
        length += len(m.group(2))
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), gold


@dataclass
class Recall:
    found: dict[str, int]
    total: dict[str, int]
    suggested: int
    suggested_on_gold: int

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else float("nan")

    @property
    def precision(self) -> float:
        return self.suggested_on_gold / self.suggested if self.suggested else float("nan")


def evaluate(documents: list[str], lang: str) -> Recall:
    """Recall per kind (a marked span counts as found when every character of it is covered by
    suggestions, of any kind: what matters is that it gets hidden) and precision of suggestions
    (share that overlap a marked span)."""
    found = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    suggested = on_gold = 0
    for marked in documents:
        text, gold = parse_marked(marked)
        spans = detect(text, lang)
        covered = set()
        for sp in spans:
            covered.update(range(sp.start, sp.end))
        for g in gold:
            total[g.kind] += 1
            if all(i in covered for i in range(g.start, g.end)):
                found[g.kind] += 1
        suggested += len(spans)
        on_gold += sum(any(sp.start < g.end and g.start < sp.end for g in gold) for sp in spans)
    return Recall(found, total, suggested, on_gold)


def read_marked(path) -> list[str]:
    """Paragraphs of a marked test file (lines starting with ``#`` are comments)."""
    from pathlib import Path

    text = "\n".join(ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if not ln.startswith("#"))
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
