"""How Simpul's API appears in the OpenAPI schema: errors, parameters, ordering (drf-spectacular).

Imported from CoreConfig.ready(): drf-spectacular finds extensions through their subclass registry, so
this module only has to be imported once. The authentication schemes are the accounts module's
(simpul/accounts/api/schema.py).
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

from simpul.core.filters import INT64_MAX, INT64_MIN

# --- Error responses, parameters and nullable fields (the AutoSchema of every module's viewsets) ----------

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. 400 names each invalid input field or query parameter with its messages, e.g. "
        '`{"limit": ["…"]}`, and `non_field_errors` for the input as a whole; the other errors carry `detail`. '
        "A refused workflow step also carries `code`, a stable string to branch on (`invalid_state`, "
        "`not_permitted`, `note_required`, `invalid_input`, `unknown_transition`, or one the step documents); "
        "it is not listed as a property because an input field may be named `code` too."
    ),
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for errors not about one field."},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
        "blocking": {
            "type": "array",
            "items": {"type": "string"},
            "description": "409: the records that still depend on the one to delete (at most 50).",
        },
    },
    # Field and parameter names differ per endpoint; their messages are a list (or, for nested input, an
    # object of lists).
    "additionalProperties": {},
}

# Status, description, and whether only operations that need credentials can answer it.
ERROR_RESPONSES = [
    (400, _("Invalid input or query parameter: the messages are given per field or parameter."), False),
    (401, _("No credentials, or the token or API key is wrong, revoked, expired or of an inactive account."), True),
    (403, _("The account may not do this."), True),
    (404, _("The record does not exist or is outside the account's scope."), False),
    (429, _("Too many requests; try again later."), False),
]
CONFLICT_RESPONSE = (409, _("Other records still depend on this one; `blocking` names them."), False)
MEDIA_TYPE_RESPONSE = (415, _("The request body is not of a media type this operation takes."), False)
PRECONDITION_RESPONSE = (
    412,
    _("The record changed since the version named in If-Match: read it again (its ETag) and retry."),
    False,
)
# The generic write actions that honour If-Match (ScopedModelViewSet.perform_update/perform_destroy).
VERSIONED_ACTIONS = {"update", "partial_update", "destroy"}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus what every Simpul endpoint shares: its error responses with one error body,
    the bounds of whole-number query parameters, and nullable read-only fields declared on a serializer.

    Set on the base viewset (`ScopedModelViewSet.schema`), so every module's endpoints inherit it.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        content = {"application/json": {"schema": self._error_component().ref}}
        needs_credentials = any(requirement for requirement in (self.get_auth() or []))
        errors = list(ERROR_RESPONSES)
        if self.method == "DELETE":
            errors.append(CONFLICT_RESPONSE)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.append(MEDIA_TYPE_RESPONSE)
        if getattr(self.view, "action", None) in VERSIONED_ACTIONS:
            errors.append(PRECONDITION_RESPONSE)
        for status, description, only_with_credentials in errors:
            if only_with_credentials and not needs_credentials:
                continue
            responses.setdefault(str(status), {"description": str(description)})
        # Also the error responses a view documented itself with a description only.
        for status, response in responses.items():
            if status >= "400" and "content" not in response:
                response["content"] = content
        return responses

    def _error_component(self):
        component = ResolvedComponent(
            name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, object=ERROR_COMPONENT, schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        return component

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "action", None) in VERSIONED_ACTIONS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=str(
                        _("The ETag of the record as you read it: the write is refused (412) if it changed since.")
                    ),
                )
            )
        return parameters

    def _get_filter_parameters(self):
        # The filter backend refuses whole numbers beyond 64 bits (core.filters.whole_number_filters).
        return _within_64_bits(super()._get_filter_parameters())

    def _resolve_path_parameters(self, variables):
        # An id beyond 64 bits names no record (ScopedModelViewSet answers 404 before the lookup).
        return _within_64_bits(super()._resolve_path_parameters(variables))

    def _insert_field_validators(self, field, schema):
        had_pattern = "pattern" in schema
        super()._insert_field_validators(field, schema)
        # Python reads \w, \d and \s in Unicode (Django's usernames take "Ⱥ"), a JSON Schema validator as
        # ASCII: the copied pattern refused values the API accepts and returns. Left out, the field's
        # description still states the rule.
        if not had_pattern and any(_has_unicode_classes(validator) for validator in field.validators):
            schema.pop("pattern", None)

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and field.read_only and _source_is_nullable(field):
            meta["nullable"] = True
        return meta


_UNICODE_CLASS = re.compile(r"(?<!\\)\\[wWdDsSbB]")


def _has_unicode_classes(validator) -> bool:
    regex = getattr(validator, "regex", None)
    if not isinstance(validator, RegexValidator) or not isinstance(getattr(regex, "pattern", None), str):
        return False
    return not regex.flags & re.ASCII and _UNICODE_CLASS.search(regex.pattern) is not None


def _within_64_bits(parameters: list) -> list:
    for parameter in parameters:
        schema = parameter.get("schema", {})
        if schema.get("type") == "integer":
            schema.setdefault("minimum", INT64_MIN)
            schema.setdefault("maximum", INT64_MAX)
    return parameters


def _source_is_nullable(field) -> bool:
    """Whether a field declared on a model serializer reads a column that may be null.

    A declared field does not take `null=True` from the model the way a generated one does, so the schema
    called `ReferenceCode.parent` and the assessment levels non-null while the API sent null.
    """
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*" or not getattr(field, "source_attrs", None):
        return False
    for position, attr in enumerate(field.source_attrs):
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        last = position == len(field.source_attrs) - 1
        if last:
            return bool(getattr(model_field, "null", False))
        # Through a null relation DRF leaves the key out rather than sending null (unless allow_null).
        if not model_field.is_relation or model_field.null or model_field.related_model is None:
            return False
        model = model_field.related_model
    return False


class OrderingFilterScheme(OpenApiFilterExtension):
    """`ordering` with the values the view takes (the filter backend refuses the others)."""

    target_class = "rest_framework.filters.OrderingFilter"
    match_subclasses = True

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        from simpul.core.api.filtering import ordering_pattern

        view = auto_schema.view
        parameters = self.target.get_schema_operation_parameters(view)
        queryset = view.queryset if getattr(view, "queryset", None) is not None else view.get_queryset()
        pattern = ordering_pattern(queryset, view, getattr(view, "request", None))
        for parameter in parameters:
            if pattern is not None:
                parameter["schema"]["pattern"] = pattern
                parameter["description"] = str(
                    _("Fields to order by, comma-separated; put - before a field to reverse its order.")
                )
        return parameters
