"""URL patterns of the evaluation module's reports pages (included by urls.py)."""

urlpatterns: list = []
