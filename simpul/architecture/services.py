"""State-changing operations of the architecture repository (UI, API, CLI and jobs all call these)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.architecture.models import ChangeProposal, Element, ProposalKind, ProposalStatus
from simpul.core import permissions, services
from simpul.core.audit import snapshot


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


def _form_data(form) -> dict:
    """The submitted values of a bound form as JSON-safe data that the same form class accepts again."""
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


def propose_change(user, element: Element, form) -> ChangeProposal:
    """Record a validated form as a proposal for a published element, instead of saving it."""
    with transaction.atomic():
        if not permissions.can(user, "change", element):
            raise PermissionDenied(_("You may not change this element."))
        original = type(element)._default_manager.get(pk=element.pk)
        return services.create_object(
            user,
            ChangeProposal(
                element=original,
                kind=ProposalKind.CHANGE,
                data=_form_data(form),
                before=snapshot(original),
                proposed_by=user,
            ),
        )


def request_publication(user, element: Element) -> ChangeProposal:
    """Ask the Admin SPBE to publish a draft element."""
    with transaction.atomic():
        if element.published:
            raise ValidationError(_("This element is already published."))
        if not permissions.can(user, "change", element):
            raise PermissionDenied(_("You may not change this element."))
        if element.proposals.filter(status=ProposalStatus.PENDING, kind=ProposalKind.PUBLISH).exists():
            raise ValidationError(_("Publication of this element was already requested."))
        return services.create_object(
            user, ChangeProposal(element=element, kind=ProposalKind.PUBLISH, proposed_by=user)
        )


def approve_proposal(user, proposal: ChangeProposal, form_class) -> Element:
    """Apply a pending proposal (through the same form, so the same validation) and close it."""
    with transaction.atomic():
        proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        element = proposal.element.typed
        if proposal.status != ProposalStatus.PENDING:
            raise ValidationError(_("This proposal was already decided."))
        if not may_review(user, element):
            raise PermissionDenied(_("Only a reviewer may approve proposals."))
        if proposal.kind == ProposalKind.CHANGE:
            form = form_class(data=proposal.data, instance=element, user=user)
            if not form.is_valid():
                raise ValidationError(
                    _("The proposal no longer fits the element: %(errors)s")
                    % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())}
                )
            element = services.update_object(user, form.instance, save=form.save)
        else:
            element.published = True
            element = services.update_object(user, element)
        proposal.status = ProposalStatus.APPROVED
        proposal.reviewed_by = user
        proposal.reviewed_at = timezone.now()
        proposal.save()
    return element


def return_proposal(user, proposal: ChangeProposal, note: str) -> ChangeProposal:
    """Send a proposal back to its proposer with a note; the element stays as it was."""
    if not note.strip():
        raise ValidationError(_("Write a note saying what to fix."))
    with transaction.atomic():
        proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ProposalStatus.PENDING:
            raise ValidationError(_("This proposal was already decided."))
        if not may_review(user, proposal.element):
            raise PermissionDenied(_("Only a reviewer may return proposals."))
        proposal.status = ProposalStatus.RETURNED
        proposal.note = note.strip()
        proposal.reviewed_by = user
        proposal.reviewed_at = timezone.now()
        proposal.save()
    return proposal


def proposal_diff(proposal: ChangeProposal, form_class) -> list[dict]:
    """Field-by-field comparison of the element now and the proposed values, for the reviewer."""
    element = proposal.element.typed
    current = form_class(instance=element)
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
