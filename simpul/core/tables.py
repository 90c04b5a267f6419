"""Base table for every list page: sortable columns, links, column choice."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):
    """Columns listed in Meta.default_columns show by default; users may pick others (kept in session)."""

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
        empty_text = _("No records match. Change the filter or add a new record.")

    default_columns: tuple[str, ...] = ()

    @classmethod
    def column_choices(cls) -> list[tuple[str, str]]:
        # Model-field columns learn their verbose name only when bound, so ask a bound (empty) table.
        model = cls._meta.model
        table = cls(model._default_manager.none() if model else [], visible_columns=list(cls.base_columns))
        return [(column.name, str(column.header)) for column in table.columns.all()]

    def __init__(self, *args, visible_columns=None, **kwargs):
        all_columns = list(type(self).base_columns)
        chosen = [c for c in (visible_columns or self.default_columns or all_columns) if c in all_columns]
        kwargs.setdefault("exclude", [c for c in all_columns if c not in chosen])
        super().__init__(*args, **kwargs)
        self.visible_column_names = chosen
