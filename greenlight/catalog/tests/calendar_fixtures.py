"""Running clocks across 2026 and into 2027 (provisional), and the 2027 notice of the tests."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

from django.utils import timezone

from greenlight.approvals import clocks
from greenlight.approvals.choices import Status
from greenlight.catalog import calendars
from greenlight.catalog.models import CalendarDay
from greenlight.catalog.notices import Holiday, MakeupDay
from greenlight.plans import planning
from greenlight.tickets import clocks as ticket_clocks
from greenlight.tickets.models import Ticket
from tests import factories as f

# The notice of the tests (a plausible 2027 one): 元旦 01-01–01-03, 春节 02-05 (除夕) to 02-12,
# with Saturday 02-20 a make-up working day.
NOTICE_2027 = SimpleNamespace(
    holidays=[
        Holiday(date(2027, 1, 1), date(2027, 1, 3), "元旦"),
        Holiday(date(2027, 2, 5), date(2027, 2, 12), "春节"),
    ],
    makeup_days=[MakeupDay(date(2027, 2, 20), "春节")],
)


def local(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def accept(approval, day: date, limit: int) -> None:
    """Make `approval` a running clock accepted on `day` with a `limit` working days."""
    approval.matter.committed_limit = limit
    approval.matter.save()
    approval.status = Status.ACCEPTED
    approval.submitted_at = approval.accepted_at = local(day)
    approval.due_at = clocks.due_at(approval, pauses=[])
    approval.save()


def build_calendar_world(world) -> SimpleNamespace:
    """The seeded table (to 2026, so 2027 is provisional) and clocks of both districts:

    * `late`: project1's 环评 accepted 2026-11-23, 55 working days: due in 2027 (provisional);
    * `national_day`: project2's 水务 approval accepted 2026-09-28, 5 working days: due 2026-10-10 (a 调休 Saturday),
      across National Day 2026 (official);
    * `nanshan`: project_ns's approval accepted like `late` (another district);
    * `ticket`: an open ticket of project1 reported 2027-02-04, led by 生态环境局.
    """
    calendars.seed_from_package()
    # 2027 stays provisional even under a newer package that knows it
    CalendarDay.objects.filter(date__gte=date(2027, 1, 1)).delete()
    calendars.invalidate()
    late = world.approval1
    accept(late, date(2026, 11, 23), 55)
    water_matter = f.MatterFactory(
        name="取水许可", department_kind=world.water.kind, committed_limit=5
    )
    national_day = f.ApprovalFactory(
        project=world.project2, matter=water_matter, department=world.water
    )
    accept(national_day, date(2026, 9, 28), 5)
    ns_matter = f.MatterFactory(name="南山环评", committed_limit=55)
    nanshan = f.ApprovalFactory(project=world.project_ns, matter=ns_matter)
    accept(nanshan, date(2026, 11, 23), 55)
    reported = local(date(2027, 2, 4))
    dues = ticket_clocks.dues(reported, world.baoan)
    ticket = Ticket.objects.create(
        project=world.project1,
        title="管线迁改受阻",
        category="pipelines",
        reporter=world.users.company,
        reported_at=reported,
        lead_department=world.eco,
        feedback_due=dues["feedback"],
        path_due=dues["path"],
        progress_due=dues["progress"],
    )
    for project in (world.project1, world.project2, world.project_ns):
        planning.replan(project, today=timezone.localdate())
    for row in (late, national_day, nanshan):
        row.refresh_from_db()
    world.project1.refresh_from_db()
    return SimpleNamespace(late=late, national_day=national_day, nanshan=nanshan, ticket=ticket)
