from django.urls import include, path

from simpul.dashboard import views

# The executive dashboard's names are in the "dashboard" namespace (`dashboard:executive`).
executive = (
    [
        path("", views.executive_dashboard, name="executive"),
        path("report.pdf", views.executive_pdf, name="executive_pdf"),
    ],
    "dashboard",
)

# No app_name: the home page is the project's "home" (LOGIN_REDIRECT_URL, the brand link).
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/executive/", include(executive)),
]
