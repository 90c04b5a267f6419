from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.architecture import models, references
from simpul.architecture.choices import Domain
from simpul.core import files, permissions
from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.core.widgets import SearchableSelect

COMMON = ["owner", "name", "code", "status", "reference", "description"]
WIDGETS = {"reference": SearchableSelect}


class ElementFormBase(ScopedModelForm):
    """What every element form shares: the reference code picker offers the codes of the element's
    domain tree (Element.clean_reference refuses any other), with a search box; an add form preselects
    the owner OPD when the user may hold elements for one OPD only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reference" in self.fields:
            self._limit_references(self.fields["reference"])
        if "owner" in self.fields and self.user is not None and not self.instance.pk and not self.is_bound:
            self._preselect_owner(self.fields["owner"])

    def element_domain(self) -> str:
        model = self._meta.model
        return self.instance.domain if model is models.Element else model.spbe_domain

    def _limit_references(self, field) -> None:
        domain = self.element_domain()
        kind = None
        if domain == Domain.APPLICATION and "kind" not in self.fields and self.instance.pk:
            # The generic form of an application's Element row: its kind is fixed here, the typed row's.
            kind = getattr(self.instance.typed, "kind", None)
        codes = references.codes_for(field.queryset, domain, kind)
        current = self.instance.reference_id
        if current is not None:
            # A code given before the rule stays shown (and is refused with the reason on saving).
            codes = codes | field.queryset.filter(pk=current)
        field.queryset = codes
        tree, _branch = references.reference_scope(domain)
        if tree is not None:
            # Also the guide of the import template: nothing here about the page's search box.
            field.help_text = _("A code of the %(tree)s.") % {"tree": models.ReferenceTree(tree).label}
        if domain == Domain.APPLICATION and "kind" in self.fields:
            # Every code of the tree is sent; simpul.js shows those of the kind chosen in the form.
            field.widget.attrs["data-filter-by"] = self.add_prefix("kind")
            field.widget.option_attrs = lambda code: {"data-filter-value": references.branch_kind(code.code)}

    def _preselect_owner(self, field) -> None:
        if self.initial.get("owner") or field.initial:
            return
        allowed = list(field.queryset.values_list("pk", flat=True)[:2])
        if len(allowed) == 1:
            self.initial["owner"] = allowed[0]


class ElementForm(ElementFormBase):
    """Elements of an imported model with no SPBE counterpart (kept with their ArchiMate type)."""

    class Meta:
        model = models.Element
        fields = [*COMMON, "archimate_type"]
        widgets = WIDGETS


def typed_form(model_class):
    """The edit form of one element type: the common element fields, then the type's own."""
    return forms.modelform_factory(
        model_class, form=ElementFormBase, fields=[*COMMON, *model_class.type_fields], widgets=WIDGETS
    )


BusinessProcessForm = typed_form(models.BusinessProcess)
DataSetForm = typed_form(models.DataSet)
ServiceForm = typed_form(models.Service)
ApplicationForm = typed_form(models.Application)
InfrastructureComponentForm = typed_form(models.InfrastructureComponent)


def _security_object_choices():
    return [("", "---------"), *[(name, name) for name in references.security_objects()]]


class SecurityControlForm(ElementFormBase):
    control_kind = forms.ChoiceField(
        label=_("Security object"),
        choices=_security_object_choices,
        required=False,
        help_text=_("One of the seven security objects of SIA SPBE."),
    )

    class Meta:
        model = models.SecurityControl
        fields = [*COMMON, *models.SecurityControl.type_fields]
        widgets = WIDGETS


def element_choice_label(element: models.Element) -> str:
    """An element as a relationship picker offers it: "name — domain — OPD" (the owner selected with it)."""
    return f"{element.name} — {element.get_domain_display()} — {element.owner.short_name}"


def _element_group(element: models.Element) -> str:
    return element.get_domain_display()


class RelationshipForm(ScopedModelForm):
    """The source must be an element the user may change; the target any element they may see."""

    class Meta:
        model = models.Relationship
        fields = ["source", "kind", "target", "description"]
        widgets = {
            "source": SearchableSelect(group_by=_element_group),
            "target": SearchableSelect(group_by=_element_group),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner is read with each element: its options name it without a query of their own.
        elements = models.Element.objects.select_related("owner")
        for name, action in (("source", "change"), ("target", "view")):
            field = self.fields[name]
            field.queryset = elements if self.user is None else permissions.restrict(elements, self.user, action)
            field.label_from_instance = element_choice_label
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


# The edit form of each element type: the UI's pages, and the proposal services that validate proposed values
# through the very same form (so the UI, the API and the CLI apply one set of rules).
FORMS_BY_MODEL = {
    models.Element: ElementForm,
    models.BusinessProcess: BusinessProcessForm,
    models.DataSet: DataSetForm,
    models.Service: ServiceForm,
    models.Application: ApplicationForm,
    models.InfrastructureComponent: InfrastructureComponentForm,
    models.SecurityControl: SecurityControlForm,
}


def form_for(element: models.Element) -> type[ScopedModelForm]:
    """The edit form of the element's own type (an Application's for an application, ...)."""
    return FORMS_BY_MODEL[type(element.typed)]


class ProposalNoteForm(forms.Form):
    """The note that goes with a step of a proposal (required when the reviewer returns it)."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
        bootstrapify(self)


class ProposalReviewForm(ProposalNoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("Note to the proposer"), **kwargs)
        self.fields["note"].help_text = _("Required to return the proposal: say what to fix or which file to attach.")


class CorrectionNoteForm(forms.Form):
    """The required note of a correction proposed by another OPD: what is wrong and how the proposer knows."""

    prefix = "correction"
    note = forms.CharField(
        label=_("Why the correction is needed"),
        help_text=_("Say what is wrong and how you know (e.g. a decree, a letter, the system itself)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ProposalAttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Optional; the file name by default.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(size)s.") % {
            "types": files.describe_allowed(),
            "size": files.human_size(files.max_upload_bytes()),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(files.allowed_types()))
        bootstrapify(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The service checks again when storing; here the reason shows beside the field.
        files.check_upload(upload)
        return upload
