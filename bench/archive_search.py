"""Search latency over 100,000 synthetic testimonies in Korean and English, SQLite and PostgreSQL.

Seeds one database per backend with ``--n`` synthetic interviews (half told in Korean, half in
English; three paragraphs each, so 300,000 indexed segments), a person with consent rows for
each, and one coded event per interview with one or two acts. 10 % of the records belong to a
second organisation. Then runs a fixed mix of searches through ``corridor.archive.records.search``
(the path the pages use: role check, consent filter, filters, full-text index) as a coder of
the first organisation, and prints p50 and p95 latency per query and overall, with the
machine's load average. Aim: p95 under 100 ms.

PostgreSQL: a fresh schema in the database ``corridor_bench`` at 127.0.0.1:5432 (user
``postgres``; created if missing), dropped at the end. The text is synthetic: invented names,
real province and county names, sentence templates.

Run: ``.venv/bin/python bench/archive_search.py [--n 100000] [--reps 25] [--backend sqlite|postgresql|both]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_DB = "corridor_bench"

SURNAMES_KO = "김이박최정강조윤장임한오서신권황안송전홍"
GIVEN_KO = ["영철", "순옥", "명수", "은희", "광혁", "미향", "철진", "영자", "성남", "경남", "정애", "길수", "미란", "준호",
            "광수", "영란", "명옥", "은별", "철", "혁"]
PLACES = [("회령", "Hoeryong"), ("청진", "Chongjin"), ("혜산", "Hyesan"), ("무산", "Musan"), ("온성", "Onsong"),
          ("신의주", "Sinuiju"), ("함흥", "Hamhung"), ("평양", "Pyongyang"), ("남포", "Nampo"), ("원산", "Wonsan"),
          ("단천", "Tanchon"), ("만포", "Manpo"), ("강계", "Kanggye"), ("사리원", "Sariwon"), ("해주", "Haeju")]
PROVINCES = ["North Hamgyong", "Ryanggang", "South Hamgyong", "North Pyongan", "Jagang", "Pyongyang",
             "South Pyongan", "Kangwon", "North Hwanghae", "South Hwanghae"]
ACTS = ["forced_repatriation", "arbitrary_detention", "torture", "forced_labour", "public_execution",
        "trafficking", "forced_marriage", "statelessness", "information_offence", "family_separation"]
KO_SENT = [
    "{y}년 {m}월 {p}에서 중국 공안에 잡혀 강제송환되었습니다. 보위부 구류장에서 {n} 지도원에게 조사를 받았습니다.",
    "{p} 장마당에서 한국 드라마가 든 USB를 샀습니다. {y}년에 단속되어 노동단련대에 갔습니다.",
    "어머니 {n}는 아직 {p}에 있습니다. 우리는 {y}년 겨울에 두만강을 건넜습니다.",
    "{p} 교화소에서 {y}년부터 강제노동을 했습니다. 작업반장이 매일 때렸습니다.",
    "브로커가 저를 중국 농촌 남자에게 팔았고 딸은 호적이 없어 학교에 못 갑니다. {y}년의 일입니다.",
    "{y}년 {m}월 {p} 역전 광장에서 공개처형이 있었습니다. 주민들을 모두 불러 모았습니다.",
    "외국 라디오를 몰래 들었습니다. {p}에서는 중국 전화로 남한 소식을 들었습니다.",
]
EN_SENT = [
    "In {mon} {y} the Chinese police caught me near {p} and I was forcibly repatriated. An officer named {n} interrogated me.",
    "I bought a USB stick with South Korean dramas at the {p} market. In {y} I was caught and sent to a labour camp.",
    "My mother {n} is still in {p}. We crossed the Tumen River in the winter of {y}.",
    "I did forced labour in the prison at {p} from {y}. The team leader beat us every day.",
    "A broker sold me to a farmer in China; my daughter has no registration and cannot go to school. That was in {y}.",
    "In {mon} {y} there was a public execution at the station square in {p}. Everyone had to watch.",
    "We secretly listened to foreign radio. In {p} people heard news from the South on Chinese phones.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

QUERIES = [
    ("ko 2-syllable place", {"q": "회령"}),
    ("ko word in a verb", {"q": "강제송환"}),
    ("ko two words", {"q": "공개처형 광장"}),
    ("ko rare name", {"q": "탁은별"}),
    ("en prefix", {"q": "repatri"}),
    ("en two words", {"q": "Hyesan market"}),
    ("words + act + province + years", {"q": "회령", "act_type": "forced_repatriation", "province": "North Hamgyong",
                                        "year_from": 2010, "year_to": 2015}),
    ("act type only", {"act_type": "public_execution"}),
    ("consent filter", {"q": "radio", "use": "un_gov"}),
]


def _name(rng) -> str:
    return rng.choice(SURNAMES_KO) + rng.choice(GIVEN_KO)


def _romanise(ko: str) -> str:
    return "Kim Yong-chol" if ko.startswith("김") else "Pak Sun-ok"


def seed(url: str, n: int, seed_: int = 7) -> tuple[int, float]:
    from corridor.access import members
    from corridor.archive import search as search_mod
    from corridor.archive.tables import (
        ArchiveAct,
        ArchiveConsent,
        ArchiveEvent,
        ArchiveInterview,
        ArchivePerson,
        ArchiveSegment,
        ArchiveSegmentCode,
        ArchiveTranscript,
    )
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        org_a = members.create_organisation(s, "Bench A").id
        org_b = members.create_organisation(s, "Bench B").id
    rng = random.Random(seed_)
    t0 = time.perf_counter()
    batch = 5000
    sid = 0
    rare = set(rng.sample(range(n), 10))
    with engine.begin() as conn:
        for start in range(0, n, batch):
            persons, consents, interviews, transcripts, segments, codes, events, acts = [], [], [], [], [], [], [], []
            for i in range(start, min(n, start + batch)):
                pid = i + 1
                org = org_b if i % 10 == 9 else org_a
                persons.append({"id": pid, "org_id": org, "public_id": f"P-{i:09d}", "pseudonym": f"W{i}",
                                "sex": rng.choice(["female", "male"]), "birth_decade": rng.choice([1960, 1970, 1980, 1990]),
                                "province": rng.choice(PROVINCES), "year_left": rng.randint(1998, 2019),
                                "sealed_identity": os.urandom(120), "created_at": datetime.now(UTC)})
                for use, p in (("internal", 0.95), ("partners", 0.5), ("un_gov", 0.4), ("public", 0.2)):
                    consents.append({"person_id": pid, "use": use, "granted": rng.random() < p,
                                     "given_on": date(2024, 1, 1), "method": "written", "recorded_by": "bench"})
                interviews.append({"id": pid, "org_id": org, "public_id": f"I-{i:09d}", "person_id": pid,
                                   "interviewer": "bench", "interviewed_on": date(2024, 1, 1), "place": "Seoul",
                                   "created_at": datetime.now(UTC)})
                lang = "ko" if i % 2 == 0 else "en"
                transcripts.append({"id": pid, "interview_id": pid, "lang": lang, "is_original": True, "translator": None})
                place_ko, place_en = rng.choice(PLACES)
                y = rng.randint(1995, 2020)
                for seq in (1, 2, 3):
                    name = "탁은별" if (i in rare and seq == 2) else _name(rng)
                    if lang == "ko":
                        text = rng.choice(KO_SENT).format(y=y, m=rng.randint(1, 12), p=place_ko, n=name)
                    else:
                        text = rng.choice(EN_SENT).format(y=y, mon=rng.choice(MONTHS), p=place_en, n=_romanise(name))
                    sid += 1
                    segments.append({"id": sid, "transcript_id": pid, "interview_id": pid, "org_id": org, "seq": seq,
                                     "text": text, "search_text": search_mod.search_text(text)})
                act_types = rng.sample(ACTS, rng.choice([1, 2]))
                events.append({"id": pid, "org_id": org, "public_id": f"E-{i:09d}", "interview_id": pid,
                               "title": "event", "summary": "", "start_date": date(y, 1, 1), "start_precision": "year",
                               "end_precision": "unknown", "province": rng.choice(PROVINCES), "segment_ids": [sid - 2]})
                for a in act_types:
                    acts.append({"event_id": pid, "act_type": a, "victim_label": ""})
                    codes.append({"segment_id": sid - 2, "code": a})
            for table, rows in ((ArchivePerson, persons), (ArchiveConsent, consents), (ArchiveInterview, interviews),
                                (ArchiveTranscript, transcripts), (ArchiveSegment, segments),
                                (ArchiveSegmentCode, codes), (ArchiveEvent, events), (ArchiveAct, acts)):
                conn.execute(sa.insert(table.__table__), rows)
        if conn.dialect.name == "postgresql":
            for t in ("archive_person", "archive_interview", "archive_transcript", "archive_segment", "archive_event"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
    seeded = time.perf_counter() - t0
    t1 = time.perf_counter()
    search_mod.ensure_index(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE"))
        else:
            conn.exec_driver_sql("ANALYZE")
    indexed = time.perf_counter() - t1
    engine.dispose()
    print(f"  seeded {n:,} interviews ({sid:,} segments) in {seeded:.0f} s; index built in {indexed:.0f} s")
    return org_a, indexed


def measure(url: str, org_id: int, reps: int) -> dict[str, list[float]]:
    from corridor.access.rules import ArchiveRole
    from corridor.archive import records
    from corridor.archive.search import Query
    from corridor.store import make_engine

    engine = make_engine(url)
    clerk = records.Clerk("bench", {org_id: frozenset({ArchiveRole.CODER})})
    times: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
    hits: dict[str, int] = {}
    from sqlalchemy.orm import Session

    with Session(engine) as s:   # warm-up: caches, prepared plans
        for _, q in QUERIES:
            records.search(s, clerk, org_id, Query(**q))
        s.rollback()
    for _ in range(reps):
        for name, q in QUERIES:
            with Session(engine) as s:
                t = time.perf_counter()
                res = records.search(s, clerk, org_id, Query(**q))
                times[name].append((time.perf_counter() - t) * 1000)
                hits[name] = len(res.hits) if not res.truncated else 50
                s.rollback()
    engine.dispose()
    for values in times.values():
        values.sort()
    return times, hits


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def report(label: str, times, hits) -> None:
    allv = sorted(v for vs in times.values() for v in vs)
    print(f"\n{label}: {len(allv)} searches, p50 {pct(allv, 50):.1f} ms, p95 {pct(allv, 95):.1f} ms")
    print(f"  {'query':34} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, vs in times.items():
        print(f"  {name:34} {hits[name]:>5} {pct(vs, 50):8.1f} {pct(vs, 95):8.1f}")


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=25)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    print(f"archive search benchmark, {args.n:,} testimonies; {load()}")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            print("SQLite (FTS5, Hangul bigrams)")
            org, _ = seed(url, args.n)
            report("SQLite", *measure(url, org, args.reps))
            print(f"  {load()}")
    if args.backend in ("postgresql", "both"):
        admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": POSTGRES_DB}).first():
                    conn.execute(sa.text(f"CREATE DATABASE {POSTGRES_DB}"))
        except sa.exc.OperationalError as exc:
            print(f"PostgreSQL not reachable, skipped ({str(exc).splitlines()[0][:80]})")
            return 0
        admin.dispose()
        base = POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + POSTGRES_DB
        schema = "bench_" + uuid.uuid4().hex[:8]
        eng = sa.create_engine(base)
        with eng.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}?options=-csearch_path%3D{schema}"
        try:
            print("\nPostgreSQL (GIN on to_tsvector('simple'), Hangul bigrams)")
            org, _ = seed(url, args.n)
            report("PostgreSQL", *measure(url, org, args.reps))
            print(f"  {load()}")
        finally:
            with eng.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            eng.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
