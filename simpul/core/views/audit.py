import django_filters
import django_tables2 as tables
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from simpul.core import modules
from simpul.core.filters import BaseFilterSet
from simpul.core.models import AuditEntry
from simpul.core.models.audit import AuditAction
from simpul.core.tables import BaseTable
from simpul.core.views.generic import ModelViews


class ObjectTypeSelect(forms.Select):
    """A plain select, so that BaseFilterSet does not restrict its options like a list of records.

    Object types are models, not records any module grants: every one is offered (the entries
    themselves are restricted), as it was when every role held a default grant.
    """


class ObjectTypeField(forms.ModelChoiceField):
    """The records' kinds as people name them ("Aplikasi · Arsitektur"), not Django's "app | model"."""

    def label_from_instance(self, obj):
        model = obj.model_class()
        if model is None:
            return obj.model
        module = apps.get_app_config(obj.app_label)
        return f"{capfirst(model._meta.verbose_name)} · {module.verbose_name}"


class ObjectTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectTypeField


def audited_object_types():
    """The content types of the Simpul modules' models (and those they manage): the third-party tables
    (login attempts, task results, tokens) are written by libraries, not by people using Simpul."""
    labels = {module.label for module in modules.simpul_modules()}
    managed = {tuple(label.split(".")) for module in modules.simpul_modules() for label in module.manages}
    query = Q(app_label__in=labels)
    for app_label, model in managed:
        query |= Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("app_label", "model")


class AuditEntryFilterSet(BaseFilterSet):
    search_fields = ("object_repr", "actor_repr", "request_id", "object_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    content_type = ObjectTypeFilter(
        queryset=lambda request: audited_object_types(), label=_("Object type"), widget=ObjectTypeSelect
    )
    object_id = django_filters.CharFilter(label=_("Object ID"))
    actor_repr = django_filters.CharFilter(label=_("User name"))
    timestamp_after = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label=_("From date"))
    timestamp_before = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__lte", label=_("Until date"))
    request_id = django_filters.CharFilter(label=_("Request ID"))

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type", "object_id", "actor_repr", "request_id"]


class AuditEntryTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    timestamp = tables.DateTimeColumn()
    content_type = tables.Column(verbose_name=_("Object type"))

    class Meta(BaseTable.Meta):
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor_repr",
            "source",
            "ip_address",
            "action",
            "content_type",
            "object_repr",
            "request_id",
        ]

    default_columns = ("id", "timestamp", "actor_repr", "action", "content_type", "object_repr")

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.model


class AuditEntryViews(ModelViews):
    model = AuditEntry
    url_prefix = "audit"
    queryset = AuditEntry.objects.select_related("content_type")
    table = AuditEntryTable
    filterset = AuditEntryFilterSet
    importable = False
    deletable = False
    detail_template = "core/auditentry_detail.html"
    # The changes and the hashes have their own card (auditentry_detail.html), read as people read them.
    detail_fields = [
        "timestamp",
        "actor_repr",
        "source",
        "ip_address",
        "request_id",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "instansi_id",
        "opd_id",
    ]
