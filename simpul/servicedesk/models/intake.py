"""The keys of the public intake's idempotency: a retried submission (same `Idempotency-Key`, same body)
finds the ticket its first attempt made instead of making a second one."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntakeKey(models.Model):
    """One idempotency key given with a public submission, the ticket it made and a fingerprint of what was
    sent. Not audited: it is bookkeeping of the ticket's opening, which the trail records itself."""

    key = models.CharField(_("idempotency key"), max_length=200)
    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="+"
    )
    ticket = models.ForeignKey(
        "servicedesk.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, help_text=_("SHA-256 of the submission."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("intake key")
        verbose_name_plural = _("intake keys")
        ordering = ["-created_at"]
        constraints = [
            # The guard against concurrent retries: the second insert of a key fails, whatever the timing.
            models.UniqueConstraint(fields=["key"], name="servicedesk_intakekey_unique_key")
        ]

    def __str__(self) -> str:
        return self.key
