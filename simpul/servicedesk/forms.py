"""The service desk's forms: the ticket's add and edit pages (routing filled in where the OPD is left
empty), the assignment groups and days off, and the small forms of the steps on a ticket's page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from simpul.core import files, permissions
from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.organizations.models import PerangkatDaerah
from simpul.servicedesk import models
from simpul.servicedesk.choices import ChangeRisk, ReplyKind
from simpul.servicedesk.services import routing


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


TICKET_FIELDS = [
    "instansi",
    "kind",
    "channel",
    "subject",
    "description",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "element",
    "impact",
    "urgency",
    "opd",
    "group",
    "problem",
    "root_cause",
    "workaround",
    "risk",
    "impact_analysis",
    "planned_start",
    "planned_end",
]
# Fixed once the ticket exists: its kind (the life cycle) and where it is; the OPD, group and assignee
# change through the logged steps "reassign" and "escalate".
FIXED_AFTER_OPENING = ("instansi", "kind", "opd", "group")


class TicketForm(ScopedModelForm):
    class Meta:
        model = models.Ticket
        fields = TICKET_FIELDS
        widgets = {"planned_start": DateTimeInput(), "planned_end": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in FIXED_AFTER_OPENING:
                self.fields.pop(name, None)
        else:
            self.fields["opd"].required = False
            user = self.user
            if getattr(user, "instansi_id", None) and not self.initial.get("instansi"):
                self.fields["instansi"].initial = user.instansi_id
        if "element" in self.fields:
            self.fields["element"].queryset = self.fields["element"].queryset.select_related("owner")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or "opd" not in self.fields:
            return cleaned
        probe = models.Ticket(
            instansi=cleaned.get("instansi"),
            element=cleaned.get("element"),
            opd=cleaned.get("opd"),
            group=cleaned.get("group"),
        )
        try:
            routing.route(probe)
        except ValidationError as error:
            self.add_error("opd", error.message_dict.get("opd"))
            return cleaned
        cleaned["opd"] = probe.opd
        if probe.group_id and not cleaned.get("group"):
            cleaned["group"] = probe.group
        return cleaned


class AssignmentGroupForm(ScopedModelForm):
    class Meta:
        model = models.AssignmentGroup
        fields = ["opd", "name", "description", "members", "receives_unrouted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        if self.user is not None:
            self.fields["opd"].queryset = permissions.allowed_owner_opds(
                self.user, action, models.AssignmentGroup, PerangkatDaerah.objects.all()
            )


class InstansiDayOffForm(ScopedModelForm):
    class Meta:
        model = models.InstansiDayOff
        fields = ["instansi", "date", "name"]
        widgets = {"date": DateInput()}


# --- Steps on a ticket's page ----------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, data=None, *, ticket=None, label=None, user=None, auto_id="id_%s"):
        super().__init__(data, auto_id=auto_id)
        self.ticket = ticket
        self.user = user
        if label:
            self.fields["note"].label = label
        self.setup()
        bootstrapify(self)

    def setup(self) -> None:
        """Fields that depend on the ticket (choices of its OPD)."""


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("Assignment group"), queryset=None, required=False)

    field_order = ["assignee", "group", "note"]

    def setup(self) -> None:
        from simpul.servicedesk.services import assignable_users, groups_of

        self.fields["assignee"].queryset = assignable_users(self.ticket)
        self.fields["group"].queryset = groups_of(self.ticket)


class EscalateForm(NoteForm):
    opd = forms.ModelChoiceField(label=_("To OPD"), queryset=PerangkatDaerah.objects.none())

    field_order = ["opd", "note"]

    def setup(self) -> None:
        self.fields["opd"].queryset = PerangkatDaerah.objects.filter(
            instansi_id=self.ticket.instansi_id, is_active=True
        ).exclude(pk=self.ticket.opd_id)


class KnownErrorForm(NoteForm):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    workaround = forms.CharField(label=_("Workaround"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    field_order = ["root_cause", "workaround", "note"]


class AssessForm(NoteForm):
    risk = forms.ChoiceField(label=_("Risk"), choices=[("", "—"), *ChangeRisk.choices], required=False)
    impact_analysis = forms.CharField(
        label=_("Impact analysis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = ["risk", "impact_analysis", "note"]


class ScheduleForm(NoteForm):
    planned_start = forms.DateTimeField(label=_("Planned start"), widget=DateTimeInput(), required=False)
    planned_end = forms.DateTimeField(label=_("Planned end"), widget=DateTimeInput(), required=False)

    field_order = ["planned_start", "planned_end", "note"]


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReplyKind.choices, initial=ReplyKind.PUBLIC)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, data=None, auto_id="id_reply_%s"):
        super().__init__(data, auto_id=auto_id)
        bootstrapify(self)


# --- The public intake ----------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the intake service (type, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PublicTicketForm(forms.Form):
    """A citizen's complaint without an account (the public web form). What it holds is validated by
    services.intake.submit_public, as the API's is; the form only shapes the input."""

    instansi = forms.ModelChoiceField(label=_("Instansi"), queryset=None, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, where and when. Do not write passwords or personal data of others."),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Optional: for news of your report.")
    )
    reporter_phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, help_text=_("Optional: for news of your report.")
    )
    service = forms.ModelChoiceField(
        label=_("Service or application concerned"),
        queryset=None,
        required=False,
        empty_label=_("I do not know / other"),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from simpul.servicedesk.services import intake

        super().__init__(*args, **kwargs)
        instansi = intake.intake_instansi()
        self.fields["instansi"].queryset = instansi
        self.fields["service"].queryset = intake.public_elements()
        self.fields["service"].label_from_instance = lambda element: element.name
        if instansi.count() <= 1:
            del self.fields["instansi"]
        self.fields["attachments"].help_text = _("Optional. Accepted: %(types)s.") % {"types": files.describe_allowed()}
        bootstrapify(self)
