"""The project's routes. Each module's pages and API come from its declaration (`SimpulModule.urls`,
`api_urls`, `root_urls`, see simpul/core/modules.py); only the routes that belong to no module are listed
here."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from simpul.core import modules
from simpul.core.api.views import CachedSchemaView
from simpul.core.views import errors
from simpul.core.views.health import healthz
from simpul.core.views.search import search

api_patterns = [
    *modules.api_url_patterns(),
    path("schema/", CachedSchemaView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script), which the
    # Content-Security-Policy allows; the plain view writes it inline.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api_schema", template_name="core/api_redoc.html"),
        name="api_redoc",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", errors.favicon, name="favicon"),
    *modules.root_url_patterns(),
    path("search/", search, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    *modules.url_patterns(),
    path("api/", include(api_patterns)),
]

# Error pages in Simpul's layout, JSON under /api/ (simpul/core/views/errors.py; the CSRF refusal is
# settings.CSRF_FAILURE_VIEW). Django uses them when DEBUG is off.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
