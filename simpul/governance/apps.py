from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.links import LinkableType
from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider

# Everyone who reads policies reads the national topic list they are filed under.
_POLICIES_READ = {"governance.policy": VIEW, "governance.policytopic": VIEW}
# The teams and their decrees are public inside the instansi: who sits in them and on what authority.
_TEAMS_READ = {"governance.team": VIEW, "governance.decree": VIEW, "governance.teammember": VIEW}
# The Admin SPBE keeps the registry and the decrees, records enactments and grants roles from a decree.
_KEEPER = ALL | {"review"}


class GovernanceConfig(SimpulModule, AppConfig):
    """SPBE governance: the policy registry (Kebijakan SPBE) mapped to evaluation indicators, the Tim
    Koordinasi and Tim Evaluator Internal with their decrees, meetings, decisions and follow-up actions."""

    name = "simpul.governance"
    label = "governance"
    verbose_name = _("SPBE governance")

    order = 40
    navigation = (NavEntry(_("Governance"), "governance:overview", "governance.policy"),)
    # Deny by default: a role not named here sees nothing of the module. Policy drafts stay with the roles
    # held for the instansi and those held for the drafting OPD (Policy.scope_shared_q); the owner OPD of a
    # follow-up action reports it done ("change"), and only the team ("review") changes what it asks or
    # closes it otherwise.
    grants = {
        "admin_spbe": {"governance.*": _KEEPER, "governance.policytopic": VIEW},
        "koordinator": {
            "governance.*": VIEW,
            "governance.policy": ALL,
            "governance.meeting": ALL,
            "governance.decision": ALL,
            "governance.followupaction": ALL | {"review"},
        },
        "evaluator_pj": {"governance.*": VIEW},
        "evaluator_pengumpul": {"governance.*": VIEW},
        "evaluator_analis": {"governance.*": VIEW},
        "evaluator_operator": {"governance.*": VIEW},
        "operator_opd": {
            **_POLICIES_READ,
            **_TEAMS_READ,
            "governance.followupaction": frozenset({"view", "change"}),
        },
        "pimpinan": {"governance.*": VIEW},
        "auditor": {"governance.*": VIEW},
        "asn": _POLICIES_READ,
    }
    home_cards = "simpul.governance.cards.governance_cards"
    executive_sections = "simpul.governance.executive.sections"
    evidence_hints = "simpul.governance.hints.policy_hints"
    demo_loader = "simpul.governance.demo.load"
    demo_requires = ("organizations", "evaluation")
    linkable_types = (
        LinkableType(
            "governance.policy",
            "governance.Policy",
            _("Governance: policies"),
            search_fields=("title", "number"),
            detail="describe",
        ),
        LinkableType(
            "governance.meeting",
            "governance.Meeting",
            _("Governance: team meetings and minutes"),
            search_fields=("title", "place"),
            detail="team",
            select_related=("team",),
        ),
    )
    urls = "simpul.governance.urls"
    api_urls = "simpul.governance.api.urls"
    search_providers = (
        SearchProvider(
            "governance.Policy",
            "simpul.governance.filters.PolicyFilterSet",
            list_url="governance:policy_list",
            detail="describe",
        ),
    )
