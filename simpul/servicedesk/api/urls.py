from django.urls import path

from simpul.core.api.routers import Router
from simpul.servicedesk.api import views

app_name = "servicedesk-api"

router = Router()
router.register("tickets", views.TicketViewSet)
router.register("replies", views.TicketReplyViewSet)
urlpatterns = [
    path("track/<str:code>/", views.TrackView.as_view(), name="track"),
    *router.urls,
]
