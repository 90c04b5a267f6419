"""The workflow kit's own rules; each module's workflows are tested with the module."""

import pytest
from rest_framework.exceptions import ErrorDetail

from simpul.core.api.exceptions import exception_handler
from simpul.core.workflow import NOT_PERMITTED, Transition, TransitionError, Workflow


def test_a_transition_takes_only_known_options():
    with pytest.raises(TypeError, match="unknown options"):
        Transition("submit", ["draft"], "submitted", permision="change")


def test_a_workflow_names_each_transition_once():
    with pytest.raises(ValueError, match="twice"):
        Workflow("w", field="status", transitions=[Transition("a", ["x"], "y"), Transition("a", ["y"], "x")])


def test_an_unknown_step_is_a_400_with_its_code():
    workflow = Workflow("w", field="status", transitions=[Transition("a", ["x"], "y")])
    with pytest.raises(TransitionError) as raised:
        workflow.get("b")
    assert (raised.value.code, raised.value.status) == ("unknown_transition", 400)


def test_the_api_answers_a_refused_transition_with_its_code_and_status():
    response = exception_handler(TransitionError(NOT_PERMITTED, "Anda tidak boleh.", status=403), {})
    assert response.status_code == 403
    assert response.data == {"code": "not_permitted", "detail": "Anda tidak boleh."}
    with_fields = TransitionError("note_required", "Tulis catatan.", status=400, fields={"note": ["Wajib."]})
    assert exception_handler(with_fields, {}).data["fields"] == {"note": ["Wajib."]}
    assert not isinstance(response.data["detail"], ErrorDetail)
