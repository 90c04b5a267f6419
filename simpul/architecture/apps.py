from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.links import LinkableType
from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider


def _element_kind(key: str, label: str, domain: str | None = None) -> LinkableType:
    # The architecture is one table of elements (typed kinds share the element's id), so every kind is
    # stored as an element: a record found as "application" or as "element" is the same link.
    return LinkableType(
        f"architecture.{key}",
        "architecture.Element",
        label,
        search_fields=("name", "code"),
        filters={"domain": domain} if domain else {},
        detail="get_domain_display",
        select_related=("owner",),
    )


class ArchitectureConfig(SimpulModule, AppConfig):
    """The SPBE architecture repository: elements of the six domains, their relationships, proposals."""

    name = "simpul.architecture"
    label = "architecture"
    verbose_name = _("SPBE architecture")

    order = 10
    navigation = (NavEntry(_("Architecture"), "architecture:overview", "architecture.element"),)
    # The whole architecture is readable inside the instansi; each OPD operator keeps its own elements
    # and proposes changes to shared ones; the Admin SPBE decides on proposals ("review"). The national
    # reference codes are read by all and kept by the Admin SPBE.
    grants = {
        "admin_spbe": {"architecture.*": ALL | {"review"}},
        "koordinator": {"architecture.*": VIEW},
        "evaluator_pj": {"architecture.*": VIEW},
        "evaluator_pengumpul": {"architecture.*": VIEW},
        "evaluator_analis": {"architecture.*": VIEW},
        "evaluator_operator": {"architecture.*": VIEW},
        "operator_opd": {
            "architecture.*": ALL,
            "architecture.referencecode": VIEW,
            "architecture.changeproposal": frozenset({"view", "add"}),
        },
        "pimpinan": {"architecture.*": VIEW},
        "auditor": {"architecture.*": VIEW},
        "asn": {"architecture.referencecode": VIEW},
    }
    home_cards = "simpul.architecture.cards.architecture_cards"
    executive_sections = "simpul.architecture.executive.sections"
    demo_loader = "simpul.architecture.demo.load"
    demo_requires = ("organizations",)
    linkable_types = (
        _element_kind("element", _("Architecture: all elements")),
        _element_kind("application", _("Architecture: applications"), "aplikasi"),
        _element_kind("service", _("Architecture: services"), "layanan"),
        _element_kind("dataset", _("Architecture: data sets"), "data"),
        _element_kind("infrastructure", _("Architecture: infrastructure"), "infrastruktur"),
        _element_kind("businessprocess", _("Architecture: business processes"), "bisnis"),
        _element_kind("security", _("Architecture: security"), "keamanan"),
    )
    urls = "simpul.architecture.urls"
    api_urls = "simpul.architecture.api.urls"
    search_providers = (
        SearchProvider(
            "architecture.Element",
            "simpul.architecture.filters.ElementFilterSet",
            list_url="architecture:element_list",
            detail="get_domain_display",
            select_related=("owner",),
        ),
    )

    def ready(self) -> None:
        from simpul.architecture import signals

        signals.connect()  # keeps the version of each instansi's relationship graph current
