"""Writes of analytics: monthly investment reports (报数), entered or imported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.projects import totals
from greenlight.projects.models import InvestmentReport, Project

from . import permissions


def _check(*, actor, project: Project, month: date, amount: Decimal) -> None:
    if not permissions.can_report(actor, project):
        raise NotPermitted(_("You may not report this project's investment."))
    if month.day != 1:
        raise DomainError(_("A report covers a whole month."), field="month")
    if month > timezone.localdate().replace(day=1):
        raise DomainError(_("This month has not begun yet."), field="month")
    if amount is None or amount < 0:
        raise DomainError(_("The amount cannot be negative."), field="amount")


def submit_report(*, actor, project: Project, month: date, amount: Decimal) -> InvestmentReport:
    """A company (or the command office) reports one month's completed investment; a second
    report of the same month replaces the first."""
    _check(actor=actor, project=project, month=month, amount=amount)
    with transaction.atomic():
        where = totals.lock([project.pk])  # the monthly totals change with the report
        report, created = InvestmentReport.objects.select_for_update().get_or_create(
            project=project, month=month, defaults={"amount": amount}
        )
        old = None if created else str(report.amount)
        delta = amount if created else amount - report.amount
        if not created:
            report.amount = amount
            report.save(update_fields=["amount"])
        totals.add(where, [(project.pk, month, delta, int(created))])
        audit.record(
            report,
            "investment_report_submitted" if created else "investment_report_corrected",
            actor=actor,
            changes={
                "project": project.code,
                "month": month.isoformat(),
                "amount": [old, str(amount)],
            },
        )
    return report


def import_reports(*, actor, rows: list[tuple[Project, date, Decimal]]) -> int:
    """Store checked rows of an Excel import, all or nothing; returns how many were stored."""
    with transaction.atomic():
        for project, month, amount in rows:
            submit_report(actor=actor, project=project, month=month, amount=amount)
    return len(rows)
