"""Improvement actions, and the input and result of planning them from the planner's raises."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation.api.serializers.common import ScopedInputSerializer
from simpul.evaluation.api.serializers.workflow import refuse_status_change
from simpul.evaluation.models import ImprovementAction
from simpul.organizations.models import PerangkatDaerah


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
