"""Who may do what: every permission is a named action, checked here and nowhere else.

Records belong to one organisation and are **private** by default. An organisation can share a
campaign with the **coalition** (members of other organisations may read it) or publish it only
as **aggregates** (counts by channel, province and month, small cells suppressed). Nobody outside
the owning organisation can ever change a record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


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


class Action(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE_MEMBERS = "org.manage_members"
    ORG_MANAGE_TOKENS = "org.manage_tokens"
    CAMPAIGN_VIEW = "campaign.view"
    CAMPAIGN_CREATE = "campaign.create"
    CAMPAIGN_EDIT = "campaign.edit"
    CAMPAIGN_DELETE = "campaign.delete"
    CAMPAIGN_SHARE = "campaign.share"
    AGGREGATE_VIEW = "aggregate.view"
    AUDIT_VIEW = "audit.view"


#: What each role may do inside its own organisation. Each role holds all of the one below.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.ORG_VIEW, Action.CAMPAIGN_VIEW, Action.AGGREGATE_VIEW}),
}
ROLE_ACTIONS[Role.EDITOR] = ROLE_ACTIONS[Role.VIEWER] | {
    Action.CAMPAIGN_CREATE, Action.CAMPAIGN_EDIT, Action.CAMPAIGN_DELETE}
ROLE_ACTIONS[Role.OWNER] = ROLE_ACTIONS[Role.EDITOR] | {
    Action.CAMPAIGN_SHARE, Action.ORG_MANAGE_MEMBERS, Action.ORG_MANAGE_TOKENS, Action.AUDIT_VIEW}

#: What a member of *another* organisation may do with a record, by its visibility.
FOREIGN_ACTIONS: dict[Visibility, frozenset[Action]] = {
    Visibility.PRIVATE: frozenset(),
    Visibility.COALITION: frozenset({Action.CAMPAIGN_VIEW, Action.AGGREGATE_VIEW}),
    Visibility.AGGREGATE: frozenset({Action.AGGREGATE_VIEW}),
}


@dataclass(frozen=True)
class Actor:
    """Someone acting: their role in each organisation they belong to.

    An API token acts for one organisation only, with at most its creator's role there.
    """

    user_id: int
    roles: Mapping[int, Role] = field(default_factory=dict)
    label: str | None = None   # how the audit log names it (default ``user:<id>``)

    def role_in(self, org_id: int) -> Role | None:
        return self.roles.get(org_id)

    @property
    def in_coalition(self) -> bool:
        return bool(self.roles)


def allowed(actor: Actor, action: Action, *, org_id: int, visibility: Visibility = Visibility.PRIVATE) -> bool:
    """May ``actor`` do ``action`` on a record of organisation ``org_id`` with ``visibility``?"""
    role = actor.role_in(org_id)
    if role is not None:
        return action in ROLE_ACTIONS[role]
    if not actor.in_coalition:  # signed in but not a member of any organisation
        return False
    return action in FOREIGN_ACTIONS[visibility]


def can_grant(granter: Actor, org_id: int, role: Role) -> bool:
    """An owner may give a role in their organisation, never more than they hold themselves."""
    mine = granter.role_in(org_id)
    return (mine is not None and Action.ORG_MANAGE_MEMBERS in ROLE_ACTIONS[mine]
            and role.rank <= mine.rank)


# --------------------------------------------------------------------------- archive (testimonies)
# The testimony archive has its own roles, held beside (not inside) the ledger roles: being an
# owner of a broadcast campaign gives no access to witnesses. Archive records never leave their
# organisation except through a reviewed, consented export.


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


ARCHIVE_ROLE_ACTIONS: dict[ArchiveRole, frozenset[ArchiveAction]] = {
    ArchiveRole.INTERVIEWER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.ENTER}),
    ArchiveRole.CODER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.CODE}),
    ArchiveRole.REVIEWER: frozenset({ArchiveAction.VIEW, ArchiveAction.SEARCH, ArchiveAction.REVIEW,
                                     ArchiveAction.EXPORT, ArchiveAction.UNSEAL}),
}


def archive_allowed(roles: Mapping[int, frozenset[ArchiveRole]], action: ArchiveAction, *, org_id: int) -> bool:
    """May someone holding archive ``roles`` (per organisation) do ``action`` on ``org_id``'s archive?

    Only the owning organisation's archive roles count: there is no foreign access at all.
    """
    return any(action in ARCHIVE_ROLE_ACTIONS[r] for r in roles.get(org_id, frozenset()))


def can_grant_archive(granter: Actor, org_id: int) -> bool:
    """Archive roles are given by an owner of the organisation (who need not hold one)."""
    mine = granter.role_in(org_id)
    return mine is not None and Action.ORG_MANAGE_MEMBERS in ROLE_ACTIONS[mine]
