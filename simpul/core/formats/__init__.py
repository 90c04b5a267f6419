"""How Simpul shows dates, times and numbers to people: one date format, one date-time format and one
number format, in the active language (docs/development.md, "Formats").

The formats are the format modules beside this file (`id/formats.py`, `en/formats.py`), which
`FORMAT_MODULE_PATH` puts ahead of Django's: 7 Des 2026, 7 Des 2026 14.05, 1.234,5. Django uses them
wherever it shows a value by itself (`{{ value }}`, table cells, form fields). Code that turns a value
into text for a person calls the functions here; templates use the same through the `simpul_formats`
filters (`as_date`, `as_datetime`, `as_number`). A literal format anywhere else (`|date:"d M Y"`,
`strftime` in a page) is refused by `simpul/core/tests/test_formats.py`; machine formats (ISO 8601 in
the API and in `<time datetime>`, file names, spreadsheet cells) are not for people and stay as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone, translation

DATE_FORMAT = "DATE_FORMAT"
DATETIME_FORMAT = "DATETIME_FORMAT"
# The same shapes for date cells of spreadsheets (Excel number formats): the cell keeps its date, and the
# reader's spreadsheet names the month in its own language.
XLSX_DATE = "d mmm yyyy"
XLSX_DATETIME = "d mmm yyyy hh:mm"


def date_text(value) -> str:
    """A date, or a moment's local date: "7 Des 2026". Empty for no value."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return formats.date_format(value, DATE_FORMAT)


def datetime_text(value) -> str:
    """A moment in local time: "7 Des 2026 14.05"; a plain date as `date_text`. Empty for no value."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        return date_text(value)
    return formats.date_format(local(value), DATETIME_FORMAT)


def document_date(value) -> str:
    """The date of a signed document, its month in full as the rules for official documents (tata naskah
    dinas) ask: "Sukadana, 7 Desember 2026". Only for that line; everything else uses `date_text`."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    for module in formats.get_format_modules(translation.get_language()):
        document_format = getattr(module, "DOCUMENT_DATE_FORMAT", None)
        if document_format:
            return formats.date_format(value, document_format)
    return date_text(value)


def number_text(value, decimals: int | None = None) -> str:
    """A number with the language's separators: 1,3 and 1.234,5 in Indonesian. `decimals` fixes the
    number of decimals (2: "2,50"); None shows those the value has (Decimal 3.00: "3", 3.25: "3,25").
    Empty for no value."""
    if value is None or value == "":
        return ""
    if decimals is None:
        decimals = _decimals_of(value)
    else:
        # Rounded half up as `floatformat` rounds: Django's number_format cuts the digits off (2.456: 2,45).
        value = _rounded(value, decimals)
    return formats.number_format(value, decimals, use_l10n=True)


def localized(value, use_l10n: bool | None = None):
    """Any value as a page shows it: a moment in local time and the one date-time format, a date or a
    number in the language's format, anything else as it is (what `{{ value }}` writes)."""
    if isinstance(value, dt.datetime):
        value = local(value)
    return formats.localize(value, use_l10n=use_l10n)


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment in the current time zone (Asia/Jakarta by default); a naive one as it is."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _rounded(value, decimals: int):
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return value


def _decimals_of(value) -> int:
    if isinstance(value, int):
        return 0
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        exponent = number.normalize().as_tuple().exponent
    except (InvalidOperation, ValueError, TypeError):
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0
