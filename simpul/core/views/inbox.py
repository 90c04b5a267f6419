"""The user's inbox: their own notifications, newest first; reading one marks it read."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from simpul.core import notifications
from simpul.core.models import Notification


def own_notifications(user):
    """Only the user's own rows: notifications are mail, not records shared through grants."""
    return Notification.objects.filter(recipient=user)


class InboxView(LoginRequiredMixin, View):
    template_name = "core/inbox.html"

    def get(self, request):
        rows = own_notifications(request.user)
        if request.GET.get("unread"):
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, 25).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"page": page, "only_unread": bool(request.GET.get("unread"))})


class OpenNotificationView(LoginRequiredMixin, View):
    """POST: mark one notification read and go to its link (the inbox when it has none)."""

    def post(self, request, pk: int):
        notification = get_object_or_404(own_notifications(request.user), pk=pk)
        notifications.mark_read(request.user, [notification.pk])
        link = notification.link
        safe = link and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(link if safe else "core:inbox")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        notifications.mark_read(request.user)
        return redirect("core:inbox")
