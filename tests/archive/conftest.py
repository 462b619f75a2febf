"""Archive fixtures: a migrated database with two organisations, archive roles, keys, and a
witness with an interview; Argon2id made cheap for tests (the product keeps its limits)."""

from __future__ import annotations

import nacl.pwhash
import pytest

from corridor.store import make_engine, session_scope, upgrade
from tests.fast_hashing import fast_argon2  # noqa: F401

KEY_PASSPHRASE = "key pass phrase for tests"
SECRETS = {"name": "박은별", "birth_date": "1987-02-14", "contacts": "+82-10-5555-0199 / eunbyul.park@example.org",
           "family_in_north": "어머니 최순자, 함경북도 회령시 오산덕동 12반"}

KO_TEXT = ("2015년 3월 중국 공안에 잡혀 회령시 보위부로 강제송환되었습니다.\n\n"
           "구류장에서 지도원 정영호가 매일 때렸습니다. 어머니 최순자는 아직 회령에 있습니다.\n\n"
           "고향에서는 한국 드라마를 USB로 몰래 봤습니다.")
EN_TEXT = ("In March 2015 the Chinese police caught me and I was forcibly repatriated to the MSS in Hoeryong.\n\n"
           "In the jail an officer named Jong Yong-ho beat me every day. My mother Choe Sun-ja is still in Hoeryong.\n\n"
           "At home we secretly watched South Korean dramas on USB sticks.")


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    from corridor.archive import sealing

    defaults = sealing.passphrase_encrypt.__kwdefaults__
    monkeypatch.setitem(defaults, "opslimit", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setitem(defaults, "memlimit", nacl.pwhash.argon2id.MEMLIMIT_MIN)


@pytest.fixture()
def engine(db_url):
    upgrade(db_url)
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture()
def world(engine):
    """Orgs A and B, users per archive role in each, a campaign editor with no archive role, keys."""
    from corridor.access import members
    from corridor.access.rules import ArchiveRole, Role
    from corridor.archive import records

    out = {"orgs": {}, "users": {}, "keys": {}}
    with session_scope(engine) as s:
        for key, name in (("A", "Free Voice"), ("B", "Sky Letters")):
            org = members.create_organisation(s, name)
            out["orgs"][key] = org.id
            for role in ArchiveRole:
                user = members.create_user(s, f"{role.value}-{key}".lower(), "a long pass phrase 1")
                members.set_membership(s, user, org, Role.VIEWER)
                records.grant_role(s, user, org, role)
                out["users"][(key, role.value)] = user.id
            editor = members.create_user(s, f"editor-{key}".lower(), "a long pass phrase 1")
            members.set_membership(s, editor, org, Role.EDITOR)
            out["users"][(key, "editor")] = editor.id
            out["keys"][key] = records.create_key(s, org.id, passphrase=KEY_PASSPHRASE)
    return out


def clerk(s, world, org_key, role):
    from corridor.access.tables import User
    from corridor.archive import records

    return records.clerk_for(s, s.get(User, world["users"][(org_key, role)]))


def add_witness(s, world, org_key="A", *, consents=("internal",), identity=SECRETS, ko=KO_TEXT, en=EN_TEXT,
                pseudonym="Witness 7", province="North Hamgyong"):
    """A witness with consents, an interview in Korean (original) and English, one coded event."""
    from corridor.archive import records
    from corridor.archive.consent import Use

    c = clerk(s, world, org_key, "interviewer")
    org_id = world["orgs"][org_key]
    p = records.add_person(s, c, org_id, pseudonym=pseudonym, sex="female", birth_decade=1980, province=province,
                           year_left=2016, identity=identity)
    for u in Use:
        records.set_consent(s, c, p, u, granted=u.value in consents, given_on="2024-05-01", method="written")
    iv = records.add_interview(s, c, p, interviewer="staff-3", interviewed_on="2024-05-02", place="Seoul",
                               transcripts=[{"lang": "ko", "original": True, "text": ko},
                                            {"lang": "en", "original": False, "translator": "T. Han", "text": en}])
    coder = clerk(s, world, org_key, "coder")
    records.add_event(s, coder, iv, title="Repatriation and detention", start_date="2015-03-01",
                      start_precision="month", province="North Hamgyong", facility_type="kuryujang",
                      segments=["1", "en:1"],
                      acts=[{"act_type": "forced_repatriation", "victim": p.public_id,
                             "perpetrators": [{"perpetrator": "china_police", "degree": "direct"}]},
                            {"act_type": "torture", "victim": p.public_id,
                             "perpetrators": [{"perpetrator": "mss", "degree": "direct"}]}],
                      parties=[{"role": "source", "person": p.public_id, "detail": "victim"}])
    records.add_exposure(s, coder, iv, channel="usb_sd", year=2012, source="friend", influence=4,
                         segment="3" if ko == KO_TEXT else None)
    return p, iv


def approve_all(s, world, iv, org_key="A"):
    """A reviewer accepts every suggestion on every transcript."""
    from corridor.archive import records

    rv = clerk(s, world, org_key, "reviewer")
    for tr in iv.transcripts:
        spans = [(seq, sp.start, sp.end, sp.kind) for seq, sp in records.suggestions(s, rv, tr, iv)]
        records.record_review(s, rv, iv, tr, spans)
