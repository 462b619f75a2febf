"""Property-based requests generated from the OpenAPI schema: no input makes the server fail (5xx).

The app that answers and its database are made by a fixture when the tests run (not when the
module is imported), so collecting or deselecting these tests touches no database.
"""

import warnings
from datetime import date

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
from tests.databases import drop_database, migrated_database_url

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def served(migrated_template, tmp_path_factory):
    """An app on a migrated database holding one organisation's shared loudspeaker campaign, and
    an API token of its owner."""
    url = migrated_database_url(migrated_template, tmp_path_factory.mktemp("schemathesis"))
    app = create_app(url)
    with session_scope(app.state.engine) as s:
        org = members.create_organisation(s, "Free Voice")
        members.create_organisation(s, "Sky Letters")
        user = members.create_user(s, "owner@fv", "a long pass phrase 1")
        members.set_membership(s, user, org, Role.OWNER)
        token, digest = new_api_token()
        s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role="owner"))
        actor = members.actor_for(s, user)
        c = ledger.create_campaign(s, actor, org_id=org.id, name="Sound", channel="loudspeaker",
                                   start_date=date(2024, 6, 1))
        ledger.add_activity(s, actor, c.id, {"id": "a1", "start": "2024-06-01T22:00:00Z",
                                             "spec": {"lon": 126.7, "lat": 37.9, "sound_power_db": 160}})
        ledger.set_visibility(s, actor, c.id, Visibility.COALITION)
    yield app, token
    app.state.engine.dispose()
    drop_database(url)


#: The operations, read from an app that never opens its database (the schema does not depend on
#: one); the requests go to the ``served`` app.
schema = schemathesis.openapi.from_dict(create_app("sqlite://", migrate=False).openapi())


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, served):
    app, token = served
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
