from django.urls import path

from simpul.accounts import views

app_name = "accounts"

urlpatterns = [
    *views.ApiKeyViews.urls(),
    path(
        "api-keys/<int:pk>/revoke/",
        views.ApiKeyRevokeView.as_view(config=views.ApiKeyViews),
        name="apikey_revoke",
    ),
]
