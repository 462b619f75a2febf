"""What each derived view may reveal about records its reader cannot read, and the helpers that
hold it to that.

A derived view computes something from many records at once: a collision between two broadcast
schedules, the hours nobody broadcasts, counts by province and month, the dashboard's totals.
Each is an access decision like a single read, and the easy mistake is to compute it over every
record and then hide the other organisations' names: the numbers still carry what the names hid,
and an insider who can add and remove records of their own can difference them out. So every
view is declared here (:data:`VIEWS`): which records it is computed from, what it may reveal about
records the reader cannot read, and by which rule. The coalition, the assessment and the pages
call the helpers below with plain data; no view module decides on its own.

The helpers take an :class:`~corridor.access.rules.Actor` and records given as anything with
``org_id`` and ``visibility`` (see :class:`Item`); this module imports nothing above the access
core.

**Small cells.** Counts follow the threshold rule and the *p* % dominance rule of statistical
disclosure limitation (Federal Committee on Statistical Methodology, *Statistical Policy Working
Paper 22: Report on Statistical Disclosure Limitation Methodology*, 2nd ed., 2005, ch. 4), with
one change that matters for a coalition: the figures a reader gets count only **other**
organisations' records, so a reader who adds, removes or compares records of its own has nothing
to subtract (the differencing attack on threshold rules, WP 22 ch. 4; Duncan & Pearson,
"Enhancing access to microdata while protecting confidentiality", *Statistical Science* 6, 1991).
A total published beside suppressed cells is checked as a margin (complementary suppression,
WP 22 ch. 4): it is given only when what it adds to the cells given is itself safe.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from corridor.access.rules import Action, Actor, Role, Visibility, allowed

#: A cell is given only when at least this many organisations other than the reader's contribute.
MIN_ORGANISATIONS = 3
#: The p % rule: after the two largest contributions, at least this share of the largest remains.
DOMINANCE_P = 0.25
#: A writer is named to a slot's owner once it has written this many different schedules that
#: collided with the owner's slots (one or two are an ordinary organisation's own schedule).
NAME_WRITER_AFTER = 3

# --------------------------------------------------------------------------- the statements


@dataclass(frozen=True)
class ViewRule:
    """One derived view: where it is shown, what it is computed from, and what it may reveal about
    records the reader cannot read."""

    name: str
    shown_at: str
    computed_from: str
    reveals_of_unreadable: str
    rule: str
    source: str = ""


VIEWS: dict[str, ViewRule] = {v.name: v for v in (
    ViewRule(
        name="collisions",
        shown_at="GET /api/v1/overlaps, the /overlaps page",
        computed_from="the reader's organisations' saved radio schedules against every organisation's",
        reveals_of_unreadable=(
            "for each of the reader's own saved schedules, one bit: that some coalition member uses a "
            "slot colliding with it. No frequency, gap, minutes, days, provinces, organisation or id of "
            "the other slot, and no answer for a schedule that is not saved. To the owner of a slot: "
            "when, and which of its slots, a write of another organisation collided with; that "
            "organisation and its activity's id once it has written several different colliding "
            "schedules (probing)."),
        rule=("a slot the reader may read (its own, shared with the coalition, or public) is shown in full; any "
              "other is reported as 'a coalition member uses a slot that collides with yours', once per "
              "own schedule. Every write that collides with a slot its organisation may not read is "
              "written to the audit log under the slot owner's organisation and listed on the owner's "
              "overlaps page (when, which slot), naming the writer's organisation and activity once it "
              f"has written {NAME_WRITER_AFTER} different colliding schedules, so that probing is seen "
              "and a grid of decoy slots does not name whoever saves a schedule."),
        source="HFCC coordination practice (±5 kHz, common hours, days, season and target)"),
    ViewRule(
        name="silent_hours",
        shown_at="GET /api/v1/overlaps, the /overlaps page",
        computed_from="the radio schedules the reader may read",
        reveals_of_unreadable="nothing: private and aggregate-only schedules of others are not counted",
        rule=("computed only over what the reader may read, and the page says the gaps are gaps in the "
              "schedules it may read. Adding or removing its own slots changes the answer only by those "
              "slots, so differencing isolates nothing."),
    ),
    ViewRule(
        name="unserved_provinces",
        shown_at="GET /api/v1/overlaps, the /overlaps page",
        computed_from="the radio schedules the reader may read",
        reveals_of_unreadable="nothing (as silent hours)",
        rule="computed only over what the reader may read, as silent hours",
    ),
    ViewRule(
        name="aggregates",
        shown_at="GET /api/v1/aggregates",
        computed_from=("activities of campaigns shared with the coalition or published as aggregates, "
                       "by channel, province and month"),
        reveals_of_unreadable=(
            "per cell, the number of other organisations' aggregate-only activities, only when at least "
            "three organisations other than the reader's contribute to the cell and none dominates it; "
            "otherwise nothing, and a withheld cell is not told apart from an empty one."),
        rule=("per reader: records the reader may read in full are counted apart ('readable'); the rest "
              "('others') counts only other organisations' records and is given only when at least "
              f"{MIN_ORGANISATIONS} organisations contribute and, after the two largest contributions, at "
              f"least {round(DOMINANCE_P * 100)} % of the largest remains (p % rule). The reader's own "
              "records never enter 'others'."),
        source="FCSM Statistical Policy Working Paper 22 (threshold and p % rules)"),
    ViewRule(
        name="dashboard_totals",
        shown_at="the /dashboard page (figures, maps, what-if, the note on aggregate-only activities)",
        computed_from="the campaigns the reader may read in full (its own and those shared with the coalition)",
        reveals_of_unreadable=(
            "only how many aggregate-only activities of other organisations are left out, under the "
            "aggregates rule and only when the activities that fall in withheld cells pass it too; "
            "otherwise that some may be left out, without a number."),
        rule="the figures use readable records only; the count of left-out activities is a margin, checked as one",
        source="FCSM Statistical Policy Working Paper 22 (complementary suppression)"),
    ViewRule(
        name="calendar",
        shown_at="GET /api/v1/calendar, the /calendar page",
        computed_from="activities of the campaigns the reader may read (the campaign rule table's SQL filter)",
        reveals_of_unreadable="nothing: no count, gap or placeholder stands for a record left out",
        rule="listed through CAMPAIGNS.where(reader, campaign.view)",
    ),
    ViewRule(
        name="archive_search",
        shown_at="the archive's search page and saved searches",
        computed_from=("segments of the reader's own organisation's archive, of people whose internal "
                       "consent stands, for a holder of an archive role there"),
        reveals_of_unreadable=("nothing: hits and their number count only what the reader may search; "
                               "other organisations' archives are never searched"),
        rule="ARCHIVE.where(reader, archive.search) and the consent filter before any match is counted",
    ),
    ViewRule(
        name="hxl_export",
        shown_at="GET /api/v1/export.hxl, corridor export-hxl",
        computed_from="activities of the campaigns the reader may read",
        reveals_of_unreadable="nothing: rows of other records are absent, not blanked",
        rule="exported through the campaign rule table's SQL filter (campaign.view)",
    ),
)}


# --------------------------------------------------------------------------- records as views see them


class Item(Protocol):
    """A record as a view sees it: its organisation and its (campaign's) visibility."""

    org_id: int
    visibility: str


def may_read(actor: Actor, item: Item) -> bool:
    """May ``actor`` read ``item`` in full (campaign.view on its organisation and visibility)?"""
    return allowed(actor, Action.CAMPAIGN_VIEW, org_id=item.org_id, visibility=item.visibility)


def readable_by_organisation(org_id: int, item: Item) -> bool:
    """May every member of ``org_id`` read ``item`` in full? (Judged for its least role, viewer:
    what one member of an organisation learns from a view, all its members may.)"""
    return may_read(Actor(user_id=0, roles={org_id: Role.VIEWER}), item)


def is_own(actor: Actor, item: Item) -> bool:
    """Is ``item`` a record of one of the actor's organisations (one it may read)?"""
    return item.org_id in actor.roles and may_read(actor, item)


def readable_only(actor: Actor, items: Iterable[Item]) -> list:
    """The items ``actor`` may read in full: the only input of silent hours and unserved provinces."""
    return [i for i in items if may_read(actor, i)]


# --------------------------------------------------------------------------- collisions

#: What a reader is told of a slot it may not read.
MEMBER_COLLIDES = "a coalition member uses a slot that collides with yours"


def collision_lines(actor: Actor, pairs: Iterable[tuple[Item, Item, Mapping[str, Any], Mapping[str, Any]]]) -> list[dict]:
    """The collision lines ``actor`` may see.

    ``pairs``: ``(mine, other, about_mine, about_pair)``, one per side of a collision that is the
    actor's, where ``about_mine`` describes the actor's own slot and ``about_pair`` the other slot
    and the collision (numbers, ids, provinces). A pair whose ``mine`` is not a saved record of
    the actor's organisations is dropped (no answer for anyone else's slot). When the actor may
    read ``other``, the line carries both mappings; when it may not, one line per own slot says
    only :data:`MEMBER_COLLIDES`, with ``about_mine`` and nothing else.
    """
    lines: list[dict] = []
    opaque: set = set()
    for mine, other, about_mine, about_pair in pairs:
        if not is_own(actor, mine):
            continue
        if may_read(actor, other):
            lines.append({**about_mine, **about_pair, "shown": True})
            continue
        if mine in opaque:
            continue
        opaque.add(mine)
        lines.append({**about_mine, "other_activity": None, "shown": False})
    return lines


def must_note_collision(writer_org_id: int, other: Item) -> bool:
    """Is a write by ``writer_org_id`` that collides with ``other`` a match its owner must see?

    Yes whenever the writer's organisation may not read ``other``: it learns one bit about it.
    """
    return other.org_id != writer_org_id and not readable_by_organisation(writer_org_id, other)


def name_writer(distinct_schedules: int) -> bool:
    """Is the organisation behind matches named to the owner of the slots they collided with?

    Every match is shown (when, which slot); the writer's organisation and activity once it has
    written :data:`NAME_WRITER_AFTER` different colliding schedules. Naming at the first match
    would turn a grid of private decoy slots into a tool for learning *who* saves a schedule,
    and when and where it broadcasts; probing needs many different schedules, and is named.
    """
    return distinct_schedules >= NAME_WRITER_AFTER


def match_organisations(actor: Actor) -> list[int]:
    """The organisations whose collision matches ``actor`` sees: its own (their slots)."""
    return sorted(o for o in actor.roles if allowed(actor, Action.CAMPAIGN_VIEW, org_id=o))


# --------------------------------------------------------------------------- small cells

def releasable(by_organisation: Mapping[Hashable, int], *, min_orgs: int = MIN_ORGANISATIONS,
               p: float = DOMINANCE_P) -> bool:
    """May a count made of these contributions (organisation → count) be given?

    Threshold rule: at least ``min_orgs`` contributors. *p* % rule: the second-largest contributor,
    subtracting its own count from the total, must still be uncertain of the largest by at least
    ``p`` × the largest (total − x₁ − x₂ ≥ p·x₁). FCSM Working Paper 22, ch. 4.
    """
    counts = sorted((n for n in by_organisation.values() if n > 0), reverse=True)
    if len(counts) < max(min_orgs, 2):
        return False
    return sum(counts) - counts[0] - counts[1] >= p * counts[0]


@dataclass(frozen=True)
class Counted:
    """One record counted by an aggregate view: its organisation, visibility and the cells it
    falls in (an activity may target several provinces)."""

    org_id: int
    visibility: str
    cells: frozenset = field(default_factory=frozenset)


def _side(actor: Actor | None, item: Counted) -> str | None:
    """``readable``, ``others`` or None (not counted at all) for one record and one reader.

    With no reader (``None``) nothing is readable and every organisation counts as another's:
    the strictest answer, for callers that do not know who asks.
    """
    if actor is None:
        return "others" if item.visibility in (Visibility.COALITION.value, Visibility.AGGREGATE.value) else None
    if not allowed(actor, Action.AGGREGATE_VIEW, org_id=item.org_id, visibility=item.visibility):
        return None
    if may_read(actor, item):
        return "readable"
    return None if item.org_id in actor.roles else "others"


def aggregate_cells(actor: Actor | None, items: Iterable[Counted]) -> dict[Hashable, dict[str, int | None]]:
    """Per cell, what ``actor`` may be told: ``readable`` (records it may read in full, counted
    exactly), ``others`` (other organisations' records it may not read: a count under
    :func:`releasable`, else None) and ``activities`` (their sum as far as given).

    Cells with nothing readable and ``others`` withheld are left out: an absent cell, an empty one
    and a withheld one look the same.
    """
    readable: Counter = Counter()
    others: dict[Hashable, Counter] = defaultdict(Counter)
    for item in items:
        side = _side(actor, item)
        for cell in item.cells:
            if side == "readable":
                readable[cell] += 1
            elif side == "others":
                others[cell][item.org_id] += 1
    out = {}
    for cell in set(readable) | set(others):
        contributions = others.get(cell, Counter())
        given = sum(contributions.values()) if releasable(contributions) else None
        if not readable[cell] and given is None:
            continue
        out[cell] = {"activities": readable[cell] + (given or 0), "readable": readable[cell], "others": given}
    return out


def withheld_total(actor: Actor | None, items: Sequence[Counted]) -> int | None:
    """How many of ``items`` that ``actor`` may not read (other organisations' aggregate-only
    records), or None when that number may not be given.

    The number is a margin of the aggregate cells, so besides passing :func:`releasable` as a
    whole, the records that fall in any cell withheld from the reader must pass it as a group:
    otherwise "total minus the cells given" would rebuild a withheld cell (complementary
    disclosure, FCSM Working Paper 22, ch. 4).
    """
    hidden = [i for i in items if _side(actor, i) == "others"]
    by_org = Counter(i.org_id for i in hidden)
    if not releasable(by_org):
        return None
    per_cell: dict[Hashable, Counter] = defaultdict(Counter)
    for i in hidden:
        for cell in i.cells:
            per_cell[cell][i.org_id] += 1
    withheld_cells = {c for c, contributions in per_cell.items() if not releasable(contributions)}
    in_withheld = Counter(i.org_id for i in hidden if i.cells & withheld_cells)
    if in_withheld and not releasable(in_withheld):
        return None
    return len(hidden)
