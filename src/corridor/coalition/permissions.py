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
