from django.conf import settings
from django.urls import reverse

from simpul.core import permissions


def navigation(request):
    """The module menu: only the entries whose records the user may view."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    from django.apps import apps

    items = []
    for label, url_name, model_label in settings.SIMPUL_NAVIGATION:
        model = apps.get_model(model_label)
        if permissions.has_model_permission(user, "view", model):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {"navigation": items}
