"""The service desk API's representations: the same records and rules as the pages (the models' clean()
runs for every write); the state, the SLA fields and where a ticket is are changed only by the steps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from simpul.architecture.models import Element
from simpul.core.api.serializers import ScopedModelSerializer
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.servicedesk import models
from simpul.servicedesk.choices import ChangeRisk, Level, ReplyKind, TicketKind
from simpul.servicedesk.services import clock, routing

# Where a ticket is and what it is: set when it is opened, then changed only by the logged steps.
FIXED_AFTER_OPENING = ("instansi", "kind", "opd", "group")


class TicketSlaSerializer(serializers.Serializer):
    response = serializers.CharField(help_text="ok, warning, breached, met, paused, or empty without a due moment.")
    resolution = serializers.CharField(help_text="ok, warning, breached, met, paused, or empty without a due moment.")


@extend_schema_field(OpenApiTypes.INT)
class LevelField(serializers.ChoiceField):
    """Impact and urgency share one scale: a plain integer in the schema (one choice set under two names
    would be two enums)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "1 = high, 2 = medium, 3 = low.")
        super().__init__(choices=Level.choices, **kwargs)


class TicketSerializer(ScopedModelSerializer):
    impact = LevelField(required=False)
    urgency = LevelField(required=False)
    sla = serializers.SerializerMethodField(help_text="The SLA state of the first response and of the resolution.")

    class Meta:
        model = models.Ticket
        fields = [
            "id",
            "url",
            "code",
            "instansi",
            "opd",
            "kind",
            "status",
            "channel",
            "subject",
            "description",
            "reporter",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "element",
            "impact",
            "urgency",
            "priority",
            "assignee",
            "group",
            "problem",
            "resolution",
            "root_cause",
            "workaround",
            "known_error",
            "risk",
            "impact_analysis",
            "planned_start",
            "planned_end",
            "opened_at",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "sla",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "code",
            "status",
            "reporter",
            "priority",
            "assignee",
            "resolution",
            "known_error",
            "opened_at",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "opd": {"required": False, "help_text": "Empty: the owner OPD of `element`, else the service desk."},
            "instansi": {"required": False, "help_text": "Empty: the instansi of `element` or `opd`."},
        }

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in FIXED_AFTER_OPENING:
                fields[name].read_only = True
        return fields

    def get_sla(self, obj) -> TicketSlaSerializer:
        return clock.states(obj)

    def validate(self, attrs):
        if self.instance is None:
            probe = models.Ticket(**{k: v for k, v in attrs.items() if k in ("instansi", "element", "opd", "group")})
            try:
                routing.route(probe)
            except DjangoValidationError as error:
                raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
            attrs["instansi"] = probe.instansi
            attrs["opd"] = probe.opd
            if probe.group_id:
                attrs["group"] = probe.group
        return super().validate(attrs)


class TicketReplySerializer(ScopedModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="public (the reporter reads it) or internal (agents only).")

    class Meta:
        model = models.TicketReply
        fields = ["id", "url", "ticket", "kind", "author", "author_name", "body", "created_at"]
        read_only_fields = fields


class TicketStepNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required by wait, resolve, reopen, reject, review and escalate (400 `note_required`).",
    )


class TicketAssignSerializer(TicketStepNoteSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    group = serializers.PrimaryKeyRelatedField(
        queryset=models.AssignmentGroup.objects.all(), required=False, allow_null=True, default=None
    )


class TicketEscalateSerializer(TicketStepNoteSerializer):
    opd = serializers.PrimaryKeyRelatedField(queryset=PerangkatDaerah.objects.all())


class TicketKnownErrorSerializer(TicketStepNoteSerializer):
    workaround = serializers.CharField(allow_blank=True)
    root_cause = serializers.CharField(required=False, allow_blank=True, default="")


class TicketAssessSerializer(TicketStepNoteSerializer):
    risk = serializers.ChoiceField(choices=ChangeRisk.choices)
    impact_analysis = serializers.CharField(allow_blank=True)


class TicketScheduleSerializer(TicketStepNoteSerializer):
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()


class NewTicketReplySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReplyKind.choices, default=ReplyKind.PUBLIC)
    body = serializers.CharField()


# --- The public intake and tracking -------------------------------------------------------------------


class PublicTicketSerializer(serializers.Serializer):
    """A submission without an account (only `complaint`), as JSON or multipart with `attachments`."""

    # A plain string rather than a choice: the intake refuses any kind but a complaint with its own message,
    # and the kinds have their enum in the ticket's representation already.
    kind = serializers.CharField(
        max_length=20, default=TicketKind.COMPLAINT.value, help_text="Without an account only `complaint`."
    )
    subject = serializers.CharField(max_length=300)
    description = serializers.CharField()
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_email = serializers.EmailField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    service = serializers.PrimaryKeyRelatedField(
        queryset=Element.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A published service or application (architecture element) concerned, if known.",
    )
    instansi = serializers.PrimaryKeyRelatedField(
        queryset=Instansi.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Needed only when Simpul serves several instansi and `service` is not given.",
    )


class PublicTicketUploadSerializer(PublicTicketSerializer):
    """The same as multipart, with files."""

    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Files, each checked for type and size."
    )


class PublicTicketReceiptSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The tracking code.")
    tracking_url = serializers.URLField(help_text="The public tracking page of the ticket.")


class TrackingReplySerializer(serializers.Serializer):
    sender = serializers.CharField(help_text="agent or reporter.")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class TrackingSerializer(serializers.Serializer):
    """What anyone holding the code reads: no internal notes, no contact data."""

    code = serializers.CharField()
    kind = serializers.CharField(help_text="complaint, incident, problem, request or change.")
    status = serializers.CharField()
    status_display = serializers.CharField()
    subject = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    replies = TrackingReplySerializer(many=True, help_text="Public replies only, oldest first.")
