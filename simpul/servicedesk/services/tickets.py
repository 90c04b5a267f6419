"""Writing tickets: opening (routing, priority, SLA due moments), editing, one function per workflow step,
re-assignment and escalation (logged as workflow events), and the conversation.

Pages and API call these alone; each checks permission and validity itself (through `services` of core
and the workflow kit) and writes the change with its event in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import context, files, permissions, services, workflow
from simpul.core.workflow import NOT_PERMITTED, TransitionError
from simpul.servicedesk.choices import FIRST_STATUS, ReplyKind, TicketStatus
from simpul.servicedesk.models import AssignmentGroup, Ticket, TicketAttachment, TicketPause, TicketReply
from simpul.servicedesk.services import clock, routing

WORKFLOW = "ticket"


def open_ticket(user, ticket: Ticket, *, save=None) -> Ticket:
    """Create a ticket as `services.create_object` does (permission checked where it lands), after routing
    it, setting its first state, priority and SLA due moments; the opening is the ticket's first event."""
    with transaction.atomic():
        routed_by = routing.route(ticket)
        ticket.status = FIRST_STATUS.get(ticket.kind, TicketStatus.NEW)
        ticket.opened_at = timezone.now()
        clock.set_due(ticket)
        ticket = services.create_object(user, ticket, save=save)
        workflow.record_event(
            user,
            ticket,
            WORKFLOW,
            "open",
            "",
            ticket.status,
            payload={"channel": ticket.channel, "routed_by": routed_by},
        )
    return ticket


def update_ticket(user, ticket: Ticket, *, save=None, fields=None, version=None) -> Ticket:
    """Save an edited ticket as `services.update_object` does; a changed impact or urgency recomputes the
    priority and the due moments (the ended pauses still excluded)."""
    with context.acting_as(user), transaction.atomic():
        ticket = services.update_object(user, ticket, save=save, fields=fields, version=version)
        stored = Ticket.objects.get(pk=ticket.pk)
        if clock.priority_of(stored) != stored.priority:
            before = stored.priority
            clock.set_due(stored)
            stored.save(update_fields=["priority", "first_response_due", "resolution_due", "updated_at"])
            workflow.record_event(
                user,
                stored,
                WORKFLOW,
                "reprioritise",
                stored.status,
                stored.status,
                payload={"from": before, "to": stored.priority},
            )
        ticket.priority = stored.priority
        ticket.first_response_due = stored.first_response_due
        ticket.resolution_due = stored.resolution_due
    return ticket


# --- Assignment ---------------------------------------------------------------------------------


def _check_assignment(ticket: Ticket, assignee, group) -> None:
    errors = {}
    if group is not None and group.opd_id != ticket.opd_id:
        errors["group"] = _("The group must be one of the handling OPD's groups.")
    if assignee is not None and not permissions.can(assignee, "change", ticket):
        errors["assignee"] = _("The assignee must be an agent who may handle this ticket.")
    if errors:
        raise ValidationError(errors)


def _refused_input(error: ValidationError) -> TransitionError:
    """A step beside the life cycle refuses its input as the kit refuses a transition's (`invalid_input`,
    400, with the fields), so that pages and API answer it alike."""
    fields = error.message_dict if hasattr(error, "error_dict") else {}
    return TransitionError(workflow.INVALID_INPUT, " ".join(error.messages), status=400, fields=fields)


def _assignment(ticket: Ticket) -> dict:
    return {"assignee": ticket.assignee_id, "group": ticket.group_id, "opd": ticket.opd_id}


def assign(user, ticket: Ticket, *, assignee=None, group=None, note: str = "") -> Ticket:
    """Take a new complaint, incident or request on: an assignee or a group of the handling OPD."""

    def apply(locked: Ticket) -> None:
        if assignee is None and group is None:
            raise ValidationError({"assignee": _("Choose an assignee or a group.")})
        _check_assignment(locked, assignee, group)
        locked.assignee = assignee
        locked.group = group if group is not None else locked.group

    return workflow.transition(user, ticket, "assign", note=note, apply=apply)


def reassign(user, ticket: Ticket, *, assignee=None, group=None, note: str = "") -> Ticket:
    """Hand an open ticket to another assignee or group of the same OPD; logged as a `reassign` event with
    who held it before."""
    with context.acting_as(user), transaction.atomic():
        locked = _lock_for_change(user, ticket)
        try:
            if assignee is None and group is None:
                raise ValidationError({"assignee": _("Choose an assignee or a group.")})
            _check_assignment(locked, assignee, group)
        except ValidationError as error:
            raise _refused_input(error) from error
        before = _assignment(locked)
        locked.assignee = assignee
        locked.group = group
        locked.save()
        workflow.record_event(
            user,
            locked,
            WORKFLOW,
            "reassign",
            locked.status,
            locked.status,
            note=note.strip(),
            payload={"from": before, "to": _assignment(locked)},
        )
    return locked


def escalate(user, ticket: Ticket, *, opd, note: str) -> Ticket:
    """Hand an open ticket over to another OPD of the instansi (e.g. from an OPD to DISKOMINFO); the note
    says why. The new OPD's agents take it from there (its group and assignee are cleared)."""
    if not (note or "").strip():
        raise TransitionError(
            workflow.NOTE_REQUIRED,
            _("Write a note saying why."),
            status=400,
            fields={"note": [_("This field is required.")]},
        )
    with context.acting_as(user), transaction.atomic():
        locked = _lock_for_change(user, ticket)
        if opd is None or opd.instansi_id != locked.instansi_id:
            raise _refused_input(ValidationError({"opd": _("The OPD must belong to the ticket's instansi.")}))
        if opd.pk == locked.opd_id:
            raise _refused_input(ValidationError({"opd": _("The ticket is already with this OPD.")}))
        before = _assignment(locked)
        locked.opd = opd
        locked.assignee = None
        locked.group = None
        locked.save()
        workflow.record_event(
            user,
            locked,
            WORKFLOW,
            "escalate",
            locked.status,
            locked.status,
            note=note.strip(),
            payload={"from": before, "to": _assignment(locked)},
        )
    return locked


def _lock_for_change(user, ticket: Ticket) -> Ticket:
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    if locked is None or not permissions.can(user, "change", locked):
        raise TransitionError(NOT_PERMITTED, _("You may not do this."), status=403)
    if locked.status in (TicketStatus.CLOSED,):
        raise TransitionError(workflow.INVALID_STATE, _("A closed ticket is not handed over."))
    return locked


# --- Steps of the life cycles ---------------------------------------------------------------------


def _close_pause(ticket: Ticket, now) -> bool:
    """End the ticket's open pause, if any (saved, so the audit trail has it)."""
    pause = TicketPause.objects.filter(ticket=ticket, ended_at__isnull=True).first()
    if pause is None:
        return False
    pause.ended_at = now
    pause.save(update_fields=["ended_at", "updated_at"])
    return True


def start(user, ticket: Ticket, *, note: str = "") -> Ticket:
    return workflow.transition(user, ticket, "start", note=note)


def wait(user, ticket: Ticket, *, note: str) -> Ticket:
    """Ask the reporter for something (the note says what): the SLA clock pauses until `resume`."""
    return workflow.transition(
        user,
        ticket,
        "wait",
        note=note,
        apply=lambda locked: TicketPause.objects.create(ticket=locked, started_at=timezone.now()),
    )


def _after_pause(locked: Ticket, now) -> None:
    if _close_pause(locked, now):
        # The due moments move by the business time the clock stood still.
        clock.set_due(locked)


def resume(user, ticket: Ticket, *, note: str = "") -> Ticket:
    """The reporter answered (or the agent goes on without): the pause ends, the due moments move."""
    return workflow.transition(
        user, ticket, "resume", note=note, apply=lambda locked: _after_pause(locked, timezone.now())
    )


def resolve(user, ticket: Ticket, *, note: str) -> Ticket:
    """Record the resolution (the note); a ticket waiting for its reporter ends its pause."""

    def apply(locked: Ticket) -> None:
        now = timezone.now()
        _close_pause(locked, now)
        locked.resolution = note.strip()
        locked.resolved_at = now
        if locked.first_responded_at is None:
            locked.first_responded_at = now

    return workflow.transition(user, ticket, "resolve", note=note, apply=apply)


def reopen(user, ticket: Ticket, *, note: str) -> Ticket:
    """The resolution did not hold: back to work. The time it stood resolved counts as a pause."""

    def apply(locked: Ticket) -> None:
        now = timezone.now()
        if locked.resolved_at is not None:
            TicketPause.objects.create(ticket=locked, started_at=locked.resolved_at, ended_at=now)
        locked.resolved_at = None
        clock.set_due(locked)

    return workflow.transition(user, ticket, "reopen", note=note, apply=apply)


def close(user, ticket: Ticket, *, note: str = "") -> Ticket:
    def apply(locked: Ticket) -> None:
        locked.closed_at = timezone.now()

    return workflow.transition(user, ticket, "close", note=note, apply=apply)


def investigate(user, ticket: Ticket, *, note: str = "") -> Ticket:
    return workflow.transition(user, ticket, "investigate", note=note)


def record_known_error(user, ticket: Ticket, *, workaround: str, root_cause: str = "", note: str = "") -> Ticket:
    """A problem whose cause is known, with a workaround for its incidents until it is resolved."""

    def apply(locked: Ticket) -> None:
        if not (workaround or "").strip():
            raise ValidationError({"workaround": _("Describe the workaround.")})
        locked.workaround = workaround.strip()
        if (root_cause or "").strip():
            locked.root_cause = root_cause.strip()
        locked.known_error = True

    return workflow.transition(user, ticket, "record_known_error", note=note, apply=apply)


def assess(user, ticket: Ticket, *, risk: str, impact_analysis: str, note: str = "") -> Ticket:
    """Record a change's risk and impact analysis; it then waits for approval."""

    def apply(locked: Ticket) -> None:
        errors = {}
        if not risk:
            errors["risk"] = _("Choose the risk.")
        if not (impact_analysis or "").strip():
            errors["impact_analysis"] = _("Describe the impact.")
        if errors:
            raise ValidationError(errors)
        locked.risk = risk
        locked.impact_analysis = impact_analysis.strip()

    return workflow.transition(user, ticket, "assess", note=note, apply=apply)


def approve(user, ticket: Ticket, *, note: str = "") -> Ticket:
    return workflow.transition(user, ticket, "approve", note=note)


def reject(user, ticket: Ticket, *, note: str) -> Ticket:
    def apply(locked: Ticket) -> None:
        locked.resolution = note.strip()
        locked.resolved_at = timezone.now()

    return workflow.transition(user, ticket, "reject", note=note, apply=apply)


def schedule(user, ticket: Ticket, *, planned_start, planned_end, note: str = "") -> Ticket:
    def apply(locked: Ticket) -> None:
        errors = {}
        if planned_start is None:
            errors["planned_start"] = _("Enter the planned start.")
        if planned_end is None:
            errors["planned_end"] = _("Enter the planned end.")
        elif planned_start is not None and planned_end < planned_start:
            errors["planned_end"] = _("A change cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
        locked.planned_start = planned_start
        locked.planned_end = planned_end

    return workflow.transition(user, ticket, "schedule", note=note, apply=apply)


def implement(user, ticket: Ticket, *, note: str = "") -> Ticket:
    return workflow.transition(user, ticket, "implement", note=note)


def review(user, ticket: Ticket, *, note: str) -> Ticket:
    def apply(locked: Ticket) -> None:
        locked.resolution = note.strip()
        locked.resolved_at = timezone.now()

    return workflow.transition(user, ticket, "review", note=note, apply=apply)


# One service per step name (a step name shared by several kinds has one service for all).
STEPS = {
    "assign": assign,
    "start": start,
    "wait": wait,
    "resume": resume,
    "resolve": resolve,
    "reopen": reopen,
    "close": close,
    "investigate": investigate,
    "record_known_error": record_known_error,
    "assess": assess,
    "approve": approve,
    "reject": reject,
    "schedule": schedule,
    "implement": implement,
    "review": review,
}


# --- Conversation --------------------------------------------------------------------------------


def add_reply(user, ticket: Ticket, *, body: str, kind: str = ReplyKind.PUBLIC) -> TicketReply:
    """Write a public reply or an internal note on a ticket the user may view and reply to; an agent's first
    public reply is the ticket's first response."""
    if not (body or "").strip():
        raise _refused_input(ValidationError({"body": _("Write a message.")}))
    if kind not in ReplyKind.values:
        raise _refused_input(ValidationError({"kind": _("Choose a public reply or an internal note.")}))
    with context.acting_as(user), transaction.atomic():
        locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if locked is None or not permissions.can(user, "view", locked):
            raise TransitionError(NOT_PERMITTED, _("You may not do this."), status=403)
        reply = services.create_object(
            user, TicketReply(ticket=locked, kind=kind, author=user if user.pk else None, body=body.strip())
        )
        if kind == ReplyKind.PUBLIC and locked.first_responded_at is None:
            locked.first_responded_at = reply.created_at
            locked.save(update_fields=["first_responded_at", "updated_at"])
    return reply


def assignable_users(ticket: Ticket):
    """The accounts that may handle the ticket: those whose grants let them change it."""
    return permissions.users_who_may("change", ticket).order_by("username")


def groups_of(ticket: Ticket):
    return AssignmentGroup.objects.filter(opd_id=ticket.opd_id).order_by("name")


def add_attachment(user, ticket: Ticket, upload, *, reply: TicketReply | None = None) -> TicketAttachment:
    """Check (type by name and content, size), checksum and store a file of a ticket the user may view and
    attach files to. A refused file raises ValidationError (its reason) and leaves nothing behind."""
    checked = files.check_upload(upload)
    with context.acting_as(user), transaction.atomic():
        locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if locked is None or not permissions.can(user, "view", locked):
            raise PermissionDenied(_("You may not do this."))
        item = TicketAttachment(ticket=locked, reply=reply)
        item.store(checked, user)
        stored = {"name": None}

        def save() -> TicketAttachment:
            stored["name"] = item.save_file(upload)  # None: the same bytes are already stored
            item.full_clean(exclude=["file"])
            item.save()
            return item

        try:
            services.create_object(user, item, save=save)
        except BaseException:
            if stored["name"]:
                default_storage.delete(stored["name"])
            raise
    return item
