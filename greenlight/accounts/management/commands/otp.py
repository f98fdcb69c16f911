"""`greenlight otp code USERNAME`: the current one-time code of a demo authenticator;
`greenlight otp keys`: the demo authenticators' keys, to add them to a TOTP app.

Only devices the demo made (named "demo") are shown: a real user's key never leaves the
enrolment page."""

from __future__ import annotations

import base64
import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_DEVICE = "demo"


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "One-time codes and keys of the demo's authenticators (devices named 'demo')."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser("code", help="print the current code of a demo user")
        code.add_argument("username")
        sub.add_parser("keys", help="list the demo users' TOTP keys (base32)")

    def handle(self, *args, action, **options):
        devices = TOTPDevice.objects.filter(name=DEMO_DEVICE, confirmed=True).select_related("user")
        if action == "keys":
            for device in devices.order_by("user__username"):
                key = base64.b32encode(device.bin_key).decode()
                self.stdout.write(f"{device.user.username:<20} {key}")
            return
        device = devices.filter(user__username=options["username"]).first()
        if device is None:
            raise CommandError(f"{options['username']!r}: no demo authenticator")
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(current_code(device))
        self.stderr.write(f"(valid for {left} more seconds)")
