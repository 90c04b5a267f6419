"""The governance API's representations: the same records and rules as the pages (the models' clean()
runs for every write); states, files and what the workflow records are read-only here."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.filters import INT64_MAX
from simpul.governance import coverage, models

DOCUMENT_FIELDS = ["document_name", "document_type", "document_size", "document_sha256", "document_url"]


class DocumentFieldsMixin(serializers.Serializer):
    document_url = serializers.SerializerMethodField(
        help_text="The authorised download of the document (empty without one). Upload it on the record's page."
    )

    def get_document_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.document_url
        return request.build_absolute_uri(path) if request and path else path


class PolicyTopicSerializer(ScopedModelSerializer):
    class Meta:
        model = models.PolicyTopic
        fields = ["id", "url", "code", "name", "group", "description", "indicator_refs", "source"]
        read_only_fields = fields


class ServedIndicatorSerializer(serializers.Serializer):
    framework = serializers.CharField(source="framework.code")
    number = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PolicySerializer(DocumentFieldsMixin, ScopedModelSerializer):
    topics = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=models.PolicyTopic.objects.all()
    )
    serves = serializers.SerializerMethodField(help_text="The evaluation indicators the policy serves.")

    class Meta:
        model = models.Policy
        fields = [
            "id",
            "url",
            "instansi",
            "owner",
            "kind",
            "number",
            "date",
            "title",
            "summary",
            "status",
            "status_note",
            "replaced_by",
            "jdih_url",
            "topics",
            "indicators",
            "serves",
            *DOCUMENT_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_note", "replaced_by", *DOCUMENT_FIELDS, "created_at", "updated_at"]
        extra_kwargs = {"indicators": {"required": False}}

    def get_serves(self, obj) -> list[dict]:
        return ServedIndicatorSerializer(coverage.served_indicators(obj), many=True).data


class PolicyEnactSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Kept when left out.")
    date = serializers.DateField(required=False, allow_null=True, help_text="Kept when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StepNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required by revoke, cancel, reopen and complete (400 `note_required` without one).",
    )


class PolicyReplaceSerializer(serializers.Serializer):
    replaced_by = serializers.IntegerField(
        min_value=1, max_value=INT64_MAX, help_text="The enacted policy of the same instansi that replaces this one."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TeamSerializer(ScopedModelSerializer):
    current_decree = serializers.SerializerMethodField(help_text="The decree in force today (its id), if any.")

    class Meta:
        model = models.Team
        fields = ["id", "url", "instansi", "kind", "name", "tasks", "current_decree", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_current_decree(self, obj) -> int | None:
        decree = obj.current_decree()
        return decree.pk if decree else None


class DecreeSerializer(DocumentFieldsMixin, ScopedModelSerializer):
    class Meta:
        model = models.Decree
        fields = [
            "id",
            "url",
            "team",
            "number",
            "date",
            "title",
            "valid_from",
            "valid_to",
            "policy",
            "roles_state",
            "roles_granted_at",
            *DOCUMENT_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["roles_state", "roles_granted_at", *DOCUMENT_FIELDS, "created_at", "updated_at"]


class TeamMemberSerializer(ScopedModelSerializer):
    effective_role = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = models.TeamMember
        fields = [
            "id",
            "url",
            "decree",
            "order",
            "position",
            "name",
            "office",
            "opd",
            "user",
            "role",
            "grant_role",
            "effective_role",
            "role_assignment",
        ]
        read_only_fields = ["role_assignment"]


class GrantRolesSerializer(serializers.Serializer):
    remove_previous = serializers.BooleanField(
        required=False, default=False, help_text="Also remove the roles superseded decrees of the team granted."
    )
    preview = serializers.BooleanField(required=False, default=False, help_text="Only say what would change.")


class GrantLineSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    user = serializers.IntegerField(allow_null=True)
    username = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()


class GrantRemovalSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    user = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    decrees = serializers.ListField(child=serializers.CharField())


class GrantSkippedSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()


class GrantPlanSerializer(serializers.Serializer):
    decree = serializers.IntegerField()
    remove_previous = serializers.BooleanField()
    applied = serializers.BooleanField(help_text="False for a preview, or when nothing had to change.")
    create = GrantLineSerializer(many=True)
    keep = GrantLineSerializer(many=True)
    remove = GrantRemovalSerializer(many=True)
    skipped = GrantSkippedSerializer(many=True)


class MeetingSerializer(DocumentFieldsMixin, ScopedModelSerializer):
    class Meta:
        model = models.Meeting
        fields = [
            "id",
            "url",
            "team",
            "title",
            "date",
            "place",
            "agenda",
            "attendees",
            "guests",
            "minutes",
            *DOCUMENT_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = [*DOCUMENT_FIELDS, "created_at", "updated_at"]
        extra_kwargs = {"attendees": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        team = attrs.get("team") or getattr(self.instance, "team", None)
        attendees = attrs.get("attendees")
        if team is not None and attendees and any(member.decree.team_id != team.pk for member in attendees):
            raise serializers.ValidationError({"attendees": [_("Only members of this team can be marked present.")]})
        return attrs


class DecisionSerializer(ScopedModelSerializer):
    class Meta:
        model = models.Decision
        fields = ["id", "url", "meeting", "number", "text", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class FollowUpActionSerializer(ScopedModelSerializer):
    late = serializers.BooleanField(source="is_late", read_only=True, help_text="Open after its due date.")
    # Empty until the owner OPD reports the action done with a link.
    evidence_url = serializers.URLField(
        read_only=True,
        allow_blank=True,
        label=capfirst(models.FollowUpAction._meta.get_field("evidence_url").verbose_name),
    )

    class Meta:
        model = models.FollowUpAction
        fields = [
            "id",
            "url",
            "decision",
            "owner",
            "title",
            "description",
            "due_date",
            "status",
            "late",
            "completion_note",
            "evidence_url",
            "completed_at",
            "completed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "completion_note",
            "evidence_url",
            "completed_at",
            "completed_by",
            "created_at",
            "updated_at",
        ]


class ActionCompleteSerializer(StepNoteSerializer):
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
