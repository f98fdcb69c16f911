"""Archiving the trail: export the rows older than a date to a JSON-lines file, verify the
export against the chains, and only then prune them, leaving an anchor per chain where the
remaining rows resume. Retention: nothing younger than AUDIT_RETENTION_DAYS (183) goes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import services
from . import verify as chain_verify
from .models import ArchiveAnchor, AuditEvent


class ArchiveError(Exception):
    """The archive was refused; nothing was pruned."""


@dataclass(frozen=True)
class Archived:
    rows: int
    chains: int
    path: Path


def retention_limit(now: datetime | None = None) -> datetime:
    """The oldest moment that must still be kept in the database."""
    days = getattr(settings, "AUDIT_RETENTION_DAYS", 183)
    return (now or timezone.now()) - timedelta(days=days)


def archive(*, before: datetime, path: Path, actor=None) -> Archived:
    """Export rows older than `before`, check the file, prune them; all or nothing."""
    if before > retention_limit():
        raise ArchiveError(
            f"--before {before.date()}: rows younger than "
            f"{getattr(settings, 'AUDIT_RETENTION_DAYS', 183)} days must be kept"
        )
    result = chain_verify.verify()
    if not result.intact:
        raise ArchiveError(f"the trail is broken, nothing archived: {result.first}")
    old = AuditEvent.objects.filter(at__lt=before).order_by("chain", "seq")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for event in old.iterator(chunk_size=2000):
            row = services.payload(event)
            out.write(json.dumps({"id": event.id, **row, "hash": event.hash}, default=str) + "\n")
    lasts = _check_export(path)
    with transaction.atomic():
        now = timezone.now()
        for chain, (seq, hash_) in lasts.items():
            ArchiveAnchor.objects.create(
                chain=chain,
                seq=seq,
                hash=hash_,
                archived_at=now,
                file=str(path)[:300],
                mac=chain_verify.anchor_mac(chain, seq, hash_),
            )
        rows = _prune(lasts)
        services.record(
            None,
            "audit_archived",
            actor=actor,
            object_type="audit.auditevent",
            object_id="-",
            object_repr=path.name,
            changes={"before": before.isoformat(), "rows": rows, "file": str(path)},
        )
    return Archived(rows=rows, chains=len(lasts), path=path)


def _check_export(path: Path) -> dict[str, tuple[int, str]]:
    """Re-read the file: each row's MAC and link; returns each chain's last (seq, hash)."""
    lasts: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            event = AuditEvent.objects.get(pk=row["id"])
            if event.hash != row["hash"] or services.mac_of(event) != row["hash"]:
                raise ArchiveError(f"row {row['id']}: the export does not match the chain")
            prev = lasts.get(row["chain"])
            if prev is not None and (prev[0] + 1 != row["seq"] or prev[1] != row["prev_hash"]):
                raise ArchiveError(f"row {row['id']}: the export skips a row of its chain")
            lasts[row["chain"]] = (row["seq"], row["hash"])
    return lasts


def _prune(lasts: dict[str, tuple[int, str]]) -> int:
    """Delete the exported rows (the PostgreSQL trigger lets through only anchored ones)."""
    table = AuditEvent._meta.db_table
    n = 0
    with connection.cursor() as cursor:
        for chain, (seq, _hash) in lasts.items():
            cursor.execute(f"DELETE FROM {table} WHERE chain = %s AND seq <= %s", [chain, seq])
            n += cursor.rowcount
    return n
