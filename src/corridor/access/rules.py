"""Who may do what: one rule table per record kind, and the two things made from it.

Every permission is a named action. For each kind of record, one :class:`RuleTable` says which
actions each role may take on its own organisation's records, and which actions a member of
*another* organisation may take, by the record's visibility. From that one table come both

- the Python predicate :func:`allowed` (``allowed(actor, action, record)``), and
- the SQL condition :meth:`RuleTable.where` (``select(Campaign).where(CAMPAIGNS.where(actor,
  action, org_id=Campaign.org_id, visibility=Campaign.visibility))``),

so a list and a single read can never disagree. No handler checks a role or a visibility itself.

Ledger records are **private** by default. An organisation can share a campaign with the
**coalition** (members of other organisations may read it) or publish it only as
**aggregates** (counts by channel, province and month, small cells suppressed). Nobody outside
the owning organisation can ever change a record. The testimony archive has its own roles, held
beside (not inside) the ledger roles, and no foreign access at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return {"viewer": 1, "editor": 2, "owner": 3}[self.value]


class Visibility(StrEnum):
    PRIVATE = "private"        # the owning organisation only
    COALITION = "coalition"    # members of every organisation in the coalition may read
    AGGREGATE = "aggregate"    # others see only counts by channel, province and month
    PUBLIC = "public"          # published openly (a broadcaster's public schedule): every member may read it


class Action(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE_MEMBERS = "org.manage_members"
    ORG_MANAGE_TOKENS = "org.manage_tokens"
    CAMPAIGN_VIEW = "campaign.view"
    CAMPAIGN_CREATE = "campaign.create"
    CAMPAIGN_EDIT = "campaign.edit"
    CAMPAIGN_DELETE = "campaign.delete"
    CAMPAIGN_SHARE = "campaign.share"
    CAMPAIGN_IMPORT = "campaign.import"
    AGGREGATE_VIEW = "aggregate.view"
    AUDIT_VIEW = "audit.view"


class ArchiveRole(StrEnum):
    INTERVIEWER = "interviewer"   # enters people, consent, interviews and files
    CODER = "coder"               # codes events, acts and media exposure on interviews
    REVIEWER = "reviewer"         # reviews redaction, exports, unlocks sealed identities


class ArchiveAction(StrEnum):
    VIEW = "archive.view"
    SEARCH = "archive.search"
    ENTER = "archive.enter"
    CODE = "archive.code"
    REVIEW = "archive.review"
    EXPORT = "archive.export"
    UNSEAL = "archive.unseal"


@dataclass(frozen=True)
class Actor:
    """Someone acting: their ledger role and archive roles in each organisation they belong to.

    An API token acts for one organisation only, with at most its creator's role there, and
    never with archive roles (the archive is for signed-in people).
    """

    user_id: int
    roles: Mapping[int, Role] = field(default_factory=dict)
    label: str | None = None   # how the audit log names it (default ``user:<id>``)
    archive_roles: Mapping[int, frozenset[ArchiveRole]] = field(default_factory=dict)

    def role_in(self, org_id: int) -> Role | None:
        return self.roles.get(org_id)

    @property
    def in_coalition(self) -> bool:
        return bool(self.roles)

    @property
    def audit_label(self) -> str:
        return self.label or f"user:{self.user_id}"

    def cache_key(self) -> tuple:
        """Everything that decides what this actor may read (for caches of answers)."""
        return (tuple(sorted((o, r.value) for o, r in self.roles.items())),
                tuple(sorted((o, tuple(sorted(v))) for o, v in self.archive_roles.items())))


class Owned(Protocol):
    """A record as the rules see it: the organisation it belongs to and who else may see it."""

    org_id: int


@dataclass(frozen=True)
class RuleTable:
    """The rules of one record kind.

    ``own``: the actions each role may take on its own organisation's records (a role holds
    exactly what is listed). ``foreign``: the actions a member of another organisation of the
    coalition may take, by the record's visibility (empty for kinds that never leave their
    organisation).
    """

    kind: str
    own: Mapping[Any, frozenset]
    foreign: Mapping[Visibility, frozenset] = field(default_factory=dict)

    def actions_of(self, roles: Any) -> frozenset:
        """What one role (or a set of roles, as in the archive) may do in its own organisation."""
        if isinstance(roles, (set, frozenset, list, tuple)):
            out: frozenset = frozenset()
            for r in roles:
                out |= self.own.get(r, frozenset())
            return out
        return self.own.get(roles, frozenset())

    def allows(self, actor: Actor, action, *, org_id: int, visibility: Visibility | str | None = None) -> bool:
        held = self._held(actor, org_id)
        if held is not None:
            return action in self.actions_of(held)
        if not actor.in_coalition or visibility is None:
            return False
        return action in self.foreign.get(Visibility(visibility), frozenset())

    def _held(self, actor: Actor, org_id: int):
        if self is ARCHIVE:
            return actor.archive_roles.get(org_id)
        return actor.role_in(org_id)

    def where(self, actor: Actor, action, *, org_id, visibility=None):
        """A SQL condition (SQLAlchemy) matching the records ``actor`` may ``action``.

        ``org_id`` and ``visibility`` are the record's columns. Returns ``false()`` when nothing
        matches, so it can always be used in ``where``.
        """
        from sqlalchemy import false, or_

        held = actor.archive_roles if self is ARCHIVE else actor.roles
        own = [o for o, r in held.items() if action in self.actions_of(r)]
        conds = [org_id.in_(own)] if own else []
        if visibility is not None and actor.in_coalition:
            vis = [v.value for v, acts in self.foreign.items() if action in acts]
            if vis:
                conds.append(visibility.in_(vis))
        return or_(*conds) if conds else false()


_VIEWER = frozenset({Action.ORG_VIEW, Action.CAMPAIGN_VIEW, Action.AGGREGATE_VIEW})
_EDITOR = _VIEWER | {Action.CAMPAIGN_CREATE, Action.CAMPAIGN_EDIT, Action.CAMPAIGN_DELETE,
                     Action.CAMPAIGN_IMPORT}
_OWNER = _EDITOR | {Action.CAMPAIGN_SHARE, Action.ORG_MANAGE_MEMBERS, Action.ORG_MANAGE_TOKENS,
                    Action.AUDIT_VIEW}

#: Campaigns and their activities (an activity has its campaign's visibility).
CAMPAIGNS = RuleTable(
    kind="campaign",
    own={Role.VIEWER: _VIEWER, Role.EDITOR: _EDITOR, Role.OWNER: _OWNER},
    foreign={Visibility.PRIVATE: frozenset(),
             Visibility.COALITION: frozenset({Action.CAMPAIGN_VIEW, Action.AGGREGATE_VIEW}),
             Visibility.AGGREGATE: frozenset({Action.AGGREGATE_VIEW}),
             Visibility.PUBLIC: frozenset({Action.CAMPAIGN_VIEW, Action.AGGREGATE_VIEW})},
)

#: Organisations: their members, tokens and audit trail. Never visible to other organisations.
ORGANISATIONS = RuleTable(
    kind="organisation",
    own={Role.VIEWER: frozenset({Action.ORG_VIEW}),
         Role.EDITOR: frozenset({Action.ORG_VIEW}),
         Role.OWNER: frozenset({Action.ORG_VIEW, Action.ORG_MANAGE_MEMBERS, Action.ORG_MANAGE_TOKENS,
                                Action.AUDIT_VIEW})},
)

#: Testimony archive records: only the owning organisation's archive roles count.
ARCHIVE = RuleTable(
    kind="archive",
    own={ArchiveRole.INTERVIEWER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.ENTER}),
         ArchiveRole.CODER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.CODE}),
         ArchiveRole.REVIEWER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.REVIEW,
                                          ArchiveAction.EXPORT, ArchiveAction.UNSEAL})},
)

def _table_for(action) -> RuleTable:
    if isinstance(action, ArchiveAction):
        return ARCHIVE
    if action in (Action.ORG_VIEW, Action.ORG_MANAGE_MEMBERS, Action.ORG_MANAGE_TOKENS, Action.AUDIT_VIEW):
        return ORGANISATIONS
    return CAMPAIGNS


def allowed(actor: Actor, action, record: Owned | None = None, *, org_id: int | None = None,
            visibility: Visibility | str | None = None) -> bool:
    """May ``actor`` do ``action`` on ``record`` (or on a record of ``org_id`` with ``visibility``)?

    ``record`` is anything with ``org_id`` (and, for campaigns, ``visibility``; an activity is
    judged by its campaign).
    """
    if record is not None:
        org_id = record.org_id
        campaign = getattr(record, "campaign", None)
        visibility = getattr(campaign if campaign is not None else record, "visibility", visibility)
    if org_id is None:
        raise TypeError("allowed() needs a record or an org_id")
    return _table_for(action).allows(actor, action, org_id=org_id, visibility=visibility)


def can_grant(granter: Actor, org_id: int, role: Role) -> bool:
    """An owner may give a role in their organisation, never more than they hold themselves."""
    mine = granter.role_in(org_id)
    return (mine is not None and allowed(granter, Action.ORG_MANAGE_MEMBERS, org_id=org_id)
            and role.rank <= mine.rank)


def can_grant_archive(granter: Actor, org_id: int) -> bool:
    """Archive roles are given (and taken) by an owner of the organisation (who need not hold one)."""
    return allowed(granter, Action.ORG_MANAGE_MEMBERS, org_id=org_id)


def archive_allowed(roles: Mapping[int, frozenset[ArchiveRole]], action: ArchiveAction, *, org_id: int) -> bool:
    """May someone holding archive ``roles`` (per organisation) do ``action`` on ``org_id``'s archive?"""
    return action in ARCHIVE.actions_of(roles.get(org_id, frozenset()))


def require_in_org(actor: Actor, action, org_id: int, *, refusal: str) -> None:
    """Refuse ``action`` in organisation ``org_id`` unless allowed: a non-member is told the
    organisation does not exist (the same answer as for a missing one), a member whose role does
    not allow it is told ``refusal``."""
    from corridor.access.errors import Forbidden, NotFound

    if allowed(actor, action, org_id=org_id):
        return
    if actor.role_in(org_id) is None:
        raise NotFound("no such organisation")
    raise Forbidden(refusal)
