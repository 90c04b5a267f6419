from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import SimpulModule


class DashboardConfig(SimpulModule, AppConfig):
    """The home page. Its own cards (users, OPDs, audit trail) come before every module's."""

    name = "simpul.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    order = 0
    home_cards = "simpul.dashboard.cards.platform_cards"
    urls = "simpul.dashboard.urls"
    url_prefix = ""
