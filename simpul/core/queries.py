"""Query helpers shared by the apps."""

import contextlib
import json
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL


def pk_in(ids: list[int]) -> Q:
    """`pk IN ids`, the ids sent as one parameter where the database allows it.

    Through the ORM each id is a placeholder of its own: the database parses and plans a list of 2,000
    ids in every query that carries it (10-15 ms each on PostgreSQL), and for 100k ids building the
    query costs more than running it.
    """
    ids = list(ids)
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    return Q(pk__in=ids)


def first_ids(queryset, limit: int) -> list:
    """The primary keys of at most `limit` rows of `queryset`, in no particular order.

    Under a LIMIT PostgreSQL plans for an early stop, walking an index or the table and testing each
    row; when matches are fewer than it expects (a search term frequent in the instansi's names but
    rare among its applications) that walk reads every row. Read through a materialized CTE the query
    is planned for all its rows (the trigram indexes) and still stops after `limit` of them
    (measurements in docs/benchmarks.md).
    """
    ids = queryset.order_by().values_list("pk", flat=True)
    if connection.vendor != "postgresql":
        return list(ids[:limit])
    # The inner query is the ORM's own compiled SQL; its values stay parameters.
    sql, params = ids.query.sql_with_params()
    query = f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def record_id(value) -> int | None:
    """A record id taken from a query parameter, or None when the value cannot name a record.

    `abc`, `1.5`, a negative number or one beyond a 64-bit column names nothing; looking it up would be
    a server error on some databases (an integer overflow on SQLite, a type error on PostgreSQL).
    """
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None


@contextlib.contextmanager
def snapshot_transaction() -> Iterator[str]:
    """A read transaction that sees one consistent state of the whole database; yields its isolation."""
    if connection.in_atomic_block:
        # Already inside a transaction (a caller's atomic block): its snapshot rules apply.
        with transaction.atomic():
            yield "caller's transaction"
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield "repeatable read"
        return
    if connection.vendor == "sqlite":
        # Simpul opens SQLite write transactions with BEGIN IMMEDIATE; a snapshot only reads, and a deferred
        # transaction in WAL mode reads one snapshot without blocking writers for as long as it lasts
        # (a whole backup, a whole audit verification).
        if not hasattr(connection, "transaction_mode"):
            connection.get_connection_params()
        previous = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            with transaction.atomic():
                yield "sqlite snapshot"
        finally:
            connection.transaction_mode = previous
        return
    with transaction.atomic():
        yield "default"
