"""No code writes an audited model around the audit trail.

The trail hears every save and delete through model signals; `QuerySet.update()`, `bulk_update()`,
`bulk_create()`, `_raw_delete()`, `raw()`, `core.bulk.insert_rows()` and SQL through a cursor send none, so
a row changed that way changes without a trace. This test reads the source of every app under `simpul/`
(not tests, not migrations) with the `ast` module and lists each such write as `file:line`:

- the model is resolved where the code names it (`Model.objects…update(`, a variable assigned from such a
  queryset, a related manager such as `period.assessments.update(`); an audited model (one with core's
  AuditedMixin) is an offence unless ALLOWED names that write;
- a receiver that cannot be resolved needs a marker comment on its line saying why it is no audited
  model, e.g. `# audit: not an audited model` (a dict's `update(x)` with an argument is no queryset's);
- SQL sent through a cursor must be read-only as written (SELECT, WITH, SET, SAVEPOINT, …, no INSERT,
  UPDATE, DELETE, …).

A function in ALLOWED_FUNCTIONS may do any of these (a restore replaces the whole database).

Both allow-lists say why; adding to them is a decision a reviewer sees.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

import simpul
from simpul.core.models.base import AuditedMixin

SOURCE_ROOT = Path(simpul.__file__).resolve().parent
MARKER = re.compile(r"#\s*audit:\s*\S")

# Writes to audited models that are not changes a person made, with the fields they may touch.
ALLOWED = {
    ("simpul/accounts/api/authentication.py", "core.ApiKey", "update"): (
        {"last_used_at"},
        "the key's usage time is bookkeeping, excluded from the trail (ApiKey.audit_exclude_fields)",
    ),
}
# Functions that write around the signals on purpose (or send SQL that cannot be read statically), and why
# that is no bypass of the trail. Every offence inside them is allowed.
ALLOWED_FUNCTIONS = {
    ("simpul/core/bulk.py", "insert_rows"): "the bulk writer itself: its callers are checked (insert_rows below)",
    ("simpul/ops/backup.py", "_clear_migration_rows"): "a restore replaces the whole database, its trail with it",
    ("simpul/ops/backup.py", "_load_data"): "resets the id sequences after a restore; no row changes",
    ("simpul/architecture/impact.py", "graph_changed"): "writes architecture.GraphVersion, which is not audited",
    ("simpul/architecture/impact.py", "_read_graph"): "runs the ORM's own compiled SELECT of relationships",
}

BYPASSING_METHODS = {"update", "bulk_update", "bulk_create", "_raw_delete", "raw"}
QUERYSET_METHODS = {
    "all",
    "alias",
    "annotate",
    "defer",
    "difference",
    "distinct",
    "exclude",
    "extra",
    "filter",
    "intersection",
    "none",
    "only",
    "order_by",
    "prefetch_related",
    "reverse",
    "select_for_update",
    "select_related",
    "union",
    "using",
    "values",
    "values_list",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
NOT_QUERYSET_CALLS = {"dict", "set", "frozenset", "Counter", "defaultdict", "OrderedDict"}
READ_ONLY_SQL = re.compile(
    r"^\W*(SELECT|WITH|SET|SHOW|SAVEPOINT|RELEASE|ROLLBACK|CREATE\s+EXTENSION|EXPLAIN|PRAGMA)\b", re.I
)
WRITING_SQL = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|DROP|ALTER|COPY|REPLACE|GRANT)\b", re.I)


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()  # the receiver could not be resolved
NOT_QUERYSET = frozenset()  # resolved to something that is no queryset (a dict, a set)


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _models_by_name() -> dict[str, set[type]]:
    found: dict[str, set[type]] = {}
    for model in apps.get_models():
        found.setdefault(model.__name__, set()).add(model)
    return found


def _related_managers() -> dict[str, set[type]]:
    """Accessor names of reverse relations and many-to-many fields (`period.assessments`) → their models."""
    found: dict[str, set[type]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete and (field.one_to_many or field.many_to_many):
                name = field.get_accessor_name()
                if name and not name.endswith("+"):
                    found.setdefault(name, set()).add(field.related_model)
            elif field.many_to_many and field.concrete:
                found.setdefault(field.name, set()).add(field.related_model)
    return found


def _is_audited(model: type) -> bool:
    return issubclass(model, AuditedMixin)


def _marked_lines(text: str) -> set[int]:
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT and MARKER.search(token.string):
            lines.add(token.start[0])
    return lines


class _Scopes(ast.NodeVisitor):
    """The enclosing function (or the module) of every node, and the assignments of each name in it."""

    def __init__(self, tree: ast.Module):
        self.scope_of: dict[ast.AST, ast.AST] = {}
        self.assignments: dict[tuple[ast.AST, str], list[ast.AST | None]] = {}
        self.imports: dict[str, str] = {}
        self._stack: list[ast.AST] = [tree]
        self.visit(tree)

    def generic_visit(self, node):
        self.scope_of[node] = self._stack[-1]
        super().generic_visit(node)

    def _function(self, node):
        self.scope_of[node] = self._stack[-1]
        self._stack.append(node)
        for argument in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            self.assignments.setdefault((node, argument.arg), []).append(None)
        super().generic_visit(node)
        self._stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _bind(self, target, value):
        scope = self._stack[-1]
        if isinstance(target, ast.Name):
            self.assignments.setdefault((scope, target.id), []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(element, None)  # unpacked: not followed

    def visit_Assign(self, node):
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_For(self, node):
        self._bind(node.target, None)
        self.generic_visit(node)

    def visit_withitem(self, node):
        if node.optional_vars is not None:
            self._bind(node.optional_vars, None)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        for alias in node.names:
            self.imports[alias.asname or alias.name] = node.module or ""
        self.generic_visit(node)

    def values_of(self, node: ast.AST, name: str) -> list[ast.AST | None] | None:
        """The values assigned to `name` where `node` is: its function's, else the module's."""
        scope = self.scope_of.get(node)
        while scope is not None:
            if (scope, name) in self.assignments:
                return self.assignments[(scope, name)]
            scope = self.scope_of.get(scope)
        return None

    def function_name(self, node: ast.AST) -> str:
        scope = self.scope_of.get(node)
        while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            scope = self.scope_of.get(scope)
        return scope.name if scope is not None else ""


class Scanner:
    def __init__(self):
        self.by_name = _models_by_name()
        self.related = _related_managers()

    # --- resolving a receiver to its models ---

    def _named_models(self, node: ast.AST, scopes: _Scopes):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        candidates = self.by_name.get(name or "")
        if not candidates:
            return UNKNOWN
        module = scopes.imports.get(name) if isinstance(node, ast.Name) else None
        if module:
            # The name's own import says which of the models so named it is (or that it is none of them).
            return frozenset(m for m in candidates if m.__module__ == module or m.__module__.startswith(module + "."))
        return frozenset(candidates)

    def resolve(self, node: ast.AST, scopes: _Scopes, seen: frozenset = frozenset()):
        while (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERYSET_METHODS
        ):
            node = node.func.value
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            return self._named_models(node.value, scopes)
        if isinstance(node, ast.Attribute):
            return frozenset(self.related[node.attr]) if node.attr in self.related else UNKNOWN
        if isinstance(node, ast.Dict | ast.Set | ast.DictComp | ast.SetComp):
            return NOT_QUERYSET
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NOT_QUERYSET_CALLS:
            return NOT_QUERYSET
        if isinstance(node, ast.Name) and node.id not in seen:
            values = scopes.values_of(node, node.id)
            if not values or any(value is None for value in values):
                return UNKNOWN
            found: set = set()
            for value in values:
                resolved = self.resolve(value, scopes, seen | {node.id})
                if resolved is UNKNOWN:
                    return UNKNOWN
                found |= resolved
            return frozenset(found)
        return UNKNOWN

    # --- reading SQL ---

    def sql_texts(self, node: ast.AST, scopes: _Scopes, seen: frozenset = frozenset()) -> list[str] | None:
        """The constant text of an SQL argument (each possible one), or None when it cannot be read."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            # Interpolated parts are identifiers or compiled subqueries; the statement's verb is in the text.
            return ["".join(part.value if isinstance(part, ast.Constant) else " x " for part in node.values)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return self.sql_texts(node.func.value, scopes, seen)
        if isinstance(node, ast.IfExp):
            body, orelse = self.sql_texts(node.body, scopes, seen), self.sql_texts(node.orelse, scopes, seen)
            return None if body is None or orelse is None else body + orelse
        if isinstance(node, ast.Name):
            values = scopes.values_of(node, node.id)
            if not values or any(value is None for value in values):
                return None
            texts: list[str] = []
            for value in values:
                if isinstance(value, ast.Call) and _names_itself(value, node.id):
                    continue  # `sql = sql.format(...)`: the other assignment holds the text
                found = self.sql_texts(value, scopes, seen | {node.id}) if node.id not in seen else None
                if found is None:
                    return None
                texts += found
            return texts or None
        return None

    # --- the scan ---

    def scan(self, text: str, path: str) -> list[Offence]:
        tree = ast.parse(text)
        scopes = _Scopes(tree)
        marked = _marked_lines(text)
        offences: list[Offence] = []

        def marked_at(node) -> bool:
            return any(line in marked for line in range(node.lineno, (node.end_lineno or node.lineno) + 1))

        def report(node, what: str) -> None:
            if not marked_at(node) and (path, scopes.function_name(node)) not in ALLOWED_FUNCTIONS:
                offences.append(Offence(path, node.lineno, what))

        for node in ast.walk(tree):
            if isinstance(node, ast.With | ast.AsyncWith):
                self._check_cursor_block(node, scopes, path, offences, marked_at)
                continue
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "cursor" and not _inside_with_item(node, tree):
                report(node, "a cursor outside a `with` block: its SQL cannot be checked")
            if (isinstance(func, ast.Name) and func.id == "insert_rows") or (
                isinstance(func, ast.Attribute) and func.attr == "insert_rows"
            ):
                models = self._named_models(node.args[0], scopes) if node.args else UNKNOWN
                self._judge(node, models, "insert_rows", set(), path, report)
            if not isinstance(func, ast.Attribute) or func.attr not in BYPASSING_METHODS:
                continue
            # QuerySet.update takes keyword arguments only: with a positional one it is a dict's or a set's.
            if func.attr == "update" and (node.args or not node.keywords):
                continue
            models = self.resolve(func.value, scopes)
            fields = {keyword.arg for keyword in node.keywords if keyword.arg}
            self._judge(node, models, func.attr, fields, path, report)
        return offences

    def _judge(self, node, models, method: str, fields: set, path: str, report) -> None:
        if models is UNKNOWN:
            report(node, f"`{method}` on a receiver that names no model: mark why it is no audited model")
            return
        for model in sorted(models, key=lambda m: m._meta.label):
            if not _is_audited(model):
                continue
            allowed = ALLOWED.get((path, model._meta.label, method))
            if allowed is not None and fields and fields <= allowed[0]:
                continue
            report(node, f"`{method}` on the audited model {model._meta.label} bypasses the audit trail")

    def _check_cursor_block(self, node, scopes, path, offences, marked_at) -> None:
        names = {
            item.optional_vars.id
            for item in node.items
            if isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "cursor"
            and isinstance(item.optional_vars, ast.Name)
        }
        if not names or (path, scopes.function_name(node)) in ALLOWED_FUNCTIONS:
            return
        for call in ast.walk(node):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            if call.func.attr not in ("execute", "executemany", "copy") or _root_name(call.func.value) not in names:
                continue
            texts = self.sql_texts(call.args[0], scopes) if call.args else None
            if texts is not None and all(READ_ONLY_SQL.search(t) and not WRITING_SQL.search(t) for t in texts):
                continue
            if not marked_at(call):
                what = "SQL that writes" if texts is not None else "SQL that cannot be read here"
                offences.append(Offence(path, call.lineno, f"{what} through a cursor, around the audit trail"))


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _names_itself(value: ast.Call, name: str) -> bool:
    return _root_name(value.func) == name


def _inside_with_item(call: ast.Call, tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.With | ast.AsyncWith) and any(item.context_expr is call for item in node.items)
        for node in ast.walk(tree)
    )


def source_files() -> list[Path]:
    return sorted(
        path
        for path in SOURCE_ROOT.rglob("*.py")
        if not {"tests", "migrations", "__pycache__"} & set(path.relative_to(SOURCE_ROOT).parts)
    )


def relative(path: Path) -> str:
    return str(Path("simpul") / path.relative_to(SOURCE_ROOT))


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def test_no_code_writes_an_audited_model_around_the_audit_trail(scanner):
    offences = []
    for path in source_files():
        offences += scanner.scan(path.read_text(encoding="utf-8"), relative(path))
    assert not offences, "Writes that bypass the audit trail:\n" + "\n".join(map(str, offences))


def test_the_allow_lists_name_code_that_exists(scanner):
    # An entry whose file or function is gone would allow whatever comes to carry its name later.
    for path, function in ALLOWED_FUNCTIONS:
        tree = ast.parse((SOURCE_ROOT.parent / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert function in names, (path, function)
    for path, label, _method in ALLOWED:
        assert (SOURCE_ROOT.parent / path).exists() and apps.get_model(label) is not None


# --- The scan itself: what it finds and what it lets pass ---------------------------------------------------

# Evaluation's services before the workflow change: the national level written with QuerySet.update.
OLD_REFRESH_NATIONAL_LEVEL = """
from simpul.evaluation.models import IndicatorAssessment

def refresh_national_level(assessment):
    latest = 3
    if latest != assessment.national_level:
        IndicatorAssessment.objects.filter(pk=assessment.pk).update(national_level=latest)
"""


@pytest.mark.parametrize(
    ("source", "line", "what"),
    [
        (OLD_REFRESH_NATIONAL_LEVEL, 7, "evaluation.IndicatorAssessment"),
        (
            "from simpul.evaluation.models import IndicatorAssessment\n"
            "def f(period):\n"
            "    rows = IndicatorAssessment.objects.filter(period=period)\n"
            "    rows.update(status='accepted')\n",
            4,
            "evaluation.IndicatorAssessment",
        ),
        ("def f(period):\n    period.assessments.update(status='accepted')\n", 2, "evaluation.IndicatorAssessment"),
        (
            "from simpul.organizations.models import User\ndef f(users):\n    User.objects.bulk_update(users, ['email'])\n",
            3,
            "organizations.User",
        ),
        (
            "from simpul.core.bulk import insert_rows\nfrom simpul.evaluation.models import Evidence\n"
            "def f(rows):\n    insert_rows(Evidence, ['title'], rows)\n",
            4,
            "evaluation.Evidence",
        ),
        ("def f(queryset):\n    queryset.update(status='done')\n", 2, "names no model"),
        (
            "from django.db import connection\ndef f():\n    with connection.cursor() as cursor:\n"
            "        cursor.execute('UPDATE evaluation_indicatorassessment SET status = %s', ['accepted'])\n",
            4,
            "SQL that writes",
        ),
        (
            "from django.db import connection\ndef f(sql):\n    with connection.cursor() as cursor:\n"
            "        cursor.execute(sql)\n",
            4,
            "cannot be read",
        ),
        (
            "from simpul.core.models import ApiKey\ndef f(key):\n    ApiKey.objects.filter(pk=key.pk).update(name='x')\n",
            3,
            "core.ApiKey",
        ),
    ],
)
def test_the_scan_finds_writes_around_the_trail(scanner, source, line, what):
    offences = scanner.scan(source, "simpul/example.py")
    assert [offence.line for offence in offences] == [line], offences
    assert what in offences[0].what


@pytest.mark.parametrize(
    "source",
    [
        "def f(widget):\n    widget.attrs.update({'class': 'x'})\n",
        "def f():\n    numbers = {}\n    numbers.update(first=1)\n",
        "from simpul.evaluation.models import PeriodScore\ndef f(p):\n    PeriodScore.objects.filter(period=p).delete()\n"
        "    PeriodScore.objects.bulk_create([])\n",
        "from simpul.core.models import AuditChainHead\ndef f():\n    AuditChainHead.objects.filter(pk=1).update(entry_count=0)\n",
        "def f(queryset):\n    queryset.update(status='done')  # audit: not an audited model (a job's own row)\n",
        "from django.db import connection\ndef f():\n    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT 1')\n        sql = f'SELECT {1} FROM x'\n        cursor.execute(sql)\n",
    ],
)
def test_the_scan_lets_other_writes_and_reads_pass(scanner, source):
    assert scanner.scan(source, "simpul/example.py") == []


def test_the_allowed_bookkeeping_write_is_allowed_for_its_field_only(scanner):
    source = (
        "from simpul.core.models import ApiKey\ndef f(key, now):\n"
        "    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)\n"
    )
    assert scanner.scan(source, "simpul/accounts/api/authentication.py") == []
    assert scanner.scan(source, "simpul/core/api/other.py") != []
