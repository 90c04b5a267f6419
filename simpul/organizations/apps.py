from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider

# What every role inside an instansi may look at: the organisation itself and its OPD list.
_ORG_REFERENCE = {"organizations.instansi": VIEW, "organizations.perangkatdaerah": VIEW}


class OrganizationsConfig(SimpulModule, AppConfig):
    """The kernel: instansi, OPDs, users and their roles (the role catalogue is roles.py)."""

    name = "simpul.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    order = 80
    navigation = (
        NavEntry(_("Organisations"), "organizations:instansi_list", "organizations.instansi"),
        NavEntry(_("Regional departments"), "organizations:perangkatdaerah_list", "organizations.perangkatdaerah"),
        NavEntry(_("Users"), "organizations:user_list", "organizations.user"),
    )
    # Users and role assignments are administration: the Admin SPBE keeps them, the auditor reads them,
    # the steering team and operators see who works where.
    grants = {
        "admin_spbe": {"organizations.*": ALL, "organizations.instansi": frozenset({"view", "change"})},
        "koordinator": {**_ORG_REFERENCE, "organizations.user": VIEW},
        "evaluator_pj": _ORG_REFERENCE,
        "evaluator_pengumpul": _ORG_REFERENCE,
        "evaluator_analis": _ORG_REFERENCE,
        "evaluator_operator": _ORG_REFERENCE,
        "operator_opd": {**_ORG_REFERENCE, "organizations.user": VIEW},
        "pimpinan": _ORG_REFERENCE,
        "auditor": {"organizations.*": VIEW},
        "asn": _ORG_REFERENCE,
    }
    demo_loader = "simpul.organizations.demo.load"
    demo_users = "simpul.organizations.demo.DEMO_USERS"
    urls = "simpul.organizations.urls"
    api_urls = "simpul.organizations.api.urls"
    search_providers = (
        SearchProvider(
            "organizations.PerangkatDaerah",
            "simpul.organizations.filters.PerangkatDaerahFilterSet",
            list_url="organizations:perangkatdaerah_list",
            detail="name",
        ),
        SearchProvider(
            "organizations.User",
            "simpul.organizations.filters.UserFilterSet",
            list_url="organizations:user_list",
            detail="opd",
            select_related=("opd",),
        ),
    )
