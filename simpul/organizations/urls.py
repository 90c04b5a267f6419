from simpul.organizations import views

app_name = "organizations"

urlpatterns = [
    *views.InstansiViews.urls(),
    *views.PerangkatDaerahViews.urls(),
    *views.UserViews.urls(),
    *views.RoleAssignmentViews.urls(),
]
