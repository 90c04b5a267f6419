from django.urls import path

from simpul.dashboard import views

# No app_name: the home page is the project's "home" (LOGIN_REDIRECT_URL, the brand link).
urlpatterns = [path("", views.home, name="home")]
