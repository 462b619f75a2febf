"""Server operations: whole-coalition backup and restore, `corridor doctor` and rotating the server key.

The library is :mod:`corridor.ops`; these commands only read options and print, in English or
Korean (``--lang``, else a Korean locale in ``$LC_ALL``, ``$LC_MESSAGES`` or ``$LANG``).
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
Lang = Annotated[str | None, typer.Option(
    "--lang", help="Language of the output: en or ko (default: ko under a Korean locale, else en).")]


def console_language(lang: str | None) -> str:
    """The language of a command's output: ``--lang`` if given, else
    :func:`corridor.settings.default_language` (``$CORRIDOR_LANG``, else the locale)."""
    from corridor.i18n import check_language
    from corridor.settings import default_language

    if lang is not None:
        return check_language(lang)
    return check_language(default_language(), field="CORRIDOR_LANG")


def translator(lang: str):
    """``_`` for this command's texts in ``lang``."""
    from corridor.i18n import gettext

    return lambda message: gettext(lang, message)

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


def _print_manifest(manifest: dict, lang: str) -> None:
    _ = translator(lang)
    tables = manifest["tables"]
    audit = manifest["audit"]
    console.print(escape(_("Made {created} by Corridor {version} on {dialect}, schema revision {revision}").format(
        created=manifest["created"], version=manifest["corridor_version"], dialect=manifest["dialect"],
        revision=manifest["schema_revision"])))
    console.print(escape(_("Coalition {identity}…, {rows} rows in {tables} tables, {files} archive files").format(
        identity=str(manifest["coalition"] or _("empty"))[:16], rows=sum(t["rows"] for t in tables.values()),
        tables=len(tables), files=len(manifest["files"]))))
    for name in ("organisation", "user_account", "campaign", "activity", "evidence_respondent", "archive_person",
                 "audit_log"):
        if name in tables:
            console.print(f"  {name}: {tables[name]['rows']}")
    state = {True: _("verified"), False: _("NOT verified ({problem})").format(problem=audit.get("problem")),
             None: _("not checked")}[audit["verified"]]
    console.print(escape(_("Audit head: entry {seq}, sha256 {hash} ({state})").format(
        seq=audit["seq"], hash=audit["hash"], state=state)))


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
    lang: Lang = None,
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
        if lang is not None:
            ctx.obj = console_language(lang)
        return
    from corridor.ops import backup as ops_backup

    lang = console_language(lang)
    _ = translator(lang)
    if out is None:
        raise CorridorError("where should the backup go? add --out FILE", field="--out")
    secret = _secret_to_make(passphrase_file, public_key)
    made = ops_backup.make_backup(db, out, secret, files_dir=files_dir)
    _print_manifest(made.manifest, lang)
    console.print(escape(_("Backup written to {path} ({size} bytes). Copy it off the server; check it with "
                           "`corridor backup verify`.").format(path=made.path, size=f"{made.bytes:,}")))


def _sub_language(ctx: typer.Context, lang: str | None) -> str:
    """A subcommand's language: its own --lang, else the group's (`corridor backup --lang ko verify`)."""
    if lang is None and isinstance(ctx.obj, str):
        return ctx.obj
    return console_language(lang)


@backup_app.command("verify")
def backup_verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    passphrase_file: PassphraseFile = None,
    private_key: Annotated[Path | None, typer.Option("--private-key", help="The private key it was made for.")] = None,
    lang: Lang = None,
) -> None:
    """Check a backup completely, as a restore would before writing: key, checksum, manifest, every table."""
    from corridor.ops import backup as ops_backup

    lang = _sub_language(ctx, lang)
    secret = _secret_to_open(passphrase_file, private_key)
    manifest = ops_backup.verify_backup(file, secret)
    _print_manifest(manifest, lang)
    console.print(escape(translator(lang)("Backup {path} is whole and opens with this key.").format(path=file)))


@backup_app.command("keygen")
def backup_keygen(
    ctx: typer.Context,
    public_key: Annotated[Path, typer.Option("--public-key", help="Where to write the public key (for the server).")],
    private_key: Annotated[Path, typer.Option("--private-key", help="Where to write the private key (mode 0600). "
                                                                     "Move it off the server.")],
    lang: Lang = None,
) -> None:
    """Make a key pair for backups: the server keeps the public key, the private key goes off the server."""
    from corridor.ops import backup as ops_backup

    _ = translator(_sub_language(ctx, lang))
    keys = ops_backup.new_backup_keys()
    ops_backup.write_key_files(keys, public_key, private_key)
    console.print(escape(_("Public key {public}, private key {private} (fingerprint {fingerprint}).").format(
        public=public_key, private=private_key, fingerprint=keys.fingerprint)))
    console.print(_("Keep the private key off the server (and a second copy elsewhere): without it no backup opens."))


def restore(
    file: Annotated[Path, typer.Argument(help="The backup file.")],
    passphrase_file: PassphraseFile = None,
    private_key: Annotated[Path | None, typer.Option("--private-key", help="The private key it was made for.")] = None,
    db: Db = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a database that already holds this coalition (same audit log, same schema "
                        "revision). Without it only an empty database is restored into.")] = False,
    files_dir: FilesDir = None,
    lang: Lang = None,
) -> None:
    """Restore a whole-coalition backup into an empty database, all or nothing, after checking all of it."""
    from corridor.ops import backup as ops_backup

    lang = console_language(lang)
    _ = translator(lang)
    secret = _secret_to_open(passphrase_file, private_key)
    done = ops_backup.restore(db, file, secret, force=force, files_dir=files_dir)
    _print_manifest(done.manifest, lang)
    verb = (_("Replaced the coalition with {rows} rows and {files} archive files.") if done.replaced
            else _("Restored {rows} rows and {files} archive files."))
    console.print(verb.format(rows=sum(done.rows.values()), files=done.files))
    if done.rerecorded:
        console.print(escape(_("Moved between kinds of database: the audit log re-recorded the rows of {tables}.")
                             .format(tables=", ".join(done.rerecorded))))
    if done.audit_ok:
        console.print(_("Audit log intact: head at entry {seq} (the restore is its last entry).").format(
            seq=done.audit_seq))
    else:
        err_console.print("[bold yellow]" + escape(_("The audit log does not verify, as in the backup: run "
                                                     "`corridor audit verify` to see what.")) + "[/]")
    settings = done.manifest.get("settings") or {}
    if settings:
        console.print(escape(_("Settings when the backup was made (set them in the environment file): {settings}")
                             .format(settings=", ".join(f"{k}={v}" for k, v in sorted(settings.items())))))
    console.print(_("Everyone signs in again. Restore the server key from your key backup if this is a new server."))


def doctor(db: Db = None, lang: Lang = None) -> None:
    """Check a running server, one line per check with what to do; exit 1 if anything needs action."""
    from corridor.ops.doctor import run_checks, title

    lang = console_language(lang)
    _ = translator(lang)
    checks = run_checks(db, lang=lang)
    for check in checks:
        line = escape(check.line())
        if check.ok:
            console.print(f"[green]{line}[/]")
        else:
            console.print(f"[bold red]{line}[/]")
    failing = [title(c.name, lang) for c in checks if not c.ok]
    if failing:
        console.print(escape(_("{n} check(s) need action: {names}").format(n=len(failing), names=", ".join(failing))))
        raise typer.Exit(1)
    console.print(_("Everything checked is in order."))


server_key_app = typer.Typer(help="The server key that seals second factors and saved searches: rotate it.",
                             no_args_is_help=True)


@server_key_app.command("rotate")
def server_key_rotate(
    db: Db = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Only when the key comes from $CORRIDOR_SERVER_KEY: the file to write the new key to "
                      "(mode 0600), for you to put into the environment file.")] = None,
    lang: Lang = None,
) -> None:
    """Replace the server key without re-enrolment: second factors re-sealed, saved searches dropped, every
    session ended, all in one transaction. Stop the service first; start it again afterwards."""
    from corridor.ops.rotate import rotate_server_key

    lang = console_language(lang)
    _ = translator(lang)
    done = rotate_server_key(db, out=out)
    console.print(_("Server key replaced: {factors} second factor(s) sealed again with the new key, {searches} saved "
                    "search(es) dropped, {sessions} session(s) ended (audit entry {seq}).").format(
        factors=done.second_factors, searches=done.saved_searches, sessions=done.sessions, seq=done.audit_seq))
    if done.from_environment:
        console.print(escape(_("The new key is in {path} (readable by its owner only). Put its content into the "
                               "environment file as CORRIDOR_SERVER_KEY, restart the service, then delete the "
                               "file. Until then nobody with a second factor can sign in.").format(
            path=done.key_file)))
    else:
        console.print(escape(_("The new key is in {path}. Start the service again, and replace the copy in your "
                               "key backup; the old key opens only backups made before now.").format(
            path=done.key_file)))
    console.print(_("Everyone signs in again; nobody needs to enrol again."))


app = typer.Typer(help="Server operations.", no_args_is_help=True)
app.add_typer(backup_app, name="backup")
app.command("restore")(restore)
app.command("doctor")(doctor)
app.add_typer(server_key_app, name="server-key")
