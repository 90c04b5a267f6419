"""The roadmap's record pages from core's generic views: versions, initiatives and budgets. Outputs
(views.outputs) and progress reports (views.reports) add pages of their own to the generic ones."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from simpul.core.views import ModelViews
from simpul.roadmap import filters, forms, tables
from simpul.roadmap.models import Initiative, OutputBudget, Roadmap


class RoadmapViews(ModelViews):
    model = Roadmap
    url_prefix = "versions"
    queryset = Roadmap.objects.select_related("instansi", "based_on")
    table = tables.RoadmapTable
    filterset = filters.RoadmapFilterSet
    form = forms.RoadmapForm
    importable = False  # a roadmap is imported whole, in the plan's table layout (views.versions)
    detail_template = "roadmap/roadmap_detail.html"
    related = [
        (_("Strategic initiatives"), lambda obj: obj.initiatives.all()),
        (_("Later versions"), lambda obj: obj.revisions.all()),
    ]


class InitiativeViews(ModelViews):
    model = Initiative
    url_prefix = "initiatives"
    queryset = Initiative.objects.select_related("roadmap").annotate(output_count=Count("outputs"))
    table = tables.InitiativeTable
    filterset = filters.InitiativeFilterSet
    form = forms.InitiativeForm
    importable = False
    related = [(_("Outputs"), lambda obj: obj.outputs.all())]


class OutputBudgetViews(ModelViews):
    model = OutputBudget
    url_prefix = "budgets"
    queryset = OutputBudget.objects.select_related("output__initiative__roadmap")
    table = tables.OutputBudgetTable
    filterset = filters.OutputBudgetFilterSet
    form = forms.OutputBudgetForm
    importable = False
