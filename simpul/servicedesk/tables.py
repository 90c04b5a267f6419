import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from simpul.core.tables import BaseTable
from simpul.servicedesk import models
from simpul.servicedesk.services import clock


class TicketTable(BaseTable):
    code = tables.Column(linkify=True)
    subject = tables.Column(linkify=True)
    status = tables.Column()
    sla = tables.Column(empty_values=(), orderable=False, verbose_name=_("SLA"))

    class Meta(BaseTable.Meta):
        model = models.Ticket
        fields = [
            "code",
            "subject",
            "kind",
            "status",
            "priority",
            "sla",
            "channel",
            "opd",
            "group",
            "assignee",
            "element",
            "opened_at",
            "resolution_due",
            "instansi",
        ]

    default_columns = ("code", "subject", "kind", "status", "priority", "sla", "opd", "opened_at")
    card_title = "subject"

    def render_status(self, record):
        return render_to_string("servicedesk/_status_badge.html", {"ticket": record})

    def value_status(self, record):
        return record.get_status_display()

    def sla_states(self, record) -> dict:
        # One calendar per instansi for the whole table (the list prefetches the pauses).
        calendars = self.__dict__.setdefault("_calendars", {})
        return clock.states(record, calendars=calendars)

    def render_sla(self, record):
        return render_to_string("servicedesk/_sla_badges.html", {"sla": self.sla_states(record), "compact": True})

    def value_sla(self, record):
        return self.sla_states(record).get("resolution", "")


class AssignmentGroupTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.AssignmentGroup
        fields = ["name", "opd", "receives_unrouted", "description"]

    default_columns = ("name", "opd", "receives_unrouted")


class InstansiDayOffTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.InstansiDayOff
        fields = ["date", "name", "instansi"]

    default_columns = ("date", "name", "instansi")
