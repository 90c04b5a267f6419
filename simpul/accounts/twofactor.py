"""Turning two-factor sign-in on and off: the one door for the account page (and any later channel)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first use."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Authenticator"})
    return device


def _check_password(user, password: str) -> None:
    if not password or not user.check_password(password):
        raise ValidationError(_("Your password is wrong."), code="wrong_password")


def turn_on(user, *, password: str, token: str) -> TOTPDevice:
    """Confirm the pending authenticator and end every sign-in made without it.

    Sessions and API tokens issued before two-factor was on were obtained with the password alone; an
    attacker holding one would keep it. Re-hashing the password (same password, new salt) changes the
    hash that every session is bound to, so all other sessions end at their next request (the caller
    keeps the current one with `update_session_auth_hash`), and API tokens are deleted.
    """
    _check_password(user, password)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not token or not device.verify_token(token.strip()):
            raise ValidationError(
                _("The code is wrong. Try again with the current code from your app."), code="invalid_token"
            )
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        user.set_password(password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()
    return device


def turn_off(user, *, password: str, token: str) -> None:
    """Remove the authenticator; a stolen session alone must not be enough, so the password and a
    current code are both required. Someone who lost their device asks an administrator, who signs in
    as themself and resets it with `simpul twofactor reset USERNAME`."""
    _check_password(user, password)
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if devices and not any(device.verify_token((token or "").strip()) for device in devices):
        raise ValidationError(_("The authenticator code is wrong or expired."), code="invalid_token")
    TOTPDevice.objects.filter(user=user).delete()


def reset(user) -> int:
    """Remove a user's authenticators (they lost the device) and end their sessions and API tokens.

    For administrators at the server (`simpul twofactor reset USERNAME`): the account then signs in with
    the password alone, and its holder should turn two-factor on again at once. Returns the number of
    sessions ended.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        return end_sessions(user)


def end_sessions(user) -> int:
    """Delete every stored session of `user` (the database session store: sessions name no user in a
    column, so each live one is decoded; a rare administrative action can afford that)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
