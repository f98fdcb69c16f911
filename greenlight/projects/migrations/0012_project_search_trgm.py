"""Trigram indexes for the project list's search (a substring of the name or the code, which
`icontains` writes as `UPPER(col) LIKE UPPER('%…%')`): on PostgreSQL only, where a search read
every one of a province's 130 000 projects twice (the count and the page). Not in the model's
Meta: SQLite has no such index and keeps its scan."""

from django.db import migrations

INDEXES = {
    "project_name_trgm": "name",
    "project_code_trgm": "code",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON projects_project "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0011_project_started"),
    ]

    operations = [migrations.RunPython(create, drop)]
