"""CSV/XLSX export of filtered lists, and all-or-nothing bulk import through the model's own form.

Import validates each row with the same ModelForm the UI uses (so the same rules and Indonesian
messages apply), saves through the generic services (so the same permissions apply), and runs in one
transaction: one bad row means nothing is saved, and the report names the row and the column.

- `reading`: an uploaded file into rows, within the size, zip and row limits;
- `columns`: the importable model's configuration, its columns, and a row's cells as form data;
- `run`: validation, preview and the transactional save of the rows;
- `export`: CSV/XLSX writing, of a list and of an import template.

The names callers use are re-exported here, so `importexport.read_rows` and the like keep working.
"""

from simpul.core.importexport.columns import (
    FALSE_WORDS,
    TRUE_WORDS,
    ImportColumn,
    ImportConfig,
    ImproperlyConfiguredImport,
    import_columns,
    import_form_class,
    model_defaults,
)
from simpul.core.importexport.export import EXPORT_FORMATS, XLSX_CONTENT_TYPE, _cell, export_table, import_template
from simpul.core.importexport.reading import (
    MAX_IMPORT_COLUMNS,
    MAX_XLSX_PARTS,
    RATIO_CHECK_MIN_BYTES,
    ImportFileError,
    SourceRow,
    UploadForm,
    read_rows,
)
from simpul.core.importexport.run import PROGRESS_EVERY, ImportResult, RowError, import_rows

__all__ = [
    "EXPORT_FORMATS",
    "FALSE_WORDS",
    "MAX_IMPORT_COLUMNS",
    "MAX_XLSX_PARTS",
    "PROGRESS_EVERY",
    "RATIO_CHECK_MIN_BYTES",
    "TRUE_WORDS",
    "XLSX_CONTENT_TYPE",
    "ImportColumn",
    "ImportConfig",
    "ImportFileError",
    "ImportResult",
    "ImproperlyConfiguredImport",
    "RowError",
    "SourceRow",
    "UploadForm",
    "_cell",
    "export_table",
    "import_columns",
    "import_form_class",
    "import_rows",
    "import_template",
    "model_defaults",
    "read_rows",
]
