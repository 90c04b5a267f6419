"""The audit trail: every write path leaves a correct entry, history pages show them, tampering is found."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from simpul.core import services
from simpul.core.audit import MASK, verify_chain
from simpul.core.context import acting
from simpul.core.models import AuditEntry
from simpul.core.models.audit import AuditAction
from simpul.organizations.models import Instansi, PerangkatDaerah, User

REQUEST_ID = "req-audit-0001"
IP = "10.1.2.3"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en", "x-request-id": REQUEST_ID}, REMOTE_ADDR=IP)


def entries_for(obj) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("id"))


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


# --- Write paths ----------------------------------------------------------------------------------


def test_ui_create_edit_delete_are_recorded(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:perangkatdaerah_add"),
        {"instansi": world.inst_a.pk, "name": "Dinas Baru", "short_name": "BARU", "kind": "dinas"},
    )
    assert response.status_code == 302
    opd = PerangkatDaerah.objects.get(short_name="BARU")
    created = last_entry()
    assert (created.action, created.actor, created.actor_repr) == (AuditAction.CREATE, world.admin_a, "admin-a")
    assert (created.ip_address, created.request_id, created.source) == (IP, REQUEST_ID, "web")
    assert (created.object_id, created.instansi_id, created.opd_id) == (str(opd.pk), world.inst_a.pk, opd.pk)
    assert created.changes["name"] == [None, "Dinas Baru"]
    assert created.changes["instansi_id"] == [None, world.inst_a.pk]
    assert "updated_at" not in created.changes

    response = client.post(
        reverse("organizations:perangkatdaerah_edit", args=[opd.pk]),
        {"instansi": world.inst_a.pk, "name": "Dinas Baru Sekali", "short_name": "BARU", "kind": "dinas"},
    )
    assert response.status_code == 302
    updated = last_entry()
    assert updated.action == AuditAction.UPDATE
    # Only what changed, with its value before and after.
    assert updated.changes == {"name": ["Dinas Baru", "Dinas Baru Sekali"]}
    assert (updated.actor, updated.ip_address, updated.request_id) == (world.admin_a, IP, REQUEST_ID)

    # Saving the form without changes writes no entry.
    count = AuditEntry.objects.count()
    client.post(
        reverse("organizations:perangkatdaerah_edit", args=[opd.pk]),
        {"instansi": world.inst_a.pk, "name": "Dinas Baru Sekali", "short_name": "BARU", "kind": "dinas"},
    )
    assert AuditEntry.objects.count() == count

    response = client.post(reverse("organizations:perangkatdaerah_delete", args=[opd.pk]))
    assert response.status_code == 302
    deleted = last_entry()
    assert (deleted.action, deleted.object_id, deleted.actor) == (AuditAction.DELETE, str(opd.pk), world.admin_a)
    assert deleted.changes["short_name"] == ["BARU", None]
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(opd.pk), content_type=created.content_type)][
        ::-1
    ] == ["create", "update", "delete"]


def test_password_is_masked_and_its_change_recorded(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:user_add"),
        {
            "username": "baru",
            "full_name": "Pengguna Baru",
            "instansi": world.inst_a.pk,
            "opd": world.a1.pk,
            "is_active": "on",
            "password1": "Rahasia-Sangat-Panjang-1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="baru")
    created = last_entry()
    assert created.changes["password"] == [None, MASK]
    assert "last_login" not in created.changes and "date_joined" not in created.changes
    old_hash = user.password

    response = client.post(
        reverse("organizations:user_edit", args=[user.pk]),
        {
            "username": "baru",
            "full_name": "Pengguna Baru",
            "instansi": world.inst_a.pk,
            "opd": world.a1.pk,
            "is_active": "on",
            "password1": "Rahasia-Lain-Panjang-22",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash
    changed = last_entry()
    assert changed.object_id == str(user.pk)
    assert changed.changes == {"password": [MASK, MASK]}
    stored = str(AuditEntry.objects.values_list("changes", flat=True))
    assert old_hash not in stored and user.password not in stored


def test_services_record_the_acting_user(world):
    opd = PerangkatDaerah(instansi=world.inst_a, name="Dinas Layanan", short_name="LAYANAN", kind="dinas")
    services.create_object(world.admin_a, opd)
    entry = last_entry()
    assert (entry.action, entry.object_id, entry.actor) == (AuditAction.CREATE, str(opd.pk), world.admin_a)

    opd.head_name = "Kepala Baru"
    services.update_object(world.admin_a, opd)
    entry = last_entry()
    assert (entry.action, entry.actor, entry.changes) == (
        AuditAction.UPDATE,
        world.admin_a,
        {"head_name": ["", "Kepala Baru"]},
    )

    services.delete_object(world.admin_a, opd)
    entry = last_entry()
    assert (entry.action, entry.actor) == (AuditAction.DELETE, world.admin_a)


def test_shell_writes_with_acting_name_the_user(world):
    with acting(world.admin_a, source="shell", request_id="shell-42"):
        instansi = Instansi.objects.get(pk=world.inst_a.pk)
        instansi.address = "Jl. Merdeka 1"
        instansi.save()
    entry = last_entry()
    assert (entry.action, entry.actor, entry.source, entry.request_id) == (
        AuditAction.UPDATE,
        world.admin_a,
        "shell",
        "shell-42",
    )
    assert entry.ip_address is None
    assert entry.changes == {"address": ["", "Jl. Merdeka 1"]}
    # Outside `acting` the writer is the system.
    Instansi.objects.filter(pk=instansi.pk).first().save()  # unchanged: nothing written
    assert last_entry() == entry
    instansi.address = "Jl. Merdeka 2"
    instansi.save()
    assert (last_entry().actor, last_entry().source) == (None, "system")


def test_import_records_every_row(world, client):
    client.force_login(world.admin_a)
    content = "instansi,name,short_name,kind\ninst-a,Dinas Impor Satu,IMP1,dinas\ninst-a,Dinas Impor Dua,IMP2,dinas\n"
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("organizations:perangkatdaerah_import"),
        {"file": SimpleUploadedFile("opd.csv", content.encode(), "text/csv"), "mode": "import"},
    )
    assert response.status_code == 302
    new = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.object_repr for e in new] == ["IMP1", "IMP2"]
    assert {(e.action, e.actor_id, e.ip_address, e.request_id) for e in new} == {
        (AuditAction.CREATE, world.admin_a.pk, IP, REQUEST_ID)
    }


# --- Where entries are shown ----------------------------------------------------------------------


def test_detail_page_shows_history(world, client):
    with acting(world.admin_a, source="shell"):
        world.a1.head_name = "Ibu Kepala"
        world.a1.save()
    client.force_login(world.admin_a)
    response = client.get(reverse("organizations:perangkatdaerah_detail", args=[world.a1.pk]))
    assert response.status_code == 200
    history = list(response.context["history"])
    assert [e.action for e in history] == ["update", "create"]
    content = response.content.decode()
    assert 'data-testid="history-entry"' in content
    assert "Ibu Kepala" in content and "admin-a" in content
    # In the default language the section is called "Riwayat".
    response = Client(headers={"accept-language": "id"})
    response.force_login(world.admin_a)
    assert (
        "Riwayat" in response.get(reverse("organizations:perangkatdaerah_detail", args=[world.a1.pk])).content.decode()
    )


def _listed(client, **params) -> set[int]:
    response = client.get(reverse("core:auditentry_list"), {"per_page": 250, **params})
    assert response.status_code == 200
    return {entry.pk for entry in response.context["table"].data}


def test_audit_list_filters(world, client):
    with acting(world.admin_a, source="shell"):
        world.a1.head_name = "Pak Kepala"
        world.a1.save()
        world.asn_a1.full_name = "Asn Baru"
        world.asn_a1.save()
    opd_update, user_update = AuditEntry.objects.order_by("-id")[1], last_entry()
    old = AuditEntry.objects.filter(instansi_id=world.inst_a.pk).order_by("id").first()
    AuditEntry.objects.filter(pk=old.pk).update(timestamp=old.timestamp - datetime.timedelta(days=30))
    client.force_login(world.auditor_a)
    in_a = set(AuditEntry.objects.filter(instansi_id=world.inst_a.pk).values_list("pk", flat=True))

    assert _listed(client) == in_a
    updates_in_a = AuditEntry.objects.filter(instansi_id=world.inst_a.pk, action="update")
    assert _listed(client, action="update") == set(updates_in_a.values_list("pk", flat=True))
    assert {opd_update.pk, user_update.pk} < in_a
    assert _listed(client, action="delete") == set()
    opd_type = ContentType.objects.get_for_model(PerangkatDaerah)
    assert _listed(client, content_type=opd_type.pk) == set(
        AuditEntry.objects.filter(instansi_id=world.inst_a.pk, content_type=opd_type).values_list("pk", flat=True)
    )
    assert _listed(client, actor_repr="admin-a") == {opd_update.pk, user_update.pk}
    assert _listed(client, q="Pak Kepala") == set()  # search covers names and ids, not changed values
    assert _listed(client, q="A1") >= {opd_update.pk}
    today = old.timestamp.date() + datetime.timedelta(days=1)
    assert _listed(client, timestamp_before=(today - datetime.timedelta(days=2)).isoformat()) == {old.pk}
    assert old.pk not in _listed(client, timestamp_after=(today - datetime.timedelta(days=2)).isoformat())
    assert _listed(client, request_id=user_update.request_id) == {opd_update.pk, user_update.pk}
    # An entry of instansi B is not reachable by A's auditor, with or without filters.
    entry_b = AuditEntry.objects.filter(instansi_id=world.inst_b.pk).first()
    assert entry_b.pk not in _listed(client, action="create")
    assert client.get(reverse("core:auditentry_detail", args=[entry_b.pk])).status_code == 404


def test_audit_entry_detail_shows_changes_and_hashes(world, client):
    client.force_login(world.auditor_a)
    entry = AuditEntry.objects.filter(instansi_id=world.inst_a.pk).first()
    response = client.get(reverse("core:auditentry_detail", args=[entry.pk]))
    assert response.status_code == 200
    assert entry.hash in response.content.decode()


# --- Tampering ------------------------------------------------------------------------------------


def _middle(world) -> AuditEntry:
    ids = list(AuditEntry.objects.order_by("id").values_list("pk", flat=True))
    assert len(ids) >= 5
    return AuditEntry.objects.get(pk=ids[len(ids) // 2])


def test_intact_chain_verifies(world):
    result = verify_chain()
    assert result.ok and result.checked == AuditEntry.objects.count()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "OK" in out.getvalue() and str(result.checked) in out.getvalue()


def test_changed_entry_is_detected(world):
    victim = _middle(world)
    AuditEntry.objects.filter(pk=victim.pk).update(changes={"name": [None, "Dipalsukan"]})
    result = verify_chain()
    assert (result.ok, result.broken_entry_id) == (False, victim.pk)
    assert "altered" in result.reason
    with pytest.raises(CommandError, match=rf"entry {victim.pk}\b"):
        call_command("audit", "verify")


def test_raw_sql_update_is_detected(world):
    victim = _middle(world)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_repr = %s WHERE id = %s", ["orang-lain", victim.pk])  # noqa: S608
    result = verify_chain()
    assert (result.ok, result.broken_entry_id) == (False, victim.pk)
    with pytest.raises(CommandError, match=rf"entry {victim.pk}\b"):
        call_command("audit", "verify")


def test_deleted_middle_entry_is_detected(world):
    victim = _middle(world)
    following = AuditEntry.objects.filter(pk__gt=victim.pk).order_by("id").first()
    AuditEntry.objects.filter(pk=victim.pk).delete()
    result = verify_chain()
    assert (result.ok, result.broken_entry_id) == (False, following.pk)
    assert "removed" in result.reason
    with pytest.raises(CommandError, match=rf"entry {following.pk}\b"):
        call_command("audit", "verify")


def test_recomputed_hash_still_breaks_the_next_link(world):
    # A forger who fixes the hash of the entry they changed still breaks the link from the next entry.
    victim = _middle(world)
    victim.changes = {"name": [None, "Dipalsukan"]}
    AuditEntry.objects.filter(pk=victim.pk).update(changes=victim.changes, hash=victim.compute_hash())
    following = AuditEntry.objects.filter(pk__gt=victim.pk).order_by("id").first()
    result = verify_chain()
    assert (result.ok, result.broken_entry_id) == (False, following.pk)


@pytest.mark.django_db
def test_history_shows_field_labels_not_column_names(world):
    with acting(world.admin_a, source="cli"):
        world.a1.head_name = "Kepala Baru"
        world.a1.save()
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(world.a1), object_id=str(world.a1.pk)
    ).latest("id")
    assert entry.change_rows() == [(str(world.a1._meta.get_field("head_name").verbose_name), "", "Kepala Baru")]


@pytest.mark.django_db
def test_history_shows_choice_labels_not_stored_values(world):
    from django.utils import translation

    with acting(world.admin_a, source="cli"):
        world.a1.kind = "badan"
        world.a1.save()
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(world.a1), object_id=str(world.a1.pk)
    ).latest("id")
    with translation.override("en"):
        assert entry.change_rows() == [("kind", "Service office (dinas)", "Agency (badan)")]


# --- Batched appends (bulk imports) ---------------------------------------------------------------


def _instansi(n: int) -> Instansi:
    return Instansi.objects.create(kind="kabupaten", name=f"Kabupaten Batch {n}", slug=f"batch-{n}")


class _Boom(Exception):
    pass


@pytest.mark.parametrize("buffered", [False, True])
def test_a_batch_extends_the_chain_with_one_entry_per_change(world, buffered):
    from django.db import transaction

    from simpul.core import audit

    before = AuditEntry.objects.count()
    with transaction.atomic(), audit.batch() as chain:
        chain.buffered = buffered
        made = [_instansi(n) for n in range(3)]
        made[0].address = "Jalan Baru"
        made[0].save()
    new = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.object_id) for e in new] == [
        *[("create", str(i.pk)) for i in made],
        ("update", str(made[0].pk)),
    ]
    assert verify_chain().ok


def test_a_batch_refuses_to_commit_an_entry_linked_to_a_rolled_back_one(world):
    from django.db import transaction

    from simpul.core import audit

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="does not link"), transaction.atomic(), audit.batch():
        _instansi(1)
        with pytest.raises(_Boom), transaction.atomic():
            _instansi(2)  # its entry goes with the savepoint ...
            raise _Boom
        _instansi(3)  # ... and, without forget(), this one would link to it
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok


def test_forget_after_a_rolled_back_savepoint_keeps_the_chain_whole(world):
    from django.db import transaction

    from simpul.core import audit

    with transaction.atomic(), audit.batch() as chain:
        _instansi(1)
        with pytest.raises(_Boom), transaction.atomic():
            _instansi(2)
            raise _Boom
        chain.forget()
        _instansi(3)
    assert not Instansi.objects.filter(slug="batch-2").exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_history_names_related_records_and_formats_dates(world):
    from django.utils import translation

    from simpul.organizations.models import PerangkatDaerah

    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(PerangkatDaerah),
        changes={"instansi_id": [world.inst_a.pk, 999999], "created_at": [None, "2026-11-28T01:02:03+00:00"]},
    )
    with translation.override("en"):
        rows = {label: (before, after) for label, before, after in entry.change_rows()}
        instansi_label = str(PerangkatDaerah._meta.get_field("instansi").verbose_name)
        created_label = str(PerangkatDaerah._meta.get_field("created_at").verbose_name)
    # The related record by its name; one deleted since keeps its id.
    assert rows[instansi_label] == (str(world.inst_a), "#999999")
    created = rows[created_label][1]
    assert "2026" in created and "T01" not in created


@pytest.mark.django_db
def test_history_names_related_records_with_one_query_per_model(world, django_assert_num_queries):
    from simpul.organizations.models import Instansi, PerangkatDaerah

    content_type = ContentType.objects.get_for_model(PerangkatDaerah)
    missing = Instansi.objects.order_by("-pk").first().pk + 1
    ids = [
        AuditEntry.objects.create(
            timestamp="2026-11-28T00:00:00Z",
            action="update",
            content_type=content_type,
            object_id=str(world.a1.pk),
            changes={"instansi_id": [world.inst_a.pk, target]},
            prev_hash="0" * 64,
            hash=f"{index:064d}",
        ).pk
        for index, target in enumerate([world.inst_b.pk, missing, world.inst_b.pk, world.inst_a.pk])
    ]
    entries = list(AuditEntry.objects.filter(pk__in=ids).order_by("pk"))
    ContentType.objects.get_for_id(content_type.pk)  # the content-type cache is not what is measured
    with django_assert_num_queries(1):
        shown = [entry.change_rows()[0][1:] for entry in entries]
    assert shown == [
        (str(world.inst_a), str(world.inst_b)),
        (str(world.inst_a), f"#{missing}"),
        (str(world.inst_a), str(world.inst_b)),
        (str(world.inst_a), str(world.inst_a)),
    ]
