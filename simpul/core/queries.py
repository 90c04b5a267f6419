"""Query helpers shared by the apps."""

import json

from django.db import connection
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
