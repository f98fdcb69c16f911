"""The scheduled exchange: `greenlight tick` pulls then pushes for the configured coordinator."""

from __future__ import annotations

import logging

from django.conf import settings

from greenlight.accounts.models import User

log = logging.getLogger(__name__)


def scheduled_exchange(*, now=None) -> dict:
    """Pull and push once when EXCHANGE_URL and EXCHANGE_ACTOR are set; a re-run changes
    nothing (both are idempotent by the national keys)."""
    from . import services

    url, username = getattr(settings, "EXCHANGE_URL", ""), getattr(settings, "EXCHANGE_ACTOR", "")
    if not (url and username):
        return {}
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        log.warning("EXCHANGE_ACTOR %s is not an active user", username)
        return {"error": 1}
    pulled = services.pull(actor=actor)
    pushed = services.push(actor=actor)
    return {"pulled": pulled.applied, "pushed": pushed.applied, "failed": pulled.failed}
