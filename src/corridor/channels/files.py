"""Reading activities from YAML or JSON files, with errors that name the file and field.

This is the local command line's way in: a spec read here may name local files in its resource
fields (``jammers: my-jammers.yaml``), checked at once by
:func:`~corridor.channels.base.check_local_resources`. The shared ledger never comes here.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from corridor.channels.base import Activity, check_local_resources, parse_activity
from corridor.errors import CorridorError

MAX_BYTES = 5_000_000


def read_mapping(path: Path | str) -> dict:
    """Read one YAML or JSON object from ``path`` (UTF-8, with or without a BOM)."""
    path = Path(path)
    if not path.is_file():
        raise CorridorError("no such file", source=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise CorridorError(f"file is larger than {MAX_BYTES // 1_000_000} MB", source=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorridorError(f"not UTF-8 text (byte {exc.start})", source=str(path)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else (f" at line {exc.lineno}" if hasattr(exc, "lineno") else "")
        raise CorridorError(f"not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}{where}",
                            source=str(path)) from None
    if not isinstance(data, dict):
        raise CorridorError("expected a mapping of fields at the top level", source=str(path))
    return data


def read_activity(path: Path | str, *, channel: str | None = None) -> Activity:
    """Read one activity; ``channel`` fills in (or must match) the file's ``channel`` field."""
    data = read_mapping(path)
    if channel is not None:
        given = data.setdefault("channel", channel)
        if given != channel:
            raise CorridorError(f"this command reads {channel} activities", source=str(path),
                                field="channel", value=given)
    data.setdefault("id", Path(path).stem)
    activity = parse_activity(data, source=str(path))
    check_local_resources(activity, source=str(path))
    return activity
