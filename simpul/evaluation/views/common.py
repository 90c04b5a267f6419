"""What several evaluation pages share: finding a period, the status colours, and showing a refused step."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from simpul.core import permissions
from simpul.core.workflow import NOTE_REQUIRED, TransitionError
from simpul.evaluation.models import AssessmentStatus, EvaluationPeriod, ScoreBasis

# Bootstrap colours of the assessment statuses, for the progress bar and the badges' legend.
STATUS_COLOURS = {
    AssessmentStatus.NOT_STARTED: "secondary",
    AssessmentStatus.DRAFT: "info",
    AssessmentStatus.SUBMITTED: "warning",
    AssessmentStatus.RETURNED: "danger",
    AssessmentStatus.ACCEPTED: "success",
}
BASIS_ORDER = (ScoreBasis.SELF, ScoreBasis.INTERNAL, ScoreBasis.NATIONAL)


def period_for(user, pk: int, action: str = "view") -> EvaluationPeriod:
    queryset = EvaluationPeriod.objects.select_related("instansi", "framework")
    return get_object_or_404(permissions.restrict(queryset, user, action), pk=pk)


def status_progress(counts: dict[str, int]) -> dict:
    """Counts per status in workflow order, each with its share of the total (for a stacked bar)."""
    total = sum(counts.values())
    rows = [
        {
            "status": status,
            "label": status.label,
            "count": counts.get(status, 0),
            "percent": round(100 * counts.get(status, 0) / total, 1) if total else 0,
            "colour": STATUS_COLOURS[status],
        }
        for status in AssessmentStatus
    ]
    return {"rows": rows, "total": total}


def score_rows(scores) -> list[dict]:
    by_basis = {score.basis: score for score in scores}
    return [{"basis": basis, "label": basis.label, "score": by_basis.get(basis)} for basis in BASIS_ORDER]


def my_opd_ids(user) -> set[int]:
    return {grant.opd_id for grant in permissions.user_grants(user) if grant.opd_id}


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def add_transition_error(form: forms.Form, error: TransitionError, fields: dict[str, str] | None = None) -> int:
    """Show a refused step on the form that asked for it; returns the page's status.

    `fields` maps the step's input names to the form's (the review form's note is `review_note`). A step
    the user may not take at all is a 403, as if they had opened a page they may not see.
    """
    if error.status == 403:
        raise PermissionDenied(error.detail)
    fields = fields or {}
    if error.code == NOTE_REQUIRED:
        # The step's own message says what the note is for; the field's "required" would not.
        name = fields.get("note", "note")
        form.add_error(name if name in form.fields else None, error.detail)
    elif error.fields:
        for name, messages in error.fields.items():
            name = fields.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.detail)
    return error.status
