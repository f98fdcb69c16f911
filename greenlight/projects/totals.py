"""Monthly investment totals per district, subdistrict and industry (`InvestmentMonth`), kept
by the services that write investment reports, inside their transaction.

A writer first locks the projects it reports for (`lock`), which gives the cell each project's
reports count in and serialises it with every other writer of those projects (a report, a
bulk load, a project whose subdistrict or industry changes); it then adds what it changed
(`add`) or moves a project's reports to its new cell (`move`). Each cell's row is changed
under its own row lock, so concurrent writers of different projects in one cell add up.
`rebuild` computes every cell again from the reports (the backfill, a bulk `COPY`);
`differences` compares the cells with the live aggregate (the oracle, and a check for
operators)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet, Sum

from greenlight.kernel.roles import Role

from .models import InvestmentMonth, InvestmentReport, Project

Where = tuple[int, int | None, str]  # region, subdistrict, industry of a project
Cell = tuple[int, int | None, str, date]  # ... and the month
CHUNK = 500


def lock(project_ids: Iterable[int]) -> dict[int, Where]:
    """Lock the projects' rows (in id order, so two writers never deadlock) and return where
    their reports count: the region, subdistrict and industry stored now."""
    ids = sorted(set(project_ids))
    out: dict[int, Where] = {}
    for i in range(0, len(ids), CHUNK):
        rows = (
            Project.objects.select_for_update()
            .filter(pk__in=ids[i : i + CHUNK])
            .order_by("pk")
            .values_list("pk", "region_id", "subdistrict_id", "industry")
        )
        out.update({pk: (region, sub, industry) for pk, region, sub, industry in rows})
    return out


def where(project: Project) -> Where:
    """Where `project`'s reports count, from its fields as they are about to be saved."""
    return (project.region_id, project.subdistrict_id, project.industry)


def add(where_: dict[int, Where], changes: Iterable[tuple[int, date, Decimal, int]]) -> None:
    """Add `(project, month, amount, reports)` changes (negative to take away) to their
    cells; `where_` is what `lock` returned for those projects."""
    deltas: dict[Cell, list] = {}
    for pk, month, amount, n in changes:
        d = deltas.setdefault((*where_[pk], month), [Decimal(0), 0])
        d[0] += amount
        d[1] += n
    _apply({k: (a, n) for k, (a, n) in deltas.items() if a or n})


def move(pk: int, *, old: Where, new: Where) -> None:
    """Move a project's reports from the cells of `old` to those of `new` (its subdistrict or
    industry changed); the project is locked."""
    if old == new:
        return
    deltas: dict[Cell, tuple[Decimal, int]] = {}
    for month, amount, n in (
        InvestmentReport.objects.filter(project_id=pk)
        .order_by()
        .values_list("month")
        .annotate(s=Sum("amount"), n=Count("id"))
    ):
        deltas[(*old, month)] = (-amount, -n)
        deltas[(*new, month)] = (amount, n)
    _apply(deltas)


def _apply(deltas: dict[Cell, tuple[Decimal, int]]) -> None:
    """Each delta added to its cell's row under the row's lock; a cell left without reports
    is deleted. A cell another writer created meanwhile is found on a second attempt."""
    if not deltas:
        return
    for attempt in range(2):
        try:
            with transaction.atomic():
                _apply_once(deltas)
            return
        except IntegrityError:
            if attempt:
                raise


def _cell_q(cell: Cell) -> Q:
    region, sub, industry, month = cell
    q = Q(region_id=region, industry=industry, month=month)
    return q & (Q(subdistrict__isnull=True) if sub is None else Q(subdistrict_id=sub))


def _apply_once(deltas: dict[Cell, tuple[Decimal, int]]) -> None:
    cells = sorted(deltas, key=lambda c: (c[0], c[1] or 0, c[2], c[3]))
    found: dict[Cell, InvestmentMonth] = {}
    for i in range(0, len(cells), CHUNK):
        q = Q()
        for cell in cells[i : i + CHUNK]:
            q |= _cell_q(cell)
        for row in InvestmentMonth.objects.select_for_update().filter(q).order_by("pk"):
            found[(row.region_id, row.subdistrict_id, row.industry, row.month)] = row
    changed, created, emptied = [], [], []
    for cell in cells:
        amount, n = deltas[cell]
        row = found.get(cell)
        if row is None:
            region, sub, industry, month = cell
            row = InvestmentMonth(
                region_id=region, subdistrict_id=sub, industry=industry, month=month
            )
            row.amount, row.reports = amount, n
            created.append(row)
            continue
        row.amount, row.reports = row.amount + amount, row.reports + n
        (emptied if row.reports <= 0 else changed).append(row)
    if changed:
        InvestmentMonth.objects.bulk_update(changed, ["amount", "reports"], batch_size=CHUNK)
    if emptied:
        InvestmentMonth.objects.filter(pk__in=[r.pk for r in emptied]).delete()
    if created:
        InvestmentMonth.objects.bulk_create(created, batch_size=CHUNK)


def live():
    """The cells computed from the reports now (the definition the totals keep)."""
    return (
        InvestmentReport.objects.order_by()
        .values_list("project__region_id", "project__subdistrict_id", "project__industry", "month")
        .annotate(s=Sum("amount"), n=Count("id"))
    )


def rebuild() -> int:
    """Every cell again from the reports, in one statement (after a bulk load); returns the
    number of cells."""
    sql, params = live().query.sql_with_params()
    table = connection.ops.quote_name(InvestmentMonth._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(InvestmentMonth._meta.get_field(f).column)
        for f in ("region", "subdistrict", "industry", "month", "amount", "reports")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        InvestmentMonth.objects.all().delete()
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    return InvestmentMonth.objects.count()


def differences() -> list[dict]:
    """The cells whose stored totals differ from the reports' (none when they are kept)."""
    stored = {
        (r.region_id, r.subdistrict_id, r.industry, r.month): (r.amount, r.reports)
        for r in InvestmentMonth.objects.all()
    }
    computed = {(region, sub, ind, m): (s, n) for region, sub, ind, m, s, n in live()}
    return [
        {"cell": cell, "stored": stored.get(cell), "reports": computed.get(cell)}
        for cell in sorted(set(stored) | set(computed), key=lambda c: (c[0], c[1] or 0, c[2], c[3]))
        if stored.get(cell) != computed.get(cell)
    ]


# The paths of a row's region, subdistrict and industry in each source of `visible`.
TOTALS_PATHS = {"region": "region", "subdistrict": "subdistrict", "industry": "industry"}
REPORT_PATHS = {k: f"project__{v}" for k, v in TOTALS_PATHS.items()}


def visible(user) -> tuple[QuerySet, dict[str, str]]:
    """The investment rows `user` may read (each with `month` and `amount`) and the paths of
    their region, subdistrict and industry: staff, whose share is by region, read the monthly
    totals; a company, whose share is its own projects, reads their reports."""
    if getattr(user, "role", None) == Role.COMPANY:
        return InvestmentReport.objects.visible_to(user).order_by(), REPORT_PATHS
    return InvestmentMonth.objects.visible_to(user).order_by(), TOTALS_PATHS
