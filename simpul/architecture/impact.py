"""Impact analysis: what depends on an element (transitively), and what an element needs.

The walk is breadth-first, so each element is reported at its shortest distance from the analysed
one, and cycles end it: an element is visited once. On PostgreSQL the whole walk is one recursive
query; elsewhere it runs one indexed query per level. Either way its cost follows the size of the
affected part of the graph, not of the whole repository.

The result holds only the distances. The relationships that were followed, and the path to an
element, are read on demand for the elements a page actually shows (`edges_among`, `path_to`): a walk
that reaches 100,000 elements follows some 300,000 relationships, and no page draws them all.
Likewise `VisibleReach` counts what a user may see of a result in the database and loads only the
elements of the page shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from simpul.architecture.models import Element, Relationship
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES
from simpul.core import permissions

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


# --- What a user may see of a result, a page at a time ----------------------------------------------

PAGE_SIZE = 200  # reached elements listed per page of the impact page, and the API's default limit


class VisibleReach:
    """The elements of an impact result that `user` may view: counted, and listed a page at a time.

    A reach can hold ~100,000 elements and a page shows a few hundred, so only the listed elements are
    loaded. The counts (per distance, per domain, the owners) are aggregates over the reached ids,
    which travel as one parameter (see `_pk_in`). The number of queries and what Python handles do
    not grow with the reach; only the database's work does. Elements the user may not view are left
    out of every count and list, and `hidden` says how many they are, as the page always did.

    Sliceable and sized, so Django's `Paginator` pages through it: `reach[0:200]` runs one query.
    """

    def __init__(self, result: ImpactResult, user):
        self.result = result
        self.user = user
        self.levels: dict[int, list[int]] = {}
        for pk, distance in result.depth.items():
            if pk != result.root_id:
                self.levels.setdefault(distance, []).append(pk)
        self._by_distance: dict[int, int] | None = None

    def elements(self, distances: Iterable[int] | None = None):
        """The visible reached elements (of the given distances only), as a queryset."""
        distances = sorted(self.levels) if distances is None else list(distances)
        ids = [pk for distance in distances for pk in self.levels.get(distance, ())]
        return permissions.restrict(Element.objects.filter(_pk_in(ids)), self.user, "view")

    def _distance(self, distances: list[int]) -> Case:
        # The elements' distances as an SQL expression. The query is already limited to these
        # distances, so the largest level needs no id list of its own: it is what is left.
        rest = max(distances, key=lambda distance: len(self.levels[distance]))
        whens = [When(_pk_in(self.levels[d]), then=Value(d)) for d in distances if d != rest]
        return Case(*whens, default=Value(rest), output_field=IntegerField())

    @property
    def by_distance(self) -> dict[int, int]:
        """{distance: number of visible elements at that distance}, nearest first (one query)."""
        if self._by_distance is None:
            counts: dict[int, int] = {}
            if self.levels:
                distances = sorted(self.levels)
                rows = (
                    self.elements(distances)
                    .annotate(distance=self._distance(distances))
                    .order_by()
                    .values("distance")
                    .annotate(n=Count("pk"))
                    .values_list("distance", "n")
                )
                counts = dict(rows)
            self._by_distance = {distance: counts[distance] for distance in sorted(counts)}
        return self._by_distance

    @property
    def count(self) -> int:
        return sum(self.by_distance.values())

    @property
    def hidden(self) -> int:
        """How many reached elements the user may not view."""
        return len(self.result.element_ids) - self.count

    def by_domain(self) -> dict[str, int]:
        """{domain: number of visible elements} (one query)."""
        if not self.levels:
            return {}
        return dict(self.elements().order_by().values("domain").annotate(n=Count("pk")).values_list("domain", "n"))

    def owner_ids(self):
        """The owners of the visible elements, as a subquery."""
        return self.elements().order_by().values("owner_id")

    def page(self, offset: int, limit: int) -> list[tuple[Element, int]]:
        """(element, distance) of the visible elements from `offset`, at most `limit` of them, ordered
        by distance, then name (one query, reading only the distances the page reaches into)."""
        if limit <= 0 or offset >= self.count:
            return []
        distances, before, position = [], 0, 0
        for distance, n in self.by_distance.items():
            if position + n <= offset:
                before += n
            elif position < offset + limit:
                distances.append(distance)
            position += n
        rows = (
            self.elements(distances)
            .annotate(distance=self._distance(distances))
            .select_related("owner")
            .order_by("distance", "name", "pk")[offset - before : offset - before + limit]
        )
        return [(element, element.distance) for element in rows]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list[tuple[Element, int]]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("VisibleReach supports slices only")
        start = window.start or 0
        stop = self.count if window.stop is None else window.stop
        return self.page(start, stop - start)


def _pk_in(ids: list[int]) -> Q:
    """`pk IN ids`, the ids sent as one parameter where the database allows it. Through the ORM each
    id is a placeholder of its own, and for 100k ids building the query costs more than running it."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    return Q(pk__in=ids)
