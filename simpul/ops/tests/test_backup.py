"""Backup and restore: a fresh instance gets the same rows, files and a valid audit chain; damaged
archives and non-empty instances are refused without changing anything."""

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings

from simpul.core.audit import ChainHead, verify_chain
from simpul.core.models import AuditEntry
from simpul.core.tests.scratch import run_python, run_simpul, scratch_database, simpul_env
from simpul.ops.backup import DATA, MANIFEST
from simpul.organizations.models import Instansi
from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, user_with_role

MEDIA = {
    "lampiran/2025/notulen rapat.pdf": b"%PDF-1.4 notulen\x00\xff" * 100,
    "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
}


@pytest.fixture
def source(transactional_db, tmp_path):
    """An instance with audited records, a user with group permissions and media files.

    The content type of Instansi is re-created first, so its id here differs from the one a fresh
    `simpul migrate` gives: the restore must map audit entries by natural key, not by id.
    """
    ContentType.objects.get_for_model(Instansi).delete()
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_model(Instansi)  # created again, with a new id

    media_root = tmp_path / "source-media"
    for name, content in MEDIA.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(content)
    with override_settings(MEDIA_ROOT=media_root):
        instansi = InstansiFactory(slug="lamtim", name="Pemerintah Kabupaten Lampung Timur")
        opd = PerangkatDaerahFactory(instansi=instansi, short_name="DISKOMINFO", name="Dinas Kominfo")
        user = user_with_role("operator_opd", instansi, opd, username="operator-kominfo")
        group = Group.objects.create(name="Pengelola aplikasi")
        group.permissions.add(Permission.objects.get(codename="view_perangkatdaerah"))
        user.groups.add(group)
        instansi.name = "Pemerintah Kabupaten Lampung Timur (ubah)"
        instansi.save()
        assert verify_chain().ok
        yield tmp_path
    ContentType.objects.clear_cache()


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar if member.isfile()}


def _rows(data: bytes) -> list[dict]:
    # Parsed, not compared as bytes: PostgreSQL's jsonb may store the keys of a JSON value in another order.
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]


def _repack(archive: Path, target: Path, change) -> None:
    members = _members(archive)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_backup_then_restore_into_fresh_instance(source, tmp_path):
    archive = tmp_path / "simpul.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    manifest = json.loads(_members(archive)[MANIFEST])
    assert manifest["format_version"] == 1
    assert manifest["counts"]["organizations.instansi"] == 1
    assert manifest["counts"]["core.auditentry"] == AuditEntry.objects.count() > 0
    source_head = ChainHead.current()
    assert manifest["audit_head"] == source_head.as_dict()
    assert manifest["audit_head"]["count"] == manifest["counts"]["core.auditentry"]
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert "auth.permission" not in manifest["counts"]
    assert set(manifest["files"]) == {DATA} | {f"media/{name}" for name in MEDIA}
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds password hashes: owner-only"

    target_dir = tmp_path / "target"
    with scratch_database(tmp_path) as url:
        env = simpul_env(url, target_dir)
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        restored = run_simpul(env, "restore", str(archive))
        assert "Pemulihan selesai" in restored.stdout
        assert "rantai audit utuh" in restored.stdout

        # The restored instance backs up to the same rows and files.
        again = tmp_path / "again.tar.gz"
        run_simpul(env, "backup", str(again))
        assert run_simpul(env, "audit", "verify").stdout.startswith("OK")
        # The restored head is the backup's: a head recorded outside before the backup still holds.
        assert json.loads(run_simpul(env, "audit", "head", "--json").stdout) == manifest["audit_head"]
        assert run_simpul(env, "audit", "verify", "--expect-head", source_head.line()).stdout.startswith("OK")
        facts = run_python(
            env,
            "import json\n"
            "from simpul.core.models import AuditEntry\n"
            "from simpul.organizations.models import Instansi, User\n"
            "user = User.objects.get(username='operator-kominfo')\n"
            "print(json.dumps({\n"
            "  'types': sorted({e.content_type.model for e in AuditEntry.objects.all()}),\n"
            "  'perm': user.has_perm('organizations.view_perangkatdaerah'),\n"
            "  'new_pk': Instansi.objects.create(slug='baru', name='Baru').pk,\n"  # sequences continue
            "}))",
        )

    original, copy = _members(archive), _members(again)
    assert _rows(copy[DATA]) == _rows(original[DATA])
    assert json.loads(copy[MANIFEST])["counts"] == manifest["counts"]
    assert json.loads(copy[MANIFEST])["audit_head"] == manifest["audit_head"]
    for name, content in MEDIA.items():
        assert copy[f"media/{name}"] == content
        assert (target_dir / "media" / name).read_bytes() == content
    assert "instansi" in facts["types"]
    assert facts["perm"] is True
    assert facts["new_pk"] > Instansi.objects.get().pk


def test_damaged_archives_are_refused_and_nothing_changes(source, tmp_path):
    archive = tmp_path / "simpul.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    flipped = tmp_path / "flipped.tar.gz"
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    flipped.write_bytes(bytes(raw))

    edited_data = tmp_path / "edited-data.tar.gz"  # well-formed archive, one changed byte in the data
    _repack(archive, edited_data, lambda m: m.__setitem__(DATA, m[DATA].replace(b"Lampung", b"Lampunk", 1)))
    edited_media = tmp_path / "edited-media.tar.gz"
    _repack(archive, edited_media, lambda m: m.__setitem__("media/logo.png", b"y"))
    smuggled = tmp_path / "smuggled.tar.gz"
    _repack(archive, smuggled, lambda m: m.update({"media/../../etc/cron.d/x": b"boom"}))
    gzip_only = tmp_path / "not-tar.tar.gz"
    gzip_only.write_bytes(gzip.compress(b"just text"))

    target_dir = tmp_path / "target"
    with scratch_database(tmp_path) as url:
        env = simpul_env(url, target_dir)
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        for bad, expected in [
            # Where a flipped bit lands decides which check catches it (gzip CRC, tar header, manifest or
            # a member's checksum); any of them must refuse the archive.
            (flipped, ""),
            (edited_data, "checksum tidak cocok: data.jsonl"),
            (edited_media, "media/logo.png"),
            (smuggled, "tidak diharapkan"),
            (gzip_only, "Arsip"),
        ]:
            result = run_simpul(env, "restore", str(bad), check=False)
            assert result.returncode != 0, bad
            assert "Pemulihan ditolak" in result.stderr and expected in result.stderr, (bad, result.stderr)
        counts = run_python(
            env,
            "import json\nfrom simpul.core.models import AuditEntry\nfrom simpul.organizations.models import User\n"
            "print(json.dumps([AuditEntry.objects.count(), User.objects.count()]))",
        )
        assert counts == [0, 0]
        assert not any((target_dir / "media").rglob("*.*"))
        # The intact archive still restores into the untouched instance.
        run_simpul(env, "restore", str(archive))


def _with_manifest(archive: Path, target: Path, change) -> None:
    def edit(members):
        manifest = json.loads(members[MANIFEST])
        change(manifest)
        members[MANIFEST] = json.dumps(manifest).encode()

    _repack(archive, target, edit)


def test_restore_sets_the_audit_head_and_checks_the_chain_ends_there(source, tmp_path):
    archive = tmp_path / "simpul.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    source_head = ChainHead.current()
    # Entries missing from the end of the data cannot pass: the manifest's head says where it ends.
    longer = tmp_path / "longer-head.tar.gz"
    _with_manifest(archive, longer, lambda m: m["audit_head"].update(count=m["audit_head"]["count"] + 1))
    # An archive made before backups recorded the head: the head is taken from the restored chain.
    legacy = tmp_path / "legacy.tar.gz"
    _with_manifest(archive, legacy, lambda m: m.pop("audit_head"))

    with scratch_database(tmp_path) as url:
        env = simpul_env(url, tmp_path / "target")
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        refused = run_simpul(env, "restore", str(longer), check=False)
        assert refused.returncode != 0
        assert "tidak berakhir pada kepala rantai" in refused.stderr and "removed" in refused.stderr
        assert json.loads(run_simpul(env, "audit", "head", "--json").stdout)["count"] == 0  # rolled back

        run_simpul(env, "restore", str(legacy), timeout=300)
        head = json.loads(run_simpul(env, "audit", "head", "--json").stdout)
    assert (head["count"], head["last_id"], head["hash"]) == (source_head.count, source_head.last_id, source_head.hash)


def test_restore_refuses_a_non_empty_instance(source, tmp_path):
    archive = tmp_path / "simpul.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = (Instansi.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="tidak kosong") as refused:
        call_command("restore", str(archive))
    assert "organizations.user" in str(refused.value)
    assert (Instansi.objects.count(), AuditEntry.objects.count()) == before

    # Rows that nobody's work left (no user, no audit entry: what data migrations create) do not make
    # an instance non-empty; the restore replaces them with the backup's rows.
    with scratch_database(tmp_path) as url:
        env = simpul_env(url, tmp_path / "target")
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        run_python(env, "from django.contrib.auth.models import Group\nGroup.objects.create(name='Lain')")
        run_simpul(env, "restore", str(archive), timeout=300)
        names = run_python(
            env,
            "import json\nfrom django.contrib.auth.models import Group\nprint(json.dumps(sorted(Group.objects.values_list('name', flat=True))))",
        )
        assert names == sorted(Group.objects.values_list("name", flat=True))


def test_backup_refuses_to_overwrite(source, tmp_path):
    archive = tmp_path / "simpul.tar.gz"
    archive.write_bytes(b"older backup")
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"older backup"


@pytest.mark.django_db(transaction=True)
def test_snapshot_transaction_reads_one_consistent_state():
    from django.db import connection

    from simpul.ops.backup import snapshot_transaction

    with snapshot_transaction() as isolation:
        assert connection.in_atomic_block
        if connection.vendor == "postgresql":
            assert isolation == "repeatable read"
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "repeatable read"
                cursor.execute("SHOW transaction_read_only")
                assert cursor.fetchone()[0] == "on"
        else:
            # A deferred read transaction: WAL readers see one snapshot without blocking writers.
            assert isolation == "sqlite snapshot"
            assert connection.transaction_mode == "DEFERRED"
    assert not connection.in_atomic_block
    if connection.vendor == "sqlite":
        assert connection.transaction_mode == "IMMEDIATE"
