"""Setting an account's password: the one door used by the user pages, their import and the API.

The password is checked by Django's validators (AUTH_PASSWORD_VALIDATORS) and saved through the generic
services, so the write is scoped and audited like any other; the trail records that the password changed,
masked on both sides, never its hash (User.audit_masked_fields).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from simpul.core import permissions, services
from simpul.organizations.models import User


def validate_new_password(password: str, account: User) -> None:
    """Django's password validators, against the account as it will be saved (a password like its name
    or e-mail after this change is refused); the errors are raised under "password"."""
    try:
        password_validation.validate_password(password, account)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error


def create_account(user, account: User, password: str) -> User:
    """Save the new `account` with `password`, if `user` may add an account where it would belong."""
    if account.pk is not None:
        raise ValueError("create_account() saves new accounts; use set_password() for an existing one")
    # Asked before the password is judged: someone refused learns nothing of the password rules.
    if not permissions.can_add(user, User, *account.get_scope_ids()):
        raise PermissionDenied(_("You may not add this record here."))
    validate_new_password(password, account)
    account.set_password(password)
    return services.create_object(user, account)


def set_password(user, account: User, password: str, *, fields: Iterable[str] = ()) -> User:
    """Give the existing `account` the password `password`, if `user` may change that account.

    Only the password is written, on the locked row, unless `fields` names other fields the caller has
    changed on `account`: those are saved in the same write, so an edit that also sets the password
    leaves one audit entry, as it did before the password had its own service.
    """
    if account.pk is None:
        raise ValueError("set_password() changes existing accounts; use create_account() for a new one")
    if not permissions.can(user, "change", account):
        raise PermissionDenied(_("You may not change this record."))
    validate_new_password(password, account)
    account.set_password(password)
    return services.update_object(user, account, fields=["password", *fields])
