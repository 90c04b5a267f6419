from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.architecture import models, references
from simpul.core import permissions
from simpul.core.forms import ScopedModelForm

COMMON = ["owner", "name", "code", "status", "reference", "description"]


class ElementForm(ScopedModelForm):
    """Elements of an imported model with no SPBE counterpart (kept with their ArchiMate type)."""

    class Meta:
        model = models.Element
        fields = [*COMMON, "archimate_type"]


def typed_form(model_class):
    """The edit form of one element type: the common element fields, then the type's own."""
    return forms.modelform_factory(model_class, form=ScopedModelForm, fields=[*COMMON, *model_class.type_fields])


BusinessProcessForm = typed_form(models.BusinessProcess)
DataSetForm = typed_form(models.DataSet)
ServiceForm = typed_form(models.Service)
ApplicationForm = typed_form(models.Application)
InfrastructureComponentForm = typed_form(models.InfrastructureComponent)


def _security_object_choices():
    return [("", "---------"), *[(name, name) for name in references.security_objects()]]


class SecurityControlForm(ScopedModelForm):
    control_kind = forms.ChoiceField(
        label=_("Security object"),
        choices=_security_object_choices,
        required=False,
        help_text=_("One of the seven security objects of SIA SPBE."),
    )

    class Meta:
        model = models.SecurityControl
        fields = [*COMMON, *models.SecurityControl.type_fields]


class RelationshipForm(ScopedModelForm):
    """The source must be an element the user may change; the target any element they may see."""

    class Meta:
        model = models.Relationship
        fields = ["source", "kind", "target", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["source"].queryset = permissions.restrict(
                models.Element.objects.select_related("owner"), self.user, "change"
            )
            self.fields["target"].queryset = permissions.restrict(
                models.Element.objects.select_related("owner"), self.user, "view"
            )
        self.fields["kind"].help_text = _("Read it as: source — relationship — target.")


class ReferenceCodeForm(ScopedModelForm):
    class Meta:
        model = models.ReferenceCode
        fields = ["tree", "code", "name", "level", "parent", "status", "source", "note"]

    def clean(self):
        cleaned = super().clean()
        code, tree, parent = cleaned.get("code"), cleaned.get("tree"), cleaned.get("parent")
        if code and tree and not code.startswith(f"{tree}."):
            self.add_error("code", _("A code of the %(tree)s tree starts with “%(tree)s.”.") % {"tree": tree})
        if code and parent and not code.startswith(f"{parent.code}."):
            self.add_error(
                "parent", _("The code must continue its parent's code (%(parent)s.…).") % {"parent": parent.code}
            )
        if code and cleaned.get("level") and cleaned["level"] != code.count("."):
            self.add_error(
                "level",
                _("The level is the number of code segments after the tree (here %(level)d).")
                % {"level": code.count(".")},
            )
        return cleaned


class ProposalReviewForm(forms.Form):
    note = forms.CharField(label=_("Note to the proposer"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
