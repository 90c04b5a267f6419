"""Concurrent API clients PATCHing different fields of the same records lose nothing.

Each client is its own OS process sending PATCH requests through the whole stack (DRF's test client
calls the WSGI application in-process), so the writers really run at once against one scratch database
of the configured vendor (an SQLite file, or a PostgreSQL database of its own). At the end every acknowledged change
must be stored, and the audit trail must hold exactly one entry per change, naming just that field.
"""

import json
import subprocess
import sys
import time

from simpul.core.tests.scratch import run_python, run_simpul, scratch_database, simpul_env

CLIENTS = 8
ROUNDS = 12  # PATCHes per client and record
RECORDS = 2

# One field per client, so that no two clients ever write the same column of a record.
FIELDS = ["name", "code", "description", "folder", "technology", "version", "has_manual", "properties"]

SETUP = """
import json
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, user_with_role
instansi = InstansiFactory(slug="uji-konkuren")
opd = PerangkatDaerahFactory(instansi=instansi, short_name="UJI")
user_with_role("admin_spbe", instansi, username="admin-konkuren", opd=None)
print(json.dumps([ApplicationFactory(owner=opd, name=f"Aplikasi {n}").pk for n in range(%d)]))
"""

CLIENT = """
import json, os, sys, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from rest_framework.test import APIClient
from simpul.organizations.models import User

client_no, field, rounds, go_file = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
ids = json.loads(sys.argv[5])
api = APIClient()
api.force_authenticate(User.objects.get(username="admin-konkuren"))

def value(round_no):
    text = f"c{client_no}-r{round_no}"
    if field == "has_manual":
        return round_no % 2 == 0
    if field == "properties":
        return {"klien": text}
    return text

while not os.path.exists(go_file):
    time.sleep(0.01)
acknowledged = {}
for round_no in range(rounds):
    for pk in ids:
        response = api.patch(f"/api/architecture/applications/{pk}/", {field: value(round_no)}, format="json")
        if response.status_code != 200:
            print(json.dumps({"error": response.status_code, "body": response.content.decode()[:500]}))
            sys.exit(1)
        acknowledged[str(pk)] = value(round_no)
print(json.dumps(acknowledged))
"""

REPORT = """
import json
from django.contrib.contenttypes.models import ContentType
from simpul.architecture.models import Application
from simpul.core.audit import verify_chain
from simpul.core.models import AuditEntry

fields, ids = %s, %s
stored = {str(app.pk): {f: getattr(app, f) for f in fields} for app in Application.objects.filter(pk__in=ids)}
updates = AuditEntry.objects.filter(
    content_type=ContentType.objects.get_for_model(Application), object_id__in=[str(i) for i in ids], action="update"
)
print(json.dumps({
    "stored": stored,
    "updates": [[entry.object_id, sorted(entry.changes)] for entry in updates],
    "chain_ok": verify_chain().ok,
}))
"""


def test_concurrent_patches_of_different_fields_keep_every_acknowledged_change(tmp_path):
    with scratch_database(tmp_path) as url:
        env = simpul_env(url, tmp_path / "var")
        run_simpul(env, "migrate", "--noinput", timeout=300)
        ids = run_python(env, SETUP % RECORDS)
        go_file = tmp_path / "go"
        clients = [
            subprocess.Popen(
                [sys.executable, "-c", CLIENT, str(number), field, str(ROUNDS), str(go_file), json.dumps(ids)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for number, field in enumerate(FIELDS[:CLIENTS])
        ]
        time.sleep(2)  # let every client finish django.setup() so that they write together
        go_file.touch()
        acknowledged = {}
        for number, client in enumerate(clients):
            out, err = client.communicate(timeout=300)
            assert client.returncode == 0, (out[-2000:], err[-3000:])
            acknowledged[FIELDS[number]] = json.loads(out.strip().splitlines()[-1])
        report = run_python(env, REPORT % (json.dumps(FIELDS[:CLIENTS]), json.dumps(ids)))

    for field, last_values in acknowledged.items():
        for pk, value in last_values.items():
            assert report["stored"][pk][field] == value, (field, pk, report["stored"][pk])
    # One audit entry per acknowledged PATCH, each naming exactly the one field its client changed.
    assert len(report["updates"]) == CLIENTS * ROUNDS * RECORDS
    changed_fields = [fields for _pk, fields in report["updates"]]
    assert all(len(fields) == 1 for fields in changed_fields), changed_fields[:10]
    for field in FIELDS[:CLIENTS]:
        assert changed_fields.count([field]) == ROUNDS * RECORDS, field
    assert report["chain_ok"]
