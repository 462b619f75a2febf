"""Text safety: refusing characters that have no place in a name or a value typed by a person,
and neutralising text that a spreadsheet would run as a formula.

- NUL (U+0000) truncates strings in C libraries and some databases;
- the bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) reorder
  what a reader sees, so that ``txt.exe`` can be shown as ``exe.txt`` or one organisation's name
  can pose as another's (the "Trojan Source" class, CVE-2021-42574);
- the other C0 and C1 control characters (except tab and line breaks in long texts).
"""

from __future__ import annotations

import re
from typing import Any

from corridor.errors import CorridorError

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BAD_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")
_BAD_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first forbidden character of ``value`` as ``U+XXXX``, or None."""
    m = (_BAD_TEXT if multiline else _BAD_LINE).search(value)
    return None if m is None else f"U+{ord(m.group()):04X}"


def check_text(value: Any, *, field: str, source: str | None = None, multiline: bool = False) -> Any:
    """Return ``value`` unchanged, or raise naming the field and the character (never echoing the
    value, which may be an attacker's payload)."""
    if isinstance(value, str):
        bad = bad_character(value, multiline=multiline)
        if bad is not None:
            raise CorridorError(f"contains a control or text-direction character ({bad}), which is not allowed",
                                source=source, field=field)
    return value


def check_tree(value: Any, *, field: str, source: str | None = None) -> None:
    """:func:`check_text` on every string (keys included) of nested mappings and lists."""
    if isinstance(value, dict):
        for k, v in value.items():
            check_text(k, field=field, source=source)
            check_tree(v, field=f"{field}.{k}", source=source)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            check_tree(v, field=f"{field}.{i}", source=source)
    else:
        check_text(value, field=field, source=source)


#: First characters a spreadsheet may take as the start of a formula: OWASP's list (``=``, ``+``,
#: ``-``, ``@``) and the full-width forms that spreadsheets in East Asian locales also accept.
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
_STARTS = re.escape(FORMULA_STARTS)
#: A cell a spreadsheet may run: a formula start after any white space, or a tab or carriage
#: return (OWASP), in each case after any quotes already in front (so the rule can be undone).
_FORMULA_LIKE = re.compile(f"^'*(?:\\s*[{_STARTS}]|[\\t\\r])")
#: What :func:`spreadsheet_safe` made of such a cell: one more quote in front.
_NEUTRALISED = re.compile(f"^'{_FORMULA_LIKE.pattern[1:]}")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula (OWASP "CSV Injection").

    Text that begins with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), possibly after
    white space or quotes, or that begins with a tab or a carriage return, gets a single quote
    in front. Numbers are returned as they are: ``-2.5`` is a number, not a formula. The rule is
    reversible (:func:`from_spreadsheet_safe`): text that already starts with quotes before a
    formula start gets one more, so no stored value is confused with a neutralised one.
    """
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value
    return value


def from_spreadsheet_safe(text: str) -> tuple[str, bool]:
    """Undo :func:`spreadsheet_safe` on a cell read from a file: ``(text, was_neutralised)``.

    A cell that is a neutralised formula-like text loses its one added quote and stays text
    (never evaluated, never parsed as a number); any other cell is returned as it is.
    """
    if _NEUTRALISED.match(text):
        return text[1:], True
    return text, False
