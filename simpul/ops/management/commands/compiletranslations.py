"""`simpul compiletranslations`: compile the .po catalogues to .mo in pure Python (polib).

Django's own `compilemessages` needs GNU gettext's `msgfmt`, a system package. Simpul installs with
nothing but pip, and the .mo files are build output (git-ignored), so every installation compiles them
with this command instead. `--check` lists entries that are untranslated, fuzzy or whose placeholders
differ from the source text, and fails when there are any (used by `make messages-check` and the tests).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# %(name)s / %(count)d, positional %s / %d, and str.format-style {name} / {0}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")


def catalogue_paths() -> list[Path]:
    """Every django.po below the configured locale paths."""
    paths: list[Path] = []
    for locale_dir in settings.LOCALE_PATHS:
        paths.extend(sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")))
    return paths


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text or ""))


def entry_problems(entry: polib.POEntry) -> list[str]:
    """What is wrong with one entry: empty, fuzzy, or placeholders that differ from the msgid."""
    if entry.obsolete:
        return []
    problems = []
    if entry.fuzzy:
        problems.append("fuzzy")
    if entry.msgid_plural:
        translations = [text for _index, text in sorted(entry.msgstr_plural.items())]
        if not translations or not all(translations):
            problems.append("untranslated")
        # Indonesian has one plural form, used for every count: it must carry the plural's placeholders.
        expected = placeholders(entry.msgid_plural)
        for text in translations:
            if text and set(placeholders(text)) != set(expected):
                problems.append(f"placeholders differ: {sorted(expected)} vs {sorted(placeholders(text))}")
    else:
        if not entry.msgstr:
            problems.append("untranslated")
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.append(
                f"placeholders differ: {sorted(placeholders(entry.msgid))} vs {sorted(placeholders(entry.msgstr))}"
            )
    return problems


def catalogue_problems(path: Path) -> list[tuple[polib.POEntry, list[str]]]:
    catalogue = polib.pofile(str(path))
    found = []
    for entry in catalogue:
        problems = entry_problems(entry)
        if problems:
            found.append((entry, problems))
    return found


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo beside the .po; written to a temporary file first so a running server never reads
    half a file. polib leaves out fuzzy and untranslated entries, as msgfmt does."""
    mo_path = po_path.with_suffix(".mo")
    catalogue = polib.pofile(str(po_path))
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return mo_path


class Command(BaseCommand):
    help = "Compile simpul/locale/*/LC_MESSAGES/django.po to .mo without GNU gettext; --check lists gaps."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not compile; list untranslated, fuzzy and placeholder-mismatched entries and fail if any.",
        )

    def handle(self, *args, check=False, **options):
        paths = catalogue_paths()
        if not paths:
            raise CommandError("No django.po found under LOCALE_PATHS.")
        if check:
            self._check(paths)
            return
        for po_path in paths:
            mo_path = compile_catalogue(po_path)
            self.stdout.write(f"{po_path} -> {mo_path.name}")

    def _check(self, paths: list[Path]) -> None:
        total = 0
        for path in paths:
            problems = catalogue_problems(path)
            total += len(problems)
            for entry, reasons in problems:
                where = entry.occurrences[0][0] if entry.occurrences else "?"
                self.stdout.write(f"{path}: {', '.join(reasons)}: {entry.msgid!r} ({where})")
        if total:
            raise CommandError(f"{total} entries need a translation or a fix.")
        self.stdout.write(self.style.SUCCESS(f"All entries of {len(paths)} catalogue(s) are translated."))
