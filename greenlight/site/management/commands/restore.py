"""`greenlight restore ARCHIVE [--yes] [--check]`: put a `greenlight backup` archive back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlight.site import backup


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = (
        "Replace the database and the uploaded files by a backup archive's, after checking it "
        "(manifest, checksums, engine, migrations); then check every table's count and the "
        "audit chain. Exit 1 with the reason when the archive is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--check", action="store_true", help="only check the archive; change nothing"
        )

    def handle(self, *args, archive, yes, check, **options):
        path = Path(archive)
        try:
            manifest = backup.read_manifest(path)
            if check:
                self.stdout.write(
                    f"{path}: complete, {manifest['engine']}, {manifest['created_at']}"
                )
                return
            if (
                not yes
                and input(
                    f"Replace ALL data by {path} ({manifest['created_at']})? Type yes: "
                ).strip()
                != "yes"
            ):
                raise CommandError("not restored")
            done = backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {path}: {len(done.tables)} tables, {sum(done.tables.values())} rows "
            f"(each as in the manifest), {done.files} uploaded files, audit chain of "
            f"{done.audit_events} events intact"
        )
