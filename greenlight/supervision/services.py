"""Issuing and answering supervision notices, on any registered subject: each act in one
transaction with its audit event, its messages and the hook upper apps listen to."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import clocks, hooks, permissions, subjects
from .models import SupervisionNotice


def _required(value, field: str, label) -> str:
    """The stripped text, or a 422 naming the field (its label, in the user's language)."""
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(
            _("%(label)s: this field is required") % {"label": label}, field=field, code="required"
        )
    return text


def _reply_days(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= clocks.MAX_REPLY_WORKDAYS:
        raise InvalidInput(_("must be between 1 and 30 working days"), field="reply_days")
    return days


def _addressee(subject, department):
    """The department the notice goes to: the one asked for if the subject allows it, else the
    subject's default (its first)."""
    allowed = list(subject.supervision_departments())
    if not allowed:
        raise InvalidInput(_("there is no department to address yet"), field="department")
    if department is None:
        return allowed[0]
    pk = getattr(department, "pk", department)
    found = next((d for d in allowed if d.pk == pk), None)
    if found is None:
        raise InvalidInput(
            _("not a department this notice may be addressed to"), field="department"
        )
    return found


def issue_notice(
    *,
    subject,
    text: str,
    actor,
    department=None,
    at: datetime | None = None,
    reply_days: int | None = None,
) -> SupervisionNotice:
    """A coordinator's supervision notice (督办单) on `subject` (an approval, a ticket, a batch)
    to one of its departments (default: the subject's first, e.g. an approval's department or a
    ticket's lead department), due for reply after `reply_days` working days (default: the
    region's setting) at the region's end of day; see `clocks`."""
    at = at or timezone.now()
    if not permissions.can_issue(actor):
        raise NotPermitted(_("Only coordinators issue supervision notices."))
    kind = subjects.kind_of(subject)
    if kind is None or not isinstance(subject, subjects.Subject):
        raise InvalidInput(_("notices cannot be issued on this"), field="subject_type")
    if not type(subject)._default_manager.visible_to(actor).filter(pk=subject.pk).exists():
        raise Http404
    text = _required(text, "text", _("what must be done"))
    days = _reply_days(reply_days)
    if not subject.supervision_open:
        raise Conflict(_("this is finished and takes no more notices"), field="subject_id")
    addressee = _addressee(subject, department)
    region = subject.supervision_region
    days = clocks.reply_workdays(region) if days is None else days
    reply_due = clocks.reply_due(at, region, days)
    with transaction.atomic():
        notice = SupervisionNotice.objects.create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            subject_label=str(subject.supervision_label)[:300],
            region=region,
            department=addressee,
            text=text,
            issued_by=actor,
            issued_at=at,
            reply_due=reply_due,
            reply_workdays=days,
        )
        audit.record(
            notice,
            "notice_issued",
            actor=actor,
            changes={
                "subject": f"{kind}:{subject.pk}",
                "department": addressee.pk,
                "text": text,
                "reply_due": reply_due,
            },
        )
        notifications.notify(
            users=addressee.users.filter(is_active=True),
            event=Event.NOTICE_ISSUED,
            key=f"notice:{notice.pk}",
            title=_("Supervision notice: %(s)s") % {"s": notice.subject_label},
            body=text,
            url=notice.get_absolute_url(),
            region=region,
            department=addressee,
        )
        hooks.notice_issued.send(notice=notice, subject=subject, actor=actor, at=at)
    return notice


def reply_notice(
    *, notice: SupervisionNotice, text: str, actor, at: datetime | None = None
) -> SupervisionNotice:
    """The addressed department answers a notice, once; the coordinator who issued it is told."""
    if not permissions.can_reply(actor, notice):
        raise NotPermitted(_("Only the addressed department replies to this notice."))
    text = _required(text, "text", _("reply"))
    at = at or timezone.now()
    with transaction.atomic():
        current = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if current.replied_at is not None:
            raise Conflict(_("this notice has been answered already"), field="text")
        current.reply_text, current.replied_by, current.replied_at = text, actor, at
        current.save(update_fields=["reply_text", "replied_by", "replied_at"])
        audit.record(current, "notice_replied", actor=actor, changes={"reply": text})
        notifications.notify(
            users=[current.issued_by],
            event=Event.NOTICE_REPLIED,
            key=f"notice:{current.pk}:reply",
            title=_("Reply to supervision notice: %(s)s") % {"s": current.subject_label},
            body=text,
            url=current.get_absolute_url(),
        )
        hooks.notice_replied.send(notice=current, subject=current.subject, actor=actor, at=at)
    notice.refresh_from_db()
    return notice
