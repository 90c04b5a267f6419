"""The API router every module uses: a viewset may limit which standard actions get routes."""

from rest_framework.routers import DefaultRouter

STANDARD_ACTIONS = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})


class Router(DefaultRouter):
    """Routes only the standard actions a viewset names in `routed_actions` (all when it names none).

    Assessments change only through their workflow actions and frameworks are national data, so their
    viewsets must not expose create/update/delete, while keeping the scoped base viewset (querysets
    through `restrict()`, the API actor in the audit trail) for their lists and actions.
    """

    def get_method_map(self, viewset, method_map):
        mapping = super().get_method_map(viewset, method_map)
        routed = getattr(viewset, "routed_actions", None)
        if routed is None:
            return mapping
        return {method: name for method, name in mapping.items() if name not in STANDARD_ACTIONS or name in routed}
