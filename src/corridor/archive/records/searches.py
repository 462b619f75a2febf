"""Searching an organisation's archive (:mod:`corridor.archive.search`), and saved searches whose
terms the database holds only sealed with the server key."""

from __future__ import annotations

import re
import secrets

from sqlalchemy.orm import Session

from corridor.access.errors import NotFound
from corridor.access.rules import ArchiveAction
from corridor.archive import consent as consent_mod
from corridor.archive import search as search_mod
from corridor.archive import thesaurus
from corridor.archive.records.common import Clerk, _require
from corridor.archive.tables import ArchiveSavedSearch
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES


def search(s: Session, clerk: Clerk, org_id: int, query: search_mod.Query) -> search_mod.Results:
    _require(clerk, ArchiveAction.SEARCH, org_id)
    if query.use:
        consent_mod.parse_use(query.use, field="use")
    if query.act_type:
        thesaurus.check_code("act_type", query.act_type, field="act_type")
    if query.code:
        thesaurus.check_code("act_type", query.code, field="code")
    if query.province and query.province not in PROVINCES:
        raise CorridorError("not a province", field="province", value=query.province)
    return search_mod.run(s, org_id, query)


def _search_purpose(token: str, org_id: int, user_id: int | None) -> str:
    """What a saved search's sealed parameters are bound to (associated data): its token, its
    organisation and who saved it. Moved to another row, another organisation or another owner,
    they no longer open."""
    return f"search:{token}:org:{org_id}:user:{user_id}"


def save_search(s: Session, clerk: Clerk, org_id: int, query: search_mod.Query) -> str:
    """Keep a search under a random token; its URL then shows no search terms, and the database
    holds them only sealed with the server key (:mod:`corridor.access.serverkey`)."""
    _require(clerk, ArchiveAction.SEARCH, org_id)
    import json

    from corridor.access.serverkey import seal

    token = secrets.token_urlsafe(18)
    params = json.dumps(query.as_params(), ensure_ascii=False).encode()
    sealed = seal(params, _search_purpose(token, org_id, clerk.user_id))
    s.add(ArchiveSavedSearch(token=token, org_id=org_id, user_id=clerk.user_id, sealed_params=sealed))
    s.flush()
    return token


def load_search(s: Session, clerk: Clerk, token: str) -> tuple[int, search_mod.Query]:
    """The saved search behind ``token``: the same answer (not found) for a token that does not
    exist, one the reader may not use, and one whose sealed terms do not open for its row (moved
    there from another), so a URL reveals nothing to an outsider. A missing server key is still
    reported as such."""
    row = s.get(ArchiveSavedSearch, token) if re.fullmatch(r"[A-Za-z0-9_-]{10,43}", token or "") else None
    if row is None or not clerk.may(ArchiveAction.SEARCH, row.org_id):
        raise NotFound("no such search")
    import json

    from corridor.access.serverkey import load_key, open_sealed

    key = load_key()
    try:
        params = json.loads(open_sealed(row.sealed_params, _search_purpose(token, row.org_id, row.user_id), key=key))
    except (CorridorError, ValueError, TypeError):
        raise NotFound("no such search") from None
    return row.org_id, search_mod.Query(**params)
