"""Variants of one workflow by a field of the record (`Transition(..., when=...)`): a step name may repeat
among variants, and the kit picks, offers and checks the variant that applies to the record."""

from types import SimpleNamespace

import pytest

from simpul.core.workflow import INVALID_STATE, Transition, TransitionError, Workflow, _check


class Record(SimpleNamespace):
    """A record as the kit reads it: its fields, and `_meta` only to name a refused state."""

    class _meta:
        @staticmethod
        def get_field(name):
            return SimpleNamespace(choices=None)


def _is(kind):
    return lambda record: record.kind == kind


def _everyone(user, record):
    return True


WORKFLOW = Workflow(
    "ticket",
    field="status",
    transitions=[
        Transition("resolve", ["in_progress"], "resolved", permission=_everyone, when=_is("incident")),
        Transition("resolve", ["investigating"], "resolved", permission=_everyone, when=_is("problem")),
        Transition("investigate", ["new"], "investigating", permission=_everyone, when=_is("problem")),
        Transition("close", ["resolved"], "closed", permission=_everyone),
    ],
)


def test_a_name_repeats_only_among_variants_that_each_say_where_they_apply():
    with pytest.raises(ValueError, match="twice"):
        Workflow(
            "w",
            field="status",
            transitions=[Transition("a", ["x"], "y", when=_is("p")), Transition("a", ["y"], "x")],
        )


def test_get_picks_the_variant_of_the_record():
    incident = Record(kind="incident", status="in_progress")
    problem = Record(kind="problem", status="investigating")
    assert WORKFLOW.get("resolve", incident).source == ("in_progress",)
    assert WORKFLOW.get("resolve", problem).source == ("investigating",)
    # Without a record (a button's label), the first variant stands for the name.
    assert WORKFLOW.get("resolve") is WORKFLOW.by_name["resolve"]


def test_allowed_offers_only_the_variants_that_apply():
    new_incident = Record(kind="incident", status="new")
    new_problem = Record(kind="problem", status="new")
    assert [t.name for t in WORKFLOW.allowed(None, new_problem)] == ["investigate"]
    assert WORKFLOW.allowed(None, new_incident) == []
    resolved_problem = Record(kind="problem", status="resolved")
    assert [t.name for t in WORKFLOW.allowed(None, resolved_problem)] == ["close"]


def test_a_variant_of_another_kind_is_refused_as_an_invalid_state():
    incident = Record(kind="incident", status="new")
    step = WORKFLOW.variants["investigate"][0]
    with pytest.raises(TransitionError) as raised:
        _check(WORKFLOW, step, None, incident, note="")
    assert (raised.value.code, raised.value.status) == (INVALID_STATE, 409)
    # The incident's own variant is refused from the wrong state with the same code.
    with pytest.raises(TransitionError) as raised:
        _check(WORKFLOW, WORKFLOW.get("resolve", incident), None, incident, note="")
    assert raised.value.code == INVALID_STATE
