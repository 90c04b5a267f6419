"""The accounts API, included at /api/ itself (`api_prefix = ""`): its paths are the ones clients have
used since it was core's, `auth/token/` and `core/api-keys/`."""

from django.urls import path

from simpul.accounts.api import views
from simpul.core.api.routers import Router

app_name = "accounts-api"

router = Router()
router.include_root_view = False  # at /api/ itself, the router's index page would claim /api/
router.register("core/api-keys", views.ApiKeyViewSet)
urlpatterns = [path("auth/token/", views.ObtainTokenView.as_view(), name="api_token"), *router.urls]
