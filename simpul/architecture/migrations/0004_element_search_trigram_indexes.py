"""Trigram indexes for the free-text search of elements, on PostgreSQL only.

The search is `icontains`, which Django writes as `UPPER(column::text) LIKE UPPER('%term%')`. A b-tree
cannot serve a pattern with a leading wildcard, so at national scale every search read all elements.
A GIN index with pg_trgm's operator class over the same `UPPER(column)` expression can. SQLite has no
such index and keeps its plain scan, so on any other database this migration does nothing; the indexes
are not in the models' state because Django cannot declare an index for one database vendor only.
"""

from django.db import DatabaseError, migrations

INDEXED_COLUMNS = ("name", "code", "description")


def _index_name(column: str) -> str:
    return f"architecture_element_{column}_trgm"


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Without
        # it the search still works, only without these indexes, so the migration must not fail.
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT simpul_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("RELEASE SAVEPOINT simpul_trgm")
    except DatabaseError:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT simpul_trgm")
        print("\n  pg_trgm could not be created: free-text search of elements runs without trigram indexes.")
        return
    for column in INDEXED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index_name(column)} ON architecture_element "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in INDEXED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("architecture", "0003_element_domain_name_index"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
