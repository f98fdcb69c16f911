"""The demo's past decisions: each decided approval gets the act it would have carried (number,
dates, handler), recorded from history without a scanned file; and its 容缺 materials."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from greenlight.approvals import bulk
from greenlight.approvals.choices import Outcome, Status
from greenlight.approvals.models import (
    Approval,
    CheckStatus,
    Commitment,
    Decision,
    MissingMaterial,
    PostCheck,
)

# 文号 prefixes by department kind: 深宝 + the department's word
PREFIX = {
    "drc": "深宝发改",
    "planning": "深宝规资",
    "renewal": "深宝更新",
    "housing": "深宝建",
    "ecology": "深宝环批",
    "water": "深宝水",
    "transport": "深宝交",
    "land_inspection": "深宝土监",
}
NOT_ACCEPTED_BASIS = "《中华人民共和国行政许可法》第三十二条第一款"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record(approvals: list[Approval]) -> int:
    """Decisions for the decided approvals among `approvals` (bulk, as the demo's history)."""
    rows, serial = [], {}
    for a in approvals:
        if a.status not in (Status.APPROVED, Status.NOT_ACCEPTED) or a.decided_at is None:
            continue
        issued = timezone.localtime(a.decided_at).date()
        key = (a.department.region_id, a.department.kind, issued.year)
        serial[key] = serial.get(key, 0) + 1
        prefix = PREFIX.get(a.department.kind, a.department.short_name)
        granted = a.status == Status.APPROVED
        months = a.matter.validity_months
        rows.append(
            Decision(
                approval=a,
                outcome=Outcome.APPROVED if granted else Outcome.NOT_ACCEPTED,
                number=f"{prefix}〔{issued.year}〕{serial[key]}号",
                title=(
                    f"关于{a.project.name}{a.matter.name}的批复"
                    if granted
                    else f"{a.matter.name}不予受理决定书"
                ),
                opinion="同意。" if granted else a.reason,
                legal_basis="" if granted else NOT_ACCEPTED_BASIS,
                issued_on=issued,
                valid_until=add_months(issued, months) if granted and months else None,
                issued_by_id=a.department_id,
                handler_name=a.handler.display_name if a.handler else a.department.short_name,
                actor=a.handler,
                at=a.decided_at,
            )
        )
    return bulk.record_decisions(rows)


def record_gaps(approvals: list[Approval], *, rng, cal, today: date) -> int:
    """容缺受理 in the demo: a share of the running approvals of matters that allow it were
    accepted with one or two materials missing, due 5 working days later; most were supplied
    on time, some are late."""
    rows = []
    for a in approvals:
        m = a.matter
        if a.status != Status.ACCEPTED or not m.accept_with_gaps or len(m.materials) < 2:
            continue
        if a.joint_case_id or rng.random() >= 0.3:
            continue
        accepted = timezone.localtime(a.accepted_at).date()
        due = cal.add_workdays(accepted, 5)
        for name in rng.sample(m.materials[1:], k=min(len(m.materials) - 1, rng.choice((1, 1, 2)))):
            done = due < today and rng.random() < 0.6
            rows.append(
                MissingMaterial(
                    approval=a,
                    name=name,
                    due_on=due,
                    supplied_at=timezone.make_aware(datetime.combine(due, time(10)))
                    if done
                    else None,
                    recorded_by=a.handler,
                    received_by=a.handler if done else None,
                )
            )
    return bulk.record_gaps(rows)


COMMITMENT_TEXT = (
    "本单位承诺：所提交的材料真实、有效，已知晓并符合审批部门告知的全部条件、标准和技术要求，"
    "愿意承担不实承诺的法律责任，接受事后核查。"
)


def record_commitments(approvals: list[Approval], *, rng, today: date) -> int:
    """告知承诺制 in the demo: each commitment-based grant rests on the owner's commitment and
    has its 事后核查 (60 days): done when due, a few failed with the revocation to decide."""
    commitments, checks = [], []
    for a in approvals:
        if a.status != Status.APPROVED or not a.matter.commitment_based or a.decided_at is None:
            continue
        issued = timezone.localtime(a.decided_at).date()
        commitments.append(
            Commitment(
                approval=a,
                text=COMMITMENT_TEXT,
                signed_by=a.project.contact_name or a.project.owner.name,
                signed_on=timezone.localtime(a.submitted_at or a.decided_at).date(),
                at=a.submitted_at or a.decided_at,
            )
        )
        due = issued + timedelta(days=60)
        status, note, checked = CheckStatus.PENDING, "", None
        if due < today:
            failed = rng.random() < 0.05
            status = CheckStatus.FAILED if failed else CheckStatus.PASSED
            note = "现场核查：实际建设内容与承诺不符" if failed else "现场核查：与承诺一致"
            checked = timezone.make_aware(datetime.combine(due - timedelta(days=3), time(15)))
        checks.append(
            PostCheck(
                approval=a,
                due_on=due,
                status=status,
                note=note,
                checked_at=checked,
                checked_by=a.handler if checked else None,
            )
        )
    return bulk.record_commitments(commitments, checks)
