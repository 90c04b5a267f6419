from simpul.core.api.routers import Router
from simpul.roadmap.api import views

app_name = "roadmap-api"

router = Router()
router.register("roadmaps", views.RoadmapViewSet)
router.register("initiatives", views.InitiativeViewSet)
router.register("outputs", views.OutputViewSet)
router.register("progress-reports", views.ProgressReportViewSet)
urlpatterns = router.urls
