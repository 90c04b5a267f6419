"""Simpul's formats in Bahasa Indonesia (FORMAT_MODULE_PATH), ahead of Django's own for the language.

One date format and one date-time format for every page, table, export, report and e-mail
(docs/development.md, "Formats"): 7 Des 2026 and 7 Des 2026 14.05 (the time with a full stop, as
Indonesian writes it). The short formats are the same, so a column or widget that asks for "short"
shows the same thing. Numbers keep Django's Indonesian separators: 1.234,5.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H.i"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# Not a Django format: the date of a signed document ("Sukadana, 7 Desember 2026"), whose month the
# rules for official documents (tata naskah dinas) write in full. Read by `simpul.core.formats.document_date`.
DOCUMENT_DATE_FORMAT = "j F Y"
