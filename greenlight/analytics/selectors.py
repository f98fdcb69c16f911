"""The projects behind a dashboard figure (drill-down), through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts import regions
from greenlight.accounts.models import Department, Region, Subdistrict
from greenlight.approvals.choices import Status
from greenlight.approvals.clocks import LIGHT_LABELS
from greenlight.approvals.models import Approval
from greenlight.projects.choices import Industry, Lifecycle
from greenlight.projects.models import Project

from . import dashboard


def _month(text: str) -> tuple[int, int | None] | None:
    """ "2025" -> (2025, None); "2025-03" -> (2025, 3); anything else None."""
    try:
        parts = [int(x) for x in text.split("-")]
    except ValueError:
        return None
    if len(parts) == 1 and 1900 < parts[0] < 3000:
        return parts[0], None
    if len(parts) == 2 and 1900 < parts[0] < 3000 and 1 <= parts[1] <= 12:
        return parts[0], parts[1]
    return None


@dataclass(frozen=True)
class Drill:
    """What a figure counted: any combination of these filters."""

    stage: str = ""
    started: str = ""  # YYYY or YYYY-MM: actual construction start
    reported: str = ""  # YYYY or YYYY-MM: with investment reported then
    subdistrict: int | None = None
    industry: str = ""
    department: int | None = None  # with a red/yellow approval at this department
    light: str = ""  # red | yellow
    major: bool = False
    region: str = ""  # a district (or city) code below the user's region

    @classmethod
    def from_query(cls, q) -> Drill:
        def num(name):
            v = q.get(name, "")
            return int(v) if v.isdigit() else None

        return cls(
            stage=q.get("stage", "") if q.get("stage") in Lifecycle.values else "",
            started=q.get("started", "") if _month(q.get("started", "")) else "",
            reported=q.get("reported", "") if _month(q.get("reported", "")) else "",
            subdistrict=num("subdistrict"),
            industry=q.get("industry", "") if q.get("industry") in Industry.values else "",
            department=num("department"),
            light=q.get("light", "") if q.get("light") in ("red", "yellow") else "",
            major=q.get("major") == "1",
            region=q.get("region", "") if q.get("region", "").isdigit() else "",
        )


def describe(f: Drill, *, user) -> list[str]:
    """What the figure counted, in words: "阶段 审批", "街道 西乡", "灯色 红灯：已超期"."""
    out = []
    if f.stage:
        out.append(f"{_('stage')} {Lifecycle(f.stage).label}")
    if f.started:
        out.append(f"{_('construction started in')} {f.started}")
    if f.reported:
        out.append(f"{_('investment reported in')} {f.reported}")
    if f.subdistrict:
        sub = Subdistrict.objects.filter(
            pk=f.subdistrict, region__in=Region.objects.visible_to(user)
        ).first()
        out.append(f"{_('subdistrict')} {sub.name if sub else '—'}")
    if f.industry:
        out.append(f"{_('industry')} {Industry(f.industry).label}")
    if f.light:
        out.append(f"{_('light')} {LIGHT_LABELS[f.light]}")
        if f.department:
            dept = Department.objects.visible_to(user).filter(pk=f.department).first()
            out.append(f"{_('department')} {dept.name if dept else '—'}")
    if f.major:
        out.append(_("major projects awaiting their start"))
    if f.region:
        region = Region.objects.visible_to(user).filter(code=f.region).first()
        out.append(f"{_('district')} {region.name if region else '—'}")
    return out


def _period_q(prefix: str, text: str) -> Q:
    year, month = _month(text)
    q = Q(**{f"{prefix}__year": year})
    return q & Q(**{f"{prefix}__month": month}) if month else q


def drill(*, user, f: Drill, now: datetime | None = None) -> QuerySet[Project]:
    """The projects `user` may see that a figure with these filters counted."""
    qs = Project.objects.visible_to(user).select_related("owner", "subdistrict", "region")
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.started:
        qs = qs.filter(_period_q("actual_start", f.started))
    if f.subdistrict:
        qs = qs.filter(subdistrict_id=f.subdistrict)
    if f.region:
        qs = qs.filter(regions.within_q("region", f.region))
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.major:
        qs = qs.filter(is_major=True, stage__in=dashboard.BEFORE_START)
    if f.light:
        now = now or timezone.now()
        bound = dashboard.yellow_bound(now=now, workdays=3)
        lit = Approval.objects.filter(project=OuterRef("pk"), status=Status.ACCEPTED)
        lit = (
            lit.filter(due_at__lt=now)
            if f.light == "red"
            else lit.filter(due_at__gte=now, due_at__lt=bound)
        )
        if f.department:
            lit = lit.filter(department_id=f.department)
        qs = qs.filter(Exists(lit))
    if f.reported:
        reps = _period_q("investment_reports__month", f.reported)
        qs = qs.filter(reps).annotate(
            reported_amount=Sum("investment_reports__amount", filter=reps)
        )
    return qs.order_by("-is_major", "-id").distinct()


def today_month() -> date:
    return timezone.localdate().replace(day=1)
