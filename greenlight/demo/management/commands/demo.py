"""`greenlight demo [--if-empty] [--projects N] [--today DATE]`: build the demo district."""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Build the deterministic demo district 宝安区 (440306) with ~850 projects."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if projects exist")
        parser.add_argument("--projects", type=int, default=850)
        parser.add_argument(
            "--seed", type=int, default=None, help="the simulation's seed (default: 440306)"
        )
        parser.add_argument("--today", help="the demo's 'today' (YYYY-MM-DD); default: today")

    def handle(self, *args, if_empty, projects, today, seed, **options):
        from greenlight.demo import district as demo
        from greenlight.projects.models import Project

        if Project.objects.exists():
            if if_empty:
                self.stdout.write(
                    "The database has projects already; the demo is not loaded again."
                )
                return
            raise CommandError("the database has projects already; use a fresh database")
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today: {today!r} is not a date in the form YYYY-MM-DD") from None
        if projects < 3:
            raise CommandError("--projects: at least 3")
        self.stdout.write(
            f"Building the demo district (宝安区, {projects} projects, today {day}, seed "
            f"{demo.SEED if seed is None else seed}) ..."
        )
        seed = demo.SEED if seed is None else seed
        counts = demo.build(today=day, projects=projects, stdout=sys.stderr, seed=seed)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        )
        self.stdout.write(
            f"Demo logins (password: {demo.PASSWORD}): coordinator, approver, company1, leader, "
            "supervisor, admin, security, auditor, province"
        )
        self.stdout.write(
            "Staff give a one-time code after the password: `greenlight otp code USERNAME` "
            "prints it (`greenlight otp keys`: the keys for an authenticator app)."
        )
