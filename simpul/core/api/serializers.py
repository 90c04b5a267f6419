import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from simpul.core import permissions
from simpul.core.models import AuditEntry, WorkflowEvent


class ScopedModelSerializer(serializers.ModelSerializer):
    """Related-record choices are limited to what the requesting user may see."""

    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        return request.build_absolute_uri(path) if request and path else path

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            for field in fields.values():
                queryset = getattr(field, "queryset", None)
                if queryset is not None:
                    field.queryset = permissions.restrict(queryset, user, "view")
        return fields

    def validate(self, attrs):
        """Run the model's own clean() and constraints so the API enforces the same rules as the forms."""
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in attrs.items():
            if key not in m2m:
                setattr(candidate, key, value)
        before = {field.attname: getattr(candidate, field.attname) for field in model._meta.concrete_fields}
        try:
            candidate.clean()
            # Conditional unique constraints are not covered by DRF's validators; unchecked they end as
            # an IntegrityError (500) instead of a 400 naming the problem.
            candidate.validate_constraints()
        except DjangoValidationError as error:
            detail = serializers.as_serializer_error(error)
            if NON_FIELD_ERRORS in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(detail) from error
        # Like a ModelForm, keep what clean() filled in (e.g. a user's instansi taken from their OPD).
        for field in model._meta.concrete_fields:
            writable = field.name in self.fields and not self.fields[field.name].read_only
            if writable and getattr(candidate, field.attname) != before[field.attname]:
                attrs[field.name] = getattr(candidate, field.name)
        return attrs

    def validated_data_without_m2m(self) -> dict:
        m2m = {f.name for f in self.Meta.model._meta.many_to_many}
        return {k: v for k, v in self.validated_data.items() if k not in m2m}


# --- Core's own records -----------------------------------------------------------------------------
class AuditEntrySerializer(ScopedModelSerializer):
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "url",
            "timestamp",
            "actor",
            "actor_repr",
            "source",
            "ip_address",
            "request_id",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "instansi_id",
            "opd_id",
            "changes",
            "prev_hash",
            "hash",
        ]

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


# Named apart from the evaluation's per-record timeline component ("WorkflowEvent"), which has no record.
@extend_schema_serializer(component_name="WorkflowEventWithRecord")
class WorkflowEventSerializer(serializers.ModelSerializer):
    """One step taken on a record, with the record it was taken on."""

    content_type = serializers.SerializerMethodField(
        help_text=_('The type of the record, as "app.model", e.g. "architecture.element".')
    )
    from_state_label = serializers.CharField(read_only=True)
    to_state_label = serializers.CharField(read_only=True)

    class Meta:
        model = WorkflowEvent
        fields = [
            "id",
            "timestamp",
            "content_type",
            "object_id",
            "object_repr",
            "workflow",
            "transition",
            "from_state",
            "from_state_label",
            "to_state",
            "to_state_label",
            "actor",
            "actor_repr",
            "note",
            "payload",
        ]
        read_only_fields = fields

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
