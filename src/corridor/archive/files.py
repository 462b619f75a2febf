"""Files that come with testimonies: hashed, size-checked, stored inert, never opened here.

Every inbound file is treated as hostile (DPRK groups deliver malware in HWP documents, PDFs,
Office macros and LNK shortcuts; see ``docs/threat-model.md``). Corridor never parses, renders,
converts or previews a file on the server: it computes the SHA-256 while copying the bytes,
looks only at **fixed byte signatures** to warn about active content (PDF ``/JavaScript``,
``/OpenAction`` and ``/Launch``; an Office ``vbaProject.bin`` or OLE ``VBA`` stream; any HWP
document; Windows shortcuts and executables; script files), and stores the bytes under their
hash with no extension and read-only permissions, outside any served folder. A download is always
``application/octet-stream`` as an attachment. Audio and video are normally kept offline and
recorded **by reference** (where they are kept, and their hash).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from corridor.errors import CorridorError

#: Largest file stored in the archive (documents, photos of documents); audio and video by reference.
MAX_STORED_BYTES = 50 * 1024 * 1024
CHUNK = 1 << 20

_SCRIPT_SUFFIXES = {".js", ".jse", ".vbs", ".vbe", ".wsf", ".hta", ".ps1", ".bat", ".cmd", ".scr", ".chm",
                    ".lnk", ".exe", ".dll", ".msi", ".jar", ".apk", ".docm", ".xlsm", ".pptm", ".hwp", ".hwpx"}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    active_content: str | None
    path: Path | None


def files_dir() -> Path:
    from corridor.paths import data_dir

    return data_dir() / "archive-files"


def active_content(head: bytes, tail: bytes, filename: str) -> str | None:
    """Why a file may carry active content, from byte signatures and its name alone (or None)."""
    blob = head + tail
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"%PDF"):
        for marker, reason in ((b"/JavaScript", "pdf-javascript"), (b"/JS", "pdf-javascript"),
                               (b"/OpenAction", "pdf-open-action"), (b"/Launch", "pdf-launch"),
                               (b"/EmbeddedFile", "pdf-embedded-file"), (b"/AA", "pdf-additional-actions")):
            if marker in blob:
                return reason
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):   # OLE2: old Office or HWP 5
        if b"H\x00w\x00p\x00" in blob or b"HWP Document File" in blob or suffix == ".hwp":
            return "hwp-document"
        if b"V\x00B\x00A\x00" in blob or b"_VBA_PROJECT" in blob or b"M\x00a\x00c\x00r\x00o\x00s\x00" in blob:
            return "office-macros"
    if head.startswith(b"PK\x03\x04"):
        if b"vbaProject.bin" in blob:
            return "office-macros"
        if b"Contents/section" in blob or suffix == ".hwpx":
            return "hwp-document"
    if head.startswith(b"L\x00\x00\x00\x01\x14\x02\x00"):
        return "windows-shortcut"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "executable"
    if suffix in _SCRIPT_SUFFIXES:
        return f"active-type{suffix}"
    return None


def store(stream: BinaryIO, filename: str, *, limit: int = MAX_STORED_BYTES, folder: Path | None = None) -> StoredFile:
    """Copy ``stream`` into the inert store (under its SHA-256), refusing files over ``limit``."""
    folder = folder or files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".incoming-{os.getpid()}-{id(stream)}"
    h = hashlib.sha256()
    size = 0
    head = b""
    marks = bytearray()
    window = b""
    try:
        with open(tmp, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise CorridorError(f"larger than the {limit // (1024 * 1024)} MB limit; keep it offline "
                                        "and record it by reference", field="file", value=filename)
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                joined = window + chunk
                for m in (b"/JavaScript", b"/JS", b"/OpenAction", b"/Launch", b"vbaProject.bin", b"_VBA_PROJECT",
                          b"Contents/section", b"/EmbeddedFile", b"/AA", b"V\x00B\x00A\x00",
                          b"H\x00w\x00p\x00"):
                    if m in joined and m not in marks:
                        marks += m + b" "
                window = chunk[-64:]
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        target = folder / digest
        if target.exists():
            tmp.unlink()
        else:
            os.chmod(tmp, 0o400)
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StoredFile(digest, size, active_content(head, bytes(marks), filename), target)


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file kept elsewhere (for a reference), read in chunks, never parsed."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size
