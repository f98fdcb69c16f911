"""Demo supervision notices (督办单), issued and answered through `supervision.services`: on the
running approvals that are late or due within three working days, on escalated open tickets and
on the joint-review batch whose opinions are still coming in; every other one answered the next
day when that day has passed. Deterministic for a given `today`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from greenlight.accounts.models import Region, User
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.roles import Role
from greenlight.reviews.models import Batch
from greenlight.supervision import services
from greenlight.supervision.models import SupervisionNotice
from greenlight.tickets.choices import OPEN_STATUSES as OPEN_TICKETS
from greenlight.tickets.models import Ticket

APPROVALS, TICKETS = 8, 4
DUE_SOON_WORKDAYS = 3
APPROVAL_TEXT = "该事项已超过承诺时限，请于回复期限前办结，或书面说明原因及办结时间。"
DUE_SOON_TEXT = "该事项即将到达承诺时限，请确保按时办结，如有困难请书面说明。"
TICKET_TEXT = "该问题已超过“1-2-3”时限，请牵头部门明确解决路径并反馈进展。"
BATCH_TEXT = "请于意见截止日前提交提前介入意见，逾期将纳入督查通报。"
REPLIES = [
    "已召开专题会研究，材料补正后三个工作日内办结。",
    "已安排专人对接企业，本周内出具审查意见。",
    "已完成现场核查，正在会签，预计下周办结。",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def build(*, today: date, stdout=None) -> dict:
    """Issue the demo notices of 宝安区 (does nothing if notices exist); returns counts."""
    if SupervisionNotice.objects.exists():
        return {"notices": SupervisionNotice.objects.count()}
    region = Region.objects.filter(code="440306").first()
    coordinator = (
        User.objects.filter(region=region, role=Role.COORDINATOR).order_by("pk").first()
        if region
        else None
    )
    if coordinator is None:
        return {"notices": 0}
    cal = current_calendar()
    now = _at(today, 0)  # nothing after the start of today: never ahead of the real clock
    approvers = {}
    for u in User.objects.filter(region=region, role=Role.APPROVER).order_by("pk"):
        approvers.setdefault(u.department_id, u)
    made, answered = [], 0
    with transaction.atomic():
        for subject, issued, text in _subjects(region, cal, today=today, now=now):
            notice = services.issue_notice(subject=subject, text=text, actor=coordinator, at=issued)
            made.append(notice)
            reply_at = notice.issued_at + timedelta(days=1, hours=2)
            replier = approvers.get(notice.department_id)
            # the older half is answered (the day after), the recent ones still wait
            if replier and reply_at < now and len(made) % 2 == 1:
                services.reply_notice(
                    notice=notice,
                    text=REPLIES[len(made) % len(REPLIES)],
                    actor=replier,
                    at=reply_at,
                )
                answered += 1
    if stdout is not None:
        stdout.write(f"supervision: {len(made)} notices, {answered} answered\n")
    return {"notices": len(made), "answered": answered}


def _subjects(region, cal, *, today: date, now: datetime):
    """(subject, issued at, text) for each demo notice, oldest first."""
    out = []
    soon = _at(cal.add_workdays(today, DUE_SOON_WORKDAYS), 23, 59)
    running = (
        Approval.objects.filter(project__region=region, status=Status.ACCEPTED, due_at__lt=soon)
        .select_related("project__region", "matter", "department")
        .order_by("due_at", "pk")[:APPROVALS]
    )
    yesterday = _at(cal.add_workdays(today, -1), 9, 30)
    for a in running:
        if a.due_at < now:  # late: the working day after its due day (or yesterday)
            day = cal.add_workdays(timezone.localdate(a.due_at), 1)
            issued, text = min(_at(day, 9, 30), yesterday), APPROVAL_TEXT
        else:
            issued, text = yesterday, DUE_SOON_TEXT
        if a.accepted_at < issued < now:
            out.append((a, issued, text))
    tickets = (
        Ticket.objects.filter(
            project__region=region,
            status__in=OPEN_TICKETS,
            escalated_at__isnull=False,
            escalated_at__lt=now,
            lead_department__isnull=False,
        )
        .select_related("project__region", "lead_department")
        .order_by("escalated_at", "pk")[:TICKETS]
    )
    for t in tickets:
        out.append((t, t.escalated_at + timedelta(hours=1), TICKET_TEXT))
    batch = (
        Batch.objects.filter(region=region, issued_at__lt=now, opinion_due__gte=today)
        .annotate(pending=Count("opinions", filter=Q(opinions__kind="")))
        .filter(pending__gt=0)
        .order_by("-issued_at")
        .first()
    )
    if batch is not None:
        issued = _at(cal.add_workdays(today, -1), 15)
        if batch.issued_at < issued < now:
            out.append((batch, issued, BATCH_TEXT))
    return sorted(out, key=lambda row: (row[1], row[0]._meta.label, row[0].pk))
