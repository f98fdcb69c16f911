"""`greenlight tick`: runs every registered job once (cron, systemd, or `serve`), one node at a
time; jobs register themselves in their app's `AppConfig.ready` (`greenlight.kernel.jobs`)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import datetime

from django.db import connection
from django.utils import timezone

from greenlight.kernel import jobs

log = logging.getLogger(__name__)

LOCK_ID = 4403060001  # PostgreSQL advisory lock: one tick at a time across app servers


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
        for path, job in jobs.registered().items():
            try:
                results[path] = job(now=now) or {}
            except Exception:  # one broken job must not stop the others
                log.exception("tick job %s failed", path)
                results[path] = {"error": 1}
    return results
