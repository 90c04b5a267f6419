"""The workflow events of every record a user may view: one list, filtered and exported like every list.

Each event is shown to whoever may view its record (`WorkflowEvent.scope_record_fields`), so the list,
its CSV/XLSX export and the API (`/api/core/workflow-events/`) hold exactly the events that the records'
own history panels show. `?content_type=<app.model>&object_id=<id>` lists one record's events; its
history panel links there.
"""

from __future__ import annotations

from collections import defaultdict

import django_filters
import django_tables2 as tables
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.core.models import WorkflowEvent
from simpul.core.tables import BaseTable
from simpul.core.views.generic import ModelViews, ObjectListView


def record_type(label: str) -> ContentType | None:
    """The content type of the installed model named "app.model", or None."""
    app_label, _dot, model_name = str(label).strip().partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    # Events are written for the concrete model (`workflow.record_event`).
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def record_type_label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def event_record_types() -> list[tuple[str, str]]:
    """("app.model", name) of the record types that have events, by name."""
    present = ContentType.objects.filter(
        models.Exists(WorkflowEvent.objects.filter(content_type=models.OuterRef("pk")))
    )
    choices = [
        (record_type_label(content_type), capfirst(model._meta.verbose_name))
        for content_type in present
        if (model := content_type.model_class()) is not None
    ]
    return sorted(choices, key=lambda choice: str(choice[1]))


class RecordTypeField(forms.ChoiceField):
    """A record type as "app.model", cleaned to its content type.

    The select offers the types that have events; any installed model is accepted, so asking for a type
    without events yet lists nothing instead of being refused.
    """

    def __init__(self, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(choices=lambda: [("", "---------"), *event_record_types()], **kwargs)

    def valid_value(self, value) -> bool:
        return record_type(value) is not None

    def clean(self, value):
        value = super().clean(value)
        return record_type(value) if value else None


class RecordTypeFilter(django_filters.CharFilter):
    field_class = RecordTypeField


class WorkflowEventFilterSet(BaseFilterSet):
    """The list page's and the API's filters alike."""

    search_fields = ("note",)
    content_type = RecordTypeFilter(
        label=_("Object type"), help_text=_('The type of the record, as "app.model", e.g. "architecture.element".')
    )
    object_id = django_filters.CharFilter(label=_("Object ID"))
    workflow = django_filters.CharFilter(label=_("Workflow"))
    transition = django_filters.CharFilter(label=_("Transition"))
    actor = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("User"))
    actor_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("User name"))
    timestamp_after = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label=_("From date"))
    timestamp_before = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__lte", label=_("Until date"))

    class Meta:
        model = WorkflowEvent
        fields = ["content_type", "object_id", "workflow", "transition", "actor", "actor_repr"]


class WorkflowEventTable(BaseTable):
    timestamp = tables.DateTimeColumn()
    object_repr = tables.Column()
    content_type = tables.Column(orderable=False)
    workflow = tables.Column()
    transition = tables.Column()
    from_state = tables.Column()
    to_state = tables.Column()
    actor_repr = tables.Column()
    note = tables.Column(attrs={"td": {"class": "text-break"}})
    payload = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = WorkflowEvent
        fields = [
            "timestamp",
            "object_repr",
            "content_type",
            "workflow",
            "transition",
            "from_state",
            "to_state",
            "actor_repr",
            "note",
            "payload",
        ]
        empty_text = _("No workflow events match.")

    default_columns = (
        "timestamp",
        "object_repr",
        "content_type",
        "workflow",
        "transition",
        "from_state",
        "to_state",
        "actor_repr",
        "note",
    )

    def render_object_repr(self, value, record):
        url = self.record_urls().get((record.content_type_id, record.object_id))
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def value_object_repr(self, value):
        return value

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else record_type_label(value)

    def render_from_state(self, record):
        return record.from_state_label

    def render_to_state(self, record):
        return record.to_state_label

    def render_note(self, value):
        # A long note would make the row too tall on a phone; the export keeps all of it.
        return Truncator(value).chars(200)

    def value_note(self, value):
        return value

    def render_payload(self, value):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) if isinstance(value, dict) else value

    def record_urls(self) -> dict[tuple[int, str], str]:
        """The pages of the records the current page's events are about, read once per record type."""
        if getattr(self, "_record_urls", None) is None:
            wanted: dict[int, set[str]] = defaultdict(set)
            for row in self.paginated_rows:
                wanted[row.record.content_type_id].add(row.record.object_id)
            self._record_urls = {}
            for type_id, ids in wanted.items():
                model = ContentType.objects.get_for_id(type_id).model_class()
                if model is None or not hasattr(model, "get_absolute_url"):
                    continue
                try:
                    records = list(model._default_manager.filter(pk__in=ids))
                except (ValueError, ValidationError):  # an id stored for a key of another kind
                    continue
                for record in records:
                    url = record.get_absolute_url()
                    if url:
                        self._record_urls[(type_id, str(record.pk))] = url
        return self._record_urls


class WorkflowEventListView(ObjectListView):
    def base_context(self) -> dict:
        # The page's own title: the model's plural names the rows, this names the page.
        return super().base_context() | {"verbose_name_plural": _("Workflow events")}


class WorkflowEventViews(ModelViews):
    model = WorkflowEvent
    url_prefix = "workflow-events"
    queryset = WorkflowEvent.objects.select_related("content_type")
    table = WorkflowEventTable
    filterset = WorkflowEventFilterSet
    list_view = WorkflowEventListView
    importable = False
    deletable = False

    @classmethod
    def urls(cls) -> list:
        # An event is shown with its record and in this list; it has no page of its own.
        return [pattern for pattern in super().urls() if pattern.name.endswith("_list")]
