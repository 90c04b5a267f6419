"""What an import maps a file onto: the configuration of an importable model, the columns its form
accepts (and the template's guide to them), and each row's cells turned into that form's data."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from simpul.core.importexport.reading import SourceRow

TRUE_WORDS = {"1", "true", "ya", "y", "yes", "benar", "aktif"}
FALSE_WORDS = {"0", "false", "tidak", "t", "no", "n", "salah", "nonaktif", ""}


class ImportConfig:
    """What an import into one model needs: the model, the form that validates each row and how its
    foreign keys are found in a file. `views.generic.ModelViews` inherits it; a background import job
    names such a class by dotted path, and the worker runs only subclasses of this one
    (`importjobs.resolve_config`)."""

    model: type[models.Model]
    form = None
    import_form = None  # defaults to `form`
    import_lookups: dict[str, str] = {}  # foreign-key field -> field used to find it in a file
    importable = True

    @classmethod
    def name(cls) -> str:
        return cls.model._meta.model_name


@dataclass
class ImportColumn:
    name: str
    label: str
    required: bool
    help: str


def import_form_class(config):
    form_class = config.import_form or config.form
    if form_class is None:
        raise ImproperlyConfiguredImport(config)
    return form_class


class ImproperlyConfiguredImport(Exception):
    pass


def import_columns(config, user=None) -> list[ImportColumn]:
    form = import_form_class(config)(user=user)
    defaults = model_defaults(form)
    columns = []
    for name, form_field in form.fields.items():
        hints = [str(form_field.help_text)] if form_field.help_text else []
        if name in defaults:
            hints.append(_("Empty: %(default)s.") % {"default": _default_label(form_field, defaults[name])})
        lookup = config.import_lookups.get(name)
        if lookup:
            related = form_field.queryset.model
            hints.append(
                _("Fill in the %(field)s of the %(model)s.")
                % {"field": related._meta.get_field(lookup).verbose_name, "model": related._meta.verbose_name}
            )
        elif isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
            hints.append(_("One of: %(values)s") % {"values": ", ".join(str(v) for v, _l in form_field.choices if v)})
        elif isinstance(form_field, forms.BooleanField):
            hints.append(_("Ya or Tidak"))
        required = form_field.required and name not in defaults
        columns.append(ImportColumn(name, str(form_field.label or name), required, " ".join(hints)))
    return columns


def _default_label(form_field, default) -> str:
    if isinstance(form_field, forms.BooleanField):
        return _("Yes") if default == "on" else _("No")
    choices = dict(getattr(form_field, "choices", []) or [])
    return str(choices.get(default, default))


def normalise(text: str) -> str:
    """A column name or choice as compared: any case and spacing, without the template's "*"."""
    return " ".join(str(text).replace("*", "").strip().lower().split())


class LookupChoiceField(forms.ModelChoiceField):
    """Finds a related record by a natural key; an ambiguous key is an error, not a crash.

    An import names the same few records (its OPD, a reference code) on thousands of rows, so each
    distinct value is looked up once per import: `cache` is shared by the rows of one import run.
    """

    def __init__(self, *args, cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache = {} if cache is None else cache

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = str(value)
        if key not in self.cache:
            try:
                self.cache[key] = super().to_python(value)
            except MultipleObjectsReturned:
                self.cache[key] = ValidationError(
                    _("More than one record matches “%(value)s”.") % {"value": value}, code="ambiguous"
                )
            except ValidationError as error:
                self.cache[key] = error
        found = self.cache[key]
        if isinstance(found, ValidationError):
            raise found
        return found


def prepare_form(form, config, caches: dict[str, dict] | None = None) -> None:
    """Make the form's fields accept a file's cells: a foreign key by its lookup column, a choice by
    its label or value in any letter case. `caches` keeps the lookups of one import pass."""
    caches = {} if caches is None else caches
    for name, form_field in list(form.fields.items()):
        if not isinstance(form_field, forms.ModelChoiceField) or isinstance(form_field, forms.ModelMultipleChoiceField):
            continue
        form.fields[name] = LookupChoiceField(
            queryset=form_field.queryset,
            to_field_name=config.import_lookups.get(name),
            required=form_field.required,
            label=form_field.label,
            cache=caches.setdefault(name, {}),
        )
    for form_field in form.fields.values():
        if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            form_field, forms.ModelChoiceField
        ):
            # A label or a value in any letter case ("Dinas" for "dinas") both name the choice.
            form_field._label_map = {normalise(value): value for value, _label in form_field.choices} | {
                normalise(label): value for value, label in form_field.choices
            }


def row_data(row: SourceRow, form, header_map: dict[str, str], defaults: dict | None = None) -> dict:
    """The form data of one row; `header_map` maps each normalised column name to a form field."""
    # A column left out of the file, or an empty cell, takes the model's default, as a new record in
    # the form would.
    data = dict(model_defaults(form) if defaults is None else defaults)
    for header, value in row.values.items():
        name = header_map.get(normalise(header))
        if name is None or (value == "" and name in data):
            continue
        form_field = form.fields[name]
        label_map = getattr(form_field, "_label_map", None)
        if label_map is not None and value not in dict(form_field.choices):
            value = label_map.get(normalise(value), value)
        if isinstance(form_field, forms.BooleanField):
            word = normalise(value)
            value = "on" if word in TRUE_WORDS else "" if word in FALSE_WORDS else value
        data[name] = value
    return data


def model_defaults(form) -> dict[str, object]:
    """Defaults of the form's model fields, for columns an import file may leave out or empty."""
    model = form._meta.model
    defaults = {}
    for name in form.fields:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field has no model default
            continue
        if getattr(model_field, "has_default", lambda: False)() and not model_field.is_relation:
            default = model_field.get_default()
            if not isinstance(default, bool | int | str):
                continue
            defaults[name] = "on" if default is True else "" if default is False else default
    return defaults
