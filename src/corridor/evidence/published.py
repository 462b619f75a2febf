"""Published figures on exposure, shown beside estimates as external reference points."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _load() -> tuple[dict, ...]:
    text = resources.files("corridor.evidence").joinpath("data", "published_figures.yaml").read_text("utf-8")
    return tuple(yaml.safe_load(text))


def published_figures(channel: str | None = None) -> list[dict]:
    """Rows ``{study, year, sample, channel, figure, source}``, optionally for one channel."""
    rows = [dict(r) for r in _load()]
    if channel is not None:
        rows = [r for r in rows if channel in str(r["channel"]) or r["channel"] == "any"]
    return rows
