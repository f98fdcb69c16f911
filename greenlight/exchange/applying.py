"""Applying one row of a national table through the owning app's services; each function
returns "applied" or "unchanged" and raises a DomainError naming the field otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from greenlight.accounts.models import Organization, Region, User
from greenlight.approvals import acts
from greenlight.approvals import services as approval_services
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval
from greenlight.kernel.roles import Role
from greenlight.projects import services as project_services
from greenlight.projects.codes import validate_project_code
from greenlight.projects.models import Project

from . import fields
from .fields import refuse, text
from .models import ExchangeRecord, ExchangeRun
from .tables import (
    CASE,
    HISTORY,
    NO_EXPIRY,
    PROJECT,
    RESULT,
    RESULT_OUTCOMES,
    SPECIAL,
    SPECIAL_REASONS,
    STATUS_ACTIONS,
)

APPLIED, UNCHANGED = "applied", "unchanged"
CLOSED = {Status.APPROVED, Status.REJECTED, Status.NOT_ACCEPTED, Status.WITHDRAWN}
# The approval is past the step a row reports (the platform moved first, or the 工改 system sent
# the same step in its status history and in its 特别程序 table): the row changes nothing.
ALREADY = {
    "submit": {Status.SUBMITTED, Status.ACCEPTED, Status.PAUSED, *CLOSED},
    "accept": {Status.ACCEPTED, Status.PAUSED, *CLOSED},
    "pause": {Status.PAUSED, *CLOSED},
    "resume": {Status.ACCEPTED, *CLOSED},
    "withdraw": {Status.WITHDRAWN},
}


@dataclass
class Context:
    """Who applies the rows, for which region, in which run."""

    actor: User
    region: Region
    run: ExchangeRun


def _record(ctx: Context, table: str, key: str) -> ExchangeRecord | None:
    return ExchangeRecord.objects.filter(region=ctx.region, table=table, key=key).first()


def _remember(ctx: Context, table: str, key: str, approval=None) -> None:
    ExchangeRecord.objects.create(
        region=ctx.region, table=table, key=key, approval=approval, run=ctx.run
    )


def _division(ctx: Context, values: dict, code: str) -> None:
    given = text(values, "XZQHDM")
    if given and not given.startswith(ctx.region.prefix):
        refuse(
            "XZQHDM",
            _("the division %(code)s is outside your region %(region)s")
            % {
                "code": given,
                "region": ctx.region.name,
            },
        )


def project_row(ctx: Context, values: dict) -> str:
    """项目基本信息: register the project, or change the fields that differ."""
    data = fields.project_data(values)
    _division(ctx, values, data["code"])
    project = Project.objects.visible_to(ctx.actor).filter(code=data["code"]).first()
    if project is not None:
        changed = {k: v for k, v in data.items() if not fields.same(getattr(project, k), v)}
        if not changed:
            return UNCHANGED
        project_services.update_project(project=project, data=changed, actor=ctx.actor)
        return APPLIED
    problem = validate_project_code(data["code"])
    if problem:
        refuse("XMDM", problem)
    project_services.division_region(data["code"], actor=ctx.actor)  # another district's code
    credit = text(values, "DWTYSHXYDM", required=True, limit=18)
    owner = Organization.objects.visible_to(ctx.actor).filter(credit_code=credit).first()
    if owner is None:
        refuse(
            "DWTYSHXYDM",
            _("no project owner with credit code %(code)s in your region") % {"code": credit},
        )
    data["owner"] = owner.pk
    project_services.create_project(data=data, actor=ctx.actor)
    return APPLIED


def _approval(ctx: Context, values: dict) -> Approval:
    case_no = text(values, "SPSXSLBM", required=True, limit=100)
    record = _record(ctx, CASE, case_no)
    if record is None or record.approval_id is None:
        refuse(
            "SPSXSLBM",
            _("unknown case number %(no)s: send its 办件信息 (%(table)s) first")
            % {
                "no": case_no,
                "table": CASE,
            },
        )
    return Approval.objects.select_related("project", "matter", "department").get(
        pk=record.approval_id
    )


def case_row(ctx: Context, values: dict) -> str:
    """办件信息: link the case number to the project's approval of the matter (opened if the
    project lacks it)."""
    case_no = text(values, "SPSXSLBM", required=True, limit=100)
    code = text(values, "GCDM", required=True, limit=24)
    matter = text(values, "SPSXBM", required=True, limit=40)
    _division(ctx, values, code)
    project = Project.objects.visible_to(ctx.actor).filter(code=code).first()
    if project is None:
        refuse("GCDM", _("no project with code %(code)s in your region") % {"code": code})
    record = _record(ctx, CASE, case_no)
    if record is not None:
        linked = Approval.objects.filter(pk=record.approval_id).select_related("project", "matter")
        a = linked.first()
        if a is not None and a.project_id == project.pk and a.matter.code == matter:
            return UNCHANGED
        refuse(
            "SPSXSLBM", _("the case number %(no)s belongs to another approval") % {"no": case_no}
        )
    approval = project.approvals.filter(matter__code=matter).first()
    if approval is None:
        approval = project_services.add_matter(
            project=project, matter=matter, reason=f"工改系统办件 {case_no}", actor=ctx.actor
        )
    elif ExchangeRecord.objects.filter(region=ctx.region, table=CASE, approval=approval).exists():
        refuse("SPSXSLBM", _("this approval has another case number already"))
    _remember(ctx, CASE, case_no, approval)
    return APPLIED


def department_actor(approval: Approval, name: str = "") -> User:
    """The department's approver who acted (named by 办理人 when the platform knows them),
    else the department's first active approver; the run's audit context marks the source."""
    staff = User.objects.filter(
        role=Role.APPROVER, department_id=approval.department_id, is_active=True
    ).order_by("pk")
    named = [u for u in staff if name and name in (u.username, u.display_name)]
    actor = named[0] if named else staff.first()
    if actor is None:
        refuse(
            "BLR",
            _("the department %(dept)s has no approver account")
            % {"dept": approval.department.name},
        )
    return actor


def _move(ctx: Context, approval: Approval, action: str, *, at, reason: str, who: str) -> None:
    pause_reason = ""
    if action.startswith("pause:"):
        action, pause_reason = "pause", action.split(":", 1)[1]
    side_department = action in ("accept", "pause", "resume")
    actor = department_actor(approval, who) if side_department else ctx.actor
    approval_services.transition(
        approval=approval,
        action=action,
        actor=actor,
        at=at,
        reason=reason,
        pause_reason=pause_reason,
    )


def history_row(ctx: Context, values: dict) -> str:
    """办件过程: one state of the case, applied once by (办件编号, 办理状态, 办理时间)."""
    approval = _approval(ctx, values)
    status = text(values, "BLZT", required=True)
    if status not in STATUS_ACTIONS:
        refuse(
            "BLZT", _("status %(code)s cannot be exchanged; expected 1 to 14") % {"code": status}
        )
    at = fields.moment(values, "BLSJ", required=True)
    key = f"{approval.pk}|{status}|{at.isoformat()}"
    if _record(ctx, HISTORY, key):
        return UNCHANGED
    action = STATUS_ACTIONS[status]
    opinion = text(values, "BLYJ", limit=300)
    if action.startswith("decided:"):
        if approval.status != action.split(":", 1)[1]:
            refuse(
                "BLZT", _("a decision is applied from its 批复 row (%(table)s)") % {"table": RESULT}
            )
        outcome = UNCHANGED
    elif approval.status in ALREADY.get(action.split(":", 1)[0], ()):
        outcome = UNCHANGED
    else:
        reason = opinion or f"工改系统：{STATUS_LABELS.get(status, status)}"
        _move(ctx, approval, action, at=at, reason=reason, who=text(values, "BLR"))
        outcome = APPLIED
    _remember(ctx, HISTORY, key, approval)
    return outcome


STATUS_LABELS = {
    "1": "已接件",
    "2": "已撤件",
    "6": "补正（开始）",
    "9": "特别程序（开始）",
    "14": "撤回",
}


def _reported(approval: Approval, step: str, when) -> bool:
    """Whether the clock already paused (step "start") or resumed ("end") at `when`: the same
    特别程序 reported by the status history (办理状态 9 and 10) as well."""
    field = "started_at" if step == "start" else "ended_at"
    return approval.pauses.filter(**{field: when}).exists()


def special_row(ctx: Context, values: dict) -> str:
    """特别程序: the clock pauses at its start and resumes at its end, each once."""
    approval = _approval(ctx, values)
    kind = text(values, "TBCX", required=True)
    if kind not in SPECIAL_REASONS:
        refuse(
            "TBCX",
            _("unknown code %(value)s; expected one of %(allowed)s")
            % {
                "value": kind,
                "allowed": "、".join(
                    f"{k}={PauseReason(v).label}" for k, v in SPECIAL_REASONS.items()
                ),
            },
        )
    start = fields.moment(values, "TBCXKSSJ", required=True)
    end = fields.moment(values, "TBCXJSSJ")
    if end is not None and end < start:
        refuse("TBCXJSSJ", _("must be later than the start"))
    name = text(values, "TBCXMC", limit=300) or str(PauseReason(SPECIAL_REASONS[kind]).label)
    outcome = UNCHANGED
    base = f"{approval.pk}|{kind}|{start.isoformat()}"
    for step, action, when in (
        ("start", "pause:" + SPECIAL_REASONS[kind], start),
        ("end", "resume", end),
    ):
        if when is None or _record(ctx, SPECIAL, f"{base}|{step}"):
            continue
        approval.refresh_from_db()
        if approval.status not in ALREADY[action.split(":", 1)[0]] and not _reported(
            approval, step, when
        ):
            _move(ctx, approval, action, at=when, reason=name, who="")
            outcome = APPLIED
        _remember(ctx, SPECIAL, f"{base}|{step}", approval)
    return outcome


def result_row(ctx: Context, values: dict) -> str:
    """批复: the department's decision, issued once per (办件编号, 批复文号)."""
    approval = _approval(ctx, values)
    number = text(values, "PFWH", required=True, limit=100)
    key = f"{approval.pk}|{number}"
    if _record(ctx, RESULT, key):
        return UNCHANGED
    code = text(values, "SPJG") or "1"
    if code not in RESULT_OUTCOMES:
        refuse(
            "SPJG",
            _("unknown code %(value)s; expected one of %(allowed)s")
            % {
                "value": code,
                "allowed": "1=准予、2=不予、3=不予受理",
            },
        )
    outcome = RESULT_OUTCOMES[code]
    if approval.status == outcome and approval.decisions.filter(number=number).exists():
        _remember(ctx, RESULT, key, approval)
        return UNCHANGED
    valid = text(values, "PFWJYXQX")
    who = text(values, "BLR", limit=50)
    actor = department_actor(approval, who)
    act = acts.ActInput(
        number=number,
        title=text(values, "PFWJBT", limit=200),
        opinion=text(values, "BLYJ"),
        legal_basis=text(values, "FLYJ", limit=300),
        issued_on=fields.day(values, "PFRQ", required=True),
        valid_until=None if valid[:10] == NO_EXPIRY else fields.day(values, "PFWJYXQX"),
        handler_name=who or actor.display_name,
    )
    # The signed document stays in the 工改 system (FJID is its address): need_file=False.
    acts.decide(approval=approval, outcome=outcome, act=act, actor=actor, need_file=False)
    _remember(ctx, RESULT, key, approval)
    return APPLIED


APPLY = {
    PROJECT: project_row,
    CASE: case_row,
    HISTORY: history_row,
    SPECIAL: special_row,
    RESULT: result_row,
}
