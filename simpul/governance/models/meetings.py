"""A team's meetings: agenda, who attended, minutes, and the decisions taken, each of which becomes
follow-up actions owned by an OPD with a due date, tracked until done."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simpul.core import permissions
from simpul.core.models import ChangeLoggedModel
from simpul.core.workflow import Transition, Workflow
from simpul.governance.choices import ActionStatus
from simpul.governance.models.documents import DocumentMixin, document_path
from simpul.governance.models.teams import Team, TeamMember


class Meeting(DocumentMixin, ChangeLoggedModel):
    """A meeting of a team (e.g. the Tim Koordinasi's quarterly meeting) with its minutes (notula)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    attendees = models.ManyToManyField(
        TeamMember, verbose_name=_("members present"), blank=True, related_name="meetings_attended"
    )
    guests = models.TextField(_("other attendees"), blank=True, help_text=_("Invited guests, one per line."))
    minutes = models.TextField(_("minutes (notula)"), blank=True)
    document = models.FileField(_("minutes file"), upload_to=document_path, max_length=255, blank=True)

    scope_instansi_path = "team__instansi"
    scope_opd_path = None

    document_folder = "minutes"
    download_url_name = "governance:meeting_download"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date)})" if self.date else self.title

    def members_then(self):
        """The members of the team's decree in force on the meeting's date (who could attend)."""
        decree = self.team.current_decree(self.date) if self.team_id and self.date else None
        return TeamMember.objects.filter(decree=decree) if decree else TeamMember.objects.none()


class Decision(ChangeLoggedModel):
    """A decision taken at a meeting; its follow-up actions say who does what by when."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("decision"))

    scope_instansi_path = "meeting__team__instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number", "pk"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else f"{self.text[:79]}…"
        return f"{self.number}. {text}"


class FollowUpAction(ChangeLoggedModel):
    """What an OPD is to do, by when, after a decision of a team's meeting. The owner OPD reports it done
    (with a note); the team may cancel or reopen it. It is late while open after its due date."""

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("owner OPD"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The OPD that carries the action out."),
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    completion_note = models.TextField(_("report"), blank=True, editable=False)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, editable=False)
    completed_at = models.DateTimeField(_("reported done at"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope_instansi_path = "decision__meeting__team__instansi"
    scope_opd_path = "owner"

    # The owner OPD reports it done ("change"); the team decides on it otherwise ("review").
    workflow = Workflow(
        "followup",
        field="status",
        transitions=[
            Transition(
                "complete",
                [ActionStatus.OPEN],
                ActionStatus.DONE,
                permission="change",
                requires_note=True,
                label=_("Report done"),
            ),
            Transition(
                "cancel",
                [ActionStatus.OPEN],
                ActionStatus.CANCELLED,
                permission="review",
                requires_note=True,
                label=_("Cancel"),
            ),
            Transition(
                "reopen",
                [ActionStatus.DONE, ActionStatus.CANCELLED],
                ActionStatus.OPEN,
                permission="review",
                requires_note=True,
                label=_("Reopen"),
            ),
        ],
    )

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="governance_action_due")]

    def __str__(self) -> str:
        return self.title

    def is_late_on(self, day: datetime.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date is not None and self.due_date < day

    @property
    def is_late(self) -> bool:
        """Open after its due date (derived, never stored)."""
        return self.is_late_on(timezone.localdate())

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.decision_id and self.owner_id and self.owner.instansi_id != self.decision.meeting.team.instansi_id:
            errors["owner"] = _("The owner OPD must belong to the team's instansi.")
        if self.decision_id and self.due_date and self.due_date < self.decision.meeting.date:
            errors["due_date"] = _("The due date cannot be before the meeting.")
        if errors:
            raise ValidationError(errors)

    def authorize_write(self, user, *, creating: bool) -> None:
        """Who does what by when is the team's decision: changing an action's assignment needs "review"
        (the owner OPD reports on it through the workflow instead). Every write path applies it."""
        if not creating and not permissions.can(user, "review", self):
            raise PermissionDenied(_("Only the team may change what an action asks, of whom and by when."))
