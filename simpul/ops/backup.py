"""One-file backups of a Simpul instance and their verified restore.

An archive (tar.gz) holds:
- data.jsonl: every row of every app, serialised inside one read-only snapshot transaction
  (REPEATABLE READ on PostgreSQL, a deferred read transaction on SQLite's WAL), so it is consistent
  even while the instance keeps working;
- media/...: every file under MEDIA_ROOT;
- manifest.json: format version, Simpul version, creation time, database vendor, applied migrations,
  per-model row counts, the head of the audit chain (read in the same snapshot as the rows) and the
  SHA-256 of every other member.

Content types and permissions are referenced by natural key (app label, model, codename), because a
fresh database numbers them differently; every other row keeps its primary key. Restore verifies every
checksum before it touches the instance, loads everything in one transaction with signals in raw mode
(the audit trail is restored as it was, not re-logged), sets the audit chain's head to the one the
manifest records, then checks row counts and that the audit chain is intact and ends at that head, and
rolls back if either does not match.
"""

import datetime
import functools
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks_db.models import DBTaskResult

from simpul.core.audit import ChainHead, fill_head_from_chain, verify_chain
from simpul.core.models import AuditChainHead, AuditEntry
from simpul.core.queries import snapshot_transaction

FORMAT = "simpul-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"

# Rows that a fresh `simpul migrate` recreates, that are disposable, or that belong to the running
# machinery rather than to the instance's content. The audit chain's head is not a row of the data but
# a fact of the manifest ("audit_head"), so a restored instance can be compared with it.
EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes", DBTaskResult._meta.app_label})
EXCLUDED_MODELS = frozenset({"auth.permission", "core.auditchainhead", "ops.scheduledrun"})
# Referenced by natural key, because their ids differ between databases.
NATURAL_KEY_MODELS = (ContentType, Permission)


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message is meant for the operator."""


@dataclass
class RestoreReport:
    counts: dict[str, int]
    media_files: int
    audit_entries: int
    manifest: dict = field(repr=False)
    audit_head: ChainHead | None = None


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backup_models() -> list[type[models.Model]]:
    """Every model whose rows are backed up, ordered so that natural-key dependencies come first."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        app_models = [
            model
            for model in app_config.get_models()
            if model._meta.managed and not model._meta.proxy and model_label(model) not in EXCLUDED_MODELS
        ]
        if app_models:
            app_list.append((app_config, app_models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


class BackupSerializer(JsonlSerializer):
    """JSON Lines with full-precision times and natural keys only for content types and permissions.

    Django's JSON encoder cuts datetimes to milliseconds; audit entries hash their timestamp to the
    microsecond, so the backup keeps every digit.
    """

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL_KEY_MODELS)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL_KEY_MODELS)
        super().handle_m2m_field(obj, field)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def simpul_version() -> str:
    try:
        return metadata.version("simpul")
    except metadata.PackageNotFoundError:
        return "unknown"


def _counted(rows: Iterable, counter: dict, label: str) -> Iterator:
    for row in rows:
        counter[label] += 1
        yield row


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def create_backup(destination: Path) -> dict:
    """Write one archive of the database and media to `destination`; return its manifest."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"Berkas {destination} sudah ada; pilih nama lain (cadangan lama tidak ditimpa).")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="simpul-backup-") as workdir:
        data_path = Path(workdir) / DATA
        counts: dict[str, int] = {}
        with snapshot_transaction() as isolation, open(data_path, "w", encoding="utf-8") as stream:
            serializer = BackupSerializer()
            for model in backup_models():
                label = model_label(model)
                counts[label] = 0
                rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
                serializer.serialize(_counted(rows, counts, label), stream=stream, use_natural_foreign_keys=True)
            applied = {}
            for app, name in MigrationRecorder(connection).applied_migrations():
                applied.setdefault(app, []).append(name)
            # In the rows' snapshot: appends move the head in the transaction that writes the entry.
            audit_head = ChainHead.current()
        files = {DATA: _sha256_file(data_path)}

        partial = destination.with_name(destination.name + ".partial")
        partial.parent.mkdir(parents=True, exist_ok=True)
        media_bytes = 0
        try:
            # Owner-only: the archive holds password hashes and API token keys.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                archive.add(data_path, arcname=DATA)
                for path in _media_files(media_root):
                    name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                    content = path.read_bytes()  # files are read once, so the checksum fits what is stored
                    files[name] = hashlib.sha256(content).hexdigest()
                    media_bytes += len(content)
                    info = tarfile.TarInfo(name)
                    info.size = len(content)
                    info.mtime = int(path.stat().st_mtime)
                    info.mode = 0o640
                    archive.addfile(info, io.BytesIO(content))
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "simpul_version": simpul_version(),
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connection.vendor,
                    "isolation": isolation,
                    "migrations": {app: sorted(names) for app, names in sorted(applied.items())},
                    "counts": counts,
                    "audit_head": audit_head.as_dict(),
                    "media_files": len(files) - 1,
                    "media_bytes": media_bytes,
                    "files": files,
                }
                payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(payload)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o640
                archive.addfile(info, io.BytesIO(payload))
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- restore --------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    if name in (MANIFEST, DATA):
        return True
    if not name.startswith(MEDIA_PREFIX):
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and len(path.parts) > 1 and "\\" not in name


def extract_verified(archive_path: Path, workdir: Path) -> dict:
    """Unpack the archive into `workdir` and check it completely; return the manifest or raise BackupError."""
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"Arsip memuat entri yang tidak diharapkan: {member.name!r}.")
                if member.name in hashes:
                    raise BackupError(f"Arsip memuat entri ganda: {member.name!r}.")
                target = workdir / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = archive.extractfile(member)
                with open(target, "wb") as out:
                    for chunk in iter(functools.partial(source.read, 1 << 20), b""):
                        digest.update(chunk)
                        out.write(chunk)
                hashes[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"Arsip rusak atau bukan arsip cadangan Simpul ({type(error).__name__}: {error}).") from error

    if MANIFEST not in hashes:
        raise BackupError("Arsip tidak memuat manifest.json; ini bukan arsip cadangan Simpul yang utuh.")
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"Arsip rusak: manifest.json tidak terbaca ({error}).") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Format arsip tidak dikenal ({manifest.get('format')} versi {manifest.get('format_version')}); "
            f"versi Simpul ini membaca {FORMAT} versi {FORMAT_VERSION}."
        )
    expected = manifest.get("files", {})
    del hashes[MANIFEST]
    missing = sorted(set(expected) - set(hashes))
    extra = sorted(set(hashes) - set(expected))
    changed = sorted(name for name in set(expected) & set(hashes) if expected[name] != hashes[name])
    if missing or extra or changed:
        problems = []
        if changed:
            problems.append(f"checksum tidak cocok: {', '.join(changed[:5])}")
        if missing:
            problems.append(f"hilang: {', '.join(missing[:5])}")
        if extra:
            problems.append(f"tidak tercantum di manifest: {', '.join(extra[:5])}")
        raise BackupError("Arsip tidak utuh (" + "; ".join(problems) + "). Tidak ada yang diubah.")
    return manifest


def _check_compatible(manifest: dict) -> None:
    unknown = [label for label in manifest["counts"] if not _get_model(label)]
    if unknown:
        raise BackupError(f"Arsip memuat data model yang tidak dikenal versi ini: {', '.join(unknown)}.")
    applied = {(app, name) for app, name in MigrationRecorder(connection).applied_migrations()}
    missing = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in applied
    ]
    if missing:
        raise BackupError(
            "Basis data tujuan belum memuat migrasi yang dipakai arsip ini "
            f"({', '.join(missing[:5])}); perbarui Simpul lalu jalankan `simpul migrate` dulu."
        )


def _get_model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def instance_contents() -> list[str]:
    """What makes this instance non-empty: users, audit entries or media files. Empty list: empty.

    Every person's work leaves a user or an audit entry behind; rows without either can only come from
    data migrations (e.g. the national reference codes), and those the restore replaces wholesale.
    """
    found = []
    for model in (get_user_model(), AuditEntry):
        count = model._base_manager.count()
        if count:
            found.append(f"{model_label(model)}: {count} baris")
    media = _media_files(Path(settings.MEDIA_ROOT))
    if media:
        found.append(f"MEDIA_ROOT: {len(media)} berkas")
    return found


def _clear_migration_rows() -> None:
    """Remove what data migrations put into the fresh instance, so the backup's rows replace it exactly.

    Raw deletes: no signals (nothing to audit in an empty instance) and no cascade collection; foreign
    keys are checked when the restore transaction commits, after the backup's rows are loaded.
    """
    for model in reversed(backup_models()):
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def _load_data(data_path: Path) -> None:
    loaded_models = set()
    deferred = []
    with open(data_path, encoding="utf-8") as stream, connection.constraint_checks_disabled():
        for item in serializers.deserialize("jsonl", stream, handle_forward_references=True):
            item.save()
            loaded_models.add(type(item.object))
            if item.deferred_fields:
                deferred.append(item)
        for item in deferred:
            item.save_deferred_fields()
    connection.check_constraints(table_names=[model._meta.db_table for model in loaded_models])
    # Rows kept their ids; the sequences must continue after them or the next insert collides.
    statements = connection.ops.sequence_reset_sql(no_style(), loaded_models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _restore_audit_head(manifest: dict) -> ChainHead:
    """Set the chain's head to the one the backup recorded; `verify_chain` then checks that the restored
    entries end exactly there. Archives made before backups recorded the head get it from their chain."""
    recorded = manifest.get("audit_head")
    if recorded is None:
        return fill_head_from_chain()
    try:
        head = ChainHead.parse(json.dumps(recorded))
    except ValueError as error:
        raise BackupError(f"Arsip rusak: kepala rantai audit di manifest.json tidak terbaca ({error}).") from error
    time = parse_datetime(recorded["time"]) if recorded.get("time") else None
    AuditChainHead.objects.update_or_create(
        pk=1,
        defaults={
            "entry_count": head.count,
            "last_entry_id": head.last_id or 0,
            "last_hash": head.hash,
            "last_timestamp": time,
        },
    )
    return ChainHead(head.count, head.hash, head.last_id or 0, time)


def _restore_media(source: Path, written: list[Path]) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        target = media_root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
        os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        count += 1
    return count


def _refuse_non_empty(contents: list[str]) -> None:
    if contents:
        raise BackupError(
            "Instance tujuan tidak kosong (" + "; ".join(contents[:5]) + "). Pemulihan hanya dilakukan ke "
            "instance baru: buat basis data kosong, jalankan `simpul migrate`, kosongkan MEDIA_ROOT, lalu ulangi."
        )


def restore_backup(archive_path: Path) -> RestoreReport:
    """Restore an archive into this empty instance, all or nothing; raise BackupError when refused."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Berkas {archive_path} tidak ditemukan.")
    # Users, audit entries and media never come from migrations: an instance with any is refused at once,
    # before the archive is even unpacked.
    _refuse_non_empty(instance_contents())
    with tempfile.TemporaryDirectory(prefix="simpul-restore-") as workdir:
        workdir = Path(workdir)
        manifest = extract_verified(archive_path, workdir)
        _check_compatible(manifest)
        written: list[Path] = []
        try:
            with transaction.atomic():
                _clear_migration_rows()
                _load_data(workdir / DATA)
                media_files = _restore_media(workdir / "media", written)
                counts = {label: _get_model(label)._base_manager.count() for label in manifest["counts"]}
                wrong = {label: (counts[label], n) for label, n in manifest["counts"].items() if counts[label] != n}
                if wrong:
                    detail = ", ".join(f"{label} {got}≠{want}" for label, (got, want) in list(wrong.items())[:5])
                    raise BackupError(f"Jumlah baris setelah pemulihan tidak sesuai manifest ({detail}); dibatalkan.")
                audit_head = _restore_audit_head(manifest)
                chain = verify_chain()
                if not chain.ok and chain.broken_entry_id is None:
                    raise BackupError(
                        f"Rantai audit hasil pemulihan tidak berakhir pada kepala rantai yang tercatat di manifest "
                        f"({chain.reason}); dibatalkan."
                    )
                if not chain.ok:
                    raise BackupError(
                        f"Rantai audit hasil pemulihan rusak pada entri {chain.broken_entry_id} ({chain.reason}); "
                        "dibatalkan."
                    )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return RestoreReport(
        counts=counts, media_files=media_files, audit_entries=chain.checked, manifest=manifest, audit_head=audit_head
    )
