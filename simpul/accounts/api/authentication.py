"""API authentication: session, token (`Authorization: Token …` or `Bearer …`) and API keys."""

import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from simpul.core.models import ApiKey
from simpul.core.models.apikeys import KEY_PREFIX


class BearerTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, also accepting the common `Bearer` keyword."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if (
            header
            and header[0].lower() == b"bearer"
            and len(header) == 2
            and not header[1].startswith(KEY_PREFIX.encode() + b"_")
        ):
            return self.authenticate_credentials(header[1].decode())
        return super().authenticate(request)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key spl_…` or `X-API-Key: spl_…`; the request acts as the key's account."""

    keyword = "Api-Key"

    def authenticate(self, request):
        raw = request.headers.get("X-API-Key", "")
        header = authentication.get_authorization_header(request).split()
        if not raw and len(header) == 2 and header[0].lower() in (b"api-key", b"bearer"):
            raw = header[1].decode(errors="replace")
        if not raw.startswith(f"{KEY_PREFIX}_"):
            return None
        try:
            _prefix_marker, prefix, secret = raw.split("_", 2)
        except ValueError as error:
            raise exceptions.AuthenticationFailed(_("Malformed API key.")) from error
        key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
        if key is None or not hmac.compare_digest(key.key_hash, ApiKey.hash_secret(secret)):
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if not key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key was revoked or has expired."))
        if not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API key is disabled."))
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            # Usage time is bookkeeping, not a change a person made: no audit entry, few writes.
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword
