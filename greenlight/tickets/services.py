"""Every change of a problem ticket: intake, assignment, milestones, closing, meeting decisions;
each in one transaction with its timeline entry, audit event and messages. Supervision notices
on a ticket are `greenlight.supervision`'s; they reach the timeline through its hook."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department, User
from greenlight.audit import services as audit
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event
from greenlight.projects.models import Project

from . import attachments as files
from . import clocks, permissions
from .choices import MILESTONES, OPEN_STATUSES, Category, Channel, EventKind, Status
from .models import Attachment, IdempotencyKey, Ticket, TicketEvent

NEXT = {"feedback": Status.REPORTED, "path": Status.FEEDBACK, "progress": Status.PATH}


def _required(value: str, field: str) -> str:
    if not (value or "").strip():
        raise InvalidInput(_("this field is required"), field=field)
    return value.strip()


def _url(ticket: Ticket) -> str:
    return f"/tickets/{ticket.pk}/"


def _staff(region, role) -> list[User]:
    return list(User.objects.filter(region=region, role=role, is_active=True))


def _department_staff(ticket: Ticket) -> list[User]:
    ids = permissions.department_ids(ticket)
    return list(User.objects.filter(department_id__in=ids, role=Role.APPROVER, is_active=True))


def _company_users(ticket: Ticket) -> list[User]:
    return list(User.objects.filter(organization_id=ticket.project.owner_id, is_active=True))


def _lock(ticket: Ticket) -> Ticket:
    """Lock the ticket's row for this transaction and reload the caller's instance."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").first()
    ticket.refresh_from_db()
    return ticket


def _event(ticket: Ticket, kind: str, *, actor=None, at=None, text: str = "", **ref) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=actor, at=at or timezone.now(), text=text, **ref
    )


def _tell(ticket: Ticket, users: Iterable, event: TicketEvent, title: str) -> None:
    notifications.notify(
        users=users,
        event=Event.TICKET,
        key=f"ticket:{ticket.pk}:{event.kind}:{event.pk}",
        title=f"{title}：{ticket.title}",
        body=f"{ticket.project.name} · {event.text[:200]}",
        url=_url(ticket),
        region=ticket.project.region,
        department=ticket.lead_department,
    )


# -- intake ---------------------------------------------------------------------------------


def check_fields(*, title: str, category: str, channel: str, actor) -> None:
    """Refuse a missing title or category and a channel the reporter may not use."""
    _required(title, "title")
    if len(title.strip()) > 200:
        raise InvalidInput(_("at most %(n)s characters") % {"n": 200}, field="title")
    if category not in Category.values:
        raise InvalidInput(
            _("must be one of %(expected)s") % {"expected": ", ".join(Category.values)},
            field="category",
        )
    allowed = (Channel.WEB, Channel.API, Channel.EXCEL)
    if actor.role != Role.COMPANY:
        allowed += (Channel.PHONE, Channel.VISIT, Channel.MEETING)
    if channel not in allowed:
        raise InvalidInput(
            _("must be one of %(expected)s") % {"expected": ", ".join(allowed)}, field="channel"
        )


def report(
    *,
    actor,
    project: Project,
    title: str,
    category: str,
    description: str = "",
    channel: str = Channel.WEB,
    reported_at: datetime | None = None,
    uploads: Iterable = (),
    notify: bool = True,
) -> Ticket:
    """A company or a staff member reports a blocking problem of a visible project; the three
    clocks start from the report time (kept as given for imports and phone records)."""
    if not permissions.can_report(actor):
        raise NotPermitted(_("Your role may not report problems."))
    if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise Http404
    check_fields(title=title, category=category, channel=channel, actor=actor)
    now = timezone.now()
    at = reported_at or now
    if at > now + timedelta(minutes=5):
        raise InvalidInput(_("may not be in the future"), field="reported_at")
    uploads = list(uploads)
    checked = [(u, *files.check(u)) for u in uploads]
    due = clocks.dues(at, project.region)
    with transaction.atomic():
        ticket = Ticket.objects.create(
            project=project,
            title=title.strip(),
            description=description or "",
            category=category,
            channel=channel,
            reporter=actor,
            reported_at=at,
            feedback_due=due["feedback"],
            path_due=due["path"],
            progress_due=due["progress"],
        )
        event = _event(ticket, EventKind.REPORTED, actor=actor, at=at, text=ticket.description)
        for upload, ext, content_type in checked:
            _store(ticket, upload, ext, content_type, actor=actor, at=now)
        audit.record(
            ticket,
            "ticket_reported",
            actor=actor,
            changes={"title": ticket.title, "category": category, "channel": channel, **due},
        )
        if notify:
            _tell(ticket, _staff(project.region, Role.COORDINATOR), event, _("New problem"))
    return ticket


def report_once(*, actor, key: str, body_hash: str, **fields) -> tuple[Ticket, bool]:
    """`report` behind an Idempotency-Key: the same key and body returns the first ticket
    (created False); the same key with another body is refused with 422."""
    if len(key) > 100:
        raise InvalidInput(_("at most %(n)s characters") % {"n": 100}, field="Idempotency-Key")
    found = _keyed(actor, key, body_hash)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            ticket = report(actor=actor, **fields)
            IdempotencyKey.objects.create(user=actor, key=key, body_hash=body_hash, ticket=ticket)
    except IntegrityError:  # a concurrent request with the same key won the race
        found = _keyed(actor, key, body_hash)
        if found is None:
            raise
        return found, False
    return ticket, True


def _keyed(actor, key: str, body_hash: str) -> Ticket | None:
    row = IdempotencyKey.objects.filter(user=actor, key=key).select_related("ticket").first()
    if row is None:
        return None
    if row.body_hash != body_hash:
        raise InvalidInput(
            _("this Idempotency-Key was used with a different request body"),
            field="Idempotency-Key",
            code="idempotency_mismatch",
        )
    return row.ticket


def _store(ticket, upload, ext, content_type, *, actor, at) -> Attachment:
    att = Attachment(
        ticket=ticket,
        token=uuid.uuid4().hex,
        extension=ext,
        name=os.path.basename(upload.name)[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor,
        uploaded_at=at,
    )
    att.file.save(f"{att.token}{ext}", upload, save=False)
    att.save()
    return att


def attach(*, ticket: Ticket, actor, uploads: Iterable) -> list[Attachment]:
    """Add files to a ticket (the company, its departments, coordinators)."""
    if not permissions.can_attach(actor, ticket):
        raise NotPermitted(_("Your role may not add files to this ticket."))
    checked = [(u, *files.check(u)) for u in uploads]
    if not checked:
        raise InvalidInput(_("this field is required"), field="attachments")
    now = timezone.now()
    with transaction.atomic():
        rows = [_store(ticket, u, e, c, actor=actor, at=now) for u, e, c in checked]
        _event(
            ticket, EventKind.ATTACHMENT, actor=actor, at=now, text=", ".join(a.name for a in rows)
        )
        audit.record(
            ticket, "ticket_attached", actor=actor, changes={"files": [a.name for a in rows]}
        )
    return rows


# -- assignment and work --------------------------------------------------------------------


def assign(
    *, ticket: Ticket, actor, lead: Department, cooperating: Iterable[Department] = ()
) -> Ticket:
    """A coordinator names the lead department and the cooperating ones (region's own only)."""
    if not permissions.can_assign(actor, ticket):
        raise NotPermitted(_("Only coordinators assign departments to an open ticket."))
    region_id = ticket.project.region_id
    coop = [d for d in cooperating if d.pk != lead.pk]
    for field, dept in [("lead_department", lead)] + [("cooperating_departments", d) for d in coop]:
        if dept.region_id != region_id:
            raise InvalidInput(_("a department of the project's district is required"), field=field)
    with transaction.atomic():
        ticket = _lock(ticket)
        ticket.lead_department, ticket.assigned_at = lead, timezone.now()
        ticket.save(update_fields=["lead_department", "assigned_at"])
        ticket.cooperating_departments.set(coop)
        names = "、".join([lead.name] + [d.name for d in coop])
        event = _event(ticket, EventKind.ASSIGNED, actor=actor, text=names)
        audit.record(
            ticket,
            "ticket_assigned",
            actor=actor,
            changes={"lead": lead.pk, "cooperating": [d.pk for d in coop]},
        )
        _tell(ticket, _department_staff(ticket), event, _("Problem assigned to you"))
    return ticket


def record_milestone(*, ticket: Ticket, actor, milestone: str, text: str, at=None) -> Ticket:
    """A department records feedback (who handles it), the solution path, or progress, in order;
    progress may be reported again later (the first one stops the clock)."""
    if milestone not in MILESTONES:
        raise InvalidInput(_("unknown milestone"), field="milestone")
    if not permissions.can_work(actor, ticket):
        raise NotPermitted(_("Only the assigned departments act on this ticket."))
    text = _required(text, "text")
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        repeat = milestone == "progress" and ticket.status == Status.PROGRESS
        if not repeat and ticket.status != NEXT[milestone]:
            raise Conflict(
                _("not possible while the ticket is %(status)s")
                % {"status": Status(ticket.status).label},
                field="milestone",
            )
        if not repeat:
            ticket.status = milestone
            setattr(ticket, f"{milestone}_at", at)
            ticket.save(update_fields=["status", f"{milestone}_at"])
        event = _event(ticket, milestone, actor=actor, at=at, text=text)
        audit.record(ticket, f"ticket_{milestone}_recorded", actor=actor, changes={"text": text})
        _tell(ticket, _company_users(ticket) + [ticket.reporter], event, event.kind_label)
    return ticket


def resolve(*, ticket: Ticket, actor, text: str, at=None) -> Ticket:
    """The lead department declares the problem solved; milestones not met are met now."""
    if not permissions.can_resolve(actor, ticket):
        raise NotPermitted(_("Only the lead department resolves this ticket."))
    text = _required(text, "text")
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status not in OPEN_STATUSES:
            raise Conflict(_("the ticket is not open"), field="status")
        for m in MILESTONES:
            if getattr(ticket, f"{m}_at") is None:
                setattr(ticket, f"{m}_at", at)
        ticket.status, ticket.resolved_at = Status.RESOLVED, at
        ticket.save()
        event = _event(ticket, EventKind.RESOLVED, actor=actor, at=at, text=text)
        audit.record(ticket, "ticket_resolved", actor=actor, changes={"text": text})
        _tell(ticket, _company_users(ticket) + [ticket.reporter], event, _("Problem resolved"))
    return ticket


def close(*, ticket: Ticket, actor, satisfaction: int, comment: str = "", at=None) -> Ticket:
    """The company confirms the resolution and scores it 1 to 5."""
    if not permissions.can_close(actor, ticket):
        raise NotPermitted(_("Only the project's company confirms a resolved ticket."))
    if satisfaction is None or not 1 <= int(satisfaction) <= 5:
        raise InvalidInput(_("must be between 1 and 5"), field="satisfaction")
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        ticket.status, ticket.closed_at = Status.CLOSED, at
        ticket.satisfaction, ticket.satisfaction_comment = int(satisfaction), comment or ""
        ticket.save(update_fields=["status", "closed_at", "satisfaction", "satisfaction_comment"])
        text = f"{'★' * ticket.satisfaction}{'☆' * (5 - ticket.satisfaction)} {comment}".strip()
        event = _event(ticket, EventKind.CLOSED, actor=actor, at=at, text=text)
        audit.record(
            ticket,
            "ticket_closed",
            actor=actor,
            changes={"satisfaction": ticket.satisfaction, "comment": comment},
        )
        _tell(ticket, _department_staff(ticket), event, _("Closing confirmed"))
    return ticket


def reopen(*, ticket: Ticket, actor, reason: str, at=None) -> Ticket:
    """The company or a coordinator reopens a resolved or closed ticket with a reason."""
    if not permissions.can_reopen(actor, ticket):
        raise NotPermitted(_("Your role may not reopen this ticket."))
    reason = _required(reason, "reason")
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        ticket.status, ticket.reopen_count = Status.REOPENED, ticket.reopen_count + 1
        ticket.resolved_at = ticket.closed_at = ticket.satisfaction = None
        ticket.satisfaction_comment = ""
        ticket.save()
        event = _event(ticket, EventKind.REOPENED, actor=actor, at=at, text=reason)
        audit.record(ticket, "ticket_reopened", actor=actor, changes={"reason": reason})
        users = _department_staff(ticket) + _staff(ticket.project.region, Role.COORDINATOR)
        _tell(ticket, users, event, _("Problem reopened"))
    return ticket


def comment(*, ticket: Ticket, actor, text: str) -> TicketEvent:
    """A comment on the timeline by the company, an assigned department or a coordinator."""
    if not permissions.can_comment(actor, ticket):
        raise NotPermitted(_("Your role may not comment on this ticket."))
    text = _required(text, "text")
    with transaction.atomic():
        event = _event(ticket, EventKind.COMMENT, actor=actor, text=text)
        audit.record(ticket, "ticket_commented", actor=actor, changes={"text": text})
    return event


# -- supervision and coordination -----------------------------------------------------------


def on_notice_issued(*, notice, subject, actor, at) -> None:
    """Receiver of `supervision.hooks.notice_issued`: a notice on a ticket goes on its timeline,
    linked to the notice (the notice itself, its reply and messages: `supervision.services`)."""
    if not isinstance(subject, Ticket):
        return
    _event(
        subject,
        EventKind.NOTICE,
        actor=actor,
        at=at,
        text=notice.text,
        ref_type=notice._meta.label_lower,
        ref_id=str(notice.pk),
        ref_repr=f"{notice.department.name} · {timezone.localtime(notice.reply_due):%Y-%m-%d %H:%M}",
    )


def record_meeting_decision(*, ticket: Ticket, meeting, decision: str, actor) -> TicketEvent:
    """Write a joint meeting's decision onto the ticket's timeline (called by the joint review);
    the meeting is kept as a generic reference: its type, id and name."""
    decision = _required(decision, "decision")
    with transaction.atomic():
        event = _event(
            ticket,
            EventKind.MEETING,
            actor=actor,
            text=decision,
            ref_type=getattr(getattr(meeting, "_meta", None), "label_lower", "meeting"),
            ref_id=str(getattr(meeting, "pk", "")),
            ref_repr=str(meeting)[:300],
        )
        audit.record(
            ticket,
            "ticket_meeting_decided",
            actor=actor,
            changes={"meeting": event.ref_id, "decision": decision},
        )
        _tell(
            ticket, _company_users(ticket) + _department_staff(ticket), event, _("Meeting decision")
        )
    return event
