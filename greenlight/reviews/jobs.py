"""Periodic joint-review job run by `greenlight tick`: opinion-due reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department
from greenlight.catalog.calendars import current as current_calendar
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import services
from .choices import OpinionKind
from .models import Batch


def remind_opinions(*, now: datetime) -> dict:
    """Remind each department with opinions not yet in when a batch's deadline is at most one
    working day away; sent once per batch, department and deadline (idempotent key)."""
    today = timezone.localdate(now)
    cal = current_calendar()
    counts = {"opinion_due": 0}
    batches = Batch.objects.filter(
        opinion_due__gte=today, opinion_due__lte=today + timedelta(days=15)
    ).select_related("region")
    for batch in batches:
        if cal.count_workdays(today + timedelta(days=1), batch.opinion_due) > 1:
            continue
        pending = (
            batch.opinions.filter(kind=OpinionKind.PENDING)
            .values_list("department_id", flat=True)
            .distinct()
        )
        staff = services.approvers_of(pending)
        for dept in Department.objects.filter(pk__in=list(pending)):
            n = batch.opinions.filter(kind=OpinionKind.PENDING, department=dept).count()
            sent = notifications.notify(
                users=staff.get(dept.pk, []),
                event=Event.OPINION_DUE,
                key=f"batch:{batch.pk}:opinion_due:{dept.pk}:{batch.opinion_due:%Y%m%d}",
                title=_("Opinions due %(d)s: %(t)s") % {"d": batch.opinion_due, "t": batch.title},
                body=_("%(n)s opinions of %(dept)s are not yet in.") % {"n": n, "dept": dept.name},
                url=f"/reviews/{batch.pk}/opinions/?department={dept.pk}&pending=1",
                region=batch.region,
                department=dept,
                now=now,
            )
            counts["opinion_due"] += 1 if sent else 0
    return counts
