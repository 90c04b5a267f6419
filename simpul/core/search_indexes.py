"""Trigram indexes for the free-text search (`icontains`), created on PostgreSQL only.

Django writes `icontains` as `UPPER(column::text) LIKE UPPER('%term%')`. A b-tree cannot serve a pattern
with a leading wildcard, so at national scale every search read the whole table. A GIN index with
pg_trgm's operator class over the same `UPPER(column)` expression can. SQLite has no such index and keeps
its plain scan, so on any other database the operation does nothing; the indexes are not in the models'
state because Django cannot declare an index for one database vendor only.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def _create_extension(connection) -> bool:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Without it the
    # search still works, only without these indexes, so the migration must not fail.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT simpul_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("RELEASE SAVEPOINT simpul_trgm")
    except DatabaseError:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT simpul_trgm")
        print("\n  pg_trgm could not be created: free-text search runs without trigram indexes.")
        return False
    return True


def trigram_indexes(table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A migration operation adding one trigram index per column of `table` (and removing them back)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql" or not _create_extension(schema_editor.connection):
            return
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
                f"USING gin (UPPER({column}) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(table, column)}")

    return migrations.RunPython(create, drop, elidable=False)
