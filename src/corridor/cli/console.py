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
