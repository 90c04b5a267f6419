"""Trigram indexes for the free-text search (`icontains`), created on PostgreSQL only.

Django writes `icontains` as `UPPER(column::text) LIKE UPPER('%term%')`. A b-tree cannot serve a pattern
with a leading wildcard, so at national scale every search read the whole table. A GIN index with
pg_trgm's operator class over the same `UPPER(column)` expression can. SQLite has no such index and keeps
its plain scan, so on any other database the operation does nothing; the indexes are not in the models'
state because Django cannot declare an index for one database vendor only.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations


def index_name(table: str, column: str, leading: str | None = None) -> str:
    return f"{table}_{leading}_{column}_trgm" if leading else f"{table}_{column}_trgm"


def _create_extension(connection, name: str) -> bool:
    # pg_trgm and btree_gin are trusted extensions (PostgreSQL 13+): the database owner may create them.
    # Without them the search still works, only without these indexes, so the migration must not fail.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT simpul_extension")
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            cursor.execute("RELEASE SAVEPOINT simpul_extension")
    except DatabaseError:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT simpul_extension")
        print(f"\n  {name} could not be created: free-text search runs without some of its indexes.")
        return False
    return True


def trigram_indexes(table: str, columns: tuple[str, ...], leading: str | None = None) -> migrations.RunPython:
    """A migration operation adding one trigram index per column of `table` (and removing them back).

    With `leading`, each index is over `(leading, UPPER(column))`, which needs the btree_gin extension:
    a search restricted to one value of `leading` (a typed element list searches one domain) then finds
    its matches in the index instead of testing every row of that value.
    """

    def create(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not _create_extension(connection, "pg_trgm"):
            return
        if leading and not _create_extension(connection, "btree_gin"):
            return
        prefix = f"{leading}, " if leading else ""
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(table, column, leading)} ON {table} "
                f"USING gin ({prefix}UPPER({column}) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(table, column, leading)}")

    return migrations.RunPython(create, drop, elidable=False)
