"""Instansi, Perangkat Daerah (OPD), people and the roles they hold."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ChangeLoggedModel
from simpul.core.models.base import AuditedMixin, ScopedModelMixin
from simpul.core.permissions import roles
from simpul.organizations.choices import InstansiKind, OpdKind

domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a domain name in lower case, without http:// (for example lampungtimurkab.go.id)."),
)
region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2}){0,3}$", _("Enter a Kemendagri region code such as 18 or 18.07.")
)


class Instansi(ChangeLoggedModel):
    """A government (Pemda) using Simpul; one deployment may hold several, e.g. a province and its regencies."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstansiKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Short name used in URLs and commands.")
    )
    region_code = models.CharField(
        _("region code"),
        max_length=13,
        blank=True,
        validators=[region_code_validator],
        help_text=_("Kemendagri region code (kode wilayah)."),
    )
    official_domain = models.CharField(
        _("official domain"),
        max_length=253,
        validators=[domain_validator],
        help_text=_("Official government domain; sites and applications must be sub-domains of it."),
    )
    address = models.TextField(_("address"), blank=True)

    scope_instansi_path = "pk"
    scope_opd_path = None
    # The columns `__str__` reads: pick lists of many records load only these (core.filters).
    label_fields = ("name",)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]
        indexes = [
            # Lists sort names without regard to case (core.ordering): the instansi list, and the national
            # OPD and element lists sorted by their instansi, read the instansi in that order from here, as
            # they read the unique index on `name` before (a national OPD list: 0.3 ms; without it 84 ms).
            models.Index(Lower("name"), name="organizations_instansi_lname"),
        ]

    def __str__(self) -> str:
        return self.name


class PerangkatDaerah(ChangeLoggedModel):
    """A regional government department (OPD) of an instansi: the owner of every domain record."""

    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="perangkat_daerah"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=50, help_text=_("Abbreviation used across Simpul, e.g. DISKOMINFO.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OpdKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For example the Sekretariat Daerah for its sections."),
    )
    head_name = models.CharField(_("head"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_instansi_path = "instansi"
    # OPD records are the shared pick list of an instansi: everyone in it may see them.
    scope_opd_path = None
    label_fields = ("short_name",)

    class Meta:
        verbose_name = _("regional department (OPD)")
        verbose_name_plural = _("regional departments (OPD)")
        ordering = ["instansi__name", "short_name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "short_name"], name="unique_opd_short_name"),
            models.UniqueConstraint(fields=["instansi", "name"], name="unique_opd_name"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        if self.parent_id and self.instansi_id and self.parent.instansi_id != self.instansi_id:
            raise ValidationError({"parent": _("The parent OPD must belong to the same instansi.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An OPD cannot be its own parent.")})

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return self.instansi_id, self.pk


class SimpulUserManager(UserManager):
    pass


class User(AuditedMixin, ScopedModelMixin, AbstractUser):
    """A person who signs in: an ASN, an operator, an evaluator, a leader or an auditor."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has exactly 18 digits."))],
        help_text=_("Civil servant number (18 digits)."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    instansi = models.ForeignKey(
        Instansi,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    opd = models.ForeignKey(
        PerangkatDaerah,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = SimpulUserManager()

    scope_instansi_path = "instansi"
    scope_opd_path = "opd"
    audit_exclude_fields = frozenset({"last_login", "date_joined"})
    audit_masked_fields = frozenset({"password"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.opd_id and self.instansi_id and self.opd.instansi_id != self.instansi_id:
            raise ValidationError({"opd": _("The OPD must belong to the user's instansi.")})
        if self.opd_id and not self.instansi_id:
            self.instansi_id = self.opd.instansi_id

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return self.instansi_id, self.opd_id


def role_choices():
    return [(key, role.label) for key, role in roles().items()]


class RoleAssignment(ChangeLoggedModel):
    """A role held by a user within a scope: a whole instansi, or one of its OPDs."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=role_choices)
    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    opd = models.ForeignKey(
        PerangkatDaerah,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("Leave empty to hold the role for the whole instansi."),
    )

    scope_instansi_path = "instansi"
    scope_opd_path = "opd"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "instansi", "opd"], name="unique_role_assignment"),
            models.UniqueConstraint(
                fields=["user", "role", "instansi"],
                condition=models.Q(opd__isnull=True),
                name="unique_instansi_role_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.opd or self.instansi}"

    def clean(self) -> None:
        role = roles().get(self.role)
        if role is None:
            return
        if self.opd_id and self.instansi_id and self.opd.instansi_id != self.instansi_id:
            raise ValidationError({"opd": _("The OPD must belong to the chosen instansi.")})
        if self.opd_id is None and "instansi" not in role.scopes:
            raise ValidationError({"opd": _("This role is held for one OPD: choose the OPD.")})
        if self.opd_id is not None and "opd" not in role.scopes:
            raise ValidationError({"opd": _("This role is held for the whole instansi: leave the OPD empty.")})

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return self.instansi_id, self.opd_id
