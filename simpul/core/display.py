"""Turns a record's fields into (label, value, link) rows for detail pages."""

from django.db import models
from django.utils.translation import gettext as _

HIDDEN_FIELDS = {"id", "password", "created_at", "updated_at"}


def object_fields(obj: models.Model, names: list[str] | None = None) -> list[dict]:
    rows = []
    fields = (
        [obj._meta.get_field(name) for name in names]
        if names
        else [field for field in obj._meta.concrete_fields if field.name not in HIDDEN_FIELDS and field.editable]
    )
    for field in fields:
        value = getattr(obj, field.name, None)
        link = ""
        # A model may say how one of its fields reads (e.g. an id kept as a number names its record).
        shown = getattr(obj, f"display_{field.name}", None)
        if callable(shown):
            value, link = shown()
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.BooleanField):
            value = _("Yes") if value else _("No")
        elif field.many_to_many:
            # The related records by name; the manager itself reads "app.Model.None".
            value = ", ".join(str(item) for item in value.all())
        elif field.is_relation and value is not None:
            link = value.get_absolute_url() if hasattr(value, "get_absolute_url") else ""
        elif isinstance(field, models.URLField) and value:
            link = value
        rows.append({"label": field.verbose_name, "value": value, "link": link, "name": field.name})
    return rows
