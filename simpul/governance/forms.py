"""The governance module's forms: the generic edit pages' model forms (related choices limited to what the
user may see, files checked by the models), and the small forms of the workflow steps."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core import permissions
from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.governance import models
from simpul.governance.choices import PolicyStatus


def _user_instansi_initial(form: ScopedModelForm, field: str = "instansi") -> None:
    """A new record defaults to the user's own instansi."""
    user = form.user
    if not form.instance.pk and field in form.fields and getattr(user, "instansi_id", None):
        form.fields[field].initial = form.initial.get(field) or user.instansi_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DocumentInput(forms.FileInput):
    """A file box without a link to the stored file: documents are served only by the download views, after
    the permission check, never from a media URL. Uploading a file replaces the current one."""


DOCUMENT_HELP = _("PDF, Word, OpenDocument or image. Uploading a file replaces the current one.")


class PolicyForm(ScopedModelForm):
    class Meta:
        model = models.Policy
        fields = ["instansi", "kind", "number", "date", "title", "summary", "owner", "topics", "indicators"]
        fields += ["document", "jdih_url"]
        widgets = {"date": DateInput(), "document": DocumentInput()}
        help_texts = {"document": DOCUMENT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _user_instansi_initial(self)
        indicators = self.fields["indicators"]
        indicators.queryset = indicators.queryset.select_related("framework").order_by("framework__code", "number")
        # Indicators of several frameworks share their numbers: each is named with its framework.
        indicators.label_from_instance = lambda indicator: f"{indicator.framework.code} · {indicator}"


class PolicyImportForm(ScopedModelForm):
    """Rows of a policy list: imported as drafts, each enacted afterwards on its page."""

    class Meta:
        model = models.Policy
        fields = ["instansi", "kind", "number", "date", "title", "summary", "owner", "jdih_url"]


class TeamForm(ScopedModelForm):
    class Meta:
        model = models.Team
        fields = ["instansi", "kind", "name", "tasks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _user_instansi_initial(self)


class DecreeForm(ScopedModelForm):
    class Meta:
        model = models.Decree
        fields = ["team", "number", "date", "title", "valid_from", "valid_to", "policy", "document"]
        widgets = {"date": DateInput(), "valid_from": DateInput(), "valid_to": DateInput(), "document": DocumentInput()}
        help_texts = {"document": DOCUMENT_HELP}


class TeamMemberForm(ScopedModelForm):
    class Meta:
        model = models.TeamMember
        fields = ["decree", "order", "position", "name", "office", "opd", "user", "role", "grant_role"]


class MeetingForm(ScopedModelForm):
    class Meta:
        model = models.Meeting
        fields = ["team", "title", "date", "place", "agenda", "attendees", "guests", "minutes", "document"]
        widgets = {"date": DateInput(), "document": DocumentInput()}
        help_texts = {"document": DOCUMENT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = self.fields["attendees"].queryset.select_related("decree")
        team_id = self.initial.get("team") or self.instance.team_id
        if team_id:
            self.fields["attendees"].queryset = self.fields["attendees"].queryset.filter(decree__team_id=team_id)

    def clean(self):
        cleaned = super().clean()
        team, attendees = cleaned.get("team"), cleaned.get("attendees")
        if team and attendees and any(member.decree.team_id != team.pk for member in attendees):
            self.add_error("attendees", _("Only members of this team can be marked present."))
        return cleaned


class DecisionForm(ScopedModelForm):
    class Meta:
        model = models.Decision
        fields = ["meeting", "number", "text"]


class FollowUpActionForm(ScopedModelForm):
    class Meta:
        model = models.FollowUpAction
        fields = ["decision", "owner", "title", "description", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = self.fields["decision"].queryset.select_related("meeting")


# --- Workflow steps -----------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
        bootstrapify(self)


class EnactForm(NoteForm):
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    date = forms.DateField(label=_("Date enacted"), required=False, widget=DateInput())

    field_order = ["number", "date", "note"]

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policy is not None and not self.is_bound:
            self.initial = {"number": policy.number, "date": policy.date or timezone.localdate()}


class ReplaceForm(NoteForm):
    replaced_by = forms.ModelChoiceField(label=_("Replaced by"), queryset=models.Policy.objects.none())

    field_order = ["replaced_by", "note"]

    def __init__(self, *args, policy=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policy is not None:
            candidates = models.Policy.objects.filter(
                instansi_id=policy.instansi_id, status=PolicyStatus.DITETAPKAN
            ).exclude(pk=policy.pk)
            self.fields["replaced_by"].queryset = permissions.restrict(candidates, user, "view")
        bootstrapify(self)


class CompleteForm(NoteForm):
    evidence_url = forms.URLField(label=_("Link to evidence (optional)"), required=False, max_length=500)

    field_order = ["note", "evidence_url"]


class GrantRolesForm(forms.Form):
    remove_previous = forms.BooleanField(
        label=_("Also remove the roles that the decrees this one supersedes granted and this one does not"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
