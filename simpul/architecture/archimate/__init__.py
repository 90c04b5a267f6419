"""Export and import of an instansi's architecture in the Open Group ArchiMate Model Exchange File Format.

- `mapping`: namespaces, ArchiMate types ↔ SPBE domains and kinds, Simpul fields ↔ `simpul:` properties;
- `export`: the streamed export (`export()`);
- `importer`: the all-or-nothing import (`import_model()`);
- `kept_views`: the views of imported models, kept and written again by every export.
- `layer_views`: the view per SPBE layer and the overview that every export draws.

The mapping both ways is documented in docs/architecture/archimate.md.
"""

from simpul.architecture.archimate.export import ExportResult, element_properties, export
from simpul.architecture.archimate.importer import ArchimateImportError, ImportResult, import_model, parse
from simpul.architecture.archimate.mapping import NS, PREFIX, XSI, XSI_TYPE

__all__ = [
    "NS",
    "PREFIX",
    "XSI",
    "XSI_TYPE",
    "ArchimateImportError",
    "ExportResult",
    "ImportResult",
    "element_properties",
    "export",
    "import_model",
    "parse",
]
