"""API of analytics: the dashboard's figures, bottlenecks, scorecards, investment reports."""

from datetime import date, timedelta
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from greenlight.kernel import validation
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.projects.models import Project

from . import bottlenecks, dashboard, districts, permissions, rules, scorecards, services

router = Router(tags=["analytics"])


class PeriodIn(Schema):
    start: date | None = None
    end: date | None = None
    by: str = "matter"


class ReportIn(Schema):
    project: int
    month: date
    amount: Decimal


class ReportOut(Schema):
    id: int
    project: int
    month: date
    amount: Decimal


@router.get("/analytics/dashboard")
def get_dashboard(request):
    """Every figure of the leader dashboard, for the caller's share of the projects."""
    d = dashboard.summary(user=request.user, today=timezone.localdate(), now=timezone.now())
    return {
        k: d[k]
        for k in (
            "year",
            "funnel",
            "starts",
            "investment",
            "lights",
            "majors",
            "projects_total",
            "red_total",
        )
    }


@router.get("/analytics/bottlenecks")
def get_bottlenecks(request, q: Query[PeriodIn]):
    """Figures per matter, department or stage of the cases decided in the period."""
    end = q.end or timezone.localdate()
    period = rules.Period(q.start or end - timedelta(days=365), end + timedelta(days=1))
    by = q.by if q.by in ("matter", "department", "stage") else "matter"
    rows = bottlenecks.table(user=request.user, period=period, by=by)
    keep = (
        "key",
        "label",
        "n",
        "median",
        "p90",
        "ratio",
        "overdue_rate",
        "supplement_rate",
        "avg_loops",
        "idle_median",
        "idle_total",
        "critical",
        "critical_share",
        "critical_days",
        "delay",
        "delay_per_year",
    )
    return {
        "start": period.start,
        "end": end,
        "by": by,
        "rows": [{k: r.get(k) for k in keep} for r in rows],
    }


@router.get("/analytics/scorecards")
def get_scorecards(request, month: str = ""):
    """The month's department ranking (staff only); `month` as YYYY-MM."""
    if not permissions.can_see_scorecards(request.user):
        raise NotPermitted()
    try:
        month = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    except ValueError as exc:
        raise DomainError(_("Write the month as YYYY-MM."), field="month") from exc
    if reason := validation.date_problem(month):
        raise DomainError(reason, field="month")
    rows = scorecards.ranking(user=request.user, month=month)
    return {
        "month": month,
        "rows": [
            {
                **{
                    k: v
                    for k, v in r.items()
                    if k not in ("department", "tickets", "opinions", "feedback")
                },
                "department": r["department"].name,
                "department_id": r["department"].pk,
            }
            for r in rows
        ],
    }


@router.get("/analytics/districts")
def get_districts(request, year: int | None = None, city: str = ""):
    """The district comparison (province and city staff): per district of the caller's region
    (or of `city`, a six-digit code), the figures of `year`, their ranks, and the totals."""
    if not districts.can_compare(request.user):
        raise NotPermitted(_("The district comparison is for province and city users."))
    year = year or districts.default_year()
    if reason := validation.year_problem(year):
        raise DomainError(reason, field="year")
    within = districts.resolve(user=request.user, code=city) if city else None
    data = districts.compare(user=request.user, year=year, within=within)
    return {
        "year": data["year"],
        "city": within.code if within else None,
        "stages": data["stages"],
        "totals": data["totals"],
        "rows": data["rows"],
    }


@router.post("/analytics/investment-reports", response={201: ReportOut})
def post_report(request, body: ReportIn):
    """Report one month's completed investment (万元) of a project (its owner, or the office)."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=body.project)
    report = services.submit_report(
        actor=request.user, project=project, month=body.month, amount=body.amount
    )
    return Status(
        201, ReportOut(id=report.pk, project=project.pk, month=report.month, amount=report.amount)
    )
