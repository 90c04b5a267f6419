"""Notifications: tell users about what needs their attention, in their inbox and by e-mail.

A module calls `notify(recipients, title, body, link=..., record=...)` where the change happens, inside
the change's transaction (usually in its service, right after `workflow.transition()`). The rows are
written with the change, so a rolled-back change notifies nobody; after the commit one background job
(`send_notification_emails`) mails the recipients that have an e-mail address and marks the rows
`emailed_at`. Who to tell is best asked of the grants, not of role names:
`permissions.users_who_may("change", record)`.

Notifications are the recipient's own mail: the inbox reads `recipient=request.user`, never through grants,
and they are not audited business records (a bulk insert writes them).

A notification is stored as text, so it is written in the site language (settings.LANGUAGE_CODE), not in
the language of the one who acted: an Admin browsing in English must not send an operator English mail
(users have no language of their own). A title or body that needs translating is therefore passed as a
`Message`, which notify() renders under the site language:

    notify(people, Message(_("Self-assessment accepted: %(item)s"), item=assessment), ...)

with `_` = gettext_lazy. Its params are rendered there too: lazy strings, model instances (their
`__str__`), other Messages, and dates and moments (as `simpul.core.formats.date_text`/`datetime_text`);
anything else is %-formatted as it is. A plain str is for text with nothing to translate (a user's note).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_tasks import task

from simpul.core import formats
from simpul.core.models import Notification


class Message:
    """A text to be rendered later, in whatever language is active then: `template` (a gettext_lazy
    string, or a plain str with nothing to translate) %-formatted with `params`. notify() renders it in
    the site language (see the module docstring)."""

    __slots__ = ("params", "template")

    def __init__(self, template, /, **params):
        self.template = template
        self.params = params

    def __str__(self) -> str:
        text = str(self.template)
        if not self.params:
            return text
        return text % {name: _param_text(value) for name, value in self.params.items()}

    def __repr__(self) -> str:
        return f"Message({str(self.template)!r}, **{self.params!r})"


def _param_text(value):
    if isinstance(value, datetime.datetime):
        return formats.datetime_text(value)
    if isinstance(value, datetime.date):
        return formats.date_text(value)
    if isinstance(value, Promise | Message | models.Model):
        return str(value)  # now, in the language being rendered
    return value  # numbers and plain text: %s or %d as the template asks


def site_text(text) -> str:
    """A title or body (a Message, a lazy string, a str) as text in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _user_ids(recipients) -> list[int]:
    if isinstance(recipients, models.QuerySet):
        return list(recipients.values_list("pk", flat=True))
    ids = []
    for recipient in recipients or ():
        ids.append(recipient if isinstance(recipient, int) else recipient.pk)
    return ids


def notify(
    recipients: Iterable | models.QuerySet,
    title: Message | str,
    body: Message | str = "",
    link: str = "",
    record: models.Model | None = None,
    *,
    verb: str = "",
    exclude=None,
) -> list[Notification]:
    """Write one notification per active recipient (users, user ids or a user queryset; each once) and,
    after the commit, mail them in one background job. `exclude` (a user) is left out: the one who acted
    needs no message about it. `title` and `body` are written in the site language (a `Message` to
    translate, a str as it is). Returns the rows written."""
    ids = set(_user_ids(recipients))
    if exclude is not None and getattr(exclude, "pk", None):
        ids.discard(exclude.pk)
    if not ids:
        return []
    active = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk").values_list("pk", flat=True)
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True) if record is not None else None
    object_id = str(record.pk) if record is not None else ""
    if not link and record is not None and hasattr(record, "get_absolute_url"):
        link = record.get_absolute_url() or ""
    title, body = site_text(title)[:300], site_text(body)
    rows = [
        Notification(
            recipient_id=user_id,
            verb=verb[:60],
            title=title,
            body=body,
            link=link[:500],
            content_type=content_type,
            object_id=object_id,
        )
        for user_id in active
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    new_ids = [row.pk for row in created]
    if all(new_ids):
        transaction.on_commit(lambda: send_notification_emails.enqueue(new_ids))
    return created


def unread_count(user) -> int:
    """The number of the user's unread notifications (the navbar badge)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them, or those ids); returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())  # audit: notifications are not audited records


def absolute(link: str) -> str:
    """The link as a full URL for an e-mail (SIMPUL_BASE_URL in front of a path), else as it is."""
    base = getattr(settings, "SIMPUL_BASE_URL", "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


@task()
def send_notification_emails(notification_ids: list[int]) -> dict:
    """Mail each not yet mailed notification to its recipient (those with an e-mail address) and set
    `emailed_at`; returns the counts. Run by `simpul worker` after the commit of `notify()`."""
    rows = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    sent = 0
    for row in rows:
        message = row.body
        if row.link:
            message = f"{message}\n\n{absolute(row.link)}".strip()
        send_mail(
            f"[Simpul] {row.title}", message, settings.DEFAULT_FROM_EMAIL, [row.recipient.email], fail_silently=False
        )
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
        sent += 1
    return {"notifications": len(notification_ids), "emailed": sent}
