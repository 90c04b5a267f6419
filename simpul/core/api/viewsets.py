"""The API base viewset: scoped querysets and writes through the generic services."""

from django.core.exceptions import PermissionDenied
from rest_framework import viewsets

from simpul.core import context, permissions, services
from simpul.core.api.permissions import METHOD_ACTIONS
from simpul.core.middleware import client_ip


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Like NetBox's API views: every queryset passes through `restrict()` for the request's action."""

    filterset_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
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
        token = getattr(self, "_context_token", None)
        if token is not None:
            context.reset_context(token)
            self._context_token = None
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        return permissions.restrict(super().get_queryset(), self.request.user, action)

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data_without_m2m())
        services.create_object(self.request.user, instance, save=lambda: serializer.save())

    def perform_update(self, serializer):
        services.update_object(self.request.user, serializer.instance, save=lambda: serializer.save())

    def perform_destroy(self, instance):
        services.delete_object(self.request.user, instance)


class ReadOnlyScopedModelViewSet(ScopedModelViewSet):
    http_method_names = ["get", "head", "options"]


__all__ = ["PermissionDenied", "ReadOnlyScopedModelViewSet", "ScopedModelViewSet"]
