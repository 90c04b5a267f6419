"""The public intake (web form /lapor/, anonymous POST /api/servicedesk/tickets/) and the public tracking
(/lacak/<code>/, /api/servicedesk/track/<code>/): what a citizen may do without an account, what they read,
idempotent retries, rate limits and refused uploads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings
from rest_framework.test import APIClient

from simpul.architecture.models import Element
from simpul.core import services as core_services
from simpul.core.models.audit import AuditEntry
from simpul.servicedesk import services
from simpul.servicedesk.choices import Channel, ReplyKind, TicketKind
from simpul.servicedesk.models import AssignmentGroup, IntakeKey, Ticket, TicketAttachment
from simpul.servicedesk.services import intake

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Each test counts in a cache of its own, so that no limit carries over from another test (or another run).
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "intake-tests"}}


@pytest.fixture
def public(world, english):
    """The world with a service desk group of instansi A receiving unrouted tickets and a published service
    of OPD A2 (`world.simpeg`)."""
    world.desk = core_services.create_object(
        world.admin_a, AssignmentGroup(opd=world.a1, name="Helpdesk Diskominfo", receives_unrouted=True)
    )
    world.simpeg = Element.objects.create(
        owner=world.a2, domain="aplikasi", archimate_type="ApplicationComponent", name="SIMPEG", published=True
    )
    with override_settings(CACHES=LOCAL_CACHE):
        from django.core.cache import cache

        cache.clear()
        yield world
        cache.clear()


def _form(world, **fields):
    data = {
        "instansi": world.inst_a.pk,
        "subject": "Jalan rusak di depan kantor",
        "description": "Lubang besar sejak minggu lalu.",
        "reporter_name": "Siti",
        "reporter_email": "siti@example.org",
        "reporter_phone": "081234567890",
        "token": "t-1",
    }
    data.update(fields)
    return data


def test_anonymous_web_submission_gives_a_tracking_code(client, public):
    response = client.get("/lapor/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content

    response = client.post("/lapor/", _form(public, service=public.simpeg.pk))

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.context["code"] == ticket.code
    assert f"/lacak/{ticket.code}/" in response.context["tracking_url"]
    assert ticket.kind == TicketKind.COMPLAINT
    assert ticket.channel == Channel.WEB
    assert ticket.reporter is None
    # Routed and given its SLA as an agent's ticket: to the owner of the service named.
    assert ticket.opd == public.a2
    assert ticket.priority and ticket.first_response_due and ticket.resolution_due
    # The audit trail names no user but the public channel.
    entry = AuditEntry.objects.filter(object_id=str(ticket.pk), content_type__model="ticket").get()
    assert entry.actor_id is None
    assert entry.source == "public"


def test_web_form_refuses_csrf_less_posts(public):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/lapor/", _form(public))
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_web_resubmission_of_the_same_form_makes_one_ticket(client, public):
    first = client.post("/lapor/", _form(public))
    again = client.post("/lapor/", _form(public))
    assert first.context["code"] == again.context["code"]
    assert Ticket.objects.count() == 1


def test_a_complaint_without_service_goes_to_the_service_desk(public):
    receipt = intake.submit_public(
        kind=TicketKind.COMPLAINT, subject="Lampu jalan mati", description="Di jalan utama.", instansi=public.inst_a
    )
    assert receipt.ticket.opd == public.a1
    assert receipt.ticket.group == public.desk


def test_tracking_shows_public_replies_and_hides_notes_and_contact_data(client, public):
    ticket = intake.submit_public(
        kind=TicketKind.COMPLAINT,
        subject="Air PDAM keruh",
        description="Sejak kemarin.",
        reporter_name="Siti Rahma",
        reporter_email="siti.rahma@example.org",
        reporter_phone="081298765432",
        instansi=public.inst_a,
    ).ticket
    services.add_reply(public.admin_a, ticket, body="Kami sedang menindaklanjuti.", kind=ReplyKind.PUBLIC)
    services.add_reply(public.admin_a, ticket, body="Catatan rahasia petugas.", kind=ReplyKind.INTERNAL)
    other = intake.submit_public(
        kind=TicketKind.COMPLAINT, subject="Tiket orang lain", description="Lain.", instansi=public.inst_a
    ).ticket

    page = client.get(f"/lacak/{ticket.code.lower()}/")
    api = APIClient().get(f"/api/servicedesk/track/{ticket.code}/")

    assert page.status_code == 200
    assert api.status_code == 200
    body = api.json()
    assert body["code"] == ticket.code
    assert body["status"] == "new"
    assert body["kind"] == "complaint"
    assert [reply["body"] for reply in body["replies"]] == ["Kami sedang menindaklanjuti."]
    for text in (page.content.decode(), api.content.decode()):
        assert "Kami sedang menindaklanjuti." in text
        assert "Catatan rahasia petugas." not in text
        for secret in ("Siti Rahma", "siti.rahma@example.org", "081298765432", other.code, "Tiket orang lain"):
            assert secret not in text


def test_an_unknown_code_is_404_as_any_other(client, public):
    ticket = intake.submit_public(
        kind=TicketKind.COMPLAINT, subject="Ada", description="Ada.", instansi=public.inst_a
    ).ticket
    wrong = ticket.code[:-1] + ("2" if ticket.code[-1] != "2" else "3")
    pages = [client.get(f"/lacak/{code}/") for code in (wrong, "TK-0000-0000", "x")]
    apis = [APIClient().get(f"/api/servicedesk/track/{code}/") for code in (wrong, "TK-0000-0000", "x")]
    assert {response.status_code for response in pages + apis} == {404}
    assert len({response.content for response in apis}) == 1
    # The code form goes to the code's page.
    assert client.get("/lacak/", {"code": f" {ticket.code.lower()} "})["Location"] == f"/lacak/{ticket.code}/"


@override_settings(SIMPUL_RATE_SERVICEDESK_INTAKE="2/min", SIMPUL_RATE_ANON="")
def test_public_submissions_are_rate_limited_per_address(client, public):
    for number in range(2):
        assert client.post("/lapor/", _form(public, token=f"t{number}")).status_code == 201
    refused = client.post("/lapor/", _form(public, token="t9"))
    assert refused.status_code == 429
    assert refused["Retry-After"]
    # The message is core's throttle's, in the site language (the page is served in Indonesian).
    assert refused.context["refused"]
    assert str(refused.context["refused"]) in refused.content.decode()

    api = APIClient()
    refused_api = api.post(
        "/api/servicedesk/tickets/", {"subject": "x", "description": "y", "instansi": public.inst_a.pk}, format="json"
    )
    assert refused_api.status_code == 429
    assert Ticket.objects.count() == 2
    # Another address has a count of its own.
    other = api.post(
        "/api/servicedesk/tickets/",
        {"subject": "x", "description": "y", "instansi": public.inst_a.pk},
        format="json",
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 201


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("bukti.exe", b"MZ\x90\x00", "file_type"), ("bukti.pdf", PDF + b"x" * 2048, "file_size")],
)
@override_settings(SIMPUL_UPLOAD_MAX_BYTES=1024)
def test_oversize_or_wrong_type_uploads_are_refused_and_nothing_is_stored(client, public, name, content, message):
    good = SimpleUploadedFile("foto.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile(name, content)
    response = client.post("/lapor/", {**_form(public), "attachments": [good, bad]})
    assert response.status_code == 400
    # The refused file is named with core's reason (served in the site language: checked by its code).
    errors = response.context["form"].errors.as_data()["attachments"]
    assert errors[0].message.startswith(f"{name}: ")
    assert message == errors[0].code
    assert not Ticket.objects.exists()
    assert not TicketAttachment.objects.exists()

    api = APIClient().post(
        "/api/servicedesk/tickets/",
        {
            "subject": "x",
            "description": "y",
            "instansi": public.inst_a.pk,
            "attachments": [SimpleUploadedFile(name, content)],
        },
        format="multipart",
    )
    assert api.status_code == 400
    assert name in api.content.decode()
    assert not Ticket.objects.exists()


def test_an_accepted_attachment_is_stored_with_the_ticket(public, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    response = APIClient().post(
        "/api/servicedesk/tickets/",
        {
            "subject": "Foto",
            "description": "Lihat lampiran.",
            "instansi": public.inst_a.pk,
            "attachments": [SimpleUploadedFile("foto.pdf", PDF)],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(code=response.json()["code"])
    assert [item.original_name for item in ticket.attachments.all()] == ["foto.pdf"]
    assert ticket.channel == Channel.API


def test_an_idempotent_api_retry_returns_the_same_code(public):
    api = APIClient()
    body = {
        "kind": "complaint",
        "subject": "Aplikasi lambat",
        "description": "Sejak pagi.",
        "service": public.simpeg.pk,
    }
    first = api.post("/api/servicedesk/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = api.post("/api/servicedesk/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == 201
    assert set(first.json()) == {"code", "tracking_url"}
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    assert IntakeKey.objects.get().ticket.code == first.json()["code"]


def test_the_same_key_with_another_body_is_refused(public):
    api = APIClient()
    body = {"subject": "Aplikasi lambat", "description": "Sejak pagi.", "instansi": public.inst_a.pk}
    api.post("/api/servicedesk/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    refused = api.post(
        "/api/servicedesk/tickets/", {**body, "subject": "Lain"}, format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "idempotency_conflict"
    assert Ticket.objects.count() == 1


def test_a_concurrent_retry_that_loses_the_race_returns_the_winners_ticket(public, monkeypatch):
    """Two attempts with one key both find no key, then both store: the unique constraint refuses the second
    key, its ticket is rolled back, and it answers with the first attempt's ticket."""
    fields = {
        "kind": TicketKind.COMPLAINT,
        "subject": "Server down",
        "description": "Tidak bisa login.",
        "instansi": public.inst_a,
        "idempotency_key": "race-1",
    }
    winner = {}
    real_replay = intake._replay
    calls = []

    def replay_then_race(key, print_):
        calls.append(key)
        if len(calls) == 1:
            # The other attempt commits its ticket and key between this attempt's check and its insert.
            with monkeypatch.context() as patch:
                patch.setattr(intake, "_replay", real_replay)
                winner["ticket"] = intake.submit_public(**fields).ticket
            return None
        return real_replay(key, print_)

    monkeypatch.setattr(intake, "_replay", replay_then_race)
    receipt = intake.submit_public(**fields)

    assert receipt.replayed
    assert receipt.ticket.pk == winner["ticket"].pk
    assert Ticket.objects.count() == 1
    assert IntakeKey.objects.count() == 1


def test_the_key_is_unique_in_the_database(public):
    ticket = intake.submit_public(
        kind=TicketKind.COMPLAINT, subject="a", description="b", instansi=public.inst_a, idempotency_key="k"
    ).ticket
    with pytest.raises(IntegrityError):
        IntakeKey.objects.create(key="k", instansi=public.inst_a, ticket=ticket, fingerprint="0" * 64)


@pytest.mark.parametrize("kind", ["incident", "problem", "request", "change"])
def test_anonymous_clients_may_submit_only_complaints(client, public, kind):
    response = APIClient(headers={"accept-language": "en"}).post(
        "/api/servicedesk/tickets/",
        {"kind": kind, "subject": "x", "description": "y", "instansi": public.inst_a.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["kind"] == [
        "Without an account only a complaint can be submitted. Sign in to report anything else."
    ]
    assert not Ticket.objects.exists()


def test_a_signed_in_user_may_submit_an_incident_by_the_intake(public):
    receipt = intake.submit_public(
        kind=TicketKind.INCIDENT,
        subject="Printer rusak",
        description="Di ruang rapat.",
        instansi=public.inst_a,
        channel=Channel.PORTAL,
        user=public.asn_a1,
    )
    assert receipt.ticket.reporter == public.asn_a1
    assert receipt.ticket.kind == TicketKind.INCIDENT


def test_an_unpublished_or_foreign_element_is_refused(public):
    hidden = Element.objects.create(
        owner=public.a2, domain="aplikasi", archimate_type="ApplicationComponent", name="Rahasia", published=False
    )
    foreign = Element.objects.create(
        owner=public.b1, domain="layanan", archimate_type="BusinessService", name="Layanan B", published=True
    )
    for element in (hidden, foreign):
        with pytest.raises(ValidationError) as refused:
            intake.submit_public(
                kind=TicketKind.COMPLAINT, subject="a", description="b", instansi=public.inst_a, element=element
            )
        assert "service" in refused.value.message_dict
    assert not Ticket.objects.exists()


def test_signed_in_agents_keep_the_agent_create(public):
    api = APIClient()
    api.force_authenticate(public.operator_a1)
    response = api.post(
        "/api/servicedesk/tickets/", {"subject": "Gangguan jaringan", "opd": public.a1.pk, "kind": "incident"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["opd"] == public.a1.pk
    assert "status" in response.json()


def test_without_a_service_desk_group_the_citizen_is_asked_to_name_the_service(public):
    # Instansi B has no group receiving unrouted tickets.
    with pytest.raises(ValidationError) as refused:
        intake.submit_public(kind=TicketKind.COMPLAINT, subject="a", description="b", instansi=public.inst_b)
    assert list(refused.value.message_dict) == ["service"]
    assert not Ticket.objects.exists()


def test_a_changed_resend_of_a_sent_form_is_offered_again_as_a_new_complaint(client, public):
    client.post("/lapor/", _form(public))
    changed = client.post("/lapor/", _form(public, subject="Perihal lain"))
    assert changed.status_code == 409
    assert changed.context["form"].non_field_errors()
    new_token = changed.context["form"]["token"].value()
    assert new_token != "t-1"
    again = client.post("/lapor/", _form(public, subject="Perihal lain", token=new_token))
    assert again.status_code == 201
    assert Ticket.objects.count() == 2
