"""The relationship graph: typed links between elements, and the version of each instansi's graph that
impact analysis keeps in memory."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.architecture.models.elements import Element
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES, RelationshipKind
from simpul.core.models import ChangeLoggedModel


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
