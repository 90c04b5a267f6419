"""`simpul backup PATH`: one archive with a consistent database snapshot, the media files and a manifest."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpul.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz: database snapshot, MEDIA_ROOT files, manifest with checksums). "
        "PATH is the archive file, or a directory to put simpul-backup-<time>.tar.gz in."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if path.is_dir():
            path = path / f"simpul-backup-{datetime.now().strftime('%Y%m%d-%H%M%S')}.tar.gz"
        try:
            manifest = create_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Cadangan tersimpan: {path} ({rows} baris dari {len(manifest['counts'])} model, "
                f"{manifest['media_files']} berkas media, {path.stat().st_size} bita)."
            )
        )
        if options["verbosity"] > 1:
            for label, count in manifest["counts"].items():
                self.stdout.write(f"  {label}: {count}")
