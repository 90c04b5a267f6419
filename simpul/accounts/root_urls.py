"""Routes at the site root without a namespace (`SimpulModule.root_urls`): Django and the page layout
look these names up bare (LOGIN_URL = "login", the user menu's "password_change"), and the API keys'
old pages redirect to their place under /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from simpul.accounts import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("core/api-keys/", views.OldApiKeyPageView.as_view()),
    path("core/api-keys/<path:rest>", views.OldApiKeyPageView.as_view()),
]
