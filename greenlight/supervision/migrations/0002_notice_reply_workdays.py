"""Notices keep the working days they were given to reply, so a calendar change can move their
deadline; existing notices get the count of working days from issue day (not counted) to their
deadline, on the calendar stored at the time of the migration."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

from greenlight.engine.calendar import WorkCalendar


def backfill(apps, schema_editor):
    Notice = apps.get_model("supervision", "SupervisionNotice")
    CalendarDay = apps.get_model("catalog", "CalendarDay")
    rows = list(Notice.objects.filter(reply_workdays__isnull=True).only("issued_at", "reply_due"))
    if not rows:
        return
    days = CalendarDay.objects.values_list("date", "is_workday", "note")
    calendar = WorkCalendar.from_rows(days) if days.exists() else WorkCalendar.from_package()
    zone = ZoneInfo(settings.TIME_ZONE)
    for n in rows:
        issued, due = n.issued_at.astimezone(zone).date(), n.reply_due.astimezone(zone).date()
        n.reply_workdays = max(1, min(30, calendar.count_workdays(issued, due) - int(
            calendar.is_workday(issued)
        )))
    Notice.objects.bulk_update(rows, ["reply_workdays"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("catalog", "0003_calendar_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionnotice",
            name="reply_workdays",
            field=models.PositiveSmallIntegerField(
                null=True, verbose_name="working days to reply"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
