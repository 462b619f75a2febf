"""Property-based requests generated from the OpenAPI schema: no input makes the server fail (5xx)."""

import tempfile
import warnings
from datetime import date
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from corridor.access import members
from corridor.access.accounts import new_api_token
from corridor.access.rules import Role, Visibility
from corridor.access.tables import ApiToken
from corridor.coalition import ledger
from corridor.store import session_scope
from corridor.web.app import create_app
from tests.databases import fresh_database_url

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

_URL = fresh_database_url(Path(tempfile.mkdtemp(prefix="corridor-schemathesis-")))
app = create_app(_URL)
with session_scope(app.state.engine) as s:
    org = members.create_organisation(s, "Free Voice")
    other = members.create_organisation(s, "Sky Letters")
    user = members.create_user(s, "owner@fv", "a long pass phrase 1")
    members.set_membership(s, user, org, Role.OWNER)
    TOKEN, digest = new_api_token()
    s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role="owner"))
    actor = members.actor_for(s, user)
    c = ledger.create_campaign(s, actor, org_id=org.id, name="Sound", channel="loudspeaker",
                               start_date=date(2024, 6, 1))
    ledger.add_activity(s, actor, c.id, {"id": "a1", "start": "2024-06-01T22:00:00Z",
                                         "spec": {"lon": 126.7, "lat": 37.9, "sound_power_db": 160}})
    ledger.set_visibility(s, actor, c.id, Visibility.COALITION)

schema = schemathesis.openapi.from_asgi("/openapi.json", app)
pytestmark = pytest.mark.db


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])
