"""Reads of investment statistics (纳统 / 报数): who qualifies, who has not reported, the
standard monthly report. Always through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Q, QuerySet, Sum

from greenlight.projects.models import Project

QUALIFYING_INVESTMENT = Decimal("500")  # 万元: the statistics threshold for fixed-asset projects
REPORT_DAY = 10  # a month's report is due by the 10th of the next month


def month_start(d: date) -> date:
    return d.replace(day=1)


def previous_month(d: date) -> date:
    return month_start(month_start(d) - timedelta(days=1))


def next_month(d: date) -> date:
    return month_start(month_start(d) + timedelta(days=32))


def qualifying(*, user) -> QuerySet[Project]:
    """Projects in the statistics (纳统): planned investment ≥ 500万元 and construction started."""
    return Project.objects.visible_to(user).filter(
        total_investment__gte=QUALIFYING_INVESTMENT, actual_start__isnull=False
    )


@dataclass(frozen=True)
class Due:
    """The report currently asked for: month `month`, due by `deadline`."""

    month: date
    deadline: date
    late: bool


def due_report(today: date) -> Due:
    """Last month's report is due by the 10th of this month."""
    deadline = month_start(today).replace(day=REPORT_DAY)
    return Due(month=previous_month(today), deadline=deadline, late=today > deadline)


def owing(*, user, month: date) -> QuerySet[Project]:
    """Qualifying projects that should report `month`: started by its end, not completed
    before it began."""
    end = next_month(month)
    return qualifying(user=user).filter(
        Q(actual_start__lt=end), Q(completed_on__isnull=True) | Q(completed_on__gte=month)
    )


def missing(*, user, month: date) -> QuerySet[Project]:
    """Projects owing `month`'s report that have not sent it."""
    return (
        owing(user=user, month=month)
        .exclude(investment_reports__month=month)
        .select_related("owner", "subdistrict")
        .order_by("owner__name", "code")
    )


def status_rows(*, user, year: int) -> QuerySet[Project]:
    """Qualifying projects with their year-to-date amount and last reported month."""
    return (
        qualifying(user=user)
        .select_related("owner", "subdistrict")
        .annotate(
            ytd=Sum("investment_reports__amount", filter=Q(investment_reports__month__year=year)),
            last_month=Max("investment_reports__month"),
        )
        .order_by("-is_major", "code")
    )


def monthly_report(*, user, month: date) -> list[dict]:
    """The standard monthly report: each project owing `month` with the month, year-to-date and
    since-start amounts (one query)."""
    rows = (
        owing(user=user, month=month)
        .select_related("owner", "subdistrict")
        .annotate(
            this_month=Sum("investment_reports__amount", filter=Q(investment_reports__month=month)),
            ytd=Sum(
                "investment_reports__amount",
                filter=Q(
                    investment_reports__month__year=month.year,
                    investment_reports__month__lte=month,
                ),
            ),
            cumulative=Sum(
                "investment_reports__amount", filter=Q(investment_reports__month__lte=month)
            ),
        )
        .order_by("subdistrict__name", "code")
    )
    return [
        {
            "project": p,
            "this_month": p.this_month,
            "ytd": p.ytd or Decimal("0"),
            "cumulative": p.cumulative or Decimal("0"),
            "reported": p.this_month is not None,
        }
        for p in rows
    ]
