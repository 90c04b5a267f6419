from rest_framework.routers import DefaultRouter

from simpul.core.api import views

app_name = "core-api"

router = DefaultRouter()
router.register("audit-entries", views.AuditEntryViewSet)
router.register("workflow-events", views.WorkflowEventViewSet)
urlpatterns = router.urls
