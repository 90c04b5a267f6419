import django_tables2 as tables

from simpul.core.filters import BaseFilterSet
from simpul.core.forms import ScopedModelForm
from simpul.core.tables import BaseTable
from simpul.core.tests.throwaway.models import Note
from simpul.core.views.generic import ModelViews


class NoteFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = Note
        fields = ["owner"]


class NoteTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Note
        fields = ["title", "owner"]

    default_columns = ("title", "owner")


class NoteForm(ScopedModelForm):
    class Meta:
        model = Note
        fields = ["title", "owner"]


class NoteViews(ModelViews):
    model = Note
    queryset = Note.objects.select_related("owner")
    table = NoteTable
    filterset = NoteFilterSet
    form = NoteForm
