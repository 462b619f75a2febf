"""Search in Korean and English; filters; results respect roles and consent; saved searches."""

from __future__ import annotations

import pytest

from corridor.access.errors import NotFound
from corridor.archive import records
from corridor.archive import search as search_mod
from corridor.archive.search import Query, fts5_query, search_text, tsquery
from corridor.store import session_scope
from tests.archive.conftest import add_witness, clerk


def test_korean_is_indexed_as_bigrams_and_english_as_words():
    assert search_text("회령시에서 forcibly Repatriated, 2015년") == "회령 령시 시에 에서 forcibly repatriated 2015 년"
    assert fts5_query('회령시 repatri "x" 김') == '"회령" AND "령시" AND "repatri"* AND "x"* AND "김"*'
    assert tsquery("회령시 repatri") == "회령 & 령시 & repatri:*"


def _ids(results):
    return sorted({(h.interview_public_id, h.lang, h.seq) for h in results.hits})


def test_words_filters_and_consent(engine, world):
    with session_scope(engine) as s:
        _, a = add_witness(s, world, consents={"internal", "un_gov"})
        _, b = add_witness(s, world, consents={"internal"}, pseudonym="W2",
                           ko="평양에서 외국 라디오를 들었습니다.", en="In Pyongyang I listened to foreign radio.")
        _, hidden = add_witness(s, world, consents=set(), pseudonym="W3")   # no internal consent
        c = clerk(s, world, "A", "coder")
        org = world["orgs"]["A"]
        run = lambda **kw: _ids(records.search(s, c, org, Query(**kw)))
        assert run(q="회령") == [(a.public_id, "ko", 1), (a.public_id, "ko", 2)]     # 2 syllables, 회령시 too
        assert run(q="강제송환") == [(a.public_id, "ko", 1)]                         # inside 강제송환되었습니다
        assert run(q="라디오") == [(b.public_id, "ko", 1)]
        assert run(q="repatri") == [(a.public_id, "en", 1)]                          # English prefix
        assert run(q="Hoeryong mother") == [(a.public_id, "en", 2)]                   # all words
        assert run(q="radio", lang="en") == [(b.public_id, "en", 1)]
        assert run(q="회령", act_type="torture") == [(a.public_id, "ko", 1), (a.public_id, "ko", 2)]
        assert run(q="회령", act_type="public_execution") == []
        assert run(q="회령", year_from=2015, year_to=2015) and run(q="회령", year_from=2016) == []
        assert run(q="회령", province="North Hamgyong") and run(q="회령", province="Pyongyang") == []
        assert run(code="forced_repatriation") == sorted((iv.public_id, lang, 1) for iv in (a, b)
                                                         for lang in ("en", "ko"))
        assert run(q="라디오", use="un_gov") == [] and run(q="회령", use="un_gov")
        # the witness without internal consent never appears, whatever the words
        assert all(h[0] != hidden.public_id for h in run(q="회령") + run(q="drama"))


def test_search_respects_roles(engine, world):
    from corridor.access.tables import User

    with session_scope(engine) as s:
        add_witness(s, world)
        org_a = world["orgs"]["A"]
        for role in ("interviewer", "coder", "reviewer"):
            assert records.search(s, clerk(s, world, "A", role), org_a, Query(q="회령")).hits
        outsiders = [clerk(s, world, "B", "reviewer"),
                     records.clerk_for(s, s.get(User, world["users"][("A", "editor")]))]   # campaign editor of A
        for outsider in outsiders:
            with pytest.raises(NotFound):
                records.search(s, outsider, org_a, Query(q="회령"))


def test_saved_search_token_reveals_nothing_to_others(engine, world):
    with session_scope(engine) as s:
        add_witness(s, world)
        mine = clerk(s, world, "A", "coder")
        token = records.save_search(s, mine, world["orgs"]["A"], Query(q="회령", act_type="torture"))
        assert "회령" not in token and len(token) >= 24
        org, query = records.load_search(s, clerk(s, world, "A", "reviewer"), token)   # a colleague may open it
        assert query == Query(q="회령", act_type="torture") and org == world["orgs"]["A"]
        for who, tok in ((clerk(s, world, "B", "coder"), token), (mine, "x" * 24), (mine, "../../etc")):
            with pytest.raises(NotFound, match="no such search"):
                records.load_search(s, who, tok)


def test_bad_filters_name_the_field(engine, world):
    from corridor.errors import CorridorError

    with session_scope(engine) as s:
        c = clerk(s, world, "A", "coder")
        with pytest.raises(CorridorError, match="act_type"):
            records.search(s, c, world["orgs"]["A"], Query(act_type="nonsense"))
        with pytest.raises(CorridorError, match="at most"):
            records.search(s, c, world["orgs"]["A"], Query(q=" ".join(["a"] * 20)))


def test_index_is_rebuilt_from_segments(engine, world):
    with session_scope(engine) as s:
        add_witness(s, world)
    search_mod.drop_index(engine)
    with session_scope(engine) as s:
        assert records.search(s, clerk(s, world, "A", "coder"), world["orgs"]["A"], Query(q="회령")).hits
