"""Reads of the leader dashboard: the lifecycle funnel, new starts and investment against the
annual target, red and yellow lights by department, major projects' forecast start.

Every figure goes through `visible_to(user)`; each function is one or two aggregate queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.utils import timezone

from greenlight.approvals import clocks as approval_clocks
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.catalog.calendars import current as current_calendar
from greenlight.pipeline import selectors as pipeline_selectors
from greenlight.projects.choices import Industry, Lifecycle
from greenlight.projects.models import InvestmentReport, Project
from greenlight.tickets import selectors as ticket_selectors

MONTHS = list(range(1, 13))
BEFORE_START = (Lifecycle.PLANNING, Lifecycle.PREPARATION, Lifecycle.APPROVAL)


def funnel(*, user) -> list[dict]:
    """Projects per lifecycle stage, in lifecycle order (谋划 → 竣工)."""
    counts = dict(
        Project.objects.visible_to(user)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return [
        {"stage": s.value, "label": str(s.label), "n": counts.get(s.value, 0)} for s in Lifecycle
    ]


def targets(*, user, year: int) -> dict:
    """The year's region-level targets the user may see (summed over regions), or None each."""
    return pipeline_selectors.region_targets(user=user, year=year)


def new_starts(*, user, year: int, target: int | None) -> dict:
    """Construction starts per month of `year`, cumulated, against the annual target."""
    counts = dict(
        Project.objects.visible_to(user)
        .filter(actual_start__year=year)
        .annotate(m=ExtractMonth("actual_start"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    monthly = [counts.get(m, 0) for m in MONTHS]
    total = sum(monthly)
    cumulative, running = [], 0
    for n in monthly:
        running += n
        cumulative.append(running)
    return {
        "monthly": monthly,
        "cumulative": cumulative,
        "total": total,
        "target": target,
        "share": (total / target) if target else None,
    }


def investment(*, user, year: int, target: Decimal | None) -> dict:
    """Completed investment (万元) of `year` by month, subdistrict and industry, with the target."""
    reports = InvestmentReport.objects.visible_to(user).filter(month__year=year).order_by()
    by_month = dict(
        reports.annotate(m=ExtractMonth("month"))
        .values_list("m")
        .annotate(s=Sum("amount"))
        .values_list("m", "s")
    )
    monthly = [float(by_month.get(m) or 0) for m in MONTHS]
    cumulative, running = [], 0.0
    for v in monthly:
        running += v
        cumulative.append(round(running, 2))
    subs = list(
        reports.values("project__subdistrict_id", "project__subdistrict__name")
        .annotate(s=Sum("amount"))
        .order_by("-s")
    )
    industries = dict(
        reports.values_list("project__industry")
        .annotate(s=Sum("amount"))
        .values_list("project__industry", "s")
    )
    labels = dict(Industry.choices)
    return {
        "monthly": monthly,
        "cumulative": cumulative,
        "total": round(running, 2),
        "target": float(target) if target is not None else None,
        "share": (running / float(target)) if target else None,
        "subdistricts": [
            {
                "id": r["project__subdistrict_id"],
                "name": r["project__subdistrict__name"] or "—",
                "amount": float(r["s"] or 0),
            }
            for r in subs
        ],
        "industries": sorted(
            (
                {"code": k, "name": str(labels.get(k, k)), "amount": float(v or 0)}
                for k, v in industries.items()
            ),
            key=lambda r: -r["amount"],
        ),
    }


def yellow_bound(*, now: datetime, workdays: int) -> datetime:
    """Due times before this are yellow (or red): `remaining_workdays <= workdays`."""
    today = timezone.localtime(now).date()
    first_green = current_calendar().add_workdays(today, workdays + 1)
    return timezone.make_aware(datetime.combine(first_green, time.min))


def lights(*, user, now: datetime) -> list[dict]:
    """Red and yellow approvals and tickets per department, largest first (two queries)."""
    threshold = approval_clocks.DEFAULT_YELLOW_WORKDAYS
    if getattr(user, "region", None) is not None:
        threshold = approval_clocks.yellow_threshold(user.region)
    bound = yellow_bound(now=now, workdays=threshold)
    rows: dict[int, dict] = {}
    for r in (
        Approval.objects.visible_to(user)
        .filter(status=Status.ACCEPTED, due_at__lt=bound)
        .order_by()
        .values("department_id", "department__short_name", "department__region__name")
        .annotate(
            red=Count("id", filter=Q(due_at__lt=now)), yellow=Count("id", filter=Q(due_at__gte=now))
        )
    ):
        rows[r["department_id"]] = _light_row(r, "department")
        rows[r["department_id"]].update(red=r["red"], yellow=r["yellow"])
    for r in ticket_selectors.lights_by_lead_department(user=user, now=now):
        row = rows.setdefault(r["lead_department_id"], _light_row(r, "lead_department"))
        row["ticket_red"], row["ticket_yellow"] = r["red"], r["yellow"]
    out = [
        r for r in rows.values() if r["red"] + r["yellow"] + r["ticket_red"] + r["ticket_yellow"]
    ]
    return sorted(out, key=lambda r: (-r["red"] - r["ticket_red"], -r["yellow"], r["name"]))


def _light_row(r: dict, prefix: str) -> dict:
    return {
        "department_id": r[f"{prefix}_id"],
        "name": r[f"{prefix}__short_name"],
        "region": r[f"{prefix}__region__name"],
        "red": 0,
        "yellow": 0,
        "ticket_red": 0,
        "ticket_yellow": 0,
    }


def majors(*, user, today: date | None = None, limit: int = 12) -> list[dict]:
    """Major projects not yet started: today's forecast start against the target (planned)
    start, the latest first; `slip` = forecast − target in days (positive = late).

    A project that has not started cannot start before today: a stored forecast that today
    has overtaken (or none at all) counts as today, so a project past its target shows late."""
    today = today or timezone.localdate()
    day = Value(today, output_field=DateField())
    forecast = Greatest(Coalesce("forecast_start", day), day, output_field=DateField())
    slip = ExpressionWrapper(F("forecast") - F("planned_start"), DurationField())
    rows = (
        Project.objects.visible_to(user)
        .filter(is_major=True, stage__in=BEFORE_START, actual_start__isnull=True)
        .annotate(forecast=forecast, slip=slip)
        .order_by(F("slip").desc(nulls_last=True), "id")
        .values("id", "name", "planned_start", "forecast", "stage")[:limit]
    )
    labels = dict(Lifecycle.choices)
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "stage": r["stage"],
            "stage_label": labels.get(r["stage"], r["stage"]),
            "planned_start": r["planned_start"],
            "forecast_start": _day(r["forecast"]),
            "slip": (_day(r["forecast"]) - r["planned_start"]).days if r["planned_start"] else None,
        }
        for r in rows
    ]


def _day(value) -> date:
    """A date from a computed column (SQLite hands back text for date expressions)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def summary(*, user, today: date, now: datetime) -> dict:
    """Everything the dashboard shows, for `today`'s year."""
    year = today.year
    goal = targets(user=user, year=year)
    stages = funnel(user=user)
    lit = lights(user=user, now=now)
    return {
        "year": year,
        "funnel": stages,
        "projects_total": sum(s["n"] for s in stages),
        "red_total": sum(r["red"] + r["ticket_red"] for r in lit),
        "starts": new_starts(user=user, year=year, target=goal["new_starts"]),
        "investment": investment(user=user, year=year, target=goal["investment"]),
        "lights": lit,
        "majors": majors(user=user, today=today),
        "as_of": now,
        "month_starts": [date(year, m, 1) for m in MONTHS],
        "yesterday": today - timedelta(days=1),
    }
