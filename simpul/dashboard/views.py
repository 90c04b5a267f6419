from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.module_loading import import_string

from simpul.core import permissions


@login_required
def home(request):
    """The home page: per role, what this user has to do now (cards contributed by each module)."""
    user = request.user
    roles = permissions.roles()
    held = [
        {"label": roles[grant.role].label, "description": roles[grant.role].description, "grant": grant}
        for grant in permissions.user_grants(user)
    ]
    cards = []
    for dotted in settings.SIMPUL_HOME_CARDS:
        cards.extend(import_string(dotted)(request))
    return render(request, "dashboard/home.html", {"roles_held": held, "cards": cards})
