"""Timeline entries of supervision notices refer to greenlight.supervision's model (same ids)."""

from django.db import migrations

OLD, NEW = "approvals.supervisionnotice", "supervision.supervisionnotice"


def forward(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    db = schema_editor.connection.alias
    TicketEvent.objects.using(db).filter(ref_type=OLD).update(ref_type=NEW)


def backward(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    db = schema_editor.connection.alias
    TicketEvent.objects.using(db).filter(ref_type=NEW).update(ref_type=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("approvals", "0003_move_notices_to_supervision"),
    ]

    operations = [migrations.RunPython(forward, backward)]
