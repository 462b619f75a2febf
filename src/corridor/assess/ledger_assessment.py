"""Assess the ledger: the one way the command line, the dashboard and the demo assess what is in
the coalition's ledger (its activities, on the population grid of the setting, with the evidence),
and a cache of such assessments keyed by the ledger's version.

:func:`assess_ledger` reads the activities a scope allows (see
:func:`corridor.assess.items.items_from_ledger`), loads the grid
(:func:`corridor.settings.grid_resolution_km` unless a grid or a resolution is given) and runs
:func:`corridor.assess.engine.assess`. :class:`AssessmentCache` keeps a few results keyed by the
ledger's version (the audit log's sequence number: every write advances it), the scope and the
reader's roles; concurrent requests for one key wait for a single computation, while requests for
different keys never wait for each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import cachetools
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import Actor
from corridor.access.tables import AuditHead
from corridor.assess.engine import Assessment, Evidence, assess
from corridor.assess.items import Scope, hidden_aggregate_count, items_from_ledger
from corridor.geo.grid import PopulationGrid, load_grid
from corridor.settings import grid_resolution_km

Progress = Callable[[str], None]

#: How many figures (the dashboard's, :data:`corridor.presentation.figures.FIGURES`) in how many
#: languages an assessment keeps drawn.
FIGURE_CACHE_SIZE = 3 * 2


def ledger_version(s: Session) -> int:
    """The ledger's version: the audit log's sequence number (every write advances it)."""
    return s.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0


class SingleFlightCache:
    """A small least-recently-used cache (``cachetools.LRUCache``) whose values are computed once
    per key: while one caller computes a key, others asking for the same key wait for its result
    (``cachetools.cached`` with a condition); callers of other keys go on at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data = cachetools.LRUCache(maxsize=size)
        self._cond = threading.Condition()
        self._get = cachetools.cached(self.data, key=lambda key, _compute: key, lock=self._cond,
                                      condition=self._cond)(lambda _key, compute: compute())

    def get(self, key: Hashable):
        """The cached value of ``key``, or None (never waits for a computation)."""
        with self._cond:
            return self.data.get(key)

    def get_or_compute(self, key: Hashable, compute: Callable[[], object]):
        """The value of ``key``: cached, or computed once by ``compute()`` (see the class notes).
        If ``compute`` raises, nothing is cached and the next caller tries again."""
        return self._get(key, compute)

    def put(self, key: Hashable, value) -> None:
        with self._cond:
            self.data[key] = value


@dataclass
class LedgerAssessment:
    """An assessment of the ledger as one reader may see it.

    ``assessment`` is None when there is nothing to assess; ``hidden`` is what
    :func:`~corridor.assess.items.hidden_aggregate_count` allows to say of the activities left out
    (None when no reader was given or the count may not be shown); ``version`` is the ledger
    version it was made from.
    """

    assessment: Assessment | None
    hidden: int | None = None
    version: int | None = None
    #: Drawn figures of this assessment, (name, language) -> PNG bytes; drawn once each by
    #: :func:`corridor.presentation.figures.figure_png`.
    figures: SingleFlightCache = field(default_factory=lambda: SingleFlightCache(2 * FIGURE_CACHE_SIZE),
                                       repr=False)


def assess_ledger(s: Session, *, scope: Scope = "all", actor: Actor | None = None,
                  evidence: Evidence | None = None, assumptions: dict | None = None, draws: int = 200,
                  seed: int = 0, scheduler: str | None = None, grid: PopulationGrid | None = None,
                  resolution_km: float | None = None, year: int | None = None,
                  progress: Progress | None = None) -> LedgerAssessment:
    """Assess the activities of the ledger in ``scope`` (as ``actor`` may read them).

    ``grid`` is used as given; otherwise the grid of ``resolution_km`` (default: the setting) for
    ``year`` (default: this year) is loaded. ``evidence`` caps each channel's modelled reach by
    the surveyed share, ``assumptions`` replace the shipped ones (see
    :func:`corridor.assess.engine.load_assumptions`). ``progress`` receives short messages.
    """
    say = progress or (lambda _m: None)
    version = ledger_version(s)
    items = items_from_ledger(s, scope=scope, actor=actor)
    hidden = hidden_aggregate_count(s, actor) if actor is not None else None
    if not items:
        return LedgerAssessment(None, hidden, version)
    if grid is None:
        grid = load_grid(grid_resolution_km(resolution_km), year, progress=say)
    say(f"assessing {len(items)} activities")
    a = assess(items, grid, evidence=evidence, assumptions=assumptions, draws=draws, seed=seed,
               scheduler=scheduler,
               progress=lambda done, total: say(f"coverage {done}/{total}") if total else None)
    return LedgerAssessment(a, hidden, version)


class AssessmentCache(SingleFlightCache):
    """Assessments of one ledger (with one evidence and one set of assumptions), keyed by the
    ledger version, the scope, the reader's roles, the draws and the grid resolution."""

    def __init__(self, size: int = 4) -> None:
        super().__init__(size)

    def assess(self, s: Session, *, version: int | None = None, scope: Scope = "all",
               actor: Actor | None = None, draws: int = 200, resolution_km: float | None = None,
               **kwargs) -> LedgerAssessment:
        """:func:`assess_ledger`, cached. ``version`` is the ledger version when the caller
        already knows it (read once per request)."""
        resolution_km = grid_resolution_km(resolution_km)
        roles = None if actor is None else tuple(sorted((k, v.value) for k, v in actor.roles.items()))
        key = (ledger_version(s) if version is None else version, scope, roles, draws, resolution_km)
        return self.get_or_compute(key, lambda: assess_ledger(s, scope=scope, actor=actor, draws=draws,
                                                               resolution_km=resolution_km, **kwargs))
