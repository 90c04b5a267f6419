from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider

# An OPD's agents take tickets routed to their OPD, write in their conversation and attach files; they read
# their OPD's groups and pauses and the instansi's days off. Approving a change is "review".
_AGENT = {
    "servicedesk.ticket": frozenset({"view", "add", "change"}),
    "servicedesk.ticketreply": frozenset({"view", "add"}),
    "servicedesk.ticketattachment": frozenset({"view", "add"}),
    "servicedesk.ticketpause": VIEW,
    "servicedesk.assignmentgroup": VIEW,
    "servicedesk.instansidayoff": VIEW,
}


class ServiceDeskConfig(SimpulModule, AppConfig):
    """The SPBE service desk (portal pusat layanan): complaints, incidents, problems, service requests and
    changes of SPBE services, routed to the OPD that owns the affected element and handled under an SLA."""

    name = "simpul.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    order = 45
    navigation = (NavEntry(_("Service desk"), "servicedesk:ticket_list", "servicedesk.ticket"),)
    # Deny by default: the public form and tracking (/lapor/, /lacak/, services.intake) and the ASN portal
    # reach tickets through their own services, not through these grants.
    grants = {
        "admin_spbe": {"servicedesk.*": ALL | {"review"}},
        "koordinator": {"servicedesk.*": VIEW},
        "operator_opd": _AGENT,
        "auditor": {"servicedesk.*": VIEW},
    }
    urls = "simpul.servicedesk.urls"
    root_urls = "simpul.servicedesk.root_urls"
    api_urls = "simpul.servicedesk.api.urls"
    search_providers = (
        SearchProvider(
            "servicedesk.Ticket", "simpul.servicedesk.filters.TicketFilterSet", list_url="servicedesk:ticket_list"
        ),
    )
