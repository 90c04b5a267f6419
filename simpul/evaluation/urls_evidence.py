"""URL patterns of the evaluation module's evidence pages (included by urls.py)."""

from django.urls import path

from simpul.evaluation import views_evidence as views

urlpatterns: list = [
    path("assessments/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path(
        "assessments/<int:pk>/evidence/add/<str:kind>/",
        views.EvidenceAddView.as_view(),
        name="evidence_add",
    ),
    path("assessments/<int:pk>/evidence/records/", views.RecordSearchView.as_view(), name="evidence_records"),
    path("assessments/<int:pk>/hints/", views.HintsView.as_view(), name="evidence_hints"),
    path("assessments/<int:pk>/hints/accept/", views.HintAcceptView.as_view(), name="evidence_hint_accept"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
]
