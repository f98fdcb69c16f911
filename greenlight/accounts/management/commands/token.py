"""`greenlight token create USERNAME [--name NAME]`: print a new API bearer token."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from greenlight.accounts import services
from greenlight.accounts.models import User


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Create an API token for a user and print it (it is shown once)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--days", type=int, default=None, help="valid for N days (default API_TOKEN_DAYS, 90)"
        )
        revoke = sub.add_parser("revoke", help="revoke every token of a user")
        revoke.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        if action == "revoke":
            n = services.revoke_all_tokens(user=user, actor=None)
            self.stdout.write(f"revoked {n} token(s) of {username}")
            return
        _, raw = services.issue_token(
            user=user, actor=None, name=options["name"], days=options["days"]
        )
        self.stdout.write(raw)
