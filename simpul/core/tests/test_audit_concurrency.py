"""Several OS processes writing audited records at once still extend one unbroken chain, losing nothing.

On PostgreSQL the child processes write into pytest's test database; on SQLite (whose test database is
in memory and so invisible to other processes) everything runs against a temporary SQLite file that a
`migrate` subprocess prepares first. Either way the same children write and the same checks run.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from simpul.core.audit import ChainHead, verify_chain
from simpul.core.models import AuditEntry

PROCESSES = 4
WRITES_PER_PROCESS = 12  # each iteration: one create and one update, both audited

CHILD = """
import os, sys, time
import django
django.setup()
from simpul.core.context import acting
from simpul.organizations.models import Instansi

worker, rounds, go_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
while not os.path.exists(go_file):
    time.sleep(0.01)
with acting(None, source="cli", request_id=f"worker-{worker}"):
    for i in range(rounds):
        instansi = Instansi.objects.create(
            kind="kabupaten", name=f"Kabupaten {worker}-{i}", slug=f"kab-{worker}-{i}",
            official_domain=f"k{worker}x{i}.go.id",
        )
        instansi.address = f"Jalan {i}"
        instansi.save()
print("done", worker)
"""

VERIFY = """
import json
import django
django.setup()
from simpul.core.audit import ChainHead, verify_chain
from simpul.core.models import AuditEntry
result = verify_chain()
last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
print(json.dumps({
    "ok": result.ok, "checked": result.checked, "broken": result.broken_entry_id, "reason": result.reason,
    "count": AuditEntry.objects.count(),
    "head": ChainHead.current().as_dict(), "last": last,
    "per_worker": {r: AuditEntry.objects.filter(request_id=r).count() for r in
                   AuditEntry.objects.values_list("request_id", flat=True).distinct()},
}))
"""


def _env(database_url: str) -> dict:
    env = os.environ.copy()
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = "simpul.settings"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    return env


def _run(code_or_args: list[str], env: dict, timeout: int = 240) -> str:
    done = subprocess.run(
        [sys.executable, *code_or_args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def database_url(transactional_db, tmp_path) -> str:
    """A DATABASE_URL that other processes can open, pointing at an empty, migrated database.

    `transactional_db`: the children's rows are committed for real and flushed after the test.
    """
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        user = settings["USER"] or ""
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        return f"postgres://{auth}{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    assert connection.vendor == "sqlite"
    path = tmp_path / "concurrency.sqlite3"
    url = f"sqlite:///{path}"
    _run(["-m", "django", "migrate", "--noinput", "-v", "0"], _env(url), timeout=300)
    return url


def test_concurrent_writers_keep_one_intact_chain(database_url, tmp_path):
    env = _env(database_url)
    go_file = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(worker), str(WRITES_PER_PROCESS), str(go_file)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(PROCESSES)
    ]
    time.sleep(1.5)  # let every child finish django.setup() so that they start writing together
    go_file.touch()
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err[-3000:]
        assert out.startswith("done")

    report = json.loads(_run(["-c", VERIFY], env).strip().splitlines()[-1])
    writes = PROCESSES * WRITES_PER_PROCESS * 2
    assert report["ok"], report
    assert report["count"] == writes
    assert report["checked"] == writes
    assert report["per_worker"] == {f"worker-{w}": WRITES_PER_PROCESS * 2 for w in range(PROCESSES)}
    # The running count of the head lost no append either, and it points at the last entry.
    assert report["head"]["count"] == report["count"] == writes
    assert [report["head"]["last_id"], report["head"]["hash"]] == report["last"]

    if connection.vendor == "postgresql":
        # The test process sees the same rows through its own connection.
        assert AuditEntry.objects.count() == writes
        assert verify_chain().ok
        assert ChainHead.current().count == writes
