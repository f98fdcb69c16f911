"""The ticket list as an Excel workbook (government reports are Excel)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenlight.kernel import exports

from . import clocks
from .choices import Light


def _t(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def workbook(rows, *, now: datetime) -> bytes:
    """One row per ticket: project, category, departments, each milestone's due and met time."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = _("Problem tickets")[:31]
    header = [
        _("No."),
        _("Project code"),
        _("Project"),
        _("Title"),
        pgettext("ticket", "Category"),
        _("Channel"),
        _("Status"),
        _("Light"),
        _("Lead department"),
        _("Reported"),
        _("Feedback due"),
        _("Feedback given"),
        _("Path due"),
        _("Path set"),
        _("Progress due"),
        _("First progress"),
        _("Resolved"),
        _("Escalated"),
        _("Satisfaction"),
    ]
    exports.append(ws, [str(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for t in rows.iterator(chunk_size=1000):
        light = clocks.light(t, now=now)
        exports.append(
            ws,
            [
                t.pk,
                t.project.code,
                t.project.name,
                t.title,
                str(t.get_category_display()),
                str(t.get_channel_display()),
                str(t.get_status_display()),
                str(Light(light).label) if light else "",
                t.lead_department.name if t.lead_department else "",
                _t(t.reported_at),
                _t(t.feedback_due),
                _t(t.feedback_at),
                _t(t.path_due),
                _t(t.path_at),
                _t(t.progress_due),
                _t(t.progress_at),
                _t(t.resolved_at),
                _t(t.escalated_at),
                t.satisfaction or "",
            ],
        )
    ws.freeze_panes = "A2"
    return exports.save(wb)
