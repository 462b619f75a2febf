"""What the assessment takes in: the activities as items (with their cost, campaign and
organisation), the evidence in the form the assessment uses, and the editable assumptions
(``assess/data/assumptions.yaml``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from corridor.channels import Activity
from corridor.errors import CorridorError

#: Channels in the order the tables list them.
CHANNEL_ORDER = ("radio", "balloon", "border", "satellite", "loudspeaker")


@dataclass(frozen=True)
class Item:
    """One activity as the assessment sees it: what it is, who runs it, what it costs."""

    activity: Activity
    cost_usd: float | None = None
    campaign: str = ""
    organisation: str = ""
    campaign_id: int | None = None


@dataclass(frozen=True)
class Evidence:
    """What the evidence module says, in the form the assessment uses.

    ``exposure``: per survey channel ``{"share", "lower90", "upper90", "provinces": {name:
    {"share", "lower90", "upper90"}}}`` (see :func:`corridor.evidence.estimate.estimate_exposure`).
    ``influence``: ``{"item", "baseline", "channels": {survey channel: {"odds_ratio", "lower90",
    "upper90"}}}`` or None.
    """

    exposure: dict
    year: int
    respondents: int
    synthetic: bool = False
    influence: dict | None = None
    #: Share of people who left ever exposed to each content theme, any channel:
    #: ``{theme: {"median", "lower90", "upper90"}}`` (only themes the survey measured).
    themes: dict | None = None

    @classmethod
    def from_estimate(cls, estimate, influence: dict | None = None) -> Evidence:
        exposure = {}
        for name, ch in estimate.channels.items():
            if ch.share is None:
                continue
            exposure[name] = {"share": ch.share, "lower90": ch.lower90, "upper90": ch.upper90,
                              "raw_share": ch.raw_share, "provinces": dict(ch.provinces)}
        themes = getattr(estimate, "themes", None)
        return cls(exposure=exposure, year=estimate.year, respondents=estimate.respondents,
                   synthetic=bool(estimate.synthetic), influence=influence,
                   themes=theme_shares(themes.as_dict() if themes is not None else None))

    @classmethod
    def read(cls, path: Path) -> Evidence:
        """An evidence file: one written by :meth:`as_dict`, or the output of
        ``corridor evidence estimate --json`` (national and, when given, province shares)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CorridorError(f"cannot read it ({exc.strerror})", source=str(path)) from None
        except json.JSONDecodeError as exc:
            raise CorridorError(f"not valid JSON ({exc.msg}, line {exc.lineno})", source=str(path)) from None
        try:
            if "exposure" in data:
                return cls.from_dict(data)
            if "channels" in data:  # `corridor evidence estimate --json`
                exposure = {ch: {"share": v["share"], "lower90": v["lower90"], "upper90": v["upper90"],
                                 "provinces": v.get("provinces", {})}
                            for ch, v in data["channels"].items() if v.get("share") is not None}
                return cls(exposure=exposure, year=int(data["year"]), respondents=int(data["respondents"]),
                           synthetic=bool(data.get("synthetic")), themes=theme_shares(data.get("themes")))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorridorError(f"not an evidence file (missing or bad {exc})", source=str(path)) from None
        raise CorridorError("not an evidence file (no 'exposure' or 'channels')", source=str(path))

    def as_dict(self) -> dict:
        return {"exposure": self.exposure, "year": self.year, "respondents": self.respondents,
                "synthetic": self.synthetic, "influence": self.influence, "themes": self.themes}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(exposure=data["exposure"], year=int(data["year"]), respondents=int(data["respondents"]),
                   synthetic=bool(data.get("synthetic")), influence=data.get("influence"),
                   themes=data.get("themes"))


def theme_shares(block: dict | None) -> dict | None:
    """The national share exposed per theme from the ``themes`` block of
    ``corridor evidence estimate --json`` (themes the survey could not estimate are left out)."""
    if not block:
        return None
    out = {code: {"median": float(v["share"]), "lower90": float(v["lower90"]), "upper90": float(v["upper90"])}
           for code, v in (block.get("overall") or {}).items() if v.get("share") is not None}
    return out or None


@cache
def _default_assumptions_text() -> str:
    return resources.files("corridor.assess").joinpath("data", "assumptions.yaml").read_text(encoding="utf-8")


def load_assumptions(path: Path | None = None) -> dict:
    """The assessment's assumptions (overlap per channel, evidence mapping, influence item)."""
    text = _default_assumptions_text() if path is None else _read(path)
    data = yaml.safe_load(text)
    for ch, entry in data.get("overlap", {}).items():
        rho = entry.get("rho") if isinstance(entry, dict) else None
        if not isinstance(rho, (int, float)) or not 0 <= rho <= 1:
            raise CorridorError("overlap must be a number from 0 to 1", source=str(path or "assumptions"),
                                field=f"overlap.{ch}.rho", value=rho)
    return data


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CorridorError(f"cannot read it ({exc.strerror})", source=str(path)) from None
