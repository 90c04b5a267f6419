"""The platform's periodic jobs (declared in settings.SIMPUL_SCHEDULE): the daily audit chain check
and the housekeeping of finished jobs.

`simpul worker` enqueues them on schedule and runs them. Each is also a plain function (`task.call()`),
so tests and the shell can run the same code without a queue.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from simpul.core.audit import verify_chain
from simpul.ops.models import ScheduledRun

logger = logging.getLogger("simpul.tasks")


class AuditChainBroken(Exception):
    """Raised by `verify_audit_chain` so the job is recorded as FAILED, with the reason in its traceback."""


def _alert_recipients() -> list[str]:
    """ADMINS when configured; otherwise every active superuser with an e-mail address."""
    recipients = [admin[1] if isinstance(admin, list | tuple) else admin for admin in settings.ADMINS]
    if not recipients:
        recipients = list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return recipients


@task()
def verify_audit_chain() -> dict:
    """Recompute the audit hash chain and check its head; on success log the head line, on a break log
    an error, e-mail the admins and fail the job."""
    result = verify_chain()
    summary = {
        "ok": result.ok,
        "checked": result.checked,
        "broken_entry_id": result.broken_entry_id,
        "reason": result.reason,
        "head": result.head.as_dict() if result.head else None,
    }
    if result.ok:
        logger.info("Audit chain intact: %d entries checked.", result.checked)
        # A copy of the head outside the database (the log store) is what shows a later rewrite of the
        # whole chain together with its head: `simpul audit verify --expect-head "<this line>"`.
        logger.info("Audit chain head: %s", result.head.line(), extra={"audit_head": result.head.as_dict()})
        return summary
    if result.broken_entry_id is not None:
        where = f"entry {result.broken_entry_id}"
        logger.error(
            "Audit chain BROKEN at entry %s: %s (%d entries before it are intact).",
            result.broken_entry_id,
            result.reason,
            result.checked,
            extra={"broken_entry_id": result.broken_entry_id},
        )
    else:
        where = "the head"
        logger.error(
            "Audit chain BROKEN: %s (the %d entries present link correctly).",
            result.reason,
            result.checked,
            extra={"broken_entry_id": None, "audit_head": result.head.as_dict()},
        )
    recipients = _alert_recipients()
    if recipients:
        if result.broken_entry_id is not None:
            body = _(
                "The audit trail hash chain is broken at entry %(entry)s: %(reason)s.\n"
                "%(checked)d entries before it are intact.\n\n"
                "Someone altered or removed audit records. Run `simpul audit verify` and investigate."
            ) % {"entry": result.broken_entry_id, "reason": result.reason, "checked": result.checked}
        else:
            body = _(
                "The audit trail does not end where its head says: %(reason)s.\n"
                "The %(checked)d entries present link correctly.\n\n"
                "Someone removed or rewrote audit records. Run `simpul audit verify` and investigate."
            ) % {"reason": result.reason, "checked": result.checked}
        send_mail(
            _("[Simpul] Audit trail verification failed"),
            body,
            settings.SERVER_EMAIL,
            recipients,
            fail_silently=True,  # the error log line and the FAILED job remain even if mail is down
        )
    raise AuditChainBroken(f"{where}: {result.reason}")


@task()
def prune_finished_tasks(days: int | None = None) -> dict:
    """Delete finished job results and old scheduler slots older than `days` (SIMPUL_TASK_RESULT_DAYS) days."""
    if days is None:
        days = settings.SIMPUL_TASK_RESULT_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    deleted_results, _detail = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    # A slot row must outlive its own interval, or a worker could enqueue the same slot again; so only
    # rows of slots that are already over (and old) are removed.
    now_ts = timezone.now().timestamp()
    stale = Q()
    for path, interval in settings.SIMPUL_SCHEDULE.items():
        stale |= Q(task_path=path, slot__lt=int(now_ts // interval))
    stale |= ~Q(task_path__in=list(settings.SIMPUL_SCHEDULE))
    deleted_slots, _detail = ScheduledRun.objects.filter(stale, enqueued_at__lte=cutoff).delete()
    logger.info("Pruned %d finished job results and %d scheduler slots.", deleted_results, deleted_slots)
    return {"task_results": deleted_results, "scheduled_runs": deleted_slots}
