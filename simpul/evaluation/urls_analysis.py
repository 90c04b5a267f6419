"""URL patterns of the evaluation module's analysis pages (included by urls.py)."""

urlpatterns: list = []
