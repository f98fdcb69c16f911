"""Department scorecards (考核评价) per month: on-time rate and time used against the committed
limit (from the bottleneck facts), 1-2-3 compliance of problem tickets, early-intervention and
feedback timeliness of joint reviews. The score is the mean of the rates a department has."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from greenlight.accounts.models import Department

from . import facts
from .investment import next_month

MILESTONES = ("feedback", "path", "progress")


def month_period(month: date) -> facts.Period:
    return facts.Period(month, next_month(month))


def ticket_compliance(*, user, period: facts.Period) -> dict[int, tuple[int, int]]:
    """Per lead department: (milestones met in time, milestones due) for milestones due in the
    period (a resolution meets the milestones not met before it)."""
    try:
        from greenlight.tickets.models import Ticket
    except ImportError:  # pragma: no cover
        return {}
    start, end = period.bounds()
    now = timezone.now()
    agg = {}
    for m in MILESTONES:
        due = F(f"{m}_due")
        in_period = Q(**{f"{m}_due__gte": start, f"{m}_due__lt": end})
        counted = in_period & (
            Q(**{f"{m}_due__lt": now})
            | Q(**{f"{m}_at__isnull": False})
            | Q(resolved_at__isnull=False)
        )
        agg[f"{m}_n"] = Count("id", filter=counted)
        agg[f"{m}_hit"] = Count("id", filter=counted & Q(**{f"{m}_reached__lte": due}))
    qs = Ticket.objects.visible_to(user).filter(lead_department__isnull=False).order_by()
    for m in MILESTONES:
        qs = qs.annotate(**{f"{m}_reached": Coalesce(F(f"{m}_at"), F("resolved_at"))})
    out = {}
    for r in qs.values("lead_department_id").annotate(**agg):
        total = sum(r[f"{m}_n"] for m in MILESTONES)
        if total:
            out[r["lead_department_id"]] = (sum(r[f"{m}_hit"] for m in MILESTONES), total)
    return out


def review_timeliness(*, user, period: facts.Period) -> dict[int, dict]:
    """Per department: early-intervention opinions in by their due day, and meeting action items
    fed back by theirs, among those due in the period (and already due, or done)."""
    try:
        from greenlight.reviews.models import ActionItem, Opinion
    except ImportError:  # pragma: no cover
        return {}
    today = timezone.localdate()
    out: dict[int, dict] = {}
    opinions = (
        Opinion.objects.visible_to(user)
        .filter(batch__opinion_due__gte=period.start, batch__opinion_due__lt=period.end)
        .filter(Q(batch__opinion_due__lt=today) | Q(recorded_at__isnull=False))
        .order_by()
        .values("department_id")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=Q(recorded_at__date__lte=F("batch__opinion_due"))),
        )
    )
    for r in opinions:
        out.setdefault(r["department_id"], {})["opinions"] = (r["ok"], r["n"])
    items = (
        ActionItem.objects.visible_to(user)
        .filter(due__gte=period.start, due__lt=period.end)
        .filter(Q(due__lt=today) | Q(feedback_at__isnull=False))
        .order_by()
        .values("department_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(feedback_at__date__lte=F("due"))))
    )
    for r in items:
        out.setdefault(r["department_id"], {})["feedback"] = (r["ok"], r["n"])
    return out


def _rate(pair):
    return pair[0] / pair[1] if pair and pair[1] else None


def ranking(*, user, month: date) -> list[dict]:
    """One row per department with cases, tickets or reviews in `month`, best score first."""
    period = month_period(month)
    by_dept = facts.stats(user=user, period=period, by="department")
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
    period = facts.Period(months[0], next_month(month))
    stats = facts.stats(user=user, period=period, by="department_month", department=department)
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
