"""Inbound files: hashed, size-limited, flagged for active content, stored inert, never parsed."""

from __future__ import annotations

import hashlib
import io
import stat

import pytest

from corridor.archive import files
from corridor.errors import CorridorError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("name, data, reason", [
    ("a.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >>", "pdf-open-action"),
    ("b.pdf", b"%PDF-1.7\n" + b"x" * (3 << 20) + b"<< /S /JavaScript /JS (app.alert(1)) >>", "pdf-javascript"),
    ("c.hwp", OLE + b"\0" * 600 + "HwpSummaryInformation".encode("utf-16-le"), "hwp-document"),
    ("c.doc", OLE + b"\0" * 600 + "_VBA_PROJECT".encode("utf-16-le") + b"_VBA_PROJECT", "office-macros"),
    ("d.docm", b"PK\x03\x04" + b"\0" * 26 + b"word/vbaProject.bin", "office-macros"),
    ("e.hwpx", b"PK\x03\x04" + b"\0" * 26 + b"Contents/section0.xml", "hwp-document"),
    ("f.lnk", b"L\x00\x00\x00\x01\x14\x02\x00" + b"\0" * 70, "windows-shortcut"),
    ("g.jpg", b"MZ\x90\x00" + b"\0" * 100, "executable"),
    ("notes.txt", "평범한 메모입니다".encode(), None),
    ("scan.pdf", b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj", None),
])
def test_active_content_is_flagged_and_stored_inert(tmp_path, name, data, reason):
    stored = files.store(io.BytesIO(data), name, folder=tmp_path)
    assert stored.active_content == reason
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size_bytes == len(data)
    assert stored.path.name == stored.sha256 and stored.path.suffix == ""   # no extension to double-click
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o400
    assert stored.path.read_bytes() == data


def test_oversized_files_are_refused_and_leave_nothing(tmp_path):
    with pytest.raises(CorridorError, match="limit"):
        files.store(io.BytesIO(b"x" * 2048), "big.mp4", limit=1024, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_same_content_is_stored_once(tmp_path):
    a = files.store(io.BytesIO(b"same"), "a.txt", folder=tmp_path)
    b = files.store(io.BytesIO(b"same"), "b.txt", folder=tmp_path)
    assert a.path == b.path and len(list(tmp_path.iterdir())) == 1
