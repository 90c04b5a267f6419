"""In-app notifications: one row per recipient, read in their inbox and mailed by a background job."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one user about something that needs their attention (an assignment, a return, …).

    Written by `simpul.core.notifications.notify()` in the transaction of the change it tells about; the
    e-mail copy is sent after the commit by a background job, which sets `emailed_at`. Not an audited
    business record: it is the recipient's own mail, seen only by them (the inbox filters by recipient,
    never through grants).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A stable code of what happened (e.g. "evaluation.assigned"), for reminders that must not repeat.
    verb = models.CharField(_("kind"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)

    # Nobody reaches notifications through restrict(): the inbox reads the user's own rows.
    scope_instansi_path = "recipient__instansi"
    scope_opd_path = "recipient__opd"

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["content_type", "object_id", "verb"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None
