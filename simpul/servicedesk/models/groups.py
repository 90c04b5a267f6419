"""Who handles tickets: the assignment groups of each OPD, and the instansi's extra days off that the
SLA clocks skip."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.formats import date_text
from simpul.core.models import ChangeLoggedModel


class AssignmentGroup(ChangeLoggedModel):
    """A team of agents in one OPD that tickets are assigned to (e.g. "Helpdesk DISKOMINFO", "Tim Jaringan")."""

    opd = models.ForeignKey(
        "organizations.PerangkatDaerah", verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="servicedesk_groups"
    )
    receives_unrouted = models.BooleanField(
        _("receives unrouted tickets"),
        default=False,
        help_text=_(
            "The instansi's service desk: a ticket that names no element owned by an OPD goes to this group "
            "and its OPD. At most one group per instansi."
        ),
    )

    scope_instansi_path = "opd__instansi"
    scope_opd_path = "opd"

    class Meta:
        verbose_name = _("assignment group")
        verbose_name_plural = _("assignment groups")
        ordering = ["opd", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "name"],
                name="servicedesk_group_unique_name",
                violation_error_message=_("The OPD already has a group with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.receives_unrouted and self.opd_id:
            others = AssignmentGroup.objects.filter(opd__instansi_id=self.opd.instansi_id, receives_unrouted=True)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"receives_unrouted": _("Another group of this instansi already receives unrouted tickets.")}
                )


class InstansiDayOff(ChangeLoggedModel):
    """A day the instansi's offices are closed beyond the national holidays and cuti bersama (e.g. the
    regency's anniversary): the SLA clocks do not run on it."""

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)

    scope_instansi_path = "instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        ordering = ["instansi", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "date"],
                name="servicedesk_dayoff_unique_date",
                violation_error_message=_("This day is already recorded as a day off."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({date_text(self.date)})"
