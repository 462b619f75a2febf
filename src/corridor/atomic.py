"""Write files whole or not at all.

Every output Corridor writes (maps, tables, caches) goes through :func:`atomic_path`: the content
is written to a temporary file in the target's directory, then renamed over the target. A crash
or an error halfway leaves the old file (or no file), never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corridor.errors import CorridorError


def check_writable(target: Path | str, *, field: str = "--out") -> Path:
    """Return ``target`` as a :class:`Path` if its directory exists and is writable.

    Raises :class:`CorridorError` naming the path otherwise, before any work is done.
    """
    path = Path(target).expanduser()
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CorridorError("is a directory, give a file name", field=field, value=str(path))
    if not parent.is_dir():
        raise CorridorError("the folder does not exist", field=field, value=str(path))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CorridorError("the folder is not writable", field=field, value=str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise CorridorError("the file is not writable", field=field, value=str(path))
    return path


@contextmanager
def atomic_path(target: Path | str, *, field: str = "--out") -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success.

    The temporary file keeps the target's suffix so that libraries choosing a format by
    extension (Matplotlib, PyArrow) behave the same.
    """
    path = check_writable(target, field=field)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix or ".tmp",
                                    dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: Path | str, text: str, *, field: str = "--out") -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically and return the path."""
    with atomic_path(target, field=field) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
