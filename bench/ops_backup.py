"""Whole-coalition backup and restore of a large coalition, against the 60 s aim.

Builds a coalition of two organisations with 10,000 activities (imported as HXL rows through
the ledger) and 10,000 archive records (pseudonymous people, each with an identity sealed to
the organisation's key), all audited, then times ``make_backup`` (encrypted with a passphrase,
Argon2id at the product's limits) and ``restore`` into an empty database, checks that the
restored audit log verifies, and prints each time against the aim.

Run: ``.venv/bin/python bench/ops_backup.py`` (SQLite), or with ``--db URL`` and
``--target URL`` (e.g. an empty PostgreSQL database) to time PostgreSQL.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

AIM_S = 60.0
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


def fill(url: str, activities: int, people: int) -> float:
    from corridor.access import members
    from corridor.access.rules import Actor, Role
    from corridor.archive import records
    from corridor.coalition import exchange
    from corridor.store import make_engine, session_scope, upgrade

    t0 = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        orgs = [members.create_organisation(s, name).id for name in ("Free Voice", "Sky Letters")]
        for org_id in orgs:
            records.create_key(s, org_id)
    half = activities // 2
    for n, org_id in enumerate(orgs):
        rows = [{"_row": i + 2, "channel": "loudspeaker", "id": f"ls-{n}-{i}",
                 "start": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T22:00:00+09:00", "spec": LS,
                 "provinces": ["Kaesong"]} for i in range(half)]
        with session_scope(engine) as s:
            exchange.import_rows(s, Actor(0, {org_id: Role.OWNER}, label="bench"), org_id, rows, source="bench")
    per_batch = 1000
    for start in range(0, people, per_batch):
        with session_scope(engine) as s:
            for i in range(start, min(people, start + per_batch)):
                org_id = orgs[i % 2]
                records.add_person(s, records.ADMIN, org_id, pseudonym=f"Witness {i}", sex="female",
                                   birth_decade=1980, province="North Hamgyong", year_left=2016,
                                   identity={"name": f"Name {i}", "contacts": f"+82-10-0000-{i:04d}"})
    engine.dispose()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="source database URL (default: a new SQLite file)")
    parser.add_argument("--target", help="empty target database URL (default: a new SQLite file)")
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()

    from sqlalchemy.orm import Session

    from corridor.access.audit import audit_report
    from corridor.ops.backup import Secret, make_backup, restore, verify_backup
    from corridor.store import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = args.db or f"sqlite:///{folder / 'source.db'}"
        target = args.target or f"sqlite:///{folder / 'target.db'}"
        secret = Secret(passphrase="bench passphrase, long enough")
        built = fill(source, args.activities, args.people)
        print(f"filled {args.activities:,} activities and {args.people:,} archive records in {built:.1f} s")

        t0 = time.perf_counter()
        made = make_backup(source, folder / "coalition.backup", secret, files_dir=folder / "files", record=False)
        t_backup = time.perf_counter() - t0
        t0 = time.perf_counter()
        verify_backup(folder / "coalition.backup", secret)
        t_verify = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = restore(target, folder / "coalition.backup", secret, files_dir=folder / "restored-files")
        t_restore = time.perf_counter() - t0
        engine = make_engine(target)
        with Session(engine) as s:
            report = audit_report(s)
        engine.dispose()
        rows = sum(t["rows"] for t in made.manifest["tables"].values())
        print(f"backup:  {t_backup:6.1f} s  ({rows:,} rows, {made.bytes / 1e6:.1f} MB; aim {AIM_S:.0f} s: "
              f"{'met' if t_backup <= AIM_S else 'MISSED'})")
        print(f"verify:  {t_verify:6.1f} s")
        print(f"restore: {t_restore:6.1f} s  (audit log {'intact' if report.ok else 'BROKEN'}, "
              f"{report.entries:,} entries; aim {AIM_S:.0f} s: {'met' if t_restore <= AIM_S else 'MISSED'})")
        assert done.rows["activity"] == args.activities and done.rows["archive_person"] == args.people
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
