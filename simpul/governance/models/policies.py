"""The Kebijakan SPBE registry: each policy of an instansi with its legal form, number and date, its
document, the topics it regulates and through them the evaluation indicators it serves."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ChangeLoggedModel
from simpul.core.workflow import Transition, Workflow
from simpul.governance.choices import PolicyKind, PolicyStatus, TopicGroup
from simpul.governance.models.documents import DocumentMixin

# How a policy's legal form reads in front of its number ("Perbup 21 Tahun 2020"): the customary
# Indonesian abbreviations, the same in every language.
KIND_ABBREVIATIONS = {
    PolicyKind.PERDA: "Perda",
    PolicyKind.PERBUP: "Perbup",
    PolicyKind.KEPBUP: "Kepbup",
    PolicyKind.SURAT_EDARAN: "SE",
    PolicyKind.SOP: "SOP",
}
# The states of a policy that was enacted at some time (its number and date are then fixed facts).
ENACTED_ONCE = (PolicyStatus.DITETAPKAN, PolicyStatus.DICABUT, PolicyStatus.DIGANTI)


class PolicyTopic(ChangeLoggedModel):
    """What a policy regulates (Arsitektur SPBE, Manajemen Data, …) and, by framework id and indicator code,
    the evaluation indicators a policy on it serves. National data loaded from data/policy-topics.json
    (`simpul.governance.topics`); not edited in Simpul."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=TopicGroup.choices)
    description = models.TextField(_("description"), blank=True)
    indicator_refs = models.JSONField(
        _("indicators served"),
        default=dict,
        blank=True,
        help_text=_("Framework id -> codes of the indicators a policy on this topic serves."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.TextField(_("source"), blank=True)

    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def indicator_codes(self, framework_code: str) -> list[str]:
        return list((self.indicator_refs or {}).get(framework_code, ()))

    def get_absolute_url(self) -> str:
        return f"{reverse('governance:policy_list')}?topic={self.pk}"


class Policy(DocumentMixin, ChangeLoggedModel):
    """A Kebijakan SPBE of an instansi (Perbup, Keputusan Bupati, Surat Edaran, SOP, …).

    A draft (rancangan) is visible to the roles held for the whole instansi (the Tim Koordinasi, the Admin SPBE
    who reviews it, …) and to every role held for the drafting OPD that may view policies (its operator,
    pimpinan and ASN alike), as a roadmap progress report; once enacted (ditetapkan) every OPD of the
    instansi reads it. An enacted policy is later revoked (dicabut, with a
    note) or replaced (diganti) by another enacted policy. The states change only through
    `simpul.governance.services`, which fire `workflow`'s transitions.
    """

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("drafting OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The OPD that drafted the policy (optional)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PolicyKind.choices)
    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("As enacted, e.g. 21 Tahun 2020. Required to enact.")
    )
    date = models.DateField(_("date enacted"), null=True, blank=True, help_text=_("Required to enact."))
    title = models.CharField(_("title"), max_length=300, help_text=_("What the policy is about (tentang …)."))
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.RANCANGAN, db_index=True
    )
    status_note = models.TextField(_("note on the status"), blank=True, editable=False)
    jdih_url = models.URLField(_("JDIH link"), max_length=500, blank=True)
    topics = models.ManyToManyField(PolicyTopic, verbose_name=_("topics"), blank=True, related_name="policies")
    indicators = models.ManyToManyField(
        "evaluation.Indicator",
        verbose_name=_("further indicators served"),
        blank=True,
        related_name="+",
        help_text=_("Indicators the policy serves beyond those of its topics."),
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="replaces",
    )

    scope_instansi_path = "instansi"
    scope_opd_path = "owner"
    # A draft stays with the roles held for the instansi and those held for its drafting OPD (a draft of no
    # OPD with the former only); an enacted (or former) policy is read by every OPD of the instansi.
    scope_shared_q = ~Q(status=PolicyStatus.RANCANGAN)

    document_folder = "policies"
    download_url_name = "governance:policy_download"

    workflow = Workflow(
        "policy",
        field="status",
        transitions=[
            Transition(
                "enact",
                [PolicyStatus.RANCANGAN],
                PolicyStatus.DITETAPKAN,
                permission="review",
                label=_("Record as enacted"),
            ),
            Transition(
                "revoke",
                [PolicyStatus.DITETAPKAN],
                PolicyStatus.DICABUT,
                permission="review",
                requires_note=True,
                label=_("Record as revoked"),
            ),
            Transition(
                "replace",
                [PolicyStatus.DITETAPKAN],
                PolicyStatus.DIGANTI,
                permission="review",
                label=_("Record as replaced"),
            ),
        ],
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-date", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "kind", "number"],
                condition=~Q(number=""),
                name="governance_policy_unique_number",
                violation_error_message=_("The instansi already has a policy of this kind with this number."),
            )
        ]

    def __str__(self) -> str:
        abbreviation = KIND_ABBREVIATIONS.get(self.kind, "")
        head = " ".join(part for part in (abbreviation, self.number) if part)
        return f"{head}: {self.title}" if head else self.title

    @property
    def in_force(self) -> bool:
        return self.status == PolicyStatus.DITETAPKAN

    def describe(self) -> str:
        """Shown beside the policy where it is linked (evidence): its form and status."""
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.owner_id and self.instansi_id and self.owner.instansi_id != self.instansi_id:
            errors["owner"] = _("The drafting OPD must belong to the policy's instansi.")
        if self.status in ENACTED_ONCE:
            if not (self.number or "").strip():
                errors["number"] = _("An enacted policy keeps its number.")
            if self.date is None:
                errors["date"] = _("An enacted policy keeps its date.")
        self.number = (self.number or "").strip()
        if errors:
            raise ValidationError(errors)
