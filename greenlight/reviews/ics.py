"""The meeting invitation as an iCalendar (.ics) file, made with the `icalendar` package."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from greenlight.accounts.models import Department

from .models import Meeting


def invitation(meeting: Meeting, *, department: Department | None, url: str = "") -> bytes:
    """A VEVENT for the meeting (same UID, SEQUENCE bumped on each change, so calendars update);
    its description lists the agenda items of `department`, or counts for everyone."""
    batch = meeting.batch
    cal = Calendar()
    cal.add("prodid", "-//Greenlight//joint review//ZH")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"greenlight-meeting-{meeting.pk}@{batch.region.code}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("summary", f"{_('Joint review meeting')}：{batch.title}")
    event.add("location", meeting.place)
    event.add("description", _description(meeting, department, url))
    for dept in Department.objects.filter(pk__in=batch.departments.values("department_id")):
        emails = [u.email for u in dept.users.filter(is_active=True) if u.email]
        address = vCalAddress(f"mailto:{emails[0]}" if emails else f"urn:greenlight:dept:{dept.pk}")
        address.params["cn"] = vText(dept.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def _description(meeting: Meeting, department: Department | None, url: str) -> str:
    opinions = meeting.batch.opinions.select_related("project", "matter")
    if department is not None:
        opinions = opinions.filter(department=department)
    lines = [f"{_('Batch')}：{meeting.batch.title}"]
    if department is not None:
        lines.append(f"{_('Department')}：{department.name}")
        for o in opinions.order_by("project_id", "matter__code")[:60]:
            lines.append(f"- {o.project.name} · {o.matter.name} · {o.get_kind_display()}")
    else:
        lines.append(
            _("%(p)s projects, %(o)s matters")
            % {"p": meeting.batch.items.count(), "o": opinions.count()}
        )
    if url:
        lines.append(url)
    return "\n".join(lines)
