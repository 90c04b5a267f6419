"""The fixed relationship vocabulary: which domains each kind links, how it reads in both directions,
which way dependency flows (for impact analysis), and its ArchiMate relationship type."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.architecture.choices import Domain

ANY = frozenset(Domain.values)


class RelationshipKind(models.TextChoices):
    REALIZES = "realizes", _("realises")
    RUNS_ON = "runs_on", _("runs on")
    USES = "uses", _("uses")
    PRODUCES = "produces", _("produces")
    SUPPORTS = "supports", _("supports")
    PROTECTED_BY = "protected_by", _("is protected by")
    INTEGRATES_WITH = "integrates_with", _("is integrated with")
    CONNECTED_VIA = "connected_via", _("is connected via")
    ARCHIMATE = "archimate", _("other (ArchiMate)")


@dataclass(frozen=True)
class RelationshipType:
    kind: str
    label: str
    inverse_label: str
    sources: frozenset[str]
    targets: frozenset[str]
    # "source": the source depends on the target; "target": the target depends on the source;
    # "both": each depends on the other; "none": no dependency.
    dependent: str
    archimate_type: str

    def allows(self, source_domain: str, target_domain: str) -> bool:
        return source_domain in self.sources and target_domain in self.targets

    def source_label(self) -> str:
        return ", ".join(str(Domain(d).label) for d in Domain.values if d in self.sources)

    def target_label(self) -> str:
        return ", ".join(str(Domain(d).label) for d in Domain.values if d in self.targets)


def _t(kind, inverse_label, sources, targets, dependent, archimate_type) -> RelationshipType:
    return RelationshipType(
        kind,
        RelationshipKind(kind).label,
        inverse_label,
        frozenset(sources),
        frozenset(targets),
        dependent,
        archimate_type,
    )


RELATIONSHIP_TYPES: dict[str, RelationshipType] = {
    t.kind: t
    for t in [
        # An application realises a service: the service needs the application.
        _t("realizes", _("is realised by"), {Domain.APPLICATION}, {Domain.SERVICE}, "target", "Realization"),
        # An application (or a VM, a server) runs on infrastructure: it needs the infrastructure.
        _t(
            "runs_on",
            _("hosts"),
            {Domain.APPLICATION, Domain.INFRASTRUCTURE},
            {Domain.INFRASTRUCTURE},
            "source",
            "Assignment",
        ),
        _t(
            "uses",
            _("is used by"),
            {Domain.APPLICATION, Domain.SERVICE, Domain.BUSINESS},
            {Domain.DATA},
            "source",
            "Access",
        ),
        _t("produces", _("is produced by"), {Domain.APPLICATION, Domain.BUSINESS}, {Domain.DATA}, "target", "Access"),
        _t(
            "supports",
            _("is supported by"),
            {Domain.APPLICATION, Domain.SERVICE},
            {Domain.BUSINESS},
            "target",
            "Serving",
        ),
        _t("protected_by", _("protects"), ANY - {Domain.SECURITY}, {Domain.SECURITY}, "source", "Association"),
        # An application integrated into another (e.g. into the JePin single window): the integrating
        # application needs it, the integrated one works on without it.
        _t("integrates_with", _("integrates"), {Domain.APPLICATION}, {Domain.APPLICATION}, "target", "Flow"),
        _t("connected_via", _("connects"), {Domain.INFRASTRUCTURE}, {Domain.INFRASTRUCTURE}, "source", "Association"),
        _t("archimate", _("other (ArchiMate)"), ANY, ANY, "none", ""),
    ]
}
