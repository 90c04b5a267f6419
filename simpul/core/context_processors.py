from django.apps import apps
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from simpul.core import modules, permissions


def navigation(request):
    """The module menu (each module's `navigation`): only the entries whose records the user may view; and
    whether the user menu offers the API keys (core keeps the table, the accounts module its pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "may_view_api_keys": False}
    items = []
    held = {grant.role for grant in permissions.user_grants(user)}
    for entry in modules.navigation():
        if entry.roles and not user.is_superuser and not held & set(entry.roles):
            continue
        if permissions.has_model_permission(user, "view", apps.get_model(entry.model)):
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "active": request.path.startswith(url)})
    api_keys = SimpleLazyObject(lambda: permissions.has_model_permission(user, "view", apps.get_model("core.apikey")))
    return {"navigation": items, "may_view_api_keys": api_keys}


def notifications(request):
    """The number of the user's unread notifications, for the navbar badge (one count query, when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    from simpul.core.notifications import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
