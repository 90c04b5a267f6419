"""Simpul: the SPBE platform of a regional government."""

__version__ = "0.1.0"
