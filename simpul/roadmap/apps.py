from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.links import LinkableType
from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider

# The responsible OPD writes and submits its outputs' yearly reports and their evidence; it does not
# delete a report (a report once written is part of the record) and does not decide on it.
_REPORTER = frozenset({"view", "add", "change"})
_EVIDENCE_OF_REPORTER = frozenset({"view", "add", "delete"})


class RoadmapConfig(SimpulModule, AppConfig):
    """The Peta Rencana SPBE: versions of the roadmap, strategic initiatives and outputs per area with
    their target years, responsible OPD and budget, yearly progress reports and the status derived from them."""

    name = "simpul.roadmap"
    label = "roadmap"
    verbose_name = _("SPBE roadmap")

    order = 30
    navigation = (NavEntry(_("Roadmap"), "roadmap:overview", "roadmap.output"),)
    # The Tim Koordinasi steers the roadmap (writes it) and the Admin SPBE runs it and alone decides on
    # progress reports ("review"); each OPD reports on its own outputs; the rest read.
    grants = {
        "admin_spbe": {"roadmap.*": ALL | {"review"}},
        "koordinator": {"roadmap.*": ALL, "roadmap.progressreport": VIEW, "roadmap.progressevidence": VIEW},
        "evaluator_pj": {"roadmap.*": VIEW},
        "evaluator_pengumpul": {"roadmap.*": VIEW},
        "evaluator_analis": {"roadmap.*": VIEW},
        "evaluator_operator": {"roadmap.*": VIEW},
        "operator_opd": {
            "roadmap.*": VIEW,
            "roadmap.progressreport": _REPORTER,
            "roadmap.progressevidence": _EVIDENCE_OF_REPORTER,
        },
        "pimpinan": {"roadmap.*": VIEW},
        "auditor": {"roadmap.*": VIEW},
    }
    home_cards = "simpul.roadmap.cards.roadmap_cards"
    executive_sections = "simpul.roadmap.executive.sections"
    demo_loader = "simpul.roadmap.demo.load"
    demo_requires = ("organizations", "architecture", "evaluation")
    linkable_types = (
        LinkableType(
            "roadmap.output",
            "roadmap.Output",
            _("Roadmap: outputs"),
            search_fields=("name", "initiative__name"),
            # Only the current version's outputs: a link should point at what is reported on now.
            filters={"initiative__roadmap__is_current": True},
            detail="years_label",
            select_related=("initiative",),
        ),
    )
    urls = "simpul.roadmap.urls"
    api_urls = "simpul.roadmap.api.urls"
    search_providers = (
        SearchProvider(
            "roadmap.Output",
            "simpul.roadmap.filters.OutputFilterSet",
            list_url="roadmap:output_list",
            detail="years_label",
        ),
    )

    def ready(self) -> None:
        from simpul.roadmap import signals

        signals.connect()  # a removed evidence file's stored bytes go once nothing refers to them
