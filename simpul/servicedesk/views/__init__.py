from simpul.servicedesk.views.tickets import (
    AssignmentGroupViews,
    AttachmentDownloadView,
    InstansiDayOffViews,
    TicketViews,
)

__all__ = ["AssignmentGroupViews", "AttachmentDownloadView", "InstansiDayOffViews", "TicketViews"]
