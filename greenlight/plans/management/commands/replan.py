"""`greenlight replan [ID ...] [--all]`: recompute and store project plans, with progress."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.catalog import calendars
from greenlight.kernel.progress import Progress
from greenlight.plans import planning
from greenlight.projects.models import Project


class Command(BaseCommand):
    help = "Recompute the plans (planned/forecast dates, critical path) of projects."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="project ids")
        parser.add_argument("--all", action="store_true", help="every project")

    def handle(self, *args, ids, **options):
        if not ids and not options["all"]:
            raise CommandError("name project ids or use --all")
        qs = Project.objects.all() if options["all"] else Project.objects.filter(pk__in=ids)
        missing = set(ids) - set(qs.values_list("pk", flat=True)) if ids else set()
        if missing:
            raise CommandError(f"no project with id {', '.join(map(str, sorted(missing)))}")
        counts = planning.replan_many(
            qs.order_by("pk"),
            graph=planning.CatalogGraph.load(),
            calendar=calendars.current(),
            today=timezone.localdate(),
            progress=Progress("replan", qs.count(), stream=sys.stderr),
        )
        self.stdout.write(
            f"replanned {counts['projects']} projects; {counts['approvals']} approvals changed"
        )
