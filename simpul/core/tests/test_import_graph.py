"""Core's modules import each other without a cycle.

A cycle is what made `importjobs`, `tasks` and the generic views each import another inside a function
"to break the cycle": the import then runs later, but the modules still cannot be understood, tested
or moved one without the other. So imports inside functions count as edges here like module-level ones;
one may be left out of the graph only with a stated reason in DEFERRED_WITHOUT_EDGE. Imports are read
with `ast`, so the test sees every import statement, including ones in code no test runs. Dotted paths
in strings (`import_string`, settings, the module declarations) are not imports and are not followed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import simpul.core

CORE = Path(simpul.core.__file__).resolve().parent

# (importing module, imported module) -> why this import inside a function is not an edge. Empty: every
# import inside a function of core currently fits the graph without a cycle.
DEFERRED_WITHOUT_EDGE: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    deferred: bool  # inside a function: runs when called, not when the module is imported

    def __str__(self) -> str:
        where = "inside a function" if self.deferred else "module level"
        return f"{self.source} -> {self.target} (line {self.line}, {where})"


def package_modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted name -> file of every module of the package, without its tests and migrations."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue  # tests import what they test; migrations are frozen history
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((package, *parts))] = path
    return found


def _deferred_nodes(tree: ast.Module) -> set[int]:
    """The ids of the import statements that sit inside a function (or a method)."""
    deferred = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            deferred |= {id(inner) for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)}
    return deferred


def import_edges(modules: dict[str, Path]) -> list[Edge]:
    """Every import of one module of `modules` by another, module-level and inside functions."""
    edges = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        deferred = _deferred_nodes(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from package import module` imports the module; `from module import name` the module.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            for target in dict.fromkeys(targets):
                # `import simpul.core.audit.x` and `from simpul.core.audit import x`: the nearest module.
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(f"{target}."):
                    edges.append(Edge(name, target, node.lineno, id(node) in deferred))
    return edges


def find_cycle(edges: list[Edge]) -> list[Edge]:
    """One import cycle as its edges, or [] when the graph is acyclic (depth-first search)."""
    graph: dict[str, list[Edge]] = {}
    for edge in edges:
        graph.setdefault(edge.source, []).append(edge)
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[Edge] = []

    def visit(module: str) -> list[Edge]:
        state[module] = "open"
        for edge in graph.get(module, []):
            if state.get(edge.target) == "open":
                start = next((i for i, step in enumerate(path) if step.source == edge.target), len(path))
                return [*path[start:], edge]
            if edge.target not in state:
                path.append(edge)
                cycle = visit(edge.target)
                if cycle:
                    return cycle
                path.pop()
        state[module] = "done"
        return []

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return []


def core_edges() -> list[Edge]:
    edges = import_edges(package_modules(CORE, "simpul.core"))
    return [edge for edge in edges if not (edge.deferred and (edge.source, edge.target) in DEFERRED_WITHOUT_EDGE)]


def test_core_has_no_import_cycle():
    cycle = find_cycle(core_edges())
    assert cycle == [], "Import cycle in simpul/core:\n" + "\n".join(f"  {edge}" for edge in cycle)


def test_the_graph_sees_module_level_and_deferred_imports():
    """Not vacuous: known imports of both kinds are edges of the graph."""
    edges = {(edge.source, edge.target, edge.deferred) for edge in core_edges()}
    assert ("simpul.core.views.generic", "simpul.core.importjobs", False) in edges
    assert ("simpul.core.importjobs", "simpul.core.importexport", False) in edges
    assert ("simpul.core.apps", "simpul.core.audit", True) in edges  # `ready()` imports it
    assert ("simpul.core.audit", "simpul.core.models.audit", False) in edges  # through a package


def test_every_excused_deferred_import_still_exists():
    deferred = {
        (edge.source, edge.target) for edge in import_edges(package_modules(CORE, "simpul.core")) if edge.deferred
    }
    assert set(DEFERRED_WITHOUT_EDGE) <= deferred


def test_a_cycle_closed_inside_a_function_is_found(tmp_path):
    """The shape the tasks/importjobs/generic cycle had: one side imports the other only when called."""
    package = tmp_path / "pkg"
    (package / "views").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "views" / "__init__.py").write_text("")
    (package / "jobs.py").write_text("def start():\n    from pkg.tasks import run\n    run()\n")
    (package / "tasks.py").write_text("from pkg import jobs\n")
    (package / "views" / "generic.py").write_text("from .. import jobs\n")
    edges = import_edges(package_modules(package, "pkg"))
    assert {(edge.source, edge.target) for edge in edges} == {
        ("pkg.jobs", "pkg.tasks"),
        ("pkg.tasks", "pkg.jobs"),
        ("pkg.views.generic", "pkg.jobs"),
    }
    cycle = find_cycle(edges)
    assert {edge.source for edge in cycle} == {"pkg.jobs", "pkg.tasks"}
    assert any(edge.deferred for edge in cycle)
    assert find_cycle([edge for edge in edges if not edge.deferred]) == []
