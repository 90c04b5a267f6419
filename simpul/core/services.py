"""Generic state-changing operations on scoped records.

Every write of the generic UI, the API, imports and the CLI goes through these functions: they check
the permission first, write inside one transaction, and check again after the write, so a user can
never leave behind a record they may not hold (e.g. by moving it to another OPD).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from simpul.core import context, permissions

_as_actor = context.acting_as


def _scope_ids(instance: models.Model) -> tuple[int | None, int | None]:
    return instance.get_scope_ids() if hasattr(instance, "get_scope_ids") else (None, None)


def create_object(user, instance: models.Model, *, save=None, savepoint: bool = True) -> models.Model:
    """Save a new record if `user` may add it where it would belong.

    `save` is an optional callable doing the actual save (e.g. a ModelForm's save with its m2m data).
    `savepoint=False` is for callers that roll back the enclosing transaction (or their own savepoint)
    whenever this raises, such as a bulk import: it saves two queries per record.
    """
    model = type(instance)
    with _as_actor(user), transaction.atomic(savepoint=savepoint):
        if not permissions.can_add(user, model, *_scope_ids(instance)):
            raise PermissionDenied(_("You may not add this record here."))
        instance = save() if save else (instance.save() or instance)
        if not permissions.can_add(user, model, *_scope_ids(instance)):
            raise PermissionDenied(_("You may not add this record here."))
        _authorize_write(user, instance, creating=True)
    return instance


class EditConflict(Exception):
    """The record changed since the caller read it: saving would overwrite someone else's change.

    `current` is the stored record as it is now, so the UI can show what changed.
    """

    code = "edit_conflict"

    def __init__(self, current: models.Model):
        super().__init__(
            _(
                "This record was changed by someone else after you opened it. Your changes were not saved: "
                "review the current values and save again."
            )
        )
        self.current = current


def row_version(instance: models.Model) -> str:
    """A token of a record's stored values: it changes whenever any column changes, by any write path.

    It is computed from the values themselves rather than kept in a version column, so no model needs an
    extra field and a change made by a migration or a data repair still counts as a change.
    """
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    payload = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _lock(model: type[models.Model], pk) -> models.Model | None:
    # Only the record's own row(s) are locked (a typed element: its table and its parent's), never the
    # OPD or instansi rows that a permission filter would join: that would serialise a whole OPD's writes.
    return model._default_manager.select_for_update().filter(pk=pk).first()


def _keep_stored_values(instance: models.Model, stored: models.Model, fields: Iterable[str]) -> None:
    """Give `instance` the stored value of every column the caller did not name.

    `instance` was read before the row was locked; saving it whole would write back every column as it
    was then and undo changes committed in between (a lost update).
    """
    named = set()
    for name in fields:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        named.update({field.name, getattr(field, "attname", field.name)})
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.attname in named or field.name in named:
            continue
        value = getattr(stored, field.attname)
        if getattr(instance, field.attname) != value:
            setattr(instance, field.attname, value)
            if field.is_relation and field.is_cached(instance):
                field.delete_cached_value(instance)


def _authorize_write(user, instance: models.Model, *, creating: bool) -> None:
    # A model with rules beyond its scope (an API key may only act as an account its issuer may change)
    # states them once, and every write path (form, API, import, CLI) applies them through these services.
    # It runs on the record as saved, inside the transaction, so a refusal rolls the write back.
    check = getattr(instance, "authorize_write", None)
    if check is not None:
        check(user, creating=creating)


def update_object(
    user,
    instance: models.Model,
    *,
    save=None,
    fields: Iterable[str] | None = None,
    version: str | None = None,
) -> models.Model:
    """Save changes to an existing record if `user` may change it both before and after the change.

    The stored row is locked first. `fields` names the fields the caller changes (an API PATCH): every
    other column keeps its stored value, so concurrent changes of other fields are never lost. `version`
    is the `row_version()` the caller saw when it read the record (an edit form): if the row has changed
    since, `EditConflict` is raised and nothing is written.
    """
    model = type(instance)
    with _as_actor(user), transaction.atomic():
        stored = _lock(model, instance.pk)
        if stored is None or not permissions.can(user, "change", stored):
            raise PermissionDenied(_("You may not change this record."))
        if version is not None and version != row_version(stored):
            raise EditConflict(stored)
        if fields is not None:
            _keep_stored_values(instance, stored, fields)
        instance = save() if save else (instance.save() or instance)
        if not permissions.can(user, "change", instance):
            raise PermissionDenied(_("You may not move this record outside your scope."))
        _authorize_write(user, instance, creating=False)
    return instance


def delete_object(user, instance: models.Model) -> None:
    """Delete a record if `user` may; protected relations raise ProtectedError / RestrictedError."""
    with _as_actor(user), transaction.atomic():
        if not permissions.can(user, "delete", instance):
            raise PermissionDenied(_("You may not delete this record."))
        instance.delete()
