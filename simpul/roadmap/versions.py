"""Versions of a roadmap: a revision (a new master plan, a mid-term review) is a copy of the version it is
based on, which stays readable as it was; two versions compare as the outputs added, removed and re-timed.

An output of one version is the same output in another when its initiative and its own name match
(ignoring case and spacing): a renamed output reads as one removed and one added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from simpul.core import context, permissions
from simpul.core import services as core_services
from simpul.roadmap.models import (
    Output,
    OutputBudget,
    OutputLink,
    ProgressEvidence,
    ProgressReport,
    Roadmap,
)

# What a copied record keeps of the original: every field but its id, its parent and its timestamps.
_NOT_COPIED = {"id", "created_at", "updated_at"}


def _copy(instance, **changes):
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in _NOT_COPIED
    }
    values.update(changes)
    return type(instance)(**values)


def new_version(
    user,
    roadmap: Roadmap,
    version_label: str,
    *,
    name: str = "",
    valid_from: int | None = None,
    source: str = "",
    make_current: bool = True,
) -> Roadmap:
    """Copy `roadmap` whole into a new version based on it: initiatives, outputs, budgets, links, and the
    progress reports with their evidence (the history carries over; their states and dates are kept, so
    the new version's statuses replay like the old one's). The new version becomes the current one unless
    `make_current` is false. All or nothing."""
    version_label = (version_label or "").strip()
    with context.acting_as(user), transaction.atomic():
        if not permissions.can(user, "view", roadmap) or not permissions.can_add(
            user, Roadmap, roadmap.instansi_id, None
        ):
            raise PermissionDenied(_("You may not create a version of this roadmap."))
        if not version_label:
            raise ValidationError({"version_label": _("Name the new version.")})
        if Roadmap.objects.filter(instansi_id=roadmap.instansi_id, version_label__iexact=version_label).exists():
            raise ValidationError({"version_label": _("This instansi already has a version of that name.")})
        copy = Roadmap(
            instansi_id=roadmap.instansi_id,
            name=(name or roadmap.name).strip(),
            version_label=version_label,
            source=source or roadmap.source,
            valid_from=valid_from or roadmap.valid_from,
            based_on=roadmap,
            description=roadmap.description,
            is_current=False,
        )
        copy.full_clean()
        core_services.create_object(user, copy, savepoint=False)
        for initiative in roadmap.initiatives.order_by("number", "id"):
            new_initiative = core_services.create_object(user, _copy(initiative, roadmap_id=copy.pk), savepoint=False)
            for output in initiative.outputs.order_by("number", "id"):
                new_output = core_services.create_object(
                    user, _copy(output, initiative_id=new_initiative.pk), savepoint=False
                )
                _copy_children(user, output, new_output)
        if make_current:
            copy = set_current(user, copy)
    return copy


def _copy_children(user, output: Output, new_output: Output) -> None:
    for budget in OutputBudget.objects.filter(output=output):
        core_services.create_object(user, _copy(budget, output_id=new_output.pk), savepoint=False)
    for link in OutputLink.objects.filter(output=output):
        core_services.create_object(user, _copy(link, output_id=new_output.pk), savepoint=False)
    # The reports are the history the new version carries, not reports filed by this user: whoever may
    # create a version copies them (the Tim Koordinasi, who may not write reports). Saved through the model,
    # so the audit trail records each copy under the acting user.
    for report in ProgressReport.objects.filter(output=output):
        new_report = _copy(report, output_id=new_output.pk)
        new_report.save()
        for item in ProgressEvidence.objects.filter(report=report):
            # The same stored bytes: evidence files are kept under their checksum and deleted when unused.
            _copy(item, report_id=new_report.pk).save()


def set_current(user, roadmap: Roadmap) -> Roadmap:
    """Make `roadmap` the instansi's current version (the one progress is reported on)."""
    with context.acting_as(user), transaction.atomic():
        locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        if not permissions.can(user, "change", locked):
            raise PermissionDenied(_("You may not change this roadmap."))
        for other in Roadmap.objects.select_for_update().filter(instansi_id=locked.instansi_id, is_current=True):
            if other.pk != locked.pk:
                other.is_current = False
                core_services.update_object(user, other, fields=["is_current"])
        if not locked.is_current:
            locked.is_current = True
            locked = core_services.update_object(user, locked, fields=["is_current"])
    return locked


# --- Comparison -------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


@dataclass(frozen=True)
class OutputChange:
    area: str
    initiative: str
    name: str
    before: Output | None = None
    after: Output | None = None

    @property
    def years_before(self) -> str:
        return self.before.years_label if self.before else ""

    @property
    def years_after(self) -> str:
        return self.after.years_label if self.after else ""


@dataclass
class Comparison:
    old: Roadmap
    new: Roadmap
    added: list[OutputChange] = field(default_factory=list)
    removed: list[OutputChange] = field(default_factory=list)
    retimed: list[OutputChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.retimed)


def _outputs(roadmap: Roadmap) -> dict[tuple[str, str], Output]:
    outputs = Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative")
    return {(_key(output.initiative.name), _key(output.name)): output for output in outputs}


def compare(old: Roadmap, new: Roadmap) -> Comparison:
    """The outputs `new` adds to `old`, those it removes and those whose target years it changes."""
    before, after = _outputs(old), _outputs(new)
    result = Comparison(old, new)

    def change(output: Output, **sides) -> OutputChange:
        return OutputChange(output.initiative.get_area_display(), output.initiative.name, output.name, **sides)

    for key, output in after.items():
        previous = before.get(key)
        if previous is None:
            result.added.append(change(output, after=output))
        elif (previous.start_year, previous.end_year) != (output.start_year, output.end_year):
            result.retimed.append(change(output, before=previous, after=output))
        else:
            result.unchanged += 1
    result.removed = [change(output, before=output) for key, output in before.items() if key not in after]
    return result
