"""Archive media-exposure codes carry their content themes into the evidence store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from corridor.archive import exports
from corridor.archive.tables import ArchiveExposure
from corridor.errors import CorridorError
from corridor.store import session_scope
from tests.archive.conftest import add_witness, clerk, engine, fast_kdf, world  # noqa: F401


def test_exposure_themes_become_content_answers(engine, world):  # noqa: F811
    from corridor.evidence.tables import ImportBatch, Respondent

    with session_scope(engine) as s:
        _, iv = add_witness(s, world)
        [code] = s.execute(sa.select(ArchiveExposure)).scalars().all()
        code.themes = "entertainment south_korea_news"
        s.add(ArchiveExposure(interview_id=iv.id, channel="usb_sd", year=2014, themes="world_news entertainment"))
        s.add(ArchiveExposure(interview_id=iv.id, channel="radio", year=2015))
        s.flush()
        assert exports.to_evidence(s, clerk(s, world, "A", "reviewer"), world["orgs"]["A"]) == 1
        r = s.execute(sa.select(Respondent)).scalar_one()
        # every code of a channel adds its themes, once each, in the vocabulary's order
        assert [(t.channel, t.theme) for t in r.themes] == [
            ("usb_sd", "world_news"), ("usb_sd", "south_korea_news"), ("usb_sd", "entertainment")]
        assert sorted(e.channel for e in r.exposures) == ["radio", "usb_sd"]   # radio: content not coded
        assert s.execute(sa.select(ImportBatch.themes_version)).scalar_one() == 1
        exported, _ = exports.export_interviews(s, clerk(s, world, "A", "reviewer"), [iv.public_id], "internal")
        assert b'"themes": [\n' in exported and b'"south_korea_news"' in exported


def test_a_theme_outside_the_vocabulary_is_refused_by_name(engine, world):  # noqa: F811
    with session_scope(engine) as s:
        add_witness(s, world)
        [code] = s.execute(sa.select(ArchiveExposure)).scalars().all()
        code.themes = "entertainment relgion"
        s.flush()
        with pytest.raises(CorridorError, match="relgion.*did you mean 'religion'"):
            exports.to_evidence(s, clerk(s, world, "A", "reviewer"), world["orgs"]["A"])
