"""Enqueues the periodic jobs declared in settings.SIMPUL_SCHEDULE, once per due slot.

Time is cut into slots of each task's interval: slot = floor(unix time / interval). Every worker on every
machine calls `enqueue_due` about every 30 seconds; the first to insert the (task, slot) row into
ScheduledRun enqueues the job and every other insert hits the unique constraint. No leader election, no
clock agreement beyond a few seconds, and a restarted worker picks up the current slot by itself.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from simpul.ops.models import ScheduledRun

logger = logging.getLogger("simpul.scheduler")


@dataclass(frozen=True)
class DueRun:
    task_path: str
    slot: int
    task_result_id: str


def slot_for(now: datetime, interval: int) -> int:
    """The number of the interval-long slot that `now` falls in, counted from the Unix epoch."""
    return int(now.timestamp() // interval)


def enqueue_due(now: datetime | None = None) -> list[DueRun]:
    """Enqueue every scheduled task whose current slot has not been enqueued yet; return what this call enqueued."""
    now = now or timezone.now()
    enqueued = []
    for task_path, interval in settings.SIMPUL_SCHEDULE.items():
        slot = slot_for(now, int(interval))
        # The slot row and (with the database backend) the job row commit together: a crash between
        # them cannot leave a slot marked as done without its job.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(task_path=task_path, slot=slot)
            except IntegrityError:
                continue  # another worker already enqueued this slot
            result = import_string(task_path).enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
        logger.info("Scheduled job enqueued: %s slot %d (job %s).", task_path, slot, result.id)
        enqueued.append(DueRun(task_path, slot, str(result.id)))
    return enqueued
