"""The SPBE teams (Tim Koordinasi, Tim Evaluator Internal), the decrees (SK) that set them up, and the
members each decree names with their position in the team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core import permissions
from simpul.core.models import ChangeLoggedModel
from simpul.core.workflow import Transition, Workflow
from simpul.governance import positions
from simpul.governance.choices import Position, RolesState, TeamKind
from simpul.governance.models.documents import DocumentMixin
from simpul.organizations.models import RoleAssignment, role_choices


class Team(ChangeLoggedModel):
    """One of the instansi's two SPBE teams; its composition at a date is that of its current decree."""

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TeamKind.choices)
    name = models.CharField(_("name"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True, help_text=_("The team's tasks as its decree states them."))

    scope_instansi_path = "instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["instansi", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "kind"],
                name="governance_team_unique_kind",
                violation_error_message=_("The instansi already has this team."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_decree(self, on: datetime.date | None = None) -> Decree | None:
        """The decree in force on a date (today by default): the latest that has started and not ended."""
        on = on or timezone.localdate()
        return (
            self.decrees.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from", "-pk")
            .first()
        )


def may_grant_roles(user, decree: Decree) -> bool:
    """Whoever may review the decree and hold role assignments for its whole instansi grants roles from it."""
    instansi_id = decree.team.instansi_id
    return permissions.can(user, "review", decree) and permissions.can_add(user, RoleAssignment, instansi_id, None)


class Decree(DocumentMixin, ChangeLoggedModel):
    """A Keputusan Bupati (SK) that sets up a team and names its members, valid from a date (and until a
    date, or until the next decree of the team supersedes it)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="decrees")
    number = models.CharField(_("number"), max_length=100)
    date = models.DateField(_("date enacted"))
    title = models.CharField(_("title"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Leave empty while no end date is set.")
    )
    policy = models.ForeignKey(
        "governance.Policy",
        verbose_name=_("in the policy registry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decrees",
        help_text=_("The same Keputusan Bupati as recorded in the policy registry, if it is."),
    )
    roles_state = models.CharField(
        _("roles"), max_length=12, choices=RolesState.choices, default=RolesState.NOT_GRANTED, editable=False
    )
    roles_granted_at = models.DateTimeField(_("roles last granted"), null=True, blank=True, editable=False)

    scope_instansi_path = "team__instansi"
    scope_opd_path = None

    document_folder = "decrees"
    download_url_name = "governance:decree_download"

    # Granting the members' roles from the decree is one logged step (`services.grant_roles`), allowed to
    # whoever may review the decree and add role assignments in its instansi (`may_grant_roles`).
    workflow = Workflow(
        "decree",
        field="roles_state",
        transitions=[
            Transition(
                "grant_roles",
                [RolesState.NOT_GRANTED, RolesState.GRANTED],
                RolesState.GRANTED,
                permission=may_grant_roles,
                label=_("Grant roles from this decree"),
            )
        ],
    )

    class Meta:
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")
        ordering = ["team", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "number"],
                name="governance_decree_unique_number",
                violation_error_message=_("The team already has a decree with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"SK {self.number}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("A decree cannot end before it starts.")
        if self.policy_id and self.team_id and self.policy.instansi_id != self.team.instansi_id:
            errors["policy"] = _("The policy must belong to the team's instansi.")
        if errors:
            raise ValidationError(errors)

    @property
    def earlier(self) -> Decree | None:
        """The decree of the same team this one supersedes: the latest that started before it."""
        return (
            Decree.objects.filter(team_id=self.team_id)
            .filter(Q(valid_from__lt=self.valid_from) | Q(valid_from=self.valid_from, pk__lt=self.pk))
            .exclude(pk=self.pk)
            .order_by("-valid_from", "-pk")
            .first()
        )

    @property
    def later(self) -> Decree | None:
        """The decree of the same team that supersedes this one, if any."""
        return (
            Decree.objects.filter(team_id=self.team_id)
            .filter(Q(valid_from__gt=self.valid_from) | Q(valid_from=self.valid_from, pk__gt=self.pk))
            .exclude(pk=self.pk)
            .order_by("valid_from", "pk")
            .first()
        )

    def is_current(self, on: datetime.date | None = None) -> bool:
        current = self.team.current_decree(on)
        return current is not None and current.pk == self.pk


class TeamMember(ChangeLoggedModel):
    """A person a decree names: their office (jabatan), position in the team, and optionally their Simpul
    account, through which "grant roles from this decree" gives them the position's role."""

    decree = models.ForeignKey(Decree, verbose_name=_("decree"), on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    position = models.CharField(_("position in the team"), max_length=30, choices=Position.choices)
    name = models.CharField(_("name"), max_length=200)
    office = models.CharField(_("office (jabatan)"), max_length=300, blank=True)
    opd = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Simpul account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        _("Simpul role"),
        max_length=40,
        choices=role_choices,
        blank=True,
        help_text=_("Empty: the role of the position (if any)."),
    )
    grant_role = models.BooleanField(
        _("grant a role from this membership"),
        default=True,
        help_text=_("Untick for a member who is to get no Simpul role from the decree."),
    )
    role_assignment = models.ForeignKey(
        "organizations.RoleAssignment",
        verbose_name=_("role granted"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope_instansi_path = "decree__team__instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["decree", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"

    @property
    def effective_role(self) -> str | None:
        """The role granted from this membership: the member's own, else the position's, unless none."""
        if not self.grant_role:
            return None
        return self.role or positions.default_role(self.position)

    @property
    def effective_role_label(self) -> str:
        role = permissions.roles().get(self.effective_role or "")
        return str(role.label) if role else ""

    def clean(self) -> None:
        super().clean()
        errors = {}
        team_kind = self.decree.team.kind if self.decree_id else None
        instansi_id = self.decree.team.instansi_id if self.decree_id else None
        if team_kind and self.position and positions.team_of(self.position) != team_kind:
            errors["position"] = _("This position is not one of the positions of this team.")
        if self.user_id and instansi_id and self.user.instansi_id != instansi_id:
            errors["user"] = _("The account must belong to the team's instansi.")
        if self.opd_id and instansi_id and self.opd.instansi_id != instansi_id:
            errors["opd"] = _("The OPD must belong to the team's instansi.")
        if self.role:
            role = permissions.roles().get(self.role)
            if role is not None and "instansi" not in role.scopes:
                errors["role"] = _("A team role is held for the whole instansi; this role is held for one OPD.")
        if errors:
            raise ValidationError(errors)
