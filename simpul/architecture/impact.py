"""Impact analysis: what depends on an element (transitively), and what an element needs.

Traversal is breadth-first, one indexed query per direction and level, so its cost follows the size of
the affected part of the graph, not of the whole repository; cycles end the walk naturally.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from simpul.architecture.models import Element, Relationship
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES

SOURCE_DEPENDS = frozenset(k for k, t in RELATIONSHIP_TYPES.items() if t.dependent in ("source", "both"))
TARGET_DEPENDS = frozenset(k for k, t in RELATIONSHIP_TYPES.items() if t.dependent in ("target", "both"))
MAX_DEPTH = 50
BATCH = 5000


@dataclass
class ImpactResult:
    """Elements reached from `root`, with their distance and the element they were reached from."""

    root_id: int
    direction: str  # "dependents" (what is affected) or "dependencies" (what is needed)
    depth: dict[int, int] = field(default_factory=dict)
    via: dict[int, int] = field(default_factory=dict)
    edges: set[tuple[int, int, str]] = field(default_factory=set)  # (from, to, kind) as traversed

    @property
    def element_ids(self) -> list[int]:
        return [pk for pk in self.depth if pk != self.root_id]


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _step(frontier: list[int], direction: str) -> list[tuple[int, int, str]]:
    """(reached, from, kind) for one level. For dependents: who depends on the frontier."""
    found: list[tuple[int, int, str]] = []
    for chunk in _chunks(frontier):
        if connection.vendor == "postgresql":
            rows = _rows_postgresql(chunk, direction)
        elif direction == "dependents":
            # X depends on F when X is the source of a source-depends link to F ...
            rows = Relationship.objects.filter(
                Q(target_id__in=chunk, kind__in=SOURCE_DEPENDS) | Q(source_id__in=chunk, kind__in=TARGET_DEPENDS)
            ).values_list("source_id", "target_id", "kind")
        else:
            rows = Relationship.objects.filter(
                Q(source_id__in=chunk, kind__in=SOURCE_DEPENDS) | Q(target_id__in=chunk, kind__in=TARGET_DEPENDS)
            ).values_list("source_id", "target_id", "kind")
        chunk_set = set(chunk)
        for source_id, target_id, kind in rows:
            dependent = RELATIONSHIP_TYPES[kind].dependent
            if direction == "dependents":
                # the reached element is the one that depends on a frontier element
                if target_id in chunk_set and dependent in ("source", "both"):
                    found.append((source_id, target_id, kind))
                if source_id in chunk_set and dependent in ("target", "both"):
                    found.append((target_id, source_id, kind))
            else:
                if source_id in chunk_set and dependent in ("source", "both"):
                    found.append((target_id, source_id, kind))
                if target_id in chunk_set and dependent in ("target", "both"):
                    found.append((source_id, target_id, kind))
    return found


def _rows_postgresql(chunk: list[int], direction: str) -> list[tuple[int, int, str]]:
    """The same query as the ORM's, with each id list sent as one array parameter: building an IN list
    of thousands of parameters costs more than the query itself on large impact sets."""
    first, second = ("target_id", "source_id") if direction == "dependents" else ("source_id", "target_id")
    table = connection.ops.quote_name(Relationship._meta.db_table)
    sql = (
        f"SELECT source_id, target_id, kind FROM {table} "  # noqa: S608 - names are constants, values are parameters
        f"WHERE ({first} = ANY(%s::bigint[]) AND kind = ANY(%s::varchar[])) "
        f"OR ({second} = ANY(%s::bigint[]) AND kind = ANY(%s::varchar[]))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [chunk, sorted(SOURCE_DEPENDS), chunk, sorted(TARGET_DEPENDS)])
        return cursor.fetchall()


def analyse(root: Element | int, direction: str = "dependents", max_depth: int = MAX_DEPTH) -> ImpactResult:
    """Walk the dependency graph from `root`.

    direction="dependents": everything that stops working if `root` fails ("if simpul Sutoyo is down").
    direction="dependencies": everything `root` needs ("what does this service need?").
    """
    if direction not in ("dependents", "dependencies"):
        raise ValueError("direction must be 'dependents' or 'dependencies'")
    root_id = root if isinstance(root, int) else root.pk
    result = ImpactResult(root_id=root_id, direction=direction, depth={root_id: 0})
    frontier = [root_id]
    level = 0
    while frontier and level < max_depth:
        level += 1
        next_frontier = []
        for reached, came_from, kind in _step(frontier, direction):
            result.edges.add((came_from, reached, kind))
            if reached not in result.depth:
                result.depth[reached] = level
                result.via[reached] = came_from
                next_frontier.append(reached)
        frontier = next_frontier
    return result


def path_to(result: ImpactResult, element_id: int) -> list[int]:
    """The chain of element ids from the root to `element_id` as first reached."""
    chain = [element_id]
    while chain[-1] != result.root_id and chain[-1] in result.via:
        chain.append(result.via[chain[-1]])
    return list(reversed(chain))
