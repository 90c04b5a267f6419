"""Simpul's error pages: 400, 403, 404, 500 and a refused CSRF check (simpul/urls.py names them as
Django's handlers; settings.CSRF_FAILURE_VIEW names `csrf_failure`).

Each says what happened in plain words and where to go next, in Simpul's layout. Under /api/ the answer
is JSON `{"detail": …}` like the API's own errors (DRF's wording); an htmx request gets the message alone,
not a whole page to nest inside a page. The 404 says the same whether the record does not exist or the
user may not see it: the page names neither the record nor the reason. The 500 page touches neither the
database nor the session, and falls back to fixed HTML if even the template fails: a 500 never fails.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render, resolve_url
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework import exceptions as api_exceptions

logger = logging.getLogger("simpul.errors")

PAGE_TEMPLATE = "errors/page.html"
FRAGMENT_TEMPLATE = "errors/fragment.html"

# Served when the 500 template itself cannot be rendered (a broken template, URL configuration or
# static files setting): no template engine, no translation, no database.
FALLBACK_500 = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Terjadi kesalahan · Simpul SPBE</title></head>
<body><main><h1>Terjadi kesalahan / Something went wrong</h1>
<p>Simpul tidak dapat menyelesaikan permintaan Anda. Coba lagi sebentar lagi; bila tetap terjadi,
hubungi Admin SPBE instansi Anda.</p>
<p>Simpul could not finish your request. Try again in a moment; if it keeps happening, contact the
Admin SPBE of your instansi.</p>
<p><a href="/">Simpul</a></p></main></body></html>
"""


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _is_htmx(request) -> bool:
    # A history restore asks for the whole page even though it comes from htmx.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _local_referer(request) -> str:
    """The page the user came from, when it is one of Simpul's own; "" otherwise (or when the host
    itself is refused, the 400 of a disallowed Host header)."""
    referer = request.headers.get("Referer", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
    except Exception:
        return ""
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    return referer


def _back(request) -> dict | None:
    referer = _local_referer(request)
    if not referer or urlsplit(referer).path == request.path:
        return None
    return {"label": _("Back to the previous page"), "url": referer}


def _home() -> dict:
    return {"label": _("Go to the home page"), "url": reverse("home")}


def _sign_in(request, label: str, next_url: str) -> dict:
    url = resolve_url(settings.LOGIN_URL)
    if next_url:
        query = QueryDict(mutable=True)
        query["next"] = next_url
        url = f"{url}?{query.urlencode(safe='/')}"
    return {"label": label, "url": url}


def _render(request, status: int, error: dict, *, context_processors: bool = True) -> HttpResponse:
    error = {"status": status, **error, "actions": [action for action in error.get("actions", []) if action]}
    fragment = _is_htmx(request)
    context = {"error": error, "fragment": fragment}
    template = FRAGMENT_TEMPLATE if fragment else PAGE_TEMPLATE
    if context_processors:
        return render(request, template, context, status=status)
    return HttpResponse(loader.render_to_string(template, context), status=status)


def _api(detail, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(detail)}, status=status)


def bad_request(request, exception=None):
    """400: a request Simpul could not understand (a malformed upload, a refused Host header, …)."""
    if _is_api(request):
        return _api(api_exceptions.ParseError.default_detail, 400)
    error = {
        "title": _("Bad request"),
        "paragraphs": [
            _("Simpul could not understand the request your browser sent."),
            _(
                "Go back and try again. If it keeps happening, tell the Admin SPBE of your instansi what you "
                "were doing."
            ),
        ],
        "actions": [_back(request), _home()],
    }
    return _render(request, 400, error)


def permission_denied(request, exception=None):
    """403: the user may see the record but not do this with it. The view's own reason, when it gave one
    (`PermissionDenied(_("You may not review this indicator."))`), is shown beneath."""
    if _is_api(request):
        return _api(api_exceptions.PermissionDenied.default_detail, 403)
    signed_in = _signed_in(request)
    error = {
        "title": _("Access denied"),
        "paragraphs": [
            _("Your account does not have the right to open this page or to do this."),
            _(
                "Rights come from the roles given to your account. If you need this for your work, ask the "
                "Admin SPBE of your instansi to give your account the right role."
            ),
        ],
        "reason": str(exception.args[0]) if exception is not None and exception.args and exception.args[0] else "",
        "actions": [
            _back(request),
            _home(),
            None if signed_in else _sign_in(request, _("Sign in"), request.get_full_path()),
        ],
    }
    return _render(request, 403, error)


def page_not_found(request, exception=None):
    """404. Deliberately the same text whether the address is wrong, the record was deleted, or the
    record belongs to a scope the user may not see: nothing on the page tells these apart."""
    if _is_api(request):
        return _api(api_exceptions.NotFound.default_detail, 404)
    signed_in = _signed_in(request)
    error = {
        "title": _("Page not found"),
        "paragraphs": [
            _("The page you asked for does not exist, or it is not available to your account."),
            _(
                "The address may be mistyped or out of date, or the record may have been deleted. If you "
                "followed a link and think you should see this page, ask the Admin SPBE of your instansi."
            ),
        ],
        "actions": [
            _home(),
            {"label": _("Search Simpul"), "url": reverse("search")} if signed_in else None,
            _back(request),
            None if signed_in else _sign_in(request, _("Sign in"), request.get_full_path()),
        ],
    }
    return _render(request, 404, error)


def server_error(request):
    """500. Rendered without context processors and without touching request.user or the session, so
    a database that is down cannot break it; the navigation is therefore left out. Shows the request id
    (also in the X-Request-ID header and every log line of the request) for the Admin SPBE to find."""
    if _is_api(request):
        return _api(api_exceptions.APIException.default_detail, 500)
    try:
        error = {
            "title": _("Something went wrong"),
            "paragraphs": [
                _("Simpul ran into an error and could not finish your request. This is not your fault."),
                _(
                    "If you were saving a change, check whether it was saved before you try again. If the "
                    "error keeps happening, tell the Admin SPBE of your instansi the reference below."
                ),
            ],
            "reference": getattr(request, "id", ""),
            "actions": [
                {"label": _("Try again"), "url": request.get_full_path()} if request.method == "GET" else None,
                _back(request),
                _home(),
            ],
        }
        return _render(request, 500, error, context_processors=False)
    except Exception:
        logger.exception("The 500 page could not be rendered; sent the fixed fallback page")
        return HttpResponse(FALLBACK_500, status=500)


def csrf_failure(request, reason=""):
    """403 of a refused CSRF check (settings.CSRF_FAILURE_VIEW): mostly a form left open past the
    session, or a sign-in or sign-out in another tab since the form was opened. Django has already
    logged the reason (logger django.security.csrf)."""
    if _is_api(request):
        # The wording of DRF's own CSRF refusal (SessionAuthentication).
        return _api(f"CSRF Failed: {reason}", 403)
    referer = _local_referer(request)
    signed_in = _signed_in(request)
    paragraphs = [
        _(
            "Simpul did not accept the form because it was out of date. This happens when a page stays open "
            "for a long time, or when you signed in or out in another tab after opening it."
        ),
        _("Nothing was saved. Open the form again and send it once more; if you were signed out, sign in again."),
    ]
    if reason == REASON_NO_CSRF_COOKIE:
        paragraphs.append(_("Your browser did not send Simpul's cookie. Allow cookies for this site, then try again."))
    next_url = ""
    if referer:
        parts = urlsplit(referer)
        next_url = parts.path + (f"?{parts.query}" if parts.query else "")
    error = {
        "title": _("The form has expired"),
        "paragraphs": paragraphs,
        "actions": [
            {"label": _("Open the form again"), "url": referer} if referer else None,
            None if signed_in else _sign_in(request, _("Sign in again"), next_url),
            _home(),
        ],
    }
    return _render(request, 403, error)


def favicon(request):
    """/favicon.ico, which browsers ask for on their own: a permanent redirect to the SVG icon that
    base.html links, instead of a 404 in the log for every first visit."""
    return HttpResponsePermanentRedirect(static("simpul/favicon.svg"))
