"""The policy workflow: enact a draft (with its number and date), revoke an enacted policy (with a note),
or record that another enacted policy replaced it. Each is one `workflow.transition()`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simpul.core import permissions, workflow
from simpul.governance.choices import PolicyStatus
from simpul.governance.models import Policy


def enact_policy(
    user, policy: Policy, *, number: str | None = None, date: datetime.date | None = None, note: str = ""
) -> Policy:
    """Record a draft as enacted (ditetapkan). `number` and `date` are set if given (a blank number, as an
    empty form field or a left-out API field, keeps the stored one); an enacted policy must have both (else
    `invalid_input`, nothing changed). Needs "review" on the policy."""

    def apply(locked: Policy) -> None:
        if number and number.strip():
            locked.number = number.strip()
        if date is not None:
            locked.date = date
        errors = {}
        if not locked.number:
            errors["number"] = [_("Enter the number the policy was enacted under.")]
        if locked.date is None:
            errors["date"] = [_("Enter the date the policy was enacted.")]
        if errors:
            raise ValidationError(errors)
        locked.status_note = note.strip()
        locked.full_clean(exclude=["document"])

    return workflow.transition(user, policy, "enact", note=note, apply=apply)


def revoke_policy(user, policy: Policy, *, note: str) -> Policy:
    """Record an enacted policy as revoked (dicabut); the note says by what and why (required)."""

    def apply(locked: Policy) -> None:
        locked.status_note = note.strip()

    return workflow.transition(user, policy, "revoke", note=note, apply=apply)


def replace_policy(user, policy: Policy, *, replaced_by: Policy | int | None, note: str = "") -> Policy:
    """Record an enacted policy as replaced (diganti) by another enacted policy of the same instansi, one the
    user may see (`replaced_by`: the policy or its id, as the page's choice or the API's input names it)."""
    replacement_id = getattr(replaced_by, "pk", replaced_by)

    def apply(locked: Policy) -> None:
        if replacement_id is None:
            raise ValidationError({"replaced_by": [_("Choose the policy that replaces this one.")]})
        visible = permissions.restrict(Policy.objects.all(), user, "view")
        replacement = visible.filter(pk=replacement_id).first()
        if replacement is None:
            raise ValidationError({"replaced_by": [_("There is no such policy, or you may not see it.")]})
        if replacement.pk == locked.pk:
            raise ValidationError({"replaced_by": [_("A policy cannot replace itself.")]})
        if replacement.instansi_id != locked.instansi_id:
            raise ValidationError({"replaced_by": [_("The replacing policy must belong to the same instansi.")]})
        if replacement.status != PolicyStatus.DITETAPKAN:
            raise ValidationError({"replaced_by": [_("The replacing policy must be enacted.")]})
        locked.replaced_by = replacement
        locked.status_note = note.strip()

    return workflow.transition(
        user,
        policy,
        "replace",
        note=note,
        payload={"replaced_by": replacement_id},
        apply=apply,
    )


POLICY_STEPS = {"enact": enact_policy, "revoke": revoke_policy, "replace": replace_policy}
