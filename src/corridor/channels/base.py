"""The contracts every channel keeps: :class:`Activity` in, :class:`Coverage` out.

A channel (radio, balloon, border media, satellite, loudspeaker) is a physical reach model. It
receives one dated activity with a channel-specific spec (validated by the channel's own
pydantic model) and the shared population grid, and returns, for Monte Carlo draws × cells,
the probability that a person in the cell could receive it. Channels know nothing of the
database or the web; the ledger stores activities, the assessment combines coverages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    field_validator,
    model_validator,
)

from corridor.errors import CorridorError
from corridor.themes import parse_themes

if TYPE_CHECKING:  # ``corridor.geo`` loads pandas and shapely; the contracts do not need them to load
    from corridor.geo.grid import PopulationGrid


class ChannelSpec(BaseModel):
    """Base for channel specs: strict, so a misspelt field is an error, not a silent default.

    A field whose value may name a resource (a jammer set, a wind field) is marked with
    :class:`SharedValues` in its annotation; see :func:`check_shared_spec`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class SharedValues:
    """Marks a spec field whose value may name a resource, and says which values the shared
    ledger accepts there.

    On the command line such a field may also name a local file (``jammers: my-jammers.yaml``):
    the file belongs to the person running the command. In the shared ledger it may hold only
    one of ``values()``: the keywords and the samples shipped with Corridor. A server never opens
    a file because a spec names it (OWASP ASVS 4.0 V12.3.1 and the OWASP Path Traversal page:
    allow-list the names, never build a path from what a user sent).

    Use it in the field's annotation: ``jammers: Annotated[str, SharedValues(keys, "jammer set")]``.

    Parameters
    ----------
    values : callable
        Returns the accepted values (keywords and shipped sample keys), in the order to list them.
    what : str
        What the value names, for messages ("jammer set", "wind field").
    local_check : callable, optional
        Called with a value that is not one of ``values()`` when an activity is read from a local
        file (:func:`check_local_resources`), so that a missing or broken file is reported at once.
    """

    values: Callable[[], Iterable[str]]
    what: str
    local_check: Callable[[str], Any] | None = None

    def allowed(self) -> list[str]:
        return [str(v) for v in self.values()]


def shared_fields(model: type[BaseModel]) -> dict[str, SharedValues]:
    """The fields of ``model`` marked with :class:`SharedValues`, by name."""
    out = {}
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, SharedValues):
                out[name] = meta
    return out


def shared_value_problem(channel: str, spec: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first resource field of ``spec`` holding a value the shared ledger does not accept,
    as ``(field, message)``; None when every such field is absent, empty or allowed.

    Only the value's identity is compared with the allowed values: nothing is opened, resolved
    or normalised, so ``"default "``, ``"./Makefile"`` and ``"x.yaml/."`` are all refused alike.
    """
    model = get_channel(channel).spec_model
    for name, marker in shared_fields(model).items():
        if name not in spec or spec[name] is None:
            continue
        allowed = marker.allowed()
        value = spec[name]
        if not isinstance(value, str) or value not in allowed:
            message = (f"the shared ledger accepts only {', '.join(allowed)} here "
                       f"(a shipped {marker.what}; files are read only by the local command line)")
            return f"spec.{name}", message
    return None


def check_shared_spec(channel: str, spec: Any, *, source: str | None = None) -> None:
    """Refuse a spec for the shared ledger whose resource fields hold anything but the shipped
    keywords and samples (see :class:`SharedValues`).

    Called before the channel's model sees the spec, so that no validator can open a file for
    it. The error names the field and the allowed values, never the value given (it may be a
    path whose existence is the secret) and never anything read from a file.
    """
    if not isinstance(spec, Mapping):
        return   # the channel's model reports a spec that is not a mapping
    problem = shared_value_problem(channel, spec)
    if problem is not None:
        raise CorridorError(problem[1], source=source, field=problem[0])


def check_local_resources(activity: Activity, *, source: str | None = None) -> None:
    """For an activity read from a local file: check that the files its resource fields name
    can be used (a jammer file that parses), so a mistake is reported before any work."""
    spec = activity.spec
    for name, marker in shared_fields(type(spec)).items():
        value = getattr(spec, name)
        if value is None or marker.local_check is None or value in marker.allowed():
            continue
        try:
            marker.local_check(value)
        except CorridorError as exc:
            raise CorridorError(f"{', '.join(marker.allowed())} or a {marker.what} file ({exc.one_line()})",
                                source=source, field=f"spec.{name}") from None


class Activity(BaseModel):
    """One dated thing a campaign does on one channel.

    ``spec`` is validated by the channel's own spec model when the activity is made, so an
    invalid activity cannot exist. Build one with :meth:`Activity.create` or by validation from
    a mapping (a YAML or JSON file, an API request).

    ``themes`` says what the activity carries: content themes of :mod:`corridor.themes` with the
    share of airtime or volume each takes (0–1, or ``None`` when not known), read by
    :func:`corridor.themes.parse_themes` from a list, a mapping or text (``"world_news:0.5;
    religion"``); empty when nobody said, ``{"unknown": None}`` when the content is not documented.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(min_length=1, max_length=200)
    channel: str
    start: datetime
    end: datetime | None = None
    title: str = ""
    spec: SerializeAsAny[ChannelSpec]
    themes: dict[str, float | None] = Field(default_factory=dict)

    @field_validator("themes", mode="before")
    @classmethod
    def _parse_themes(cls, value: Any) -> dict[str, float | None]:
        # A CorridorError (naming the field ``themes`` and the nearest valid codes) passes through
        # pydantic unchanged: it is not a ValueError.
        return parse_themes(value, field="themes")

    @model_validator(mode="before")
    @classmethod
    def _parse_spec(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("spec"), dict):
            channel = get_channel(str(data.get("channel", "")))
            data = {**data, "spec": channel.spec_model.model_validate(data["spec"])}
        return data

    @model_validator(mode="after")
    def _check(self) -> "Activity":
        channel = get_channel(self.channel)
        if not isinstance(self.spec, channel.spec_model):
            raise ValueError(f"spec must be a {channel.spec_model.__name__} for channel {self.channel!r}")
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self

    @classmethod
    def create(cls, channel: str, spec: dict | ChannelSpec, *, id: str, start: datetime,
               end: datetime | None = None, title: str = "", themes: Any = None,
               source: str | None = None) -> "Activity":
        """Validate and build an activity; errors become a :class:`CorridorError` naming the field."""
        return parse_activity({"id": id, "channel": channel, "start": start, "end": end,
                               "title": title, "spec": spec, "themes": themes}, source=source)


def parse_activity(data: dict, *, source: str | None = None) -> Activity:
    """Validate a mapping into an :class:`Activity`, or raise one clear :class:`CorridorError`."""
    data = dict(data)
    channel = get_channel(str(data.get("channel", "")))
    if "themes" in data:
        try:
            data["themes"] = parse_themes(data["themes"], field="themes")
        except CorridorError as exc:
            raise CorridorError(exc.message, source=source, field=exc.field, value=exc.value,
                                hint=exc.hint) from None
    if isinstance(data.get("spec"), dict):
        try:
            data["spec"] = channel.spec_model.model_validate(data["spec"])
        except ValidationError as exc:
            raise validation_error(exc, source=source, prefix="spec") from None
    try:
        return Activity.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source=source) from None


def validation_error(exc: ValidationError, *, source: str | None = None,
                     prefix: str | None = None, echo_value: bool = True) -> CorridorError:
    """Turn pydantic's report into one line naming the first bad field and its value.

    ``echo_value=False`` leaves the value out: for data read from a file, whose content an
    error message must never repeat.
    """
    first = exc.errors()[0]
    parts = ([prefix] if prefix else []) + [str(part) for part in first["loc"]]
    loc = ".".join(parts) or "(top level)"
    value = first.get("input", ...) if echo_value else ...
    if isinstance(value, dict):
        value = ...
    message = first["msg"].removeprefix("Value error, ")
    extra = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return CorridorError(message + extra, source=source, field=loc, value=value)


@dataclass(frozen=True, eq=False)
class Coverage:
    """What one activity can reach: per Monte Carlo draw and grid cell, a probability.

    ``probability[d, i]`` is the probability that a person living in cell ``i`` could receive the
    activity, under draw ``d`` of the uncertain inputs. Draws carry the uncertainty; summaries
    give medians and 90 % intervals over them.
    """

    activity_id: str
    channel: str
    grid_key: str
    probability: np.ndarray                  # (draws, cells), float in [0, 1]
    model: str                               # e.g. "ISO 9613-2 point source, 1 kHz band"
    version: str
    assumptions: dict[str, str] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = np.asarray(self.probability)
        if p.ndim != 2:
            raise ValueError(f"probability must be draws × cells, got shape {p.shape}")
        if not np.all(np.isfinite(p)) or p.min(initial=0) < 0 or p.max(initial=0) > 1:
            raise ValueError("probability must be finite and within [0, 1]")

    @property
    def draws(self) -> int:
        return int(self.probability.shape[0])

    def check_grid(self, grid: PopulationGrid) -> None:
        if grid.key != self.grid_key or grid.n_cells != self.probability.shape[1]:
            raise ValueError(f"coverage {self.activity_id!r} was made on grid {self.grid_key}, "
                             f"not {grid.key}")

    def people(self, grid: PopulationGrid) -> np.ndarray:
        """Expected people who could receive it, per draw (people)."""
        self.check_grid(grid)
        return self.probability @ grid.population

    def people_by_province(self, grid: PopulationGrid) -> np.ndarray:
        """Expected people per draw and 2008 province, shape (draws, 10)."""
        from corridor.geo.names import PROVINCES

        self.check_grid(grid)
        onehot = np.zeros((grid.n_cells, len(PROVINCES)))
        onehot[np.arange(grid.n_cells), grid.province] = 1.0
        return self.probability @ (grid.population[:, None] * onehot)

    def summary(self, grid: PopulationGrid) -> dict[str, float]:
        """People reached: median and 90 % interval over draws, and the grid's population."""
        reached = self.people(grid)
        lo, med, hi = np.percentile(reached, [5, 50, 95])
        return {"reached_median": float(med), "reached_lower90": float(lo),
                "reached_upper90": float(hi), "population": float(grid.population.sum())}


@runtime_checkable
class Channel(Protocol):
    """A reach model. Implementations register themselves with :func:`register`."""

    name: ClassVar[str]
    title: ClassVar[str]
    spec_model: ClassVar[type[ChannelSpec]]

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200,
                 seed: int = 0) -> Coverage:
        ...


_REGISTRY: dict[str, Channel] = {}
#: Channel name -> module whose import registers it (see :func:`register_module`).
_MODULES: dict[str, str] = {}
#: Channel name -> the name people read, in English (the gettext message id; see :func:`channel_title`).
_TITLES: dict[str, str] = {}


def register(channel_cls: type) -> type:
    """Class decorator: make a channel known by its ``name``; its ``title`` is the one given to
    :func:`register_module`."""
    channel_cls.title = _TITLES.get(channel_cls.name, channel_cls.name)
    instance = channel_cls()
    if not isinstance(instance, Channel):
        raise TypeError(f"{channel_cls.__name__} does not implement the Channel protocol")
    _REGISTRY[channel_cls.name] = instance
    return channel_cls


def register_module(name: str, module: str, title: str | None = None) -> None:
    """Name a channel before loading it: ``module`` is imported (and registers the channel with
    :func:`register`) only when :func:`get_channel` or :func:`all_channels` first needs it, so
    reading a file or checking an option does not load every channel's models. ``title`` is the
    channel's name for people, in English (translated by :func:`channel_title`); the channel
    class's ``title`` is set from it."""
    _MODULES[name] = module
    _TITLES[name] = title or name


def channel_title(name: str, lang: str = "en") -> str:
    """The name people read for the channel ``name`` in ``lang`` (``"Leaflet balloons"``,
    ``"전단 풍선"``), without importing the channel; an unknown name is returned as it is."""
    from corridor.i18n import gettext

    return gettext(lang, _TITLES.get(name, name))


def _load(name: str) -> None:
    if name not in _REGISTRY and name in _MODULES:
        importlib.import_module(_MODULES[name])
        if name not in _REGISTRY:
            raise RuntimeError(f"importing {_MODULES[name]} did not register the channel {name!r}")


def get_channel(name: str) -> Channel:
    """The registered channel called ``name``; an unknown name is a :class:`CorridorError`."""
    _load(name)
    if name not in _REGISTRY:
        raise CorridorError("unknown channel", field="channel", value=name,
                            hint="one of: " + ", ".join(sorted(set(_REGISTRY) | set(_MODULES))))
    return _REGISTRY[name]


def all_channels() -> dict[str, Channel]:
    """Every known channel by name, loading those not loaded yet."""
    for name in list(_MODULES):
        _load(name)
    return dict(_REGISTRY)
