"""Writing and verifying the audit trail."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from . import context
from .models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _digest(prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
        "request_id": event.request_id,
    }


def record(
    obj,
    action: str,
    *,
    actor=None,
    changes: dict | None = None,
    region=None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event about `obj` (a model instance) to the chained trail."""
    ctx = context.current()
    region = region if region is not None else _region_of(obj)
    event = AuditEvent(
        at=(at or timezone.now()).astimezone(UTC),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=json.loads(json.dumps(changes or {}, default=str)),
        region=region,
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else "",
    )
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        event.prev_hash = head.last_hash
        event.hash = _digest(event.prev_hash, _payload(event))
        event.save()
        ChainHead.objects.filter(id=1).update(last_hash=event.hash)
    return event


def _region_of(obj):
    for path in ("region", "project.region", "approval.project.region"):
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def verify_chain() -> tuple[bool, int | None]:
    """Recompute every hash; return (intact, id of the first broken event)."""
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or _digest(prev, _payload(event)) != event.hash:
            return False, event.id
        prev = event.hash
    return True, None
