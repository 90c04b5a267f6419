"""State-changing operations of the architecture repository (UI, API, CLI and jobs all call these).

Proposals follow `ChangeProposal.workflow`: creating one writes its first event, and every later step
(approve, return, revise, resubmit, withdraw) goes through `simpul.core.workflow.transition()`, which
checks the state, the permission and the note and writes the step's event in the same transaction.
Refusals are `TransitionError`s with a stable code, shown alike by the pages and the API.
Proposed values are plain data (`{"name": "…", "hosting": "pusat_data"}`), validated by the edit form
of the element's type, so a proposal made through the API obeys the rules of the edit page.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.architecture import forms
from simpul.architecture.models import (
    ALREADY_PUBLISHED,
    NOT_PUBLISHED,
    ChangeProposal,
    Element,
    ProposalAttachment,
    ProposalKind,
    ProposalStatus,
    PublicationState,
    still_fits,
)
from simpul.core import context, files, permissions, services
from simpul.core.audit import snapshot
from simpul.core.models.workflow import WorkflowEvent
from simpul.core.notifications import Message, notify
from simpul.core.workflow import (
    INVALID_INPUT,
    INVALID_STATE,
    NOT_PERMITTED,
    NOTE_REQUIRED,
    TransitionError,
    events_of,
    record_event,
    transition,
)
from simpul.organizations.models import PerangkatDaerah

PUBLICATION_WORKFLOW = "publication"
# The first event of a correction proposed by another OPD (the proposal is a plain "change" otherwise).
CORRECTION_STEP = "propose_correction"


def may_review(user, element: Element) -> bool:
    """Reviewers (Admin SPBE) change published elements directly and decide on proposals."""
    return permissions.can(user, "review", element) if element.pk else False


def needs_review(user, element: Element) -> bool:
    return bool(element.pk and element.published and not may_review(user, element))


def ensure_direct_change_allowed(user, element: Element) -> None:
    """Published elements are the instansi's shared map: only reviewers change or delete them directly;
    an OPD proposes a change (retiring an element is a change of its status) for review."""
    if needs_review(user, element):
        raise PermissionDenied(
            _("This element is published: propose the change (e.g. status “Retired”) for the Admin SPBE to review.")
        )


def _not_permitted(detail: str | None = None) -> TransitionError:
    return TransitionError(NOT_PERMITTED, detail or _("You may not do this."), status=403)


# --- Proposed values --------------------------------------------------------------------------------


def form_values(form) -> dict:
    """The cleaned values of a valid edit form as JSON-safe data that the same form class accepts again."""
    data = {}
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "values_list"):
            value = list(value.values_list("pk", flat=True))
        elif value is not None and not isinstance(value, bool | int | str | list):
            value = str(value)
        data[name] = value
    return data


def _current_values(form_class, element: Element) -> dict:
    """The element's stored values as the edit form would submit them."""
    values = {}
    for name, value in form_class(instance=element).initial.items():
        if isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        values[name] = getattr(value, "pk", value)
    return values


def keep_owner(form, element: Element) -> None:
    """A correction proposed by another OPD cannot move the element: its owner field offers the owner only
    (the proposer could not choose it otherwise, as owner choices are the OPDs one may hold elements for)."""
    field = form.fields.get("owner")
    if field is not None:
        field.queryset = type(form).base_fields["owner"].queryset.filter(pk=element.owner_id)


def correction_form(user, element: Element, data=None):
    """The element's edit form as a proposer of a correction fills it in (the owner kept)."""
    form = forms.form_for(element)(data, instance=element, user=user)
    keep_owner(form, element)
    return form


def revision_form(user, proposal: ChangeProposal, data=None):
    """The element's edit form as the proposer revises a returned change proposal: its proposed values
    first, and the owner kept when the proposal is another OPD's correction."""
    element = proposal.element.typed
    form = forms.form_for(element)(data, instance=element, initial=None if data else proposal.data, user=user)
    if proposal.is_correction:
        keep_owner(form, element)
    return form


def validated_form(user, element: Element, data: dict, *, correction: bool = False):
    """Validate `data` (all or some of the edit form's fields) as changes of `element` by `user`.

    Fields left out keep the element's stored values. Raises ValidationError naming each refused field;
    an unknown field is refused rather than ignored, so a client's typo is not silently dropped. The form
    sets the values on `element` in memory: callers pass a copy they do not save otherwise.
    """
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("Give the proposed values as an object of field names and values.")]})
    form_class = forms.form_for(element)
    unknown = sorted(set(data) - set(form_class.base_fields))
    if unknown:
        raise ValidationError({name: [_("There is no such field.")] for name in unknown})
    form = form_class(data={**_current_values(form_class, element), **data}, instance=element, user=user)
    if correction:
        keep_owner(form, element)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


def _as_invalid_input(error: ValidationError) -> TransitionError:
    fields = error.message_dict if hasattr(error, "error_dict") else {}
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items()) or " ".join(error.messages)
    return TransitionError(
        INVALID_INPUT, _("The proposed values are not valid: %(errors)s") % {"errors": detail}, 400, fields
    )


def _typed(element: Element) -> Element:
    """A fresh copy of the element as its own type, read inside the caller's transaction."""
    return Element.objects.select_related("owner").get(pk=element.pk).typed


# --- Creating proposals -------------------------------------------------------------------------------


def propose_change(user, element: Element, data: dict) -> ChangeProposal:
    """Record proposed values for a published element, for the Admin SPBE to review, instead of saving them.

    `data` holds the changed fields (or all of them) by the edit form's field names. Refused with
    `not_permitted` (403) if the user may not change the element, `not_published` (409) for a draft
    (changed directly instead), `invalid_input` (400) if the values do not pass the edit form.
    """
    with context.acting_as(user), transaction.atomic():
        element = _typed(element)
        if not permissions.can(user, "change", element) or not permissions.can_add(
            user, ChangeProposal, *element.get_scope_ids()
        ):
            raise _not_permitted(_("You may not change this element."))
        if not element.published:
            raise TransitionError(NOT_PUBLISHED, _("This element is a draft: change it directly."))
        before = snapshot(element)
        try:
            form = validated_form(user, element, data)
        except ValidationError as error:
            raise _as_invalid_input(error) from error
        proposal = ChangeProposal(
            element=element, kind=ProposalKind.CHANGE, data=form_values(form), before=before, proposed_by=user
        )
        proposal = services.create_object(user, proposal)
        record_event(user, proposal, "proposal", "propose", "", ProposalStatus.PENDING)
        _tell_reviewers(user, proposal, gettext_lazy("Change proposed for review: %(element)s"))
    return proposal


def _proposer_opd_id(user, element: Element) -> int | None:
    """The OPD of the element's instansi for which the user may propose (their own), if any."""
    instansi_id = element.owner.instansi_id
    label = permissions.model_label(ChangeProposal)
    for grant in permissions.user_grants(user):
        in_instansi = grant.opd_id is not None and grant.instansi_id == instansi_id
        if in_instansi and "add" in permissions.role_actions(grant.role, label):
            return grant.opd_id
    return None


def correction_refusal(user, element: Element) -> TransitionError | None:
    """Why the user may not propose a correction of the element, or None if they may.

    A correction is for an OPD operator who sees another OPD's published element (the instansi's shared
    map) but may not change it; the owner OPD's users and reviewers change it or propose a change.
    """
    if not element.pk or not permissions.can(user, "view", element):
        return _not_permitted(_("You may not see this element."))
    if permissions.can(user, "change", element) or any(
        grant.opd_id == element.owner_id for grant in permissions.user_grants(user)
    ):
        return _not_permitted(_("This is your OPD's element: edit it or propose a change instead."))
    if _proposer_opd_id(user, element) is None:
        return _not_permitted(_("Only an OPD of this instansi may propose a correction."))
    if not element.published:
        return TransitionError(NOT_PUBLISHED, _("Only a published element can be corrected by another OPD."))
    return None


def may_propose_correction(user, element: Element) -> bool:
    """Whether to offer the user "Propose a correction" on the element's page."""
    return correction_refusal(user, element) is None


def propose_correction(user, element: Element, data: dict, note: str) -> ChangeProposal:
    """Another OPD proposes a correction of a published element it sees but may not change.

    The proposal is a change proposal like `propose_change()`'s (same edit form, same rules, the owner
    kept), decided by the reviewers (Admin SPBE) as any other; its first event (`propose_correction`)
    carries the proposer's OPD and the required note explaining the correction. The owner OPD's users
    (those who may change the element) and the reviewers are notified.

    Refused with `not_permitted` (403: not visible, the owner OPD's own user, a reviewer, or no OPD of
    the instansi), `not_published` (409), `note_required` (400) or `invalid_input` (400).
    """
    note = (note or "").strip()
    with context.acting_as(user), transaction.atomic():
        element = _typed(element)
        refusal = correction_refusal(user, element)
        if refusal is not None:
            raise refusal
        if not note:
            raise TransitionError(
                NOTE_REQUIRED,
                _("Say what is wrong and why the correction is needed."),
                status=400,
                fields={"note": [_("This field is required.")]},
            )
        before = snapshot(element)
        try:
            form = validated_form(user, element, data, correction=True)
        except ValidationError as error:
            raise _as_invalid_input(error) from error
        from_opd = _proposer_opd_id(user, element)
        proposal = ChangeProposal(
            element=element,
            kind=ProposalKind.CHANGE,
            data=form_values(form),
            before=before,
            proposed_by=user,
            proposer_opd_id=from_opd,
        )
        # Not `services.create_object()`: the proposal is in the owner OPD's scope, where the proposer may
        # not add records; `correction_refusal()` above is this step's permission. Saved as the proposer
        # (context.acting_as), so the audit trail records them.
        proposal.save()
        opd = PerangkatDaerah.objects.get(pk=from_opd)
        record_event(
            user,
            proposal,
            "proposal",
            CORRECTION_STEP,
            "",
            ProposalStatus.PENDING,
            note=note,
            payload={"correction": True, "from_opd": from_opd, "from_opd_name": str(opd)},
        )
        recipients = {
            *permissions.users_who_may("change", element).values_list("pk", flat=True),
            *permissions.users_who_may("review", element).values_list("pk", flat=True),
        }
        notify(
            recipients,
            Message(gettext_lazy("Correction proposed by %(opd)s: %(element)s"), opd=opd, element=element),
            note,
            record=proposal,
            verb="architecture.correction_proposed",
            exclude=user,
        )
    return proposal


def corrections_of(proposals) -> dict[int, dict]:
    """For the proposals among `proposals` that are corrections by another OPD: {pk: {"opd", "note"}}."""
    ids = [str(proposal.pk) for proposal in proposals]
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(ChangeProposal)
    events = WorkflowEvent.objects.filter(
        content_type=content_type, object_id__in=ids, workflow="proposal", transition=CORRECTION_STEP
    )
    return {
        int(event.object_id): {"opd": event.payload.get("from_opd_name", ""), "note": event.note} for event in events
    }


def correction_of(proposal: ChangeProposal) -> dict | None:
    event = events_of(proposal).filter(workflow="proposal", transition=CORRECTION_STEP).first()
    if event is None:
        return None
    return {"opd": event.payload.get("from_opd_name", ""), "note": event.note}


def request_publication(user, element: Element) -> ChangeProposal:
    """Ask the Admin SPBE to publish a draft element.

    Refused with `not_permitted` (403), `already_published` or `already_requested` (409).
    """
    with context.acting_as(user), transaction.atomic():
        # The element's row is locked so that two requests at once cannot both find none waiting.
        locked = Element.objects.select_for_update().filter(pk=element.pk).first()
        if locked is None or not permissions.can(user, "change", locked):
            raise _not_permitted(_("You may not change this element."))
        proposal = ChangeProposal(element=locked, kind=ProposalKind.PUBLISH, proposed_by=user)
        still_fits(proposal)
        proposal = services.create_object(user, proposal)
        record_event(user, proposal, "proposal", "request_publication", "", ProposalStatus.PENDING)
        _tell_reviewers(user, proposal, gettext_lazy("Publication requested for review: %(element)s"))
    return proposal


# --- Notifications ----------------------------------------------------------------------------------------


def _tell_reviewers(user, proposal: ChangeProposal, title) -> None:
    """Notify the users who may decide on the proposal (`review` on its element) that it waits for them;
    `title` is a lazy template naming the element as %(element)s."""
    element = proposal.element
    notify(
        permissions.users_who_may("review", element),
        Message(title, element=element),
        Message(gettext_lazy("Proposed by %(user)s."), user=user),
        record=proposal,
        verb="architecture.proposed",
        exclude=user,
    )


def _tell_proposer(user, proposal: ChangeProposal, title, note: str = "") -> None:
    """Notify the proposer of the decision on their proposal (with the reviewer's note); `title` is a lazy
    template naming the element as %(element)s."""
    if proposal.proposed_by_id is None:
        return
    notify(
        [proposal.proposed_by_id],
        Message(title, element=proposal.element),
        (note or "").strip(),
        record=proposal,
        verb=f"architecture.{proposal.status}",
        exclude=user,
    )


# --- Steps of a proposal --------------------------------------------------------------------------------


def _publish(user, element: Element, *, note: str = "", payload: dict | None = None) -> None:
    """Publish a draft (inside the caller's transaction) and write the element's own event."""
    typed = _typed(element)
    typed.published = True
    try:
        services.update_object(user, typed, fields=["published"])
    except PermissionDenied as error:
        raise _not_permitted(str(error)) from error
    base = Element.objects.get(pk=element.pk)
    record_event(
        user,
        base,
        PUBLICATION_WORKFLOW,
        "publish",
        PublicationState.DRAFT,
        PublicationState.PUBLISHED,
        note=note,
        payload=payload,
    )


def approve_proposal(user, proposal: ChangeProposal, note: str = "") -> ChangeProposal:
    """Apply a pending proposal and close it: a change passes the edit form again (so the same rules)
    with the reviewer's choices; a publication request publishes the draft.

    Refused with `invalid_state` (409), `not_permitted` (403) or `invalid_input` (400, the stored values
    no longer fit the element; the proposal stays pending for the proposer to revise after a return).
    """

    def apply(locked: ChangeProposal) -> None:
        if locked.kind == ProposalKind.CHANGE:
            element = _typed(locked.element)
            try:
                form = validated_form(user, element, locked.data)
            except ValidationError as error:
                raise _as_invalid_input(error) from error
            try:
                services.update_object(user, form.instance, save=form.save)
            except PermissionDenied as error:
                raise _not_permitted(str(error)) from error
        elif not locked.element.published:
            _publish(user, locked.element, note=note, payload={"proposal": locked.pk})
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.note = note

    with transaction.atomic():
        saved = transition(user, proposal, "approve", note=note, apply=apply)
        _tell_proposer(user, saved, gettext_lazy("Proposal approved: %(element)s"), note)
    return saved


def return_proposal(user, proposal: ChangeProposal, note: str) -> ChangeProposal:
    """Send a pending proposal back to its proposer with a note saying what to fix; the element stays
    as it was. Refused with `note_required` (400), `invalid_state` (409) or `not_permitted` (403)."""

    def apply(locked: ChangeProposal) -> None:
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.note = note.strip()

    with transaction.atomic():
        saved = transition(user, proposal, "return", note=note, apply=apply)
        _tell_proposer(user, saved, gettext_lazy("Proposal returned: %(element)s"), note)
    return saved


def revise_proposal(user, proposal: ChangeProposal, data: dict, note: str = "") -> ChangeProposal:
    """The proposer changes the proposed values of a returned change proposal (it stays returned until
    resubmitted). `data` holds the fields to change; the others keep their proposed values.

    Refused with `invalid_state` (409), `not_permitted` (403, not the proposer), `no_proposed_values`
    (409, a publication request: its draft is edited directly) or `invalid_input` (400).
    """

    def apply(locked: ChangeProposal) -> None:
        element = _typed(locked.element)
        before = snapshot(element)
        try:
            if not isinstance(data, dict):
                raise ValidationError({"data": [_("Give the proposed values as an object of field names and values.")]})
            form = validated_form(user, element, {**locked.data, **data}, correction=locked.is_correction)
        except ValidationError as error:
            raise _as_invalid_input(error) from error
        values = form_values(form)
        # Which fields this revision changed, for the event (the audit entry has the values).
        payload["fields"] = sorted(name for name, value in values.items() if locked.data.get(name) != value)
        locked.data, locked.before = values, before

    payload: dict = {}
    return transition(user, proposal, "revise", note=note, payload=payload, apply=apply)


def resubmit_proposal(user, proposal: ChangeProposal, note: str = "") -> ChangeProposal:
    """Send a returned proposal for review again. The last review's note stays in the proposal's history.

    Refused with `invalid_state` (409), `not_permitted` (403, not the proposer), `not_published`,
    `already_published` or `already_requested` (409, the proposal no longer fits its element).
    """

    def apply(locked: ChangeProposal) -> None:
        locked.reviewed_by = None
        locked.reviewed_at = None
        locked.note = ""

    with transaction.atomic():
        saved = transition(user, proposal, "resubmit", note=note, apply=apply)
        _tell_reviewers(user, saved, gettext_lazy("Change proposed for review: %(element)s"))
    return saved


def withdraw_proposal(user, proposal: ChangeProposal, note: str = "") -> ChangeProposal:
    """The proposer takes back a pending or returned proposal; the element stays as it was.

    Refused with `invalid_state` (409) or `not_permitted` (403, not the proposer).
    """
    return transition(user, proposal, "withdraw", note=note)


PROPOSAL_STEPS = {
    "approve": approve_proposal,
    "return": return_proposal,
    "resubmit": resubmit_proposal,
    "withdraw": withdraw_proposal,
}


def publish_element(user, element: Element, note: str = "") -> Element:
    """A reviewer publishes a draft directly. A publication request waiting for it is approved with it,
    so it does not stay open; otherwise the element's own event records the step.

    Refused with `not_permitted` (403) or `already_published` (409).
    """
    with context.acting_as(user), transaction.atomic():
        locked = Element.objects.select_for_update().filter(pk=element.pk).first()
        if locked is None or not may_review(user, locked):
            raise _not_permitted(_("Only a reviewer may publish an element directly."))
        if locked.published:
            raise TransitionError(ALREADY_PUBLISHED, _("This element is already published."))
        waiting = locked.proposals.filter(kind=ProposalKind.PUBLISH, status=ProposalStatus.PENDING).first()
        if waiting is not None:
            approve_proposal(user, waiting, note=note)
        else:
            _publish(user, locked, note=note)
    return Element.objects.get(pk=element.pk)


# --- Attachments ---------------------------------------------------------------------------------------


def may_attach(user, proposal: ChangeProposal) -> bool:
    """Whether the user may add files to this proposal now (open, and in the owner's or the proposing OPD's
    scope: the OPD that proposed a correction attaches what the reviewer asks of it)."""
    return proposal.is_open and _may_add_attachment(user, proposal)


def _may_add_attachment(user, proposal: ChangeProposal) -> bool:
    instansi_id, owner_id = proposal.element.get_scope_ids()
    return any(
        permissions.can_add(user, ProposalAttachment, instansi_id, opd_id)
        for opd_id in {owner_id, proposal.proposer_opd_id or owner_id}
    )


def add_attachment(user, proposal: ChangeProposal, upload, title: str = "") -> ProposalAttachment:
    """Check (type by name and content, size), checksum and store a file on an open proposal.

    A refused file raises ValidationError (its reason) and leaves nothing behind; a closed proposal is
    `invalid_state` (409), a user who may not add files here `not_permitted` (403).
    """
    checked = files.check_upload(upload)
    with context.acting_as(user), transaction.atomic():
        proposal = ChangeProposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if proposal is None or not permissions.can(user, "view", proposal):
            raise _not_permitted()
        if not _may_add_attachment(user, proposal):
            raise _not_permitted(_("You may not add files to this proposal."))
        if not proposal.is_open:
            raise TransitionError(INVALID_STATE, _("Files can be added only while the proposal is open."))
        attachment = ProposalAttachment(
            proposal=proposal,
            title=(title or "").strip()[:200] or checked.name[:200],
        )
        attachment.store(checked, user)
        stored = {"name": None}

        def save() -> ProposalAttachment:
            stored["name"] = attachment.save_file(upload)  # None: the same bytes are already stored
            attachment.full_clean(exclude=["file"])
            attachment.save()
            return attachment

        try:
            if permissions.can_add(user, ProposalAttachment, *proposal.element.get_scope_ids()):
                services.create_object(user, attachment, save=save)
            else:
                # The proposing OPD of a correction adds to a proposal in the owner's scope, where
                # `create_object()` would refuse it; `_may_add_attachment()` above is this step's permission.
                save()
        except BaseException:
            if stored["name"]:
                default_storage.delete(stored["name"])
            raise
    return attachment


def remove_attachment(user, attachment: ProposalAttachment) -> None:
    """Delete a file from an open proposal; the stored bytes go once nothing refers to them."""
    with context.acting_as(user), transaction.atomic():
        attachment = ProposalAttachment.objects.select_related("proposal__element").get(pk=attachment.pk)
        if not may_remove_attachment(user, attachment):
            raise _not_permitted(_("You may not remove this file."))
        if not attachment.proposal.is_open:
            raise TransitionError(INVALID_STATE, _("Files can be removed only while the proposal is open."))
        # The stored bytes go after the commit (signals.attachment_deleted), if no other attachment has them.
        if permissions.can(user, "delete", attachment):
            services.delete_object(user, attachment)
        else:
            attachment.delete()  # its adder, allowed by `may_remove_attachment()` above


def removable_attachment_ids(user, proposal: ChangeProposal) -> set[int]:
    """The proposal's files the user may remove: those they may delete in the owner's scope, and those they
    added while they may still add files to it (the proposing OPD of a correction takes back a wrong file).
    Two queries, whatever the number of files."""
    deletable = permissions.restrict(proposal.attachments.all(), user, "delete").values_list("pk", flat=True)
    removable = set(deletable)
    if getattr(user, "pk", None) and _may_add_attachment(user, proposal):
        removable |= set(proposal.attachments.filter(added_by=user).values_list("pk", flat=True))
    return removable


def may_remove_attachment(user, attachment: ProposalAttachment) -> bool:
    return attachment.pk in removable_attachment_ids(user, attachment.proposal)


def delete_file_if_unused(name: str) -> None:
    """Delete a stored attachment file that no attachment refers to any more."""
    if name and not ProposalAttachment.objects.filter(file=name).exists():
        default_storage.delete(name)


# --- What the reviewer sees ----------------------------------------------------------------------------


def proposal_diff(proposal: ChangeProposal) -> list[dict]:
    """Field-by-field comparison of the element now and the proposed values, for the reviewer."""
    element = proposal.element.typed
    current = forms.form_for(element)(instance=element)
    rows = []
    for name, field in current.fields.items():
        if name not in proposal.data:
            continue
        now = current.initial.get(name)
        if hasattr(now, "__iter__") and not isinstance(now, str):
            now = [getattr(v, "pk", v) for v in now]
        new = proposal.data[name]
        rows.append(
            {
                "name": name,
                "label": field.label,
                "now": _display(field, now),
                "proposed": _display(field, new),
                "changed": _norm(now) != _norm(new),
            }
        )
    return rows


def _norm(value):
    if value in (None, ""):
        return ""
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return str(value)


def _display(field, value):
    choices = getattr(field, "choices", None)
    if choices is not None and value not in (None, "", []):
        mapping = {str(k): str(v) for k, v in choices if k not in (None, "")}
        if isinstance(value, list):
            return ", ".join(mapping.get(str(v), str(v)) for v in value)
        return mapping.get(str(value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)
