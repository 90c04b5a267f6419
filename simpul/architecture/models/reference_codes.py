"""The national SPBE reference architecture (Perpres 132/2022): its six trees of codes, one row per code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ChangeLoggedModel


class ReferenceTree(models.TextChoices):
    RAB = "RAB", _("Business reference architecture (RAB)")
    RAD = "RAD", _("Data reference architecture (RAD)")
    RAL = "RAL", _("Service reference architecture (RAL)")
    RAA = "RAA", _("Application reference architecture (RAA)")
    RAI = "RAI", _("Infrastructure reference architecture (RAI)")
    RAK = "RAK", _("Security reference architecture (RAK)")


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    CORROBORATED = "corroborated", _("Corroborated")
    UNVERIFIED = "unverified", _("Unverified")


class ReferenceCode(ChangeLoggedModel):
    """A node of the national SPBE reference architecture (Perpres 132/2022), e.g. RAL.01.02.

    Loaded from the versioned data file `data/referensi-arsitektur-spbe.json`; the Admin SPBE may correct
    or add codes. The table is national: it is shared by every instansi of the deployment.
    """

    tree = models.CharField(_("reference tree"), max_length=3, choices=ReferenceTree.choices)
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(
        _("verification"), max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    # National data: no instansi, visible to every signed-in user, changed by roles granted on it.
    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("reference code")
        verbose_name_plural = _("reference codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return None, None
