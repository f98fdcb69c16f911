"""Reads of the leader dashboard: the lifecycle funnel, new starts and investment against the
annual target, red and yellow lights by department, major projects' forecast start.

Every figure goes through `visible_to(user)`; each function is one or two aggregate queries.
Projects are counted with `COUNT(*)`, so PostgreSQL reads them from an index alone (the
region and stage, the start and region); staff read investment from the monthly totals."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.utils import timezone

from greenlight.accounts.choices import RegionLevel
from greenlight.approvals import clocks as approval_clocks
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.catalog.calendars import current as current_calendar
from greenlight.pipeline import selectors as pipeline_selectors
from greenlight.projects import totals as project_totals
from greenlight.projects.choices import Industry, Lifecycle
from greenlight.projects.models import Project
from greenlight.tickets import selectors as ticket_selectors

MONTHS = list(range(1, 13))
BEFORE_START = (Lifecycle.PLANNING, Lifecycle.PREPARATION, Lifecycle.APPROVAL)


def within(qs, region, field: str = "region"):
    """`qs` narrowed to `region` and below (a district the user drilled into), or as it is."""
    return qs if region is None else qs.filter(**{f"{field}__code__startswith": region.prefix})


def is_district(user, region) -> bool:
    """Whether the figures are one district's (its subdistricts may then be shown together)."""
    scope = region if region is not None else getattr(user, "region", None)
    return scope is not None and scope.level == RegionLevel.DISTRICT


def funnel(*, user, region=None) -> list[dict]:
    """Projects per lifecycle stage, in lifecycle order (谋划 → 竣工)."""
    counts = dict(
        within(Project.objects.visible_to(user), region)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("*"))
        .values_list("stage", "n")
    )
    return [
        {"stage": s.value, "label": str(s.label), "n": counts.get(s.value, 0)} for s in Lifecycle
    ]


def targets(*, user, year: int, region=None) -> dict:
    """The year's target of the figures' region: its own, else its districts' sum when every
    district has one; None each when the sum would cover only some districts (so one district's
    target is never set against the figures of many)."""
    goal = pipeline_selectors.region_targets(user=user, year=year, region=region)
    if goal["source"] == "districts" and goal["covered"] < goal["districts"]:
        goal = {**goal, "new_starts": None, "investment": None}
    return goal


def new_starts(*, user, year: int, target: int | None, region=None) -> dict:
    """Construction starts per month of `year`, cumulated, against the annual target."""
    counts = dict(
        within(Project.objects.visible_to(user), region)
        .filter(actual_start__year=year)
        .annotate(m=ExtractMonth("actual_start"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("*"))
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


def investment(*, user, year: int, target: Decimal | None, region=None) -> dict:
    """Completed investment (万元) of `year` by month, by subdistrict (one district's figures)
    or by district (streets of two districts are never set side by side), and by industry."""
    rows, paths = project_totals.visible(user)
    rows = within(rows, region, paths["region"]).filter(month__year=year)
    by_month = dict(
        rows.annotate(m=ExtractMonth("month"))
        .values_list("m")
        .annotate(s=Sum("amount"))
        .values_list("m", "s")
    )
    monthly = [float(by_month.get(m) or 0) for m in MONTHS]
    cumulative, running = [], 0.0
    for v in monthly:
        running += v
        cumulative.append(round(running, 2))
    by = "subdistrict" if is_district(user, region) else "district"
    key = paths["subdistrict"] if by == "subdistrict" else paths["region"]
    code = f"{paths['region']}__code"
    subs = list(
        rows.values(f"{key}_id", f"{key}__name", code).annotate(s=Sum("amount")).order_by("-s")
    )
    industries = dict(
        rows.values_list(paths["industry"])
        .annotate(s=Sum("amount"))
        .values_list(paths["industry"], "s")
    )
    labels = dict(Industry.choices)
    return {
        "monthly": monthly,
        "cumulative": cumulative,
        "total": round(running, 2),
        "target": float(target) if target is not None else None,
        "share": (running / float(target)) if target else None,
        "by": by,
        "subdistricts": [
            {
                "id": r[f"{key}_id"],
                "code": r[code],
                "name": r[f"{key}__name"] or "—",
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


def lights(*, user, now: datetime, region=None) -> list[dict]:
    """Red and yellow approvals and tickets per department, largest first (two queries)."""
    threshold = approval_clocks.DEFAULT_YELLOW_WORKDAYS
    scope = region if region is not None else getattr(user, "region", None)
    if scope is not None:
        threshold = approval_clocks.yellow_threshold(scope)
    bound = yellow_bound(now=now, workdays=threshold)
    rows: dict[int, dict] = {}
    # scoped by the approval's own copy of its project's region: the running approvals are read
    # from their covering index, never joined to every visible project (a company's own
    # projects are still matched through the project)
    running = Approval.objects.visible_to(user, region_field="region")
    for r in (
        within(running, region)
        .filter(status=Status.ACCEPTED, due_at__lt=bound)
        .order_by()
        .values("department_id", "department__short_name", "department__region__name")
        .annotate(
            red=Count("id", filter=Q(due_at__lt=now)), yellow=Count("id", filter=Q(due_at__gte=now))
        )
    ):
        rows[r["department_id"]] = _light_row(r, "department")
        rows[r["department_id"]].update(red=r["red"], yellow=r["yellow"])
    for r in ticket_selectors.lights_by_lead_department(user=user, now=now, region=region):
        row = rows.setdefault(r["lead_department_id"], _light_row(r, "lead_department"))
        row["ticket_red"], row["ticket_yellow"] = r["red"], r["yellow"]
    out = [
        r for r in rows.values() if r["red"] + r["yellow"] + r["ticket_red"] + r["ticket_yellow"]
    ]
    if not is_district(user, region):  # 宝安's 住建 and 南山's are two bars, each named
        for r in out:
            r["name"] = f"{r['region']} {r['name']}"
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


def majors(*, user, today: date | None = None, limit: int = 12, region=None) -> list[dict]:
    """Major projects not yet started: today's forecast start against the target (planned)
    start, the latest first; `slip` = forecast − target in days (positive = late).

    A project that has not started cannot start before today: a stored forecast that today
    has overtaken (or none at all) counts as today, so a project past its target shows late."""
    today = today or timezone.localdate()
    day = Value(today, output_field=DateField())
    forecast = Greatest(Coalesce("forecast_start", day), day, output_field=DateField())
    slip = ExpressionWrapper(F("forecast") - F("planned_start"), DurationField())
    rows = (
        within(Project.objects.visible_to(user), region)
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


def summary(*, user, today: date, now: datetime, region=None) -> dict:
    """Everything the dashboard shows, for `today`'s year: the user's region, or `region` (a
    region below it that the user drilled into from the district comparison)."""
    year = today.year
    goal = targets(user=user, year=year, region=region)
    stages = funnel(user=user, region=region)
    lit = lights(user=user, now=now, region=region)
    return {
        "year": year,
        "funnel": stages,
        "projects_total": sum(s["n"] for s in stages),
        "red_total": sum(r["red"] + r["ticket_red"] for r in lit),
        "starts": new_starts(user=user, year=year, target=goal["new_starts"], region=region),
        "investment": investment(user=user, year=year, target=goal["investment"], region=region),
        "goal": goal,
        "region": region,
        "lights": lit,
        "majors": majors(user=user, today=today, region=region),
        "as_of": now,
        "month_starts": [date(year, m, 1) for m in MONTHS],
        "yesterday": today - timedelta(days=1),
    }
