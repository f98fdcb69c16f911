"""Exports of a project's plan: a plan file (`greenlight plan` reads it) and an Excel workbook."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenlight.kernel import exports
from greenlight.projects.models import Project

from . import planning, services
from .charting import ChartData


def plan_document(project: Project, data: ChartData) -> dict:
    """The plan's input in the engine's plan-file format, with actuals and the land target."""
    doc = services.document_for(
        name=f"{project.name} {project.code}",
        start=data.result.start,
        tasks=data.tasks,
        bundles=data.bundles,
    )
    if data.result.target is not None:
        doc["target"] = {"task": data.result.target.task, "by": data.result.target.by.isoformat()}
    if data.result.forecast is not None:  # the forecast's day, so the file forecasts alike
        doc["as_of"] = planning.forecast_date(data.actuals, data.today).isoformat()
    if data.actuals:
        doc["actuals"] = {
            k: {
                "start": a.start.isoformat(),
                **({"finish": a.finish.isoformat()} if a.finish else {}),
                **({"due": a.due.isoformat()} if a.due and not a.finish else {}),
            }
            for k, a in data.actuals.items()
        }
    return doc


def workbook(project: Project, data: ChartData) -> bytes:
    """One sheet: the summary lines, then one row per matter with its planned (baseline) dates,
    float, and today's forecast beside them with the slip."""
    from openpyxl import Workbook  # loaded when a workbook is written, not at start-up
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = _("Plan")
    r = data.result
    exports.append(ws, [project.name, project.code])
    ws["A1"].font = Font(bold=True, size=14)
    exports.append(
        ws,
        [
            _("Serial {serial} days → parallel {parallel} days, {saved} days saved").format(
                serial=r.serial.days, parallel=r.parallel.days, saved=r.saved_days
            )
        ],
    )
    exports.append(ws, [_("plan start"), r.start, _("parallel finish"), r.parallel.finish])
    if r.forecast:
        exports.append(ws, [_("as of"), data.today, _("forecast finish"), r.forecast.finish,
                   _("Slip (days)"), r.slip_days])  # fmt: skip
    if r.target:
        exports.append(ws, [_("Land acquired"), r.target.by, _("feasible") if r.target.feasible else
                   _("{days} days short").format(days=r.target.days_late)])  # fmt: skip
    exports.append(ws, [])
    header = [_("Code"), _("Matter"), _("Department"), _("Duration"), _("Unit"),
              _("Early start"), _("Early finish"), _("Latest start"), _("Latest finish"),
              _("Float (days)"), _("Critical"), _("Bundle"), pgettext("plan", "Forecast start"),
              _("Forecast finish"), _("Slip (days)")]  # fmt: skip
    exports.append(ws, header)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F5")
    red = PatternFill("solid", fgColor="F8D3CF")
    for t in sorted(r.tasks, key=lambda t: (t.early_start, t.id)):
        exports.append(ws, [t.id, t.name, t.department, t.duration,
                   _("working days") if str(t.unit) == "workday" else _("calendar days"),
                   t.early_start, t.early_finish, t.late_start, t.late_finish, t.float_days,
                   "★" if t.critical else "", t.bundle, t.forecast_start, t.forecast_finish,
                   t.slip_days])  # fmt: skip
        if t.critical:
            ws.cell(ws.max_row, 2).fill = red
    for row in ws.iter_rows(min_row=head_row + 1):
        for cell in row[5:9] + row[12:14]:
            cell.number_format = "yyyy-mm-dd"
        if (row[14].value or 0) > 0:  # a slip, in red
            row[14].font = Font(bold=True, color="C0392B")
    for col, width in zip(
        "ABCDEFGHIJKLMNO", (10, 36, 10, 8, 10, 12, 12, 12, 12, 9, 7, 12, 12, 12, 9), strict=True
    ):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(head_row + 1, 3)
    return exports.save(wb)
