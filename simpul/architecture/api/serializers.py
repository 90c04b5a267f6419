from rest_framework import serializers

from simpul.architecture import models
from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.filters import INT64_MAX

ELEMENT_FIELDS = [
    "id",
    "url",
    "owner",
    "domain",
    "archimate_type",
    "name",
    "code",
    "description",
    "status",
    "reference",
    "published",
    "properties",
    "exchange_id",
    "folder",
    "created_at",
    "updated_at",
]
READ_ONLY = ["domain", "published", "created_at", "updated_at"]


class ElementSerializer(ScopedModelSerializer):
    reference = serializers.SlugRelatedField(
        slug_field="code", queryset=models.ReferenceCode.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = models.Element
        fields = ELEMENT_FIELDS
        read_only_fields = READ_ONLY


def typed_serializer(model_class):
    # A typed element's ArchiMate type follows from its type (and kind) when left out, as in the forms.
    type_fields = [name for name in model_class.type_fields if name != "url"]
    declared = {}
    if "url" in model_class.type_fields:
        # `url` is every record's own link in Simpul's API; an application's or service's address is
        # `address` here (otherwise the link hid it, and a PATCH of it was silently ignored).
        model_field = model_class._meta.get_field("url")
        declared["address"] = serializers.URLField(
            source="url",
            required=False,
            allow_blank=True,
            max_length=model_field.max_length,
            label=model_field.verbose_name,
        )
        type_fields.append("address")
    meta = type(
        "Meta",
        (),
        {
            "model": model_class,
            "fields": [*ELEMENT_FIELDS, *type_fields],
            "read_only_fields": READ_ONLY,
            "extra_kwargs": {"archimate_type": {"required": False}},
        },
    )
    return type(f"{model_class.__name__}Serializer", (ElementSerializer,), {"Meta": meta, **declared})


BusinessProcessSerializer = typed_serializer(models.BusinessProcess)
DataSetSerializer = typed_serializer(models.DataSet)
ServiceSerializer = typed_serializer(models.Service)
ApplicationSerializer = typed_serializer(models.Application)
InfrastructureComponentSerializer = typed_serializer(models.InfrastructureComponent)
SecurityControlSerializer = typed_serializer(models.SecurityControl)


class RelationshipSerializer(ScopedModelSerializer):
    class Meta:
        model = models.Relationship
        fields = ["id", "url", "source", "kind", "target", "archimate_type", "description", "properties", "created_at"]


class ReferenceCodeSerializer(ScopedModelSerializer):
    # Null for the top codes of each tree.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = models.ReferenceCode
        fields = ["id", "url", "tree", "code", "name", "level", "parent", "status", "source", "note"]
        read_only_fields = fields


class ProposalAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ProposalAttachment
        fields = ["id", "title", "original_name", "content_type", "size", "sha256", "added_by", "created_at"]
        read_only_fields = fields


class ChangeProposalSerializer(ScopedModelSerializer):
    attachments = ProposalAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = models.ChangeProposal
        fields = [
            "id",
            "url",
            "element",
            "kind",
            "status",
            "data",
            "before",
            "proposed_by",
            "proposer_opd",
            "reviewed_by",
            "reviewed_at",
            "note",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


PROPOSED_VALUES_HELP = (
    'Proposed values by the element type\'s field names, e.g. {"name": "SIMPEG v2", "status": "dihentikan"}; '
    "fields left out keep their values. Checked by the same rules as the edit page."
)


class ProposalCreateSerializer(serializers.Serializer):
    element = serializers.IntegerField(min_value=1, max_value=INT64_MAX, help_text="The published element's id.")
    data = serializers.DictField(help_text=PROPOSED_VALUES_HELP)


class CorrectionCreateSerializer(serializers.Serializer):
    element = serializers.IntegerField(
        min_value=1, max_value=INT64_MAX, help_text="The published element of another OPD to correct."
    )
    data = serializers.DictField(help_text=PROPOSED_VALUES_HELP + " The owner cannot be changed.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: what is wrong and why. Left out or blank, refused with `note_required` (400).",
    )


class PublicationRequestSerializer(serializers.Serializer):
    element = serializers.IntegerField(min_value=1, max_value=INT64_MAX, help_text="The draft element's id.")


class ProposalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Shown in the history.")


class ProposalReturnSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: what to fix. Left out or blank, the step is refused with `note_required` (400).",
    )


class ProposalReviseSerializer(serializers.Serializer):
    data = serializers.DictField(
        help_text=PROPOSED_VALUES_HELP.replace("keep their values", "keep their proposed values")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Shown in the history.")


class ImpactElementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    domain = serializers.CharField()
    owner = serializers.CharField()
    depth = serializers.IntegerField()


class ImpactSerializer(serializers.Serializer):
    root = serializers.IntegerField()
    direction = serializers.CharField()
    count = serializers.IntegerField(help_text="Reached elements you may see, listed or not.")
    by_distance = serializers.DictField(child=serializers.IntegerField(), help_text="Of those, how many per distance.")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    elements = ImpactElementSerializer(many=True)
    affected_opds = serializers.ListField(child=serializers.CharField())
    hidden = serializers.IntegerField()


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.code")
    title = serializers.CharField(source="rule.title")
    severity = serializers.CharField(source="rule.severity")
    message = serializers.CharField()
    url = serializers.CharField()
    opd = serializers.CharField(source="opd_name")
    record = serializers.CharField()
    related_record = serializers.CharField(help_text="The other record of a pair finding (e.g. a duplicate), if any.")
    related_url = serializers.CharField()
