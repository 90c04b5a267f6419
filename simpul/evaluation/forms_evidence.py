"""Forms that collect evidence input; checking and storing happen in simpul/evaluation/evidence.py."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from simpul.core import files
from simpul.core.forms import bootstrapify
from simpul.evaluation import evidence


class _EvidenceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Optional; the file name or address by default.")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class EvidenceFileForm(_EvidenceForm):
    file = forms.FileField(label=_("File"))
    field_order = ["file", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(size)s.") % {
            "types": files.describe_allowed(),
            "size": files.human_size(files.max_upload_bytes()),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(files.allowed_types()))
        self.checked: files.CheckedFile | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The same check runs again when storing; here it gives the error beside the field.
        self.checked = files.check_upload(upload)
        return upload


class EvidenceUrlForm(_EvidenceForm):
    url = forms.URLField(label=_("Web address"), max_length=500, assume_scheme="https")
    field_order = ["url", "title", "description"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Enter an address starting with http:// or https://."))
        return url


class EvidenceRecordForm(forms.Form):
    """One or more records chosen in the picker (or proposed by a hint), as "contenttype-id:pk" keys."""

    record = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.assessment = assessment
        self.records = []

    def clean(self):
        keys = self.data.getlist("record") if hasattr(self.data, "getlist") else [self.data.get("record")]
        keys = [key for key in keys if key]
        if not keys:
            raise ValidationError(_("Choose a Simpul record from the search results."))
        self.records = [evidence.resolve_record_key(self.user, self.assessment, key) for key in keys]
        return self.cleaned_data


class RecordSearchForm(forms.Form):
    type = forms.ChoiceField(label=_("Kind of record"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(entry.key, entry.label) for entry in evidence.linkable_types().values()]
        bootstrapify(self)

    def cleaned_type(self) -> str:
        value = self.cleaned_data.get("type") if self.is_valid() else ""
        return value or next(iter(evidence.linkable_types()), "")
