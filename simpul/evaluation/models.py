"""Internal SPBE evaluation: frameworks (as data), evaluation periods, indicator assessments, evidence.

A framework is national data loaded from a file (frameworks.py checks it); its domains, aspects and
indicators are also kept as rows so that assessments, crosswalks and filters can refer to them. An
evaluation period is one instansi's evaluation of one year under one framework. Each indicator is
assessed by its PIC (an OPD), reviewed internally, and then given levels at the national stages.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel, OwnedModel
from simpul.core.workflow import Transition, TransitionError, Workflow
from simpul.evaluation import frameworks


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("verified")
    VERIFIED_STRUCTURE = "verified_structure", _("structure verified")
    PARTIALLY_VERIFIED = "partially_verified", _("partially verified")
    UNVERIFIED = "unverified", _("unverified")


class Framework(ChangeLoggedModel):
    """An evaluation instrument (e.g. PermenPANRB 59/2020), stored as the document it was loaded from."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    source_regulation = models.TextField(_("source regulation"))
    status = models.CharField(_("verification"), max_length=24, default=VerificationStatus.UNVERIFIED)
    status_note = models.TextField(_("verification note"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest level"))
    scale_max = models.SmallIntegerField(_("highest level"))
    valid_for_years = models.JSONField(_("evaluation years"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    source_file = models.CharField(_("loaded from"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive frameworks stay for history but are not offered.")
    )

    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")
        ordering = ["-scale_min", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def document(self) -> dict:
        """The framework file as loaded (kept in its own table, see FrameworkDocument)."""
        return self.stored_document.document

    @property
    def spec(self) -> frameworks.FrameworkSpec:
        """The parsed framework, parsed once per document version and process."""
        spec = _SPEC_CACHE.get(self.sha256)
        if spec is None:
            spec = frameworks.parse_framework(self.document)
            _SPEC_CACHE[self.sha256] = spec
        return spec

    @property
    def unverified(self) -> bool:
        return self.status not in frameworks.VERIFIED_STATUSES


_SPEC_CACHE: dict[str, frameworks.FrameworkSpec] = {}


class FrameworkDocument(models.Model):
    """The framework file itself, apart from Framework: lists that join a period to its framework (of
    thousands of periods) would otherwise fetch and decode its ~120 kB of JSON for every row."""

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, primary_key=True, related_name="stored_document"
    )
    document = models.JSONField(_("framework document"))

    class Meta:
        verbose_name = _("framework document")
        verbose_name_plural = _("framework documents")


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    weight = models.FloatField(_("weight (%)"))

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="evaluation_domain_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Aspect(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aspects")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, null=True, blank=True, related_name="aspects")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    weight = models.FloatField(_("weight (%)"))

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="evaluation_aspect_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """One indicator of a framework; its level texts stay in the framework document (see `spec`)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=300)
    weight = models.FloatField(_("weight (%)"))
    unverified = models.BooleanField(_("unverified text"), default=False)

    scope_instansi_path = None
    scope_opd_path = None

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="evaluation_indicator_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def spec(self) -> frameworks.IndicatorSpec:
        return self.framework.spec.indicator(self.number)


class Crosswalk(models.Model):
    """Two indicators of different frameworks that measure the same thing, so history stays comparable."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official")
        UNVERIFIED = "unverified", _("unverified (by content)")

    from_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="crosswalk_to")
    to_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="crosswalk_from")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("indicator correspondence")
        verbose_name_plural = _("indicator correspondences")
        constraints = [
            models.UniqueConstraint(fields=["from_indicator", "to_indicator"], name="evaluation_crosswalk_unique")
        ]


class PeriodStatus(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    SELF_ASSESSMENT = "self_assessment", _("self-assessment")
    INTERNAL_REVIEW = "internal_review", _("internal review")
    NATIONAL = "national", _("national evaluation")
    CLOSED = "closed", _("closed")


OPEN_PERIOD_STATUSES = (
    PeriodStatus.PREPARATION,
    PeriodStatus.SELF_ASSESSMENT,
    PeriodStatus.INTERNAL_REVIEW,
    PeriodStatus.NATIONAL,
)

# The error code of any change refused because its period is closed (a guard of the workflows, and the
# services that are not transitions: PIC assignment, national results).
PERIOD_CLOSED = "period_closed"


def ensure_open(period: EvaluationPeriod) -> None:
    """Refuse a change inside a closed period: its levels are final."""
    if period.is_closed:
        raise TransitionError(
            PERIOD_CLOSED, gettext("This evaluation period is closed; its assessments can no longer change.")
        )


def _period_open(user, assessment: IndicatorAssessment) -> None:
    ensure_open(assessment.period)


# The stages are a signpost for everyone; only "closed" locks, and it is final. Going back a stage is
# possible while the period is open, with a note saying why.
PERIOD_WORKFLOW = Workflow(
    "evaluation_period",
    field="status",
    transitions=[
        Transition(
            "start_self_assessment",
            [PeriodStatus.PREPARATION],
            PeriodStatus.SELF_ASSESSMENT,
            label=_("Start the self-assessment"),
        ),
        Transition(
            "start_review",
            [PeriodStatus.SELF_ASSESSMENT],
            PeriodStatus.INTERNAL_REVIEW,
            label=_("Start the internal review"),
        ),
        Transition(
            "start_national",
            [PeriodStatus.INTERNAL_REVIEW],
            PeriodStatus.NATIONAL,
            label=_("Start the national evaluation"),
        ),
        Transition("close", OPEN_PERIOD_STATUSES, PeriodStatus.CLOSED, label=_("Close the period")),
        Transition(
            "back_to_preparation",
            [PeriodStatus.SELF_ASSESSMENT],
            PeriodStatus.PREPARATION,
            requires_note=True,
            label=_("Back to preparation"),
        ),
        Transition(
            "back_to_self_assessment",
            [PeriodStatus.INTERNAL_REVIEW, PeriodStatus.NATIONAL],
            PeriodStatus.SELF_ASSESSMENT,
            requires_note=True,
            label=_("Back to the self-assessment"),
        ),
        Transition(
            "back_to_review",
            [PeriodStatus.NATIONAL],
            PeriodStatus.INTERNAL_REVIEW,
            requires_note=True,
            label=_("Back to the internal review"),
        ),
    ],
)


class EvaluationPeriod(ChangeLoggedModel):
    """One instansi's SPBE evaluation of one year, under one framework."""

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="periods"
    )
    status = models.CharField(_("stage"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.PREPARATION)
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    review_due = models.DateField(_("internal review due"), null=True, blank=True)
    target_index = models.DecimalField(_("target index"), max_digits=4, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("notes"), blank=True)

    scope_instansi_path = "instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-year", "instansi__name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="evaluation_period_unique_year"),
        ]

    workflow = PERIOD_WORKFLOW

    def __str__(self) -> str:
        return _("SPBE evaluation %(year)s, %(instansi)s") % {"year": self.year, "instansi": self.instansi}

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    def clean(self):
        super().clean()
        if self.target_index is not None and self.framework_id:
            low, high = self.framework.scale_min, self.framework.scale_max
            if not low <= float(self.target_index) <= high:
                raise ValidationError(
                    {
                        "target_index": _("The target must lie on the framework's scale, %(low)s to %(high)s.")
                        % {"low": low, "high": high}
                    }
                )


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


# The states in which the PIC writes the self-assessment.
SELF_EDITABLE = (AssessmentStatus.NOT_STARTED, AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)

# The PIC ("change") writes and submits; a reviewer ("review") accepts or returns. Nothing moves once the
# period is closed: that is the step that makes every level final.
ASSESSMENT_WORKFLOW = Workflow(
    "indicator_assessment",
    field="status",
    transitions=[
        Transition("save_draft", SELF_EDITABLE, AssessmentStatus.DRAFT, guard=_period_open, label=_("Save draft")),
        Transition(
            "submit", SELF_EDITABLE, AssessmentStatus.SUBMITTED, guard=_period_open, label=_("Submit for review")
        ),
        # Taking a submission back before anyone reviewed it, e.g. to add evidence that was forgotten.
        Transition(
            "withdraw",
            [AssessmentStatus.SUBMITTED],
            AssessmentStatus.DRAFT,
            guard=_period_open,
            label=_("Withdraw the submission"),
        ),
        Transition(
            "accept",
            [AssessmentStatus.SUBMITTED],
            AssessmentStatus.ACCEPTED,
            permission="review",
            guard=_period_open,
            label=_("Accept"),
        ),
        Transition(
            "return",
            [AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
            AssessmentStatus.RETURNED,
            permission="review",
            requires_note=True,
            guard=_period_open,
            label=_("Return to the PIC"),
        ),
    ],
)


class IndicatorAssessment(ChangeLoggedModel):
    """One indicator (or one part of it, e.g. 5/2018 #35-2) of one evaluation period.

    The PIC records the self-assessment; a reviewer accepts it (fixing the final internal level) or
    returns it with a note. Changes go through `simpul.evaluation.services`, which enforce that order.
    """

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="assessments")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(
        _("item"), max_length=16, help_text=_("The indicator number, or its part (e.g. 35-2) when assessed in parts.")
    )
    pic = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("person in charge (OPD)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pic_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(
        _("assessed subject"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the public service assessed for this part."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.NOT_STARTED
    )
    self_level = models.DecimalField(_("self-assessed level"), max_digits=4, decimal_places=2, null=True, blank=True)
    self_justification = models.TextField(_("justification"), blank=True)
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    final_level = models.DecimalField(_("final internal level"), max_digits=4, decimal_places=2, null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    national_level = models.DecimalField(
        _("national level"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The level of the latest national stage recorded."),
    )
    effort = models.PositiveSmallIntegerField(
        _("effort per level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How hard one level up is, from 1 (easy) to 10 (very hard); used by the planner."),
    )
    satisfaction_x = models.DecimalField(
        _("satisfaction value x"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-4), MaxValueValidator(4)],
        help_text=_("Mean perceived benefit minus mean perceived cost (−4 to +4), for survey-scored indicators."),
    )

    scope_instansi_path = "period__instansi"
    scope_opd_path = "pic"

    class Meta:
        verbose_name = _("indicator assessment")
        verbose_name_plural = _("indicator assessments")
        ordering = ["period", "indicator__number", "item_key"]
        constraints = [
            models.UniqueConstraint(fields=["period", "item_key"], name="evaluation_assessment_unique_item"),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    workflow = ASSESSMENT_WORKFLOW

    def __str__(self) -> str:
        return f"{self.item_key}. {self.indicator.name}"

    @property
    def is_part(self) -> bool:
        return self.item_key != str(self.indicator.number)


class NationalStage(models.TextChoices):
    DOCUMENT = "document", _("document assessment")
    INTERVIEW = "interview", _("interview")
    FIELD = "field", _("field validation")


# The stages in the order they happen: the latest one recorded gives the national level.
NATIONAL_STAGE_ORDER = (NationalStage.DOCUMENT, NationalStage.INTERVIEW, NationalStage.FIELD)


class NationalStageResult(ChangeLoggedModel):
    """What the national evaluators gave an indicator at one stage."""

    assessment = models.ForeignKey(IndicatorAssessment, on_delete=models.CASCADE, related_name="national_results")
    stage = models.CharField(_("stage"), max_length=12, choices=NationalStage.choices)
    level = models.DecimalField(_("level"), max_digits=4, decimal_places=2)
    notes = models.TextField(_("evaluator's notes"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    assessed_on = models.DateField(_("date"), null=True, blank=True)

    scope_instansi_path = "assessment__period__instansi"
    scope_opd_path = "assessment__pic"

    class Meta:
        verbose_name = _("national stage result")
        verbose_name_plural = _("national stage results")
        ordering = ["assessment", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "stage"], name="evaluation_national_unique_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.get_stage_display()}"


def evidence_file_path(instance: Evidence, filename: str) -> str:
    # The stored name is the checksum: no user-chosen path, and the same file is not stored twice.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evaluation/evidence/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class Evidence(ChangeLoggedModel):
    """Supporting evidence (bukti dukung) of an assessment: an uploaded file or a link to a Simpul record."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        RECORD = "record", _("Simpul record")
        URL = "url", _("web address")

    assessment = models.ForeignKey(IndicatorAssessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_file_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    record_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_instansi_path = "assessment__period__instansi"
    scope_opd_path = "assessment__pic"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.FILE and not self.file:
            raise ValidationError({"file": _("Choose a file to upload.")})
        if self.kind == self.Kind.RECORD and not (self.record_type_id and self.record_id):
            raise ValidationError(_("Choose the Simpul record this evidence points to."))
        if self.kind == self.Kind.URL and not self.url:
            raise ValidationError({"url": _("Enter the web address.")})


class ScoreBasis(models.TextChoices):
    SELF = "self", _("self-assessment")
    INTERNAL = "internal", _("final internal")
    NATIONAL = "national", _("national")


# The most authoritative result of a period first: the national one once there is one, else the internal one.
BASES_BEST_FIRST = (ScoreBasis.NATIONAL, ScoreBasis.INTERNAL, ScoreBasis.SELF)


class PeriodScore(models.Model):
    """The index of a period on one basis, stored on every change so history and charts read it directly."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="scores")
    basis = models.CharField(_("basis"), max_length=10, choices=ScoreBasis.choices)
    index = models.DecimalField(_("index"), max_digits=5, decimal_places=2)
    raw_index = models.FloatField(_("unrounded index"))
    predicate = models.CharField(_("predicate"), max_length=40, blank=True)
    domains = models.JSONField(_("domain indices"), default=dict)
    aspects = models.JSONField(_("aspect indices"), default=dict)
    assessed = models.PositiveSmallIntegerField(_("items with a level"))
    total = models.PositiveSmallIntegerField(_("items"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    scope_instansi_path = "period__instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("index result")
        verbose_name_plural = _("index results")
        constraints = [models.UniqueConstraint(fields=["period", "basis"], name="evaluation_score_unique_basis")]

    @property
    def complete(self) -> bool:
        return self.assessed == self.total


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


# The owner OPD (or the evaluator team) moves its actions; actions outlive the period they were planned
# from (they raise next year's levels), so a closed period does not stop them.
ACTION_WORKFLOW = Workflow(
    "improvement_action",
    field="status",
    transitions=[
        Transition("start", [ActionStatus.PLANNED], ActionStatus.IN_PROGRESS, label=_("Start")),
        Transition(
            "complete",
            [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
            ActionStatus.DONE,
            label=_("Mark as done"),
        ),
        Transition("drop", [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], ActionStatus.DROPPED, label=_("Drop")),
        Transition("reopen", [ActionStatus.DONE], ActionStatus.IN_PROGRESS, label=_("Reopen")),
        Transition("restore", [ActionStatus.DROPPED], ActionStatus.PLANNED, label=_("Plan again")),
    ],
)


class ImprovementAction(OwnedModel):
    """A planned one-level raise of an indicator, with an owner OPD and a due date.

    It is the plain action list of the planner; once the roadmap module exists, actions move there.
    """

    Status = ActionStatus

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="actions")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(_("item"), max_length=16)
    from_level = models.PositiveSmallIntegerField(_("from level"))
    to_level = models.PositiveSmallIntegerField(_("to level"))
    title = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "indicator__number"]

    workflow = ACTION_WORKFLOW

    def __str__(self) -> str:
        return self.title
