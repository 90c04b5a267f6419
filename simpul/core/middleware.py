"""Request id, client address and acting user for logs and the audit trail."""

import logging
import re
import time
import uuid

from simpul.core import context

logger = logging.getLogger("simpul.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request) -> str | None:
    # Behind a reverse proxy the proxy's address is REMOTE_ADDR; deployments that trust their proxy set
    # SIMPUL_TRUST_X_FORWARDED_FOR, otherwise a client could forge its address.
    from django.conf import settings

    if getattr(settings, "SIMPUL_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives each request an id (kept from X-Request-ID when sane), echoes it and logs the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = context.set_context(
            context.ActorContext(ip_address=client_ip(request), request_id=request.id, source="web")
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    # The actor context of the inner middleware has ended by now; name the user here.
                    "user": getattr(getattr(request, "user", None), "username", "") or "",
                },
            )
            return response
        finally:
            context.reset_context(token)


class AuditActorMiddleware:
    """After authentication, records the logged-in user as the actor of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        base = context.current()
        source = "api" if request.path.startswith("/api/") else "web"
        token = context.set_context(
            context.ActorContext(user=user, ip_address=base.ip_address, request_id=base.request_id, source=source)
        )
        try:
            return self.get_response(request)
        finally:
            context.reset_context(token)


class ContentSecurityPolicyMiddleware:
    """Sends SIMPUL_CONTENT_SECURITY_POLICY with every response that does not set its own.

    Scripts come only from Simpul's own static files, so an injected <script> or on…= attribute is not
    run even if some text escaped the templates' escaping. Responses that set a stricter policy (files
    served for download, core/files.py) keep theirs.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = getattr(settings, "SIMPUL_CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
