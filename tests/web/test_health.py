"""``/healthz`` says the process is alive; ``/readyz`` that the database answers at the current
schema. Neither says anything else (no version, no database name, no error text)."""

import sqlalchemy as sa
from fastapi.testclient import TestClient

from corridor.web.app import create_app


def test_health_and_ready_say_only_ok(app, client):
    for path in ("/healthz", "/readyz"):
        r = client.get(path)
        assert r.status_code == 200 and r.json() == {"ok": True}, path


def test_not_ready_when_the_schema_is_behind(db_url):
    application = create_app(db_url)
    with application.state.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001_evidence'"))
    r = TestClient(application).get("/readyz")
    assert r.status_code == 503 and r.json() == {"ok": False}
    assert TestClient(application).get("/healthz").json() == {"ok": True}
    application.state.engine.dispose()
