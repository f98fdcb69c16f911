"""`greenlight backup [--output FILE]`: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.site import backup


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = (
        "Write a backup archive (database through pg_dump or SQLite's online backup, uploaded "
        "files, a manifest with every table's count and every file's SHA-256)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="the archive to write (default: var/backups/greenlight-<UTC time>.tar.gz)",
        )

    def handle(self, *args, output, **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = (
            Path(output) if output else settings.VAR_DIR / "backups" / f"greenlight-{stamp}.tar.gz"
        )
        try:
            manifest = backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"{target}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{media} uploaded files"
        )
