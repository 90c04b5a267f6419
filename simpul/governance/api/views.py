"""The governance API: the same records, filter sets and services as the pages.

Lists and details pass through `restrict()` (ScopedModelViewSet). Workflow steps are POST actions that
call the services the pages call (`enact_policy`, `revoke_policy`, `replace_policy`, `grant_roles`,
`complete_action`, `cancel_action`, `reopen_action`): a refused step answers `{"code", "detail"}` with
403 (`not_permitted`), 409 (`invalid_state`) or 400 (`note_required`, `invalid_input` with `fields`).
"""

from __future__ import annotations

from functools import partial

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from simpul.core import permissions
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.governance import filters, models, services
from simpul.governance.api import serializers

REFUSED_STEP = {
    400: OpenApiResponse(description="Invalid input, or a note the step requires is missing (`code`)."),
    403: OpenApiResponse(description="The account may not take this step (`code`: `not_permitted`)."),
    409: OpenApiResponse(description="The record is not in a state this step starts from (`invalid_state`)."),
}


class WorkflowActionPermission(ScopedModelPermission):
    """Workflow steps are POSTs that the workflow itself authorises: the gate asks only that the caller may
    view such records at all, so that a refused step is answered by the kit with its code."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) not in getattr(view, "workflow_actions", ()):
            return super().has_permission(request, view)
        user = request.user
        return bool(user and user.is_authenticated) and permissions.has_model_permission(
            user, "view", view.queryset.model
        )


class StepsMixin:
    permission_classes = [WorkflowActionPermission]
    workflow_actions: tuple[str, ...] = ()

    def step(self, request, serializer_class, run) -> Response:
        record = self.get_object_for("view")
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(record, **body.validated_data)
        return Response(self.get_serializer(self.get_object_for("view")).data)


class PolicyTopicViewSet(ReadOnlyScopedModelViewSet):
    """The national list of policy topics and, by framework id, the codes of the indicators each serves."""

    queryset = models.PolicyTopic.objects.all()
    serializer_class = serializers.PolicyTopicSerializer
    filterset_class = filters.PolicyTopicFilterSet
    lookup_field = "code"


class PolicyViewSet(StepsMixin, ScopedModelViewSet):
    """The policy registry. A new policy is a draft (rancangan); its state changes only through enact,
    revoke and replace (the Admin SPBE's "review")."""

    queryset = models.Policy.objects.select_related("instansi", "owner").prefetch_related("topics", "indicators")
    serializer_class = serializers.PolicySerializer
    filterset_class = filters.PolicyFilterSet
    ordering_fields = ["date", "title", "number", "updated_at"]
    workflow_actions = ("enact", "revoke", "replace")

    @extend_schema(
        request=serializers.PolicyEnactSerializer, responses={200: serializers.PolicySerializer, **REFUSED_STEP}
    )
    @action(detail=True, methods=["post"])
    def enact(self, request, pk=None):
        """Record a draft as enacted (ditetapkan); an enacted policy has a number and a date."""
        return self.step(request, serializers.PolicyEnactSerializer, partial(services.enact_policy, request.user))

    @extend_schema(
        request=serializers.StepNoteSerializer, responses={200: serializers.PolicySerializer, **REFUSED_STEP}
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Record an enacted policy as revoked (dicabut); the note is required."""
        return self.step(request, serializers.StepNoteSerializer, partial(services.revoke_policy, request.user))

    @extend_schema(
        request=serializers.PolicyReplaceSerializer, responses={200: serializers.PolicySerializer, **REFUSED_STEP}
    )
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        """Record an enacted policy as replaced (diganti) by another enacted policy of the same instansi that
        the caller may see (else 400 `invalid_input` on `replaced_by`)."""
        return self.step(request, serializers.PolicyReplaceSerializer, partial(services.replace_policy, request.user))


class TeamViewSet(ScopedModelViewSet):
    queryset = models.Team.objects.select_related("instansi")
    serializer_class = serializers.TeamSerializer
    filterset_class = filters.TeamFilterSet


class DecreeViewSet(StepsMixin, ScopedModelViewSet):
    """The decrees (SK) of the teams; `grant-roles` gives the members the roles of their positions."""

    queryset = models.Decree.objects.select_related("team", "policy")
    serializer_class = serializers.DecreeSerializer
    filterset_class = filters.DecreeFilterSet
    ordering_fields = ["valid_from", "date", "number"]
    workflow_actions = ("grant_roles",)

    @extend_schema(
        request=serializers.GrantRolesSerializer,
        responses={200: serializers.GrantPlanSerializer, **REFUSED_STEP},
        description="With `preview`, what granting would change; otherwise it is applied in one step (logged as "
        "the decree's `grant_roles` event and in the audit trail). Only for whoever may review the decree and "
        "add role assignments in its instansi (403 `not_permitted`).",
    )
    @action(detail=True, methods=["post"], url_path="grant-roles", url_name="grant-roles")
    def grant_roles(self, request, pk=None):
        decree = self.get_object_for("view")
        body = serializers.GrantRolesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.plan_role_grants if body.validated_data["preview"] else services.grant_roles
        plan = run(request.user, decree, remove_previous=body.validated_data["remove_previous"])
        return Response(serializers.GrantPlanSerializer(plan.as_dict()).data)


class TeamMemberViewSet(ScopedModelViewSet):
    queryset = models.TeamMember.objects.select_related("decree__team", "user", "opd")
    serializer_class = serializers.TeamMemberSerializer
    filterset_class = filters.TeamMemberFilterSet


class MeetingViewSet(ScopedModelViewSet):
    queryset = models.Meeting.objects.select_related("team").prefetch_related("attendees")
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilterSet
    ordering_fields = ["date", "title"]


class DecisionViewSet(ScopedModelViewSet):
    queryset = models.Decision.objects.select_related("meeting")
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilterSet


class FollowUpActionViewSet(StepsMixin, ScopedModelViewSet):
    """Follow-up actions: the owner OPD reports one done (`complete`); the team cancels or reopens it and
    alone changes what it asks, of whom and by when (403 otherwise). `late` is derived."""

    queryset = models.FollowUpAction.objects.select_related("owner", "decision")
    serializer_class = serializers.FollowUpActionSerializer
    filterset_class = filters.FollowUpActionFilterSet
    ordering_fields = ["due_date", "status", "updated_at"]
    workflow_actions = ("complete", "cancel", "reopen")

    # Written through the services the edit page uses: the same checks and the same notice to a new owner
    # OPD, whichever path moved the action.
    create_record = staticmethod(services.assign_action)
    update_record = staticmethod(services.update_action)

    @extend_schema(
        request=serializers.ActionCompleteSerializer,
        responses={200: serializers.FollowUpActionSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The owner OPD reports the action done, with a report (required) and optionally an evidence link."""
        return self.step(request, serializers.ActionCompleteSerializer, partial(services.complete_action, request.user))

    @extend_schema(
        request=serializers.StepNoteSerializer, responses={200: serializers.FollowUpActionSerializer, **REFUSED_STEP}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The team cancels an open action (note required)."""
        return self.step(request, serializers.StepNoteSerializer, partial(services.cancel_action, request.user))

    @extend_schema(
        request=serializers.StepNoteSerializer, responses={200: serializers.FollowUpActionSerializer, **REFUSED_STEP}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The team reopens a done or cancelled action (note required)."""
        return self.step(request, serializers.StepNoteSerializer, partial(services.reopen_action, request.user))
