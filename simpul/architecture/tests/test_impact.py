"""Impact analysis on hand-made graphs: chains, diamonds, cycles, the dependency direction of every
relationship kind, both walking directions, depth, path_to, max_depth, and the demo's own questions.

Expected results are written from the graphs drawn in each test, not computed by the code under test.
"""

import random
from collections import deque

import pytest
from django.core.management import call_command
from django.db import connection

from simpul.architecture import impact
from simpul.architecture.models import Element
from simpul.architecture.tests.factories import BY_DOMAIN, ApplicationFactory, InfrastructureFactory, link


def named(result) -> dict[str, int]:
    """{element name: depth} of everything reached (the root left out)."""
    names = dict(Element.objects.filter(pk__in=result.element_ids).values_list("pk", "name"))
    return {names[pk]: result.depth[pk] for pk in result.element_ids}


@pytest.fixture
def chain(world):
    """Pusat Data <-runs_on- Server <-runs_on- VM <-runs_on- App -realizes-> Service."""
    a1 = world.a1
    dc = InfrastructureFactory(owner=a1, name="Pusat Data", kind="pusat_data")
    server = InfrastructureFactory(owner=a1, name="Server")
    vm = InfrastructureFactory(owner=a1, name="VM", kind="vm")
    app = ApplicationFactory(owner=a1, name="App")
    service = BY_DOMAIN["layanan"](owner=world.a2, name="Service")
    link(server, "runs_on", dc)
    link(vm, "runs_on", server)
    link(app, "runs_on", vm)
    link(app, "realizes", service)
    return {"dc": dc, "server": server, "vm": vm, "app": app, "service": service}


def test_a_chain_reaches_every_dependent_with_its_distance(chain):
    result = impact.analyse(chain["dc"], "dependents")
    assert named(result) == {"Server": 1, "VM": 2, "App": 3, "Service": 4}
    assert result.direction == "dependents"
    assert result.depth[chain["dc"].pk] == 0


def test_the_dependencies_direction_walks_the_chain_the_other_way(chain):
    result = impact.analyse(chain["service"], "dependencies")
    assert named(result) == {"App": 1, "VM": 2, "Server": 3, "Pusat Data": 4}
    # Nothing depends on a service in this graph.
    assert named(impact.analyse(chain["service"], "dependents")) == {}
    # Nothing is needed by the data centre.
    assert named(impact.analyse(chain["dc"], "dependencies")) == {}


def test_a_middle_element_has_both_sides(chain):
    assert named(impact.analyse(chain["vm"], "dependents")) == {"App": 1, "Service": 2}
    assert named(impact.analyse(chain["vm"], "dependencies")) == {"Server": 1, "Pusat Data": 2}


def test_path_to_gives_the_chain_from_the_root(chain):
    result = impact.analyse(chain["dc"])
    ids = impact.path_to(result, chain["service"].pk)
    assert ids == [chain[k].pk for k in ("dc", "server", "vm", "app", "service")]
    assert impact.path_to(result, chain["dc"].pk) == [chain["dc"].pk]
    back = impact.analyse(chain["service"], "dependencies")
    assert impact.path_to(back, chain["dc"].pk) == [chain[k].pk for k in ("service", "app", "vm", "server", "dc")]


def test_max_depth_stops_the_walk(chain):
    assert named(impact.analyse(chain["dc"], max_depth=2)) == {"Server": 1, "VM": 2}
    assert named(impact.analyse(chain["dc"], max_depth=1)) == {"Server": 1}
    assert named(impact.analyse(chain["dc"], max_depth=0)) == {}


def test_the_root_may_be_given_by_id_and_a_wrong_direction_is_refused(chain):
    assert named(impact.analyse(chain["server"].pk)) == {"VM": 1, "App": 2, "Service": 3}
    with pytest.raises(ValueError):
        impact.analyse(chain["server"], "sideways")


def test_unrelated_components_are_not_visited(chain, world, django_assert_num_queries):
    # A second, larger component of the same instansi, never linked to the chain.
    other_dc = InfrastructureFactory(owner=world.a1, name="Other DC")
    for i in range(30):
        server = InfrastructureFactory(owner=world.a1, name=f"Other server {i}")
        link(server, "runs_on", other_dc)
        link(ApplicationFactory(owner=world.a1, name=f"Other app {i}"), "runs_on", server)
    # The first walk after a change also counts the instansi's relationships (it is too small for
    # the in-memory graph, see test_impact_memory.py); later ones read only its graph version.
    impact.analyse(other_dc)
    # Then PostgreSQL walks in one recursive query; elsewhere it is one query per level: four levels
    # that find something and one that finds nothing.
    with django_assert_num_queries(1 + (1 if connection.vendor == "postgresql" else 5)):
        result = impact.analyse(chain["dc"])
    assert set(named(result)) == {"Server", "VM", "App", "Service"}
    assert len(named(impact.analyse(other_dc))) == 60


def test_a_diamond_reaches_the_shared_dependent_once_at_its_shortest_distance(world):
    server = InfrastructureFactory(owner=world.a1, name="Server")
    vm = InfrastructureFactory(owner=world.a1, name="VM", kind="vm")
    left = ApplicationFactory(owner=world.a1, name="Left")
    right = ApplicationFactory(owner=world.a1, name="Right")
    service = BY_DOMAIN["layanan"](owner=world.a1, name="Service")
    link(vm, "runs_on", server)
    link(left, "runs_on", server)
    link(right, "runs_on", vm)
    link(left, "realizes", service)
    link(right, "realizes", service)
    result = impact.analyse(server)
    assert named(result) == {"VM": 1, "Left": 1, "Right": 2, "Service": 2}
    assert result.via[service.pk] == left.pk
    # Both ways into the service were traversed, even though it is listed once.
    assert (left.pk, service.pk, "realizes") in result.edges
    assert (right.pk, service.pk, "realizes") in result.edges
    assert named(impact.analyse(service, "dependencies")) == {"Left": 1, "Right": 1, "VM": 2, "Server": 2}


def test_a_cycle_ends_and_reaches_each_member_once(world):
    a, b, c = (InfrastructureFactory(owner=world.a1, name=n, kind="simpul_jaringan") for n in "ABC")
    link(a, "connected_via", b)
    link(b, "connected_via", c)
    link(c, "connected_via", a)
    # A needs B; so whoever is connected via A (C) fails with A, then B (connected via C).
    assert named(impact.analyse(a, "dependents")) == {"C": 1, "B": 2}
    assert named(impact.analyse(a, "dependencies")) == {"B": 1, "C": 2}
    result = impact.analyse(a)
    assert impact.path_to(result, b.pk) == [a.pk, c.pk, b.pk]


def test_a_two_way_integration_cycle_ends(world):
    left = ApplicationFactory(owner=world.a1, name="Left")
    right = ApplicationFactory(owner=world.a1, name="Right")
    tail = BY_DOMAIN["layanan"](owner=world.a1, name="Tail")
    link(left, "integrates_with", right)
    link(right, "integrates_with", left)
    link(right, "realizes", tail)
    assert named(impact.analyse(left)) == {"Right": 1, "Tail": 2}
    assert named(impact.analyse(right)) == {"Left": 1, "Tail": 1}


# kind, source domain, target domain, and which end fails when the other one does.
DIRECTIONS = [
    ("realizes", "aplikasi", "layanan", "target"),  # the service needs the application
    ("runs_on", "aplikasi", "infrastruktur", "source"),  # the application needs its server
    ("runs_on", "infrastruktur", "infrastruktur", "source"),  # the VM needs its host
    ("uses", "aplikasi", "data", "source"),  # the application needs the data it reads
    ("uses", "layanan", "data", "source"),
    ("produces", "aplikasi", "data", "target"),  # the data set needs the application producing it
    ("produces", "bisnis", "data", "target"),
    ("supports", "aplikasi", "bisnis", "target"),  # the process needs its application
    ("supports", "layanan", "bisnis", "target"),
    ("protected_by", "aplikasi", "keamanan", "source"),  # the application needs its control
    ("protected_by", "infrastruktur", "keamanan", "source"),
    ("integrates_with", "aplikasi", "aplikasi", "target"),  # the integrating app needs the integrated one
    ("connected_via", "infrastruktur", "infrastruktur", "source"),  # a LAN needs its node
    ("archimate", "lainnya", "lainnya", None),  # no dependency is assumed
]


@pytest.mark.parametrize(("kind", "source_domain", "target_domain", "dependent"), DIRECTIONS)
def test_each_kind_has_its_dependency_direction(world, kind, source_domain, target_domain, dependent):
    source = BY_DOMAIN[source_domain](owner=world.a1)
    target = BY_DOMAIN[target_domain](owner=world.a1)
    link(source, kind, target)
    source_fails = impact.analyse(source, "dependents").element_ids
    target_fails = impact.analyse(target, "dependents").element_ids
    source_needs = impact.analyse(source, "dependencies").element_ids
    target_needs = impact.analyse(target, "dependencies").element_ids
    if dependent == "source":
        assert (source_fails, target_fails) == ([], [source.pk])
        assert (source_needs, target_needs) == ([target.pk], [])
    elif dependent == "target":
        assert (source_fails, target_fails) == ([target.pk], [])
        assert (source_needs, target_needs) == ([], [source.pk])
    else:
        assert source_fails == target_fails == source_needs == target_needs == []


def test_an_app_fails_with_its_server_and_a_service_with_its_app(world):
    """The two questions of the issue, on their smallest graph."""
    server = InfrastructureFactory(owner=world.a1, name="Server")
    app = ApplicationFactory(owner=world.a1, name="App")
    service = BY_DOMAIN["layanan"](owner=world.a1, name="Service")
    link(app, "runs_on", server)
    link(app, "realizes", service)
    assert named(impact.analyse(server)) == {"App": 1, "Service": 2}
    assert named(impact.analyse(app)) == {"Service": 1}


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", "Sandi-Demo-Uji-2026")
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {e.name: e for e in Element.objects.filter(owner__instansi__slug="lampung-timur").select_related("owner")}


def test_demo_if_simpul_sutoyo_is_down(demo):
    result = impact.analyse(demo["Simpul Jaringan Sutoyo"])
    reached = named(result)
    assert reached["LAN DINAS PUPR"] == 1
    assert reached["LAN DPMPTSP"] == 1
    assert reached["Ruang Server DPMPTSP"] == 1
    assert reached["DPMTK-Android"] == 2
    assert reached["Layanan Perizinan Berbasis Elektronik"] == 3
    opds = {demo[name].owner.short_name for name in reached}
    assert {"DINAS PUPR", "DPMPTSP"} <= opds
    # The rest of the network and the applications in the Pusat Data keep working.
    for unaffected in ("Simpul Jaringan DISKOMINFO", "Pusat Data Elektronik Daerah", "LAN BKD", "SIMPEG", "e-Office"):
        assert unaffected not in reached
    path = [Element.objects.get(pk=pk).name for pk in impact.path_to(result, demo["DPMTK-Android"].pk)]
    assert path == ["Simpul Jaringan Sutoyo", "Ruang Server DPMPTSP", "DPMTK-Android"]


def test_demo_what_the_personnel_service_needs(demo):
    reached = named(impact.analyse(demo["Layanan Manajemen Kepegawaian"], "dependencies"))
    assert reached["SIMPEG"] == 1
    assert reached["VM Layanan Administrasi"] == 2
    assert reached["Server Aplikasi 1"] == 3
    assert reached["Pusat Data Elektronik Daerah"] == 4
    # Another application's VM and server are not needed.
    assert "VM Layanan Publik" not in reached
    assert "Server Aplikasi 2" not in reached
    assert "e-Office" not in reached


# --- A random graph with many cycles, against a breadth-first search written here ------------------


def _reference_walk(links, root, direction, max_depth):
    """Shortest distances by a plain breadth-first search over (source, kind, target) triples."""
    from simpul.architecture.vocabulary import RELATIONSHIP_TYPES

    step: dict[int, set[int]] = {}
    for source, kind, target in links:
        dependent = RELATIONSHIP_TYPES[kind].dependent
        # Who fails with whom: the dependent end fails when the other end does.
        pairs = []
        if dependent in ("source", "both"):
            pairs.append((target, source))
        if dependent in ("target", "both"):
            pairs.append((source, target))
        for needed, needing in pairs:
            came_from, reached = (needed, needing) if direction == "dependents" else (needing, needed)
            step.setdefault(came_from, set()).add(reached)
    depth = {root: 0}
    queue = deque([root])
    while queue:
        current = queue.popleft()
        if depth[current] >= max_depth:
            continue
        for reached in step.get(current, ()):
            if reached not in depth:
                depth[reached] = depth[current] + 1
                queue.append(reached)
    return depth


@pytest.fixture
def tangle(world):
    """30 infrastructure components and 15 applications, linked at random (cycles included)."""
    rng = random.Random(20240501)
    infra = [InfrastructureFactory(owner=world.a1, name=f"Infra {i}") for i in range(30)]
    apps = [ApplicationFactory(owner=world.a1, name=f"App {i}") for i in range(15)]
    links = set()
    candidates = [
        (infra, "runs_on", infra),
        (infra, "connected_via", infra),
        (apps, "runs_on", infra),
        (apps, "integrates_with", apps),
    ]
    while len(links) < 120:
        sources, kind, targets = rng.choice(candidates)
        source, target = rng.choice(sources), rng.choice(targets)
        if source.pk != target.pk and (source.pk, kind, target.pk) not in links:
            link(source, kind, target)
            links.add((source.pk, kind, target.pk))
    return [e.pk for e in infra + apps], links


@pytest.mark.parametrize("direction", ["dependents", "dependencies"])
@pytest.mark.parametrize("max_depth", [1, 2, 3, impact.MAX_DEPTH])
def test_distances_match_a_plain_breadth_first_search(tangle, direction, max_depth):
    ids, links = tangle
    for root in ids[::4]:
        expected = _reference_walk(links, root, direction, max_depth)
        result = impact.analyse(root, direction, max_depth=max_depth)
        assert result.depth == expected, (root, direction, max_depth)
        # The walk of other databases, one query per level, gives the same answer everywhere.
        assert impact._walk_by_level(root, direction, max_depth) == expected


def test_edges_and_paths_follow_only_shortest_steps_within_the_depth_limit(tangle):
    ids, links = tangle
    root = ids[0]
    result = impact.analyse(root, max_depth=2)
    for came_from, reached, kind in result.edges:
        assert result.depth[came_from] < 2 and reached in result.depth
        assert (reached, kind, came_from) in links or (came_from, kind, reached) in links
    for element_id, distance in result.depth.items():
        path = impact.path_to(result, element_id)
        assert path[0] == root and path[-1] == element_id and len(path) == distance + 1
        assert [result.depth[pk] for pk in path] == list(range(distance + 1))
    shown = ids[:10]
    assert result.edges_among(shown) == {e for e in result.edges if e[0] in shown and e[1] in shown}
