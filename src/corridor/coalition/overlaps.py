"""Overlaps and gaps across the coalition: broadcast collisions, same-night launches, silent hours.

Radio collisions follow the practice of the HFCC (High Frequency Coordination Conference), which
coordinates shortwave schedules twice a year: two broadcasts collide when their frequencies are
within ±5 kHz of each other (the HF broadcasting channel spacing, ITU Radio Regulations
Appendix 11 and Article 12), their hours overlap on at least one common day and season, and
their target areas overlap. Collisions are found across organisations. These are the pure
checks; what a reader is told of a slot it may not read (only that "a coalition member uses a
slot that collides with yours") is decided by :mod:`corridor.access.views`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
from pyproj import Geod

from corridor.geo.names import PROVINCES

MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
CHANNEL_SPACING_KHZ = 5.0
KST = timezone(timedelta(hours=9))
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class RadioSlot:
    """One broadcast schedule line, reduced to what collision checks need."""

    activity_id: str
    org_id: int
    frequency_khz: float
    start_utc_min: int            # minutes after 00:00 UTC, 0–1439
    end_utc_min: int              # may be ≤ start: the broadcast runs past midnight UTC
    days: frozenset[int] = frozenset(range(7))   # 0 = Monday (of the UTC start)
    valid_from: date = date.min
    valid_to: date = date.max
    provinces: frozenset[str] = frozenset(PROVINCES)
    visibility: str = "private"   # its campaign's: what the access rules judge it by
    record_id: int | None = None  # the ledger row, when it comes from the ledger

    def weekly_intervals(self) -> list[tuple[int, int]]:
        """Minutes of the week [start, end) on air, split at the end of the week."""
        length = (self.end_utc_min - self.start_utc_min) % MINUTES_PER_DAY or MINUTES_PER_DAY
        out = []
        for d in sorted(self.days):
            s = d * MINUTES_PER_DAY + self.start_utc_min
            e = s + length
            if e <= MINUTES_PER_WEEK:
                out.append((s, e))
            else:
                out += [(s, MINUTES_PER_WEEK), (0, e - MINUTES_PER_WEEK)]
        return out

    def minutes_mask(self) -> np.ndarray:
        """Boolean array of the 10,080 minutes of a week, True when on air."""
        mask = np.zeros(MINUTES_PER_WEEK, dtype=bool)
        for s, e in self.weekly_intervals():
            mask[s:e] = True
        return mask


@dataclass(frozen=True)
class Collision:
    a: RadioSlot
    b: RadioSlot
    frequency_gap_khz: float
    overlap_minutes_per_week: int
    provinces: frozenset[str] = field(default_factory=frozenset)

    def sides_for(self, viewer_org: int) -> tuple[RadioSlot, RadioSlot]:
        """(the viewer's slot, the other slot)."""
        return (self.a, self.b) if self.a.org_id == viewer_org else (self.b, self.a)

    def describe_for(self, viewer_org: int, *, shown: bool, member_text: str) -> str:
        """One line for ``viewer_org``. With ``shown`` the other slot and the numbers of the
        collision; without, only the viewer's own slot and ``member_text`` (no number at all)."""
        mine, other = self.sides_for(viewer_org)
        head = f"{mine.activity_id} on {mine.frequency_khz:g} kHz: "
        if not shown:
            return head + member_text
        return (head + f"{other.activity_id} ({other.frequency_khz:g} kHz); "
                f"{self.overlap_minutes_per_week} min a week overlap, {self.frequency_gap_khz:g} kHz apart")


def _seasons_overlap(a: RadioSlot, b: RadioSlot) -> bool:
    return a.valid_from <= b.valid_to and b.valid_from <= a.valid_to


def common_minutes(a: RadioSlot, b: RadioSlot) -> int:
    """Minutes of the week both are on air (each slot's daily runs never overlap each other)."""
    total = 0
    for s1, e1 in a.weekly_intervals():
        for s2, e2 in b.weekly_intervals():
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def collide(a: RadioSlot, b: RadioSlot, *, spacing_khz: float = CHANNEL_SPACING_KHZ) -> Collision | None:
    """The collision of two slots, or None: within ``spacing_khz``, a common season, target
    province and minute of the week."""
    gap = abs(a.frequency_khz - b.frequency_khz)
    if gap > spacing_khz or not _seasons_overlap(a, b):
        return None
    common = a.provinces & b.provinces
    if not common:
        return None
    minutes = common_minutes(a, b)
    return Collision(a, b, gap, minutes, frozenset(common)) if minutes else None


def find_collisions(slots: Sequence[RadioSlot], *, spacing_khz: float = CHANNEL_SPACING_KHZ,
                    across_organisations_only: bool = True) -> list[Collision]:
    """Pairs of slots within ``spacing_khz`` that share minutes of the week, season and target."""
    out = []
    for i in range(len(slots)):
        for j in range(i + 1, len(slots)):
            a, b = slots[i], slots[j]
            if across_organisations_only and a.org_id == b.org_id:
                continue
            c = collide(a, b, spacing_khz=spacing_khz)
            if c is not None:
                out.append(c)
    return out


def collisions_of(slot: RadioSlot, others: Iterable[RadioSlot], *,
                  spacing_khz: float = CHANNEL_SPACING_KHZ) -> list[Collision]:
    """Collisions of one slot with slots of other organisations (``slot`` is always ``a``)."""
    out = []
    for other in others:
        if other.org_id == slot.org_id:
            continue
        c = collide(slot, other, spacing_khz=spacing_khz)
        if c is not None:
            out.append(c)
    return out


def silent_hours(slots: Iterable[RadioSlot], *, on: date | None = None, tz=KST) -> list[int]:
    """Hours of the day (in ``tz``, Korean time by default) in which none of ``slots`` is on air
    on any day. With ``on``, only schedules valid on that date count.

    Gaps are gaps in the slots given: the coordination view gives only those its reader may read.
    """
    covered = np.zeros(MINUTES_PER_WEEK, dtype=bool)
    for s in slots:
        if on is None or s.valid_from <= on <= s.valid_to:
            covered |= s.minutes_mask()
    offset = int(tz.utcoffset(None).total_seconds() // 60)
    local = np.roll(covered, offset).reshape(7, 24, 60)
    return [h for h in range(24) if not local[:, h, :].any()]


def unserved_provinces(slots: Iterable[RadioSlot]) -> list[str]:
    """2008 provinces that none of ``slots`` targets."""
    served: set[str] = set().union(*(s.provinces for s in slots))
    return [p for p in PROVINCES if p not in served]


@dataclass(frozen=True)
class Launch:
    activity_id: str
    org_id: int
    time: datetime           # timezone-aware
    lon: float
    lat: float


def night_of(t: datetime) -> date:
    """The night a launch belongs to, in Korean time: 12:00 one day to 12:00 the next."""
    return (t.astimezone(KST) - timedelta(hours=12)).date()


def same_night_launches(launches: Sequence[Launch], *, within_km: float = 20.0,
                        across_organisations_only: bool = False) -> list[tuple[Launch, Launch, float]]:
    """Pairs of launches on the same night within ``within_km`` of each other (km apart given)."""
    out = []
    for i in range(len(launches)):
        for j in range(i + 1, len(launches)):
            a, b = launches[i], launches[j]
            if across_organisations_only and a.org_id == b.org_id:
                continue
            if night_of(a.time) != night_of(b.time):
                continue
            _, _, metres = _GEOD.inv(a.lon, a.lat, b.lon, b.lat)
            if metres <= within_km * 1000.0:
                out.append((a, b, metres / 1000.0))
    return out
