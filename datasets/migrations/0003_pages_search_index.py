"""A GIN index for the catalogue's full-text search, on PostgreSQL only (SQLite searches
with a plain scan). Its expression is exactly what
datasets.selectors.search.SEARCH_VECTOR compiles to, so the planner uses it."""

from django.db import migrations

INDEX = "dataset_search_text_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON datasets_dataset "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("datasets", "0002_catalogue_editors_and_licences")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
