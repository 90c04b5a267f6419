from simpul.core.api.routers import Router
from simpul.evaluation.api import views

app_name = "evaluation-api"

router = Router()
router.register("frameworks", views.FrameworkViewSet)
router.register("periods", views.EvaluationPeriodViewSet)
router.register("assessments", views.IndicatorAssessmentViewSet)
router.register("national-results", views.NationalStageResultViewSet)
router.register("evidence", views.EvidenceViewSet)
router.register("scores", views.PeriodScoreViewSet)
router.register("improvement-actions", views.ImprovementActionViewSet)
urlpatterns = router.urls
