"""Generic state-changing operations on scoped records.

Every write of the generic UI, the API, imports and the CLI goes through these functions: they check
the permission first, write inside one transaction, and check again after the write, so a user can
never leave behind a record they may not hold (e.g. by moving it to another OPD).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from simpul.core import context, permissions


@contextlib.contextmanager
def _as_actor(user):
    """Name `user` in the audit trail when the caller (a job, a script) did not set an actor itself."""
    current = context.current()
    if current.user is not None or not getattr(user, "pk", None):
        yield
        return
    with context.acting(user, source=current.source, ip_address=current.ip_address, request_id=current.request_id):
        yield


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
    return instance


def update_object(user, instance: models.Model, *, save=None) -> models.Model:
    """Save changes to an existing record if `user` may change it both before and after the change."""
    model = type(instance)
    with _as_actor(user), transaction.atomic():
        original = model._default_manager.select_for_update().filter(pk=instance.pk)
        if not permissions.restrict(original, user, "change").exists():
            raise PermissionDenied(_("You may not change this record."))
        instance = save() if save else (instance.save() or instance)
        if not permissions.can(user, "change", instance):
            raise PermissionDenied(_("You may not move this record outside your scope."))
    return instance


def delete_object(user, instance: models.Model) -> None:
    """Delete a record if `user` may; protected relations raise ProtectedError / RestrictedError."""
    with _as_actor(user), transaction.atomic():
        if not permissions.can(user, "delete", instance):
            raise PermissionDenied(_("You may not delete this record."))
        instance.delete()
