"""The import run: validate every row with the model's form, save it through the generic services and
report per row and column, all in one transaction (a preview rolls it back)."""

from __future__ import annotations

import contextlib
import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from simpul.core import audit, services
from simpul.core.importexport.columns import (
    LookupChoiceField,
    import_form_class,
    model_defaults,
    normalise,
    prepare_form,
    row_data,
)
from simpul.core.importexport.reading import SourceRow

PROGRESS_EVERY = 50  # rows between two progress reports of import_rows


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    processed: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped_rows(self) -> list[int]:
        """Rows left out by an import that skips invalid rows (none otherwise)."""
        return sorted({error.row for error in self.errors}) if self.skip_invalid else []


def import_rows(
    user,
    config,
    rows: list[SourceRow],
    *,
    commit: bool,
    progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    skip_invalid: bool = False,
) -> ImportResult:
    """Validate and save every row in one transaction; roll back everything if any row fails.

    With `skip_invalid` (the user's explicit choice after seeing the errors) the rows with errors are
    left out and reported, and the valid rows are saved; a missing required column still stops it all.

    A dry run (commit=False) performs the same saves and rolls back, so it finds every error an actual
    import would meet, including conflicts between rows of the same file. `progress`, when given, is
    called with the number of rows processed so far every `progress_every` rows and once at the end;
    it runs inside the open transaction, so it must not write to the database (see importjobs.py).
    """
    form_class = import_form_class(config)
    result = ImportResult(total=len(rows), skip_invalid=skip_invalid and commit)
    sample_form = form_class(user=user)
    prepare_form(sample_form, config)
    header_map: dict[str, str] = {}
    for name, form_field in sample_form.fields.items():
        header_map[normalise(name)] = name
        header_map[normalise(form_field.label or name)] = name
    if rows:
        result.unknown_columns = [h for h in rows[0].values if normalise(h) not in header_map]
        present = {header_map[normalise(h)] for h in rows[0].values if normalise(h) in header_map}
        defaults = model_defaults(sample_form)
        for name, form_field in sample_form.fields.items():
            if form_field.required and name not in present and name not in defaults:
                result.errors.append(RowError(1, str(form_field.label), _("This required column is missing.")))
        if result.errors:
            result.skip_invalid = False  # no row can be saved without the column: nothing was skipped
            return result

    with transaction.atomic(), audit.batch() as chain:
        if result.skip_invalid:
            _ImportPass(user, config, form_class, header_map, result, chain).run(rows, progress, progress_every)
        else:
            try:
                # One savepoint for the whole pass instead of one per row (two queries a row), and the
                # audit entries written in bulk: a failure rolls the whole pass back anyway.
                with transaction.atomic():
                    chain.buffered = True
                    _ImportPass(user, config, form_class, header_map, result, chain, savepoints=False).run(
                        rows, progress, progress_every
                    )
                    chain.flush()
            except _SaveFailed:
                chain.buffered = False
                # A failed save leaves the transaction unusable without a savepoint of its own, but the
                # report must still list the errors of every later row: start over, row by row.
                chain.forget()
                result.processed, result.saved, result.errors, result.preview = 0, 0, [], []
                _ImportPass(user, config, form_class, header_map, result, chain).run(rows, progress, progress_every)
        if not commit or (result.errors and not result.skip_invalid):
            transaction.set_rollback(True)
            if result.errors:
                result.saved = 0
    return result


class _SaveFailed(Exception):
    """A row could not be saved in a pass without per-row savepoints."""


class _ImportPass:
    """One walk over the rows of an import, inside the import's transaction.

    With `savepoints` every row is saved in a savepoint of its own, so a row that fails to save is
    rolled back alone and its error reported. Without, the first failing save raises `_SaveFailed` and
    the caller rolls the pass back.
    """

    def __init__(self, user, config, form_class, header_map, result, chain, *, savepoints: bool = True):
        self.user, self.config, self.form_class = user, config, form_class
        self.header_map, self.result, self.chain = header_map, result, chain
        self.savepoints = savepoints
        # Shared by the rows of this pass only: a pass that is rolled back takes its records with it.
        self.lookup_caches: dict[str, dict] = {}
        self.prototype = None
        self.defaults: dict = {}

    def run(self, rows: list[SourceRow], progress, progress_every: int) -> None:
        result = self.result
        for row in rows:
            self.import_row(row)
            result.processed += 1
            if progress is not None and result.processed % progress_every == 0:
                progress(result.processed)
        if progress is not None and result.processed % progress_every:
            progress(result.processed)

    def import_row(self, row: SourceRow) -> None:
        """Validate and save one row, recording its errors or its preview."""
        result = self.result
        bound = self.row_form()
        bound.data = row_data(row, bound, self.header_map, self.defaults)
        bound.instance.clean_fields = functools.partial(_clean_fields_trusting_lookups, bound)
        try:
            valid = bound.is_valid()
        finally:
            del bound.instance.clean_fields
        if not valid:
            for name, messages in bound.errors.items():
                label = str(bound.fields[name].label) if name in bound.fields else "—"
                result.errors.extend(RowError(row.number, label, message) for message in messages)
            return
        try:
            with transaction.atomic() if self.savepoints else contextlib.nullcontext():
                services.create_object(self.user, bound.instance, save=bound.save, savepoint=False)
        except PermissionDenied as error:
            self.failed()
            result.errors.append(RowError(row.number, "—", str(error)))
            return
        except IntegrityError as error:
            self.failed()
            result.errors.append(
                RowError(row.number, "—", _("Conflicts with an existing record (%(error)s).") % {"error": error})
            )
            return
        result.saved += 1
        if len(result.preview) < 20:
            result.preview.append({"row": row.number, "object": str(bound.instance)})

    def row_form(self):
        """A form for one row: a copy of a form built and prepared once per pass.

        Building the form (its fields, the user's scope on each queryset, the lookup fields) took a
        third of an import's time and gives the same result for every new record of the same user.
        So the rows share the prepared fields, which validation does not change, and each row gets
        its own copy of the new instance and of the form's per-validation state.
        """
        if self.prototype is None:
            # The lookups replace fields, so the form is prepared before it is given any row data.
            self.prototype = self.form_class(data={}, user=self.user)
            prepare_form(self.prototype, self.config, self.lookup_caches)
            self.defaults = model_defaults(self.prototype)
        form = copy.copy(self.prototype)
        form.instance = copy.deepcopy(self.prototype.instance)
        form._errors = None
        form._bound_fields_cache = {}
        return form

    def failed(self) -> None:
        if not self.savepoints:
            raise _SaveFailed
        self.chain.forget()  # the row's audit entry, if any, went with its savepoint


def _clean_fields_trusting_lookups(form, exclude=None) -> None:
    """The model's clean_fields, minus the existence query of each foreign key that a lookup column
    has just found: the record came from the form field's queryset, which is narrower than the check
    (the user's scope, and ModelForm applies limit_choices_to to it). That query ran once per
    foreign key and row, about a fifth of an import's time."""
    instance = form.instance
    trusted = set()
    for name, form_field in form.fields.items():
        found = form.cleaned_data.get(name)
        if not isinstance(form_field, LookupChoiceField) or not isinstance(found, models.Model):
            continue
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: the model does not check it anyway
            continue
        if (
            model_field.many_to_one
            and not model_field.validators
            and getattr(instance, model_field.attname) == getattr(found, model_field.target_field.attname)
        ):
            trusted.add(name)
    type(instance).clean_fields(instance, exclude=set(exclude or ()) | trusted)
