"""The worker's bookkeeping for the declared schedule of periodic jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One due slot of one scheduled task.

    The unique (task, slot) pair lets any number of workers on any number of machines try to enqueue
    the same due run: exactly one insert succeeds, so a scheduled job is enqueued once.
    """

    task_path = models.CharField(_("task"), max_length=200)
    slot = models.BigIntegerField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_result_id = models.CharField(_("job ID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["task_path", "slot"], name="unique_scheduled_slot")]
