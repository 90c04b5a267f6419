"""Where a new ticket goes: the OPD that owns the affected element, else the instansi's service desk (the
group marked to receive unrouted tickets, e.g. DISKOMINFO's helpdesk), else the OPD the caller names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simpul.servicedesk.models import AssignmentGroup, Ticket


def service_desk_group(instansi_id: int | None) -> AssignmentGroup | None:
    if instansi_id is None:
        return None
    return (
        AssignmentGroup.objects.filter(opd__instansi_id=instansi_id, receives_unrouted=True)
        .select_related("opd")
        .order_by("pk")
        .first()
    )


def route(ticket: Ticket) -> str:
    """Fill the instansi and the handling OPD of a new ticket when not given; return how the OPD was chosen
    ("chosen", "element" or "service_desk"). Raises ValidationError naming `opd` when nothing decides."""
    if not ticket.instansi_id:
        if ticket.element_id:
            ticket.instansi_id = ticket.element.owner.instansi_id
        elif ticket.opd_id:
            ticket.instansi_id = ticket.opd.instansi_id
    if ticket.opd_id:
        return "chosen"
    if ticket.element_id and ticket.element.owner.instansi_id == ticket.instansi_id:
        ticket.opd_id = ticket.element.owner_id
        return "element"
    desk = service_desk_group(ticket.instansi_id)
    if desk is not None:
        ticket.opd_id = desk.opd_id
        if not ticket.group_id:
            ticket.group = desk
        return "service_desk"
    raise ValidationError(
        {"opd": _("Choose the handling OPD: the ticket names no element, and no group receives unrouted tickets.")}
    )
