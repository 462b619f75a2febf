"""`corridor token list`: every API token an administrator should know of, with its last use,
and never a token or its hash; in English or Korean."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from corridor.access.setup import prepare_database
from corridor.store import make_engine, session_scope
from tests.cli_runner import run_in_process
from tests.fast_hashing import fast_argon2  # noqa: F401


@pytest.fixture()
def tokens(db_url, monkeypatch):
    """Two organisations; three tokens (one used 3 days ago, one never, one revoked in the other
    organisation). Returns the tokens as given to their holders, their hashes and ids."""
    from corridor.access import members
    from corridor.access.rules import Role
    from corridor.access.tables import ApiToken
    from corridor.cli.console import console

    monkeypatch.setattr(console, "_width", 220)   # a wide console: the table's cells are not wrapped
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    prepare_database(db_url)
    engine = make_engine(db_url)
    out = {"secrets": [], "hashes": [], "ids": {}}
    with session_scope(engine) as s:
        voice = members.create_organisation(s, "Free Voice")
        sky = members.create_organisation(s, "Sky Letters")
        editor = members.create_user(s, "editor@voice", "a long pass phrase 1")
        members.set_membership(s, editor, voice, Role.EDITOR)
        other = members.create_user(s, "viewer@sky", "a long pass phrase 1")
        members.set_membership(s, other, sky, Role.VIEWER)
        for key, user, org, role, label in (("used", editor, voice, Role.EDITOR, "nightly sync"),
                                            ("unused", editor, voice, Role.VIEWER, "dashboard export"),
                                            ("revoked", other, sky, Role.VIEWER, "old laptop")):
            token, record = members.create_token(s, user, org, role, name=label)
            out["secrets"].append(token)
            out["hashes"].append(record.token_hash)
            out["ids"][key] = record.id
        members.revoke_token(s, out["ids"]["revoked"])
    used_at = datetime.now(UTC) - timedelta(days=3)
    with engine.begin() as conn:      # as the web service writes it (the column is not audited)
        conn.execute(sa.update(ApiToken).where(ApiToken.id == out["ids"]["used"]).values(last_used_at=used_at))
    engine.dispose()
    out["used_on"] = f"{used_at:%Y-%m-%d}"
    out["url"] = db_url
    return out


def _never_a_secret(text: str, tokens: dict) -> None:
    for secret in tokens["secrets"] + tokens["hashes"]:
        assert secret not in text
        assert secret[:16] not in text       # not even a prefix


def test_the_list_shows_every_token_with_its_last_use_and_no_secret(tokens, monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "token", "list", "--db", tokens["url"])
    assert code == 0, err
    _never_a_secret(out + err, tokens)
    rows = {int(line.split("│")[1]): line for line in out.splitlines() if line.startswith("│")}
    assert set(rows) == set(tokens["ids"].values())
    used = rows[tokens["ids"]["used"]]
    assert "Free Voice" in used and "editor@voice" in used and "nightly sync" in used and "│ editor " in used
    assert tokens["used_on"] in used and "live" in used
    unused = rows[tokens["ids"]["unused"]]
    assert "never" in unused and "viewer" in unused and "live" in unused
    revoked = rows[tokens["ids"]["revoked"]]
    assert "Sky Letters" in revoked and "revoked" in revoked


def test_json_and_one_organisation(tokens, monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "token", "list", "--org", "Free Voice", "--json",
                                    "--db", tokens["url"])
    assert code == 0, err
    _never_a_secret(out, tokens)
    listed = json.loads(out)["tokens"]
    assert [t["id"] for t in listed] == [tokens["ids"]["used"], tokens["ids"]["unused"]]
    used, unused = listed
    assert used["last_used"].startswith(tokens["used_on"]) and unused["last_used"] is None
    assert {t["organisation"] for t in listed} == {"Free Voice"} and {t["state"] for t in listed} == {"live"}
    assert set(used) == {"id", "organisation", "user", "role", "name", "created", "last_used", "expires", "revoked",
                         "state"}


def test_an_unknown_organisation_is_one_line(tokens, monkeypatch, capsys):
    code, _, err = run_in_process(monkeypatch, capsys, "token", "list", "--org", "Nobody", "--db", tokens["url"])
    assert code == 2 and "--org='Nobody'" in err and "no such organisation" in err and "Traceback" not in err


@pytest.mark.parametrize("how", ["option", "locale"])
def test_the_list_in_korean(tokens, monkeypatch, capsys, how):
    args = ["token", "list", "--db", tokens["url"]]
    if how == "option":
        args += ["--lang", "ko"]
    else:
        monkeypatch.delenv("CORRIDOR_LANG", raising=False)
        monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    code, out, err = run_in_process(monkeypatch, capsys, *args)
    assert code == 0, err
    _never_a_secret(out, tokens)
    for word in ("번호", "단체", "마지막 사용", "폐기됨", "유효", "없음", "편집자"):
        assert word in out, word
    assert "Last used" not in out and "revoked" not in out


def test_an_english_locale_or_lang_en_overrides(tokens, monkeypatch, capsys):
    monkeypatch.delenv("CORRIDOR_LANG", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")       # LC_ALL comes first
    code, out, _ = run_in_process(monkeypatch, capsys, "token", "list", "--db", tokens["url"])
    assert code == 0 and "Last used" in out
    monkeypatch.delenv("LC_ALL")
    code, out, _ = run_in_process(monkeypatch, capsys, "token", "list", "--lang", "en", "--db", tokens["url"])
    assert code == 0 and "Last used" in out
    code, _, err = run_in_process(monkeypatch, capsys, "token", "list", "--lang", "fr", "--db", tokens["url"])
    assert code == 2 and "--lang='fr'" in err
