"""Each approval's project region, copied onto the approval (the lights read the running
approvals by region without joining every project), and the running approvals' covering index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Every approval takes its project's region (new ones get it when created)."""
    alias = schema_editor.connection.alias
    Approval = apps.get_model("approvals", "Approval")
    Project = apps.get_model("projects", "Project")
    region = Project.objects.using(alias).filter(pk=OuterRef("project_id")).values("region_id")
    Approval.objects.using(alias).update(region_id=Subquery(region[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_sign_on"),
        ("approvals", "0010_joint_lead"),
        ("projects", "0011_project_started"),
    ]

    operations = [
        migrations.AddField(
            model_name="approval",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="approval",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="region",
            ),
        ),
        migrations.AddIndex(
            model_name="approval",
            index=models.Index(
                condition=models.Q(status="accepted"),
                fields=["due_at"],
                include=("region", "department", "id"),
                name="approval_running_cover",
            ),
        ),
    ]
