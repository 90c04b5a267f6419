"""`simpul architecture`: ArchiMate exchange export/import and loading the national reference codes.

    simpul architecture export-archimate --instansi SLUG PATH [--user USERNAME]
    simpul architecture import-archimate --instansi SLUG --opd SHORTNAME PATH [--user USERNAME]
    simpul architecture load-references [--overwrite]

The import writes through the same services as the UI, so it needs an account whose permissions and
name go into the audit trail: `--user`, or else the first active superuser. The export without
`--user` writes the whole architecture of the instansi; with it, only what that user may view.
"""

import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from simpul.architecture import archimate
from simpul.architecture.choices import Domain
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import context
from simpul.organizations.models import Instansi, PerangkatDaerah, User


class Command(BaseCommand):
    help = "Architecture repository tools: ArchiMate exchange export/import, national reference codes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export-archimate", help="Write the instansi's architecture as an ArchiMate file.")
        export.add_argument("--instansi", required=True, help="Slug of the instansi.")
        export.add_argument("--user", help="Export only what this user may view (default: everything).")
        export.add_argument("path", help="Output file (.xml); '-' writes to standard output.")
        imp = sub.add_parser("import-archimate", help="Import an ArchiMate exchange file into one OPD.")
        imp.add_argument("--instansi", required=True, help="Slug of the instansi.")
        imp.add_argument("--opd", required=True, help="Short name of the OPD that will own new elements.")
        imp.add_argument("--user", help="Act as this user (default: the first active superuser).")
        imp.add_argument("path", help="The exchange file (.xml).")
        refs = sub.add_parser("load-references", help="Load the national SPBE reference codes from the data file.")
        refs.add_argument("--overwrite", action="store_true", help="Also overwrite codes changed in the UI.")

    def handle(self, *args, subcommand, **options):
        handler = {
            "export-archimate": self.export_archimate,
            "import-archimate": self.import_archimate,
            "load-references": self.load_references,
        }[subcommand]
        handler(**options)

    def _instansi(self, slug: str) -> Instansi:
        instansi = Instansi.objects.filter(slug=slug).first()
        if instansi is None:
            raise CommandError(f"Instansi dengan slug '{slug}' tidak ditemukan.")
        return instansi

    def _user(self, username: str | None, required: bool) -> User | None:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Pengguna aktif '{username}' tidak ditemukan.")
            return user
        if not required:
            return None
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Tidak ada superuser aktif: buat satu (createsuperuser) atau beri --user USERNAME.")
        return user

    def export_archimate(self, instansi, path, user=None, **options):
        instansi = self._instansi(instansi)
        actor = self._user(user, required=False)
        with context.acting(actor, source="cli"):
            if path == "-":
                result = archimate.export(instansi, sys.stdout.buffer, user=actor)
            else:
                with open(path, "wb") as stream:
                    result = archimate.export(instansi, stream, user=actor)
        if path != "-":
            self.stdout.write(
                self.style.SUCCESS(
                    f"Ekspor ArchiMate {instansi.slug}: {result.elements} elemen, {result.relationships} relasi, "
                    f"{result.views} view → {path}"
                )
            )

    def import_archimate(self, instansi, opd, path, user=None, **options):
        instansi = self._instansi(instansi)
        owner = PerangkatDaerah.objects.filter(instansi=instansi, short_name=opd).first()
        if owner is None:
            raise CommandError(f"Perangkat daerah '{opd}' tidak ada di {instansi.slug}.")
        actor = self._user(user, required=True)
        try:
            with context.acting(actor, source="cli"), open(path, "rb") as stream:
                result = archimate.import_model(instansi, owner, stream, actor)
        except FileNotFoundError as error:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from error
        except archimate.ArchimateImportError as error:
            raise CommandError("Impor dibatalkan, tidak ada yang disimpan: " + " ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(f"Impor dibatalkan, tidak ada yang disimpan: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Impor ArchiMate '{result.model_name}' ke {instansi.slug} / {opd}:"))
        self.stdout.write(f"Elemen: {result.element_total}")
        for domain in Domain.values:
            if result.elements[domain]:
                self.stdout.write(f"  {domain}: {result.elements[domain]}")
        self.stdout.write(f"Relasi: {result.relationship_total}")
        for domain in Domain.values:
            if result.relationships_by_domain[domain]:
                self.stdout.write(f"  dari {domain}: {result.relationships_by_domain[domain]}")
        for kind in RelationshipKind.values:
            if result.relationships[kind]:
                self.stdout.write(f"  jenis {kind}: {result.relationships[kind]}")
        self.stdout.write(f"Baru: {result.created}, diperbarui: {result.updated}, view disimpan: {result.views}")
        for note in result.skipped:
            self.stdout.write(self.style.WARNING(f"Dilewati: {note}"))

    def load_references(self, overwrite=False, **options):
        from simpul.architecture.models import ReferenceCode
        from simpul.architecture.references import load_reference_codes

        with context.acting(None, source="cli"):
            counts = load_reference_codes(ReferenceCode, overwrite=overwrite)
        self.stdout.write(
            self.style.SUCCESS(
                f"Kode referensi: {counts['created']} baru, {counts['updated']} diperbarui, "
                f"{counts['unchanged']} tetap."
            )
        )
