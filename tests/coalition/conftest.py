import pytest

from corridor.store import make_engine, session_scope, upgrade
from tests.fast_hashing import fast_argon2  # noqa: F401  (cheap hashing for many accounts)

#: A loudspeaker spec, the smallest valid activity for ledger tests.
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


def actor(s, people, org, role):
    """The acting member ``role`` of organisation ``org`` in the ``coalition`` fixture."""
    from corridor.access import members
    from corridor.access.tables import User

    return members.actor_for(s, s.get(User, people[(org, role)][0]))


@pytest.fixture()
def engine(db_url):
    url = db_url
    upgrade(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture()
def coalition(engine):
    """Two organisations with an owner, an editor and a viewer each."""
    from corridor.access import members
    from corridor.access.rules import Role

    people = {}
    with session_scope(engine) as s:
        for org_name in ("Free Voice", "Sky Letters"):
            org = members.create_organisation(s, org_name)
            for role in Role:
                user = members.create_user(s, f"{role.value}@{org_name.split()[0].lower()}", "a long pass phrase 1")
                members.set_membership(s, user, org, role)
                people[(org_name, role)] = (user.id, org.id)
    return people
