from simpul.core.api.routers import Router
from simpul.governance.api import views

app_name = "governance-api"

router = Router()
router.register("policies", views.PolicyViewSet)
router.register("topics", views.PolicyTopicViewSet)
router.register("teams", views.TeamViewSet)
router.register("decrees", views.DecreeViewSet)
router.register("members", views.TeamMemberViewSet)
router.register("meetings", views.MeetingViewSet)
router.register("decisions", views.DecisionViewSet)
router.register("follow-up-actions", views.FollowUpActionViewSet)
urlpatterns = router.urls
