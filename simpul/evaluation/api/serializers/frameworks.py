"""Frameworks, read from the framework document: levels, domains, aspects, indicators, predicates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation.models import Framework, VerificationStatus


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
