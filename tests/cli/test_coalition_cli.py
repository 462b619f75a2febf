"""The coalition commands as an administrator runs them, and a crash in the middle of an import."""

import signal
import sqlite3
import subprocess
import sys
import threading
import time

import httpx

from corridor.coalition.hxl import write_hxl
from tests.cli_runner import run_process
from tests.web.browser import free_port, wait_until_up


run = run_process


LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


def rows(n, bad_at=None):
    out = []
    for i in range(n):
        spec = dict(LS, sound_power_db=-1) if i == bad_at else LS
        out.append({"org": "Free Voice", "id": f"row-{i}", "title": "", "channel": "loudspeaker",
                    "provinces": ["Kangwon"], "start": f"2024-06-01T{i % 24:02d}:00:00+00:00", "spec": spec})
    return out


def test_admin_commands_end_to_end(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert run("db", "upgrade", "--db", db).returncode == 0
    assert run("org", "create", "Free Voice", "--db", db).returncode == 0
    r = run("org", "create", "Free Voice", "--db", db)
    assert r.returncode == 2 and "exists" in r.stderr
    r = run("user", "add", "kim@example.org", "--org", "Free Voice", "--role", "editor", "--password-stdin",
            "--db", db, stdin="a long pass phrase 1\n")
    assert r.returncode == 0, r.stderr
    r = run("user", "add", "lee@example.org", "--org", "Nobody", "--password-stdin", "--db", db, stdin="x\n")
    assert r.returncode == 2 and "--org='Nobody'" in r.stderr
    good = write_hxl(rows(3), tmp_path / "in.csv")
    r = run("import-hxl", str(good), "--org", "Free Voice", "--db", db)
    assert r.returncode == 0 and "Imported 3 activities" in r.stdout
    bad = write_hxl(rows(3, bad_at=1), tmp_path / "bad.csv")
    r = run("import-hxl", str(bad), "--org", "Free Voice", "--db", db)
    assert r.returncode == 2 and "row 4" in r.stderr and "spec.sound_power_db" in r.stderr
    out = tmp_path / "out.csv"
    assert run("export-hxl", "--out", str(out), "--org", "Free Voice", "--db", db).returncode == 0
    assert out.read_text().count("row-") == 3                   # the failed import added nothing
    r = run("token", "create", "kim@example.org", "--org", "Free Voice", "--role", "owner", "--db", db)
    assert r.returncode == 2 and "editor" in r.stderr          # never more than the user's own role
    r = run("token", "create", "kim@example.org", "--org", "Free Voice", "--role", "editor", "--db", db)
    assert r.returncode == 0 and r.stdout.strip().splitlines()[-1].startswith("cor_")
    assert run("token", "revoke", "1", "--db", db).returncode == 0
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 0 and "intact" in r.stdout
    con = sqlite3.connect(tmp_path / "c.db")
    con.execute("UPDATE audit_log SET action = 'campaign.delete' WHERE seq = 2")
    con.commit()
    con.close()
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 1 and "entry 2" in r.stderr


def test_killing_the_server_during_an_import_leaves_the_database_consistent(tmp_path):
    db_file = tmp_path / "crash.db"
    db = f"sqlite:///{db_file}"
    run("org", "create", "Free Voice", "--db", db)
    run("user", "add", "ed@fv", "--org", "Free Voice", "--role", "editor", "--password-stdin", "--db", db,
        stdin="a long pass phrase 1\n")
    n = 20_000
    big = write_hxl(rows(n), tmp_path / "big.csv")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--port", str(port), "--db", db],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        c = httpx.Client(base_url=base, timeout=60)
        page = c.get("/login").text
        c.post("/login", data={"username": "ed@fv", "password": "a long pass phrase 1",
                               "csrf": page.split('name="csrf" value="')[1].split('"')[0]})
        csrf = c.get("/campaigns").text.split('name="csrf" value="')[1].split('"')[0]
        result = {}

        def upload():
            try:
                result["r"] = c.post("/api/v1/import", data={"org_id": "1"}, headers={"X-CSRF-Token": csrf},
                                     files={"file": ("big.csv", big.read_bytes(), "text/csv")})
            except httpx.HTTPError as exc:
                result["error"] = exc

        wal = db_file.with_name(db_file.name + "-wal")
        baseline = wal.stat().st_size if wal.exists() else 0
        t = threading.Thread(target=upload)
        t.start()
        # Kill the server once its write transaction has begun spilling pages into the WAL (all
        # rows are checked first, without writing), or at the latest after 120 s.
        deadline = time.monotonic() + 120
        while "r" not in result and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > baseline + 256 * 1024:
                break
            time.sleep(0.02)
        server.send_signal(signal.SIGKILL)
        t.join(30)
        assert "error" in result, "the import finished before the kill; make it bigger"
    finally:
        server.kill()
        server.wait()
    con = sqlite3.connect(db_file)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 0     # all or nothing
    con.close()
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 0, r.stderr
