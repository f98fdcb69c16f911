"""Writing the audit trail: one HMAC-SM3 chain per project (else per region), each row's MAC
over every one of its fields and the previous row's MAC."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import context, crypto
from .models import AuditEvent, ChainHead

GENESIS = "0" * 64
SUCCESS, FAILURE = "success", "failure"
# Every field of a row but its id and its own MAC.
FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "department",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "region_id",
    "request_id",
    "ip",
    "chain",
    "seq",
    "prev_hash",
)


def payload(event: AuditEvent) -> dict:
    """What the MAC covers: every field (the time as UTC ISO, to the microsecond)."""
    values = {name: getattr(event, name) for name in FIELDS}
    values["at"] = event.at.astimezone(UTC).isoformat()
    return values


def mac_of(event: AuditEvent) -> str:
    return crypto.hmac_sm3(crypto.canonical(payload(event)))


def head_mac(chain: str, seq: int, last_hash: str) -> str:
    return crypto.hmac_sm3(crypto.canonical({"chain": chain, "seq": seq, "head": last_hash}))


def record(
    obj,
    action: str,
    *,
    actor=None,
    changes: dict | None = None,
    region=None,
    at: datetime | None = None,
    outcome: str = SUCCESS,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event about `obj` (a model instance, or None with object_type/object_id)."""
    ctx = context.current()
    region = region if region is not None else _region_of(obj)
    actor = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        at=(at or timezone.now()).astimezone(UTC),
        actor=actor,
        actor_name=getattr(actor, "username", "") or "system",
        actor_role=getattr(actor, "role", "") or "",
        department=_department_of(actor),
        action=action,
        outcome=outcome,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else getattr(obj, "pk", "")),
        object_repr=(object_repr if object_repr is not None else str(obj or ""))[:200],
        changes=json.loads(json.dumps(changes or {}, default=str)),
        region=region,
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else "",
        chain=_chain_of(obj, region),
    )
    with transaction.atomic():
        head = _locked_head(event.chain, region)
        event.seq, event.prev_hash = head.seq + 1, head.last_hash
        event.hash = mac_of(event)
        event.save()
        head.seq, head.last_hash = event.seq, event.hash
        head.mac = head_mac(head.chain, head.seq, head.last_hash)
        head.save(update_fields=["seq", "last_hash", "mac"])
    return event


def _locked_head(chain: str, region) -> ChainHead:
    """The chain's head, locked until the transaction ends (made on the chain's first row)."""
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(chain=chain, region=region, seq=0, last_hash=GENESIS)
    except IntegrityError:
        pass  # another writer made it first
    return ChainHead.objects.select_for_update().get(chain=chain)


def _chain_of(obj, region) -> str:
    """A project's chain ("p:<id>") for what belongs to a project, else the region's."""
    if obj is not None:
        if obj._meta.label_lower == "projects.project" and obj.pk:
            return f"p:{obj.pk}"
        for path in ("project_id", "approval.project_id", "ticket.project_id"):
            value = obj
            for part in path.split("."):
                value = getattr(value, part, None)
                if value is None:
                    break
            if value is not None:
                return f"p:{value}"
    return f"r:{region.code}" if region is not None else "-"


def _department_of(actor) -> str:
    if actor is None:
        return ""
    if getattr(actor, "department_id", None):
        return actor.department.short_name[:100]
    if getattr(actor, "organization_id", None):
        return actor.organization.name[:100]
    return ""


def _region_of(obj):
    if obj is None:
        return None
    for path in ("region", "project.region", "approval.project.region", "user.region"):
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None and value._meta.label_lower == "accounts.region":
            return value
    return None


def record_many(entries: list[dict]) -> int:
    """Append many events at once, each as `record` would (same fields, chains and MACs), in the
    order given: for a bulk write (the demo's simulated history, an import). Each entry holds
    `obj`, `action` and optionally `actor`, `changes`, `region`, `at`."""
    ctx = context.current()
    events = []
    for e in entries:
        obj, actor = e["obj"], e.get("actor")
        actor = actor if getattr(actor, "pk", None) else None
        region = e.get("region") if e.get("region") is not None else _region_of(obj)
        events.append(
            AuditEvent(
                at=(e.get("at") or timezone.now()).astimezone(UTC),
                actor=actor,
                actor_name=getattr(actor, "username", "") or "system",
                actor_role=getattr(actor, "role", "") or "",
                department=_department_of(actor),
                action=e["action"],
                outcome=SUCCESS,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                changes=json.loads(json.dumps(e.get("changes") or {}, default=str)),
                region=region,
                request_id=ctx.request_id if ctx else "",
                ip=ctx.ip if ctx else "",
                chain=_chain_of(obj, region),
            )
        )
    if not events:
        return 0
    with transaction.atomic():
        heads = _locked_heads({e.chain: e.region for e in events})
        for event in events:
            head = heads[event.chain]
            event.seq, event.prev_hash = head.seq + 1, head.last_hash
            event.hash = mac_of(event)
            head.seq, head.last_hash = event.seq, event.hash
        _insert(events)
        rows = [
            (h.seq, h.last_hash, head_mac(h.chain, h.seq, h.last_hash), h.chain)
            for h in heads.values()
        ]
        table = connection.ops.quote_name(ChainHead._meta.db_table)
        with connection.cursor() as cursor:  # one executemany, not a CASE WHEN per head
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, last_hash = %s, mac = %s WHERE chain = %s", rows
            )
    return len(events)


def _locked_heads(chains: dict[str, object]) -> dict[str, ChainHead]:
    """The heads of `chains` (chain -> region), locked until the transaction ends; the missing
    ones made first."""
    names = list(chains)
    found = {}
    for i in range(0, len(names), 500):
        part = names[i : i + 500]
        found.update(
            (h.chain, h) for h in ChainHead.objects.select_for_update().filter(chain__in=part)
        )
    missing = [c for c in names if c not in found]
    if missing:
        ChainHead.objects.bulk_create(
            [ChainHead(chain=c, region=chains[c], seq=0, last_hash=GENESIS) for c in missing],
            ignore_conflicts=True,
            batch_size=500,
        )
        for i in range(0, len(missing), 500):
            part = missing[i : i + 500]
            found.update(
                (h.chain, h) for h in ChainHead.objects.select_for_update().filter(chain__in=part)
            )
    return found


def _insert(events: list[AuditEvent]) -> None:
    """INSERT the events with one executemany: each value prepared by its field as Django
    would, without bulk_create's per-row SQL compilation (a third of a bulk write's time)."""
    meta = AuditEvent._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({cols}) VALUES ({marks})"
    rows = [[f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] for e in events]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[i : i + 2000])
