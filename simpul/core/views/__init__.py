from simpul.core.views.generic import (
    BulkImportView,
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

__all__ = [
    "BulkImportView",
    "ModelViews",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
]
