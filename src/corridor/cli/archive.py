"""``corridor archive``: keys and their split backup, roles, files, exports, Uwazi, backup and restore.

Passphrases are asked for with hidden input, or read from ``$CORRIDOR_ARCHIVE_PASSPHRASE`` (the
organisation key) and ``$CORRIDOR_BACKUP_PASSPHRASE`` (backups) for scripted use.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from corridor.cli.coalition import Db, _engine, _org, _user
from corridor.cli.common import Lang
from corridor.cli.console import console, print_json
from corridor.errors import CorridorError

app = typer.Typer(help="The testimony archive: keys, roles, files, exports, backup and restore.",
                  no_args_is_help=True)

Org = Annotated[str, typer.Option("--org", help="Organisation name.")]


def _passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is None:
        value = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
    return value


def _read(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CorridorError("no such file", field=field, value=str(path)) from None
    except OSError as exc:
        raise CorridorError(f"cannot read it ({exc.strerror})", field=field, value=str(path)) from None


def _write(path: Path, data: bytes, field: str = "--out") -> None:
    from corridor.atomic import atomic_path

    with atomic_path(path, field=field) as tmp:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)


@app.command("keygen")
def keygen(org: Org, key_out: Annotated[Path, typer.Option("--key-out", help="Where to write the private key "
                                                            "(wrapped under the passphrase); keep it offline.")],
           store_wrapped: Annotated[bool, typer.Option("--store-wrapped", help="Also keep the wrapped private key "
                                                       "on the server, to unseal with the passphrase there.")] = False,
           db: Db = None) -> None:
    """Create the organisation's key pair for sealing identities."""
    from corridor.archive import records, sealing
    from corridor.atomic import check_writable
    from corridor.store import session_scope

    check_writable(key_out, field="--key-out")
    passphrase = _passphrase("CORRIDOR_ARCHIVE_PASSPHRASE", "Passphrase for the private key", confirm=True)
    sealing.check_passphrase(passphrase)
    engine = _engine(db)
    with session_scope(engine) as s:
        o = _org(s, org)
        kp = records.create_key(s, o.id, passphrase=passphrase if store_wrapped else None)
        _write(key_out, sealing.wrap_private_key(kp.private, passphrase), "--key-out")
    console.print(f"Archive key for [bold]{org}[/]: fingerprint {kp.fingerprint}")
    console.print("Split the private key into shares now: `corridor archive split-key`.")


@app.command("split-key")
def split_key(key: Annotated[Path, typer.Argument(help="The private key file from keygen.")],
              threshold: Annotated[int, typer.Option("--threshold", help="Shares needed to recover.")] = 2,
              count: Annotated[int, typer.Option("--count", help="Shares to make.")] = 3) -> None:
    """Print SLIP-0039 Shamir shares of the private key: give one to each key holder, on paper."""
    from corridor.archive import sealing

    passphrase = _passphrase("CORRIDOR_ARCHIVE_PASSPHRASE", "Passphrase of the key file")
    private = sealing.unwrap_private_key(_read(key, "KEY"), passphrase, source=str(key))
    shares = sealing.split_key(private, threshold=threshold, count=count)
    for i, share in enumerate(shares, start=1):
        print(f"share {i} of {count} (any {threshold} recover the key):\n{share}\n")


@app.command("recover-key")
def recover_key(key_out: Annotated[Path, typer.Option("--key-out", help="Where to write the recovered key.")]) -> None:
    """Rebuild the private key from shares (one share per line on standard input)."""
    from corridor.archive import sealing

    lines = [ln.strip() for ln in sys.stdin.read().splitlines()]
    shares = [ln for ln in lines if len(ln.split()) >= 20]
    private = sealing.combine_shares(shares)
    passphrase = _passphrase("CORRIDOR_ARCHIVE_PASSPHRASE", "New passphrase for the key file", confirm=True)
    _write(key_out, sealing.wrap_private_key(private, passphrase), "--key-out")
    console.print(f"Recovered key, fingerprint {sealing.fingerprint(sealing.public_of(private))}")


@app.command("grant")
def grant(username: str, org: Org,
          role: Annotated[str, typer.Option("--role", help="interviewer, coder or reviewer.")], db: Db = None) -> None:
    """Give a user an archive role in an organisation."""
    from corridor.archive import records
    from corridor.store import session_scope

    r = _archive_role(role)
    engine = _engine(db)
    with session_scope(engine) as s:
        o = _org(s, org)
        user = _user(s, username, required="USERNAME")
        records.grant_role(s, user, o, r)
    console.print(f"{username} is now an archive {role} of {org}")


def _archive_role(value: str):
    from corridor.access.rules import ArchiveRole

    try:
        return ArchiveRole(value)
    except ValueError:
        raise CorridorError("must be interviewer, coder or reviewer", field="--role", value=value) from None


@app.command("revoke")
def revoke(username: str, org: Org,
           role: Annotated[str, typer.Option("--role", help="interviewer, coder or reviewer.")], db: Db = None) -> None:
    """Take an archive role away; the user is signed out of every browser at once. Audited."""
    from corridor.archive import records
    from corridor.store import session_scope

    r = _archive_role(role)
    engine = _engine(db)
    with session_scope(engine) as s:
        o = _org(s, org)
        user = _user(s, username, required="USERNAME")
        if not records.revoke_role(s, user, o, r):
            raise CorridorError(f"{user.username} holds no such archive role in {o.name}; nothing changed",
                                field="--role", value=role)
        name = user.username
    console.print(escape(f"{name} is no longer an archive {role} of {org} (signed out everywhere)"))


@app.command("add-file")
def add_file(interview: str, path: Path,
             kind: Annotated[str, typer.Option("--kind", help="audio, video, document or image.")] = "document",
             reference: Annotated[str | None, typer.Option(
                 "--reference", help="Record the file by reference (where it is kept) instead of storing it.")] = None,
             db: Db = None) -> None:
    """Attach a file to an interview: hashed, and stored inert (or recorded by reference)."""
    from corridor.archive import files, records
    from corridor.store import session_scope

    if not path.is_file():
        raise CorridorError("no such file", field="PATH", value=str(path))
    engine = _engine(db)
    with session_scope(engine) as s:
        iv = records.get_interview(s, records.ADMIN, interview)
        if reference:
            sha, size = files.hash_file(path)
            with open(path, "rb") as f:
                head = f.read(4096)
            m = records.add_media(s, records.ADMIN, iv, kind=kind, filename=path.name, sha256=sha, size_bytes=size,
                                  reference=reference, active_content=files.active_content(head, b"", path.name))
        else:
            with open(path, "rb") as f:
                stored = files.store(f, path.name)
            m = records.add_media(s, records.ADMIN, iv, kind=kind, filename=path.name, sha256=stored.sha256,
                                  size_bytes=stored.size_bytes, stored=True, active_content=stored.active_content)
    note = f" (active content: {m.active_content}; stored inert, never opened)" if m.active_content else ""
    console.print(f"{path.name}: sha256 {m.sha256}{note}")


@app.command("export")
def export(org: Org, use: Annotated[str, typer.Option("--use", help="internal, partners, un_gov, public or "
                                                      "anonymised_public.")],
           out: Annotated[Path, typer.Option("--out", help="Output file (.json, or .zip for Uwazi).")],
           interview: Annotated[list[str] | None, typer.Option("--interview", help="Interview id (repeat); "
                                                                   "default: all of the organisation's.")] = None,
           form: Annotated[str, typer.Option("--format", help="json or uwazi.")] = "json", db: Db = None) -> None:
    """Export interviews for one use: refused whole if consent or review is missing. Audited."""
    from sqlalchemy import select

    from corridor.archive import exports, records
    from corridor.archive.tables import ArchiveInterview
    from corridor.atomic import check_writable
    from corridor.store import session_scope

    if form not in ("json", "uwazi"):
        raise CorridorError("must be json or uwazi", field="--format", value=form)
    check_writable(out)
    engine = _engine(db)
    with session_scope(engine) as s:
        o = _org(s, org)
        ids = interview or list(s.execute(select(ArchiveInterview.public_id).where(ArchiveInterview.org_id == o.id)
                                          .order_by(ArchiveInterview.id)).scalars())
        clerk = records.Clerk("cli:export", admin=True)
        fn = exports.export_interviews if form == "json" else exports.uwazi_zip
        data, row = fn(s, clerk, ids, use)
        _write(out, data)
    console.print(f"Exported {len(ids)} interview(s) for {use} to {out} (sha256 {row.sha256[:16]}…)")


@app.command("import-uwazi")
def import_uwazi(path: Path, org: Org, db: Db = None) -> None:
    """Import events from an Uwazi entity CSV (all rows or none)."""
    from corridor.archive import exports, records
    from corridor.store import session_scope

    text = _read(path, "PATH").decode("utf-8", errors="strict")
    engine = _engine(db)
    with session_scope(engine) as s:
        n = exports.import_uwazi_events(s, records.Clerk("cli:import", admin=True), _org(s, org).id, text,
                                        source=str(path))
    console.print(f"Imported {n} event(s)")


@app.command("to-evidence")
def to_evidence(org: Org, db: Db = None) -> None:
    """Turn media-exposure codes into evidence respondent records (study archive-<org id>)."""
    from corridor.archive import exports, records
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        n = exports.to_evidence(s, records.Clerk("cli:to-evidence", admin=True), _org(s, org).id)
    console.print(f"{n} respondent record(s) in the evidence store")


@app.command("backup")
def backup(out: Annotated[Path, typer.Option("--out", help="The encrypted backup file.")], db: Db = None,
           as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False) -> None:
    """Write the whole archive to one file encrypted under a passphrase."""
    from corridor.archive.backup import make_backup
    from corridor.atomic import check_writable

    check_writable(out)
    passphrase = _passphrase("CORRIDOR_BACKUP_PASSPHRASE", "Backup passphrase", confirm=True)
    engine = _engine(db)
    blob, summary = make_backup(engine, passphrase)
    _write(out, blob)
    if as_json:
        print_json(summary)
    else:
        console.print(f"Backed up {sum(summary['rows'].values())} rows and {summary['files']} file(s) to {out}")


@app.command("restore")
def restore(path: Path, db: Db = None,
            map_: Annotated[list[str] | None, typer.Option(
                "--map", help='Restore a backup\'s organisation into one named differently here: '
                              '"Backup name=Name here" (repeat). Overrides the name, never the archive key.')] = None
            ) -> None:
    """Replace the archives of the backup's organisations, after checking the whole file and that
    each organisation here is the backup's (name and archive key); nothing changes on any fault."""
    from corridor.archive.backup import parse_map
    from corridor.archive.backup import restore as do_restore

    mapping = parse_map(map_)
    blob = _read(path, "PATH")
    passphrase = _passphrase("CORRIDOR_BACKUP_PASSPHRASE", "Backup passphrase")
    engine = _engine(db)
    done = do_restore(engine, blob, passphrase, source=str(path), mapping=mapping)
    into = ", ".join(p.target_name if not p.mapped else f"{p.backup_name} → {p.target_name}"
                     for p in done.placements)
    console.print(escape(f"Restored {sum(done.rows.values())} rows from {path} into {into or 'no organisation'}"))


@app.command("reindex")
def reindex(db: Db = None) -> None:
    """Rebuild the full-text index from the stored segments."""
    from corridor.archive.search import drop_index, ensure_index

    engine = _engine(db)
    drop_index(engine)
    ensure_index(engine)
    console.print("Search index rebuilt")


@app.command("thesaurus")
def show_thesaurus(lang: Lang = "en") -> None:
    """List the coding vocabularies (codes and labels)."""
    from corridor.archive import thesaurus
    from corridor.i18n import check_language

    check_language(lang)
    for name in thesaurus.VOCABULARIES:
        console.print(f"[bold]{name}[/]")
        for code, label in thesaurus.choices(name, lang):
            console.print(f"  {code:32} {label}")
