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

An instansi with many relationships (SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS) is walked in memory
instead: each process holds the dependency graphs of a few such instansi (`memory_graph`) and checks
their version with one query before each walk. The version changes with every change of their
relationships (`graph_changed`, called by the receivers in signals.py). All walks give the same
distances.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When

from simpul.architecture.models import Element, GraphVersion, Relationship
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES
from simpul.core import permissions
from simpul.core.queries import pk_in
from simpul.organizations.models import Instansi, PerangkatDaerah

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
        # order_by(): the model's default ordering joins the source element to sort by its name.
        for source_id, target_id, kind in relationships.order_by().values_list("source_id", "target_id", "kind"):
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
            links = Q(target_id__in=chunk, kind__in=SOURCE_DEPENDS) | Q(source_id__in=chunk, kind__in=TARGET_DEPENDS)
        else:
            links = Q(source_id__in=chunk, kind__in=SOURCE_DEPENDS) | Q(target_id__in=chunk, kind__in=TARGET_DEPENDS)
        # order_by(): unordered, as the walk needs; the default ordering would join the source element.
        rows = Relationship.objects.filter(links).order_by().values_list("source_id", "target_id", "kind")
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


# --- Large instansi: the walk over a graph held in memory -------------------------------------------
#
# In an instansi of 100k elements and 300k relationships, a walk reaching most of it spends its time
# in two index probes per reached element (0.45-0.9 s on PostgreSQL). Read once into dicts, the same
# walk is a few set operations per level. So each process keeps the dependency relationships of a few
# large instansi in memory, checks their version (`GraphVersion`) with one query before every walk and
# reads them again when it changed. Smaller instansi keep the database walk, which is fast for them.
#
# An instansi's graph is the relationships whose source belongs to it. Both ends of a relationship
# belong to the same instansi (Relationship.clean), so a walk never leaves its root's instansi.

# Defaults of the settings SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS and SIMPUL_IMPACT_MEMORY_GRAPHS.
MEMORY_MIN_RELATIONSHIPS = 20_000
MEMORY_GRAPHS = 4
_FETCH = 10_000


@dataclass(frozen=True)
class MemoryGraph:
    """The dependency relationships of one instansi as read under `version`: for each direction, the
    elements one step further from each element (for dependents: the elements that need it)."""

    instansi_id: int
    version: int
    relationships: int
    steps: dict[str, dict[int, tuple[int, ...]]]


_graphs: OrderedDict[int, MemoryGraph] = OrderedDict()  # by instansi id, the least recently used first
_sizes: dict[int, tuple[int, int]] = {}  # instansi id -> (version, dependency relationships) when counted
_lock = threading.Lock()


def _adjacency(rows: Iterable[tuple[int, int, str]]) -> tuple[int, dict[str, dict[int, tuple[int, ...]]]]:
    """(number of rows, steps per direction) of (source, target, kind) rows, oriented as `_oriented`
    and the recursive query orient them."""
    dependents: defaultdict[int, list[int]] = defaultdict(list)
    dependencies: defaultdict[int, list[int]] = defaultdict(list)
    # Every row brings its own int objects: keep one per element, not one per end of each row.
    same: dict[int, int] = {}
    count = 0
    for source, target, kind in rows:
        count += 1
        source = same.setdefault(source, source)
        target = same.setdefault(target, target)
        if kind in SOURCE_DEPENDS:  # the source needs the target: it fails with it
            dependents[target].append(source)
            dependencies[source].append(target)
        if kind in TARGET_DEPENDS:  # the target needs the source
            dependents[source].append(target)
            dependencies[target].append(source)
    return count, {"dependents": _frozen(dependents), "dependencies": _frozen(dependencies)}


def _frozen(steps: dict[int, list[int]]) -> dict[int, tuple[int, ...]]:
    # Tuples, without repeats (two links of different kinds between the same elements are one step).
    return {node: tuple(dict.fromkeys(found)) for node, found in steps.items()}


def _walk_memory(steps: dict[int, tuple[int, ...]], root_id: int, max_depth: int) -> dict[int, int]:
    """The breadth-first walk of `_walk_by_level`, over the graph in memory. (A plain loop: set
    operations per level measured a third slower at a reach of 94k.)"""
    depth = {root_id: 0}
    frontier = [root_id]
    level = 0
    step = steps.get
    while frontier and level < max_depth:
        level += 1
        next_frontier: list[int] = []
        for node in frontier:
            for reached in step(node, ()):
                if reached not in depth:
                    depth[reached] = level
                    next_frontier.append(reached)
        frontier = next_frontier
    return depth


def _relationships_of(instansi_id: int):
    """The relationships of an instansi that carry a dependency, unordered."""
    return Relationship.objects.filter(source__owner__instansi_id=instansi_id, kind__in=DEPENDENCY_KINDS).order_by()


def _read_graph(instansi_id: int, version: int) -> MemoryGraph:
    # One query, read as plain tuples from the cursor: a queryset would first hold all rows in a list
    # (iterator() would, on PostgreSQL, use a server-side cursor planned for the first rows).
    sql, params = _relationships_of(instansi_id).values_list("source_id", "target_id", "kind").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, steps = _adjacency(row for rows in iter(lambda: cursor.fetchmany(_FETCH), []) for row in rows)
    return MemoryGraph(instansi_id, version, count, steps)


def memory_graph(root_id: int) -> MemoryGraph | None:
    """The in-memory graph of the instansi of `root_id`, current with the database, or None when the
    database walk suits it better: its instansi has fewer dependency relationships than
    SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS, or SIMPUL_IMPACT_MEMORY_GRAPHS is 0.

    One query reads the instansi and its graph version; a graph read under another version, or not
    held (at most SIMPUL_IMPACT_MEMORY_GRAPHS per process, the least recently used dropped first), is
    read again with one more. A graph held is used inside a transaction too: a transaction that has
    changed the instansi's relationships reads its own new version, which no graph held has.
    """
    capacity = getattr(settings, "SIMPUL_IMPACT_MEMORY_GRAPHS", MEMORY_GRAPHS)
    if capacity <= 0:
        return None
    threshold = getattr(settings, "SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS", MEMORY_MIN_RELATIONSHIPS)
    rows = (
        Element.objects.filter(pk=root_id)
        .order_by()
        .values_list("owner__instansi_id", "owner__instansi__graph_version__version")[:1]
    )
    found = next(iter(rows), None)
    if found is None:
        return None
    instansi_id, version = found[0], found[1] or 0  # no row: never changed through the signals
    with _lock:
        graph = _graphs.get(instansi_id)
        if graph is not None and graph.version == version:
            _graphs.move_to_end(instansi_id)
            return graph
        size = _sizes.get(instansi_id)
    # A graph held for an older version was large then: it is read again without counting first.
    if graph is None and threshold > 0:
        if size is None or size[0] != version:
            size = (version, _relationships_of(instansi_id).count())
            with _lock:
                _sizes[instansi_id] = size
        if size[1] < threshold:
            return None
    graph = _read_graph(instansi_id, version)
    if connection.in_atomic_block:
        # Read inside a transaction, the graph may hold its uncommitted changes, under a version that
        # is undone with them if it (or a savepoint) is rolled back, and on PostgreSQL does not change
        # again within it: walked this once, not kept. Graphs kept are read outside transactions.
        return graph
    with _lock:
        _sizes[instansi_id] = (version, graph.relationships)
        if graph.relationships < threshold:
            _graphs.pop(instansi_id, None)  # it has shrunk: walked this once, not kept
        else:
            _graphs[instansi_id] = graph
            _graphs.move_to_end(instansi_id)
            while len(_graphs) > capacity:
                _graphs.popitem(last=False)
    return graph


def forget_graphs(instansi_ids: Iterable[int] | None = None) -> None:
    """Drop this process's in-memory graphs (and counts) of these instansi, or of all."""
    with _lock:
        if instansi_ids is None:
            _graphs.clear()
            _sizes.clear()
            return
        for instansi_id in instansi_ids:
            _graphs.pop(instansi_id, None)
            _sizes.pop(instansi_id, None)


# The instansi of the changed elements, OPDs or instansi, each once.
_CHANGED_SQL = {
    "element_ids": "SELECT o.instansi_id AS instansi_id FROM {opd} o JOIN {element} e ON e.owner_id = o.id "
    "WHERE e.id IN ({marks})",
    "opd_ids": "SELECT o.instansi_id AS instansi_id FROM {opd} o WHERE o.id IN ({marks})",
    "instansi_ids": "SELECT i.id AS instansi_id FROM {instansi} i WHERE i.id IN ({marks})",
}

# On PostgreSQL the version is drawn from the transaction: its id, and its start time (so that the
# ids of another cluster, e.g. after restoring a backup, cannot repeat a version). Every change of one
# transaction then finds the version already set and leaves the row alone: a row updated once per
# relationship would keep one row version per update until the transaction ends, and an import of
# 300k relationships would make each update walk all those before it. The changed instansi are
# returned all the same, for `forget_graphs`.
_BUMP_POSTGRESQL = """
WITH changed AS ({changed}),
bumped AS (
    INSERT INTO {versions} AS v (instansi_id, version)
    SELECT DISTINCT instansi_id,
        ('x' || left(md5(txid_current()::text || ' ' || transaction_timestamp()::text), 15))::bit(60)::bigint
    FROM changed
    ON CONFLICT (instansi_id) DO UPDATE SET version = EXCLUDED.version
    WHERE v.version IS DISTINCT FROM EXCLUDED.version
)
SELECT DISTINCT instansi_id FROM changed
"""

# Elsewhere (SQLite) every change draws a new random version; a row updated in place costs little.
_BUMP_OTHER = """
WITH changed AS ({changed})
INSERT INTO {versions} (instansi_id, version)
SELECT DISTINCT instansi_id, %s FROM changed WHERE true
ON CONFLICT (instansi_id) DO UPDATE SET version = excluded.version
RETURNING instansi_id
"""


def graph_changed(
    *, element_ids: Iterable[int] = (), opd_ids: Iterable[int] = (), instansi_ids: Iterable[int] = ()
) -> set[int]:
    """Give the relationship graph of the instansi of these elements, OPDs and instansi a new version,
    and drop this process's copies of it; returns the instansi ids.

    Call it inside the transaction that changes the relationships, so that no other process sees the
    new version with the old relationships. The receivers in signals.py do so for every save and
    delete; code that writes relationships without signals (bulk_create, QuerySet.update, raw SQL)
    calls it itself.
    """
    quote = connection.ops.quote_name
    tables = {
        "opd": quote(PerangkatDaerah._meta.db_table),
        "element": quote(Element._meta.db_table),
        "instansi": quote(Instansi._meta.db_table),
    }
    parts, params = [], []
    for name, ids in (("element_ids", element_ids), ("opd_ids", opd_ids), ("instansi_ids", instansi_ids)):
        ids = sorted({pk for pk in ids if pk is not None})
        if ids:
            parts.append(_CHANGED_SQL[name].format(marks=", ".join(["%s"] * len(ids)), **tables))
            params += ids
    if not parts:
        return set()
    sql = _BUMP_POSTGRESQL if connection.vendor == "postgresql" else _BUMP_OTHER
    sql = sql.format(changed=" UNION ".join(parts), versions=quote(GraphVersion._meta.db_table))
    if connection.vendor != "postgresql":
        params.append(secrets.randbelow(2**63 - 1) + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = {instansi_id for (instansi_id,) in cursor.fetchall()}
    forget_graphs(changed)
    return changed


def analyse(root: Element | int, direction: str = "dependents", max_depth: int = MAX_DEPTH) -> ImpactResult:
    """Walk the dependency graph from `root`.

    direction="dependents": everything that stops working if `root` fails ("if simpul Sutoyo is down").
    direction="dependencies": everything `root` needs ("what does this service need?").
    """
    if direction not in ("dependents", "dependencies"):
        raise ValueError("direction must be 'dependents' or 'dependencies'")
    root_id = root if isinstance(root, int) else root.pk
    graph = memory_graph(root_id) if max_depth > 0 else None
    if max_depth <= 0:
        depth = {root_id: 0}
    elif graph is not None:
        depth = _walk_memory(graph.steps[direction], root_id, max_depth)
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
    which travel as one parameter (see `core.queries.pk_in`). The number of queries and what Python handles do
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
        return permissions.restrict(Element.objects.filter(pk_in(ids)), self.user, "view")

    def _distance(self, distances: list[int]) -> Case:
        # The elements' distances as an SQL expression. The query is already limited to these
        # distances, so the largest level needs no id list of its own: it is what is left.
        rest = max(distances, key=lambda distance: len(self.levels[distance]))
        whens = [When(pk_in(self.levels[d]), then=Value(d)) for d in distances if d != rest]
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

    def page(self, offset: int, limit: int, then_by=("name", "pk")) -> list[tuple[Element, int]]:
        """(element, distance) of the visible elements from `offset`, at most `limit` of them, ordered
        by distance, then name (or `then_by`, e.g. the diagram's layer first; end it with "pk" so the
        order is total). One query, reading only the distances the page reaches into."""
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
            .order_by("distance", *then_by)[offset - before : offset - before + limit]
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
