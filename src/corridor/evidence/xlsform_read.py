"""Read an XLSForm for what an importer needs: field types, groups, repeats and choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corridor.errors import CorridorError


@dataclass
class FormSpec:
    """Fields of a form by name: type (``select_one``…), list name, and the repeat holding them."""

    form_id: str | None
    version: str | None
    types: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)
    repeat_of: dict[str, str | None] = field(default_factory=dict)
    repeats: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)


def read_form(path: Path | str) -> FormSpec:
    """Parse an XLSForm workbook (after checking that it compiles)."""
    from openpyxl import load_workbook

    from corridor.evidence.form import compile_form

    path = Path(path)
    if not path.is_file():
        raise CorridorError("file not found", source=str(path), field="--form")
    compile_form(path)
    wb = load_workbook(path, read_only=True)
    sheet = lambda name: [[("" if c is None else str(c)).strip() for c in r] for r in wb[name].iter_rows(values_only=True)]  # noqa: E731
    survey = sheet("survey")
    head = survey[0]
    settings = {}
    if "settings" in wb.sheetnames:
        s = sheet("settings")
        settings = dict(zip(s[0], s[1])) if len(s) > 1 else {}
    spec = FormSpec(settings.get("form_id"), settings.get("version"))
    stack: list[str] = []
    for row in survey[1:]:
        rec = dict(zip(head, row))
        typ, name = rec.get("type", ""), rec.get("name", "")
        if typ == "begin_repeat":
            stack.append(name)
            spec.repeats.append(name)
        elif typ == "end_repeat":
            stack.pop()
        elif name and typ not in ("begin_group", "end_group"):
            parts = typ.split()
            spec.types[name] = parts[0]
            if parts[0] in ("select_one", "select_multiple") and len(parts) > 1:
                spec.lists[name] = parts[1]
            spec.repeat_of[name] = stack[-1] if stack else None
    if "choices" in wb.sheetnames:
        ch = sheet("choices")
        for row in ch[1:]:
            rec = dict(zip(ch[0], row))
            if rec.get("list_name"):
                spec.choices.setdefault(rec["list_name"], []).append(rec["name"])
    return spec
