"""Signing a test client in as a user who has passed the second factor, as the login's second
step leaves a session: a confirmed TOTP device and its id in the session (django-otp reads it
back on every request). The login steps themselves are tested in accounts/tests."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenlight.accounts.middleware import SEEN


def verified_login(client, user):
    """force_login, then mark the session verified by the user's (new) TOTP device."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SEEN] = time.time()  # as the login's own answer notes it
    session.save()
    return client
