"""Exchange runs: import rows (a file, a pull), export and push; every run is recorded with
each row's fate. A row is one transaction: it is applied whole or fails alone with its reason
(the file is applied row by row, so one bad row never holds back the others)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import context as audit_context
from greenlight.audit import services as audit
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.kernel.progress import Progress

from . import applying, client, exporting, permissions, reading
from .choices import Direction, RowOutcome, RunStatus, Source
from .fields import NATIONAL
from .models import ExchangeRecord, ExchangeRow, ExchangeRun
from .tables import HISTORY, ORDER, STATUS_ACTIONS, TABLES


def _start(*, actor, direction: str, source: str, name: str) -> ExchangeRun:
    if not permissions.can_run(actor):
        raise NotPermitted(_("Only a district's coordinators run the data exchange."))
    run = ExchangeRun.objects.create(
        region=actor.region,
        direction=direction,
        source=source,
        name=name[:300],
        actor=actor,
        started_at=timezone.now(),
    )
    audit.record(run, "exchange_run_started", actor=actor, changes={"source": source, "name": name})
    return run


def _finish(run: ExchangeRun, *, status: str = RunStatus.DONE, message: str = "") -> ExchangeRun:
    run.status, run.message, run.finished_at = status, message[:500], timezone.now()
    run.save()
    audit.record(
        run,
        "exchange_run_finished",
        actor=run.actor,
        changes={"total": run.total, "applied": run.applied, "failed": run.failed},
    )
    return run


def _phase(row: reading.Row) -> tuple[int, int]:
    """Tables in order; a status row that closes the case after the 批复 that decides it."""
    rank = ORDER.index(row.table)
    if row.table == HISTORY and STATUS_ACTIONS.get(str(row.values.get("BLZT")), "").startswith(
        "decided:"
    ):
        rank = len(ORDER)
    return rank, row.number


def _key(row: reading.Row) -> str:
    return "/".join(str(row.values.get(f) or "") for f in TABLES[row.table].key)[:120]


def _apply_one(ctx: applying.Context, row: reading.Row) -> tuple[str, str, str]:
    if "_bad" in row.values:
        return RowOutcome.FAILED, "", _("a row must be an object of fields")
    try:
        with transaction.atomic():
            return applying.APPLY[row.table](ctx, row.values), "", ""
    except DomainError as exc:
        return RowOutcome.FAILED, NATIONAL.get(exc.field or "", exc.field or ""), str(exc.message)
    except ValidationError as exc:  # a model's own check the service let through
        field = next(iter(getattr(exc, "message_dict", {}) or {}), "")
        return RowOutcome.FAILED, NATIONAL.get(field, field), "；".join(exc.messages)
    except DatabaseError:  # a value no column holds, or the same key applied meanwhile
        return (
            RowOutcome.FAILED,
            "",
            _("a value is too long or out of range, or the row was applied meanwhile"),
        )


def apply_rows(rows: list[reading.Row], *, run: ExchangeRun, progress=None):
    """Apply `rows` in table order, one transaction each, recording each row's fate; with a
    `progress` stream (the command line) a bar shows how far the run is."""
    ctx = applying.Context(actor=run.actor, region=run.region, run=run)
    bar = Progress("exchange", len(rows), stream=progress) if progress else None
    token = audit_context.bind(
        audit_context.RequestContext(
            request_id=f"exchange-{run.pk}", path=f"exchange/runs/{run.pk}"
        )
    )
    try:
        for row in sorted(rows, key=_phase):
            outcome, field, reason = _apply_one(ctx, row)
            ExchangeRow.objects.create(
                run=run,
                number=row.number,
                table=row.table,
                key=_key(row),
                outcome=outcome,
                field=field,
                reason=reason[:500],
            )
            setattr(run, outcome, getattr(run, outcome) + 1)
            run.total += 1
            if bar:
                bar.advance()
    finally:
        audit_context.reset(token)
        if bar:
            bar.finish()
    return _finish(run)


def import_file(*, data: bytes, name: str, actor, source: str = Source.FILE, progress=None):
    """Import an uploaded or given file (Excel, CSV, JSON); an unreadable file is refused whole
    (InvalidInput on "file") before any run is recorded."""
    rows = reading.read(data, name)
    run = _start(actor=actor, direction=Direction.IMPORT, source=source, name=name)
    return apply_rows(rows, run=run, progress=progress)


def pull(*, actor, progress=None) -> ExchangeRun:
    """Fetch the region's tables from the configured 工改 endpoint and import them."""
    url = client.endpoint()
    run = _start(actor=actor, direction=Direction.IMPORT, source=Source.PULL, name=url)
    try:
        doc = client.get_tables(url, region=actor.region.code)
        rows = reading.from_document(doc)
    except DomainError as exc:
        return _finish(run, status=RunStatus.FAILED, message=str(exc.message))
    return apply_rows(rows, run=run, progress=progress)


def _fingerprint(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def push(*, actor, progress=None) -> ExchangeRun:
    """Send the region's tables to the configured endpoint: only rows new or changed since the
    last push that the endpoint accepted (the others count as unchanged)."""
    url = client.endpoint()
    run = _start(actor=actor, direction=Direction.EXPORT, source=Source.PUSH, name=url)
    doc = exporting.document(user=actor)
    sent: dict[str, list] = {}
    marks = []
    pushed = set(
        ExchangeRecord.objects.filter(region=run.region, table="push").values_list("key", flat=True)
    )
    for table, rows in doc.items():
        for n, values in enumerate(rows, start=1):
            key = "/".join(str(values.get(f) or "") for f in TABLES[table].key)
            mark = f"push:{table}:{_fingerprint(values)}"
            run.total += 1
            if mark in pushed:
                run.unchanged += 1
                continue
            sent.setdefault(table, []).append(values)
            marks.append((n, table, key, mark))
    if progress:
        Progress("exchange", run.total, stream=progress).finish()
    if not marks:
        return _finish(run)
    try:
        client.post_tables(url, sent)
    except DomainError as exc:
        run.failed = len(marks)
        return _finish(run, status=RunStatus.FAILED, message=str(exc.message))
    with transaction.atomic():
        for n, table, key, mark in marks:
            ExchangeRow.objects.create(
                run=run, number=n, table=table, key=key[:120], outcome=RowOutcome.APPLIED
            )
            ExchangeRecord.objects.create(region=run.region, table="push", key=mark, run=run)
    run.applied = len(marks)
    return _finish(run)


def export(*, actor) -> tuple[ExchangeRun, dict]:
    """The region's tables as a JSON document to download, recorded as an export run."""
    run = _start(actor=actor, direction=Direction.EXPORT, source=Source.FILE, name="export.json")
    doc = exporting.document(user=actor)
    run.total = run.applied = sum(len(rows) for rows in doc.values())
    return _finish(run), doc
