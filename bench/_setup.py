"""Shared start-up of the benchmark scripts: Django settings, and a guard against non-local databases."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def setup_django() -> None:
    """Configure Django for a script; refuse anything but a local database (benchmarks write a lot)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        host = urlparse(url).hostname or ""
        if host not in LOCAL_HOSTS:
            sys.exit(f"Refusing to run against a non-local database host {host!r}; benchmarks use 127.0.0.1 only.")
    # Benchmarks measure the application, not the log pipeline.
    os.environ.setdefault("SIMPUL_LOG_LEVEL", "WARNING")
    import django

    django.setup()
