"""Error pages (simpul/core/views/errors.py): 400, 403, 404, 500 and a refused CSRF check answer in
Simpul's layout with their own status, say what happened and where to go next, give JSON under /api/
and a fragment to htmx; the 500 page renders without the database; /favicon.ico leads to the icon.

This module is also the URL configuration of the tests marked `urls`: Simpul's routes plus views that
fail on purpose. The English texts are compared (accept-language: en); Indonesian is the default.
"""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject

from simpul import urls as simpul_urls
from simpul.core.views import errors
from simpul.organizations.models import PerangkatDaerah

EN = {"accept-language": "en"}
HTMX = {"accept-language": "en", "HX-Request": "true"}


def fails(request):
    raise RuntimeError("a bug")


def refuses(request):
    raise PermissionDenied("You may not review this indicator.")


def refuses_silently(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered")


def accepts_a_form(request):
    return HttpResponse("saved")


urlpatterns = [
    path("test-errors/fails/", fails),
    path("test-errors/refuses/", refuses),
    path("test-errors/refuses-silently/", refuses_silently),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/form/", accepts_a_form),
    path("api/test-errors/fails/", fails),
    path("api/test-errors/refuses/", refuses),
    path("api/test-errors/suspicious/", suspicious),
    path("api/test-errors/form/", accepts_a_form),
    *simpul_urls.urlpatterns,
]
handler400 = simpul_urls.handler400
handler403 = simpul_urls.handler403
handler404 = simpul_urls.handler404
handler500 = simpul_urls.handler500

with_test_urls = pytest.mark.urls(__name__)


def text(response) -> str:
    return response.content.decode()


def assert_page(response, status: int, *, lang: str = "en"):
    """A whole page in Simpul's layout: the navigation bar, the footer, the styles, the favicon."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == settings.SIMPUL_CONTENT_SECURITY_POLICY
    body = text(response)
    assert body.startswith("<!doctype html>")
    assert f'<html lang="{lang}">' in body
    assert '<nav class="navbar' in body
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert '<link rel="icon" href="/static/simpul/favicon.svg" type="image/svg+xml">' in body
    assert f'data-testid="error" data-status="{status}"' in body
    assert "<script>" not in body
    return body


def assert_fragment(response, status: int):
    assert response.status_code == status
    body = text(response)
    assert "<html" not in body and "<nav" not in body and "<body" not in body
    assert f'data-testid="error" data-status="{status}"' in body
    assert "<h2" in body and "<h1" not in body
    return body


# --- 404 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_for_an_anonymous_visitor():
    response = Client(headers=EN).get("/no-such-page/")
    body = assert_page(response, 404)
    assert "Page not found · Simpul SPBE</title>" in body
    assert "The page you asked for does not exist, or it is not available to your account." in body
    assert "ask the Admin SPBE of your instansi" in body
    assert 'href="/">Go to the home page</a>' in body
    assert 'href="/accounts/login/?next=/no-such-page/">Sign in</a>' in body
    assert "Search Simpul</a>" not in body


@pytest.mark.django_db
def test_404_page_for_a_signed_in_user_has_the_navigation_and_search(world):
    client = Client(headers=EN)
    client.force_login(world.operator_a1)
    body = assert_page(client.get("/no-such-page/"), 404)
    assert f'data-testid="user-menu">{world.operator_a1}</a>' in body
    assert 'class="nav-link' in body  # the module menu
    assert f'href="{reverse("search")}">Search Simpul</a>' in body
    assert "Sign in</a>" not in body


@pytest.mark.django_db
def test_404_page_links_back_to_a_page_of_simpul_only(world):
    client = Client(headers=EN)
    client.force_login(world.operator_a1)
    body = text(client.get("/no-such-page/", headers={"referer": "http://testserver/search/?q=dinas"}))
    assert 'href="http://testserver/search/?q=dinas">Back to the previous page</a>' in body
    body = text(client.get("/no-such-page/", headers={"referer": "https://elsewhere.example/x"}))
    assert "elsewhere.example" not in body and "Back to the previous page" not in body


@pytest.mark.django_db
def test_404_page_in_indonesian_by_default(world):
    client = Client()
    client.force_login(world.operator_a1)
    body = assert_page(client.get("/no-such-page/"), 404, lang="id")
    assert f'data-testid="user-menu">{world.operator_a1}</a>' in body
    assert 'class="nav-link' in body


def normalised(response) -> str:
    """The body without what differs on every render (masked CSRF tokens) and without the request's own
    address (in the language form's `next` and the sign-in link)."""
    body = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text(response))
    return body.replace(response.wsgi_request.get_full_path(), "PATH")


@pytest.mark.django_db
def test_404_of_a_missing_record_and_of_another_instansis_record_are_identical(world):
    client = Client(headers=EN)
    client.force_login(world.operator_a1)
    detail = "organizations:perangkatdaerah_detail"
    assert client.get(reverse(detail, args=[world.a1.pk])).status_code == 200
    missing_pk = PerangkatDaerah.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    other_instansi = client.get(reverse(detail, args=[world.b1.pk]))
    missing = client.get(reverse(detail, args=[missing_pk]))
    assert other_instansi.status_code == missing.status_code == 404
    assert normalised(other_instansi) == normalised(missing)
    assert world.b1.name not in text(other_instansi) and world.inst_b.name not in text(other_instansi)
    # The same holds in Indonesian and for the edit page of either.
    client = Client()
    client.force_login(world.operator_a1)
    edit = "organizations:perangkatdaerah_edit"
    assert normalised(client.get(reverse(edit, args=[world.b1.pk]))) == normalised(
        client.get(reverse(edit, args=[missing_pk]))
    )


@pytest.mark.django_db
def test_unknown_api_url_answers_json_like_the_apis_own_404(world):
    client = Client(headers=EN)
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    # The same shape as the API's own 404 (here of a record outside the caller's scope).
    client.force_login(world.operator_a1)
    own = client.get(f"/api/organizations/perangkat-daerah/{world.b1.pk}/")
    assert own.status_code == 404
    assert own["Content-Type"] == "application/json"
    assert own.json().keys() == {"detail"}


@pytest.mark.django_db
def test_htmx_request_gets_the_message_alone(world):
    client = Client()
    client.force_login(world.operator_a1)
    body = assert_fragment(client.get("/no-such-page/", headers=HTMX), 404)
    assert "Page not found</h2>" in body
    assert "The page you asked for does not exist, or it is not available to your account." in body
    # htmx restoring its history asks for the whole page.
    restore = client.get("/no-such-page/", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert_page(restore, 404)


# --- 403 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_403_page_says_who_gives_the_right(world):
    client = Client(headers=EN)
    client.force_login(world.operator_a1)
    response = client.get(reverse("organizations:perangkatdaerah_add"))
    body = assert_page(response, 403)
    assert "Access denied · Simpul SPBE</title>" in body
    assert "Your account does not have the right to open this page or to do this." in body
    assert "ask the Admin SPBE of your instansi to give your account the right role" in body
    assert f'data-testid="user-menu">{world.operator_a1}</a>' in body
    assert 'href="/">Go to the home page</a>' in body
    assert 'data-testid="error-reason"' not in body


@with_test_urls
@pytest.mark.django_db
def test_403_page_shows_the_views_reason_and_offers_sign_in_to_a_visitor():
    client = Client(headers=EN)
    body = assert_page(client.get("/test-errors/refuses/"), 403)
    assert '<p class="fw-semibold" data-testid="error-reason">You may not review this indicator.</p>' in body
    assert 'href="/accounts/login/?next=/test-errors/refuses/">Sign in</a>' in body
    body = assert_fragment(client.get("/test-errors/refuses-silently/", headers=HTMX), 403)
    assert "Access denied</h2>" in body


@with_test_urls
@pytest.mark.django_db
def test_403_under_api_is_json():
    response = Client(headers=EN).get("/api/test-errors/refuses/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


# --- 400 ------------------------------------------------------------------------------------------


@with_test_urls
@pytest.mark.django_db
def test_400_page():
    client = Client(headers=EN)
    body = assert_page(client.get("/test-errors/suspicious/"), 400)
    assert "Bad request · Simpul SPBE</title>" in body
    assert "Simpul could not understand the request your browser sent." in body
    assert "tampered" not in body
    assert_fragment(client.get("/test-errors/suspicious/", headers=HTMX), 400)
    api = client.get("/api/test-errors/suspicious/")
    assert api.status_code == 400
    assert api.json() == {"detail": "Malformed request."}


@pytest.mark.django_db
def test_400_of_a_refused_host_header():
    response = Client(headers={**EN, "referer": "http://evil.example/"}).get("/", HTTP_HOST="evil.example")
    body = assert_page(response, 400)
    assert "Bad request" in body and "evil.example" not in body


# --- 500 ------------------------------------------------------------------------------------------


@with_test_urls
@pytest.mark.django_db
def test_500_page_names_the_request_for_the_admin(world):
    client = Client(headers=EN, raise_request_exception=False)
    client.force_login(world.operator_a1)
    response = client.get("/test-errors/fails/?x=1")
    body = assert_page(response, 500)
    assert "Something went wrong · Simpul SPBE</title>" in body
    assert "Simpul ran into an error and could not finish your request. This is not your fault." in body
    assert f'<code data-testid="error-reference">{response["X-Request-ID"]}</code>' in body
    assert 'href="/test-errors/fails/?x=1">Try again</a>' in body
    assert "a bug" not in body
    # Rendered without context processors: no user menu, no module menu, nothing read from the database.
    assert "user-menu" not in body and 'class="nav-link' not in body


@with_test_urls
@pytest.mark.django_db
def test_500_for_htmx_and_api(world):
    client = Client(headers=EN, raise_request_exception=False)
    assert_fragment(client.get("/test-errors/fails/", headers=HTMX), 500)
    api = client.get("/api/test-errors/fails/")
    assert api.status_code == 500
    assert api.json() == {"detail": "A server error occurred."}


def database_down(request):
    raise OperationalError("the database is down")


def unreachable():
    raise OperationalError("the database is down")


def test_500_page_renders_without_the_database(rf, settings):
    """No django_db mark: pytest-django refuses every query. On top of that a context processor, the
    user and the session fail the way they do when the database is down."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.database_down",
                ]
            },
        }
    ]
    request = rf.get("/somewhere/", headers=EN)
    request.user = SimpleLazyObject(unreachable)
    request.session = SimpleLazyObject(unreachable)
    request.id = "abc123"
    # The failing context processor is in force: a page rendered with them fails.
    with pytest.raises(OperationalError):
        errors.page_not_found(request)
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        response = errors.server_error(request)
    assert response.status_code == 500
    body = text(response)
    assert body.startswith("<!doctype html>") and '<nav class="navbar' in body
    assert '<code data-testid="error-reference">abc123</code>' in body


def test_500_falls_back_to_fixed_html_when_even_the_template_fails(rf):
    with mock.patch("simpul.core.views.errors.loader.render_to_string", side_effect=RuntimeError("broken")):
        response = errors.server_error(rf.get("/somewhere/"))
    assert response.status_code == 500
    assert "Admin SPBE" in text(response) and '<html lang="id">' in text(response)


# --- CSRF -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csrf_failure_without_the_cookie():
    client = Client(headers=EN, enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    body = assert_page(response, 403)
    assert "The form has expired · Simpul SPBE</title>" in body
    assert "Nothing was saved. Open the form again and send it once more" in body
    assert "Your browser did not send Simpul&#x27;s cookie." in body
    assert 'href="/accounts/login/">Sign in again</a>' in body


@pytest.mark.django_db
def test_csrf_failure_of_a_stale_form_leads_back_to_it():
    client = Client(headers=EN, enforce_csrf_checks=True)
    client.get(reverse("login"))  # sets the CSRF cookie
    referer = "http://testserver/accounts/login/?next=/search/"
    body = assert_page(client.post(reverse("login"), {"username": "x"}, headers={"referer": referer}), 403)
    assert "Simpul did not accept the form because it was out of date." in body
    assert "cookie" not in body.lower().split("</nav>")[1]
    assert f'href="{referer}">Open the form again</a>' in body
    assert 'href="/accounts/login/?next=/accounts/login/%3Fnext%3D/search/">Sign in again</a>' in body


@with_test_urls
@pytest.mark.django_db
def test_csrf_failure_of_a_signed_in_user_htmx_and_api(world):
    client = Client(headers=EN, enforce_csrf_checks=True)
    client.force_login(world.operator_a1)
    body = assert_page(client.post("/test-errors/form/"), 403)
    assert f'data-testid="user-menu">{world.operator_a1}</a>' in body
    assert "Sign in again" not in body
    assert "The form has expired</h2>" in assert_fragment(client.post("/test-errors/form/", headers=HTMX), 403)
    api = client.post("/api/test-errors/form/")
    assert api.status_code == 403
    assert api.json()["detail"].startswith("CSRF Failed: ")


# --- Favicon --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_icon():
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/simpul/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"".join(icon.streaming_content).lstrip().startswith(b"<svg")


@pytest.mark.django_db
def test_every_page_links_the_favicon():
    body = text(Client().get(reverse("login")))
    assert '<link rel="icon" href="/static/simpul/favicon.svg" type="image/svg+xml">' in body
