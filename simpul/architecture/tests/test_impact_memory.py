"""The in-memory walk of large instansi (`impact.memory_graph`): it gives the distances of both
database walks and of a plain breadth-first search, and a graph a process holds is never used after
the relationships of its instansi changed, whoever changed them and however.

SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS is 0 here unless a test says otherwise, so every instansi
takes the in-memory walk. A process keeps only the graphs it reads outside a transaction, so the
tests of what it keeps commit their writes (transaction=True) instead of running inside one.
"""

import random

import pytest
from django.db import connection, transaction
from django.db.models import F

from simpul.architecture import impact
from simpul.architecture.models import GraphVersion, Relationship
from simpul.architecture.tests.factories import BY_DOMAIN, ApplicationFactory, InfrastructureFactory, link
from simpul.architecture.tests.test_impact import _reference_walk
from simpul.organizations.tests.factories import PerangkatDaerahFactory

committed = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def memory(settings):
    settings.SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS = 0
    settings.SIMPUL_IMPACT_MEMORY_GRAPHS = 4
    impact.forget_graphs()  # what earlier tests left behind (their ids may come back on SQLite)
    yield
    impact.forget_graphs()


def held() -> dict[int, int]:
    """{instansi id: version} of the graphs this process holds."""
    return {instansi_id: graph.version for instansi_id, graph in impact._graphs.items()}


def version_of(instansi) -> int:
    return GraphVersion.objects.filter(instansi=instansi).values_list("version", flat=True).first() or 0


def reached(root, direction="dependents") -> dict[int, int]:
    result = impact.analyse(root, direction)
    return {pk: distance for pk, distance in result.depth.items() if pk != result.root_id}


# --- The same distances as the database walks ---------------------------------------------------------

# Which domains each kind may link (vocabulary.py), for a random graph that uses every kind.
KINDS = [
    ("infrastruktur", "runs_on", "infrastruktur"),
    ("infrastruktur", "connected_via", "infrastruktur"),
    ("aplikasi", "runs_on", "infrastruktur"),
    ("aplikasi", "integrates_with", "aplikasi"),
    ("aplikasi", "realizes", "layanan"),
    ("aplikasi", "uses", "data"),
    ("layanan", "uses", "data"),
    ("aplikasi", "produces", "data"),
    ("bisnis", "produces", "data"),
    ("aplikasi", "supports", "bisnis"),
    ("layanan", "supports", "bisnis"),
    ("aplikasi", "protected_by", "keamanan"),
    ("infrastruktur", "protected_by", "keamanan"),
    ("aplikasi", "archimate", "infrastruktur"),  # no dependency: never followed
    ("data", "archimate", "aplikasi"),
]


def random_web(rng, owners, sizes, count):
    """Elements of each domain spread over `owners`, and `count` distinct random links (cycles
    included); returns (element ids, {(source, kind, target)})."""
    elements = {
        domain: [BY_DOMAIN[domain](owner=rng.choice(owners), name=f"{domain} {i}") for i in range(n)]
        for domain, n in sizes.items()
    }
    links = set()
    while len(links) < count:
        source_domain, kind, target_domain = rng.choice(KINDS)
        source, target = rng.choice(elements[source_domain]), rng.choice(elements[target_domain])
        if source.pk != target.pk and (source.pk, kind, target.pk) not in links:
            link(source, kind, target)
            links.add((source.pk, kind, target.pk))
    return [e.pk for group in elements.values() for e in group], links


@pytest.fixture
def webs(world):
    """A random web of instansi A (over its two OPDs) and a smaller one of instansi B."""
    rng = random.Random(20261128)
    sizes = {"infrastruktur": 18, "aplikasi": 14, "layanan": 6, "data": 7, "bisnis": 5, "keamanan": 3}
    web_a = random_web(rng, [world.a1, world.a2], sizes, 190)
    web_b = random_web(rng, [world.b1], dict.fromkeys(sizes, 4), 40)
    return web_a, web_b


def test_the_memory_walk_gives_the_distances_of_the_database_walks_and_a_plain_search(webs):
    for ids, links in webs:
        for direction in ("dependents", "dependencies"):
            for max_depth in (1, 2, 3, impact.MAX_DEPTH):
                for root in ids[::3]:
                    expected = _reference_walk(links, root, direction, max_depth)
                    graph = impact.memory_graph(root)
                    assert graph is not None
                    assert impact._walk_memory(graph.steps[direction], root, max_depth) == expected
                    assert impact.analyse(root, direction, max_depth).depth == expected, (root, direction)
                    assert impact._walk_by_level(root, direction, max_depth) == expected
                    if connection.vendor == "postgresql":
                        assert impact._walk_postgresql(root, direction, max_depth) == expected


def test_a_graph_holds_the_dependency_relationships_of_its_own_instansi(webs, world):
    (ids_a, links_a), (ids_b, _links_b) = webs
    graph = impact.memory_graph(ids_a[0])
    assert graph.instansi_id == world.inst_a.pk
    assert graph.relationships == len([link for link in links_a if link[1] != "archimate"])
    in_graph = {pk for steps in graph.steps.values() for pk in steps}
    assert in_graph <= set(ids_a) and not in_graph & set(ids_b)
    assert impact.memory_graph(ids_b[0]).instansi_id == world.inst_b.pk


def test_small_instansi_keep_the_database_walk(webs, settings):
    (ids_a, links_a), _ = webs
    dependency_links = len([link for link in links_a if link[1] != "archimate"])
    settings.SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS = dependency_links + 1
    assert impact.memory_graph(ids_a[0]) is None
    settings.SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS = dependency_links
    assert impact.memory_graph(ids_a[0]) is not None
    settings.SIMPUL_IMPACT_MEMORY_GRAPHS = 0  # holding no graph turns the in-memory walk off
    assert impact.memory_graph(ids_a[0]) is None
    assert impact.analyse(ids_a[0]).depth == _reference_walk(links_a, ids_a[0], "dependents", impact.MAX_DEPTH)


# --- A graph held is current --------------------------------------------------------------------------


@pytest.fixture
def chain(world):
    """Pusat Data <-runs_on- Server <-runs_on- App -realizes-> Layanan, in instansi A."""
    dc = InfrastructureFactory(owner=world.a1, name="Pusat Data", kind="pusat_data")
    server = InfrastructureFactory(owner=world.a1, name="Server")
    app = ApplicationFactory(owner=world.a2, name="App")
    service = BY_DOMAIN["layanan"](owner=world.a2, name="Layanan")
    on_dc = link(server, "runs_on", dc)
    on_server = link(app, "runs_on", server)
    link(app, "realizes", service)
    return {"dc": dc, "server": server, "app": app, "service": service, "on_dc": on_dc, "on_server": on_server}


@committed
def test_a_held_graph_serves_each_walk_with_one_query(chain, world, django_assert_num_queries):
    assert reached(chain["dc"]) == {chain["server"].pk: 1, chain["app"].pk: 2, chain["service"].pk: 3}
    assert held() == {world.inst_a.pk: version_of(world.inst_a)}
    with django_assert_num_queries(1):  # the instansi's version; the walk itself reads nothing
        assert reached(chain["service"], "dependencies") == {
            chain["app"].pk: 1,
            chain["server"].pk: 2,
            chain["dc"].pk: 3,
        }


@committed
def test_creating_changing_and_deleting_relationships_is_seen_by_the_next_walk(chain, world):
    dc, server, app, service = chain["dc"], chain["server"], chain["app"], chain["service"]
    assert reached(dc) == {server.pk: 1, app.pk: 2, service.pk: 3}
    before = held()[world.inst_a.pk]

    vm = InfrastructureFactory(owner=world.a1, name="VM", kind="vm")
    on_vm = link(vm, "runs_on", dc)
    assert reached(dc) == {server.pk: 1, vm.pk: 1, app.pk: 2, service.pk: 3}
    assert held()[world.inst_a.pk] != before

    on_vm.kind = "archimate"  # no dependency any more
    on_vm.save()
    assert reached(dc) == {server.pk: 1, app.pk: 2, service.pk: 3}
    on_vm.kind = "runs_on"
    on_vm.save()
    assert vm.pk in reached(dc)

    on_server = chain["on_server"]  # the application moves from the server to the VM
    on_server.target = vm
    on_server.save()
    assert reached(dc) == {server.pk: 1, vm.pk: 1, app.pk: 2, service.pk: 3}
    assert reached(server) == {}

    version = version_of(world.inst_a)
    on_server.description = "Dipindahkan 2026"  # nothing the walk reads: the graph stays
    on_server.save()
    assert version_of(world.inst_a) == version and held()[world.inst_a.pk] == version

    on_vm.delete()
    assert reached(dc) == {server.pk: 1}


@committed
def test_deleting_an_element_with_relationships_is_seen_by_the_next_walk(chain):
    dc, server, app, service = chain["dc"], chain["server"], chain["app"], chain["service"]
    assert reached(service, "dependencies") == {app.pk: 1, server.pk: 2, dc.pk: 3}
    server.delete()  # its two relationships go with it
    assert not Relationship.objects.filter(pk__in=[chain["on_dc"].pk, chain["on_server"].pk]).exists()
    assert reached(service, "dependencies") == {app.pk: 1}
    assert reached(dc) == {}


@committed
def test_a_change_by_another_process_is_seen_through_the_version(chain, world):
    dc, server = chain["dc"], chain["server"]
    assert server.pk in reached(dc)
    # Another process changes the relationship: this process's receivers never hear of it ...
    Relationship.objects.filter(pk=chain["on_dc"].pk).update(kind="archimate")
    assert server.pk in reached(dc)  # ... so the graph it holds is what answers (stale)
    # ... until the version that process's transaction wrote is read here.
    GraphVersion.objects.filter(instansi=world.inst_a).update(version=F("version") + 1)
    assert reached(dc) == {}


@committed
def test_relationships_written_in_bulk_are_read_by_a_process_started_after_them(world):
    dc = InfrastructureFactory(owner=world.b1, name="Pusat Data B", kind="pusat_data")
    servers = [InfrastructureFactory(owner=world.b1, name=f"Server B{i}") for i in range(3)]
    Relationship.objects.bulk_create([Relationship(source=s, kind="runs_on", target=dc) for s in servers])
    assert not GraphVersion.objects.filter(instansi=world.inst_b).exists()  # no signals: no version row
    assert reached(dc) == {s.pk: 1 for s in servers}  # read from scratch, held as version 0
    assert held() == {world.inst_b.pk: 0}
    apps = [ApplicationFactory(owner=world.b1, name=f"App B{i}") for i in range(3)]
    Relationship.objects.bulk_create([Relationship(source=a, kind="runs_on", target=servers[0]) for a in apps])
    # Bulk writers say so themselves; a process started later would read the graph anew anyway.
    assert impact.graph_changed(element_ids=[dc.pk]) == {world.inst_b.pk}
    assert version_of(world.inst_b) != 0
    assert reached(dc) == {**{s.pk: 1 for s in servers}, **{a.pk: 2 for a in apps}}


@committed
def test_moving_an_element_or_an_opd_to_another_instansi_changes_both_versions(chain, world):
    link(ApplicationFactory(owner=world.b1), "runs_on", InfrastructureFactory(owner=world.b1))
    a, b = version_of(world.inst_a), version_of(world.inst_b)
    server = chain["server"]
    server.name = "Server utama"  # the owner stays: nothing changes
    server.save()
    assert (version_of(world.inst_a), version_of(world.inst_b)) == (a, b)
    server.owner = world.b1
    server.save()
    assert version_of(world.inst_a) not in (a, 0) and version_of(world.inst_b) not in (b, 0)
    a, b = version_of(world.inst_a), version_of(world.inst_b)
    world.a2.instansi = world.inst_b
    world.a2.save()
    assert version_of(world.inst_a) != a and version_of(world.inst_b) != b


@committed
def test_a_relationship_given_ends_in_another_instansi_leaves_the_graph_of_the_first(chain, world):
    dc_b = InfrastructureFactory(owner=world.b1, name="Pusat Data B", kind="pusat_data")
    server_b = InfrastructureFactory(owner=world.b1, name="Server B")
    moved = link(server_b, "runs_on", dc_b)
    assert reached(dc_b) == {server_b.pk: 1}
    assert world.inst_b.pk in held()
    moved.source, moved.target = ApplicationFactory(owner=world.a1, name="App A"), chain["server"]
    moved.save()
    assert reached(dc_b) == {}
    assert moved.source_id in reached(chain["server"])


@committed
def test_a_graph_read_inside_a_transaction_is_not_kept(chain, world):
    dc, server = chain["dc"], chain["server"]
    with transaction.atomic():
        vm = InfrastructureFactory(owner=world.a1, name="VM", kind="vm")
        link(vm, "runs_on", dc)
        assert vm.pk in reached(dc)  # the transaction sees its own relationship ...
        try:
            with transaction.atomic():
                on_server = InfrastructureFactory(owner=world.a1, name="Di atas VM")
                link(on_server, "runs_on", vm)
                assert on_server.pk in reached(dc)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert on_server.pk not in reached(dc)  # ... and no longer what a rolled-back savepoint wrote
        assert held() == {}
    assert set(reached(dc)) == {server.pk, vm.pk, chain["app"].pk, chain["service"].pk}
    assert world.inst_a.pk in held()


@committed
def test_one_transaction_writes_the_version_once_on_postgresql(world):
    dc = InfrastructureFactory(owner=world.a1, name="Pusat Data", kind="pusat_data")
    versions = []
    with transaction.atomic():
        for i in range(3):
            link(InfrastructureFactory(owner=world.a1, name=f"Server {i}"), "runs_on", dc)
            versions.append(version_of(world.inst_a))
    assert 0 not in versions
    # PostgreSQL draws the version from the transaction (one row write however many changes); SQLite
    # draws a new one at every change.
    assert len(set(versions)) == (1 if connection.vendor == "postgresql" else 3)
    assert version_of(world.inst_a) == versions[-1]
    assert len(reached(dc)) == 3


@committed
def test_at_most_the_configured_number_of_graphs_is_held_the_least_recently_used_dropped(world, settings):
    settings.SIMPUL_IMPACT_MEMORY_GRAPHS = 2
    third = PerangkatDaerahFactory()
    roots = {}
    for opd in (world.a1, world.b1, third):
        roots[opd.instansi_id] = InfrastructureFactory(owner=opd, kind="pusat_data")
        link(InfrastructureFactory(owner=opd), "runs_on", roots[opd.instansi_id])
    a, b, c = world.inst_a.pk, world.inst_b.pk, third.instansi_id
    reached(roots[a])
    reached(roots[b])
    assert list(held()) == [a, b]
    reached(roots[a])  # used again: now b is the least recently used
    reached(roots[c])
    assert list(held()) == [a, c]
    assert len(reached(roots[b])) == 1  # read again when asked for
    assert list(held()) == [c, b]
