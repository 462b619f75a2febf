"""A token's last use is written (at most once a day), so that ``corridor doctor`` can list tokens
nobody has used for 90 days, whether the token was answered by the full path or the fast path;
writing it never changes the audit log's verdict."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from corridor.access import audit
from corridor.access.rules import Role
from corridor.access.tables import ApiToken
from corridor.store import session_scope
from tests.web.conftest import bearer


def _last_used(app, user_id):
    with session_scope(app.state.engine) as s:
        return s.execute(select(ApiToken.last_used_at).where(ApiToken.user_id == user_id)).scalar_one()


def test_a_use_is_written_once_a_day(app, client, world):
    user = world["users"][("A", Role.VIEWER)]
    assert _last_used(app, user) is None
    headers = bearer(world["tokens"][("A", Role.VIEWER)])
    for _ in range(3):                                   # full path, then the fast path's cache
        assert client.get("/api/v1/campaigns", headers=headers).status_code == 200
    first = _last_used(app, user)
    assert first is not None
    with session_scope(app.state.engine) as s:          # an old use is refreshed on the next day
        s.execute(ApiToken.__table__.update().where(ApiToken.user_id == user)
                  .values(last_used_at=datetime.now(UTC) - timedelta(days=100)))
    app.state.token_use_noted.clear()
    assert client.get("/api/v1/campaigns", headers=headers).status_code == 200
    assert datetime.now(UTC) - _last_used(app, user).replace(tzinfo=UTC) < timedelta(minutes=5)
    with session_scope(app.state.engine) as s:
        assert audit.audit_report(s).ok


def test_a_refused_token_writes_nothing(app, client, world):
    r = client.get("/api/v1/campaigns", headers=bearer("not-a-token"))
    assert r.status_code == 401
    with session_scope(app.state.engine) as s:
        assert all(v is None for v in s.execute(select(ApiToken.last_used_at)).scalars())
