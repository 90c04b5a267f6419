from simpul.servicedesk.models.groups import AssignmentGroup, InstansiDayOff
from simpul.servicedesk.models.intake import IntakeKey
from simpul.servicedesk.models.tickets import Ticket, TicketAttachment, TicketPause, TicketReply, new_code

__all__ = [
    "AssignmentGroup",
    "InstansiDayOff",
    "IntakeKey",
    "Ticket",
    "TicketAttachment",
    "TicketPause",
    "TicketReply",
    "new_code",
]
