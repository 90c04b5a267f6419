"""Simpul's formats in English (FORMAT_MODULE_PATH): the same shapes as in Bahasa Indonesia
(simpul/core/formats/id/formats.py), 7 Dec 2026 and 7 Dec 2026 14:05."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

DOCUMENT_DATE_FORMAT = "j F Y"
