"""Sign-in, sign-out, password change, lockout after repeated failures, and TOTP two-factor sign-in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from simpul import settings as project_settings
from simpul.organizations.tests.factories import TEST_PASSWORD

LOGIN = reverse("login")


def browser(ip="10.0.0.1") -> Client:
    return Client(headers={"accept-language": "en"}, REMOTE_ADDR=ip)


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in_user(client):
    response = client.get(reverse("two_factor"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_login_logout_and_password_change(world):
    client = browser()
    response = sign_in(client, "asn-a1")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_user(client) == world.asn_a1

    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Kata-Sandi-Baru-2026!",
            "new_password2": "Kata-Sandi-Baru-2026!",
        },
    )
    assert response.status_code == 302
    assert signed_in_user(client) == world.asn_a1  # the session survives its own password change
    world.asn_a1.refresh_from_db()
    assert world.asn_a1.check_password("Kata-Sandi-Baru-2026!")

    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert signed_in_user(client) is None
    assert sign_in(browser(), "asn-a1").status_code == 200  # the old password no longer works
    assert sign_in(browser(), "asn-a1", "Kata-Sandi-Baru-2026!").status_code == 302


def test_password_change_needs_the_old_password(world):
    client = browser()
    client.force_login(world.asn_a1)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "salah-salah",
            "new_password1": "Kata-Sandi-Baru-2026!",
            "new_password2": "Kata-Sandi-Baru-2026!",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    world.asn_a1.refresh_from_db()
    assert world.asn_a1.check_password(TEST_PASSWORD)


def test_wrong_password_shows_an_error(world):
    response = sign_in(browser(), "asn-a1", "salah")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert signed_in_user(browser()) is None


def test_pages_need_sign_in(world):
    response = browser().get(reverse("organizations:perangkatdaerah_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_five_failures_lock_the_account_for_that_address_only(world):
    attacker = browser("10.9.9.9")
    for _ in range(5):
        sign_in(attacker, "operator-a1", "bukan-sandinya")
    response = sign_in(attacker, "operator-a1")  # even the right password is refused now
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert 'data-testid="locked-out"' in response.content.decode()
    assert signed_in_user(attacker) is None

    # The real user, from their own address, and another user from the attacker's address still get in.
    assert sign_in(browser("10.0.0.2"), "operator-a1").status_code == 302
    assert sign_in(browser("10.9.9.9"), "operator-a2").status_code == 302


def test_four_failures_do_not_lock(world):
    client = browser()
    for _ in range(4):
        assert sign_in(client, "asn-a1", "salah").status_code == 200
    assert sign_in(client, "asn-a1").status_code == 302


def _code(device, steps_ahead=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead):06d}"


def _reset_throttle(device) -> None:
    # django-otp throttles a device for a second after a failure; a person would simply retry.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def test_totp_setup_and_sign_in(world):
    client = browser()
    client.force_login(world.admin_a)
    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world.admin_a, confirmed=False)
    assert response.context["secret"] and "<svg" in response.context["qr_svg"]

    # A wrong code does not turn it on, nor does a right code without the password.
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor"), {"token": wrong, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert response.context["errors"] == ["The code is wrong. Try again with the current code from your app."]
    _reset_throttle(device)
    response = client.post(reverse("two_factor"), {"token": _code(device)})
    assert response.status_code == 400
    assert response.context["errors"] == ["Your password is wrong."]
    assert not TOTPDevice.objects.filter(user=world.admin_a, confirmed=True).exists()
    response = client.post(reverse("two_factor"), {"token": _code(device), "password": TEST_PASSWORD})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in_user(client) == world.admin_a  # the session that turned it on stays signed in

    # Signing in now needs the code.
    response = sign_in(browser(), "admin-a")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Enter the code from your authenticator app."]
    # A code from far outside the accepted time window is refused; the next code is accepted.
    response = sign_in(browser(), "admin-a", otp_token=_code(device, steps_ahead=10))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["The authenticator code is wrong or expired."]
    _reset_throttle(device)
    second = browser()
    response = sign_in(second, "admin-a", otp_token=_code(device, steps_ahead=1))
    assert response.status_code == 302
    assert signed_in_user(second) == world.admin_a
    assert second.session.get("otp_device_id") == device.persistent_id

    # A session alone cannot turn it off: the password and a current code are needed.
    response = second.post(reverse("two_factor"), {"action": "remove"})
    assert response.status_code == 400
    response = second.post(reverse("two_factor"), {"action": "remove", "password": TEST_PASSWORD, "token": wrong})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=world.admin_a, confirmed=True).exists()
    _reset_throttle(device)
    device.refresh_from_db()  # a code is accepted once: the next one, after the drift the sign-in learnt
    response = second.post(
        reverse("two_factor"), {"action": "remove", "password": TEST_PASSWORD, "token": _code(device, steps_ahead=1)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.admin_a).exists()
    # Turning it off brings back password-only sign-in.
    assert sign_in(browser(), "admin-a").status_code == 302


def test_turning_on_two_factor_ends_earlier_sessions_and_tokens(world):
    earlier = browser(ip="10.0.0.2")
    assert sign_in(earlier, "admin-a").status_code == 302
    token = Token.objects.create(user=world.admin_a)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/organizations/users/").status_code == 200

    current = browser()
    assert sign_in(current, "admin-a").status_code == 302
    current.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=world.admin_a, confirmed=False)
    assert current.post(reverse("two_factor"), {"token": _code(device), "password": TEST_PASSWORD}).status_code == 302

    assert signed_in_user(current) == world.admin_a
    assert signed_in_user(earlier) is None  # the password-only session is over
    assert not Token.objects.filter(user=world.admin_a).exists()
    assert api.get("/api/organizations/users/").status_code == 401


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgrade(world):
    """The project's hashers (tests elsewhere use a fast one): Argon2id first, PBKDF2 still verified."""
    from django.contrib.auth.hashers import check_password, get_hashers, make_password

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        get_hashers.cache_clear()
        try:
            encoded = make_password("Sandi-Uji-Panjang-2026")
            assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
            legacy = make_password("Sandi-Uji-Panjang-2026", hasher="pbkdf2_sha256")
            upgraded = []
            assert check_password("Sandi-Uji-Panjang-2026", legacy, setter=upgraded.append)
            assert upgraded == ["Sandi-Uji-Panjang-2026"]  # re-hashed with Argon2 at this sign-in
            assert not check_password("salah", encoded)
        finally:
            get_hashers.cache_clear()


def test_totp_code_errors_are_translated(world):
    device = TOTPDevice.objects.create(user=world.asn_a1, name="Authenticator", confirmed=True)
    client = Client(headers={"accept-language": "id"})
    response = sign_in(client, "asn-a1")
    assert response.context["form"].non_field_errors() == ["Masukkan kode dari aplikasi autentikator Anda."]
    assert sign_in(client, "asn-a1", otp_token=_code(device)).status_code == 302


def test_an_administrator_resets_two_factor_of_a_user_who_lost_the_device(world):
    device = TOTPDevice.objects.create(user=world.asn_a1, name="Authenticator", confirmed=True)
    session = browser()
    session.force_login(world.asn_a1)
    other_user = browser(ip="10.0.0.3")
    other_user.force_login(world.admin_a)
    Token.objects.create(user=world.asn_a1)

    out = StringIO()
    call_command("twofactor", "reset", "asn-a1", stdout=out)

    assert "1 sesi diakhiri" in out.getvalue()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not Token.objects.filter(user=world.asn_a1).exists()
    assert signed_in_user(session) is None
    assert signed_in_user(other_user) == world.admin_a  # nobody else is signed out
    assert sign_in(browser(), "asn-a1").status_code == 302  # the password alone works again
    with pytest.raises(CommandError):
        call_command("twofactor", "reset", "tidak-ada")


@pytest.mark.parametrize(
    ("username", "offered"), [("operator_a1", True), ("admin_a", True), ("auditor_a", True), ("asn_a1", False)]
)
def test_the_user_menu_offers_the_api_keys_to_who_may_view_them(world, username, offered):
    client = Client()
    client.force_login(getattr(world, username))
    body = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("accounts:apikey_list")}" data-testid="api-keys-link"' in body) is offered
    if offered:
        assert client.get(reverse("accounts:apikey_list")).status_code == 200
