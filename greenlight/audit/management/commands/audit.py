"""`greenlight audit verify [--since DATE]`: check every chain of the trail (exit 0 intact,
1 naming the first bad row); `greenlight audit archive --before DATE --out FILE`: export,
verify, then prune (rows younger than the retention period are refused)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.audit import archive as trail_archive
from greenlight.audit import verify as chain_verify


def _day(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r}: a date in the form YYYY-MM-DD") from exc
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Verify the audit trail's HMAC-SM3 chains, or archive and prune its oldest rows."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="verify every chain")
        check.add_argument("--since", help="only rows from DATE (YYYY-MM-DD) on")
        keep = sub.add_parser("archive", help="export, verify, then prune rows before DATE")
        keep.add_argument("--before", required=True, help="DATE (YYYY-MM-DD)")
        keep.add_argument("--out", required=True, help="the JSON-lines file to write")

    def handle(self, *args, action, **options):
        if action == "verify":
            since = _day(options["since"]) if options.get("since") else None
            result = chain_verify.verify(since=since)
            if not result.intact:
                self.stderr.write(f"BROKEN: {result.first}")
                for other in result.broken[1:]:
                    self.stderr.write(f"  also: {other}")
                raise SystemExit(1)
            self.stdout.write(f"intact: {result.chains} chains, {result.rows} rows (HMAC-SM3)")
            return
        try:
            done = trail_archive.archive(before=_day(options["before"]), path=Path(options["out"]))
        except trail_archive.ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"archived {done.rows} rows of {done.chains} chains to {done.path}")
