"""`simpul restore PATH`: restore a backup archive into a new, empty instance, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpul.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `simpul backup` archive into this instance. Refuses an instance that already holds data; "
        "checks every checksum first, loads everything in one transaction, then verifies row counts and the "
        "audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            report = restore_backup(path)
        except BackupError as error:
            raise CommandError(f"Pemulihan ditolak: {error}") from error
        manifest = report.manifest
        self.stdout.write(
            f"Arsip: {path} (dibuat {manifest['created_at']}, Simpul {manifest['simpul_version']}, "
            f"basis data {manifest['database_vendor']})."
        )
        for label, count in report.counts.items():
            if count or options["verbosity"] > 1:
                self.stdout.write(f"  {label}: {count} baris")
        self.stdout.write(f"  berkas media: {report.media_files}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Pemulihan selesai: {sum(report.counts.values())} baris sesuai manifest, "
                f"rantai audit utuh ({report.audit_entries} entri)."
            )
        )
