"""Tickets of the service desk (complaints, incidents, problems, service requests, changes), their
conversation, attachments and the pauses of their SLA clock.

A ticket belongs to an instansi and is handled by one OPD (`opd`, its scope): the OPD that owns the affected
architecture element unless routed otherwise (services.routing). Each kind follows its own life cycle,
declared once as variants of the ticket workflow (`Transition(..., when=...)`, simpul.core.workflow).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.formats import datetime_text
from simpul.core.models import ChangeLoggedModel
from simpul.core.models.files import StoredFile
from simpul.core.workflow import Transition, Workflow
from simpul.servicedesk.choices import (
    SERVICE_KINDS,
    ChangeRisk,
    Channel,
    Level,
    ReplyKind,
    TicketKind,
    TicketStatus,
)

# Letters and digits that cannot be mistaken for one another when read out on the phone (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    """A tracking code like "TK-7K3M-Q9XD": 8 random characters of 31 (about 8·10^11 codes), so that
    nobody finds another's ticket by trying codes."""
    prefix = getattr(settings, "SIMPUL_SERVICEDESK_CODE_PREFIX", "TK")
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def _kind_in(*kinds):
    wanted = frozenset(kinds)
    return lambda record: record.kind in wanted


_service = _kind_in(*SERVICE_KINDS)
_problem = _kind_in(TicketKind.PROBLEM)
_change = _kind_in(TicketKind.CHANGE)
S = TicketStatus

TICKET_WORKFLOW = Workflow(
    "ticket",
    field="status",
    transitions=[
        # Complaints, incidents and service requests.
        Transition("assign", [S.NEW], S.ASSIGNED, when=_service, label=_("Assign")),
        Transition("start", [S.NEW, S.ASSIGNED], S.IN_PROGRESS, when=_service, label=_("Start work")),
        Transition("wait", [S.IN_PROGRESS], S.WAITING, when=_service, requires_note=True, label=_("Ask the reporter")),
        Transition("resume", [S.WAITING], S.IN_PROGRESS, when=_service, label=_("Resume work")),
        Transition(
            "resolve", [S.IN_PROGRESS, S.WAITING], S.RESOLVED, when=_service, requires_note=True, label=_("Resolve")
        ),
        Transition("reopen", [S.RESOLVED], S.IN_PROGRESS, when=_service, requires_note=True, label=_("Reopen")),
        Transition("close", [S.RESOLVED], S.CLOSED, when=_service, label=_("Close")),
        # Problems: the cause behind incidents.
        Transition("investigate", [S.NEW], S.INVESTIGATING, when=_problem, label=_("Start investigation")),
        Transition(
            "record_known_error", [S.INVESTIGATING], S.KNOWN_ERROR, when=_problem, label=_("Record as known error")
        ),
        Transition(
            "resolve",
            [S.INVESTIGATING, S.KNOWN_ERROR],
            S.RESOLVED,
            when=_problem,
            requires_note=True,
            label=_("Resolve"),
        ),
        Transition("close", [S.RESOLVED], S.CLOSED, when=_problem, label=_("Close")),
        # Changes: assessed, approved by whoever may review them, scheduled, implemented, reviewed.
        Transition("assess", [S.REQUESTED], S.ASSESSED, when=_change, label=_("Record the assessment")),
        Transition("approve", [S.ASSESSED], S.APPROVED, when=_change, permission="review", label=_("Approve")),
        Transition(
            "reject",
            [S.ASSESSED],
            S.REJECTED,
            when=_change,
            permission="review",
            requires_note=True,
            label=_("Reject"),
        ),
        Transition("schedule", [S.APPROVED], S.SCHEDULED, when=_change, label=_("Schedule")),
        Transition("implement", [S.SCHEDULED], S.IMPLEMENTED, when=_change, label=_("Record as implemented")),
        Transition(
            "review", [S.IMPLEMENTED], S.REVIEWED, when=_change, requires_note=True, label=_("Review the change")
        ),
        Transition("close", [S.REVIEWED, S.REJECTED], S.CLOSED, when=_change, label=_("Close")),
    ],
)


class Ticket(ChangeLoggedModel):
    """One matter brought to the service desk, by any channel, handled by one OPD under an SLA."""

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    opd = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("handling OPD"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the OPD that owns the affected element, else the instansi's service desk."),
    )
    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices, default=TicketKind.INCIDENT)
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW, editable=False
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter_name = models.CharField(_("reporter name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=40, blank=True)

    element = models.ForeignKey(
        "architecture.Element",
        verbose_name=_("affected element"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The service, application or infrastructure of the architecture that is affected."),
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.MEDIUM)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=Level.MEDIUM)
    priority = models.CharField(_("priority"), max_length=20, blank=True, editable=False)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        "servicedesk.AssignmentGroup",
        verbose_name=_("assignment group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    problem = models.ForeignKey(
        "self",
        verbose_name=_("problem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        limit_choices_to={"kind": TicketKind.PROBLEM},
        help_text=_("The problem this incident is grouped under."),
    )
    resolution = models.TextField(_("resolution"), blank=True, editable=False)

    # Problems.
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    known_error = models.BooleanField(_("known error"), default=False, editable=False)

    # Changes.
    risk = models.CharField(_("risk"), max_length=10, choices=ChangeRisk.choices, blank=True)
    impact_analysis = models.TextField(_("impact analysis"), blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)

    # SLA: the clocks start when the ticket is opened and skip the pauses (TicketPause).
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, editable=False)
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    scope_instansi_path = "instansi"
    scope_opd_path = "opd"
    label_fields = ("code",)

    workflow = TICKET_WORKFLOW

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["opd", "status"], name="servicedesk_ticket_opd_status"),
            models.Index(fields=["instansi", "status"], name="servicedesk_ticket_inst_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        instansi_id = self.instansi_id
        if instansi_id and self.opd_id and self.opd.instansi_id != instansi_id:
            errors["opd"] = _("The OPD must belong to the ticket's instansi.")
        if instansi_id and self.element_id and self.element.owner.instansi_id != instansi_id:
            errors["element"] = _("The element must belong to the ticket's instansi.")
        if self.group_id and self.opd_id and self.group.opd_id != self.opd_id:
            errors["group"] = _("The group must be one of the handling OPD's groups.")
        if self.assignee_id and instansi_id and self.assignee.instansi_id not in (None, instansi_id):
            errors["assignee"] = _("The assignee must belong to the ticket's instansi.")
        if self.problem_id:
            if self.problem.kind != TicketKind.PROBLEM:
                errors["problem"] = _("Choose a ticket of the kind problem.")
            elif self.problem_id == self.pk or self.kind == TicketKind.PROBLEM:
                errors["problem"] = _("A problem is not grouped under another problem.")
            elif instansi_id and self.problem.instansi_id != instansi_id:
                errors["problem"] = _("The problem must belong to the ticket's instansi.")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("A change cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.code:
            code = new_code()
            while Ticket.objects.filter(code=code).exists():
                code = new_code()
            self.code = code
        super().save(*args, **kwargs)

    @property
    def is_paused(self) -> bool:
        return self.status == TicketStatus.WAITING

    def pause_intervals(self) -> list[tuple]:
        """The pauses of the SLA clock as (start, end or None), oldest first."""
        # Through `pauses.all()`, so that a list prefetching the pauses asks nothing per ticket.
        return sorted((pause.started_at, pause.ended_at) for pause in self.pauses.all())


class TicketPause(ChangeLoggedModel):
    """A time the SLA clock of a ticket stood still: while it waited for the reporter."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    scope_instansi_path = "ticket__instansi"
    scope_opd_path = "ticket__opd"

    class Meta:
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")
        ordering = ["ticket", "started_at"]
        constraints = [
            # At most one open pause per ticket: leaving "waiting" closes it before another opens.
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(ended_at__isnull=True), name="servicedesk_one_open_pause"
            )
        ]

    def __str__(self) -> str:
        end = datetime_text(self.ended_at) if self.ended_at else "…"
        return f"{self.ticket.code}: {datetime_text(self.started_at)} – {end}"

    def get_absolute_url(self) -> str:
        return self.ticket.get_absolute_url()


class TicketReply(ChangeLoggedModel):
    """One message of a ticket's conversation: a public reply (the reporter reads it) or an internal note
    (agents only)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(_("kind"), max_length=10, choices=ReplyKind.choices, default=ReplyKind.PUBLIC)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(
        _("author name"), max_length=200, blank=True, help_text=_("For a message of the reporter without an account.")
    )
    body = models.TextField(_("message"))

    scope_instansi_path = "ticket__instansi"
    scope_opd_path = "ticket__opd"

    class Meta:
        verbose_name = _("ticket reply")
        verbose_name_plural = _("ticket replies")
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket.code}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.ticket.get_absolute_url()

    @property
    def is_internal(self) -> bool:
        return self.kind == ReplyKind.INTERNAL


class TicketAttachment(ChangeLoggedModel, StoredFile):
    """A file given with a ticket or one of its replies, checked on upload and served only to those who may
    view the ticket."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        TicketReply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )

    file_folder = "servicedesk/attachments"
    file_required = True
    scope_instansi_path = "ticket__instansi"
    scope_opd_path = "ticket__opd"

    class Meta:
        verbose_name = _("ticket attachment")
        verbose_name_plural = _("ticket attachments")
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)

    def get_absolute_url(self) -> str:
        return self.ticket.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if self.reply_id and self.ticket_id and self.reply.ticket_id != self.ticket_id:
            raise ValidationError({"reply": _("The reply must be one of the ticket's.")})
