from simpul.architecture.api import views
from simpul.core.api.routers import Router

app_name = "architecture-api"

router = Router()
# Codes contain dots (RAL.01.02), which must not be read as a format suffix.
router.include_format_suffixes = False
router.register("elements", views.ElementViewSet)
router.register("business-processes", views.BusinessProcessViewSet)
router.register("data-sets", views.DataSetViewSet)
router.register("services", views.ServiceViewSet)
router.register("applications", views.ApplicationViewSet)
router.register("infrastructure", views.InfrastructureComponentViewSet)
router.register("security-controls", views.SecurityControlViewSet)
router.register("relationships", views.RelationshipViewSet)
router.register("reference-codes", views.ReferenceCodeViewSet)
router.register("proposals", views.ChangeProposalViewSet)
router.register("compliance", views.ComplianceViewSet, basename="compliance")
urlpatterns = router.urls
