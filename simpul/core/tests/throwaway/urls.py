from simpul.core.tests.throwaway.views import NoteViews

app_name = "throwaway"

urlpatterns = [*NoteViews.urls()]
