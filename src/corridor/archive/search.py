"""Full-text search in Korean and English, with filters, over the archive's segments.

**Tokens.** Korean has no spaces between a noun and its particles (회령**에서**), and most names
and places are two syllables (회령, 청진, 영철), which a trigram index cannot match. So Hangul
runs are indexed as overlapping character **bigrams** (회령에서 → 회령 령에 에서), the method of
Lucene's ``CJKBigramFilter`` and of the NTCIR CJK retrieval baselines (Kwok, "Comparing
representations in Chinese information retrieval", SIGIR 1997); a query word becomes the
set of its bigrams, so a two-syllable query is one exact token and longer ones need all their
bigrams in the same segment (adjacency is not checked: checking positions made PostgreSQL
re-read every candidate row, and in testimonies the difference is a rare extra hit). Latin letters and digits are indexed as lower-case words and searched as
prefixes (``repatri`` finds "repatriation").

**Index.** ``archive_segment.search_text`` holds the tokens; the index over it is derived data,
built by :func:`ensure_index`: on SQLite an external-content FTS5 table (``unicode61``
tokenizer) kept in step by triggers; on PostgreSQL a GIN index on
``to_tsvector('simple', search_text)``, queried with ``&`` and ``:*`` prefixes. The same query
gives the same segments on both.

**Access.** A search runs inside one organisation for someone holding an archive role there,
and only over people whose ``internal`` consent stands; filters narrow it by act type or
segment code, province, period of the events and consent to a further use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from corridor.errors import CorridorError

_HANGUL_CHARS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_WORD = re.compile(f"[{_HANGUL_CHARS}]+|[^\\W_{_HANGUL_CHARS}]+", re.UNICODE)
_HANGUL = re.compile(f"[{_HANGUL_CHARS}]")
MAX_RESULTS = 50
MAX_QUERY_TERMS = 12


def tokens(text_: str) -> list[list[str]]:
    """Words of ``text_`` as token lists: a Hangul run as its bigrams, other words lower-cased."""
    out = []
    for m in _WORD.finditer(text_):
        w = m.group(0)
        if _HANGUL.match(w):
            out.append([w] if len(w) == 1 else [w[i:i + 2] for i in range(len(w) - 1)])
        else:
            out.append([w.lower()])
    return out


def search_text(text_: str) -> str:
    """What is indexed for a segment's text (tokens separated by spaces)."""
    return " ".join(t for group in tokens(text_) for t in group)


@dataclass(frozen=True)
class Query:
    """One search: words, filters; ``use`` keeps only people who consented to that use."""

    q: str = ""
    act_type: str | None = None
    code: str | None = None
    province: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    use: str | None = None
    lang: str | None = None

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def _groups(q: str) -> list[tuple[list[str], bool]]:
    """Query words as (tokens, is_hangul); at most :data:`MAX_QUERY_TERMS`."""
    groups = []
    for m in _WORD.finditer(q):
        w = m.group(0)
        hangul = bool(_HANGUL.match(w))
        groups.append((tokens(w)[0], hangul))
    if len(groups) > MAX_QUERY_TERMS:
        raise CorridorError(f"at most {MAX_QUERY_TERMS} words", field="q", value=q[:40])
    return groups


def _terms(q: str) -> list[tuple[str, bool]]:
    """(token, prefix?) for every query token: a Hangul word gives all its bigrams (exact), a
    one-syllable word and every Latin word give a prefix."""
    out: list[tuple[str, bool]] = []
    for toks, hangul in _groups(q):
        if hangul and not (len(toks) == 1 and len(toks[0]) == 1):
            out.extend((t, False) for t in toks)
        else:
            out.append((toks[0], True))
    return list(dict.fromkeys(out))


def fts5_query(q: str) -> str | None:
    """The FTS5 expression: every bigram and prefix required (AND)."""
    return " AND ".join(f'"{t}"*' if prefix else f'"{t}"' for t, prefix in _terms(q)) or None


def tsquery(q: str) -> str | None:
    """The same query for PostgreSQL's ``to_tsquery('simple', …)``."""
    return " & ".join(f"{t}:*" if prefix else t for t, prefix in _terms(q)) or None


# --------------------------------------------------------------------------- the index

FTS_TABLE = "archive_segment_fts"
PG_INDEX = "ix_archive_segment_tsv"


def ensure_index(bind: Engine | Connection) -> None:
    """Create the full-text index if it is missing (and fill it from the segments).

    Given a connection, works inside its transaction (so a session that is writing does not
    lock itself out); given an engine, in a transaction of its own. The check is one catalogue
    lookup, cheap enough for every search.
    """
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            ensure_index(conn)
        return
    conn = bind
    if conn.dialect.name == "sqlite":
        exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first()
        if exists:
            return
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='archive_segment', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON archive_segment BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON archive_segment BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
            "VALUES ('delete', old.id, old.search_text); END")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON archive_segment BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
            "VALUES ('delete', old.id, old.search_text); "
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql" and conn.execute(
            text("SELECT to_regclass(:n)"), {"n": PG_INDEX}).scalar() is None:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON archive_segment "
                          "USING gin (to_tsvector('simple', search_text))"))


def drop_index(bind: Engine | Connection) -> None:
    """Remove the derived index (``corridor archive reindex`` rebuilds it)."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for suffix in ("_ai", "_ad", "_au"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}{suffix}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.dialect.name == "postgresql":
            conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))


# --------------------------------------------------------------------------- searching


@dataclass
class Hit:
    segment_id: int
    interview_id: int
    interview_public_id: str
    pseudonym: str
    lang: str
    seq: int
    text: str


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False


def run(s: Session, org_id: int, query: Query, *, limit: int = MAX_RESULTS) -> Results:
    """Segments of ``org_id``'s archive matching ``query``, newest first. No permission check
    here: callers go through :func:`corridor.archive.records.search`."""
    conn = s.connection()
    ensure_index(conn)
    dialect = conn.dialect.name
    where = ["seg.org_id = :org",
             ("EXISTS (SELECT 1 FROM archive_consent c WHERE c.person_id = p.id AND c.use = 'internal' "
              "AND c.granted = :yes)")]
    params: dict = {"org": org_id, "yes": True, "limit": limit + 1}
    source = "archive_segment seg"
    order = "seg.id DESC"
    if query.q.strip():
        if dialect == "sqlite":
            match = fts5_query(query.q)
            if match:
                # the FTS table drives the loop in descending rowid order, so the first
                # ``limit`` rows that pass the filters end the search (no sort of all matches)
                source = f"{FTS_TABLE} fts CROSS JOIN archive_segment seg ON seg.id = fts.rowid"
                where.append(f"{FTS_TABLE} MATCH :match")
                params["match"] = match
                order = "fts.rowid DESC"
        else:
            tsq = tsquery(query.q)
            if tsq:
                where.append("to_tsvector('simple', seg.search_text) @@ to_tsquery('simple', :tsq)")
                params["tsq"] = tsq
    if query.use:
        where.append("EXISTS (SELECT 1 FROM archive_consent c2 WHERE c2.person_id = p.id AND c2.use = :use "
                     "AND c2.granted = :yes)")
        params["use"] = query.use
    if query.lang:
        where.append("tr.lang = :lang")
        params["lang"] = query.lang
    if query.code:
        where.append("EXISTS (SELECT 1 FROM archive_segment_code sc WHERE sc.segment_id = seg.id "
                     "AND sc.code = :code)")
        params["code"] = query.code
    event_filters = []
    prefiltered = False
    if query.act_type:
        event_filters.append("EXISTS (SELECT 1 FROM archive_act a WHERE a.event_id = e.id AND a.act_type = :act)")
        params["act"] = query.act_type
    if query.province:
        event_filters.append("e.province = :province")
        params["province"] = query.province
    if query.year_from:
        event_filters.append("e.start_date >= :dfrom")
        params["dfrom"] = date(query.year_from, 1, 1)
    if query.year_to:
        event_filters.append("e.start_date <= :dto")
        params["dto"] = date(query.year_to, 12, 31)
    if event_filters:
        # interviews whose events pass the filters, found first from the event indexes; when they
        # are few, the segments are then read by interview rather than through the text index
        plain = [f for f in event_filters if not f.startswith("EXISTS")]
        if query.act_type and not query.province:   # from the act-type index, not from every event
            pre = ("SELECT e.interview_id FROM archive_act a JOIN archive_event e ON e.id = a.event_id "
                   "WHERE a.act_type = :act AND ")
        else:   # from the (organisation, province, start date) index
            pre = "SELECT e.interview_id FROM archive_event e WHERE "
            plain = event_filters
        pre += " AND ".join(["e.org_id = :org", "e.interview_id IS NOT NULL", *plain])
        ids = conn.execute(text(pre + f" LIMIT {EVENT_PREFILTER + 1}"), params).scalars().all()
        ids = sorted(set(ids)) if len(ids) <= EVENT_PREFILTER else ids
        if not ids:
            return Results(query, [], truncated=False)
        if len(ids) <= EVENT_PREFILTER:
            where.append("seg.interview_id IN (" + ",".join(str(int(x)) for x in ids) + ")")
            if dialect == "sqlite" and "match" in params:
                source = "archive_segment seg"
                where.append(f"seg.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match)")
                where.remove(f"{FTS_TABLE} MATCH :match")
                order = "seg.id DESC"
            prefiltered = True
        else:
            where.append("EXISTS (SELECT 1 FROM archive_event e WHERE e.interview_id = seg.interview_id AND "
                         + " AND ".join(event_filters) + ")")
    sql = (f"SELECT seg.id, seg.interview_id, i.public_id, p.pseudonym, tr.lang, seg.seq, seg.text "
           f"FROM {source} "
           "JOIN archive_transcript tr ON tr.id = seg.transcript_id "
           "JOIN archive_interview i ON i.id = seg.interview_id "
           "JOIN archive_person p ON p.id = i.person_id "
           f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit")
    if dialect == "postgresql" and "tsq" in params and not prefiltered:
        rows = _newest_first_in_windows(conn, sql, params, limit)
    else:
        rows = conn.execute(text(sql), params).all()
    hits = [Hit(*row) for row in rows[:limit]]
    return Results(query, hits, truncated=len(rows) > limit)


#: Event filters matching at most this many interviews are applied first (see :func:`run`).
EVENT_PREFILTER = 5_000
#: First window of newest segments searched on PostgreSQL; it grows fourfold until enough hits.
PG_WINDOW = 16_384


def _newest_first_in_windows(conn, sql: str, params: dict, limit: int) -> list:
    """PostgreSQL: search the newest ``PG_WINDOW`` segments first, then 4×, 16×… as needed.

    A GIN index finds every matching segment but cannot hand them over newest first; sorting all
    matches of a common word (tens of thousands) is what made searches slow. Bounding the id
    range lets the planner AND the GIN bitmap with the primary-key range, so a common word is
    answered from the newest rows and a rare word after a few cheap widenings (the total work is
    at most 4/3 of the last window's).
    """
    top = conn.execute(text("SELECT max(id) FROM archive_segment")).scalar() or 0
    windowed = sql.replace(" WHERE ", " WHERE seg.id > :lowest AND ", 1)
    span = PG_WINDOW
    while True:
        lowest = top - span
        rows = conn.execute(text(windowed), {**params, "lowest": lowest}).all()
        if len(rows) > limit or lowest <= 0:
            return rows
        span *= 4


def snippet(text_: str, q: str, width: int = 160) -> str:
    """A window of ``text_`` around the first query word found (plain text, escaped by the page)."""
    low = text_.lower()
    pos = -1
    for m in _WORD.finditer(q):
        pos = low.find(m.group(0).lower())
        if pos >= 0:
            break
    if pos < 0 or len(text_) <= width:
        return text_[:width] + ("…" if len(text_) > width else "")
    start = max(0, pos - width // 3)
    return ("…" if start else "") + text_[start:start + width] + ("…" if start + width < len(text_) else "")
