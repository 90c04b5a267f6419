"""URL patterns of the evaluation module's analysis pages (included by urls.py)."""

from django.urls import path

from simpul.evaluation import views_analysis as views

urlpatterns: list = [
    path("periods/<int:pk>/analysis/", views.PeriodAnalysisView.as_view(), name="period_analysis"),
    path("periods/<int:pk>/planner/", views.PlannerView.as_view(), name="period_planner"),
    path("periods/<int:pk>/planner/whatif/", views.WhatIfView.as_view(), name="period_whatif"),
    path("periods/<int:pk>/planner/efforts/", views.EffortView.as_view(), name="period_efforts"),
    path("periods/<int:pk>/planner/actions/", views.PlanToActionsView.as_view(), name="period_plan_actions"),
    path("periods/<int:pk>/actions/", views.ActionListView.as_view(), name="period_actions"),
    path("actions/<int:pk>/status/", views.ActionStatusView.as_view(), name="action_status"),
    path(
        "periods/<int:pk>/indicators/<str:item_key>/history/",
        views.IndicatorHistoryView.as_view(),
        name="indicator_history",
    ),
    path("trend/", views.TrendView.as_view(), name="trend"),
    path("comparison/", views.ComparisonView.as_view(), name="comparison"),
]
