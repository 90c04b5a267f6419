"""The public intake's rate limit per client address (web form and anonymous API alike): the API's throttle
of core (counted in the default cache), with its rate in SIMPUL_RATE_SERVICEDESK_INTAKE ("<number>/<second|
minute|hour|day>", empty turns it off; 10/min in simpul/settings.py). A refused submission gets 429 with
Retry-After."""

from __future__ import annotations

from simpul.core.api.throttling import ClientRateThrottle


class PublicIntakeThrottle(ClientRateThrottle):
    """Submissions without an account, per client address; signed-in users are not counted."""

    scope = "servicedesk_intake"
    rate_setting = "SIMPUL_RATE_SERVICEDESK_INTAKE"

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
