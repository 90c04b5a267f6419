"""Serializers of the evaluation API.

Framework details come from the framework document (`Framework.spec`), the same object the scoring
and the UI read, so the API shows exactly the weights and level texts that are used to compute.
Workflow inputs are plain serializers whose data is handed to `simpul.evaluation.services`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from simpul.core import permissions
from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation import evidence
from simpul.evaluation.models import (
    EvaluationPeriod,
    Evidence,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    PeriodScore,
    VerificationStatus,
)
from simpul.organizations.models import PerangkatDaerah, User


def _level_field(**kwargs) -> serializers.DecimalField:
    # Levels are numbers in JSON (3 or 3.25), not the strings DRF gives decimals by default.
    return serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, **kwargs)


# --- Frameworks (read from the framework document) -----------------------------------------------------


class EvaluationLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    name = serializers.CharField()
    criterion = serializers.CharField()
    evidence = serializers.CharField()
    unverified = serializers.BooleanField()


class EvaluationDomainSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()


class EvaluationAspectSerializer(EvaluationDomainSerializer):
    domain = serializers.CharField(allow_null=True)


class EvaluationIndicatorSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    code = serializers.CharField()
    aspect = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    item_keys = serializers.ListField(child=serializers.CharField())
    unverified = serializers.BooleanField()
    status = serializers.CharField(help_text=gettext_lazy("Verification status of the indicator's text or weight."))
    note = serializers.CharField()
    explanation = serializers.CharField()
    evidence_general = serializers.CharField()
    levels = serializers.SerializerMethodField()

    @extend_schema_field(EvaluationLevelSerializer(many=True))
    def get_levels(self, indicator) -> list:
        return EvaluationLevelSerializer(self.context["spec"].levels_for(indicator), many=True).data


class EvaluationPredicateSerializer(serializers.Serializer):
    name = serializers.CharField()
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    min_inclusive = serializers.BooleanField()
    max_inclusive = serializers.BooleanField()


class FrameworkSerializer(ScopedModelSerializer):
    status_label = serializers.SerializerMethodField()
    unverified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "title",
            "source_regulation",
            "status",
            "status_label",
            "status_note",
            "unverified",
            "scale_min",
            "scale_max",
            "valid_for_years",
            "is_active",
            "sha256",
            "updated_at",
        ]
        read_only_fields = fields

    def get_status_label(self, framework) -> str:
        return str(dict(VerificationStatus.choices).get(framework.status, framework.status))


class FrameworkDetailSerializer(FrameworkSerializer):
    """A framework with its domains, aspects, indicators (weights, level criteria) and predicates."""

    decimals = serializers.SerializerMethodField()
    formula = serializers.SerializerMethodField()
    formula_status = serializers.SerializerMethodField()
    predicates_status = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    aspects = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    predicates = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [
            *FrameworkSerializer.Meta.fields,
            "decimals",
            "formula",
            "formula_status",
            "predicates_status",
            "domains",
            "aspects",
            "indicators",
            "predicates",
        ]
        read_only_fields = fields

    def get_decimals(self, framework) -> int:
        return framework.spec.decimals

    def get_formula(self, framework) -> str:
        return framework.spec.formula

    def get_formula_status(self, framework) -> str:
        return framework.spec.formula_status

    def get_predicates_status(self, framework) -> str:
        return framework.spec.predicates_status

    @extend_schema_field(EvaluationDomainSerializer(many=True))
    def get_domains(self, framework) -> list:
        return EvaluationDomainSerializer(framework.spec.domains, many=True).data

    @extend_schema_field(EvaluationAspectSerializer(many=True))
    def get_aspects(self, framework) -> list:
        return EvaluationAspectSerializer(framework.spec.aspects, many=True).data

    @extend_schema_field(EvaluationIndicatorSerializer(many=True))
    def get_indicators(self, framework) -> list:
        spec = framework.spec
        return EvaluationIndicatorSerializer(spec.indicators, many=True, context={"spec": spec}).data

    @extend_schema_field(EvaluationPredicateSerializer(many=True))
    def get_predicates(self, framework) -> list:
        return EvaluationPredicateSerializer(framework.spec.predicates, many=True).data


class ComputeRequestSerializer(serializers.Serializer):
    levels = serializers.DictField(
        child=serializers.JSONField(),
        help_text=gettext_lazy(
            'Levels by indicator number, e.g. {"1": 3, "2": 4}; an indicator assessed in parts takes one level, '
            'a list with one level per part, or the parts\' own keys ("35-1").'
        ),
    )
    missing_as_minimum = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Count indicators without a level at the bottom of the scale instead of refusing."),
    )


class ComputeResultSerializer(serializers.Serializer):
    """Exactly what `simpul evaluation compute` prints."""

    framework = serializers.CharField()
    index = serializers.FloatField()
    predicate = serializers.CharField()
    domains = serializers.DictField(child=serializers.FloatField())
    aspects = serializers.DictField(child=serializers.FloatField())


# --- Periods and scores --------------------------------------------------------------------------------


class PeriodScoreSerializer(ScopedModelSerializer):
    index = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True)
    complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = PeriodScore
        fields = [
            "id",
            "period",
            "basis",
            "index",
            "raw_index",
            "predicate",
            "domains",
            "aspects",
            "assessed",
            "total",
            "complete",
            "computed_at",
        ]
        read_only_fields = fields


class PeriodScoreSummarySerializer(PeriodScoreSerializer):
    class Meta(PeriodScoreSerializer.Meta):
        fields = ["basis", "index", "predicate", "assessed", "total"]
        read_only_fields = fields


class EvaluationPeriodSerializer(ScopedModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="code", queryset=Framework.objects.filter(is_active=True))
    default_pic = serializers.PrimaryKeyRelatedField(
        queryset=PerangkatDaerah.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("On creation only: the OPD that becomes PIC of every indicator."),
    )
    target_index = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, required=False, allow_null=True
    )
    scores = PeriodScoreSummarySerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationPeriod
        fields = [
            "id",
            "url",
            "instansi",
            "year",
            "framework",
            "status",
            "self_assessment_due",
            "review_due",
            "target_index",
            "description",
            "default_pic",
            "scores",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def validate(self, attrs):
        refuse_status_change(self, _("The stage changes only through its steps: POST …/periods/<id>/transition/."))
        default_pic = attrs.pop("default_pic", None)
        if self.instance is not None:
            for name, message in (
                ("instansi", _("An evaluation period cannot move to another instansi.")),
                ("framework", _("The framework of a period cannot change once its indicators exist.")),
            ):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: message})
        attrs = super().validate(attrs)
        if default_pic is not None:
            if self.instance is not None:
                raise serializers.ValidationError(
                    {"default_pic": _("Assign PICs of an existing period per indicator.")}
                )
            if default_pic.instansi_id != attrs["instansi"].pk:
                raise serializers.ValidationError(
                    {"default_pic": _("The PIC must be an OPD of the instansi being evaluated.")}
                )
        self.default_pic = default_pic
        return attrs


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


# --- Assessments and the workflow ----------------------------------------------------------------------


class IndicatorAssessmentSerializer(ScopedModelSerializer):
    indicator = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    aspect = serializers.CharField(source="indicator.aspect.code", read_only=True)
    # Null until the step that sets them (self-assessment, review, national stage, survey).
    self_level = _level_field(read_only=True, allow_null=True)
    final_level = _level_field(read_only=True, allow_null=True)
    national_level = _level_field(read_only=True, allow_null=True)
    satisfaction_x = _level_field(read_only=True, allow_null=True)

    class Meta:
        model = IndicatorAssessment
        fields = [
            "id",
            "url",
            "period",
            "indicator",
            "indicator_name",
            "aspect",
            "item_key",
            "subject",
            "pic",
            "pic_user",
            "status",
            "self_level",
            "self_justification",
            "self_assessed_by",
            "submitted_at",
            "final_level",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "national_level",
            "effort",
            "satisfaction_x",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ScopedInputSerializer(serializers.Serializer):
    """An action's input whose record choices are limited to what the caller may view."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for field in fields.values():
                if getattr(field, "queryset", None) is not None:
                    field.queryset = permissions.restrict(field.queryset, request.user, "view")
        return fields


class SelfAssessmentInputSerializer(serializers.Serializer):
    level = _level_field(required=False, allow_null=True)
    satisfaction_x = _level_field(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Only for the survey-scored indicator: the survey value x; the level is then computed from it."
        ),
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Hand the self-assessment to the reviewers (needs level and justification)."),
    )


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", gettext_lazy("accept")), ("return", gettext_lazy("return"))])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    final_level = _level_field(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("On acceptance: the final internal level, when it differs from the self-assessment."),
    )


class AssignInputSerializer(ScopedInputSerializer):
    pic = serializers.PrimaryKeyRelatedField(queryset=PerangkatDaerah.objects.all(), allow_null=True)
    pic_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)


class BulkAssignInputSerializer(AssignInputSerializer):
    assessments = serializers.PrimaryKeyRelatedField(
        queryset=IndicatorAssessment.objects.all(),
        many=True,
        allow_empty=False,
        help_text=gettext_lazy("The ids of the period's assessments to give to the PIC."),
    )


class PlannedRaiseSerializer(serializers.Serializer):
    item_key = serializers.CharField(max_length=16)
    from_level = serializers.FloatField()
    to_level = serializers.FloatField()


class PlanActionsInputSerializer(ScopedInputSerializer):
    raises = PlannedRaiseSerializer(
        many=True,
        allow_empty=False,
        help_text=gettext_lazy("Raises of the plan; each becomes one action per level (2 → 4: 2→3 and 3→4)."),
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=PerangkatDaerah.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The OPD owning the actions; empty: each indicator's PIC."),
    )
    due_date = serializers.DateField(required=False, allow_null=True)


class PlannedActionsSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=gettext_lazy("Actions created."))
    skipped = serializers.IntegerField(help_text=gettext_lazy("Levels that already had an action (not dropped)."))
    actions = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy("Their ids."))


class NationalResultInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=NationalStage.choices)
    level = _level_field()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")
    assessed_on = serializers.DateField(required=False, allow_null=True)


class NationalStageResultSerializer(ScopedModelSerializer):
    level = _level_field(read_only=True)
    item_key = serializers.CharField(source="assessment.item_key", read_only=True)
    period = serializers.IntegerField(source="assessment.period_id", read_only=True)

    class Meta:
        model = NationalStageResult
        fields = [
            "id",
            "assessment",
            "period",
            "item_key",
            "stage",
            "level",
            "notes",
            "recommendations",
            "assessed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- Evidence and improvement actions ------------------------------------------------------------------


class EvidenceSerializer(ScopedModelSerializer):
    """Evidence of an item. Adding goes through `simpul.evaluation.evidence` (add_file, add_url,
    add_records) like the web page: a file is sent as multipart/form-data, a link as JSON."""

    url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, help_text=gettext_lazy("For kind url: the web address.")
    )
    file = serializers.FileField(
        write_only=True, required=False, help_text=gettext_lazy("For kind file (multipart/form-data): the file.")
    )
    record_type = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            'For kind record: the kind of Simpul record, e.g. "architecture.element" or "architecture.application".'
        ),
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Empty: the file name or address; a linked record is titled by its name."),
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "assessment",
            "kind",
            "title",
            "description",
            "file",
            "url",
            "record_type",
            "record_id",
            "record_label",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "download_url",
            "added_by",
            "created_at",
        ]
        read_only_fields = ["record_label", "original_name", "content_type", "size", "sha256", "added_by", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        record_type = instance.record_type
        data["record_type"] = f"{record_type.app_label}.{record_type.model}" if record_type else ""
        return data

    def get_download_url(self, evidence) -> str:
        if evidence.kind != Evidence.Kind.FILE:
            return ""
        path = reverse("evaluation:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs):
        # Only the shape of the request here: the evidence functions check the file, the period, the
        # permission and the model rules, with the same messages as the web page.
        kind = attrs["kind"]
        required = {Evidence.Kind.FILE: "file", Evidence.Kind.URL: "url", Evidence.Kind.RECORD: "record_id"}[kind]
        if not attrs.get(required):
            raise serializers.ValidationError({required: _("This field is required.")})
        if kind == Evidence.Kind.RECORD:
            self.record = self._linked_record(attrs["assessment"], attrs.get("record_type", ""), attrs["record_id"])
        return attrs

    def _linked_record(self, assessment, type_key: str, record_id: int):
        entry = evidence.linkable_type((type_key or "").strip().lower())
        if entry is None:
            known = ", ".join(sorted(evidence.linkable_types()))
            raise serializers.ValidationError(
                {
                    "record_type": _("Records of this kind cannot be linked as evidence.")
                    + " "
                    + _("Known kinds: %(kinds)s.") % {"kinds": known}
                }
            )
        user = self.context["request"].user
        record = entry.queryset(user, assessment.period.instansi_id).filter(pk=record_id).first()
        if record is None:
            raise serializers.ValidationError({"record_id": _("This record does not exist or you may not see it.")})
        return record


class ImprovementActionSerializer(ScopedModelSerializer):
    item_key = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("Empty means the whole indicator.")
    )
    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "url",
            "owner",
            "period",
            "indicator",
            "indicator_number",
            "item_key",
            "from_level",
            "to_level",
            "title",
            "due_date",
            "status",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def validate(self, attrs):
        refuse_status_change(
            self,
            _(
                "An action starts planned; its status changes only through its steps: POST …/improvement-actions/<id>/transition/."
            ),
        )
        instance = self.instance
        period = attrs.get("period", instance.period if instance else None)
        indicator = attrs.get("indicator", instance.indicator if instance else None)
        owner = attrs.get("owner", instance.owner if instance else None)
        if period is not None and indicator is not None:
            if indicator.framework_id != period.framework_id:
                raise serializers.ValidationError(
                    {"indicator": _("The indicator is not part of this period's framework.")}
                )
            keys = indicator.spec.item_keys
            item_key = attrs.get("item_key") or (instance.item_key if instance else "") or keys[0]
            if item_key not in keys:
                raise serializers.ValidationError(
                    {"item_key": _("Choose one of: %(keys)s.") % {"keys": ", ".join(keys)}}
                )
            attrs["item_key"] = item_key
            spec = period.framework.spec
            low = attrs.get("from_level", instance.from_level if instance else None)
            high = attrs.get("to_level", instance.to_level if instance else None)
            if low is not None and high is not None and not (spec.scale_min <= low < high <= spec.scale_max):
                raise serializers.ValidationError(
                    {
                        "to_level": _("Levels go up within the scale %(min)s to %(max)s.")
                        % {"min": spec.scale_min, "max": spec.scale_max}
                    }
                )
        if period is not None and owner is not None and owner.instansi_id != period.instansi_id:
            raise serializers.ValidationError({"owner": _("The OPD must belong to the instansi being evaluated.")})
        return super().validate(attrs)
