"""API authentication: account tokens (with lockout), API keys, and the audit trail of API writes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from simpul.accounts.services import issue_api_key
from simpul.core import services
from simpul.core.models import ApiKey, AuditEntry
from simpul.organizations.models import PerangkatDaerah
from simpul.organizations.tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/auth/token/"
OPD_URL = "/api/organizations/perangkat-daerah/"
USERS_URL = "/api/organizations/users/"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    # The token endpoint is throttled per client address; the counters live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def issue_key(user, instansi, owner=None, **fields) -> tuple[ApiKey, str]:
    key = ApiKey(name=fields.pop("name", "Sistem uji"), instansi=instansi, owner=owner, user=user, **fields)
    secret = key.issue()
    key.save()
    return key, secret


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- Token -----------------------------------------------------------------------------------------


def test_token_with_right_credentials_works_as_token_and_bearer(world, api):
    response = api.post(TOKEN_URL, {"username": "operator-a1", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == world.operator_a1

    for keyword in ("Token", "Bearer"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
        listed = client.get(USERS_URL)
        assert listed.status_code == 200, keyword
        # The token acts as the operator: only the users of OPD A1.
        assert ids(listed) == {world.operator_a1.pk, world.asn_a1.pk}, keyword


def test_token_is_stable_for_the_same_account(world, api):
    first = api.post(TOKEN_URL, {"username": "admin-a", "password": TEST_PASSWORD}, format="json").json()["token"]
    second = api.post(TOKEN_URL, {"username": "admin-a", "password": TEST_PASSWORD}, format="json").json()["token"]
    assert first == second


def test_token_with_wrong_password_is_refused(world, api):
    response = api.post(TOKEN_URL, {"username": "operator-a1", "password": "salah-sekali-123"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert "token" not in response.json()
    assert not Token.objects.filter(user=world.operator_a1).exists()


def test_unknown_token_is_refused(world, api):
    api.credentials(HTTP_AUTHORIZATION="Bearer " + "0" * 40)
    assert api.get(OPD_URL).status_code == 401


def test_token_lockout_after_five_failures(world, api):
    wrong = {"username": "operator-a1", "password": "salah-sekali-123"}
    for _attempt in range(4):
        assert api.post(TOKEN_URL, wrong, format="json").status_code == 400
    # The fifth failure locks the account for this address ...
    fifth = api.post(TOKEN_URL, wrong, format="json")
    assert fifth.status_code == 429
    assert fifth.json()["detail"]
    # ... and then even the right password gets no token.
    locked = api.post(TOKEN_URL, {"username": "operator-a1", "password": TEST_PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "token" not in locked.json()
    assert not Token.objects.filter(user=world.operator_a1).exists()

    # The lock is per account and address: another account from the same address still gets its token.
    other = api.post(TOKEN_URL, {"username": "operator-a2", "password": TEST_PASSWORD}, format="json")
    assert other.status_code == 200
    # And the same account from another address as well.
    elsewhere = APIClient(REMOTE_ADDR="10.1.2.3")
    assert (
        elsewhere.post(TOKEN_URL, {"username": "operator-a1", "password": TEST_PASSWORD}, format="json").status_code
        == 200
    )


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_token_requires_the_authenticator_code_when_two_factor_is_on(world, api):
    device = TOTPDevice.objects.create(user=world.admin_a, name="ponsel", confirmed=True)
    credentials = {"username": "admin-a", "password": TEST_PASSWORD}

    missing = api.post(TOKEN_URL, credentials, format="json")
    assert missing.status_code == 400
    assert missing.json()["otp_token"]
    wrong_code = "000000" if totp_code(device) != "000000" else "111111"
    wrong = api.post(TOKEN_URL, credentials | {"otp_token": wrong_code}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["otp_token"]
    assert not Token.objects.filter(user=world.admin_a).exists()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = api.post(TOKEN_URL, credentials | {"otp_token": totp_code(device)}, format="json")
    assert right.status_code == 200
    assert Token.objects.get(user=world.admin_a).key == right.json()["token"]


def test_unconfirmed_authenticator_does_not_block_the_token(world, api):
    TOTPDevice.objects.create(user=world.admin_a, name="belum", confirmed=False)
    response = api.post(TOKEN_URL, {"username": "admin-a", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200


# --- API keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["authorization", "x-api-key", "bearer"])
def test_api_key_acts_with_exactly_its_users_permissions(world, api, header):
    key, secret = issue_key(world.operator_a1, world.inst_a, owner=world.a1)
    if header == "authorization":
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    elif header == "bearer":
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    else:
        api.credentials(HTTP_X_API_KEY=secret)

    users = api.get(USERS_URL)
    assert users.status_code == 200
    assert ids(users) == {world.operator_a1.pk, world.asn_a1.pk}
    opds = api.get(OPD_URL)
    assert ids(opds) == {world.a1.pk, world.a2.pk}
    # The operator may not change OPDs, so neither may the key.
    assert api.patch(f"{OPD_URL}{world.a1.pk}/", {"head_name": "Baru"}, format="json").status_code == 403
    assert api.get(f"{OPD_URL}{world.b1.pk}/").status_code == 404
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_api_key_of_an_admin_can_write_and_leaves_api_audit_entries(world, api):
    _key, secret = issue_key(world.admin_a, world.inst_a, external_system="Aplikasi mobile")
    api.credentials(HTTP_X_API_KEY=secret)
    before = AuditEntry.objects.count()

    created = api.post(
        OPD_URL,
        {"instansi": world.inst_a.pk, "name": "Badan Baru", "short_name": "BARU", "kind": "badan"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    opd = PerangkatDaerah.objects.get(pk=created.json()["id"])
    changed = api.patch(f"{OPD_URL}{opd.pk}/", {"head_name": "Kepala Baru"}, format="json")
    assert changed.status_code == 200
    assert api.delete(f"{OPD_URL}{opd.pk}/").status_code == 204

    entries = AuditEntry.objects.filter(object_id=str(opd.pk), content_type__model="perangkatdaerah").order_by("id")
    assert [entry.action for entry in entries] == ["create", "update", "delete"]
    assert {entry.source for entry in entries} == {"api"}
    assert {entry.actor_id for entry in entries} == {world.admin_a.pk}
    assert {entry.actor_repr for entry in entries} == {"admin-a"}
    assert {entry.ip_address for entry in entries} == {"127.0.0.1"}
    assert AuditEntry.objects.count() == before + 3


def test_token_writes_are_audited_as_api(world, api):
    token = Token.objects.create(user=world.admin_a)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    response = api.patch(f"{OPD_URL}{world.a2.pk}/", {"head_name": "Kepala Dua"}, format="json")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_id=str(world.a2.pk), content_type__model="perangkatdaerah").latest("id")
    assert (entry.action, entry.source, entry.actor_id) == ("update", "api", world.admin_a.pk)
    assert entry.changes["head_name"][1] == "Kepala Dua"


@pytest.mark.parametrize(
    "state",
    ["revoked", "expired", "wrong_secret", "unknown_prefix", "malformed", "inactive_user"],
)
def test_unusable_api_key_gives_401(world, api, state):
    key, secret = issue_key(world.admin_a, world.inst_a)
    if state == "revoked":
        key.revoked_at = timezone.now()
        key.save()
    elif state == "expired":
        key.expires_at = timezone.now() - timedelta(minutes=1)
        key.save()
    elif state == "wrong_secret":
        secret = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    elif state == "unknown_prefix":
        secret = "spl_00000000_" + secret.split("_", 2)[2]
    elif state == "malformed":
        secret = "spl_onlyonepart"
    elif state == "inactive_user":
        world.admin_a.is_active = False
        world.admin_a.save()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    response = api.get(OPD_URL)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response.headers["WWW-Authenticate"]
    # A refused key never writes either.
    assert api.delete(f"{OPD_URL}{world.a2.pk}/").status_code == 401
    assert PerangkatDaerah.objects.filter(pk=world.a2.pk).exists()


def test_api_key_not_yet_expired_works(world, api):
    _key, secret = issue_key(world.auditor_a, world.inst_a, expires_at=timezone.now() + timedelta(days=1))
    api.credentials(HTTP_X_API_KEY=secret)
    assert api.get("/api/core/audit-entries/").status_code == 200


def test_only_the_hash_of_a_key_is_stored(world):
    key, secret = issue_key(world.admin_a, world.inst_a)
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret.startswith(f"spl_{stored.prefix}_")
    assert secret.split("_", 2)[2] not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.key_hash == ApiKey.hash_secret(secret.split("_", 2)[2])


# --- Issuing keys in the UI ------------------------------------------------------------------------


def test_ui_creates_key_and_shows_the_secret_once(world, client):
    client.force_login(world.operator_a1)
    response = client.post(
        reverse("accounts:apikey_add"),
        {"name": "Integrasi SIMPEG", "instansi": world.inst_a.pk, "owner": world.a1.pk, "user": world.operator_a1.pk},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    key = ApiKey.objects.get(name="Integrasi SIMPEG")
    assert secret.startswith(f"spl_{key.prefix}_")
    assert secret in response.content.decode()
    assert key.key_hash == ApiKey.hash_secret(secret.split("_", 2)[2])
    assert AuditEntry.objects.filter(content_type__model="apikey", object_id=str(key.pk), action="create").exists()

    # The detail page never shows it again.
    detail = client.get(key.get_absolute_url())
    assert detail.status_code == 200
    assert secret not in detail.content.decode()
    assert key.prefix in detail.content.decode()

    # And the key works in the API as the operator.
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=secret)
    assert ids(api.get(USERS_URL)) == {world.operator_a1.pk, world.asn_a1.pk}


def test_the_old_api_key_pages_redirect_to_their_new_place(world, client):
    key, _secret = issue_key(world.operator_a1, world.inst_a, owner=world.a1)
    client.force_login(world.operator_a1)
    for old, new in [
        ("/core/api-keys/", "/accounts/api-keys/"),
        ("/core/api-keys/?q=uji", "/accounts/api-keys/?q=uji"),
        (f"/core/api-keys/{key.pk}/", f"/accounts/api-keys/{key.pk}/"),
        ("/core/api-keys/add/", "/accounts/api-keys/add/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
        assert client.get(new).status_code == 200


def test_operator_cannot_issue_a_key_acting_as_another_user(world, client):
    client.force_login(world.operator_a1)
    # asn-a1 is in the operator's own OPD and visible to them, but the operator may not change that account.
    response = client.post(
        reverse("accounts:apikey_add"),
        {"name": "Kunci orang lain", "instansi": world.inst_a.pk, "owner": world.a1.pk, "user": world.asn_a1.pk},
    )
    assert response.status_code == 400
    assert "secret" not in response.context
    assert not ApiKey.objects.filter(name="Kunci orang lain").exists()


def test_operator_cannot_issue_a_key_for_another_opd(world, client):
    client.force_login(world.operator_a1)
    response = client.post(
        reverse("accounts:apikey_add"),
        {"name": "Kunci OPD lain", "instansi": world.inst_a.pk, "owner": world.a2.pk, "user": world.operator_a1.pk},
    )
    assert response.status_code == 400
    assert not ApiKey.objects.filter(name="Kunci OPD lain").exists()


def test_revoking_a_key_in_the_ui_stops_it(world, client):
    key, secret = issue_key(world.operator_a1, world.inst_a, owner=world.a1)
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=secret)
    assert api.get(OPD_URL).status_code == 200

    client.force_login(world.operator_a1)
    response = client.post(reverse("accounts:apikey_revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api.get(OPD_URL).status_code == 401


def test_the_account_a_key_acts_as_cannot_be_changed_by_editing_it(world, client):
    """The escalation a hostile tester found: issue a key as yourself, then edit it to act as an
    instansi-wide account of your OPD (an evaluator) and read or approve what you may not."""
    client.force_login(world.operator_a1)
    response = client.post(
        reverse("accounts:apikey_add"),
        {"name": "Kunci sendiri", "instansi": world.inst_a.pk, "owner": world.a1.pk, "user": world.operator_a1.pk},
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Kunci sendiri")
    secret = response.context["secret"]

    edit = client.get(reverse("accounts:apikey_edit", args=[key.pk]))
    assert "user" not in edit.context["form"].fields
    response = client.post(
        reverse("accounts:apikey_edit", args=[key.pk]),
        {
            "name": "Kunci sendiri (ubah)",
            "instansi": world.inst_a.pk,
            "owner": world.a1.pk,
            "user": world.evaluator_a.pk,
        },
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.name == "Kunci sendiri (ubah)"
    assert key.user == world.operator_a1
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=secret)
    assert ids(api.get(USERS_URL)) == {world.operator_a1.pk, world.asn_a1.pk}


def test_every_write_path_refuses_to_change_the_account_of_a_key(world):
    """Whatever channel writes a key later (a form, an API, an import), the core services refuse."""
    key, _secret = issue_api_key(
        world.operator_a1, name="Kunci", instansi=world.inst_a, owner=world.a1, acts_as=world.operator_a1
    )
    stored = ApiKey.objects.get(pk=key.pk)
    stored.user = world.evaluator_a
    with pytest.raises(PermissionDenied):
        services.update_object(world.admin_a, stored)
    with pytest.raises(ValidationError):
        stored.full_clean()
    assert ApiKey.objects.get(pk=key.pk).user == world.operator_a1
    # Issuing one acting as an account the issuer may not change is refused on the service itself.
    with pytest.raises(PermissionDenied):
        issue_api_key(
            world.operator_a1, name="Kunci lain", instansi=world.inst_a, owner=world.a1, acts_as=world.evaluator_a
        )
    assert not ApiKey.objects.filter(name="Kunci lain").exists()
