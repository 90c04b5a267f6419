"""The typed events of workflows: one row per state change, written with the change itself."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowEvent(models.Model):
    """One transition of one record: who fired which transition, when, from which state to which.

    Written by `simpul.core.workflow.transition()` in the transaction of the change, so a state never
    changes without its event. The generic audit trail records the changed fields underneath; this row
    is the workflow's own timeline (history panels, exports, notifications).
    """

    timestamp = models.DateTimeField(_("time"), db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    workflow = models.CharField(_("workflow"), max_length=60)
    transition = models.CharField(_("transition"), max_length=60)
    from_state = models.CharField(_("from"), max_length=30)
    to_state = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(_("user name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    instansi_id = models.BigIntegerField(_("instansi"), null=True, blank=True, db_index=True)
    opd_id = models.BigIntegerField(_("OPD"), null=True, blank=True, db_index=True)

    # Who may see an event is who may view its record (permissions.restrict); the instansi and OPD ids
    # are the record's when the event was written, kept for reports.
    scope_record_fields = ("content_type", "object_id")
    scope_instansi_path = "instansi_id"
    scope_opd_path = "opd_id"

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.from_state} → {self.to_state}"

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return self.instansi_id, self.opd_id

    @property
    def from_state_label(self) -> str:
        return self._state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return self._state_label(self.to_state)

    def _state_label(self, value: str) -> str:
        # The label the record's model gives the state now (states are stored as codes).
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        workflow = getattr(model, "workflow", None)
        field_name = getattr(workflow, "field", None)
        if model is None or field_name is None:
            return value
        choices = dict(model._meta.get_field(field_name).flatchoices)
        return str(choices.get(value, value)) if value else "—"
