"""The global search page: one box, every module's records the user may view."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from simpul.core import search as core_search


@login_required
def search(request):
    """/search/?q=: the matches of every module's search providers, grouped by module."""
    text = request.GET.get("q", "").strip()[: core_search.MAX_LENGTH]
    providers = core_search.providers_for(request.user)
    searched = len(text) >= core_search.MIN_LENGTH
    context = {
        "q": text,
        "searched": searched,
        "groups": core_search.search(request, text) if searched else [],
        "kinds": [provider.title for _module, provider in providers],
    }
    return render(request, "core/search.html", context)
