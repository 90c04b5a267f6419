"""Forms of the evaluation pages; they only collect input, the state changes happen in services.py
(evidence: evidence.py, which also checks and stores the files)."""

from __future__ import annotations

import itertools
import json

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core import files, permissions
from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.evaluation import evidence, planner, planning
from simpul.evaluation.models import (
    BASES_BEST_FIRST,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
    NationalStage,
)
from simpul.organizations.models import Instansi, PerangkatDaerah

# A framework file is a few hundred kilobytes; anything far larger is not one.
MAX_FRAMEWORK_FILE_BYTES = 5 * 1024 * 1024


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        years = ", ".join(str(year) for year in obj.valid_for_years or ())
        return f"{obj.title} ({years})" if years else obj.title


def framework_for_year(year: int) -> Framework | None:
    """The active framework meant for `year`, else the newest active one."""
    active = list(Framework.objects.filter(is_active=True).order_by("-created_at"))
    for framework in active:
        if year in (framework.valid_for_years or ()):
            return framework
    return max(active, key=lambda f: max(f.valid_for_years or [0]), default=None)


class PeriodForm(ScopedModelForm):
    """A new period (instansi, year, framework, optional default PIC) or the dates/target of an existing one.

    Instansi, year and framework are fixed once the period exists: its assessments were made from them.
    """

    default_pic = forms.ModelChoiceField(
        queryset=PerangkatDaerah.objects.filter(is_active=True),
        required=False,
        label=_("Default PIC (OPD)"),
        help_text=_("Every indicator starts with this OPD as PIC; reviewers can reassign them later."),
    )

    class Meta:
        model = EvaluationPeriod
        fields = ["instansi", "year", "framework", "self_assessment_due", "review_due", "target_index", "description"]
        field_classes = {"framework": FrameworkChoiceField}
        widgets = {
            "self_assessment_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            for name in ("instansi", "year", "framework", "default_pic"):
                del self.fields[name]
            return
        allowed = permissions.allowed_instansi_ids(user, "add", EvaluationPeriod) if user else set()
        instansi = self.fields["instansi"]
        instansi.queryset = Instansi.objects.all() if allowed is None else Instansi.objects.filter(pk__in=allowed)
        self.fields["framework"].queryset = Framework.objects.filter(is_active=True)
        if not self.is_bound:
            year = self.initial.get("year")
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = timezone.now().year
            self.initial["year"] = year
            if not self.initial.get("framework"):
                preferred = framework_for_year(year)
                self.initial["framework"] = preferred.pk if preferred else None
            if not self.initial.get("instansi") and len(instansi.queryset) == 1:
                self.initial["instansi"] = instansi.queryset[0].pk
        # With htmx, changing the year re-offers the framework meant for it; without, the user picks one.
        self.fields["year"].widget.attrs.update(
            {
                "hx-get": reverse("evaluation:evaluationperiod_add"),
                "hx-trigger": "change",
                "hx-include": "this",
                "hx-select": "#id_framework",
                "hx-target": "#id_framework",
                "hx-swap": "outerHTML",
            }
        )
        pic = self.fields["default_pic"]
        pic.queryset = pic.queryset.filter(instansi__in=instansi.queryset).select_related("instansi")

    def clean(self):
        cleaned = super().clean()
        pic, instansi = cleaned.get("default_pic"), cleaned.get("instansi")
        if pic is not None and instansi is not None and pic.instansi_id != instansi.pk:
            self.add_error("default_pic", _("The PIC must be an OPD of the instansi being evaluated."))
        return cleaned


class TransitionForm(forms.Form):
    """One step of a workflow (a button's value) and its note.

    Any step of the workflow is a valid choice, so that the service, not the form, says why one is
    refused (its state, the user's permission); the buttons are those in `offered`, the steps the user
    may take now.
    """

    transition = forms.ChoiceField(label=_("Step"), choices=())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when going back a stage: say why."),
    )

    def __init__(self, *args, workflow, offered=(), **kwargs):
        kwargs.setdefault("auto_id", "id_step_%s")
        super().__init__(*args, **kwargs)
        self.transitions = list(offered)
        self.fields["transition"].choices = [(step.name, step.label or step.name) for step in workflow.transitions]
        bootstrapify(self)


class AssignPicForm(forms.Form):
    """Several indicators of one period handed to one OPD (or back to none)."""

    assessments = forms.ModelMultipleChoiceField(
        queryset=IndicatorAssessment.objects.none(),
        label=_("Indicators"),
        error_messages={"required": _("Tick the indicators to assign first.")},
    )
    pic = forms.ModelChoiceField(
        queryset=PerangkatDaerah.objects.none(),
        required=False,
        label=_("PIC (OPD)"),
        empty_label=_("— no PIC —"),
    )
    due_date = forms.DateField(
        required=False,
        label=_("Due"),
        help_text=_("Empty: the period's self-assessment deadline."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, period: EvaluationPeriod, user, **kwargs):
        # The period page also holds the indicator filter, whose PIC select would otherwise share id_pic.
        kwargs.setdefault("auto_id", "id_assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = permissions.restrict(period.assessments.all(), user, "review")
        self.fields["pic"].queryset = PerangkatDaerah.objects.filter(instansi=period.instansi_id, is_active=True)
        bootstrapify(self)


def level_choices(levels) -> list[tuple[str, str]]:
    choices = []
    for spec in levels:
        label = f"{spec.level} – {spec.name}" if spec.name else str(spec.level)
        choices.append((str(spec.level), label))
    return choices


class SelfAssessmentForm(forms.Form):
    """The PIC's level and justification; a survey-scored indicator takes the survey value x instead."""

    self_level = forms.ChoiceField(label=_("Level"), required=False, widget=forms.RadioSelect)
    satisfaction_x = forms.DecimalField(
        label=_("Satisfaction value x"),
        required=False,
        max_digits=4,
        decimal_places=2,
        min_value=-4,
        max_value=4,
        help_text=_("Mean perceived benefit minus mean perceived cost, from −4 to +4; the level follows from it."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the indicator meets this level: what exists, since when, and where the evidence is."),
    )

    def __init__(self, *args, levels=(), satisfaction=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.satisfaction = satisfaction
        self.levels = list(levels)
        if satisfaction is None:
            del self.fields["satisfaction_x"]
            self.fields["self_level"].choices = level_choices(levels)
        else:
            del self.fields["self_level"]
        bootstrapify(self)
        if "self_level" in self.fields:
            self.fields["self_level"].widget.attrs["class"] = "form-check-input"

    def level_options(self) -> list[tuple]:
        """Each level's radio button with the level's text, so the PIC chooses by criterion, not by number."""
        if "self_level" not in self.fields:
            return []
        specs = {str(spec.level): spec for spec in self.levels}
        return [(radio, specs.get(str(radio.data["value"]))) for radio in self["self_level"]]

    def level(self):
        """The level to store: the chosen one, or the one the survey value x converts to."""
        if self.satisfaction is None:
            return self.cleaned_data.get("self_level") or None
        x = self.cleaned_data.get("satisfaction_x")
        return None if x is None else round(self.satisfaction.level_for(float(x)), 2)


class ReviewForm(forms.Form):
    final_level = forms.ChoiceField(
        label=_("Final internal level"),
        required=False,
        help_text=_("Leave empty to accept the self-assessed level; a different level needs a note."),
    )
    review_note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the indicator or changing its level."),
    )

    def __init__(self, *args, levels=(), fractional=False, **kwargs):
        super().__init__(*args, **kwargs)
        if fractional:
            self.fields["final_level"] = forms.DecimalField(
                label=_("Final internal level"), required=False, max_digits=4, decimal_places=2
            )
        else:
            self.fields["final_level"].choices = [("", _("— as self-assessed —")), *level_choices(levels)]
        bootstrapify(self)


class NationalResultForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=NationalStage.choices)
    level = forms.DecimalField(label=_("Level"), max_digits=4, decimal_places=2)
    assessed_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.CharField(label=_("Evaluator's notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (JSON)"),
        help_text=_("A framework file in the format of the shipped ones (see data/frameworks in the source)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FRAMEWORK_FILE_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; a framework file is much smaller."))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationError(_("The file is not readable JSON: %(error)s") % {"error": error}) from error
        self.cleaned_data["document"] = document
        return upload


# --- Analysis and planner ---------------------------------------------------------------------------------


def basis_choices(best: bool = True) -> list[tuple[str, str]]:
    choices = [(basis.value, basis.label) for basis in BASES_BEST_FIRST]
    return [("best", _("latest available (national, else internal, else self)")), *choices] if best else choices


class TrendForm(forms.Form):
    instansi = forms.ModelChoiceField(label=_("Instansi"), queryset=Instansi.objects.none(), required=False)
    basis = forms.ChoiceField(label=_("Basis"), choices=(), required=False)

    def __init__(self, *args, instansi_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = instansi_queryset
        self.fields["instansi"].empty_label = None
        self.fields["basis"].choices = basis_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ComparisonForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.none(), required=False)
    basis = forms.ChoiceField(label=_("Basis"), choices=(), required=False)

    def __init__(self, *args, years, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("latest of each instansi")), *[(y, str(y)) for y in years]]
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].empty_label = _("all frameworks")
        self.fields["basis"].choices = basis_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class PlannerForm(forms.Form):
    """The target and basis of a plan, and, as advanced settings, the limits it keeps to.

    The limits (`max_rise`, `effort_to_<level>`) are blank unless the user changes them: blank is the
    default of `data/planner.json`, shown as the placeholder. `limits()` gives what the plan uses.
    """

    target = forms.DecimalField(
        label=_("Target index"), required=False, max_digits=4, decimal_places=2, min_value=0, max_value=5
    )
    predicate = forms.ChoiceField(label=_("or target predicate"), required=False, choices=())
    basis = forms.ChoiceField(label=_("Start from"), required=False, choices=())

    def __init__(self, *args, spec, defaults: planner.Limits, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        self.fields["predicate"].choices = [("", "—"), *[(p.name, p.name) for p in reversed(spec.predicates)]]
        self.fields["basis"].choices = list(planning.PLAN_BASES.items())
        self.fields["target"].min_value = spec.scale_min
        self.fields["target"].widget.attrs.update(
            {"class": "form-control form-control-sm", "step": "0.01", "min": spec.scale_min, "max": spec.scale_max}
        )
        for name in ("predicate", "basis"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        span = spec.scale_max - spec.scale_min
        default_rise = defaults.max_rise if defaults.max_rise is not None else span
        self.fields["max_rise"] = forms.TypedChoiceField(
            label=_("Highest rise per indicator per cycle"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("default (%(value)s)") % {"value": default_rise}), *[(n, n) for n in range(1, span + 1)]],
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
        self.effort_fields = {}
        for level in planner.reached_levels(spec):
            name = f"effort_to_{level}"
            self.effort_fields[name] = level
            self.fields[name] = forms.IntegerField(
                label=_("Effort of a step to level %(level)s") % {"level": level},
                required=False,
                min_value=1,
                max_value=planning.MAX_LEVEL_EFFORT,
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm text-end",
                        "step": "1",
                        "min": "1",
                        "max": str(planning.MAX_LEVEL_EFFORT),
                        "placeholder": str(defaults.level_effort(level)),
                    }
                ),
            )

    def clean(self):
        data = super().clean()
        if not any(self.has_error(name) for name in self.effort_fields):
            table = [self._level_effort(data, name, level) for name, level in self.effort_fields.items()]
            if any(low > high for low, high in itertools.pairwise(table)):
                raise ValidationError(
                    _("The effort of a level must not be less than the effort of the level below it."),
                    code="effort_order",
                )
        return data

    def _level_effort(self, data, name: str, level: int) -> int:
        value = data.get(name)
        return value if value is not None else self.defaults.level_effort(level)

    @property
    def advanced_errors(self) -> bool:
        return any(self.has_error(name) for name in ("max_rise", *self.effort_fields)) or self.has_error(
            NON_FIELD_ERRORS, "effort_order"
        )

    @property
    def advanced_changed(self) -> bool:
        """Whether the user set any limit (then the advanced settings are shown open)."""
        return self.is_bound and any(
            self.data.get(name) not in (None, "") for name in ("max_rise", *self.effort_fields)
        )

    def limits(self) -> planner.Limits:
        """The limits the plan keeps to: the user's where given and valid, else the defaults.

        Level efforts are taken all or none: a table with any wrong value is not mixed with the defaults.
        """
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        rise = data.get("max_rise") if not self.has_error("max_rise") else None
        efforts = dict(self.defaults.level_efforts)
        table_ok = not any(self.has_error(name) for name in self.effort_fields) and not self.has_error(
            NON_FIELD_ERRORS, "effort_order"
        )
        if table_ok and any(data.get(name) is not None for name in self.effort_fields):
            efforts = {level: self._level_effort(data, name, level) for name, level in self.effort_fields.items()}
        return planner.Limits(max_rise=rise if rise is not None else self.defaults.max_rise, level_efforts=efforts)


# --- Evidence ------------------------------------------------------------------------------------------------


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
