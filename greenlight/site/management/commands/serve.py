"""`greenlight serve`: the development server on one URL (gunicorn serves production)."""

from __future__ import annotations

import logging
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve Greenlight at http://HOST:PORT (default 127.0.0.1:8000) and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-tick", action="store_true", help="do not run the periodic jobs")

    def handle(self, *args, host, port, **options):
        from greenlight.accounts.models import User

        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nGreenlight is starting at {url}\n"))
        demo = User.objects.filter(username__in=DEMO_USERS).values_list("username", "role")
        if demo:
            self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
            for username, role in demo:
                self.stdout.write(f"  {username:<14} {role}")
            self.stdout.write(
                "Staff sign in with a one-time code too: `greenlight otp code USERNAME` prints "
                "it,\n`greenlight otp keys` lists the keys to add to an authenticator app.\n"
            )
        if not options["no_tick"]:
            start_ticker(interval=60)
        call_command("runserver", f"{host}:{port}", use_reloader=False)


def start_ticker(*, interval: int) -> threading.Thread:
    """Run `greenlight tick` every `interval` seconds in a daemon thread."""

    def loop():
        from django.db import close_old_connections

        from greenlight.site import tick

        while True:
            try:
                tick.run()
            except Exception:  # keep ticking; the error is logged
                logging.getLogger(__name__).exception("tick failed")
            finally:
                close_old_connections()
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="greenlight-tick", daemon=True)
    thread.start()
    return thread


DEMO_USERS = [
    "coordinator",
    "approver",
    "company1",
    "leader",
    "supervisor",
    "admin",
    "security",
    "auditor",
    "province",
]
DEMO_PASSWORD = "Greenlight@2026"  # greenlight.demo.district.PASSWORD (site sits below demo)
