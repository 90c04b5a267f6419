"""The module contract (simpul/core/modules.py): what core gathers from the modules' AppConfigs, the demo
order, the validation of grants, the generated permission page, and core importing no app."""

import re
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.core import modules, permissions
from simpul.core.checks import check_modules
from simpul.core.management.commands import permissions as permissions_command
from simpul.core.permissions import ALL, VIEW

CORE = Path(modules.__file__).resolve().parent
DOCS = CORE.parent.parent / "docs"


def fake(label, requires=(), loader="x.load", **attributes) -> modules.SimpulModule:
    """A module as core sees it: the contract's defaults, with the given declarations."""
    module = modules.SimpulModule()
    module.label = label
    module.demo_requires = requires
    module.demo_loader = loader
    for name, value in attributes.items():
        setattr(module, name, value)
    return module


@pytest.fixture
def declared(monkeypatch):
    """Replace the installed modules by fakes; the cached grants are dropped before and after."""

    def install(*fakes):
        monkeypatch.setattr(modules, "simpul_modules", lambda: list(fakes))
        permissions.grant_table.cache_clear()

    yield install
    permissions.grant_table.cache_clear()


# --- What core gathers ----------------------------------------------------------------------------


def test_every_simpul_app_is_a_module_in_installed_order():
    labels = [module.label for module in modules.simpul_modules()]
    assert labels[:8] == [
        "core",
        "organizations",
        "architecture",
        "evaluation",
        "roadmap",
        "governance",
        "servicedesk",
        "dashboard",
    ]


def test_navigation_keeps_its_order_and_labels():
    with translation.override("en"):
        with_labels = [(str(entry.label), entry.url_name, entry.model) for entry in modules.navigation()]
    with_labels = [entry for entry in with_labels if not entry[1].startswith("throwaway:")]
    assert with_labels == [
        ("Executive dashboard", "dashboard:executive", "evaluation.evaluationperiod"),
        ("Architecture", "architecture:overview", "architecture.element"),
        ("Evaluation", "evaluation:overview", "evaluation.evaluationperiod"),
        ("Roadmap", "roadmap:overview", "roadmap.output"),
        ("Governance", "governance:overview", "governance.policy"),
        ("Service desk", "servicedesk:ticket_list", "servicedesk.ticket"),
        ("Organisations", "organizations:instansi_list", "organizations.instansi"),
        ("Regional departments", "organizations:perangkatdaerah_list", "organizations.perangkatdaerah"),
        ("Users", "organizations:user_list", "organizations.user"),
        ("Audit trail", "core:auditentry_list", "core.auditentry"),
        ("Workflow events", "core:workflowevent_list", "core.workflowevent"),
    ]


def test_home_cards_come_platform_first_then_by_module():
    names = [f"{source.__module__}.{source.__name__}" for source in modules.home_card_sources()]
    assert names == [
        "simpul.dashboard.cards.platform_cards",
        "simpul.architecture.cards.architecture_cards",
        "simpul.evaluation.cards.evaluation_cards",
        "simpul.roadmap.cards.roadmap_cards",
        "simpul.governance.cards.governance_cards",
    ]


def test_demo_loads_organizations_then_architecture_then_evaluation_with_the_kernels_users():
    assert [module.label for module in modules.demo_order()] == [
        "organizations",
        "architecture",
        "evaluation",
        "roadmap",
        "governance",
    ]
    usernames = [user.username for user in modules.demo_users()]
    assert usernames[:2] == ["admin", "koordinator"]
    assert len(usernames) == 12


def test_each_modules_pages_and_api_are_routed_at_its_prefix():
    assert reverse("home") == "/"
    assert reverse("organizations:perangkatdaerah_list") == "/organizations/opd/"
    assert reverse("architecture:overview") == "/architecture/"
    assert reverse("evaluation:overview") == "/evaluation/"
    assert reverse("core:auditentry_list") == "/core/audit/"
    assert reverse("core-api:auditentry-list") == "/api/core/audit-entries/"
    assert reverse("architecture-api:element-list") == "/api/architecture/elements/"
    assert reverse("throwaway:note_list") == "/throwaway-notes/note/"
    assert reverse("search") == "/search/"
    # Un-namespaced routes at the root (`root_urls`): the names Django and the page layout look up bare.
    assert reverse("login") == "/accounts/login/"
    assert reverse("two_factor") == "/accounts/two-factor/"
    assert reverse("accounts:apikey_list") == "/accounts/api-keys/"
    # The accounts API sits at /api/ itself, on the paths it had as core's.
    assert reverse("accounts-api:api_token") == "/api/auth/token/"
    assert reverse("accounts-api:apikey-list") == "/api/core/api-keys/"


def test_evidence_offers_the_architectures_declared_record_types():
    from simpul.evaluation import evidence

    assert list(evidence.linkable_types()) == [
        "architecture.element",
        "architecture.application",
        "architecture.service",
        "architecture.dataset",
        "architecture.infrastructure",
        "architecture.businessprocess",
        "architecture.security",
        "evaluation.indicator",
        "roadmap.output",
        "governance.policy",
        "governance.meeting",
    ]


def test_the_installed_declarations_pass_the_system_check():
    assert check_modules() == []


# --- Demo order -----------------------------------------------------------------------------------


def test_demo_order_follows_requirements_and_otherwise_installed_order(declared):
    declared(
        fake("evaluation", ("architecture", "organizations")),
        fake("core", loader=""),
        fake("architecture", ("organizations",)),
        fake("catalog"),
        fake("organizations"),
    )
    assert [m.label for m in modules.demo_order()] == ["catalog", "organizations", "architecture", "evaluation"]


def test_a_demo_cycle_names_its_modules(declared):
    declared(fake("organizations"), fake("roadmap", ("governance",)), fake("governance", ("roadmap",)))
    with pytest.raises(
        ImproperlyConfigured, match=r"cycle: roadmap \(needs governance\), governance \(needs roadmap\)"
    ):
        modules.demo_order()


def test_a_missing_demo_requirement_is_named(declared):
    declared(fake("organizations"), fake("surveys", ("organizations", "servicedesk")))
    with pytest.raises(ImproperlyConfigured, match="'surveys' needs the demo of 'servicedesk'"):
        modules.demo_order()
    assert any(error.id == "simpul.E001" for error in check_modules())


# --- Grants ---------------------------------------------------------------------------------------


def test_grants_merge_per_role_and_the_model_key_wins_over_the_app_key(declared):
    declared(
        fake("roadmap", grants={"koordinator": {"roadmap.*": ALL, "roadmap.target": VIEW}}),
        fake("catalog", grants={"koordinator": {"catalog.dataset": VIEW}}),
    )
    assert permissions.role_actions("koordinator", "roadmap.output") == ALL
    assert permissions.role_actions("koordinator", "roadmap.target") == VIEW
    assert permissions.role_actions("koordinator", "catalog.dataset") == VIEW
    # Deny by default: nothing granted, nothing allowed; no role has a catch-all any more.
    assert permissions.role_actions("koordinator", "catalog.service") == frozenset()
    assert permissions.role_actions("asn", "roadmap.output") == frozenset()


@pytest.mark.parametrize(
    ("grants", "message"),
    [
        ({"koordinator": {"*": VIEW}}, "may grant only its own models"),
        ({"koordinator": {"architecture.element": VIEW}}, "may grant only its own models"),
        ({"koordinator": {"roadmap": VIEW}}, "may grant only its own models"),
        ({"bupati": {"roadmap.*": VIEW}}, "'bupati', which is not a role"),
        ({"koordinator": {"roadmap.*": frozenset({"approve"})}}, r"unknown actions \['approve'\]"),
    ],
)
def test_a_grant_outside_the_contract_is_refused(declared, grants, message):
    declared(fake("roadmap", grants=grants))
    with pytest.raises(ImproperlyConfigured, match=message):
        permissions.grant_table()


def test_no_role_holds_a_catch_all_and_every_grant_names_its_own_module():
    for module in modules.simpul_modules():
        for role, grants in module.grants.items():
            assert role in permissions.roles()
            assert all(key.startswith(f"{module.label}.") or key in module.manages for key in grants), (
                module.label,
                role,
            )


def test_a_module_grants_the_model_it_manages_and_only_it_decides(declared):
    """core keeps the API-key table for accounts (the audit chain names it); accounts grants it."""
    declared(
        fake("core", loader="", grants={"auditor": {"core.*": VIEW}}),
        fake("accounts", loader="", manages=("core.apikey",), grants={"operator_opd": {"core.apikey": ALL}}),
    )
    assert permissions.role_actions("operator_opd", "core.apikey") == ALL
    assert permissions.role_actions("auditor", "core.auditentry") == VIEW
    # The keeping app's "core.*" does not reach the managed model.
    assert permissions.role_actions("auditor", "core.apikey") == frozenset()


@pytest.mark.parametrize(
    "installed",
    [
        # The keeping app may no longer grant the model another module manages...
        (
            fake("core", loader="", grants={"auditor": {"core.apikey": VIEW}}),
            fake("accounts", manages=("core.apikey",)),
        ),
        # ...and a module may grant another app's model only if it manages it.
        (fake("core", loader=""), fake("accounts", loader="", grants={"auditor": {"core.apikey": VIEW}})),
    ],
)
def test_a_managed_model_has_one_decider(declared, installed):
    declared(*installed)
    with pytest.raises(ImproperlyConfigured, match="may grant only its own models"):
        permissions.grant_table()


def test_the_system_check_reports_a_managed_model_that_is_unknown_own_or_managed_twice(declared):
    declared(
        fake("accounts", loader="", manages=("core.apikey", "core.nothing")),
        fake("organizations", loader="", manages=("core.apikey", "organizations.user")),
    )
    messages = [error.msg for error in check_modules()]
    assert any("manages an unknown model 'core.nothing'" in message for message in messages)
    assert any("manages 'organizations.user', its own model" in message for message in messages)
    assert any("same managed model 'core.apikey'" in message for message in messages)


def test_a_managed_models_pages_are_named_in_its_managers_namespace():
    from simpul.core.models import ApiKey, AuditEntry

    assert modules.url_namespace(ApiKey) == "accounts"
    assert modules.url_namespace(AuditEntry) == "core"
    assert ApiKey(pk=7).get_absolute_url() == "/accounts/api-keys/7/"


def test_the_system_check_reports_a_misspelt_model(declared):
    declared(
        fake(
            "core",
            loader="",
            navigation=(modules.NavEntry("Audit", "core:auditentry_list", "core.nothing"),),
            grants={"auditor": {"core.auditentrie": VIEW, "core.*": VIEW}},
        )
    )
    errors = check_modules()
    assert [error.id for error in errors] == ["simpul.E002", "simpul.E002"]
    assert all(isinstance(error, checks.Error) for error in errors)
    assert "unknown model 'core.auditentrie'" in errors[0].msg
    assert "unknown model 'core.nothing'" in errors[1].msg


def test_the_system_check_reports_a_menu_entry_for_an_unknown_role(declared):
    entry = modules.NavEntry("Audit", "core:auditentry_list", "core.auditentry", roles=("auditor", "bupati"))
    declared(fake("core", loader="", navigation=(entry,)))
    assert [error.msg for error in check_modules()] == [
        "Module 'core': the menu entry Audit names unknown roles ['bupati']."
    ]


def test_the_system_check_reports_a_dotted_path_that_cannot_be_imported(declared):
    declared(
        fake(
            "core",
            loader="",
            executive_sections="simpul.core.executive.no_such_sections",
            evidence_hints="simpul.core.links.no_such_hints",
        )
    )
    assert [error.msg for error in check_modules()] == [
        "Module 'core': executive_sections names 'simpul.core.executive.no_such_sections', which cannot be imported.",
        "Module 'core': evidence_hints names 'simpul.core.links.no_such_hints', which cannot be imported.",
    ]


# --- The permission page and the dependency rule ---------------------------------------------------


def test_docs_permissions_page_is_generated_from_the_declarations():
    """docs/permissions.md is `simpul permissions table` (without the tests' throwaway module)."""
    installed = [module for module in modules.by_order() if module.label != "throwaway"]
    expected = permissions_command.markdown(installed)
    assert (DOCS / "permissions.md").read_text() == expected, (
        "docs/permissions.md is out of date: run `simpul permissions table > docs/permissions.md`"
    )
    assert "| audit entry (`core.auditentry`) | V | — |" in expected


def test_permissions_table_command_prints_every_module(capsys):
    from django.core.management import call_command

    call_command("permissions", "table")
    out = capsys.readouterr().out
    for heading in ("## SPBE architecture (`architecture`)", "## Organisations (`organizations`)", "## Core (`core`)"):
        assert heading in out
    assert "(`throwaway.note`) |" in out


APP_IMPORT = re.compile(r"^\s*(?:from|import)\s+simpul\.(?!core\b)(\w+)", re.MULTILINE)


def test_core_imports_no_app():
    offenders = []
    for path in CORE.rglob("*.py"):
        if "tests" in path.relative_to(CORE).parts:
            continue
        offenders += [f"{path.relative_to(CORE)}: simpul.{name}" for name in APP_IMPORT.findall(path.read_text())]
    assert offenders == []


@pytest.mark.django_db
def test_home_page_shows_the_same_menu_as_before_for_the_operator(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.operator_a1)
    labels = [str(item["label"]) for item in client.get("/").context["navigation"]]
    assert labels == [
        "Executive dashboard",
        "Architecture",
        "Evaluation",
        "Roadmap",
        "Governance",
        "Service desk",
        "Throwaway notes",
        "Organisations",
        "Regional departments",
        "Users",
    ]


@pytest.mark.django_db
def test_the_audit_trails_object_types_are_all_offered_though_no_module_grants_them(world):
    """Every Simpul record type, granted or not (the chain head is granted to no role); no library table."""
    from django.contrib.contenttypes.models import ContentType

    from simpul.core.models import AuditChainHead
    from simpul.organizations.models import PerangkatDaerah

    client = Client(headers={"accept-language": "en"})
    client.force_login(world.auditor_a)
    html = client.get(reverse("core:auditentry_list")).content.decode()
    assert f'<option value="{ContentType.objects.get_for_model(PerangkatDaerah).pk}"' in html
    assert f'<option value="{ContentType.objects.get_for_model(AuditChainHead).pk}"' in html
    assert f'<option value="{ContentType.objects.get_for_model(ContentType).pk}"' not in html
