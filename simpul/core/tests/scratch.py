"""A throw-away database that separate `simpul` processes can share, for multi-process tests.

The test database of an SQLite run lives in memory, out of reach of other processes; so tests that run
workers or restores in subprocesses get their own database of the configured vendor: an SQLite file, or
a PostgreSQL database named simpul_ops_<random> on the configured server, dropped afterwards.
"""

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

SIMPUL = str(Path(sys.executable).with_name("simpul"))


@contextlib.contextmanager
def scratch_database(directory: Path) -> Iterator[str]:
    """Yield a DATABASE_URL for an empty database of the configured vendor."""
    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{directory / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    name = f"simpul_ops_{uuid.uuid4().hex[:10]}"
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = params["user"] + (f":{params['password']}" if params["password"] else "")
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def simpul_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a `simpul` subprocess on the given database, with its own var/ and media dirs."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SIMPUL_VAR_DIR=str(var_dir),
        SIMPUL_MEDIA_ROOT=str(var_dir / "media"),
        SIMPUL_LOG_FORMAT="text",
        # The test run's own settings (simpul.tests_settings adds the throwaway module), so that a backup
        # written by the test and restored by the subprocess, or the other way round, know the same models.
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "simpul.settings"),
    )
    env.pop("EMAIL_HOST", None)
    env.update(extra)
    return env


def run_simpul(env: dict[str, str], *args: str, check: bool = True, timeout: int = 120):
    """Run `simpul ARGS` and return the CompletedProcess; with check, fail loudly with its output."""
    completed = subprocess.run([SIMPUL, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if check and completed.returncode != 0:
        raise AssertionError(
            f"simpul {' '.join(args)} exited {completed.returncode}\n{completed.stdout}\n{completed.stderr}"
        )
    return completed


def run_python(env: dict[str, str], code: str, timeout: int = 120):
    """Run Python code after django.setup() in a subprocess; its last stdout line is parsed as JSON."""
    completed = subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"subprocess failed ({completed.returncode})\n{completed.stdout}\n{completed.stderr}")
    lines = completed.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None
