from simpul.servicedesk.models.groups import AssignmentGroup, InstansiDayOff
from simpul.servicedesk.models.tickets import Ticket, TicketAttachment, TicketPause, TicketReply, new_code

__all__ = [
    "AssignmentGroup",
    "InstansiDayOff",
    "Ticket",
    "TicketAttachment",
    "TicketPause",
    "TicketReply",
    "new_code",
]
