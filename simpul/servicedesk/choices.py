"""The service desk's choices: ticket kinds, their states, channels, impact and urgency."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INCIDENT = "incident", _("Incident")
    PROBLEM = "problem", _("Problem")
    REQUEST = "request", _("Service request")
    CHANGE = "change", _("Change")


# The kinds handled as a service to a reporter: taken on, worked on, resolved, closed.
SERVICE_KINDS = frozenset({TicketKind.COMPLAINT, TicketKind.INCIDENT, TicketKind.REQUEST})


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for reporter")
    INVESTIGATING = "investigating", _("Investigating")
    KNOWN_ERROR = "known_error", _("Known error")
    REQUESTED = "requested", _("Requested")
    ASSESSED = "assessed", _("Assessed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPLEMENTED = "implemented", _("Implemented")
    REVIEWED = "reviewed", _("Reviewed")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# The state a new ticket starts in, per kind.
FIRST_STATUS = {TicketKind.CHANGE: TicketStatus.REQUESTED}
# States in which nothing is left to do (the SLA clocks stop).
DONE_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.REJECTED, TicketStatus.REVIEWED})
CLOSED_STATUSES = frozenset({TicketStatus.CLOSED})


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    PORTAL = "portal", _("ASN portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone (agent entry)")
    API = "api", _("API")
    SOCIAL = "social", _("Social media")
    IOT = "iot", _("IoT device")


class Level(models.IntegerChoices):
    """Impact and urgency: 1 is the highest, as in the ITIL priority matrix."""

    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class ChangeRisk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReplyKind(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal note")
