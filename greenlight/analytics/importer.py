"""Excel import of monthly investment reports: parse and check every row, name row, column and
reason; nothing is stored here (see `services.import_reports`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.kernel import excel_import as xl
from greenlight.kernel.excel_import import Column, Parsed, RowError
from greenlight.projects.models import Project

from . import permissions

COLUMNS = (
    Column("code", "项目代码", aliases=("project code", "code"), width=28),
    Column("month", "月份", aliases=("month",), width=12),
    Column(
        "amount", "完成投资（万元）", aliases=("完成投资(万元)", "完成投资", "amount"), width=18
    ),
)
HEADERS = tuple(c.header for c in COLUMNS)
MAX_ROWS = 5000


def template() -> bytes:
    """An empty import workbook with the expected header."""
    return xl.template(COLUMNS, title="报数")


def _month(value) -> date | None:
    if isinstance(value, datetime):
        return value.date().replace(day=1) if value.day == 1 else None
    if isinstance(value, date):
        return value if value.day == 1 else None
    text = str(value or "").strip().replace("/", "-").replace("年", "-").rstrip("月")
    try:
        y, m = text.split("-")[:2]
        return date(int(y), int(m), 1)
    except (ValueError, TypeError):
        return None


def _amount(value) -> Decimal | None:
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0 or d.as_tuple().exponent < -2 or d >= Decimal("1e12"):
        return None
    return d


def parse(data: bytes, *, user) -> Parsed[tuple[Project, date, Decimal]]:
    """Check every row of an uploaded workbook against what `user` may report."""
    out = Parsed()
    try:
        wb = xl.open_workbook(data)
    except xl.NotAWorkbook:
        out.errors.append(RowError(0, "", _("The file is not an Excel workbook (.xlsx).")))
        return out
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        cols, out.errors = xl.header_index(
            next(rows, ()), COLUMNS, missing=_("Column missing from the header row.")
        )
        if out.errors:
            return out
        raw = [(n, xl.cells(r, cols)) for n, r in xl.data_rows(rows)]
    finally:
        wb.close()
    if len(raw) > MAX_ROWS:
        out.errors.append(RowError(0, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
        return out
    codes = {xl.text(r["code"]) for _, r in raw}
    projects = {p.code: p for p in Project.objects.visible_to(user).filter(code__in=codes)}
    seen: dict[tuple[str, date], int] = {}
    this_month = timezone.localdate().replace(day=1)
    for n, r in raw:
        _row(out, n, r, projects, seen, this_month, user)
    return out


def _row(out, n, r, projects, seen, this_month, user) -> None:
    code = xl.text(r["code"])
    month = _month(r["month"])
    amount = _amount(r["amount"])
    project = projects.get(code)
    errors = []
    if project is None:
        errors.append((HEADERS[0], _("No project with this code that you can see.")))
    elif not permissions.can_report(user, project):
        errors.append((HEADERS[0], _("You may not report this project's investment.")))
    if month is None:
        errors.append((HEADERS[1], _("Write the month as YYYY-MM.")))
    elif month > this_month:
        errors.append((HEADERS[1], _("This month has not begun yet.")))
    if amount is None:
        errors.append((HEADERS[2], _("A number of 10,000 yuan, 0 or more, two decimals at most.")))
    if project is not None and month is not None:
        if (code, month) in seen:
            errors.append(
                (
                    HEADERS[1],
                    _("Same project and month as row %(row)d.") % {"row": seen[(code, month)]},
                )
            )
        seen.setdefault((code, month), n)
    for column, reason in errors:
        out.errors.append(RowError(n, column, reason))
    if not errors:
        out.rows.append((project, month, amount))
