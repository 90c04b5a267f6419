"""API keys for other systems: each key acts as one account and so has exactly its permissions."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel

KEY_PREFIX = "spl"
ACCOUNT_FIXED = _("The account a key acts as is fixed when the key is issued: issue a new key instead.")


class ApiKey(ChangeLoggedModel):
    """A revocable key owned by an OPD or by an external system of an instansi."""

    name = models.CharField(_("name"), max_length=150)
    instansi = models.ForeignKey(
        "organizations.Instansi",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    owner = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("owner OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    external_system = models.CharField(
        _("external system"),
        max_length=150,
        blank=True,
        help_text=_("Fill in when the key belongs to a system outside the OPDs (e.g. a mobile app)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as user"),
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text=_("The key has exactly the permissions of this account."),
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    scope_instansi_path = "instansi"
    scope_opd_path = "owner"
    audit_exclude_fields = frozenset({"updated_at", "last_used_at", "key_hash"})

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def issue(self) -> str:
        """Give this key a fresh secret and return the full key, which is shown once and never stored."""
        self.prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_hash = self.hash_secret(secret)
        return f"{KEY_PREFIX}_{self.prefix}_{secret}"

    @classmethod
    def from_db(cls, db, field_names, values):
        key = super().from_db(db, field_names, values)
        # The account as read, to refuse any later change of it whichever path writes the key.
        if "user_id" in key.__dict__:
            key._loaded_user_id = key.user_id
        return key

    def _account_changed(self) -> bool:
        return self.pk is not None and self.user_id != getattr(self, "_loaded_user_id", self.user_id)

    def clean(self) -> None:
        super().clean()
        if self._account_changed():
            raise ValidationError({"user": ACCOUNT_FIXED})

    def authorize_write(self, user, *, creating: bool) -> None:
        """Nobody gains permissions through a key (called by the core services on every write path).

        A key acts as its account, so only that account's holder, or someone who may change that account,
        may issue it; afterwards the account never changes, or an operator could issue a key for
        themself and then point it at an account with wider rights.
        """
        from simpul.core import permissions

        if creating:
            if self.user_id != user.pk and not permissions.can(user, "change", self.user):
                raise PermissionDenied(_("You may not issue a key for this account here."))
        elif self._account_changed():
            raise PermissionDenied(ACCOUNT_FIXED)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
