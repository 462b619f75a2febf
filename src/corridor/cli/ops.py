"""Server operations: whole-coalition backup and restore, and `corridor doctor`.

The library is :mod:`corridor.ops`; these commands only read options and print.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from corridor.cli.console import console, err_console
from corridor.errors import CorridorError

Db = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: $CORRIDOR_DATABASE_URL or the local SQLite file).")]
PassphraseFile = Annotated[Path | None, typer.Option(
    "--passphrase-file", help="A file whose first line is the passphrase (12 characters at least). "
                              "Keep it readable by its owner only.")]
FilesDir = Annotated[Path | None, typer.Option(
    "--files-dir", help="The archive's file store (default: archive-files in the data folder).")]

backup_app = typer.Typer(help="Back up the whole coalition to one encrypted file; verify a backup; make backup keys.",
                         invoke_without_command=True)


def _secret_to_make(passphrase_file: Path | None, public_key: Path | None):
    from corridor.ops import backup

    if passphrase_file is not None and public_key is not None:
        raise CorridorError("give either --passphrase-file or --public-key, not both", field="--public-key")
    if public_key is not None:
        return backup.Secret(public_key=backup.read_public_key(public_key))
    if passphrase_file is not None:
        return backup.Secret(passphrase=backup.read_passphrase_file(passphrase_file))
    raise CorridorError("no key given: add --public-key FILE (made by `corridor backup keygen`) or "
                        "--passphrase-file FILE", field="key")


def _secret_to_open(passphrase_file: Path | None, private_key: Path | None):
    from corridor.ops import backup

    if passphrase_file is not None and private_key is not None:
        raise CorridorError("give either --passphrase-file or --private-key, not both", field="--private-key")
    if private_key is not None:
        return backup.Secret(private_key=backup.read_private_key(private_key))
    if passphrase_file is not None:
        return backup.Secret(passphrase=backup.read_passphrase_file(passphrase_file))
    raise CorridorError("no key given: add --private-key FILE or --passphrase-file FILE, whichever the backup "
                        "was made with", field="key")


def _print_manifest(manifest: dict) -> None:
    tables = manifest["tables"]
    audit = manifest["audit"]
    console.print(f"Made {escape(manifest['created'])} by Corridor {escape(manifest['corridor_version'])} on "
                  f"{escape(manifest['dialect'])}, schema revision {escape(manifest['schema_revision'])}")
    console.print(f"Coalition {escape(str(manifest['coalition'] or 'empty'))[:16]}…, "
                  f"{sum(t['rows'] for t in tables.values())} rows in {len(tables)} tables, "
                  f"{len(manifest['files'])} archive files")
    for name in ("organisation", "user_account", "campaign", "activity", "evidence_respondent", "archive_person",
                 "audit_log"):
        if name in tables:
            console.print(f"  {name}: {tables[name]['rows']}")
    state = {True: "verified", False: f"NOT verified ({audit.get('problem')})", None: "not checked"}[audit["verified"]]
    console.print(f"Audit head: entry {audit['seq']}, sha256 {audit['hash']} ({escape(state)})")


@backup_app.callback()
def backup(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="The backup file to write (mode 0600).")] = None,
    passphrase_file: PassphraseFile = None,
    public_key: Annotated[Path | None, typer.Option(
        "--public-key", help="Encrypt to this public key (from `corridor backup keygen`); only the private key, "
                             "kept off the server, opens the backup.")] = None,
    db: Db = None,
    files_dir: FilesDir = None,
) -> None:
    """Back up the whole coalition to one encrypted file; verify a backup; make backup keys.

    The file holds the ledger, the evidence, the archive (identities still sealed), the audit log
    and the archive's files, with a manifest; it is encrypted to a public key or a passphrase and
    authenticated. The server key is never in it: keep it with your key backups.
    """
    if ctx.invoked_subcommand is not None:
        if out is not None or passphrase_file is not None or public_key is not None:
            raise CorridorError(f"--out and the key options belong to `corridor backup`, not to "
                                f"`corridor backup {ctx.invoked_subcommand}`", field="--out")
        return
    from corridor.ops import backup as ops_backup

    if out is None:
        raise CorridorError("where should the backup go? add --out FILE", field="--out")
    secret = _secret_to_make(passphrase_file, public_key)
    made = ops_backup.make_backup(db, out, secret, files_dir=files_dir)
    _print_manifest(made.manifest)
    console.print(f"Backup written to {escape(str(made.path))} ({made.bytes:,} bytes). Copy it off the server; "
                  "check it with `corridor backup verify`.")


@backup_app.command("verify")
def backup_verify(
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    passphrase_file: PassphraseFile = None,
    private_key: Annotated[Path | None, typer.Option("--private-key", help="The private key it was made for.")] = None,
) -> None:
    """Check a backup completely, as a restore would before writing: key, checksum, manifest, every table."""
    from corridor.ops import backup as ops_backup

    secret = _secret_to_open(passphrase_file, private_key)
    manifest = ops_backup.verify_backup(file, secret)
    _print_manifest(manifest)
    console.print(f"Backup {escape(str(file))} is whole and opens with this key.")


@backup_app.command("keygen")
def backup_keygen(
    public_key: Annotated[Path, typer.Option("--public-key", help="Where to write the public key (for the server).")],
    private_key: Annotated[Path, typer.Option("--private-key", help="Where to write the private key (mode 0600). "
                                                                     "Move it off the server.")],
) -> None:
    """Make a key pair for backups: the server keeps the public key, the private key goes off the server."""
    from corridor.ops import backup as ops_backup

    keys = ops_backup.new_backup_keys()
    ops_backup.write_key_files(keys, public_key, private_key)
    console.print(f"Public key {escape(str(public_key))}, private key {escape(str(private_key))} "
                  f"(fingerprint {keys.fingerprint}).")
    console.print("Keep the private key off the server (and a second copy elsewhere): without it no backup opens.")


def restore(
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    passphrase_file: PassphraseFile = None,
    private_key: Annotated[Path | None, typer.Option("--private-key", help="The private key it was made for.")] = None,
    db: Db = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a database that already holds this coalition (same audit log, same schema "
                        "revision). Without it only an empty database is restored into.")] = False,
    files_dir: FilesDir = None,
) -> None:
    """Restore a whole-coalition backup into an empty database, all or nothing, after checking all of it."""
    from corridor.ops import backup as ops_backup

    secret = _secret_to_open(passphrase_file, private_key)
    done = ops_backup.restore(db, file, secret, force=force, files_dir=files_dir)
    _print_manifest(done.manifest)
    verb = "Replaced the coalition with" if done.replaced else "Restored"
    console.print(f"{verb} {sum(done.rows.values())} rows and {done.files} archive files.")
    if done.rerecorded:
        console.print("Moved between kinds of database: the audit log re-recorded the rows of "
                      + ", ".join(done.rerecorded) + ".")
    if done.audit_ok:
        console.print(f"Audit log intact: head at entry {done.audit_seq} (the restore is its last entry).")
    else:
        err_console.print("[bold yellow]The audit log does not verify, as in the backup: "
                          "run `corridor audit verify` to see what.[/]")
    settings = done.manifest.get("settings") or {}
    if settings:
        console.print("Settings when the backup was made (set them in the environment file): "
                      + ", ".join(f"{k}={escape(v)}" for k, v in sorted(settings.items())))
    console.print("Everyone signs in again. Restore the server key from your key backup if this is a new server.")


def doctor(db: Db = None) -> None:
    """Check a running server, one line per check with what to do; exit 1 if anything needs action."""
    from corridor.ops.doctor import run_checks

    checks = run_checks(db)
    for check in checks:
        line = escape(check.line())
        if check.ok:
            console.print(f"[green]{line}[/]")
        else:
            console.print(f"[bold red]{line}[/]")
    failing = [c.name for c in checks if not c.ok]
    if failing:
        console.print(f"{len(failing)} check(s) need action: {', '.join(failing)}")
        raise typer.Exit(1)
    console.print("Everything checked is in order.")


app = typer.Typer(help="Server operations.", no_args_is_help=True)
app.add_typer(backup_app, name="backup")
app.command("restore")(restore)
app.command("doctor")(doctor)
