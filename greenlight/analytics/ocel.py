"""Event-log exports for process mining: OCEL 2.0 JSON (objects project, approval, ticket,
department) and a flat CSV log (one case per approval or ticket). Both stream, so a province's
year of events never sits in memory at once."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC

from greenlight.accounts.models import Department
from greenlight.approvals.models import Approval, ApprovalEvent
from greenlight.kernel import exports
from greenlight.projects.models import Project
from greenlight.tickets import selectors as ticket_selectors

from .rules import Period

CHUNK = 5000
EPOCH = "1970-01-01T00:00:00Z"


def _iso(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _approval_events(*, user, period: Period):
    start, end = period.bounds()
    return (
        ApprovalEvent.objects.visible_to(user)
        .filter(at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values_list(
            "id",
            "kind",
            "at",
            "approval_id",
            "approval__project_id",
            "approval__department_id",
            "approval__matter__code",
        )
    )


def _ticket_events(*, user, period: Period):
    start, end = period.bounds()
    return ticket_selectors.export_events(user=user, start=start, end=end)


def csv_rows(*, user, period: Period) -> Iterator[str]:
    """The flat log: case_id, activity, timestamp, object type, project, department, matter."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        ["case_id", "activity", "timestamp", "object_type", "project", "department", "matter"]
    )
    yield buf.getvalue()
    for _eid, kind, at, aid, pid, did, code in _approval_events(user=user, period=period).iterator(
        chunk_size=CHUNK
    ):
        buf.seek(0), buf.truncate()
        w.writerow(exports.csv_row([f"approval:{aid}", kind, _iso(at), "approval", pid, did, code]))
        yield buf.getvalue()
    for _eid, kind, at, tid, pid, did, _m in _ticket_events(user=user, period=period).iterator(
        chunk_size=CHUNK
    ):
        buf.seek(0), buf.truncate()
        w.writerow(
            exports.csv_row(
                [f"ticket:{tid}", f"ticket_{kind}", _iso(at), "ticket", pid, did or "", ""]
            )
        )
        yield buf.getvalue()


def ocel_json(*, user, period: Period) -> Iterator[str]:
    """OCEL 2.0 JSON: object and event types, objects with relationships, then events."""
    projects: set[int] = set()
    departments: set[int] = set()
    approvals: set[int] = set()
    tickets: set[int] = set()
    kinds: set[str] = set()
    yield '{"events": ['
    first = True
    for eid, kind, at, aid, pid, did, _code in _approval_events(user=user, period=period).iterator(
        chunk_size=CHUNK
    ):
        approvals.add(aid), projects.add(pid), departments.add(did), kinds.add(kind)
        rel = [
            ("approval", f"approval:{aid}"),
            ("project", f"project:{pid}"),
            ("department", f"department:{did}"),
        ]
        yield ("" if first else ",") + _event(f"ae{eid}", kind, at, rel)
        first = False
    for eid, kind, at, tid, pid, did, milestone in _ticket_events(
        user=user, period=period
    ).iterator(chunk_size=CHUNK):
        name = f"ticket_{kind}"
        tickets.add(tid), projects.add(pid), kinds.add(name)
        rel = [("ticket", f"ticket:{tid}"), ("project", f"project:{pid}")]
        if did:
            departments.add(did)
            rel.append(("department", f"department:{did}"))
        attrs = [{"name": "milestone", "value": milestone}] if milestone else []
        yield ("" if first else ",") + _event(f"te{eid}", name, at, rel, attrs)
        first = False
    yield '], "objects": ['
    yield from _objects(user, projects, departments, approvals, tickets)
    yield '], "eventTypes": ' + json.dumps(
        [
            {
                "name": k,
                "attributes": [{"name": "milestone", "type": "string"}]
                if k.startswith("ticket_")
                else [],
            }
            for k in sorted(kinds)
        ]
    )
    yield ', "objectTypes": ' + json.dumps(OBJECT_TYPES, ensure_ascii=False) + "}"


OBJECT_TYPES = [
    {
        "name": "project",
        "attributes": [
            {"name": "code", "type": "string"},
            {"name": "name", "type": "string"},
            {"name": "stage", "type": "string"},
        ],
    },
    {
        "name": "approval",
        "attributes": [{"name": "matter", "type": "string"}, {"name": "status", "type": "string"}],
    },
    {
        "name": "ticket",
        "attributes": [
            {"name": "category", "type": "string"},
            {"name": "status", "type": "string"},
        ],
    },
    {"name": "department", "attributes": [{"name": "name", "type": "string"}]},
]


def _event(eid: str, kind: str, at, rel, attrs=()) -> str:
    return json.dumps(
        {
            "id": eid,
            "type": kind,
            "time": _iso(at),
            "attributes": list(attrs),
            "relationships": [{"objectId": o, "qualifier": q} for q, o in rel],
        },
        ensure_ascii=False,
    )


def _obj(oid: str, kind: str, attrs: dict, rel=()) -> str:
    return json.dumps(
        {
            "id": oid,
            "type": kind,
            "attributes": [{"name": k, "time": EPOCH, "value": str(v)} for k, v in attrs.items()],
            "relationships": [{"objectId": o, "qualifier": q} for q, o in rel],
        },
        ensure_ascii=False,
    )


def _objects(user, projects, departments, approvals, tickets) -> Iterator[str]:
    sep = ""
    for chunk in _chunks(sorted(projects)):
        for pid, code, name, stage in Project.objects.filter(pk__in=chunk).values_list(
            "id", "code", "name", "stage"
        ):
            yield sep + _obj(
                f"project:{pid}", "project", {"code": code, "name": name, "stage": stage}
            )
            sep = ","
    for did, name in Department.objects.filter(pk__in=departments).values_list("id", "name"):
        yield sep + _obj(f"department:{did}", "department", {"name": name})
        sep = ","
    for chunk in _chunks(sorted(approvals)):
        for aid, code, status, pid, did in Approval.objects.filter(pk__in=chunk).values_list(
            "id", "matter__code", "status", "project_id", "department_id"
        ):
            rel = [("belongs to", f"project:{pid}"), ("handled by", f"department:{did}")]
            yield sep + _obj(f"approval:{aid}", "approval", {"matter": code, "status": status}, rel)
            sep = ","
    for chunk in _chunks(sorted(tickets)):
        for tid, category, status, pid, did in ticket_selectors.export_objects(
            user=user, ids=chunk
        ):
            rel = [("belongs to", f"project:{pid}")]
            if did:
                rel.append(("led by", f"department:{did}"))
            yield sep + _obj(
                f"ticket:{tid}", "ticket", {"category": category, "status": status}, rel
            )
            sep = ","


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]
