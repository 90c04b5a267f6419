from django.urls import path
from rest_framework.routers import DefaultRouter

from simpul.core.api import views

app_name = "core-api"

router = DefaultRouter()
router.register("audit-entries", views.AuditEntryViewSet)
router.register("api-keys", views.ApiKeyViewSet)
urlpatterns = router.urls
token_urlpatterns = [path("auth/token/", views.ObtainTokenView.as_view(), name="api_token")]
