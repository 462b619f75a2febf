"""Each consent level blocks the exports it should; review gates everything beyond internal use;
every export is audited."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from corridor.access import audit
from corridor.access.errors import Forbidden
from corridor.access.tables import AuditEntry
from corridor.archive import exports, records
from corridor.archive.consent import Use
from corridor.store import session_scope
from tests.archive.conftest import add_witness, approve_all, clerk


def test_each_consent_allows_its_own_use_only(engine, world):
    with session_scope(engine) as s:
        rv = clerk(s, world, "A", "reviewer")
        ivs = {}
        for use in Use:
            consents = {"internal", use.value}
            _, iv = add_witness(s, world, consents=consents, pseudonym=f"W-{use.value}")
            approve_all(s, world, iv)
            ivs[use] = iv
        for granted, iv in ivs.items():
            for use in Use:
                allowed = use in (granted, Use.INTERNAL)
                if allowed:
                    data, row = exports.export_interviews(s, rv, [iv.public_id], use)
                    assert json.loads(data)["use"] == use.value and row.sha256
                else:
                    with pytest.raises(exports.ExportRefused, match=f"no consent for {use.value}"):
                        exports.export_interviews(s, rv, [iv.public_id], use)
                    with pytest.raises(exports.ExportRefused):
                        exports.uwazi_zip(s, rv, [iv.public_id], use)


def test_one_blocked_interview_blocks_the_whole_export(engine, world):
    with session_scope(engine) as s:
        rv = clerk(s, world, "A", "reviewer")
        _, ok = add_witness(s, world, consents={"internal", "un_gov"})
        _, no = add_witness(s, world, consents={"internal"}, pseudonym="W2")
        approve_all(s, world, ok)
        approve_all(s, world, no)
        before = s.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
        with pytest.raises(exports.ExportRefused) as exc:
            exports.export_interviews(s, rv, [ok.public_id, no.public_id], Use.UN_GOV)
        assert exc.value.blocked == [(no.public_id, "no consent for un_gov")]
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before  # nothing left


def test_withdrawn_consent_blocks_again(engine, world):
    with session_scope(engine) as s:
        rv = clerk(s, world, "A", "reviewer")
        p, iv = add_witness(s, world, consents={"internal", "public"})
        approve_all(s, world, iv)
        exports.export_interviews(s, rv, [iv.public_id], Use.PUBLIC)
        records.set_consent(s, clerk(s, world, "A", "interviewer"), p, Use.PUBLIC, granted=False,
                            given_on="2025-01-10", method="oral_recorded")
        with pytest.raises(exports.ExportRefused):
            exports.export_interviews(s, rv, [iv.public_id], Use.PUBLIC)


def test_release_needs_an_approved_review_of_every_transcript(engine, world):
    with session_scope(engine) as s:
        rv = clerk(s, world, "A", "reviewer")
        _, iv = add_witness(s, world, consents={"internal", "partners"})
        exports.export_interviews(s, rv, [iv.public_id], Use.INTERNAL)   # internal needs no review
        with pytest.raises(exports.ExportRefused, match="no approved review"):
            exports.export_interviews(s, rv, [iv.public_id], Use.PARTNERS)
        ko = next(t for t in iv.transcripts if t.lang == "ko")
        records.record_review(s, rv, iv, ko, [])
        with pytest.raises(exports.ExportRefused, match="the en transcript"):
            exports.export_interviews(s, rv, [iv.public_id], Use.PARTNERS)


def test_redacted_export_hides_what_the_reviewer_chose(engine, world):
    with session_scope(engine) as s:
        rv = clerk(s, world, "A", "reviewer")
        p, iv = add_witness(s, world, consents={"internal", "public", "anonymised_public"})
        approve_all(s, world, iv)
        data, _ = exports.export_interviews(s, rv, [iv.public_id], Use.PUBLIC)
        text = data.decode()
        for secret in ("정영호", "최순자", "Jong Yong-ho", "Choe Sun-ja", "Hoeryong", "회령"):
            assert secret not in text, secret
        assert "[이름]" in text and "[name]" in text and "staff-3" not in text and "T. Han" not in text
        anon = json.loads(exports.export_interviews(s, rv, [iv.public_id], Use.ANONYMISED_PUBLIC)[0])
        assert anon["interviews"][0]["person"] == {} and anon["interviews"][0]["interview"] == "T1"
        assert p.public_id not in json.dumps(anon) and iv.public_id not in json.dumps(anon)
        assert p.pseudonym not in json.dumps(anon)
        assert [a["act_type"] for a in anon["interviews"][0]["events"][0]["acts"]] == ["forced_repatriation", "torture"]


def test_only_reviewers_export_and_every_export_is_audited(engine, world):
    with session_scope(engine) as s:
        _, iv = add_witness(s, world, consents={"internal", "partners"})
        approve_all(s, world, iv)
        for role in ("interviewer", "coder"):
            with pytest.raises(Forbidden):
                exports.export_interviews(s, clerk(s, world, "A", role), [iv.public_id], Use.INTERNAL)
        rv = clerk(s, world, "A", "reviewer")
        rows = [exports.export_interviews(s, rv, [iv.public_id], Use.INTERNAL)[1],
                exports.export_interviews(s, rv, [iv.public_id], Use.PARTNERS)[1],
                exports.uwazi_zip(s, rv, [iv.public_id], Use.PARTNERS)[1]]
        audited = s.execute(sa.select(AuditEntry).where(AuditEntry.action == "archive.export")
                            .order_by(AuditEntry.seq)).scalars().all()
        assert [a.entity_id for a in audited] == [str(r.id) for r in rows]
        assert all(a.actor == rv.label and a.org_id == world["orgs"]["A"] for a in audited)
        n, broken = audit.verify_audit(s)
        assert broken is None and n > len(rows)
