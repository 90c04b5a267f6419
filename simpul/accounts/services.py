"""Issuing and revoking API keys: the one door used by the UI, the API and the CLI.

Two-factor sign-in has its own service, `twofactor.py`.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from simpul.core import permissions, services
from simpul.core.models import ApiKey


def issue_api_key(
    user,
    *,
    name: str,
    instansi,
    acts_as,
    owner=None,
    external_system: str = "",
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key acting as `acts_as` and return it with its secret, which is shown once and never stored.

    `user` must be allowed to add keys for that instansi/OPD and be `acts_as` or allowed to change that
    account (the model's `authorize_write`, applied by `services.create_object`).
    """
    key = ApiKey(
        name=name,
        instansi=instansi,
        owner=owner,
        user=acts_as,
        external_system=external_system,
        expires_at=expires_at,
    )
    key.full_clean(exclude=["prefix", "key_hash"])
    secret = key.issue()
    services.create_object(user, key)
    return key, secret


def revoke_api_key(user, key: ApiKey) -> ApiKey:
    """Revoke a key at once; revoking a revoked key changes nothing."""
    if not permissions.can(user, "change", key):
        raise PermissionDenied(_("You may not change this record."))
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    return services.update_object(user, key, fields=["revoked_at"])


def api_token_for(user) -> str:
    """The account's API token, created at its first request; the caller has verified the credentials
    (and the two-factor code). Turning two-factor on deletes it (`twofactor.turn_on`)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key
