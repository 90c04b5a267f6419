"""The workflow kit: a state machine declared once per model, and one `transition()` door.

A model with a workflow declares it as a class attribute:

    class ChangeProposal(OwnedModel):
        workflow = Workflow(
            "proposal",
            field="status",
            transitions=[
                Transition("approve", source=["pending"], target="approved", permission="review"),
                Transition("return", source=["pending"], target="returned", permission="review",
                           requires_note=True),
            ],
        )

and every channel (UI, API, CLI, jobs) changes the state only through
`transition(user, record, "approve", note=..., apply=...)`, which checks the state, the permission, the
required note and the transition's own guard, writes the change and one `WorkflowEvent` in the same
transaction, and raises `TransitionError` with a stable code the UI and the API both show.

Variants: one model may follow different life cycles by a field of the record (a service desk ticket by
its kind). A transition with `when=callable(record) -> bool` applies only to the records for which it
answers true; several transitions may then share a name (each with its own `when`, e.g. "resolve" of an
incident and "resolve" of a problem start from different states), and `transition()`, `allowed()` and
`Workflow.get(name, record)` pick the one that applies to the record. A step that applies to none answers
`invalid_state`, as a step from the wrong state does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from simpul.core import context, permissions
from simpul.core.models.workflow import WorkflowEvent


class TransitionError(Exception):
    """A refused transition. `code` is stable (clients branch on it); `detail` is for people;
    `status` is the HTTP status the API answers with."""

    def __init__(self, code: str, detail: str, status: int = 409, fields: dict | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status
        self.fields = fields or {}

    def as_dict(self) -> dict:
        body = {"code": self.code, "detail": self.detail}
        if self.fields:
            body["fields"] = self.fields
        return body


# The codes every workflow shares; a guard may raise others of its own (documented with it).
UNKNOWN_TRANSITION = "unknown_transition"
INVALID_STATE = "invalid_state"
NOT_PERMITTED = "not_permitted"
NOTE_REQUIRED = "note_required"
INVALID_INPUT = "invalid_input"


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of `source` to `target`, for users holding `permission` on the record.

    `permission` is an action checked on the record's scope (`permissions.can`), or, for a step whose
    authority is not the record's scope, a callable(user, record) -> bool that the module states (e.g. the
    OPD that proposed a correction of another OPD's element acts on its proposal from its own scope).
    `guard(user, record)` may refuse with a TransitionError (e.g. "the period is closed").
    `when(record) -> bool` limits the transition to some records (a variant of the life cycle, above).
    """

    name: str
    source: tuple[str, ...]
    target: str
    permission: str | Callable = "change"
    requires_note: bool = False
    label: str | Promise = ""
    guard: Callable | None = None
    when: Callable | None = None

    def __init__(self, name, source: Iterable[str], target: str, **options):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", tuple(source))
        object.__setattr__(self, "target", target)
        for key in ("permission", "requires_note", "label", "guard", "when"):
            if key in options:
                object.__setattr__(self, key, options.pop(key))
        if options:
            raise TypeError(f"unknown options of transition {name}: {sorted(options)}")


@dataclass
class Workflow:
    """The states of one field of a model and the transitions between them."""

    name: str
    field: str
    transitions: list[Transition] = field(default_factory=list)

    def __post_init__(self):
        self.variants: dict[str, list[Transition]] = {}
        for candidate in self.transitions:
            self.variants.setdefault(candidate.name, []).append(candidate)
        for _name, found in self.variants.items():
            # A name may repeat only among variants, each saying to which records it applies.
            if len(found) > 1 and not all(t.when is not None for t in found):
                raise ValueError(f"workflow {self.name} names a transition twice")
        # The first variant of each name: its label stands for the step on buttons and in lists.
        self.by_name = {name: found[0] for name, found in self.variants.items()}

    def get(self, name: str, record: models.Model | None = None) -> Transition:
        """The transition `name`; with `record`, the variant that applies to it (else the first, which the
        state check then refuses)."""
        try:
            found = self.variants[name]
        except KeyError:
            raise TransitionError(
                UNKNOWN_TRANSITION, _("There is no such step: %(name)s.") % {"name": name}, status=400
            ) from None
        if record is not None:
            for candidate in found:
                if candidate.when is None or candidate.when(record):
                    return candidate
        return found[0]

    def state_of(self, record: models.Model) -> str:
        return getattr(record, self.field)

    def allowed(self, user, record: models.Model) -> list[Transition]:
        """The transitions `user` may fire on `record` now (for buttons; `transition()` checks again)."""
        result = []
        # Steps that need the same permission ask the database once (a page offers several steps).
        granted: dict[str, bool] = {}
        for candidate in self.transitions:
            try:
                _check(self, candidate, user, record, note=None, granted=granted)
            except TransitionError:
                continue
            result.append(candidate)
        return result


def workflow_of(record_or_model) -> Workflow:
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    workflow = getattr(model, "workflow", None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{model.__name__} declares no workflow")
    return workflow


def _state_label(record: models.Model, field_name: str, value: str) -> str:
    model_field = record._meta.get_field(field_name)
    return str(dict(model_field.flatchoices).get(value, value)) if model_field.choices else value


def _check(
    workflow: Workflow, step: Transition, user, record: models.Model, *, note: str | None, granted: dict | None = None
) -> None:
    if step.when is not None and not step.when(record):
        raise TransitionError(INVALID_STATE, _("This step does not apply to this record."))
    state = workflow.state_of(record)
    if state not in step.source:
        raise TransitionError(
            INVALID_STATE,
            _("This cannot be done while the record is “%(state)s”.")
            % {"state": _state_label(record, workflow.field, state)},
        )
    granted = {} if granted is None else granted
    if step.permission not in granted:
        if callable(step.permission):
            granted[step.permission] = bool(step.permission(user, record))
        else:
            granted[step.permission] = permissions.can(user, step.permission, record)
    if not granted[step.permission]:
        raise TransitionError(NOT_PERMITTED, _("You may not do this."), status=403)
    if step.guard is not None:
        step.guard(user, record)
    if note is not None and step.requires_note and not note.strip():
        raise TransitionError(
            NOTE_REQUIRED, _("Write a note saying why."), status=400, fields={"note": [_("This field is required.")]}
        )


def transition(
    user,
    record: models.Model,
    name: str,
    *,
    note: str = "",
    payload: dict | None = None,
    apply: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Fire transition `name` on `record` as `user`; return the record as saved.

    The row is locked and checked as stored (state, permission, guard, note). `apply(locked_record)`
    sets whatever else the step changes (a final level, a reviewer); a ValidationError it raises
    becomes an `invalid_input` TransitionError and nothing is written. The record is saved through its
    model (so the audit trail records the fields) and one WorkflowEvent is written in the same
    transaction.
    """
    workflow = workflow_of(record)
    step = workflow.get(name)
    model = type(record)
    note = (note or "").strip()
    with context.acting_as(user), transaction.atomic():
        locked = model._default_manager.select_for_update().filter(pk=record.pk).first()
        if locked is None or not permissions.can(user, "view", locked):
            raise TransitionError(NOT_PERMITTED, _("You may not do this."), status=403)
        step = workflow.get(name, locked)
        _check(workflow, step, user, locked, note=note)
        from_state = workflow.state_of(locked)
        setattr(locked, workflow.field, step.target)
        if apply is not None:
            try:
                apply(locked)
            except ValidationError as error:
                fields = error.message_dict if hasattr(error, "error_dict") else {}
                raise TransitionError(INVALID_INPUT, " ".join(error.messages), status=400, fields=fields) from error
        locked.save()
        record_event(user, locked, workflow.name, step.name, from_state, step.target, note=note, payload=payload)
    return locked


def record_event(
    user, record: models.Model, workflow: str, name: str, from_state: str, to_state: str, *, note="", payload=None
) -> WorkflowEvent:
    """Write one event; `transition()` calls it, and so may a service whose step creates the record."""
    instansi_id, opd_id = record.get_scope_ids() if hasattr(record, "get_scope_ids") else (None, None)
    actor = user if getattr(user, "pk", None) else None
    return WorkflowEvent.objects.create(
        timestamp=timezone.now(),
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=str(record.pk),
        object_repr=str(record)[:300],
        workflow=workflow,
        transition=name,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_repr=str(actor or "")[:200],
        note=note,
        payload=payload or {},
        instansi_id=instansi_id,
        opd_id=opd_id,
    )


def events_of(record: models.Model) -> models.QuerySet:
    """The workflow events of one record, newest first."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return WorkflowEvent.objects.filter(content_type=content_type, object_id=str(record.pk)).select_related("actor")
