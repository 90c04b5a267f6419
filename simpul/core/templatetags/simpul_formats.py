"""The one date, date-time and number format in templates (simpul.core.formats):
`{{ value|as_date }}`, `{{ value|as_datetime }}`, `{{ value|as_number }}` or `{{ value|as_number:2 }}`.

Each gives "" for no value, so `|default:"—"` still applies."""

from django import template

from simpul.core import formats

register = template.Library()


@register.filter
def as_date(value) -> str:
    """7 Des 2026 (a moment's local date)."""
    return formats.date_text(value)


@register.filter
def as_datetime(value) -> str:
    """7 Des 2026 14.05, in local time."""
    return formats.datetime_text(value)


@register.filter
def as_number(value, decimals=None) -> str:
    """1,3 / 1.234,5; with a number of decimals, exactly that many (2: 2,50)."""
    if decimals in (None, ""):
        return formats.number_text(value)
    return formats.number_text(value, int(decimals))
