"""Filter sets of the service desk lists (pages and API alike): a free-text `q` and a filter for every
field agents select by."""

import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.servicedesk import models
from simpul.servicedesk.choices import Channel, TicketKind, TicketStatus


class TicketFilterSet(BaseFilterSet):
    search_fields = ("code", "subject", "description", "reporter_name")
    kind = django_filters.ChoiceFilter(choices=TicketKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=TicketStatus.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    priority = django_filters.CharFilter(label=_("Priority"))
    opd = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Handling OPD"))
    group = django_filters.ModelChoiceFilter(queryset=models.AssignmentGroup.objects.all(), label=_("Assignment group"))
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))

    class Meta:
        model = models.Ticket
        fields = ["kind", "status", "channel", "priority", "opd", "group", "instansi"]


class AssignmentGroupFilterSet(BaseFilterSet):
    search_fields = ("name", "description")
    opd = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("OPD"))

    class Meta:
        model = models.AssignmentGroup
        fields = ["opd", "receives_unrouted"]


class InstansiDayOffFilterSet(BaseFilterSet):
    search_fields = ("name",)
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))

    class Meta:
        model = models.InstansiDayOff
        fields = ["instansi"]
