"""`simpul audit verify` checks the audit hash chain and its head; `simpul audit head` prints the head.

The head line is meant to be kept outside the database (a log store, a file on another machine):
`simpul audit verify --expect-head LINE` then proves that the chain still holds that entry, unchanged,
at the same position, which nothing inside the database can prove once the chain and its head were
rewritten together.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from simpul.core.audit import ChainHead, verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` checks the hash chain of every entry and that it ends where its head "
        "says; `head` prints the head, to be kept outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="Check that no audit entry was altered or removed.",
            description="Check that no audit entry was altered or removed and that the chain ends where its "
            "head says. On success prints the head line as well.",
        )
        verify.add_argument(
            "--expect-head",
            metavar="HEAD",
            help="A head recorded earlier outside the database: the line printed by `simpul audit head` (or "
            "any log line containing it), its --json form, or COUNT:HASH. The chain must still hold that "
            "entry, unchanged, at that position; it may have grown since.",
        )
        head = sub.add_parser(
            "head",
            help="Print where the chain ends (count, last id, last hash, time) as one line.",
            description="Print the stored head of the audit chain as one line: "
            "`simpul-audit-head count=N last_id=ID hash=HASH time=TIME`. It is not verified; run "
            "`simpul audit verify` first when you record it.",
        )
        head.add_argument("--json", action="store_true", help="Print the head as a JSON object.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "head":
            current = ChainHead.current()
            self.stdout.write(json.dumps(current.as_dict()) if options["json"] else current.line())
            return
        expected = None
        if options.get("expect_head"):
            try:
                expected = ChainHead.parse(options["expect_head"])
            except ValueError as error:
                raise CommandError(f"--expect-head: {error}.") from error
        result = verify_chain(expected=expected)
        if result.ok:
            against = f" and holds the recorded head of {expected.count} entries" if expected else ""
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} entries, chain intact{against}."))
            self.stdout.write(result.head.line())
            return
        if result.broken_entry_id is None:
            raise CommandError(f"BROKEN: {result.reason}. The {result.checked} entries present link correctly.")
        raise CommandError(
            f"BROKEN at entry {result.broken_entry_id}: {result.reason}. {result.checked} entries before it are intact."
        )
