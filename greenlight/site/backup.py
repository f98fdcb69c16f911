"""`greenlight backup` / `greenlight restore`: the whole platform in one archive and back.

An archive is a gzipped tar of
* `manifest.json`: format, engine, when, the migrations applied, every table's row count and
  the SHA-256 and size of every other member;
* `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite,
  through its online backup API, consistent while the platform runs);
* `media/…`: the uploaded files (ticket attachments).

Restore refuses an archive whose manifest is missing or unreadable, whose members differ from
the manifest (missing, extra, another checksum or size: a partial or altered copy), of another
engine or format, or with migrations this code does not know; it then replaces the database and
the uploaded files, and checks every table's count against the manifest and the audit chain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from greenlight.audit import verify as audit_verify

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclasses.dataclass(frozen=True)
class Restored:
    """What a restore put back, checked."""

    tables: dict[str, int]
    files: int
    audit_events: int


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def table_counts() -> dict[str, int]:
    """Every table of the database with its number of rows."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations() -> list[str]:
    return sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- backup ----------------------------------------------------------------------------------


def backup(output: Path) -> dict:
    """Write an archive of the database and the uploaded files to `output`; its manifest."""
    with tempfile.TemporaryDirectory(prefix="greenlight-backup-") as tmp:
        work = Path(tmp)
        db_name, counts = _dump_database(work)
        members = {db_name: work / db_name}
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"media/{path.relative_to(media).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "engine": engine(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "migrations": applied_migrations(),
            "tables": counts,
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in members.items()
            },
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a crash leaves a .partial file, never a short archive
    return manifest


def _dump_database(work: Path) -> tuple[str, dict[str, int]]:
    """The database's copy in `work` and its tables' counts, both of one consistent moment."""
    if engine() == "postgresql":
        target = work / "database.dump"
        # pg_dump reads the snapshot in which the counts are taken, whatever runs meanwhile.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = table_counts()
            command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run_pg([*command, "--file", str(target)])
        return target.name, counts
    if engine() == "sqlite":
        target = work / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            counts = {
                name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                for (name,) in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            }
        finally:
            copy.close()
        return target.name, counts
    raise BackupError(f"no backup for the {engine()} database engine")


def _run_pg(command: list[str]) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


# -- restore ---------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    """The archive's manifest, after checking every member against it (refuses otherwise)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _manifest(tar)
            _check_members(tar, manifest)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"{archive} is not a complete archive ({exc})") from exc
    _check_compatible(manifest)
    return manifest


def _manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, ValueError, AttributeError) as exc:
        raise BackupError("the archive has no readable manifest.json") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise BackupError("manifest.json lists no files")
    return manifest


def _check_members(tar: tarfile.TarFile, manifest: dict) -> None:
    listed = manifest["files"]
    present = {m.name: m for m in tar.getmembers() if m.isfile() and m.name != MANIFEST}
    if missing := sorted(set(listed) - set(present)):
        raise BackupError(f"the archive lacks {len(missing)} listed file(s), e.g. {missing[0]}")
    if extra := sorted(set(present) - set(listed)):
        raise BackupError(f"the archive holds unlisted file(s), e.g. {extra[0]}")
    for name, member in present.items():
        if ".." in Path(name).parts or name.startswith("/"):
            raise BackupError(f"unsafe path in the archive: {name}")
        digest = hashlib.sha256()
        fh = tar.extractfile(member)
        for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
            digest.update(chunk)
        if digest.hexdigest() != listed[name].get("sha256") or member.size != listed[name].get(
            "size"
        ):
            raise BackupError(f"{name} does not match its checksum in the manifest")


def _check_compatible(manifest: dict) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(f"archive format {manifest.get('format')!r}; this version reads {FORMAT}")
    if manifest.get("engine") != engine():
        raise BackupError(
            f"the archive is of a {manifest.get('engine')} database; this one is {engine()}"
        )
    known = {
        f"{a}.{n}" for a, n in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    if unknown := sorted(set(manifest.get("migrations") or []) - known):
        raise BackupError(
            f"the archive comes from a newer version (migration {unknown[0]} is unknown here)"
        )


def restore(archive: Path) -> Restored:
    """Replace the database and the uploaded files by the archive's, then check them."""
    manifest = read_manifest(archive)
    with tempfile.TemporaryDirectory(prefix="greenlight-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        _load_database(work)
        files = _replace_media(work / "media")
    counts = table_counts()
    if counts != manifest["tables"]:
        wrong = sorted(
            t
            for t in set(counts) | set(manifest["tables"])
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"after the restore, table counts differ: {', '.join(wrong[:5])}")
    checked = audit_verify.verify()
    if not checked.intact:
        raise BackupError(f"after the restore, the audit trail breaks: {checked.first}")
    return Restored(tables=counts, files=files, audit_events=counts.get("audit_auditevent", 0))


def _load_database(work: Path) -> None:
    if engine() == "postgresql":
        connection.close()  # no session of ours may hold a lock on a table being replaced
        _run_pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(work / "database.dump"),
            ]
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(work / "database.sqlite3")
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _replace_media(source: Path) -> int:
    """Put the archive's uploaded files in MEDIA_ROOT (the old ones moved aside, then gone)."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = media.with_name(media.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        media.rename(old)
    staged.rename(media)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())
