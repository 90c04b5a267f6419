"""`simpul evaluation`: compute an index without the UI, load frameworks, recompute stored indices.

    simpul evaluation compute --framework ID LEVELS.json [--missing-as-minimum]
    simpul evaluation load-framework PATH [PATH ...] [--user USERNAME]
    simpul evaluation recompute [--instansi SLUG]

`compute` reads `{"<indicator number>": level, ...}` ('-' reads standard input) and prints
`{"framework", "index", "predicate", "domains", "aspects"}` as JSON, with the same function the UI and
the API use. `--framework` is the id of a loaded framework or the path of a framework file.
`load-framework` loads through the same service as the Admin's upload page; with `--user` it acts as
(and needs the permission of) that account, without it as the server's console.
"""

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.core import context
from simpul.evaluation import scoring, services
from simpul.evaluation.batch import recompute_periods
from simpul.evaluation.frameworks import FrameworkError, read_framework_file
from simpul.evaluation.models import EvaluationPeriod, Framework
from simpul.organizations.models import User


class Command(BaseCommand):
    help = "SPBE evaluation tools: compute an index from levels, load framework files, recompute indices."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        compute = sub.add_parser("compute", help="Compute the index of a set of indicator levels (JSON).")
        compute.add_argument("--framework", required=True, help="Framework id (e.g. permenpanrb-59-2020) or file.")
        compute.add_argument("levels", help='JSON file {"<indicator number>": level, ...}; "-" reads stdin.')
        compute.add_argument(
            "--missing-as-minimum",
            action="store_true",
            help="Count indicators without a level at the bottom of the scale instead of refusing.",
        )
        load = sub.add_parser("load-framework", help="Check and load framework files (JSON).")
        load.add_argument("paths", nargs="+")
        load.add_argument("--user", help="Act as this user (default: the server's console).")
        recompute = sub.add_parser("recompute", help="Recompute the stored indices of evaluation periods.")
        recompute.add_argument("--instansi", help="Only this instansi (slug).")

    def handle(self, *args, subcommand, **options):
        {"compute": self.compute, "load-framework": self.load, "recompute": self.recompute}[subcommand](**options)

    def _spec(self, framework: str):
        path = Path(framework)
        if framework.endswith(".json") and path.exists():
            try:
                return read_framework_file(path)[0]
            except FrameworkError as error:
                raise CommandError("\n".join(error.errors)) from error
        row = Framework.objects.filter(code=framework).first()
        if row is None:
            known = ", ".join(Framework.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("Unknown framework '%(framework)s'. Known frameworks: %(known)s.")
                % {"framework": framework, "known": known or "-"}
            )
        return row.spec

    def compute(self, framework, levels, missing_as_minimum, **options):
        spec = self._spec(framework)
        try:
            text = sys.stdin.read() if levels == "-" else Path(levels).read_text(encoding="utf-8")
            raw = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(_("The levels file is not readable JSON: %(error)s") % {"error": error}) from error
        if not isinstance(raw, dict):
            raise CommandError(_('The levels file must hold one JSON object {"<indicator number>": level, ...}.'))
        try:
            result = scoring.compute(spec, scoring.normalize_levels(spec, raw), missing_as_minimum=missing_as_minimum)
        except scoring.LevelsError as error:
            raise CommandError("\n".join(error.errors)) from error
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))

    def load(self, paths, user=None, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("There is no active user '%(user)s'.") % {"user": user})
        failed = False
        for path in paths:
            try:
                with context.acting(actor, source="cli"):
                    framework, action = services.load_framework_file(actor, path)
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
            except FrameworkError as error:
                failed = True
                self.stderr.write(_("%(path)s: refused") % {"path": path})
                for message in error.errors:
                    self.stderr.write(f"  - {message}")
                continue
            self.stdout.write(f"{path}: {framework.code} ({action})")
        if failed:
            raise CommandError(_("Some files were refused; a refused file changes nothing."))

    def recompute(self, instansi=None, **options):
        periods = EvaluationPeriod.objects.all()
        if instansi:
            periods = periods.filter(instansi__slug=instansi)
        # One read of all levels and one bulk write, instead of five queries per period.
        count = recompute_periods(periods)
        self.stdout.write(
            ngettext("%(count)s evaluation period recomputed.", "%(count)s evaluation periods recomputed.", count)
            % {"count": count}
        )
