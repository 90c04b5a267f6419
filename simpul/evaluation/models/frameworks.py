"""Evaluation frameworks: the instrument as loaded (its document), and its domains, aspects and indicators
as rows, so that assessments, crosswalks and filters can refer to them. `simpul.evaluation.frameworks`
reads and checks the document itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel
from simpul.evaluation import frameworks


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("verified")
    VERIFIED_STRUCTURE = "verified_structure", _("structure verified")
    PARTIALLY_VERIFIED = "partially_verified", _("partially verified")
    UNVERIFIED = "unverified", _("unverified")


class Framework(ChangeLoggedModel):
    """An evaluation instrument (e.g. PermenPANRB 59/2020), stored as the document it was loaded from."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    source_regulation = models.TextField(_("source regulation"))
    status = models.CharField(_("verification"), max_length=24, default=VerificationStatus.UNVERIFIED)
    status_note = models.TextField(_("verification note"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest level"))
    scale_max = models.SmallIntegerField(_("highest level"))
    valid_for_years = models.JSONField(_("evaluation years"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    source_file = models.CharField(_("loaded from"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive frameworks stay for history but are not offered.")
    )

    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")
        ordering = ["-scale_min", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def document(self) -> dict:
        """The framework file as loaded (kept in its own table, see FrameworkDocument)."""
        return self.stored_document.document

    @property
    def spec(self) -> frameworks.FrameworkSpec:
        """The parsed framework, parsed once per document version and process."""
        spec = _SPEC_CACHE.get(self.sha256)
        if spec is None:
            spec = frameworks.parse_framework(self.document)
            _SPEC_CACHE[self.sha256] = spec
        return spec

    @property
    def unverified(self) -> bool:
        return self.status not in frameworks.VERIFIED_STATUSES


_SPEC_CACHE: dict[str, frameworks.FrameworkSpec] = {}


class FrameworkDocument(models.Model):
    """The framework file itself, apart from Framework: lists that join a period to its framework (of
    thousands of periods) would otherwise fetch and decode its ~120 kB of JSON for every row."""

    framework = models.OneToOneField(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_document",
    )
    document = models.JSONField(_("framework document"))

    class Meta:
        verbose_name = _("framework document")
        verbose_name_plural = _("framework documents")


class Domain(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="domains"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    weight = models.FloatField(_("weight (%)"))

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="evaluation_domain_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Aspect(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="aspects"
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.CASCADE, null=True, blank=True, related_name="aspects"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    weight = models.FloatField(_("weight (%)"))

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="evaluation_aspect_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """One indicator of a framework; its level texts stay in the framework document (see `spec`)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="indicators"
    )
    aspect = models.ForeignKey(Aspect, verbose_name=_("aspect"), on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=300)
    weight = models.FloatField(_("weight (%)"))
    unverified = models.BooleanField(_("unverified text"), default=False)

    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="evaluation_indicator_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def spec(self) -> frameworks.IndicatorSpec:
        return self.framework.spec.indicator(self.number)


class Crosswalk(models.Model):
    """Two indicators of different frameworks that measure the same thing, so history stays comparable."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official")
        UNVERIFIED = "unverified", _("unverified (by content)")

    from_indicator = models.ForeignKey(
        Indicator, verbose_name=_("from indicator"), on_delete=models.CASCADE, related_name="crosswalk_to"
    )
    to_indicator = models.ForeignKey(
        Indicator, verbose_name=_("to indicator"), on_delete=models.CASCADE, related_name="crosswalk_from"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("indicator correspondence")
        verbose_name_plural = _("indicator correspondences")
        constraints = [
            models.UniqueConstraint(fields=["from_indicator", "to_indicator"], name="evaluation_crosswalk_unique")
        ]
