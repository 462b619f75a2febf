"""`corridor doctor`: a healthy server passes; each thing that needs action is named, exit 1."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from corridor.access.setup import prepare_database
from corridor.store import make_engine, session_scope
from tests.fast_hashing import fast_argon2  # noqa: F401


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """The texts below are English unless a test asks for Korean (a Korean locale would switch)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def server(db_url, tmp_path, monkeypatch):
    """A healthy server: its own data folder and key (mode 0600), an https address, a fresh
    backup note, one owner with a second factor and an audit log."""
    from corridor.access import accounts, members, serverkey
    from corridor.access.rules import Role
    from corridor.access.tables import User

    data = tmp_path / "data"
    monkeypatch.setenv("CORRIDOR_DATA_DIR", str(data))
    monkeypatch.delenv(serverkey.ENV_KEY, raising=False)
    monkeypatch.delenv(serverkey.ENV_FILE, raising=False)
    monkeypatch.setenv("CORRIDOR_PUBLIC_URL", "https://corridor.example.org")
    prepare_database(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        org = members.create_organisation(s, "Free Voice")
        owner = members.create_user(s, "owner@free", "a long pass phrase 1")
        members.set_membership(s, owner, org, Role.OWNER)
        # Enrolled (the same transaction's audit records the row as it is left).
        user = s.get(User, owner.id)
        user.totp_secret = serverkey.seal(accounts.new_totp_secret().encode(), f"totp:user:{user.id}")
    engine.dispose()
    _note_backup(datetime.now(UTC) - timedelta(hours=2))
    yield {"url": db_url, "data": data}


def _note_backup(at: datetime) -> None:
    from corridor.ops.backup import last_backup_path

    last_backup_path().write_text(json.dumps({"at": at.isoformat(timespec="seconds")}))


def _doctor(url: str, *extra: str, env: dict | None = None) -> tuple[int, str]:
    from corridor.cli.ops import app

    result = CliRunner().invoke(app, ["doctor", "--db", url, *extra], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _failing(text: str) -> list[str]:
    return [line.split(":")[0].removeprefix("FAIL ").strip() for line in text.splitlines() if line.startswith("FAIL")]


def test_a_healthy_server_passes(server):
    code, text = _doctor(server["url"])
    assert code == 0, text
    assert _failing(text) == []
    for name in ("database", "server key", "public URL", "backup", "disk", "owners", "tokens", "audit"):
        assert f"ok   {name}:" in text, text


def test_a_key_file_readable_by_others_is_named_with_the_fix(server):
    from corridor.access import serverkey

    os.chmod(serverkey.key_path(), 0o644)
    code, text = _doctor(server["url"])
    assert code == 1
    assert _failing(text) == ["server key"]
    assert f"chmod 600 {serverkey.key_path()}" in text


def test_a_missing_key_is_named(server):
    from corridor.access import serverkey

    serverkey.key_path().unlink()
    code, text = _doctor(server["url"])
    assert code == 1 and _failing(text) == ["server key"] and "missing" in text


def test_a_pending_migration_is_named(server, tmp_path):
    from corridor.ops.backup import _script

    url = f"sqlite:///{tmp_path / 'old.db'}"
    script = _script()
    previous = script.get_revision(script.get_current_head()).down_revision
    prepare_database(url, revision=previous)
    code, text = _doctor(url)
    assert code == 1
    assert "database" in _failing(text)
    assert "a migration is pending" in text and "corridor db upgrade" in text


def test_a_stale_or_missing_backup_is_named(server):
    from corridor.ops.backup import last_backup_path

    _note_backup(datetime.now(UTC) - timedelta(hours=40))
    code, text = _doctor(server["url"])
    assert code == 1 and _failing(text) == ["backup"] and "40 h old" in text
    last_backup_path().unlink()
    code, text = _doctor(server["url"])
    assert code == 1 and _failing(text) == ["backup"] and "no backup recorded" in text


def test_a_backup_records_its_time_for_the_doctor(server, tmp_path):
    import nacl.pwhash

    from corridor.ops import backup
    from corridor.ops.backup import Secret, last_backup_path, make_backup

    backup.OPSLIMIT, backup.MEMLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    try:
        _note_backup(datetime.now(UTC) - timedelta(hours=100))
        make_backup(server["url"], tmp_path / "b.backup", Secret(passphrase="a passphrase of length"))
    finally:
        backup.OPSLIMIT = backup.MEMLIMIT = None
    note = json.loads(last_backup_path().read_text())
    assert datetime.now(UTC) - datetime.fromisoformat(note["at"]) < timedelta(minutes=5)
    assert _doctor(server["url"])[0] == 0


def test_plain_http_an_owner_without_second_factor_and_an_idle_token_are_named(server, monkeypatch):
    from corridor.access import members
    from corridor.access.rules import Role
    from corridor.access.tables import ApiToken, Organisation

    monkeypatch.setenv("CORRIDOR_PUBLIC_URL", "http://corridor.example.org")
    engine = make_engine(server["url"])
    with session_scope(engine) as s:
        org = s.execute(sa.select(Organisation)).scalar_one()
        second = members.create_user(s, "new-owner@free", "a long pass phrase 1")
        members.set_membership(s, second, org, Role.OWNER)
        editor = members.create_user(s, "editor@free", "a long pass phrase 1")
        members.set_membership(s, editor, org, Role.EDITOR)
        _, token = members.create_token(s, editor, org, Role.EDITOR, name="old script")
        token_id = token.id
    with engine.begin() as conn:   # a token made 100 days ago and never used (the column is not audited)
        conn.execute(sa.update(ApiToken).where(ApiToken.id == token_id)
                     .values(last_used_at=datetime.now(UTC) - timedelta(days=100)))
    engine.dispose()
    code, text = _doctor(server["url"])
    assert code == 1
    assert _failing(text) == ["public URL", "owners", "tokens"]
    assert "new-owner@free" in text and "corridor user enrol NAME" in text
    assert f"unused for 90 days: {token_id}" in text and "corridor token revoke ID" in text


def test_an_altered_audited_row_is_named(server):
    engine = make_engine(server["url"])
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE organisation SET name = 'Renamed in SQL'"))
    engine.dispose()
    code, text = _doctor(server["url"])
    assert code == 1 and _failing(text) == ["audit"] and "organisation" in text


def test_a_database_that_does_not_answer_is_named(server):
    code, text = _doctor("postgresql+psycopg://corridor:pw@127.0.0.1:1/none")
    assert code == 1
    assert _failing(text)[0] == "database" and "does not answer" in text and ":pw@" not in text


def test_the_checks_in_korean(server):
    from corridor.ops.doctor import NAMES, title

    code, text = _doctor(server["url"], "--lang", "ko")
    assert code == 0, text
    lines = text.strip().splitlines()
    assert len(lines) == len(NAMES) + 1
    for name, line in zip(NAMES, lines):
        assert line.startswith(f"정상   {title(name, 'ko')}:"), line
    assert lines[-1] == "점검한 모든 항목이 정상입니다."
    assert "모든 관리자에게 2단계 인증이 있습니다" in text and "체인 온전" in text


def test_a_korean_locale_names_the_problem_and_the_fix_in_korean(server):
    _note_backup(datetime.now(UTC) - timedelta(hours=40))
    code, text = _doctor(server["url"], env={"LANG": "ko_KR.UTF-8", "CORRIDOR_LANG": None})
    assert code == 1
    assert "문제   백업: 마지막 백업이 40시간 전의 것입니다" in text
    assert "`systemctl status corridor-backup.timer`" in text and "타이머를 확인하십시오" in text
    assert text.strip().splitlines()[-1] == "조치가 필요한 점검 1개: 백업"
    assert "FAIL" not in text and "ok  " not in text


def test_every_check_name_and_key_message_has_korean():
    """Names and the server key's messages are looked up at run time (no extractor sees them)."""
    from corridor.i18n import gettext
    from corridor.ops.doctor import NAMES, title

    for name in NAMES:
        assert title(name, "ko") != name, name
    for message in ("the server key is missing", "the server key file cannot be read",
                    "must be 64 hexadecimal characters", "owner", "editor", "viewer"):
        assert gettext("ko", message) != message, message
