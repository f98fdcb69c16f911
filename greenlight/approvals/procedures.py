"""Special procedures (特别程序): the statutory kinds a clock pauses for, their legal cap where
one exists, and the paused time per department for the supervisors' figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import PauseReason
from .models import Pause


@dataclass(frozen=True)
class Rule:
    """What the law says of a pause kind: its cap in calendar days (None: no cap) and source."""

    cap_days: int | None
    source: str


# 《行政许可法》第四十五条: hearings, tenders, auctions, inspections, tests, quarantines,
# appraisals and expert reviews are not counted in the limit; the department tells the
# applicant in writing how long they take. Caps only where a rule sets one.
RULES = {
    PauseReason.SUPPLEMENT: Rule(
        None, _("行政许可法 article 32: the applicant is told once and in full what to supplement")
    ),
    PauseReason.EXPERT_REVIEW: Rule(
        None, _("行政许可法 article 45: not counted; the applicant is told how long it takes")
    ),
    PauseReason.HEARING: Rule(
        20, _("行政许可法 article 47: the hearing is held within 20 days of the request")
    ),
    PauseReason.SITE_INSPECTION: Rule(
        None, _("行政许可法 article 45: inspection time is not counted")
    ),
    PauseReason.PUBLIC_NOTICE: Rule(
        None, _("行政许可法 article 46: matters the law requires to be published")
    ),
    PauseReason.TESTING: Rule(
        None, _("行政许可法 article 45: testing, quarantine and appraisal are not counted")
    ),
}


def rule(reason: str) -> Rule:
    return RULES.get(reason, Rule(None, ""))


def cap_end(pause: Pause) -> date | None:
    """The last day the pause may last under its cap (None without a cap)."""
    cap = rule(pause.reason).cap_days
    if cap is None:
        return None
    return timezone.localtime(pause.started_at).date() + timedelta(days=cap)


def over_cap(pause: Pause, *, now: datetime) -> bool:
    """Whether the pause lasted (or lasts) past its legal cap."""
    end = cap_end(pause)
    if end is None:
        return False
    until = timezone.localtime(pause.ended_at or now).date()
    return until > end


def annotate(pauses, *, now: datetime) -> list[Pause]:
    """The pauses with `rule`, `cap_end` and `over_cap`, for the pages."""
    rows = list(pauses)
    for p in rows:
        p.rule, p.cap_end, p.over_cap = rule(p.reason), cap_end(p), over_cap(p, now=now)
        p.days = ((p.ended_at or now) - p.started_at).days
    return rows


def paused_by_department(*, user, since: datetime, now: datetime) -> list[dict]:
    """Per department: pauses begun since `since`, their total days, the days per kind and
    how many ran past a legal cap (the supervisors' figures)."""
    qs: QuerySet[Pause] = Pause.objects.filter(
        approval__in=_visible(user), started_at__gte=since
    ).select_related("approval__department")
    out: dict[int, dict] = {}
    for p in qs.iterator(chunk_size=2000):
        d = p.approval.department
        row = out.setdefault(
            d.pk, {"department": d, "n": 0, "days": 0.0, "by_kind": {}, "over_cap": 0}
        )
        days = ((p.ended_at or now) - p.started_at).total_seconds() / 86400
        row["n"] += 1
        row["days"] += days
        row["by_kind"][p.reason] = row["by_kind"].get(p.reason, 0.0) + days
        row["over_cap"] += over_cap(p, now=now)
    rows = sorted(out.values(), key=lambda r: (-r["days"], r["department"].name))
    labels = dict(PauseReason.choices)
    for r in rows:
        r["days"] = round(r["days"])
        r["kinds"] = [
            (labels.get(k, k), round(v))
            for k, v in sorted(r.pop("by_kind").items(), key=lambda kv: -kv[1])
        ]
    return rows


def _visible(user):
    from .models import Approval

    return Approval.objects.visible_to(user).values("pk")
