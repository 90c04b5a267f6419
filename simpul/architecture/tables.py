import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from simpul.architecture import models
from simpul.core.tables import BaseTable

ELEMENT_FIELDS = ["name", "code", "owner", "status", "reference", "published"]


class ElementTable(BaseTable):
    name = tables.Column(linkify=True)
    reference = tables.Column(accessor="reference__code", verbose_name=_("Reference code"))

    class Meta(BaseTable.Meta):
        model = models.Element
        fields = ["name", "domain", "archimate_type", "code", "owner", "status", "reference", "published", "updated_at"]

    default_columns = ("name", "domain", "owner", "status", "reference")


def typed_table(model_class, defaults: tuple[str, ...]):
    fields = [*ELEMENT_FIELDS, *model_class.type_fields]
    meta = type("Meta", (BaseTable.Meta,), {"model": model_class, "fields": fields})
    attrs = {
        "Meta": meta,
        "default_columns": defaults,
        "name": tables.Column(linkify=True),
        "reference": tables.Column(accessor="reference__code", verbose_name=_("Reference code")),
    }
    return type(f"{model_class.__name__}Table", (BaseTable,), attrs)


BusinessProcessTable = typed_table(models.BusinessProcess, ("name", "owner", "sector", "status", "reference"))
DataSetTable = typed_table(
    models.DataSet,
    ("name", "owner", "classification", "update_frequency", "interoperable", "status"),
)
ServiceTable = typed_table(models.Service, ("name", "owner", "service_type", "url", "status", "reference"))
ApplicationTable = typed_table(
    models.Application,
    ("name", "owner", "kind", "developer", "hosting", "url", "status"),
)
InfrastructureComponentTable = typed_table(
    models.InfrastructureComponent,
    ("name", "owner", "kind", "location", "bandwidth_mbps", "status"),
)
SecurityControlTable = typed_table(models.SecurityControl, ("name", "owner", "control_kind", "status"))


class RelationshipTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    source = tables.Column(linkify=True)
    target = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.Relationship
        fields = ["id", "source", "kind", "target", "archimate_type", "description"]

    default_columns = ("id", "source", "kind", "target")


class ChangeProposalTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    element = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.ChangeProposal
        fields = ["id", "element", "kind", "status", "proposed_by", "created_at", "reviewed_by", "reviewed_at"]

    default_columns = ("id", "element", "kind", "status", "proposed_by", "created_at")


class ReferenceCodeTable(BaseTable):
    code = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.ReferenceCode
        fields = ["code", "name", "tree", "level", "status", "source"]

    default_columns = ("code", "name", "level", "status")
