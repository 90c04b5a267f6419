"""Rate limits of the API's unauthenticated entry points (DRF throttles), per client address.

`ClientRateThrottle` is the base of every limit; `AnonRateThrottle` limits every request without
credentials that a view serves anonymously, such as the OpenAPI schema and the API docs
(SIMPUL_RATE_ANON). The token endpoint has a stricter limit of its own, the accounts module's
(`TokenRateThrottle`, SIMPUL_RATE_TOKEN). A refused request gets 429 with Retry-After.

The counters live in Django's default cache, so every process that shares it shares the limit: the
file cache of the embedded installation serves the processes of one machine, Redis (SIMPUL_CACHE_URL)
those of several. DRF counts without a lock, so a burst of parallel requests may pass a few over
the limit; these limits make abuse slow, they are not exact quotas.
"""

import math

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework import exceptions, throttling

from simpul.core.middleware import client_ip


class Throttled(exceptions.Throttled):
    """DRF's 429 with one whole sentence in the user's language (DRF appends an untranslated one)."""

    def __init__(self, wait: float):
        seconds = max(1, math.ceil(wait))
        detail = ngettext(
            "Too many requests from your address. Try again in %(seconds)d second.",
            "Too many requests from your address. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        exceptions.APIException.__init__(self, detail, "throttled")
        self.wait = seconds  # DRF's exception handler turns it into the Retry-After header


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """A limit per client address, its rate read from the setting named by `rate_setting`."""

    rate_setting = ""

    def get_rate(self):
        # Read per request: DRF copies its rates into the class once, at import, so a setting changed
        # later (in tests) would not count. An empty setting turns the limit off.
        return getattr(settings, self.rate_setting) or None

    def get_ident(self, request):
        # DRF's own choice takes X-Forwarded-For as sent, so a client could start a fresh count with
        # each request; Simpul's client address trusts that header only behind a trusted proxy.
        return client_ip(request) or "unknown"

    def throttle_failure(self):
        # Raised here rather than through the view, so that every view, DRF's and drf-spectacular's
        # included, answers with the same message.
        raise Throttled(self.wait())

    def wait(self):
        # Room for one more request opens when the N-th most recent one leaves the window. DRF's
        # estimate gives no time at all when the rate was lowered below the requests already counted.
        if not self.num_requests or len(self.history) < self.num_requests:
            return self.duration
        return max(0.0, self.duration - (self.now - self.history[self.num_requests - 1]))


class AnonRateThrottle(ClientRateThrottle):
    """Requests without credentials (authenticated ones are not counted)."""

    scope = "anon"
    rate_setting = "SIMPUL_RATE_ANON"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
