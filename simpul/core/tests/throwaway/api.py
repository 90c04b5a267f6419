"""The module's API: serializer, viewset and router in one file, as small as a module's API can be."""

from simpul.core.api.routers import Router
from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.api.viewsets import ScopedModelViewSet
from simpul.core.tests.throwaway.models import Note
from simpul.core.tests.throwaway.views import NoteFilterSet


class NoteSerializer(ScopedModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "url", "title", "owner", "created_at", "updated_at"]


class NoteViewSet(ScopedModelViewSet):
    """Notes of the OPDs the caller may see."""

    queryset = Note.objects.select_related("owner")
    serializer_class = NoteSerializer
    filterset_class = NoteFilterSet
    ordering_fields = ["title"]


app_name = "throwaway-api"

router = Router()
router.register("notes", NoteViewSet)
urlpatterns = router.urls
