"""Granting Simpul roles from a decree's membership, so that who may do what follows the decree.

`plan_role_grants` is the preview: for each member the role their position (or their own entry) carries,
and whether it is to be created, is already held, or cannot be given (no account, …); with
`remove_previous`, the roles that decrees of the same team this one supersedes granted and this one no
longer does. `grant_roles` applies that plan in one transaction as one workflow step of the decree
(`grant_roles`, its event listing what changed), every role assignment created or removed through the
core services (so audited and permission-checked), and tells each member given a role.

Running it again changes nothing: a role already held is kept (and, if an earlier decree granted it,
counted as this decree's from then on, so it is not removed with that decree).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import permissions, services, workflow
from simpul.core.notifications import Message, notify
from simpul.core.workflow import NOT_PERMITTED, TransitionError
from simpul.governance.models import Decree, TeamMember
from simpul.governance.models.teams import may_grant_roles
from simpul.organizations.models import RoleAssignment


@dataclass
class GrantLine:
    """One member and the role they are to hold; `assignment` when they already hold it."""

    member: TeamMember
    role: str
    assignment: RoleAssignment | None = None

    @property
    def role_label(self) -> str:
        role = permissions.roles().get(self.role)
        return str(role.label) if role else self.role

    def as_dict(self) -> dict:
        return {
            "member": self.member.pk,
            "name": self.member.name,
            "user": self.member.user_id,
            "username": self.member.user.username if self.member.user_id else "",
            "role": self.role,
            "role_label": self.role_label,
        }


@dataclass
class Removal:
    """A role an earlier decree of the team granted that this decree no longer grants."""

    assignment: RoleAssignment
    members: list[TeamMember]

    def as_dict(self) -> dict:
        role = permissions.roles().get(self.assignment.role)
        return {
            "assignment": self.assignment.pk,
            "user": self.assignment.user_id,
            "username": self.assignment.user.username,
            "role": self.assignment.role,
            "role_label": str(role.label) if role else self.assignment.role,
            "decrees": sorted({str(member.decree) for member in self.members}),
        }


@dataclass
class Skipped:
    member: TeamMember
    reason: str

    def as_dict(self) -> dict:
        return {"member": self.member.pk, "name": self.member.name, "reason": self.reason}


@dataclass
class RoleGrantPlan:
    """What granting roles from `decree` does (a preview), or did (`applied`)."""

    decree: Decree
    remove_previous: bool = False
    create: list[GrantLine] = field(default_factory=list)
    keep: list[GrantLine] = field(default_factory=list)
    remove: list[Removal] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    applied: bool = False

    # The assignments earlier decrees of the team granted (set by `plan_role_grants`).
    earlier_links: frozenset = frozenset()

    @property
    def taken_over(self) -> list[GrantLine]:
        """Roles held already because an earlier decree of the team granted them: from now on this decree's
        (so removing the earlier decree's roles keeps them). A role held on its own stays its own."""
        return [
            line
            for line in self.keep
            if line.assignment.pk in self.earlier_links and line.member.role_assignment_id != line.assignment.pk
        ]

    @property
    def changes(self) -> bool:
        return bool(self.create or self.remove or self.taken_over)

    def summary(self) -> str:
        return _("%(created)s role(s) granted, %(kept)s already held, %(removed)s removed, %(skipped)s skipped.") % {
            "created": len(self.create),
            "kept": len(self.keep),
            "removed": len(self.remove),
            "skipped": len(self.skipped),
        }

    def as_dict(self) -> dict:
        return {
            "decree": self.decree.pk,
            "remove_previous": self.remove_previous,
            "applied": self.applied,
            "create": [line.as_dict() for line in self.create],
            "keep": [line.as_dict() for line in self.keep],
            "remove": [removal.as_dict() for removal in self.remove],
            "skipped": [item.as_dict() for item in self.skipped],
        }


def _check_permission(user, decree: Decree) -> None:
    if not may_grant_roles(user, decree):
        raise TransitionError(NOT_PERMITTED, _("You may not grant roles from this decree."), status=403)


def plan_role_grants(user, decree: Decree, *, remove_previous: bool = False) -> RoleGrantPlan:
    """The preview of `grant_roles`: nothing is written. Refused (403) to whoever may not grant them."""
    _check_permission(user, decree)
    instansi_id = decree.team.instansi_id
    plan = RoleGrantPlan(decree=decree, remove_previous=remove_previous)
    members = list(decree.members.select_related("user", "decree").order_by("order", "pk"))
    held = {
        (assignment.user_id, assignment.role): assignment
        for assignment in RoleAssignment.objects.filter(
            instansi_id=instansi_id, opd__isnull=True, user_id__in=[m.user_id for m in members if m.user_id]
        )
    }
    # The assignments the team's earlier (superseded) decrees granted, with the members that granted them.
    earlier = Decree.objects.filter(team_id=decree.team_id, valid_from__lte=decree.valid_from).exclude(pk=decree.pk)
    earlier_links: dict[int, list[TeamMember]] = {}
    for member in TeamMember.objects.filter(decree__in=earlier, role_assignment__isnull=False).select_related("decree"):
        earlier_links.setdefault(member.role_assignment_id, []).append(member)
    plan.earlier_links = frozenset(earlier_links)

    planned: set[tuple[int, str]] = set()
    for member in members:
        role = member.effective_role
        if not member.grant_role:
            plan.skipped.append(Skipped(member, _("Granting a role is switched off for this member.")))
        elif role is None:
            plan.skipped.append(Skipped(member, _("The position carries no Simpul role.")))
        elif permissions.roles().get(role) is None or "instansi" not in permissions.roles()[role].scopes:
            plan.skipped.append(Skipped(member, _("This role cannot be held for the whole instansi.")))
        elif member.user_id is None:
            plan.skipped.append(Skipped(member, _("No Simpul account is linked to this member.")))
        elif not member.user.is_active:
            plan.skipped.append(Skipped(member, _("The linked account is inactive.")))
        elif member.user.instansi_id != instansi_id:
            plan.skipped.append(Skipped(member, _("The linked account belongs to another instansi.")))
        elif (member.user_id, role) in planned:
            plan.skipped.append(Skipped(member, _("Another membership of this decree already gives this role.")))
        else:
            planned.add((member.user_id, role))
            existing = held.get((member.user_id, role))
            (plan.keep if existing else plan.create).append(GrantLine(member, role, existing))

    if remove_previous:
        kept = {line.assignment.pk for line in plan.keep if line.assignment is not None}
        # An assignment also granted by a decree of another team in force stays.
        elsewhere = set(
            TeamMember.objects.filter(role_assignment_id__in=list(earlier_links))
            .exclude(decree__team_id=decree.team_id)
            .values_list("role_assignment_id", flat=True)
        )
        stale = [pk for pk in earlier_links if pk not in kept and pk not in elsewhere]
        for assignment in RoleAssignment.objects.filter(pk__in=stale).select_related("user").order_by("pk"):
            plan.remove.append(Removal(assignment, earlier_links[assignment.pk]))
    return plan


def grant_roles(user, decree: Decree, *, remove_previous: bool = False) -> RoleGrantPlan:
    """Apply `plan_role_grants` in one transaction, as the decree's `grant_roles` workflow step.

    Creates the missing role assignments (each held for the whole instansi), links each membership to the
    assignment it grants, and with `remove_previous` deletes the roles superseded decrees granted and this
    one does not. When nothing would change, nothing is written (and `applied` stays False).
    """
    _check_permission(user, decree)
    with transaction.atomic():
        locked = Decree.objects.select_for_update().get(pk=decree.pk)
        plan = plan_role_grants(user, locked, remove_previous=remove_previous)
        if not plan.changes:
            return plan

        def apply(step_decree: Decree) -> None:
            for line in plan.create:
                assignment = RoleAssignment(user=line.member.user, role=line.role, instansi_id=locked.team.instansi_id)
                assignment.full_clean()
                line.assignment = services.create_object(user, assignment)
                _link(user, line.member, line.assignment)
            for line in plan.taken_over:
                _link(user, line.member, line.assignment)
            for removal in plan.remove:
                for member in removal.members:
                    _link(user, member, None)
                services.delete_object(user, removal.assignment)
            step_decree.roles_granted_at = timezone.now()

        workflow.transition(user, locked, "grant_roles", note=plan.summary(), payload=plan.as_dict(), apply=apply)
        plan.applied = True
        for line in plan.create:
            role = permissions.roles().get(line.role)
            notify(
                [line.member.user],
                Message(
                    gettext_lazy("You hold the role %(role)s from %(decree)s"),
                    role=role.label if role else line.role,  # the lazy label: rendered in the site language
                    decree=locked,
                ),
                locked.title,
                record=locked,
                verb="governance.role_granted",
                exclude=user,
            )
    return plan


def _link(user, member: TeamMember, assignment: RoleAssignment | None) -> None:
    """Record on the membership which assignment it granted (audited, as every change)."""
    member = TeamMember.objects.get(pk=member.pk)
    member.role_assignment = assignment
    services.update_object(user, member, fields=["role_assignment"])
