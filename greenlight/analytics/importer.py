"""Excel import of monthly investment reports: parse and check every row, name row, column and
reason; nothing is stored here (see `services.import_reports`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from greenlight.projects.models import Project

from . import permissions

HEADERS = ("项目代码", "月份", "完成投资（万元）")
ALIASES = {
    "code": {"项目代码", "project code", "code"},
    "month": {"月份", "month"},
    "amount": {"完成投资（万元）", "完成投资(万元)", "完成投资", "amount"},
}
MAX_ROWS = 5000


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class Parsed:
    rows: list[tuple[Project, date, Decimal]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def template() -> bytes:
    """An empty import workbook with the expected header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报数"
    ws.append(HEADERS)
    for col, width in zip("ABC", (28, 12, 18), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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


def parse(data: bytes, *, user) -> Parsed:
    """Check every row of an uploaded workbook against what `user` may report."""
    out = Parsed()
    try:
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        out.errors.append(RowError(0, "", _("The file is not an Excel workbook (.xlsx).")))
        return out
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip().lower() for c in next(rows, ())]
    cols = {}
    for key, names in ALIASES.items():
        for i, h in enumerate(header):
            if h in {n.lower() for n in names}:
                cols[key] = i
    for key, label in zip(ALIASES, HEADERS, strict=True):
        if key not in cols:
            out.errors.append(RowError(1, label, _("Column missing from the header row.")))
    if out.errors:
        return out
    raw = [(n, r) for n, r in enumerate(rows, start=2) if any(c not in (None, "") for c in r)]
    if len(raw) > MAX_ROWS:
        out.errors.append(RowError(0, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
        return out
    codes = {str(r[cols["code"]] or "").strip() for _, r in raw if len(r) > cols["code"]}
    projects = {p.code: p for p in Project.objects.visible_to(user).filter(code__in=codes)}
    seen: dict[tuple[str, date], int] = {}
    this_month = timezone.localdate().replace(day=1)
    for n, r in raw:
        _row(out, n, r, cols, projects, seen, this_month, user)
    return out


def _cell(r, i):
    return r[i] if i < len(r) else None


def _row(out, n, r, cols, projects, seen, this_month, user) -> None:
    code = str(_cell(r, cols["code"]) or "").strip()
    month = _month(_cell(r, cols["month"]))
    amount = _amount(_cell(r, cols["amount"]))
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
