"""Workflow steps: their input (step and note), the events they leave, and refusing status writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers


def refuse_status_change(serializer: serializers.Serializer, message: str) -> None:
    """A `status` sent to a plain write is refused rather than ignored: the client would believe it changed.

    The status a client read and sends back unchanged (a whole record in a PUT), or the first state on
    creation, is no change.
    """
    sent = serializer.initial_data.get("status") if hasattr(serializer.initial_data, "get") else None
    if sent is None:
        return
    if serializer.instance is not None:
        current = serializer.instance.status
    else:  # a new record starts in its workflow's first state
        current = serializer.Meta.model._meta.get_field("status").default
    if sent != current:
        raise serializers.ValidationError({"status": [message]})


class TransitionInputSerializer(serializers.Serializer):
    transition = serializers.CharField(help_text=gettext_lazy("The name of the step, e.g. close."))
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Why; required by the steps that say so (e.g. going back a stage)."),
    )


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkflowEventSerializer(serializers.Serializer):
    """One step taken on a record: who took which step, when, from which state to which, with its note."""

    id = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    workflow = serializers.CharField()
    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_repr = serializers.CharField()
    note = serializers.CharField()
    payload = serializers.JSONField()
