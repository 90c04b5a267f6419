from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import NavEntry, SimpulModule

# Who may open the executive dashboard: whoever may view the evaluation periods, whose Indeks SPBE is the
# page's headline (the Bupati, the Tim Koordinasi, the Admin SPBE, the evaluators, the auditor; an operator
# OPD for its own OPD's report card). Each section then shows only what its module lets the user view.
EXECUTIVE_AUDIENCE = "evaluation.evaluationperiod"


class DashboardConfig(SimpulModule, AppConfig):
    """The home page and the executive dashboard. Its own home cards (users, OPDs, audit trail) come before
    every module's; the executive dashboard gathers every module's `executive_sections`."""

    name = "simpul.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    order = 0
    navigation = (NavEntry(_("Executive dashboard"), "dashboard:executive", EXECUTIVE_AUDIENCE),)
    home_cards = "simpul.dashboard.cards.platform_cards"
    urls = "simpul.dashboard.urls"
    url_prefix = ""
