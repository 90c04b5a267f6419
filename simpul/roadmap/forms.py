"""Forms of the roadmap's pages. Record forms are ScopedModelForms (choices limited to what the user may
see); the rules that hold on every channel are in the models' clean() and in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.organizations.models import Instansi
from simpul.roadmap import links
from simpul.roadmap.models import Initiative, Output, OutputBudget, Roadmap


class RoadmapForm(ScopedModelForm):
    class Meta:
        model = Roadmap
        fields = ["instansi", "name", "version_label", "source", "valid_from", "description"]


class InitiativeForm(ScopedModelForm):
    class Meta:
        model = Initiative
        fields = ["roadmap", "area", "number", "name", "plan_note"]


class OutputForm(ScopedModelForm):
    class Meta:
        model = Output
        fields = [
            "initiative",
            "number",
            "name",
            "start_year",
            "end_year",
            "responsible_opd",
            "target",
            "description",
            "plan_note",
        ]
        widgets = {"target": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = self.fields["initiative"].queryset.select_related("roadmap")
        self.fields["initiative"].label_from_instance = lambda item: f"{item.roadmap.version_label} · {item.name}"


class OutputBudgetForm(ScopedModelForm):
    class Meta:
        model = OutputBudget
        fields = ["output", "year", "planned", "realised", "note"]


class ReportForm(forms.Form):
    """The responsible OPD's report of one year: cumulative percentage and what was done."""

    percent = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, help_text=_("Cumulative, at the end of the year.")
    )
    narrative = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required to submit: what was delivered this year, what is left, what holds it up."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the OPD"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what to correct or add."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class EvidenceUrlForm(forms.Form):
    url = forms.URLField(label=_("Web address"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class RecordSearchForm(forms.Form):
    """Find a record of another module to link (to an output, or as evidence of a report)."""

    type = forms.ChoiceField(label=_("Kind of record"), required=False)
    q = forms.CharField(label=_("Name"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(entry.key, entry.label) for entry in links.linkable_types().values()]
        bootstrapify(self)

    def cleaned_type(self) -> str:
        value = self.cleaned_data.get("type") if self.is_valid() else ""
        return value or next(iter(links.linkable_types()), "")


class NewVersionForm(forms.Form):
    version_label = forms.CharField(label=_("Version"), max_length=100, help_text=_("e.g. Mid-term review 2025."))
    name = forms.CharField(label=_("Name"), max_length=300, required=False, help_text=_("Empty: the same name."))
    valid_from = forms.IntegerField(label=_("Valid from (year)"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    make_current = forms.BooleanField(
        label=_("Make it the current version"),
        required=False,
        initial=True,
        help_text=_("Progress is reported on the current version."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class CompareForm(forms.Form):
    old = forms.ModelChoiceField(label=_("Older version"), queryset=Roadmap.objects.none())
    new = forms.ModelChoiceField(label=_("Newer version"), queryset=Roadmap.objects.none())

    def __init__(self, *args, roadmaps=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].queryset = roadmaps if roadmaps is not None else Roadmap.objects.none()
        bootstrapify(self)

    def clean(self):
        data = super().clean()
        old, new = data.get("old"), data.get("new")
        if old and new and old.instansi_id != new.instansi_id:
            raise forms.ValidationError(_("Compare two versions of the same instansi's roadmap."))
        return data


class PlanImportForm(forms.Form):
    """An XLSX in the plan's table layout, loaded as a new version of an instansi's roadmap."""

    file = forms.FileField(label=_("File (.xlsx)"))
    instansi = forms.ModelChoiceField(label=_("Instansi"), queryset=Instansi.objects.none())
    name = forms.CharField(label=_("Name"), max_length=300, initial="Peta Rencana SPBE")
    version_label = forms.CharField(label=_("Version"), max_length=100)
    valid_from = forms.IntegerField(label=_("Valid from (year)"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    make_current = forms.BooleanField(label=_("Make it the current version"), required=False, initial=True)

    def __init__(self, *args, instansi_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = (
            instansi_queryset if instansi_queryset is not None else Instansi.objects.none()
        )
        bootstrapify(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel (.xlsx) file in the plan's table layout."))
        return upload
