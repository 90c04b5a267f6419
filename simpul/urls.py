from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from simpul.core.api.urls import token_urlpatterns
from simpul.core.views import accounts
from simpul.core.views.health import healthz
from simpul.dashboard import views as dashboard_views

api_patterns = [
    *token_urlpatterns,
    path("core/", include("simpul.core.api.urls")),
    path("organizations/", include("simpul.organizations.api.urls")),
    path("architecture/", include("simpul.architecture.api.urls")),
    path("evaluation/", include("simpul.evaluation.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
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
    path("", dashboard_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-factor/", accounts.TwoFactorView.as_view(), name="two_factor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("organizations/", include("simpul.organizations.urls")),
    path("architecture/", include("simpul.architecture.urls")),
    path("evaluation/", include("simpul.evaluation.urls")),
    path("core/", include("simpul.core.urls")),
    path("api/", include(api_patterns)),
]
