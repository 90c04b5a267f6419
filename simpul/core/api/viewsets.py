"""The API base viewset: scoped querysets and writes through the generic services."""

import re
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, generics, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from simpul.core import context, permissions, services
from simpul.core.api.permissions import METHOD_ACTIONS
from simpul.core.api.schema import AutoSchema
from simpul.core.filters import INT64_MAX, INT64_MIN
from simpul.core.middleware import client_ip


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Like NetBox's API views: every queryset passes through `restrict()` for the request's action."""

    filterset_class = None
    # Documents the error responses, parameter bounds and nullable fields every endpoint shares.
    schema = AutoSchema()
    # Any one path segment reaches the view, whose lookup answers 404 in JSON for an id that is not one
    # (`1.5`, `abc`); DRF's default stops at a dot, so such URLs fell through to Django's HTML 404 page.
    lookup_value_regex = "[^/]+"
    # The services that write a new record and a change, as the edit page's (`ObjectEditView`): a module
    # whose writes do more names its own on both, so the page and the API write alike.
    create_record = staticmethod(services.create_object)
    update_record = staticmethod(services.update_object)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unstorable_input(self, request, kwargs)
        # Token and API-key users are known only now, after DRF authenticated them.
        base = context.current()
        self._context_token = context.set_context(
            context.ActorContext(
                user=request.user,
                ip_address=base.ip_address or client_ip(request),
                request_id=base.request_id,
                source="api",
            )
        )

    def finalize_response(self, request, response, *args, **kwargs):
        for name, value in getattr(self, "headers_after_write", {}).items():
            response[name] = value
        token = getattr(self, "_context_token", None)
        if token is not None:
            context.reset_context(token)
            self._context_token = None
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        return permissions.restrict(super().get_queryset(), self.request.user, action)

    def get_object_for(self, action: str):
        """The record the URL names among those the user may `action`, for extra actions whose HTTP
        method implies another permission than the one they need (a review is a POST that needs "view").

        Through DRF's lookup, as `get_object`: an id that is not one (`abc`) is a 404, not a server error.
        """
        queryset = permissions.restrict(super().get_queryset(), self.request.user, action)
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = generics.get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup_url_kwarg]})
        self.check_object_permissions(self.request, obj)
        return obj

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data_without_m2m())
        self.create_record(self.request.user, instance, save=lambda: serializer.save())

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        # The version a client sends back in If-Match to refuse overwriting a change it has not seen.
        response["ETag"] = f'"{services.row_version(instance)}"'
        return response

    def perform_update(self, serializer):
        """A PATCH changes only the fields it names, on the locked row (`services.update_object`).

        With `If-Match: "<ETag of the detail>"` the write is refused (412) when the record changed since.
        """

        def save():
            _validate_merged(serializer)
            return serializer.save()

        try:
            instance = self.update_record(
                self.request.user,
                serializer.instance,
                save=save,
                fields=list(serializer.validated_data),
                version=self._expected_version(),
            )
        except services.EditConflict as conflict:
            raise PreconditionFailed(str(conflict)) from conflict
        self.headers_after_write = {"ETag": f'"{services.row_version(instance)}"'}

    def _expected_version(self) -> str | None:
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        return header.removeprefix("W/").strip('"')

    def perform_destroy(self, instance):
        expected = self._expected_version()
        if expected is not None and expected != services.row_version(instance):
            raise PreconditionFailed(str(services.EditConflict(instance)))
        services.delete_object(self.request.user, instance)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record changed since you read it.")
    default_code = "edit_conflict"


def _validate_merged(serializer) -> None:
    """Run the model's clean() and constraints again on the locked row with the named changes applied.

    The serializer validated them against the record as read before the lock; another writer may have
    changed the other fields since, and the combination must still hold.
    """
    instance = serializer.instance
    m2m = {field.name for field in instance._meta.many_to_many}
    for name, value in serializer.validated_data.items():
        if name not in m2m:
            setattr(instance, name, value)
    try:
        instance.clean()
        instance.validate_constraints()
    except DjangoValidationError as error:
        detail = serializers.as_serializer_error(error)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from error


def refuse_unstorable_input(view, request, url_kwargs) -> None:
    """Input that no record can match, or no column can hold, is refused before the database sees it;
    the database answered it with a server error.

    - a NUL character: PostgreSQL takes none in text or JSON. In the URL it names no record (404); in an
      input value it is invalid (400, said as for text fields).
    - an id beyond 64 bits: SQLite's driver refuses it. Django guards plain integer lookups but not a
      primary key that is a relation (a typed element's), so `/applications/99999999999999999999/` was
      a 500 there.
    """
    lookup = getattr(view, "lookup_field", "pk")
    for value in url_kwargs.values():
        text = str(value)
        if "\x00" in text or (_is_whole_number(text) and _is_integer_key(view, lookup) and not _in_64_bits(text)):
            raise exceptions.NotFound()
    data = request.data if request.method in ("POST", "PUT", "PATCH") else None
    if not isinstance(data, Mapping):
        return
    invalid = {}
    for name in data:
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        if any(_has_null_character(value) for value in values):
            invalid[name] = [_("Null characters are not allowed.")]
    if invalid:
        raise serializers.ValidationError(invalid)


def _is_whole_number(text: str) -> bool:
    return re.fullmatch("-?[0-9]+", text) is not None


def _in_64_bits(text: str) -> bool:
    # Compared as text first: Python refuses to convert more than 4,300 digits.
    return len(text.lstrip("-").lstrip("0")) <= 19 and INT64_MIN <= int(text) <= INT64_MAX


def _is_integer_key(view, lookup: str) -> bool:
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return False
    try:
        field = model._meta.pk if lookup == "pk" else model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return False
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field
    return isinstance(field, models.IntegerField)


def _has_null_character(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_null_character(key) or _has_null_character(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_has_null_character(item) for item in value)
    return False


class ReadOnlyScopedModelViewSet(ScopedModelViewSet):
    http_method_names = ["get", "head", "options"]


__all__ = ["PermissionDenied", "ReadOnlyScopedModelViewSet", "ScopedModelViewSet"]
