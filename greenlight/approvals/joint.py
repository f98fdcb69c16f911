"""一口受理 joint cases: a catalog bundle's matters handled as one case — one submission, one
acceptance by the lead department, one shared clock with the bundle's committed limit (paused
for all when one member pauses), members reviewed side by side and decided together."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import median

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.catalog.calendars import current as current_calendar
from greenlight.catalog.models import Bundle
from greenlight.engine import clocks as engine_clocks
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.kernel.roles import Role

from . import acts, permissions, services, workflow
from .choices import OUTCOME_ACTION, Outcome, Status
from .models import Approval, JointCase, Pause, PreparedAct

# the moves of a joint case: which side takes each (the lead department accepts)
CASE_ACTIONS = {
    "submit": "applicant",
    "accept": "lead",
    "pause": "member",
    "resume": "member",
    "withdraw": "applicant",
}
OPENABLE = frozenset({Status.NOT_STARTED, Status.CONSULTING})
REFUSALS_AND_GRANT = {Outcome.APPROVED, Outcome.REJECTED}


def members(case: JointCase) -> list[Approval]:
    """The case's approvals, lead department's first, then by matter code."""
    rows = list(
        case.members.select_related("matter", "department", "project").order_by("matter__code")
    )
    rows.sort(key=lambda a: (a.department_id != case.lead_department_id, a.matter.code))
    return rows


def bundle_for(approval: Approval) -> Bundle | None:
    """The bundle a still-unsubmitted approval could be handled in, with all its siblings
    present and unsubmitted in the project (None otherwise)."""
    if approval.joint_case_id or approval.status not in OPENABLE:
        return None
    for bundle in Bundle.objects.filter(matters=approval.matter_id).prefetch_related("matters"):
        wanted = {m.pk for m in bundle.matters.all()}
        sibs = Approval.objects.filter(project_id=approval.project_id, matter_id__in=wanted)
        if sibs.count() == len(wanted) and not sibs.exclude(status__in=OPENABLE).exists():
            if not sibs.filter(joint_case__isnull=False).exists():
                return bundle
    return None


def _applicant(user, project) -> bool:
    if user.role == Role.COMPANY:
        return project.owner_id == user.organization_id
    return user.role == Role.COORDINATOR and user.region_id == project.region_id


def may_open(user, approval: Approval) -> bool:
    """Whether `user` (the project's applicant side) may ask for 一口受理 on `approval`."""
    return user.is_authenticated and _applicant(user, approval.project)


def may(user, case: JointCase, action: str) -> bool:
    """Whether `user` may take `action` on the case (visibility is checked before this)."""
    if not user.is_authenticated or action not in CASE_ACTIONS:
        return False
    side = CASE_ACTIONS[action]
    if side == "applicant":
        return _applicant(user, case.project)
    if user.role != Role.APPROVER:
        return False
    if side == "lead":
        return user.department_id == case.lead_department_id
    return case.members.filter(department_id=user.department_id).exists()


def open_case(*, approval: Approval, actor, at: datetime | None = None) -> JointCase:
    """The applicant chooses 一口受理 for the bundle `approval` belongs to: one case with every
    member; the lead department is that of the member no other member's result depends on."""
    bundle = bundle_for(approval)
    if bundle is None:
        raise Conflict(
            _(
                "this approval cannot be handled jointly: its bundle's approvals are not all "
                "present and unsubmitted"
            ),
            field="bundle",
            code="no_bundle",
        )
    if not _applicant(actor, approval.project):
        raise NotPermitted(_("Your role may not open a joint case for this project."))
    at = at or timezone.now()
    with transaction.atomic():
        rows = list(
            Approval.objects.select_for_update()
            .filter(project_id=approval.project_id, matter__in=bundle.matters.all())
            .select_related("matter")
        )
        inside = {a.matter_id for a in rows}
        first = sorted(
            rows,
            key=lambda a: (
                bool(set(a.matter.required_results.values_list("pk", flat=True)) & inside),
                a.matter.code,
            ),
        )[0]
        case = JointCase.objects.create(
            project_id=approval.project_id, bundle=bundle, lead_department_id=first.department_id
        )
        Approval.objects.filter(pk__in=[a.pk for a in rows]).update(joint_case=case)
        Approval.objects.filter(pk=first.pk).update(joint_lead=True)
        audit.record(
            case,
            "joint_case_opened",
            actor=actor,
            changes={"bundle": bundle.code, "members": [a.matter.code for a in rows]},
            at=at,
        )
    return case


def due_at(case: JointCase, *, pauses=None) -> datetime | None:
    """The shared clock: acceptance + the bundle's committed limit, paused spans excluded."""
    if case.accepted_at is None:
        return None
    lead = members(case)[0]
    spans = (
        pauses if pauses is not None else [(p.started_at, p.ended_at) for p in lead.pauses.all()]
    )
    local = [(timezone.localtime(b), e and timezone.localtime(e)) for b, e in spans]
    return engine_clocks.due(
        timezone.localtime(case.accepted_at),
        case.bundle.limit,
        case.bundle.unit,
        calendar=current_calendar(),
        pauses=local,
    )


def move_case(
    *,
    case: JointCase,
    action: str,
    actor,
    at: datetime | None = None,
    reason: str = "",
    pause_reason: str = "",
    version: int | None = None,
) -> JointCase:
    """Move the whole case (submit, accept, pause …): every member moves with it in one
    transaction, and the members' due time is the shared clock's."""
    if not any(may(actor, case, a) for a in CASE_ACTIONS):  # a role that may do nothing here
        raise NotPermitted(_("Your role may not %(action)s this joint case.") % {"action": action})
    if action not in CASE_ACTIONS:
        raise InvalidInput(
            _("must be one of %(expected)s") % {"expected": ", ".join(CASE_ACTIONS)},
            field="action",
        )
    if not may(actor, case, action):
        raise NotPermitted(_("Your role may not %(action)s this joint case.") % {"action": action})
    at = at or timezone.now()
    with transaction.atomic():
        current = JointCase.objects.select_for_update().get(pk=case.pk)
        if version is not None and version != current.version:
            raise Conflict(
                _("the joint case was changed by someone else (version %(v)s); reload and retry")
                % {"v": current.version},
                field="version",
                code="stale",
            )
        before = current.status
        current.status = workflow.target(action, current.status)
        if action == "submit":
            current.submitted_at = at
        if action == "accept":
            current.accepted_at = at
        for a in members(current):
            services.move(
                approval=a,
                action=action,
                actor=actor,
                at=at,
                reason=reason,
                pause_reason=pause_reason,
                joint=True,
            )
        if action in ("accept", "resume"):
            current.due_at = due_at(current)
            current.members.update(due_at=current.due_at)
        current.version += 1
        current.save()
        audit.record(
            current,
            f"joint_case_{workflow.EVENT_KIND[action]}",
            actor=actor,
            changes={
                "status": [before, current.status],
                "reason": reason,
                "due_at": current.due_at,
            },
        )
    case.refresh_from_db()
    return case


def prepare(
    *, case: JointCase, approval: Approval, outcome: str, act: acts.ActInput, actor
) -> JointCase:
    """A member's department prepares its act; when every member has one, all are issued
    together in one transaction (一次办结) and the case is decided."""
    approval = Approval.objects.select_related("matter", "project", "department").get(
        pk=approval.pk
    )
    case.refresh_from_db()
    if approval.joint_case_id != case.pk:
        raise InvalidInput(_("this approval is not a member of the joint case"), field="approval")
    expected = {Status.ACCEPTED: REFUSALS_AND_GRANT, Status.SUBMITTED: {Outcome.NOT_ACCEPTED}}
    if outcome not in expected.get(case.status, ()):
        raise Conflict(
            _("the joint case cannot take this decision now (it is %(s)s)")
            % {"s": Status(case.status).label},
            field="outcome",
            code="transition_not_allowed",
        )
    if not permissions.can_act(actor, approval, OUTCOME_ACTION.get(outcome, "approve")):
        raise NotPermitted(_("Your role may not decide this approval."))
    acts.check(act, outcome=outcome, approval=approval, today=timezone.localdate(), need_file=True)
    now = timezone.now()
    with transaction.atomic():
        PreparedAct.objects.filter(approval=approval).delete()
        prepared = PreparedAct(
            approval=approval,
            outcome=outcome,
            fields=_fields(act),
            file_name=(act.document.name.rsplit("/", 1)[-1] if act.document else "")[:200],
            prepared_by=actor,
            prepared_at=now,
        )
        if act.document is not None:
            prepared.file.save(prepared.file_name, act.document, save=False)
        prepared.save()
        audit.record(approval, "joint_member_prepared", actor=actor, changes={"outcome": outcome})
        ready = PreparedAct.objects.filter(approval__joint_case=case).count()
        if ready == case.members.count():
            _issue_all(case, at=now)
    case.refresh_from_db()
    return case


def _fields(act: acts.ActInput) -> dict:
    return {
        "number": act.number,
        "title": act.title,
        "opinion": act.opinion,
        "legal_basis": act.legal_basis,
        "issued_on": act.issued_on.isoformat() if act.issued_on else None,
        "valid_until": act.valid_until.isoformat() if act.valid_until else None,
        "handler_name": act.handler_name,
    }


def _issue_all(case: JointCase, *, at: datetime) -> None:
    """Issue every member's prepared act, then close the case."""
    for a in members(case):
        p = a.prepared_act
        f = p.fields
        act = acts.ActInput(
            number=f["number"],
            title=f["title"],
            opinion=f["opinion"],
            legal_basis=f["legal_basis"],
            issued_on=date.fromisoformat(f["issued_on"]),
            valid_until=date.fromisoformat(f["valid_until"]) if f["valid_until"] else None,
            handler_name=f["handler_name"],
            document=p.file if p.file else None,
            document_name=p.file_name,
        )
        acts.decide(approval=a, outcome=p.outcome, act=act, actor=p.prepared_by, at=at, joint=True)
        p.delete()
    granted = all(m.status == Status.APPROVED for m in members(case))
    JointCase.objects.filter(pk=case.pk).update(
        status=Status.APPROVED if granted else Status.REJECTED,
        decided_at=at,
        version=case.version + 1,
    )
    audit.record(case, "joint_case_decided", changes={"members": [m.pk for m in members(case)]})


def handling_workdays(case: JointCase, *, calendar=None, pauses=()) -> int | None:
    """Working days from the case's acceptance to its decision, paused working days excluded
    (acceptance day not counted: 行政许可法 82), or None while undecided."""
    if case.accepted_at is None or case.decided_at is None:
        return None
    cal = calendar or current_calendar()
    first = timezone.localtime(case.accepted_at).date()
    last = timezone.localtime(case.decided_at).date()
    days = cal.count_workdays(first + timedelta(days=1), last) if last > first else 0
    for begin, end in pauses:
        b = timezone.localtime(begin).date()
        e = timezone.localtime(end or case.decided_at).date()
        if e > b:
            days -= cal.count_workdays(b + timedelta(days=1), e)
    return max(days, 0)


def figures(*, user, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """Per bundle, the joint cases decided (in [start, end)) that `user` may see, each counted
    once with its members: how many, the median and longest handling time in working days,
    how many within the bundle's limit. The case page's "环评 + 排污许可 N 个工作日"."""
    qs = JointCase.objects.visible_to(user).filter(decided_at__isnull=False)
    if start is not None:
        qs = qs.filter(decided_at__gte=start)
    if end is not None:
        qs = qs.filter(decided_at__lt=end)
    cases = list(qs.select_related("bundle").prefetch_related("bundle__matters"))
    lead_pauses: dict[int, list] = {}
    for p in (
        Pause.objects.filter(approval__joint_case__in=cases)
        .order_by("approval__matter__code")
        .values("approval__joint_case_id", "approval_id", "started_at", "ended_at")
    ):
        spans = lead_pauses.setdefault(p["approval__joint_case_id"], {})
        spans.setdefault(p["approval_id"], []).append((p["started_at"], p["ended_at"]))
    cal = current_calendar()
    out: dict[int, dict] = {}
    for case in cases:
        spans = next(iter(lead_pauses.get(case.pk, {}).values()), [])
        days = handling_workdays(case, calendar=cal, pauses=spans)
        row = out.setdefault(
            case.bundle_id,
            {
                "bundle": case.bundle,
                "days": [],
                "members": sorted(m.name for m in case.bundle.matters.all()),
            },
        )
        row["days"].append(days)
    rows = []
    for row in out.values():
        days = sorted(row.pop("days"))
        limit = row["bundle"].limit
        rows.append(
            {
                **row,
                "n": len(days),
                "median": median(days),
                "longest": days[-1],
                "within_limit": sum(1 for d in days if d <= limit),
            }
        )
    return sorted(rows, key=lambda r: r["bundle"].code)
