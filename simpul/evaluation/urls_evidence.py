"""URL patterns of the evaluation module's evidence pages (included by urls.py)."""

urlpatterns: list = []
