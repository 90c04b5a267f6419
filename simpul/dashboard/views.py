from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from simpul.core import modules, permissions


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
    for source in modules.home_card_sources():
        cards.extend(source(request))
    return render(request, "dashboard/home.html", {"roles_held": held, "cards": cards})
