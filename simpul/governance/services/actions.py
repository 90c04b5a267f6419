"""Follow-up actions: assigned to an OPD (which is told), reported done by that OPD (with a note and
optionally a link to evidence), cancelled or reopened by the team. Lateness is derived: open after the
due date (`late_q`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core import permissions, services, workflow
from simpul.core.notifications import Message, notify
from simpul.governance.choices import ActionStatus
from simpul.governance.models import FollowUpAction


def late_q(today: datetime.date | None = None) -> Q:
    """The actions that are late on `today`: open, with a due date before it."""
    return Q(status=ActionStatus.OPEN, due_date__lt=today or timezone.localdate())


def owner_opd_people(action: FollowUpAction) -> models.QuerySet:
    """Who reports on the action for its owner OPD: the users whose grants let them change it, held for that
    OPD; when nobody holds such a role there, everyone who may change it (so the assignment reaches someone)."""
    people = permissions.users_who_may("change", action)
    at_the_opd = people.filter(role_assignments__opd_id=action.owner_id).distinct()
    return at_the_opd if at_the_opd.exists() else people


def _tell_owner(user, action: FollowUpAction, title: Message, verb: str) -> None:
    body = Message(
        _("%(action)s — due %(date)s. Decision: %(decision)s"),
        action=action.title,
        date=action.due_date,
        decision=action.decision.text,
    )
    notify(owner_opd_people(action), title, body, record=action, verb=verb, exclude=user)


def assign_action(user, action: FollowUpAction, *, save=None) -> FollowUpAction:
    """Create a follow-up action (as `services.create_object`, permission checked) and tell its owner OPD."""
    with transaction.atomic():
        action.status = ActionStatus.OPEN
        action = services.create_object(user, action, save=save)
        workflow.record_event(user, action, "followup", "assign", "", ActionStatus.OPEN)
        _tell_owner(
            user,
            action,
            Message(_("New follow-up action for %(opd)s: %(action)s"), opd=action.owner, action=action.title),
            "governance.action_assigned",
        )
    return action


def update_action(user, action: FollowUpAction, *, save=None, fields=None, version=None) -> FollowUpAction:
    """Change what an action asks, of whom or by when: the edit page and the API's PUT/PATCH both write here.

    As `services.update_object` (permission before and after, the team's "review" through
    `FollowUpAction.authorize_write`, `fields` and `version` as there); a new owner OPD is told, in the same
    transaction, so a refused change tells nobody.
    """
    with transaction.atomic():
        # Read under the row lock `update_object` takes next: a concurrent move cannot slip in between.
        before = (
            FollowUpAction.objects.select_for_update().filter(pk=action.pk).values_list("owner_id", flat=True).first()
        )
        action = services.update_object(user, action, save=save, fields=fields, version=version)
        if before != action.owner_id:
            _tell_owner(
                user,
                action,
                Message(_("Follow-up action moved to %(opd)s: %(action)s"), opd=action.owner, action=action.title),
                "governance.action_moved",
            )
    return action


def complete_action(user, action: FollowUpAction, *, note: str, evidence_url: str = "") -> FollowUpAction:
    """The owner OPD reports the action done: a report (required) and optionally a link to evidence. Those
    who steer (may review it) are told."""
    evidence_url = (evidence_url or "").strip()

    def apply(locked: FollowUpAction) -> None:
        if evidence_url:
            try:
                URLValidator(schemes=["http", "https"])(evidence_url)
            except ValidationError as error:
                raise ValidationError({"evidence_url": error.messages}) from error
        locked.completion_note = note.strip()
        locked.evidence_url = evidence_url
        locked.completed_at = timezone.now()
        locked.completed_by = user if getattr(user, "pk", None) else None

    with transaction.atomic():
        done = workflow.transition(user, action, "complete", note=note, apply=apply)
        notify(
            permissions.users_who_may("review", done),
            Message(_("Follow-up action reported done by %(opd)s: %(action)s"), opd=done.owner, action=done.title),
            note.strip(),
            record=done,
            verb="governance.action_done",
            exclude=user,
        )
    return done


def cancel_action(user, action: FollowUpAction, *, note: str) -> FollowUpAction:
    """The team cancels an open action (the note says why); its owner OPD is told."""
    with transaction.atomic():
        cancelled = workflow.transition(user, action, "cancel", note=note)
        _tell_owner(
            user,
            cancelled,
            Message(_("Follow-up action cancelled: %(action)s"), action=cancelled.title),
            "governance.action_cancelled",
        )
    return cancelled


def reopen_action(user, action: FollowUpAction, *, note: str) -> FollowUpAction:
    """The team reopens a done or cancelled action (the note says what is still missing); its owner OPD is told."""

    def apply(locked: FollowUpAction) -> None:
        locked.completed_at = None
        locked.completed_by = None

    with transaction.atomic():
        reopened = workflow.transition(user, action, "reopen", note=note, apply=apply)
        _tell_owner(
            user,
            reopened,
            Message(_("Follow-up action reopened: %(action)s"), action=reopened.title),
            "governance.action_reopened",
        )
    return reopened


ACTION_STEPS = {"complete": complete_action, "cancel": cancel_action, "reopen": reopen_action}
