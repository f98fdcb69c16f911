"""The per-case fact table (`CaseFact`): each decided case loaded once, its figures computed by
`rules.case_fact` and written in bulk; the readers (`bottlenecks`) aggregate the stored rows.

* `refresh(project_ids=...)` recomputes the facts of every decided case of those projects (a
  case's idle time depends on its siblings' decisions, so a project is the unit of refresh) and
  deletes facts of cases that are no longer decided; `refresh_all()` rebuilds the table. Both
  work in chunks of projects: three reads (cases, pauses, sibling approvals) and bulk writes.
* `refresh_changed(now=)` is the `greenlight tick` job: the projects with approval events since
  the last run (a high-water mark on the event id in `FactsState`), plus decided cases without a
  fact (bulk loads), plus the critical flag the planner sets without an event. Idempotent.
* `catch_up()` runs before every read: the events since the tick's mark, so a decision shows at
  once; a case written without any event (a bulk load) waits for the tick or `refresh --all`.

Facts can lag behind a change that writes no approval event (a project moved to another
region does not matter: visibility is read from the projects themselves) until the next tick;
a changed holiday calendar needs `greenlight analytics refresh --all`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from greenlight.approvals.models import Approval, ApprovalEvent, Pause
from greenlight.plans import planning

from . import casefacts_sql, rules
from .models import CaseFact, FactsState

STATE_KEY = "casefacts"
UPDATE_FIELDS = [
    f.name for f in CaseFact._meta.concrete_fields if not f.primary_key and f.name != "computed_at"
] + ["computed_at"]
# what `rules.Case` reads (in its order), then what the fact row stores besides the figures
CASE_FIELDS = (
    "id",
    "project_id",
    "project__template_id",
    "matter_id",
    "department_id",
    "matter__stage",
    "matter__committed_unit",
    "matter__committed_limit",
    "matter__statutory_limit",
    "matter__statutory_unit",
    "critical",
    "acc",
    "dec",
    "sub",
    "mon",
)
ROW_FIELDS = (*CASE_FIELDS, "decided_at", "version", "project__region_id")


def decided():
    """The approvals that have a fact: decided after an acceptance."""
    return Approval.objects.filter(
        status__in=rules.DECIDED, accepted_at__isnull=False, decided_at__isnull=False
    )


def annotated(qs):
    """Approvals with the local days the rules read (acceptance, decision, submission, month)."""
    tz = timezone.get_current_timezone()
    return qs.annotate(
        acc=TruncDate("accepted_at", tzinfo=tz),
        dec=TruncDate("decided_at", tzinfo=tz),
        sub=TruncDate("submitted_at", tzinfo=tz),
        mon=TruncMonth("decided_at", tzinfo=tz),
    ).order_by()


def _as_date(value):
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _span_period(qs) -> rules.Period | None:
    span = qs.aggregate(lo=Min("decided_at"), hi=Max("decided_at"))
    if span["lo"] is None:
        return None
    lo, hi = rules.local_day(span["lo"]), rules.local_day(span["hi"])
    return rules.Period(lo, hi + timedelta(days=1))


def _rows(project_ids: list[int], period: rules.Period, graph) -> list[CaseFact]:
    """The fact rows of the decided cases of `project_ids` (three queries)."""
    rows = list(annotated(decided().filter(project_id__in=project_ids)).values_list(*ROW_FIELDS))
    if not rows:
        return []
    counter = rules.counter_for(period)
    pauses: dict[int, list] = defaultdict(list)
    for chunk in _chunks([r[0] for r in rows], 5000):
        for aid, reason, begin, end in (
            Pause.objects.filter(approval_id__in=chunk)
            .order_by()
            .values_list("approval_id", "reason", "started_at", "ended_at")
        ):
            pauses[aid].append((reason, rules.local_day(begin), rules.local_day(end)))
    siblings: dict[int, dict[int, tuple]] = defaultdict(dict)
    for chunk in _chunks(sorted({r[1] for r in rows}), 5000):
        for pid, mid, status, decided_at in Approval.objects.filter(
            project_id__in=chunk
        ).values_list("project_id", "matter_id", "status", "decided_at"):
            siblings[pid][mid] = (status, decided_at)
    out = []
    for r in rows:
        case = rules.Case(*r[:11], *(_as_date(v) for v in r[11:15]))
        f = rules.case_fact(
            case, pauses.get(case.id, ()), siblings[case.project_id], graph, counter
        )
        decided_at, version, region_id = r[15:]
        out.append(
            CaseFact(
                approval_id=f.id,
                project_id=f.project_id,
                region_id=region_id,
                matter_id=f.matter_id,
                department_id=f.department_id,
                stage=f.stage,
                decided_at=decided_at,
                month=f.month,
                unit=f.unit,
                committed_limit=f.committed_limit,
                statutory_limit=f.statutory_limit,
                handling=f.handling,
                handling_statutory=f.handling_statutory,
                idle=f.idle,
                overdue=f.overdue,
                overdue_statutory=f.overdue_statutory,
                supplements=f.supplements,
                critical=f.critical,
                delay=f.delay,
                version=version,
            )
        )
    return out


def refresh(*, project_ids, progress=None, chunk: int = 1000, upsert: bool = True) -> int:
    """Recompute the facts of the decided cases of `project_ids`; returns the facts written."""
    project_ids = sorted(set(project_ids))
    if not project_ids:
        return 0
    period = _span_period(decided().filter(project_id__in=project_ids))
    graph = planning.CatalogGraph.load()
    written = 0
    for i in range(0, len(project_ids), chunk):
        part = project_ids[i : i + chunk]
        objs = _rows(part, period, graph) if period else []
        with transaction.atomic():
            if upsert:
                CaseFact.objects.filter(project_id__in=part).exclude(
                    approval_id__in=[o.approval_id for o in objs]
                ).delete()
                CaseFact.objects.bulk_create(
                    objs,
                    batch_size=2000,
                    update_conflicts=True,
                    unique_fields=["approval"],
                    update_fields=UPDATE_FIELDS,
                )
            else:
                CaseFact.objects.bulk_create(objs, batch_size=5000)
        written += len(objs)
        if progress:
            progress.advance(len(part))
    return written


def refresh_all(*, progress_factory=None) -> dict:
    """Rebuild the whole table; the tick then continues from the latest event. On PostgreSQL
    one set-based statement (`casefacts_sql`, the same rules in SQL), elsewhere the rules in
    Python a chunk of projects at a time."""
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    project_ids = list(decided().values_list("project_id", flat=True).distinct().order_by())
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {CaseFact._meta.db_table}")
    else:
        CaseFact.objects.all().delete()
    progress = progress_factory(len(project_ids)) if progress_factory else None
    if connection.vendor == "postgresql":
        period = _span_period(decided())
        with transaction.atomic():
            n = (
                casefacts_sql.insert_all(
                    annotated(decided()).values_list(*ROW_FIELDS),
                    period=period,
                    table=CaseFact._meta.db_table,
                )
                if period
                else 0
            )
        if progress:
            progress.advance(len(project_ids))
    else:
        n = refresh(project_ids=project_ids, progress=progress, chunk=2000, upsert=False)
    if progress:
        progress.finish()
    _mark(top)
    if connection.vendor == "postgresql":
        # VACUUM too (outside a transaction): it marks the pages all-visible, so that the
        # comparison's index-only scan reads no table page
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cur:
            cur.execute(f"{verb} {CaseFact._meta.db_table}")
    return {"facts": n, "projects": len(project_ids)}


def _mark(top: int) -> None:
    FactsState.objects.update_or_create(
        key=STATE_KEY, defaults={"last_event_id": top, "refreshed_at": timezone.now()}
    )


def refresh_changed(*, now=None, missing: bool = True) -> dict:
    """The tick job: fold approvals decided or changed since the last run into the facts.

    `missing` also looks for decided cases without a fact (written without an event, e.g. by a
    bulk load): an anti-join over every decided case, about 1.5 s at province scale."""
    state = FactsState.objects.filter(key=STATE_KEY).first()
    last = state.last_event_id if state else 0
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    projects = set(
        ApprovalEvent.objects.filter(id__gt=last, id__lte=top)
        .values_list("approval__project_id", flat=True)
        .distinct()
        .order_by()
    )
    if missing:
        projects |= set(
            decided()
            .filter(fact__isnull=True)
            .values_list("project_id", flat=True)
            .distinct()
            .order_by()
        )
    n = refresh(project_ids=projects)
    # the planner sets the critical flag without an event
    critical = CaseFact.objects.filter(critical=False, approval__critical=True).update(
        critical=True
    ) + CaseFact.objects.filter(critical=True, approval__critical=False).update(critical=False)
    if top != last or not state:
        _mark(top)
    return {"projects": len(projects), "facts": n, "critical": critical}


def catch_up() -> dict | None:
    """Before a read: fold the approval events the tick has not seen yet (two index lookups
    when there are none); the first read of a fresh table builds it."""
    state = FactsState.objects.filter(key=STATE_KEY).first()
    if state is None:
        return refresh_changed()
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    if top > state.last_event_id:
        return refresh_changed(missing=False)
    return None
