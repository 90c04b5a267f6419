"""Fields and bases shared by the serializers of several subjects."""

from __future__ import annotations

from rest_framework import serializers

from simpul.core import permissions


def _level_field(**kwargs) -> serializers.DecimalField:
    # Levels are numbers in JSON (3 or 3.25), not the strings DRF gives decimals by default.
    return serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, **kwargs)


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
