"""Department scorecards (考核评价) per month: on-time rate and time used against the committed
limit (from the bottleneck facts), 1-2-3 compliance of problem tickets, early-intervention and
feedback timeliness of joint reviews. The score is the mean of the rates a department has."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from greenlight.accounts.models import Department
from greenlight.reviews import selectors as review_selectors
from greenlight.tickets import selectors as ticket_selectors

from . import bottlenecks, rules
from .investment import next_month


def month_period(month: date) -> rules.Period:
    return rules.Period(month, next_month(month))


def ticket_compliance(*, user, period: rules.Period) -> dict[int, tuple[int, int]]:
    """Per lead department: (milestones met in time, milestones due) for milestones due in the
    period (a resolution meets the milestones not met before it)."""
    start, end = period.bounds()
    return ticket_selectors.milestone_compliance(
        user=user, start=start, end=end, now=timezone.now()
    )


def review_timeliness(*, user, period: rules.Period) -> dict[int, dict]:
    """Per department: early-intervention opinions in by their due day, and meeting action items
    fed back by theirs, among those due in the period (and already due, or done)."""
    today = timezone.localdate()
    window = {"user": user, "start": period.start, "end": period.end, "today": today}
    out: dict[int, dict] = {}
    for pk, pair in review_selectors.opinion_timeliness(**window).items():
        out.setdefault(pk, {})["opinions"] = pair
    for pk, pair in review_selectors.feedback_timeliness(**window).items():
        out.setdefault(pk, {})["feedback"] = pair
    return out


def _rate(pair):
    return pair[0] / pair[1] if pair and pair[1] else None


def ranking(*, user, month: date) -> list[dict]:
    """One row per department with cases, tickets or reviews in `month`, best score first."""
    period = month_period(month)
    by_dept = bottlenecks.stats(user=user, period=period, by="department")
    tickets = ticket_compliance(user=user, period=period)
    reviews = review_timeliness(user=user, period=period)
    ids = set(by_dept) | set(tickets) | set(reviews)
    names = {
        d.pk: d
        for d in Department.objects.visible_to(user).filter(pk__in=ids).select_related("region")
    }
    rows = []
    for pk in ids:
        if pk not in names:
            continue
        s = by_dept.get(pk, {})
        r = reviews.get(pk, {})
        row = {
            "department": names[pk],
            "n": s.get("n", 0),
            "on_time_rate": s.get("on_time_rate"),
            "ratio": s.get("ratio"),
            "median": s.get("median"),
            "tickets": tickets.get(pk),
            "ticket_rate": _rate(tickets.get(pk)),
            "opinions": r.get("opinions"),
            "opinion_rate": _rate(r.get("opinions")),
            "feedback": r.get("feedback"),
            "feedback_rate": _rate(r.get("feedback")),
        }
        rates = [
            row[k]
            for k in ("on_time_rate", "ticket_rate", "opinion_rate", "feedback_rate")
            if row[k] is not None
        ]
        row["score"] = 100 * sum(rates) / len(rates) if rates else None
        rows.append(row)
    rows.sort(key=lambda x: (-(x["score"] or -1), x["department"].pk))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def months_back(month: date, n: int) -> list[date]:
    """The `n` months ending with `month`, oldest first."""
    out = []
    y, m = month.year, month.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def trend(*, user, month: date, n: int = 12, department=None) -> dict:
    """On-time rate per department and month over the `n` months ending with `month`."""
    months = months_back(month, n)
    period = rules.Period(months[0], next_month(month))
    stats = bottlenecks.stats(
        user=user, period=period, by="department_month", department=department
    )
    series: dict[int, list] = {}
    for (dept, mon), v in stats.items():
        series.setdefault(dept, [None] * n)
        if mon in months:
            series[dept][months.index(mon)] = (
                round(100 * v["on_time_rate"], 1) if v["on_time_rate"] is not None else None
            )
    names = dict(Department.objects.filter(pk__in=series).values_list("pk", "short_name"))
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "series": [{"name": names.get(k, str(k)), "data": v} for k, v in sorted(series.items())],
    }
