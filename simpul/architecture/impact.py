"""Impact analysis: what depends on an element (transitively), and what an element needs.

The walk is breadth-first, so each element is reported at its shortest distance from the analysed
one, and cycles end it: an element is visited once. On PostgreSQL the whole walk is one recursive
query; elsewhere it runs one indexed query per level. Either way its cost follows the size of the
affected part of the graph, not of the whole repository.

The result holds only the distances. The relationships that were followed, and the path to an
element, are read on demand for the elements a page actually shows (`edges_among`, `path_to`): a walk
that reaches 100,000 elements follows some 300,000 relationships, and no page draws them all.
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
DEPENDENCY_KINDS = SOURCE_DEPENDS | TARGET_DEPENDS
MAX_DEPTH = 50
BATCH = 5000


@dataclass
class ImpactResult:
    """Elements reached from `root`, with their distance from it."""

    root_id: int
    direction: str  # "dependents" (what is affected) or "dependencies" (what is needed)
    depth: dict[int, int] = field(default_factory=dict)
    max_depth: int = MAX_DEPTH
    _edges: set[tuple[int, int, str]] | None = field(default=None, repr=False)
    _via: dict[int, int] | None = field(default=None, repr=False)

    @property
    def element_ids(self) -> list[int]:
        return [pk for pk in self.depth if pk != self.root_id]

    def edges_among(self, ids: Iterable[int]) -> set[tuple[int, int, str]]:
        """(from, to, kind) of every relationship the walk followed between two of `ids`."""
        ids = [pk for pk in set(ids) if pk in self.depth]
        found = set()
        for chunk in _chunks(ids):
            found |= self._followed(
                Relationship.objects.filter(source_id__in=chunk, target_id__in=ids, kind__in=DEPENDENCY_KINDS)
            )
        return found

    def edges_into(self, element_id: int) -> set[tuple[int, int, str]]:
        """(from, `element_id`, kind) of every relationship the walk followed to reach `element_id`."""
        rows = Relationship.objects.filter(Q(source_id=element_id) | Q(target_id=element_id), kind__in=DEPENDENCY_KINDS)
        return {edge for edge in self._followed(rows) if edge[1] == element_id}

    def _followed(self, relationships) -> set[tuple[int, int, str]]:
        found = set()
        for source_id, target_id, kind in relationships.values_list("source_id", "target_id", "kind"):
            for came_from, reached in _oriented(source_id, target_id, kind, self.direction):
                # Only elements short of the depth limit had their relationships followed.
                if self.depth.get(came_from, self.max_depth) < self.max_depth and reached in self.depth:
                    found.add((came_from, reached, kind))
        return found

    @property
    def edges(self) -> set[tuple[int, int, str]]:
        """Every relationship the walk followed (read from the database on first use)."""
        if self._edges is None:
            self._edges = self.edges_among(self.depth)
        return self._edges

    @property
    def via(self) -> dict[int, int]:
        """For each reached element, the element one step closer to the root that it was reached from
        (of several, the one with the lowest id, as `path_to` chooses). Reads every followed
        relationship: meant for small results."""
        if self._via is None:
            via: dict[int, int] = {}
            for came_from, reached, _kind in self.edges:
                if self.depth[came_from] == self.depth[reached] - 1 and came_from < via.get(reached, came_from + 1):
                    via[reached] = came_from
            self._via = via
        return self._via


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _oriented(source_id: int, target_id: int, kind: str, direction: str) -> list[tuple[int, int]]:
    """(from, reached) pairs a relationship offers a walk in `direction`: for dependents, from the
    element that is needed to the element that needs it; for dependencies, the other way round."""
    pairs = []
    dependent = RELATIONSHIP_TYPES[kind].dependent
    if dependent in ("source", "both"):
        pairs.append((target_id, source_id))
    if dependent in ("target", "both"):
        pairs.append((source_id, target_id))
    if direction == "dependencies":
        pairs = [(reached, came_from) for came_from, reached in pairs]
    return pairs


# One recursive query for the whole walk. Each reached element is one row, and the row carries its
# distance as the display scale of a numeric (element 42 found two steps away is 42.00): numeric
# equality ignores the scale, so UNION drops an element found again later, at a longer distance, as
# a duplicate of its first row. Dropping those rows is what makes every element expanded only once,
# with its shortest distance, and what ends the walk on cycles. A distance column of its own would
# make each (element, distance) pair distinct, and a walk around a cycle would come back at every
# distance up to the limit.
_WALK_SQL = """
WITH RECURSIVE walk(node) AS (
    SELECT %(root)s::numeric
  UNION
    SELECT round(step.reached::numeric, scale(walk.node) + 1)
    FROM walk CROSS JOIN LATERAL (
        SELECT r.{near_end} AS reached FROM {table} r
        WHERE r.{far_end} = walk.node::bigint AND r.kind = ANY(%(far_kinds)s::varchar[])
        UNION ALL
        SELECT r.{far_end} FROM {table} r
        WHERE r.{near_end} = walk.node::bigint AND r.kind = ANY(%(near_kinds)s::varchar[])
    ) step
    WHERE scale(walk.node) < %(max_depth)s
)
SELECT node::bigint, scale(node) FROM walk
"""


def _walk_postgresql(root_id: int, direction: str, max_depth: int) -> dict[int, int]:
    # For dependents: X depends on F when X is the source of a source-depends link to F, or the
    # target of a target-depends link from F. For dependencies the same links are read the other way.
    if direction == "dependents":
        near_end, far_end, far_kinds, near_kinds = "source_id", "target_id", SOURCE_DEPENDS, TARGET_DEPENDS
    else:
        near_end, far_end, far_kinds, near_kinds = "target_id", "source_id", SOURCE_DEPENDS, TARGET_DEPENDS
    sql = _WALK_SQL.format(
        table=connection.ops.quote_name(Relationship._meta.db_table), near_end=near_end, far_end=far_end
    )
    params = {"root": root_id, "far_kinds": sorted(far_kinds), "near_kinds": sorted(near_kinds), "max_depth": max_depth}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _step(frontier: list[int], direction: str) -> list[int]:
    """The elements one level further than the frontier (for dependents: who depends on it)."""
    found: list[int] = []
    for chunk in _chunks(frontier):
        if direction == "dependents":
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
            found.extend(
                reached
                for came_from, reached in _oriented(source_id, target_id, kind, direction)
                if came_from in chunk_set
            )
    return found


def _walk_by_level(root_id: int, direction: str, max_depth: int) -> dict[int, int]:
    depth = {root_id: 0}
    frontier = [root_id]
    level = 0
    while frontier and level < max_depth:
        level += 1
        next_frontier = []
        for reached in _step(frontier, direction):
            if reached not in depth:
                depth[reached] = level
                next_frontier.append(reached)
        frontier = next_frontier
    return depth


def analyse(root: Element | int, direction: str = "dependents", max_depth: int = MAX_DEPTH) -> ImpactResult:
    """Walk the dependency graph from `root`.

    direction="dependents": everything that stops working if `root` fails ("if simpul Sutoyo is down").
    direction="dependencies": everything `root` needs ("what does this service need?").
    """
    if direction not in ("dependents", "dependencies"):
        raise ValueError("direction must be 'dependents' or 'dependencies'")
    root_id = root if isinstance(root, int) else root.pk
    if max_depth <= 0:
        depth = {root_id: 0}
    elif connection.vendor == "postgresql":
        depth = _walk_postgresql(root_id, direction, max_depth)
    else:
        depth = _walk_by_level(root_id, direction, max_depth)
    return ImpactResult(root_id=root_id, direction=direction, depth=depth, max_depth=max_depth)


def path_to(result: ImpactResult, element_id: int) -> list[int]:
    """A shortest chain of element ids from the root to `element_id` (one query per step)."""
    chain = [element_id]
    while chain[-1] != result.root_id and chain[-1] in result.depth:
        distance = result.depth[chain[-1]]
        before = [
            came_from
            for came_from, _to, _kind in result.edges_into(chain[-1])
            if result.depth[came_from] == distance - 1
        ]
        if not before:
            break
        chain.append(min(before))  # of several shortest chains, the same one every time
    return list(reversed(chain))
