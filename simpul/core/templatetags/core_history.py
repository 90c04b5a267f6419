"""Template tags of the history panel (core/includes/history.html)."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from simpul.core import permissions
from simpul.core.models import WorkflowEvent

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_events_url(context, history) -> str:
    """The list of the record's workflow events (to export them), when the panel shows any and the user may
    list them; else "".

    Read from the panel's own events, so it names the record they are about whichever view built the
    panel (some wrap the events, e.g. an element's publication).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    event = next((item for item in history or () if getattr(item, "is_workflow_event", False)), None)
    if event is None or not permissions.has_model_permission(user, "view", WorkflowEvent):
        return ""
    content_type = ContentType.objects.get_for_id(event.content_type_id)
    query = urlencode({"content_type": f"{content_type.app_label}.{content_type.model}", "object_id": event.object_id})
    return f"{reverse('core:workflowevent_list')}?{query}"
