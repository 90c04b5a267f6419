"""A password is set only by the organisations service: checked, validated, written and audited there,
whether it comes through the API or the user pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core.audit import MASK
from simpul.core.models import AuditEntry
from simpul.organizations import services
from simpul.organizations.models import User

USERS_URL = "/api/organizations/users/"
STRONG = "Sandi-Baru-Yang-Panjang-7"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def entries_of(account: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type__model="user", object_id=str(account.pk)).order_by("id"))


@pytest.fixture
def calls(monkeypatch):
    """The service calls made, recorded while they still run."""
    made = []
    for name in ("create_account", "set_password"):
        original = getattr(services, name)

        def spy(user, account, password, *args, _name=name, _original=original, **kwargs):
            made.append((_name, user, account.username, password))
            return _original(user, account, password, *args, **kwargs)

        monkeypatch.setattr(services, name, spy)
    return made


def test_the_api_sets_the_password_through_the_service(world, calls):
    account = world.asn_a1
    old_hash, old_name = account.password, account.full_name
    before = entries_of(account)

    response = as_user(world.admin_a).patch(
        f"{USERS_URL}{account.pk}/", {"full_name": "Nama Baru", "password": STRONG}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert "password" not in response.json()
    assert calls == [("set_password", world.admin_a, account.username, STRONG)]
    account.refresh_from_db()
    assert account.check_password(STRONG)
    assert account.full_name == "Nama Baru"
    # One write, one audit entry: the password recorded as changed, its hashes nowhere.
    new = entries_of(account)[len(before) :]
    assert [entry.changes for entry in new] == [{"full_name": [old_name, "Nama Baru"], "password": [MASK, MASK]}]
    assert new[0].source == "api"
    stored = str(AuditEntry.objects.values_list("changes", flat=True))
    assert old_hash not in stored and account.password not in stored


def test_the_api_creates_an_account_with_its_password_through_the_service(world, calls):
    payload = {"username": "pegawai-baru", "opd": world.a2.pk, "password": STRONG}
    response = as_user(world.admin_a).post(USERS_URL, payload, format="json")

    assert response.status_code == 201, response.json()
    assert calls == [("create_account", world.admin_a, "pegawai-baru", STRONG)]
    account = User.objects.get(username="pegawai-baru")
    assert account.check_password(STRONG)
    [created] = entries_of(account)
    assert created.changes["password"] == [None, MASK]


def test_a_password_change_alone_leaves_only_the_password_in_the_trail(world):
    account = world.asn_a1
    response = as_user(world.admin_a).patch(f"{USERS_URL}{account.pk}/", {"password": STRONG}, format="json")
    assert response.status_code == 200
    assert entries_of(account)[-1].changes == {"password": [MASK, MASK]}


@pytest.mark.parametrize("password", ["12345", "password123", "asn-a1-baru"])
def test_a_weak_password_is_a_400_under_the_field_and_changes_nothing(world, password):
    account = world.asn_a1
    old_hash, old_name = account.password, account.full_name
    before = AuditEntry.objects.count()

    response = as_user(world.admin_a).patch(
        f"{USERS_URL}{account.pk}/", {"full_name": "Nama Lain", "password": password}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"password"} and body["password"]
    account.refresh_from_db()
    assert (account.password, account.full_name) == (old_hash, old_name)
    assert AuditEntry.objects.count() == before


def test_a_weak_password_for_a_new_account_creates_nothing(world):
    payload = {"username": "pegawai-lemah", "opd": world.a2.pk, "password": "12345"}
    before = AuditEntry.objects.count()
    response = as_user(world.admin_a).post(USERS_URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"password"}
    assert not User.objects.filter(username="pegawai-lemah").exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator_a1", 403),  # sees the account (same OPD), may change no account
        ("asn_a1", 403),  # the account itself: its own password is changed on the password page
        ("admin_b", 404),  # may change accounts, but not see this one
    ],
)
def test_a_user_without_the_right_cannot_set_a_password_through_the_api(world, who, status):
    account = world.asn_a1
    old_hash = account.password
    response = as_user(getattr(world, who)).patch(f"{USERS_URL}{account.pk}/", {"password": STRONG}, format="json")
    assert response.status_code == status
    account.refresh_from_db()
    assert account.password == old_hash


def test_the_service_refuses_a_user_without_the_right_before_judging_the_password(world):
    account = world.asn_a1
    old_hash = account.password
    before = AuditEntry.objects.count()
    # The operator of the account's own OPD may see it but not change it; a weak password does not
    # turn the refusal into a hint about the password rules.
    for password in (STRONG, "12345"):
        with pytest.raises(PermissionDenied):
            services.set_password(world.operator_a1, account, password)
    with pytest.raises(PermissionDenied):
        services.set_password(world.admin_b, account, STRONG)
    with pytest.raises(PermissionDenied):
        services.create_account(world.admin_a, User(username="di-b", instansi=world.inst_b), STRONG)
    account.refresh_from_db()
    assert account.password == old_hash
    assert not User.objects.filter(username="di-b").exists()
    assert AuditEntry.objects.count() == before


def test_the_service_validates_with_the_account_as_it_will_be(world):
    account = world.asn_a1
    account.email = "rahmawatikusuma@akab.go.id"
    with pytest.raises(ValidationError) as refused:
        services.set_password(world.admin_a, account, "rahmawatikusuma", fields=["email"])
    assert set(refused.value.message_dict) == {"password"}
    account.refresh_from_db()
    assert account.email != "rahmawatikusuma@akab.go.id"


def test_the_user_page_sets_the_password_through_the_service(world, calls):
    client = Client()
    client.force_login(world.admin_a)
    account = world.asn_a1
    old_name = account.full_name
    data = {
        "username": account.username,
        "full_name": "Nama Halaman",
        "instansi": world.inst_a.pk,
        "opd": world.a1.pk,
        "is_active": "on",
        "password1": STRONG,
    }
    response = client.post(reverse("organizations:user_edit", args=[account.pk]), data)
    assert response.status_code == 302
    assert calls == [("set_password", world.admin_a, account.username, STRONG)]
    account.refresh_from_db()
    assert account.check_password(STRONG) and account.full_name == "Nama Halaman"
    assert entries_of(account)[-1].changes == {"full_name": [old_name, "Nama Halaman"], "password": [MASK, MASK]}
