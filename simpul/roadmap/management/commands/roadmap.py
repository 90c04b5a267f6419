"""`simpul roadmap`: a roadmap to and from Excel in the plan's table layout (simpul/roadmap/xlsx.py).

    simpul roadmap export-xlsx --instansi SLUG FILE [--version LABEL] [--user USERNAME]
    simpul roadmap import-xlsx --instansi SLUG FILE --version LABEL [--name NAME] [--valid-from YEAR]
                               [--source TEXT] [--not-current] [--user USERNAME]

The import writes through the same services as the page, so it needs an account whose permissions and
name go into the audit trail: `--user`, or else the first active superuser. It is all or nothing: a file
with any bad row writes nothing and lists each problem with its row and column. The export writes the
current version (or `--version`); without `--user` all of it, with it only what that user may view.
"""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from simpul.core import context
from simpul.organizations.models import Instansi, User
from simpul.roadmap import xlsx
from simpul.roadmap.models import Roadmap


class Command(BaseCommand):
    help = "SPBE roadmap tools: export and import a roadmap as Excel in the master plan's table layout."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export-xlsx", help="Write a roadmap version as an Excel file (plan layout).")
        export.add_argument("--instansi", required=True, help="Slug of the instansi.")
        export.add_argument("--version", dest="version_label", help="Version label (default: the current one).")
        export.add_argument("--user", help="Export only what this user may view (default: everything).")
        export.add_argument("path", help="Output file (.xlsx).")
        imp = sub.add_parser("import-xlsx", help="Load an Excel file (plan layout) as a new roadmap version.")
        imp.add_argument("--instansi", required=True, help="Slug of the instansi.")
        imp.add_argument("--version", dest="version_label", required=True, help="Label of the new version.")
        imp.add_argument("--name", default="Peta Rencana SPBE", help="Name of the roadmap.")
        imp.add_argument("--valid-from", type=int, default=None, help="Year it applies from (default: this year).")
        imp.add_argument("--source", default="", help="The document it comes from.")
        imp.add_argument("--not-current", action="store_true", help="Keep the current version current.")
        imp.add_argument("--user", help="Act as this user (default: the first active superuser).")
        imp.add_argument("path", help="The Excel file (.xlsx).")

    def handle(self, *args, subcommand, **options):
        {"export-xlsx": self.export_xlsx, "import-xlsx": self.import_xlsx}[subcommand](**options)

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

    def export_xlsx(self, instansi, path, version_label=None, user=None, **options):
        instansi = self._instansi(instansi)
        roadmaps = Roadmap.objects.filter(instansi=instansi)
        roadmap = (
            roadmaps.filter(version_label__iexact=version_label).first()
            if version_label
            else roadmaps.filter(is_current=True).first()
        )
        if roadmap is None:
            known = ", ".join(roadmaps.values_list("version_label", flat=True)) or "-"
            raise CommandError(f"Versi peta rencana tidak ditemukan. Versi yang ada: {known}.")
        actor = self._user(user, required=False)
        with context.acting(actor, source="cli"), open(path, "wb") as stream:
            count = xlsx.export_roadmap(roadmap, stream, user=actor)
        self.stdout.write(self.style.SUCCESS(f"Ekspor {roadmap}: {count} keluaran ke {path}."))

    def import_xlsx(
        self, instansi, path, version_label, name, valid_from=None, source="", not_current=False, user=None, **options
    ):
        instansi = self._instansi(instansi)
        actor = self._user(user, required=True)
        file_path = Path(path)
        if not file_path.exists():
            raise CommandError(f"Berkas '{path}' tidak ditemukan.")
        with file_path.open("rb") as handle, context.acting(actor, source="cli"):
            try:
                summary = xlsx.import_plan(
                    actor,
                    instansi,
                    File(handle, name=file_path.name),
                    name=name,
                    version_label=version_label,
                    valid_from=valid_from or datetime.date.today().year,
                    source=source,
                    make_current=not not_current,
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
            except xlsx.PlanImportError as error:
                for problem in error.errors:
                    self.stderr.write(f"  baris {problem.row}, kolom {problem.column}: {problem.message}")
                raise CommandError("Berkas ditolak; tidak ada yang disimpan.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Impor {summary.roadmap}: {summary.initiatives} inisiatif strategis, {summary.outputs} keluaran."
            )
        )
