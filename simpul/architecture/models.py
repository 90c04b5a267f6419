"""The architecture repository: elements of the six SPBE domains and the relationships between them.

Every element is one row of `Element` (so relationships, impact analysis, search and ArchiMate exchange
work over one table) plus, for the SPBE element types, one row of its typed table (multi-table
inheritance), which holds the fields that only that type has. An application recorded here is the same
record that the service desk, the application repository, the asset inventory and the evaluation use.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.architecture.choices import (
    ApplicationKind,
    ApprovalStatus,
    DataClassification,
    Domain,
    ElementStatus,
    Hosting,
    InfrastructureKind,
    ServiceType,
    UpdateFrequency,
)
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES, RelationshipKind
from simpul.core.models import ChangeLoggedModel, OwnedModel
from simpul.core.models.base import owner_field
from simpul.core.workflow import NOT_PERMITTED, Transition, TransitionError, Workflow


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


class Element(OwnedModel):
    """Anything recorded in the architecture: a process, data set, service, application, infrastructure
    component, security control, or an element of an imported ArchiMate model kept with its own type."""

    # The owner as every owned record has it (core.models.base.owner_field), but indexed only through
    # (owner, domain): a second index leading with the owner slowed every insert (docs/benchmarks.md).
    owner = owner_field(db_index=False)
    # Indexed through (domain, name) and the domain-led search indexes (migration 0008); a column index of
    # its own (and PostgreSQL's extra LIKE index for a CharField) only slowed every insert.
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, default=Domain.OTHER)
    archimate_type = models.CharField(
        _("ArchiMate type"), max_length=60, help_text=_("The element type in the ArchiMate exchange format.")
    )
    name = models.CharField(_("name"), max_length=300)
    code = models.CharField(_("code"), max_length=60, blank=True, help_text=_("The instansi's own code, if any."))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ElementStatus.choices, default=ElementStatus.OPERATIONAL
    )
    reference = models.ForeignKey(
        ReferenceCode,
        verbose_name=_("reference code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elements",
        help_text=_("Code of the national SPBE reference architecture."),
    )
    properties = models.JSONField(_("other properties"), default=dict, blank=True)
    exchange_id = models.CharField(
        _("exchange identifier"), max_length=120, blank=True, help_text=_("Identifier in an exchanged ArchiMate model.")
    )
    folder = models.CharField(_("folder"), max_length=300, blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published elements change only through a reviewed proposal, unless edited by the Admin SPBE."),
    )

    class Meta:
        verbose_name = _("architecture element")
        verbose_name_plural = _("architecture elements")
        ordering = ["domain", "name"]
        indexes = [
            models.Index(fields=["owner", "domain"]),
            # The default ordering of every element list: lets a page be read from the index
            # instead of sorting the whole (possibly national) table.
            models.Index(fields=["domain", "name"]),
            models.Index(fields=["name"]),
            models.Index(fields=["exchange_id"]),
            # "Recently changed first" (lists and the API's ordering=-updated_at) read from the index; without
            # it the national list sorted 100k rows for every page.
            models.Index(fields=["updated_at"]),
            # A plain index: db_index on a CharField also adds a LIKE index on PostgreSQL, never used here.
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("architecture:element_detail", args=[self.pk])

    # The published architecture is the instansi's shared map; drafts stay with their OPD and reviewers.
    scope_shared_q = models.Q(published=True)

    # Set by each typed subclass: its SPBE domain and its usual ArchiMate element type.
    spbe_domain: str = Domain.OTHER
    default_archimate_type: str = ""
    type_fields: tuple[str, ...] = ()

    def clean(self) -> None:
        super().clean()
        # An exchange identifier names one element of an instansi: an import matches records by it, so a
        # second holder would make one OPD's import find (and change, or fail on) another OPD's element.
        # It is checked here rather than by a UniqueConstraint because the instansi is reached through
        # the owner, and a constraint cannot follow a join; copying the instansi onto every element would
        # add a column and an index write to every insert of the largest table, and every bulk writer
        # would have to keep it right. Every writer of the field validates: the API (serializer runs
        # clean()) and the ArchiMate import (full_clean(), under a lock on the instansi); forms do not
        # offer the field.
        if self.exchange_id and self.owner_id:
            holders = Element.objects.filter(owner__instansi_id=self.owner.instansi_id, exchange_id=self.exchange_id)
            if holders.exclude(pk=self.pk).exists():
                raise ValidationError(
                    _("Another element of this instansi already has the exchange identifier “%(id)s”."),
                    code="exchange_id_taken",
                    params={"id": self.exchange_id},
                )

    def save(self, *args, **kwargs):
        if type(self) is not Element:
            self.domain = self.spbe_domain
        if not self.archimate_type:
            self.archimate_type = self.default_archimate_type_for()
        super().save(*args, **kwargs)

    def default_archimate_type_for(self) -> str:
        return self.default_archimate_type

    @property
    def typed(self) -> "Element":
        """The typed record (Application, Service, ...) of this element, or the element itself."""
        accessor = DOMAIN_ACCESSORS.get(self.domain)
        if accessor and type(self) is Element:
            return getattr(self, accessor, self)
        return self


class BusinessProcess(Element):
    """Proses bisnis: a structured set of activities of one or more OPDs."""

    spbe_domain = Domain.BUSINESS
    default_archimate_type = "BusinessProcess"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = ("sector", "performers")

    sector = models.CharField(
        _("sector (urusan)"), max_length=200, blank=True, help_text=_("Government affair the process belongs to.")
    )
    performers = models.ManyToManyField(
        "organizations.PerangkatDaerah",
        verbose_name=_("performing OPDs"),
        blank=True,
        related_name="business_processes",
    )

    class Meta:
        verbose_name = _("business process")
        verbose_name_plural = _("business processes")


class DataSet(Element):
    """Data dan informasi: a data set held by an OPD."""

    spbe_domain = Domain.DATA
    default_archimate_type = "DataObject"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = ("producer", "classification", "data_format", "update_frequency", "interoperable")

    producer = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("producer OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="produced_data_sets",
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=DataClassification.choices, blank=True
    )
    data_format = models.CharField(_("format"), max_length=100, blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=UpdateFrequency.choices, blank=True
    )
    interoperable = models.BooleanField(
        _("shared through interoperability"), default=False, help_text=_("Exchanged with other systems via an API.")
    )

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")


class Service(Element):
    """Layanan SPBE: an administration service (G2G, G2E) or a public service (G2C, G2B)."""

    spbe_domain = Domain.SERVICE
    default_archimate_type = "BusinessService"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = ("service_type", "url", "channels")

    service_type = models.CharField(_("service type"), max_length=3, choices=ServiceType.choices)
    url = models.URLField(_("address (URL)"), blank=True)
    channels = models.CharField(
        _("channels"), max_length=200, blank=True, help_text=_("e.g. web, mobile, telephone, e-mail, social media")
    )

    class Meta:
        verbose_name = _("SPBE service")
        verbose_name_plural = _("SPBE services")

    @property
    def is_public_service(self) -> bool:
        return self.service_type in (ServiceType.G2C, ServiceType.G2B)


class Application(Element):
    """Aplikasi SPBE: an application, general (shared) or specific (needs DISKOMINFO's approval)."""

    spbe_domain = Domain.APPLICATION
    default_archimate_type = "ApplicationComponent"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = (
        "kind",
        "developer",
        "url",
        "technology",
        "version",
        "hosting",
        "hosting_exception",
        "has_manual",
        "has_source_code",
        "has_test_results",
        "single_window",
    )

    kind = models.CharField(_("kind"), max_length=10, choices=ApplicationKind.choices)
    developer = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("developer OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="developed_applications",
    )
    url = models.URLField(_("address (URL)"), blank=True)
    technology = models.CharField(_("technology"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting.choices, default=Hosting.DATA_CENTRE)
    hosting_exception = models.CharField(
        _("hosting exception"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_NEEDED,
        help_text=_("Approval by the Bupati/DISKOMINFO to host outside the Pusat Data."),
    )
    has_manual = models.BooleanField(_("user manual in the repository"), default=False)
    has_source_code = models.BooleanField(_("source code in the repository"), default=False)
    has_test_results = models.BooleanField(_("test results submitted"), default=False)
    single_window = models.BooleanField(
        _("integrated with the single window"), default=False, help_text=_("Integrated into JePin.")
    )

    class Meta:
        verbose_name = _("SPBE application")
        verbose_name_plural = _("SPBE applications")


class InfrastructureComponent(Element):
    """Infrastruktur SPBE: data centre, server room, network node or link, server, VM, connector system."""

    spbe_domain = Domain.INFRASTRUCTURE
    default_archimate_type = "Node"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = ("kind", "location", "medium", "bandwidth_mbps", "approval")

    kind = models.CharField(_("kind"), max_length=20, choices=InfrastructureKind.choices)
    location = models.CharField(_("location"), max_length=300, blank=True)
    bandwidth_mbps = models.PositiveIntegerField(_("bandwidth (Mbps)"), null=True, blank=True)
    medium = models.CharField(_("medium"), max_length=100, blank=True, help_text=_("e.g. fibre optic, radio"))
    approval = models.CharField(
        _("approval"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_NEEDED,
        help_text=_("An OPD's own server room needs the Bupati's and DISKOMINFO's approval."),
    )

    ARCHIMATE_TYPES = {
        InfrastructureKind.DATA_CENTRE: "Facility",
        InfrastructureKind.SERVER_ROOM: "Facility",
        InfrastructureKind.NETWORK_NODE: "Device",
        InfrastructureKind.LINK: "CommunicationNetwork",
        InfrastructureKind.LAN: "CommunicationNetwork",
        InfrastructureKind.INTERNET: "CommunicationNetwork",
        InfrastructureKind.SERVER: "Device",
        InfrastructureKind.SERVICE_BUS: "SystemSoftware",
    }

    class Meta:
        verbose_name = _("infrastructure component")
        verbose_name_plural = _("infrastructure components")

    def default_archimate_type_for(self) -> str:
        return self.ARCHIMATE_TYPES.get(self.kind, self.default_archimate_type)


class SecurityControl(Element):
    """Keamanan SPBE: a security control (standard, awareness, vulnerability scanning, incident handling...)."""

    spbe_domain = Domain.SECURITY
    default_archimate_type = "Constraint"
    # The fields only this type has: its form, table, serializer and exchange use this list.
    type_fields = ("control_kind",)

    control_kind = models.CharField(
        _("security object"), max_length=100, blank=True, help_text=_("One of the seven security objects of SIA SPBE.")
    )

    class Meta:
        verbose_name = _("security control")
        verbose_name_plural = _("security controls")


DOMAIN_ACCESSORS = {
    Domain.BUSINESS: "businessprocess",
    Domain.DATA: "dataset",
    Domain.SERVICE: "service",
    Domain.APPLICATION: "application",
    Domain.INFRASTRUCTURE: "infrastructurecomponent",
    Domain.SECURITY: "securitycontrol",
}


class Relationship(ChangeLoggedModel):
    """A typed link between two elements; whoever may change the source element may change its links."""

    kind = models.CharField(_("relationship"), max_length=30, choices=RelationshipKind.choices)
    source = models.ForeignKey(
        Element, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing_relationships"
    )
    target = models.ForeignKey(
        Element, verbose_name=_("to"), on_delete=models.CASCADE, related_name="incoming_relationships"
    )
    archimate_type = models.CharField(_("ArchiMate type"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    properties = models.JSONField(_("other properties"), default=dict, blank=True)
    exchange_id = models.CharField(_("exchange identifier"), max_length=120, blank=True)

    scope_instansi_path = "source__owner__instansi"
    scope_opd_path = "source__owner"
    scope_shared_q = models.Q(source__published=True, target__published=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["source__name", "kind"]
        indexes = [
            models.Index(fields=["source", "kind"]),
            # With the source included, impact analysis reads the links into an element from the index
            # alone (the unique constraint below does the same for the links out of it).
            models.Index(fields=["target", "kind", "source"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                condition=~models.Q(kind="archimate"),
                name="unique_spbe_relationship",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("architecture:relationship_detail", args=[self.pk])

    def clean(self) -> None:
        if self.source_id and self.target_id:
            if self.source_id == self.target_id:
                raise ValidationError(_("An element cannot be related to itself."))
            if self.source.owner.instansi_id != self.target.owner.instansi_id:
                raise ValidationError(_("Both elements must belong to the same instansi."))
            rule = RELATIONSHIP_TYPES.get(self.kind)
            if rule is not None and not rule.allows(self.source.domain, self.target.domain):
                raise ValidationError(
                    {
                        "target": _("“%(kind)s” links %(sources)s to %(targets)s.")
                        % {
                            "kind": rule.label,
                            "sources": rule.source_label(),
                            "targets": rule.target_label(),
                        }
                    }
                )
            # Unique per instansi, as an element's (see Element.clean for why this is not a constraint).
            if self.exchange_id:
                holders = Relationship.objects.filter(
                    source__owner__instansi_id=self.source.owner.instansi_id, exchange_id=self.exchange_id
                )
                if holders.exclude(pk=self.pk).exists():
                    raise ValidationError(
                        _("Another relationship of this instansi already has the exchange identifier “%(id)s”."),
                        code="exchange_id_taken",
                        params={"id": self.exchange_id},
                    )


class GraphVersion(models.Model):
    """The version of an instansi's relationship graph, which impact analysis keeps in memory.

    Each process keeps the graphs of a few large instansi in memory (`impact.memory_graph`) and reads
    this number before every walk: a graph read under another version is read again. The version
    changes in the same transaction as any relationship of the instansi (signals.py), so a process
    never pairs a new version with old relationships. It is a new value each time rather than a
    count: after a rolled-back transaction whose own walk cached its uncommitted graph, a count would
    come back to a number already cached for other relationships. Only equality is meaningful.

    No row reads as version 0: relationships written in bulk (bulk_create fires no signals) leave it
    out, and processes started after such a write build their graph from scratch. Writers that skip
    the signals call `impact.graph_changed`. Technical data: not audited, no page of its own.
    """

    instansi = models.OneToOneField(
        "organizations.Instansi",
        verbose_name=_("instansi"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="graph_version",
    )
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("relationship graph version")
        verbose_name_plural = _("relationship graph versions")

    def __str__(self) -> str:
        return f"{self.instansi_id}: {self.version}"


class ProposalKind(models.TextChoices):
    PUBLISH = "publish", _("Publish a new element")
    CHANGE = "change", _("Change a published element")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with a note")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicationState(models.TextChoices):
    """The states of an element's publication events (`Element.published` is a boolean)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# Codes of the proposal workflow's own refusals, besides the kit's (documented in docs/architecture/proposals.md).
ALREADY_PUBLISHED = "already_published"
ALREADY_REQUESTED = "already_requested"
NOT_PUBLISHED = "not_published"
NO_PROPOSED_VALUES = "no_proposed_values"


def by_the_proposer(user, proposal: "ChangeProposal") -> None:
    """A proposal is its proposer's to revise, resubmit or withdraw: an OPD colleague proposes their own."""
    if proposal.proposed_by_id is None or proposal.proposed_by_id != getattr(user, "pk", None):
        raise TransitionError(NOT_PERMITTED, gettext("Only the proposer may do this."), status=403)


def still_fits(proposal: "ChangeProposal") -> None:
    """A proposal sent (again) for review must still make sense for its element as it is now."""
    element = proposal.element
    if proposal.kind == ProposalKind.CHANGE and not element.published:
        raise TransitionError(NOT_PUBLISHED, gettext("This element is a draft: change it directly."))
    if proposal.kind == ProposalKind.PUBLISH:
        if element.published:
            raise TransitionError(ALREADY_PUBLISHED, gettext("This element is already published."))
        waiting = element.proposals.filter(kind=ProposalKind.PUBLISH, status=ProposalStatus.PENDING)
        if waiting.exclude(pk=proposal.pk).exists():
            raise TransitionError(ALREADY_REQUESTED, gettext("Publication of this element was already requested."))


def _revisable(user, proposal: "ChangeProposal") -> None:
    by_the_proposer(user, proposal)
    if proposal.kind != ProposalKind.CHANGE:
        raise TransitionError(
            NO_PROPOSED_VALUES,
            gettext("A publication request has no proposed values: edit the draft element itself, then resubmit."),
        )


def _resubmittable(user, proposal: "ChangeProposal") -> None:
    by_the_proposer(user, proposal)
    still_fits(proposal)


class ChangeProposal(ChangeLoggedModel):
    """An OPD operator's proposed change to a published element (or a request to publish a draft),
    reviewed by the Admin SPBE, who sees the difference and approves it or returns it with a note.

    A returned proposal is not a dead end: its proposer revises the values, resubmits it, or withdraws it.
    The states change only through `simpul.architecture.services`, which fire `workflow`'s transitions.
    """

    element = models.ForeignKey(Element, verbose_name=_("element"), on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    data = models.JSONField(_("proposed values"), default=dict, blank=True)
    before = models.JSONField(_("values when proposed"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        "organizations.User", verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("review note"), blank=True)

    scope_instansi_path = "element__owner__instansi"
    scope_opd_path = "element__owner"

    # Deciding is the reviewer's ("review"); the proposer's own steps need "add", the right to propose for
    # the element's OPD, which an operator who moved to another OPD no longer holds.
    workflow = Workflow(
        "proposal",
        field="status",
        transitions=[
            Transition(
                "approve",
                [ProposalStatus.PENDING],
                ProposalStatus.APPROVED,
                permission="review",
                label=_("Approve and apply"),
            ),
            Transition(
                "return",
                [ProposalStatus.PENDING],
                ProposalStatus.RETURNED,
                permission="review",
                requires_note=True,
                label=_("Return with note"),
            ),
            Transition(
                "revise",
                [ProposalStatus.RETURNED],
                ProposalStatus.RETURNED,
                permission="add",
                guard=_revisable,
                label=_("Revise"),
            ),
            Transition(
                "resubmit",
                [ProposalStatus.RETURNED],
                ProposalStatus.PENDING,
                permission="add",
                guard=_resubmittable,
                label=_("Resubmit"),
            ),
            Transition(
                "withdraw",
                [ProposalStatus.PENDING, ProposalStatus.RETURNED],
                ProposalStatus.WITHDRAWN,
                permission="add",
                guard=by_the_proposer,
                label=_("Withdraw"),
            ),
        ],
    )

    class Meta:
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.element}"

    def get_absolute_url(self) -> str:
        return reverse("architecture:changeproposal_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still waiting for a decision or for its proposer: files may be added, steps taken."""
        return self.status in (ProposalStatus.PENDING, ProposalStatus.RETURNED)


def attachment_file_path(instance: "ProposalAttachment", filename: str) -> str:
    # The stored name is the checksum: no user-chosen path, and the same file is not stored twice.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"architecture/proposals/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class ProposalAttachment(ChangeLoggedModel):
    """A file attached to a proposal (e.g. the BAST the reviewer asked for), checked by type and size,
    stored under its checksum and served only to those who may view the proposal."""

    proposal = models.ForeignKey(
        ChangeProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_instansi_path = "proposal__element__owner__instansi"
    scope_opd_path = "proposal__element__owner"

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.proposal.get_absolute_url()
