"""Shared machinery of Simpul: base models, scoped permissions, audit trail, generic views and API."""
