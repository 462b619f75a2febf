"""Korean everywhere a person reads: every message the code and the templates ask for has a Korean
translation in the merged catalogue, and every translation keeps the message's placeholders.

Messages are found with Babel's own extractors, as ``pybabel extract`` would find them:

* templates (``**/templates/**/*.html``: the web pages and the PDF report) with Jinja2's Babel
  extractor (``jinja2.ext.babel_extract``): ``_("...")``, ``gettext``, ``ngettext`` and
  ``{% trans %}`` blocks;
* Python modules with Babel's Python extractor, with Corridor's keywords: ``_("...")`` (a
  template's or a command's shorthand), ``gettext(lang, "...")`` and ``_gettext(request, "...")``
  (the message is the second argument) and ``ngettext``.

Babel's Python extractor also reports a string literal *inside* an argument, such as the key in
``_(item["reason"])``; such a call translates a value known only at run time, so a literal is kept
only when it is itself an argument of the call (checked with :mod:`ast`). Messages built at run
time (``gettext(lang, names[channel])``) are not found by any extractor; their catalogue entries
are checked where they are made.

The catalogue is the one the program reads: :func:`corridor.i18n.translations` merges every
``.po`` file under ``corridor/locale/ko/LC_MESSAGES``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import corridor
from corridor.i18n import translations

ROOT = Path(corridor.__file__).parent
CATALOGUES = ROOT / "locale" / "ko" / "LC_MESSAGES"

#: Corridor's gettext calls: name → the argument(s) holding the message (Babel's keyword specs).
KEYWORDS = {"_": None, "gettext": (2,), "_gettext": (2,), "ngettext": (1, 2)}
#: Which extractor reads which files (Babel method map; paths relative to the package).
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
#: Placeholders a translation must keep: ``{name}`` / ``{name:fmt}`` (str.format), ``%(name)s``.
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*(?:[:!][^{}]*)?\}|%\([A-Za-z_]\w*\)[sdfr]")


def _call_arguments(path: Path) -> set[str]:
    """String literals that are themselves arguments of a gettext call in a Python file."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name in KEYWORDS:
            out.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return out


@cache
def used_messages() -> dict[str, list[str]]:
    """Every message id the package asks for → where (``file:line``)."""
    found: dict[str, list[str]] = {}
    literals: dict[str, set[str]] = {}
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, options, KEYWORDS, strip_comment_tags=True):
        ids = [message] if isinstance(message, str) else [m for m in message if m]
        for mid in ids:
            if filename.endswith(".py"):
                if filename not in literals:
                    literals[filename] = _call_arguments(ROOT / filename)
                if mid not in literals[filename]:
                    continue      # a literal inside an argument (a lookup key), not a message
            found.setdefault(mid, []).append(f"{filename}:{lineno}")
    return found


def test_the_extractors_find_messages_of_every_kind():
    used = used_messages()
    where = {w.split(":")[0] for ws in used.values() for w in ws}
    assert any(w.startswith("web/templates/") for w in where)          # page templates
    assert any(w.startswith("presentation/templates/") for w in where)       # the PDF report
    assert any(w.startswith("cli/") for w in where)                    # commands: _("...")
    assert "Assumptions" in used                                       # a template's _("...")
    assert not [m for m in used if m == "reason"]                      # _(item["reason"]): a key, not a message


def test_every_message_a_person_reads_has_korean():
    merged = translations("ko")._catalog      # what gettext looks up (GNUTranslations' table)
    missing = {m: w for m, w in used_messages().items() if not merged.get(m) and not _language_neutral(m)}
    listing = "\n".join(f"  {m!r}  ({', '.join(w[:3])})" for m, w in sorted(missing.items()))
    assert not missing, f"{len(missing)} messages without Korean (add them to a .po file):\n{listing}"


def _language_neutral(message: str) -> bool:
    """Text that reads the same in Korean: numbers, units, symbols, placeholders only."""
    return not re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", message))


def _catalogue_files() -> list[Path]:
    return sorted(CATALOGUES.glob("*.po"))


def test_translations_keep_the_placeholders_and_each_message_is_translated_once():
    seen: dict[tuple[str, str | None], str] = {}
    problems = []
    for po in _catalogue_files():
        with po.open("rb") as f:
            catalog = read_po(f, locale="ko")
        for m in catalog:
            if not m.id:
                continue
            mid = m.id if isinstance(m.id, str) else m.id[0]
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            key = (mid, m.context)
            if key in seen:
                problems.append(f"{po.name}: {mid!r} is also in {seen[key]}")
            seen[key] = po.name
            for text in strings:
                if text and sorted(PLACEHOLDER.findall(mid)) != sorted(PLACEHOLDER.findall(text)):
                    problems.append(f"{po.name}: {mid!r} → {text!r}: placeholders differ")
    assert not problems, "\n".join(problems)
