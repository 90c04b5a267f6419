"""The notification kit: notify() writes one row per active recipient and mails them in one job after the
commit; `users_who_may()` finds recipients by the grants; the inbox shows only the user's own rows."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from simpul.core import notifications, permissions
from simpul.core.models import Notification
from simpul.core.notifications import Message, notify, send_notification_emails
from simpul.organizations.models import User


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def people(world):
    world.operator_a1.email = "op-a1@akab.go.id"
    world.operator_a1.save()
    world.operator_a2.email = ""  # in-app only
    world.operator_a2.save()
    world.asn_a1.email = "asn@akab.go.id"
    world.asn_a1.is_active = False
    world.asn_a1.save()
    return world


def test_notify_writes_rows_and_mails_after_commit_in_one_job(people, django_capture_on_commit_callbacks):
    w = people
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify(
            [w.operator_a1, w.operator_a1, w.operator_a2.pk, w.asn_a1],
            "Indikator ditugaskan",
            "Periode 2024",
            link="/evaluation/",
            record=w.a1,
            verb="test.assigned",
        )
    # Each recipient once; the inactive user gets nothing.
    assert sorted(row.recipient_id for row in rows) == sorted([w.operator_a1.pk, w.operator_a2.pk])
    assert len(callbacks) == 1
    jobs = DBTaskResult.objects.filter(task_path="simpul.core.notifications.send_notification_emails")
    assert jobs.count() == 1
    assert mail.outbox == []  # not in the request: the job sends

    summary = send_notification_emails.call([row.pk for row in rows])
    assert summary == {"notifications": 2, "emailed": 1}
    assert [message.to for message in mail.outbox] == [["op-a1@akab.go.id"]]
    assert mail.outbox[0].subject == "[Simpul] Indikator ditugaskan"
    assert "/evaluation/" in mail.outbox[0].body
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[w.operator_a1.pk] is not None
    assert emailed[w.operator_a2.pk] is None  # no address: in-app only
    row = Notification.objects.get(recipient=w.operator_a1)
    assert (row.content_type.model, row.object_id, row.verb) == ("perangkatdaerah", str(w.a1.pk), "test.assigned")

    # Run twice (a retried job): nothing is mailed again.
    send_notification_emails.call([row.pk for row in rows])
    assert len(mail.outbox) == 1


def test_notify_writes_the_site_language_whatever_language_the_actor_uses(people, settings):
    """An Admin browsing in English tells an operator in Indonesian (LANGUAGE_CODE): the template, a lazy
    param and a date param are all rendered in the site language, a plain str is written as it is."""
    assert settings.LANGUAGE_CODE == "id"
    due = datetime.date(2026, 12, 7)
    title = Message(gettext_lazy("Self-assessment due: %(date)s"), date=due)
    body = Message("%(language)s; %(note)s", language=gettext_lazy("Indonesian"), note="Catatan 100%")
    with translation.override("en"):
        [row] = notify([people.operator_a1], title, body)
        # The Message itself stays lazy: rendered elsewhere, it speaks the active language.
        assert str(title) == "Self-assessment due: 7 Dec 2026"
        [plain] = notify([people.operator_a1], "Teks tanpa terjemahan 50%")
    row.refresh_from_db()
    assert (row.title, row.body) == ("Tenggat penilaian mandiri: 7 Des 2026", "Bahasa Indonesia; Catatan 100%")
    assert Notification.objects.get(pk=plain.pk).title == "Teks tanpa terjemahan 50%"


def test_notify_nobody_writes_nothing_and_queues_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify([people.asn_a1], "x") == []
        assert notify(User.objects.none(), "x") == []
        assert notify([people.operator_a1], "x", exclude=people.operator_a1) == []
    assert callbacks == []
    assert not Notification.objects.exists()


def test_users_who_may_follows_grants_and_scope(world):
    # An OPD's record: its own OPD's operators may change it, the instansi's admin too; not another OPD's
    # operator, not another instansi's admin.
    assert set(permissions.users_who_may("change", world.a1)) >= {world.admin_a}
    assert world.admin_b not in permissions.users_who_may("change", world.a1)
    assert world.operator_a2 not in permissions.users_who_may("change", world.a1)
    # Nobody is granted review on an OPD.
    assert not permissions.users_who_may("review", world.a1).exists()
    world.admin_a.is_active = False
    world.admin_a.save()
    assert world.admin_a not in permissions.users_who_may("change", world.a1)


def test_inbox_lists_only_own_notifications_newest_first(people):
    w = people
    notify([w.operator_a1], "Pertama")
    notify([w.operator_a1], "Kedua")
    notify([w.operator_a2], "Punya orang lain")
    html = client_for(w.operator_a1).get(reverse("core:inbox")).content.decode()
    assert html.index("Kedua") < html.index("Pertama")
    assert "Punya orang lain" not in html
    assert 'data-testid="unread-badge"' in html
    assert ">2</span>" in html


def test_opening_marks_read_and_redirects_only_to_own_local_link(people):
    w = people
    [mine] = notify([w.operator_a1], "Dikembalikan", link="/evaluation/")
    [theirs] = notify([w.operator_a2], "Rahasia", link="/evaluation/")
    [outside] = notify([w.operator_a1], "Luar", link="https://evil.example/")
    client = client_for(w.operator_a1)
    assert client.get(reverse("core:notification_open", args=[mine.pk])).status_code == 405  # POST only
    response = client.post(reverse("core:notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/evaluation/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert client.post(reverse("core:notification_open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.post(reverse("core:notification_open", args=[outside.pk]))["Location"] == reverse("core:inbox")


def test_mark_all_read_and_badge(people):
    w = people
    notify([w.operator_a1], "Satu")
    notify([w.operator_a1], "Dua")
    notify([w.operator_a2], "Tiga")
    client = client_for(w.operator_a1)
    assert client.get(reverse("home")).context["unread_notifications"] == 2
    assert notifications.unread_count(w.operator_a1) == 2
    assert client.post(reverse("core:inbox_read_all")).status_code == 302
    assert notifications.unread_count(w.operator_a1) == 0
    assert notifications.unread_count(w.operator_a2) == 1
    html = client.get(reverse("core:inbox")).content.decode()
    assert 'data-testid="unread-badge"' not in html


def test_inbox_needs_sign_in(db):
    response = Client().get(reverse("core:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]
