"""Background jobs that any module may enqueue: e-mail.

Modules enqueue work with `task.enqueue(...)`; `simpul worker` runs it. Every task is also a plain
function (`task.call(...)`), so services and tests can run the same code without a queue. The import
machinery defines its own task (`importjobs.run_import_job`); the platform's periodic jobs are the ops
app's (`simpul/ops/tasks.py`).
"""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_mail_task(
    subject: str,
    message: str,
    recipient_list: list[str],
    from_email: str | None = None,
    html_message: str | None = None,
) -> int:
    """Send one e-mail outside the request; returns the number of messages delivered (0 or 1)."""
    return send_mail(
        subject,
        message,
        from_email or settings.DEFAULT_FROM_EMAIL,
        recipient_list,
        html_message=html_message,
        fail_silently=False,
    )
