from rest_framework.routers import DefaultRouter

from simpul.organizations.api import views

app_name = "organizations-api"

router = DefaultRouter()
router.register("instansi", views.InstansiViewSet)
router.register("perangkat-daerah", views.PerangkatDaerahViewSet)
router.register("users", views.UserViewSet)
router.register("role-assignments", views.RoleAssignmentViewSet)
urlpatterns = router.urls
