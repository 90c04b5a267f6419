from rest_framework import permissions as drf_permissions

from simpul.core import permissions

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedModelPermission(drf_permissions.BasePermission):
    """Authenticated, and holding the action on the view's model somewhere; rows are then filtered by
    `restrict()` in the view's queryset, and writes are re-checked by the services."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return permissions.has_model_permission(request.user, METHOD_ACTIONS.get(request.method, "view"), model)
