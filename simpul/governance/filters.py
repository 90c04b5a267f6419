"""Filter sets of the governance lists (pages and API alike): a free-text `q` and a filter for every field
people select by."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from simpul.core.filters import BaseFilterSet
from simpul.evaluation.models import Indicator
from simpul.governance import models
from simpul.governance.choices import ActionStatus, PolicyKind, PolicyStatus, Position, TeamKind, TopicGroup
from simpul.organizations.models import Instansi, PerangkatDaerah


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number a date can have (year 0 or 10000 reached the database as an error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IndicatorFilter(django_filters.ModelChoiceFilter):
    """An evaluation indicator, by id (the filter method decides what serving it means)."""


class PolicyFilterSet(BaseFilterSet):
    search_fields = ("title", "number", "summary")
    kind = django_filters.ChoiceFilter(choices=PolicyKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=PolicyStatus.choices, label=_("Status"))
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=models.PolicyTopic.objects.all(), label=_("Topic")
    )
    group = django_filters.ChoiceFilter(method="filter_group", choices=TopicGroup.choices, label=_("Policy group"))
    year = YearFilter(field_name="date__year", label=_("Year enacted"))
    owner = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Drafting OPD"))
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    indicator = IndicatorFilter(
        method="filter_indicator", queryset=Indicator.objects.all(), label=_("Serves indicator")
    )

    class Meta:
        model = models.Policy
        fields = ["kind", "status", "owner", "instansi"]

    def filter_group(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=models.Policy.objects.filter(topics__group=value).values("pk"))

    def filter_indicator(self, queryset, name, value):
        """Policies serving the indicator: through a topic naming its code, or listing it themselves."""
        if not value:
            return queryset
        topic_ids = [
            topic.pk
            for topic in models.PolicyTopic.objects.all()
            if value.code in topic.indicator_codes(value.framework.code)
        ]
        serving = models.Policy.objects.filter(Q(topics__in=topic_ids) | Q(indicators=value)).values("pk")
        return queryset.filter(pk__in=serving)


class PolicyTopicFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "description")
    group = django_filters.ChoiceFilter(choices=TopicGroup.choices, label=_("Group"))

    class Meta:
        model = models.PolicyTopic
        fields = ["group"]


class TeamFilterSet(BaseFilterSet):
    search_fields = ("name", "tasks")
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label=_("Kind"))
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))

    class Meta:
        model = models.Team
        fields = ["kind", "instansi"]


class DecreeFilterSet(BaseFilterSet):
    search_fields = ("number", "title")
    team = django_filters.ModelChoiceFilter(queryset=models.Team.objects.all(), label=_("Team"))
    year = YearFilter(field_name="date__year", label=_("Year enacted"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("In force today"))

    class Meta:
        model = models.Decree
        fields = ["team"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        current = [
            decree.pk
            for decree in (
                team.current_decree(today) for team in models.Team.objects.filter(pk__in=queryset.values("team_id"))
            )
            if decree is not None
        ]
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class TeamMemberFilterSet(BaseFilterSet):
    search_fields = ("name", "office", "user__username", "user__full_name")
    decree = django_filters.ModelChoiceFilter(queryset=models.Decree.objects.all(), label=_("Decree"))
    team = django_filters.ModelChoiceFilter(
        field_name="decree__team", queryset=models.Team.objects.all(), label=_("Team")
    )
    position = django_filters.ChoiceFilter(choices=Position.choices, label=_("Position in the team"))
    opd = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("OPD"))

    class Meta:
        model = models.TeamMember
        fields = ["decree", "position", "opd"]


class MeetingFilterSet(BaseFilterSet):
    search_fields = ("title", "place", "agenda", "minutes")
    team = django_filters.ModelChoiceFilter(queryset=models.Team.objects.all(), label=_("Team"))
    year = YearFilter(field_name="date__year", label=_("Year"))

    class Meta:
        model = models.Meeting
        fields = ["team"]


class DecisionFilterSet(BaseFilterSet):
    search_fields = ("text",)
    meeting = django_filters.ModelChoiceFilter(queryset=models.Meeting.objects.all(), label=_("Meeting"))
    team = django_filters.ModelChoiceFilter(
        field_name="meeting__team", queryset=models.Team.objects.all(), label=_("Team")
    )

    class Meta:
        model = models.Decision
        fields = ["meeting"]


class FollowUpActionFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "decision__text")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))
    owner = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Owner OPD"))
    meeting = django_filters.ModelChoiceFilter(
        field_name="decision__meeting", queryset=models.Meeting.objects.all(), label=_("Meeting")
    )
    decision = django_filters.ModelChoiceFilter(queryset=models.Decision.objects.all(), label=_("Decision"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before"))

    class Meta:
        model = models.FollowUpAction
        fields = ["status", "owner"]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
