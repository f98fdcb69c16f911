"""Copy the supervision notices into greenlight.supervision (one notice model for any subject),
keeping ids and timestamps; the old table is dropped by the next migration.

The subject of an old notice is its approval, else its `subject_type`/`subject_id` (a ticket).
On PostgreSQL the new table's id sequence is moved past the copied ids.
"""

from django.db import migrations

OLD_APPROVAL = "approvals.approval"


def _reset_sequence(schema_editor, model) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",
            [model._meta.db_table],
        )


def _content_type(ContentType, db: str, label: str, cache: dict):
    if label not in cache:
        app_label, model = label.split(".", 1)
        cache[label], _ = ContentType.objects.using(db).get_or_create(
            app_label=app_label, model=model
        )
    return cache[label]


def copy_forward(apps, schema_editor):
    Old = apps.get_model("approvals", "SupervisionNotice")
    New = apps.get_model("supervision", "SupervisionNotice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types: dict = {}
    rows = []
    for old in Old.objects.using(db).order_by("id").iterator(chunk_size=1000):
        if old.approval_id is not None:
            label, subject_id = OLD_APPROVAL, old.approval_id
        else:
            label = (old.subject_type or OLD_APPROVAL).strip().lower()
            if not str(old.subject_id).strip().isdigit():
                raise ValueError(
                    f"supervision notice {old.pk}: subject id {old.subject_id!r} is not a number"
                )
            subject_id = int(old.subject_id)
        rows.append(
            New(
                id=old.pk,
                subject_type=_content_type(ContentType, db, label, types),
                subject_id=subject_id,
                subject_label=old.subject_repr,
                region_id=old.region_id,
                department_id=old.department_id,
                text=old.reason,
                issued_by_id=old.issued_by_id,
                issued_at=old.issued_at,
                reply_due=old.reply_due,
                reply_text=old.reply,
                replied_by_id=old.replied_by_id,
                replied_at=old.replied_at,
            )
        )
    if rows:
        New.objects.using(db).bulk_create(rows, batch_size=500)
        _reset_sequence(schema_editor, New)


def copy_backward(apps, schema_editor):
    Old = apps.get_model("approvals", "SupervisionNotice")
    New = apps.get_model("supervision", "SupervisionNotice")
    db = schema_editor.connection.alias
    rows = []
    for new in New.objects.using(db).select_related("subject_type").order_by("id"):
        label = f"{new.subject_type.app_label}.{new.subject_type.model}"
        rows.append(
            Old(
                id=new.pk,
                approval_id=new.subject_id if label == OLD_APPROVAL else None,
                subject_type=label,
                subject_id=str(new.subject_id),
                subject_repr=new.subject_label,
                region_id=new.region_id,
                department_id=new.department_id,
                reason=new.text,
                issued_by_id=new.issued_by_id,
                issued_at=new.issued_at,
                reply_due=new.reply_due,
                reply=new.reply_text,
                replied_by_id=new.replied_by_id,
                replied_at=new.replied_at,
            )
        )
    if rows:
        Old.objects.using(db).bulk_create(rows, batch_size=500)
        New.objects.using(db).all().delete()
        _reset_sequence(schema_editor, Old)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_supervisionnotice"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("supervision", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_backward, elidable=False)]
