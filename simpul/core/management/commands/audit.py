"""`simpul audit verify`: recompute the audit hash chain and report the first broken entry, or OK."""

from django.core.management.base import BaseCommand, CommandError

from simpul.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chain of every entry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check that no audit entry was altered or removed.")

    def handle(self, *args, subcommand, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} entries, chain intact."))
            return
        raise CommandError(
            f"BROKEN at entry {result.broken_entry_id}: {result.reason}. {result.checked} entries before it are intact."
        )
