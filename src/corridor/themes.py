"""Content themes: one controlled, bilingual, versioned vocabulary for the ledger, the evidence
and the assessment.

The vocabulary ships in ``corridor/data/themes.yaml``: each theme has a code (what records
store), an English and a Korean label and a short definition in both. A coalition may edit a
copy and point ``CORRIDOR_THEMES_FILE`` at it; its ``version`` is reported with every answer
by theme. ``unknown`` is not a theme: it marks content nobody has documented (a public schedule
whose programming is not published), and is never guessed.

An activity's themes are a mapping ``code -> share`` (share of airtime or volume, 0–1, or
``None`` when not given); the shares of one activity add to at most 1. :func:`parse_themes`
reads the forms people write them in (a list, a mapping, or the text ``"world_news:0.5;
entertainment"``) and names the field and the nearest valid codes when something is wrong.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from corridor.errors import CorridorError

THEMES_FILE_ENV = "CORRIDOR_THEMES_FILE"
#: Content that is not documented. Not a theme of the vocabulary; allowed wherever themes are.
UNKNOWN = "unknown"
#: Shares of one activity may add to 1 plus this (rounding in hand-typed shares).
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Theme:
    code: str
    en: str
    ko: str
    definition_en: str
    definition_ko: str

    def label(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def definition(self, lang: str = "en") -> str:
        return self.definition_ko if lang == "ko" else self.definition_en


@dataclass(frozen=True)
class Vocabulary:
    version: int
    themes: tuple[Theme, ...]
    source: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.themes)

    def get(self, code: str) -> Theme:
        for t in self.themes:
            if t.code == code:
                return t
        raise KeyError(code)

    def label(self, code: str, lang: str = "en") -> str:
        """The theme's label in ``lang``; a code this vocabulary does not have (one of an
        earlier version, still in a record) is shown as it is."""
        if code == UNKNOWN:
            return "알 수 없음" if lang == "ko" else "Unknown"
        try:
            return self.get(code).label(lang)
        except KeyError:
            return code


_FIELDS = ("code", "en", "ko", "definition_en", "definition_ko")


def read_vocabulary(text: str, source: str) -> Vocabulary:
    """Parse a vocabulary file's text; a :class:`CorridorError` naming the file and field."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CorridorError(f"is not valid YAML{where}", source=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise CorridorError("needs a non-empty list 'themes'", source=source, field="themes")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CorridorError("must be a whole number from 1", source=source, field="version", value=version)
    themes, seen = [], set()
    for i, row in enumerate(data["themes"]):
        if not isinstance(row, dict):
            raise CorridorError("must be a mapping", source=source, field=f"themes[{i}]")
        for key in _FIELDS:
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise CorridorError("is missing or empty", source=source, field=f"themes[{i}].{key}",
                                    value=row.get(key))
        code = row["code"].strip()
        if not code.isidentifier() or code != code.lower() or code == UNKNOWN:
            raise CorridorError("must be lower-case letters, digits and _ (and not 'unknown')",
                                source=source, field=f"themes[{i}].code", value=code)
        if code in seen:
            raise CorridorError("appears twice", source=source, field=f"themes[{i}].code", value=code)
        seen.add(code)
        themes.append(Theme(**{k: row[k].strip() for k in _FIELDS}))
    return Vocabulary(version=version, themes=tuple(themes), source=source)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Vocabulary:
    if path is None:
        text = resources.files("corridor").joinpath("data", "themes.yaml").read_text("utf-8")
        return read_vocabulary(text, "themes.yaml")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise CorridorError("cannot be read as UTF-8 text", source=p.name, field=THEMES_FILE_ENV) from None
    return read_vocabulary(text, p.name)


def vocabulary() -> Vocabulary:
    """The vocabulary in use: ``$CORRIDOR_THEMES_FILE`` when set, else the shipped one."""
    return _load(os.environ.get(THEMES_FILE_ENV) or None)


def nearest_themes(code: object, vocab: Vocabulary | None = None) -> list[str]:
    """Up to three valid codes (or ``unknown``) closest in spelling to ``code`` (difflib ratio ≥ 0.5)."""
    vocab = vocab or vocabulary()
    text = str(code).strip().lower() if code is not None else ""
    return difflib.get_close_matches(text, (*vocab.codes, UNKNOWN), n=3, cutoff=0.5)


def check_theme(code: object, *, field: str = "themes", vocab: Vocabulary | None = None) -> str:
    """``code`` as a valid theme code (or ``unknown``); else an error naming the nearest codes."""
    vocab = vocab or vocabulary()
    text = str(code).strip().lower() if code is not None else ""
    if text in vocab.codes or text == UNKNOWN:
        return text
    near = nearest_themes(text, vocab)
    hint = ("did you mean " + " or ".join(repr(n) for n in near) + "?") if near else (
        "valid themes: " + ", ".join(vocab.codes))
    raise CorridorError("is not a theme", field=field, value=code, hint=hint)


def _share(value: object, field: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise CorridorError("must be a share from 0 to 1", field=field, value=value) from None
    if not math.isfinite(share) or not 0.0 <= share <= 1.0:
        raise CorridorError("must be a share from 0 to 1", field=field, value=value)
    return share


def parse_themes(value: object, *, field: str = "themes",
                 vocab: Vocabulary | None = None) -> dict[str, float | None]:
    """An activity's themes as ``{code: share or None}``, in the vocabulary's order.

    Accepts ``None`` or ``""`` (no themes), a list of codes, a mapping ``code -> share``, a list
    of ``{"theme": code, "share": x}`` mappings, or text ``"code:share;code"`` (``,`` also
    separates). ``unknown`` cannot be combined with a theme.
    """
    vocab = vocab or vocabulary()
    pairs: list[tuple[object, object]] = []
    if value is None:
        return {}
    if isinstance(value, str):
        for part in value.replace(",", ";").split(";"):
            if not part.strip():
                continue
            code, _, share = part.partition(":")
            pairs.append((code, share))
    elif isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, Iterable):
        for item in value:
            if isinstance(item, Mapping):
                pairs.append((item.get("theme", item.get("code")), item.get("share")))
            else:
                pairs.append((item, None))
    else:
        raise CorridorError("must be a list of themes", field=field, value=value)
    out: dict[str, float | None] = {}
    for code, share in pairs:
        c = check_theme(code, field=field, vocab=vocab)
        if c in out:
            raise CorridorError("is given twice", field=field, value=c)
        out[c] = _share(share, f"{field}.{c}")
    if UNKNOWN in out and len(out) > 1:
        raise CorridorError("'unknown' cannot be combined with a theme", field=field, value=", ".join(out))
    total = sum(s for s in out.values() if s is not None)
    if total > 1.0 + SHARE_TOLERANCE:
        raise CorridorError(f"the shares add to {total:g}, more than 1", field=field,
                            value="; ".join(f"{c}:{s:g}" for c, s in out.items() if s is not None))
    order = {c: i for i, c in enumerate((*vocab.codes, UNKNOWN))}
    return dict(sorted(out.items(), key=lambda kv: order[kv[0]]))


def format_themes(themes: Mapping[str, float | None]) -> str:
    """The text form read by :func:`parse_themes` (``"world_news:0.5;entertainment"``)."""
    return ";".join(c if s is None else f"{c}:{s:g}" for c, s in themes.items())
