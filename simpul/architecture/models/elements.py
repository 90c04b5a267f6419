"""Elements: one row of `Element` for anything recorded, plus one row of its typed table (multi-table
inheritance) for the SPBE element types, holding the fields that only that type has."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.architecture import references
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
from simpul.architecture.models.reference_codes import ReferenceCode, ReferenceTree
from simpul.core.models import OwnedModel
from simpul.core.models.base import owner_field


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
            # The default ordering of every element list (`domain, name`, the name without regard to case as
            # core.ordering sorts text): lets a page be read from the index instead of sorting the whole
            # (possibly national) table.
            models.Index("domain", Lower("name"), name="architecture_domain_lname"),
            # Lists sorted by name (?sort=name, ?ordering=name), read from the index the same way.
            models.Index(Lower("name"), name="architecture_lname"),
            # Lookups by the exact name: relationship imports name their source and target.
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

    def shown_properties(self) -> list[tuple[str, object]]:
        """The other properties shown on the element's page: those kept from an imported model, and the demo
        data's notes (the master plan's own address, docs/architecture/demo.md); not Simpul's "_" keys."""
        return [(key, value) for key, value in (self.properties or {}).items() if not str(key).startswith("_")]

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
        self.clean_reference()

    def clean_reference(self) -> None:
        """The reference code comes from the tree of the element's domain (an aplikasi umum's from the
        Aplikasi Umum branch, a khusus's from Aplikasi Khusus): checked here, so every writer (forms,
        proposals, the API, the imports) applies the rule; the forms also offer only those codes."""
        if self.reference_id is None:
            return
        domain = self.domain if type(self) is Element else self.spbe_domain
        tree, _branch = references.reference_scope(domain)
        if tree is None:
            return
        code = self.reference
        if code.tree != tree:
            raise ValidationError(
                {
                    "reference": ValidationError(
                        _("This element is of the “%(domain)s” domain: choose a code of the %(tree)s, not %(code)s."),
                        code="reference_tree",
                        params={
                            "domain": Domain(domain).label,
                            "tree": ReferenceTree(tree).label,
                            "code": code.code,
                        },
                    )
                }
            )
        if domain != Domain.APPLICATION:
            return
        # The generic element form edits the Element row of an application: its kind is the typed row's.
        kind = getattr(self.typed if type(self) is Element else self, "kind", None)
        _tree, branch = references.reference_scope(domain, kind)
        if branch is not None and not references.under(code.code, branch):
            raise ValidationError(
                {
                    "reference": ValidationError(
                        _("The application's kind is “%(kind)s”: choose a code under %(branch)s, not %(code)s."),
                        code="reference_kind",
                        params={"kind": ApplicationKind(kind).label, "branch": branch, "code": code.code},
                    )
                }
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
