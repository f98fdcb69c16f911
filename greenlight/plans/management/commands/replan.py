"""`greenlight replan [ID ...] [--all | --stale] [--today DATE]`: recompute and store project
plans, with progress. `--stale` is the tick's daily re-forecast: the projects not yet forecast
today (none on a second run the same day)."""

from __future__ import annotations

import sys
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.catalog import calendars
from greenlight.kernel.progress import Progress
from greenlight.plans import jobs, planning
from greenlight.projects.models import Project


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Recompute the plans (planned/forecast dates, critical path) of projects."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="project ids")
        parser.add_argument("--all", action="store_true", help="every project")
        parser.add_argument(
            "--stale", action="store_true", help="the projects not yet forecast today (daily)"
        )
        parser.add_argument("--today", help="forecast as of this day (YYYY-MM-DD), for testing")

    def handle(self, *args, ids, **options):
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        if options["stale"]:
            now = timezone.make_aware(datetime.combine(today, time(12)))
            counts = jobs.reforecast(now=now, progress=self._bar)
            self._report(counts)
            return
        if not ids and not options["all"]:
            raise CommandError("name project ids or use --all or --stale")
        qs = Project.objects.all() if options["all"] else Project.objects.filter(pk__in=ids)
        missing = set(ids) - set(qs.values_list("pk", flat=True)) if ids else set()
        if missing:
            raise CommandError(f"no project with id {', '.join(map(str, sorted(missing)))}")
        counts = planning.replan_many(
            qs.order_by("pk"),
            graph=planning.CatalogGraph.load(),
            calendar=calendars.current(),
            today=today,
            progress=self._bar(qs.count()),
        )
        self._report(counts)

    def _bar(self, total: int) -> Progress:
        return Progress("replan", total, stream=sys.stderr)

    def _report(self, counts: dict) -> None:
        self.stdout.write(
            f"replanned {counts['projects']} projects; {counts['approvals']} approvals changed"
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None
