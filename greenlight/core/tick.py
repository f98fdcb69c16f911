"""`greenlight tick`: the one idempotent periodic job runner (cron, systemd, or `serve`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from importlib import import_module

from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

# Each job is "module:function" taking (now=) and returning a dict of counts. Jobs must be
# idempotent: running twice at the same moment changes nothing the second time.
JOBS = [
    "greenlight.approvals.jobs:notify_deadlines",
    "greenlight.tickets.jobs:escalate",
    "greenlight.reviews.jobs:remind_opinions",
    "greenlight.notifications.services:deliver_due",
    "greenlight.analytics.casefacts:refresh_changed",
]
LOCK_ID = 4403060001  # PostgreSQL advisory lock: one tick at a time across app servers


def register(path: str) -> None:
    """Add a job (module:function) to the tick, once."""
    if path not in JOBS:
        JOBS.append(path)


def _resolve(path: str) -> Callable[..., dict]:
    module, name = path.split(":")
    return getattr(import_module(module), name)


@contextmanager
def _lock():
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def run(*, now: datetime | None = None) -> dict[str, dict] | None:
    """Run every job once; None when another process holds the tick."""
    now = now or timezone.now()
    results: dict[str, dict] = {}
    with _lock() as got:
        if not got:
            return None
        for path in JOBS:
            try:
                results[path] = _resolve(path)(now=now) or {}
            except Exception:  # one broken job must not stop the others
                log.exception("tick job %s failed", path)
                results[path] = {"error": 1}
    return results
