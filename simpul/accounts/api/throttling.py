"""The token endpoint's own rate limit: `POST /api/auth/token/` invites password guessing, and each
attempt costs a password hash, so it is stricter than the general anonymous limit (core's
`AnonRateThrottle`), which it replaces there. Counted per client address in the default cache."""

from simpul.core.api.throttling import ClientRateThrottle


class TokenRateThrottle(ClientRateThrottle):
    """Attempts to obtain an API token, right or wrong (SIMPUL_RATE_TOKEN)."""

    scope = "token"
    rate_setting = "SIMPUL_RATE_TOKEN"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
