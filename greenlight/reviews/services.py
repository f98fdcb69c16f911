"""Every change of the joint review: issue a batch, record opinions, schedule a meeting, record
its minutes, feed back on action items. Each in one transaction, with the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department, User
from greenlight.approvals.choices import OPEN_STATUSES
from greenlight.approvals.models import Approval
from greenlight.audit import services as audit
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event
from greenlight.projects.models import Project
from greenlight.tickets import selectors as ticket_selectors
from greenlight.tickets import services as ticket_services

from . import permissions
from .choices import RECORDABLE_KINDS, OpinionKind, Outcome
from .models import (
    ActionItem,
    Batch,
    BatchDepartment,
    BatchProject,
    Decision,
    Meeting,
    Opinion,
)

MAX_PROJECTS = 1000
DEFAULT_MEETING_HOURS = 2


def _require_runner(actor) -> None:
    if not permissions.can_run(actor):
        raise NotPermitted(_("Only the command office runs joint review batches and meetings."))


def approvers_of(department_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active approvers of each department, by department id."""
    out: dict[int, list[User]] = {}
    for u in User.objects.filter(
        department_id__in=list(department_ids), role=Role.APPROVER, is_active=True
    ):
        out.setdefault(u.department_id, []).append(u)
    return out


def _notify_departments(batch: Batch, *, event: str, key: str, title: str, body: str, url: str):
    """One inbox message per approver of each involved department; webhooks of the region (and
    of each department) get the event once."""
    departments = list(Department.objects.filter(pk__in=batch_department_ids(batch)))
    staff = approvers_of(d.pk for d in departments)
    for dept in departments:
        notifications.notify(
            users=staff.get(dept.pk, []),
            event=event,
            key=key,
            title=title,
            body=body,
            url=url,
            region=batch.region,
            department=dept,
        )


def batch_department_ids(batch: Batch) -> list[int]:
    """Ids of the departments involved in `batch`."""
    return list(batch.departments.values_list("department_id", flat=True))


def opinion_deadline(issued: date, workdays: int) -> date:
    """The day opinions are due: `workdays` working days after the issue day."""
    return current_calendar().add_workdays(issued, workdays)


def issue_batch(
    *,
    title: str,
    projects: Iterable[Project],
    actor,
    opinion_workdays: int = 5,
    note: str = "",
    at: datetime | None = None,
    as_of: datetime | None = None,
) -> Batch:
    """Issue the project list (step 1): the departments are those with open approvals on the
    projects; each gets an opinion row per project × matter, and its approvers are notified.

    `as_of` (a batch recorded after the fact, at its historical moment): the approvals open
    at that moment (not decided by then) instead of those open now."""
    _require_runner(actor)
    at = at or timezone.now()
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("this field is required"), field="title")
    if not 1 <= int(opinion_workdays) <= 30:
        raise InvalidInput(_("must be between 1 and 30 working days"), field="opinion_workdays")
    chosen = {p.pk: p for p in projects}
    if not chosen:
        raise InvalidInput(_("select at least one project"), field="project_ids")
    if len(chosen) > MAX_PROJECTS:
        raise InvalidInput(
            _("at most %(n)s projects per batch") % {"n": MAX_PROJECTS}, field="project_ids"
        )
    prefix = actor.region.prefix
    foreign = [p.code for p in chosen.values() if not p.region.code.startswith(prefix)]
    if foreign:
        raise InvalidInput(
            _("not a project of your region: %(codes)s") % {"codes": ", ".join(foreign[:5])},
            field="project_ids",
        )
    still_open = Q(status__in=OPEN_STATUSES)
    if as_of is not None:  # open now, or decided only after that moment
        still_open |= Q(decided_at__gt=as_of)
    open_rows = list(
        Approval.objects.filter(still_open, project_id__in=chosen).values_list(
            "id", "project_id", "matter_id", "department_id"
        )
    )
    if not open_rows:
        raise InvalidInput(
            _("the selected projects have no open approvals, so no department is involved"),
            field="project_ids",
        )
    with transaction.atomic():
        batch = Batch.objects.create(
            region=actor.region,
            title=title[:200],
            issued_at=at,
            issued_by=actor,
            note=note,
            opinion_due=opinion_deadline(timezone.localdate(at), int(opinion_workdays)),
        )
        BatchProject.objects.bulk_create(
            [BatchProject(batch=batch, project_id=pk) for pk in sorted(chosen)]
        )
        departments = sorted({row[3] for row in open_rows})
        BatchDepartment.objects.bulk_create(
            [BatchDepartment(batch=batch, department_id=d) for d in departments]
        )
        Opinion.objects.bulk_create(
            [
                Opinion(batch=batch, approval_id=a, project_id=p, matter_id=m, department_id=d)
                for a, p, m, d in open_rows
            ],
            batch_size=1000,
        )
        audit.record(
            batch,
            "batch_issued",
            actor=actor,
            changes={"projects": sorted(chosen), "departments": departments},
        )
        _notify_departments(
            batch,
            event=Event.BATCH_ISSUED,
            key=f"batch:{batch.pk}:issued",
            title=_("Joint review batch issued: %(t)s") % {"t": batch.title},
            body=_("%(n)s projects; early-intervention opinions due %(d)s")
            % {"n": len(chosen), "d": batch.opinion_due},
            url=f"/reviews/{batch.pk}/",
        )
    return batch


def record_opinion(
    *, opinion: Opinion, kind: str, text: str = "", actor, at: datetime | None = None
) -> Opinion:
    """A department records (or revises) its early-intervention opinion on a project × matter."""
    if not permissions.can_record_opinion(actor, opinion):
        raise NotPermitted(
            _("Only approvers of %(d)s record this opinion.") % {"d": opinion.department}
        )
    if kind not in RECORDABLE_KINDS:
        raise InvalidInput(
            _("must be one of %(expected)s") % {"expected": ", ".join(RECORDABLE_KINDS)},
            field="kind",
        )
    text = (text or "").strip()
    if kind != OpinionKind.NO_OBJECTION and not text:
        raise InvalidInput(_("say what the project should do"), field="text")
    with transaction.atomic():
        before = opinion.kind
        opinion.kind, opinion.text = kind, text
        opinion.recorded_at, opinion.recorded_by = at or timezone.now(), actor
        opinion.save(update_fields=["kind", "text", "recorded_at", "recorded_by"])
        audit.record(
            opinion,
            "opinion_recorded",
            actor=actor,
            changes={"kind": [before, kind], "text": text},
            region=opinion.batch.region,
        )
    return opinion


def _minute(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.replace(second=0, microsecond=0)


def _check_times(
    starts_at: datetime, ends_at: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """Both ends on whole minutes, aware; the start in the future, the end after it."""
    if starts_at is None:
        raise InvalidInput(_("this field is required"), field="starts_at")
    starts_at = _minute(starts_at)
    if starts_at <= now:
        raise InvalidInput(_("the meeting cannot be in the past"), field="starts_at")
    ends_at = _minute(ends_at or starts_at + timedelta(hours=DEFAULT_MEETING_HOURS))
    if ends_at <= starts_at:
        raise InvalidInput(_("must be after the start"), field="ends_at")
    return starts_at, ends_at


def _notify_meeting(meeting: Meeting, *, changed: bool) -> None:
    label = _("Meeting changed") if changed else _("Meeting scheduled")
    local = timezone.localtime(meeting.starts_at)
    _notify_departments(
        meeting.batch,
        event=Event.MEETING_SCHEDULED,
        key=f"meeting:{meeting.pk}:seq{meeting.sequence}",
        title=f"{label}：{meeting.batch.title}",
        body=f"{local:%Y-%m-%d %H:%M} · {meeting.place}",
        url=f"/reviews/meetings/{meeting.pk}/",
    )


def schedule_meeting(
    *,
    batch: Batch,
    starts_at: datetime,
    place: str,
    actor,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Schedule the joint review meeting (step 3); the involved departments are invited."""
    _require_runner(actor)
    starts_at, ends_at = _check_times(starts_at, ends_at, now or timezone.now())
    if not (place or "").strip():
        raise InvalidInput(_("this field is required"), field="place")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            batch=batch, starts_at=starts_at, ends_at=ends_at, place=place.strip(), created_by=actor
        )
        audit.record(
            meeting,
            "meeting_scheduled",
            actor=actor,
            changes={"starts_at": starts_at, "ends_at": ends_at, "place": meeting.place},
            region=batch.region,
        )
        _notify_meeting(meeting, changed=False)
    return meeting


def change_meeting(
    *,
    meeting: Meeting,
    actor,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    place: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Move or relocate a meeting not yet minuted; attendees get a new notice and .ics sequence."""
    _require_runner(actor)
    if meeting.minutes_at is not None:
        raise Conflict(_("the minutes are recorded; the meeting cannot change"), field="starts_at")
    new_start = starts_at or meeting.starts_at
    if ends_at is None and starts_at is not None:
        ends_at = new_start + (meeting.ends_at - meeting.starts_at)
    new_start, new_end = _check_times(new_start, ends_at or meeting.ends_at, now or timezone.now())
    new_place = (place if place is not None else meeting.place).strip()
    if not new_place:
        raise InvalidInput(_("this field is required"), field="place")
    changes = {
        k: [old, new]
        for k, old, new in (
            ("starts_at", meeting.starts_at, new_start),
            ("ends_at", meeting.ends_at, new_end),
            ("place", meeting.place, new_place),
        )
        if old != new
    }
    if not changes:
        return meeting
    with transaction.atomic():
        meeting.starts_at, meeting.ends_at, meeting.place = new_start, new_end, new_place
        meeting.sequence += 1
        meeting.save(update_fields=["starts_at", "ends_at", "place", "sequence"])
        audit.record(
            meeting, "meeting_changed", actor=actor, changes=changes, region=meeting.batch.region
        )
        _notify_meeting(meeting, changed=True)
    return meeting


def _decision_rows(meeting: Meeting, decisions: list[dict]) -> list[tuple[int, str, str]]:
    on_batch = set(meeting.batch.items.values_list("project_id", flat=True))
    rows = []
    for i, d in enumerate(decisions):
        pid = d.get("project_id")
        if pid not in on_batch:
            raise InvalidInput(_("not a project of this batch"), field=f"decisions.{i}.project_id")
        if d.get("outcome") not in Outcome.values:
            raise InvalidInput(
                _("must be one of %(expected)s") % {"expected": ", ".join(Outcome.values)},
                field=f"decisions.{i}.outcome",
            )
        rows.append((pid, d["outcome"], (d.get("text") or "").strip()))
    return rows


def _item_rows(meeting: Meeting, items: list[dict]) -> list[dict]:
    batch = meeting.batch
    on_batch = set(batch.items.values_list("project_id", flat=True))
    involved = set(batch_department_ids(batch))
    day = timezone.localdate(meeting.starts_at)
    rows = []
    for i, it in enumerate(items):
        where = f"action_items.{i}"
        if it.get("project_id") is not None and it["project_id"] not in on_batch:
            raise InvalidInput(_("not a project of this batch"), field=f"{where}.project_id")
        if it.get("department_id") not in involved:
            raise InvalidInput(
                _("not a department involved in this batch"), field=f"{where}.department_id"
            )
        if not (it.get("text") or "").strip():
            raise InvalidInput(_("this field is required"), field=f"{where}.text")
        due = it.get("due")
        if not isinstance(due, date) or due < day:
            raise InvalidInput(_("must be on or after the meeting day"), field=f"{where}.due")
        ticket = None
        if it.get("ticket_id") is not None:
            ticket = ticket_selectors.open_ticket(ticket_id=it["ticket_id"], project_ids=on_batch)
            if ticket is None:
                raise InvalidInput(
                    _("not an open problem ticket of this batch's projects"),
                    field=f"{where}.ticket_id",
                )
        rows.append({**it, "text": it["text"].strip(), "ticket": ticket})
    return rows


def record_minutes(
    *,
    meeting: Meeting,
    actor,
    summary: str | None = None,
    decisions: list[dict] = (),
    action_items: list[dict] = (),
    at: datetime | None = None,
) -> Meeting:
    """Record the minutes (会议纪要): a decision per project (replacing an earlier one) and new
    action items with owner department and deadline; tickets they concern hear of it."""
    _require_runner(actor)
    decision_rows = _decision_rows(meeting, list(decisions))
    item_rows = _item_rows(meeting, list(action_items))
    if summary is None and not decision_rows and not item_rows:
        raise InvalidInput(_("nothing to record"), field="decisions")
    with transaction.atomic():
        for pid, outcome, text in decision_rows:
            Decision.objects.update_or_create(
                meeting=meeting,
                project_id=pid,
                defaults={"outcome": outcome, "text": text, "decided_by": actor},
            )
        created = []
        for row in item_rows:
            item = ActionItem.objects.create(
                meeting=meeting,
                project_id=row.get("project_id"),
                department_id=row["department_id"],
                text=row["text"],
                due=row["due"],
                ticket_id=row.get("ticket_id"),
            )
            created.append(item.pk)
            if row["ticket"] is not None:
                ticket_services.record_meeting_decision(
                    ticket=row["ticket"], meeting=meeting, decision=row["text"], actor=actor
                )
        if summary is not None:
            meeting.summary = summary.strip()
        meeting.minutes_at = meeting.minutes_at or at or timezone.now()
        meeting.save(update_fields=["summary", "minutes_at"])
        audit.record(
            meeting,
            "minutes_recorded",
            actor=actor,
            changes={"decisions": [r[:2] for r in decision_rows], "action_items": created},
            region=meeting.batch.region,
        )
    return meeting


def feed_back(*, item: ActionItem, text: str, actor, at: datetime | None = None) -> ActionItem:
    """The owner department feeds back on its action item (限时反馈), once."""
    if not permissions.can_feed_back(actor, item):
        raise NotPermitted(
            _("Only approvers of %(d)s feed back on this item.") % {"d": item.department}
        )
    if not (text or "").strip():
        raise InvalidInput(_("this field is required"), field="feedback")
    if item.feedback_at is not None:
        raise Conflict(_("feedback was already given"), field="feedback")
    with transaction.atomic():
        item.feedback, item.feedback_at, item.feedback_by = (
            text.strip(),
            at or timezone.now(),
            actor,
        )
        item.save(update_fields=["feedback", "feedback_at", "feedback_by"])
        audit.record(
            item,
            "action_item_fed_back",
            actor=actor,
            changes={"feedback": item.feedback, "due": item.due},
            region=item.meeting.batch.region,
        )
    return item
