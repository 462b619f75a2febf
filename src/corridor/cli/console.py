"""Shared console helpers for the commands: one Rich console, JSON output, progress."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def print_json(data: dict) -> None:
    """Print one JSON object on standard output, nothing else."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def status(message: str, *, quiet: bool = False) -> Iterator:
    """A spinner on standard error while something slow runs (silent when ``quiet``)."""
    if quiet:
        yield lambda _msg: None
        return
    with err_console.status(message) as st:
        yield lambda msg: st.update(f"{message}: {msg}")


MAX_DRAWS = 10_000


def check_run_options(*, lang: str, draws: int, out=None) -> None:
    """The checks every channel command makes before any work: language, draws, output path."""
    from corridor.atomic import check_writable
    from corridor.errors import CorridorError
    from corridor.i18n import check_language

    check_language(lang)
    if not 1 <= draws <= MAX_DRAWS:
        raise CorridorError(f"must be between 1 and {MAX_DRAWS:,}", field="--draws", value=draws)
    if out is not None:
        check_writable(out)


def with_spec(activity, source: str, **changes):
    """The same activity with some spec fields replaced (from command-line options), re-validated."""
    from corridor.channels.base import parse_activity

    data = activity.model_dump()
    data["spec"] = {**activity.spec.model_dump(), **changes}
    return parse_activity(data, source=source)
