"""Counting failed attempts in the database, so that every worker process sees the same count.

A key names what is being guessed at (``user:kim``, ``ip:203.0.113.9``, ``unseal:user:7``).
At most ``limit`` failures per key within ``window_s`` seconds; older failures are forgotten.
A success does not erase failures: one's own correct password after an attacker's guesses
must not reset the attacker's count (the window does that).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from corridor.access.tables import Failure


@dataclass(frozen=True)
class Throttle:
    limit: int = 5
    window_s: float = 900.0

    def _since(self, now: datetime | None) -> datetime:
        return (now or datetime.now(timezone.utc)) - timedelta(seconds=self.window_s)

    def blocked(self, s: Session, keys: Iterable[str], *, now: datetime | None = None) -> bool:
        """Whether any of ``keys`` has reached the limit within the window."""
        keys = list(keys)
        if not keys:
            return False
        q = (select(Failure.key, func.count(Failure.id)).where(Failure.key.in_(keys),
                                                              Failure.at >= self._since(now))
             .group_by(Failure.key))
        return any(n >= self.limit for _, n in s.execute(q))

    def failed(self, s: Session, keys: Iterable[str], *, now: datetime | None = None) -> None:
        """Count one failure for each key (the caller commits, even when the request fails)."""
        at = now or datetime.now(timezone.utc)
        for key in keys:
            s.add(Failure(key=key[:300], at=at))
        s.flush()

    def forget_old(self, s: Session, keys: Iterable[str] | None = None, *, now: datetime | None = None) -> int:
        """Delete failures older than the window (of ``keys`` only, if given: an indexed delete
        cheap enough for every failed attempt); return how many."""
        q = delete(Failure).where(Failure.at < self._since(now))
        if keys is not None:
            q = q.where(Failure.key.in_([k[:300] for k in keys]))
        return s.execute(q).rowcount or 0
