"""The roadmap's part of the executive dashboard: where the current roadmap stands, by status and by area
(on track vs late), for the instansi or for one OPD's outputs. Every figure counts the outputs the user may
view and links to the roadmap page filtered to them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.core import formats, permissions
from simpul.core.executive import Figure, Section
from simpul.roadmap import tracking
from simpul.roadmap.choices import AREA_PLAN_TITLES, Area, OutputStatus
from simpul.roadmap.models import Output, Roadmap

GOOD = (OutputStatus.ON_TRACK, OutputStatus.DONE)
BAD = (OutputStatus.LATE, OutputStatus.NOT_ACHIEVED)
TONES = {
    OutputStatus.DONE: "good",
    OutputStatus.ON_TRACK: "good",
    OutputStatus.LATE: "warn",
    OutputStatus.NOT_ACHIEVED: "bad",
    OutputStatus.NOT_STARTED: "",
}


def _url(roadmap: Roadmap, opd=None, **filters) -> str:
    query = {"roadmap": roadmap.pk, **({"opd": opd.pk} if opd is not None else {}), **filters}
    return f"{reverse('roadmap:overview')}?{urlencode(query)}"


def _of(count: int, total: int) -> str:
    return _("%(count)s of %(total)s") % {"count": count, "total": total}


def sections(user, instansi, opd=None) -> list[Section]:
    """The roadmap section for `instansi` (or the outputs of `opd`); none for a user who may not view it."""
    if not permissions.has_model_permission(user, "view", Output):
        return []
    roadmap = permissions.restrict(Roadmap.objects.filter(instansi=instansi, is_current=True), user, "view").first()
    title = _("Roadmap progress")
    if roadmap is None:
        return [
            Section(
                "roadmap",
                title,
                figures=[
                    Figure(_("Outputs on track"), None, reverse("roadmap:overview"), _("No current roadmap yet."))
                ],
                url=reverse("roadmap:overview"),
                order=30,
            )
        ]
    outputs = Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative")
    if opd is not None:
        outputs = outputs.filter(responsible_opd=opd)
    outputs = list(permissions.restrict(outputs, user, "view"))
    today = tracking.today()
    tracked = tracking.track(outputs, today, user)
    total = len(outputs)
    codes = [tracked[output.pk].status.code for output in outputs]
    figures = [
        Figure(
            str(OutputStatus(code).label),
            _of(codes.count(code), total),
            _url(roadmap, opd, status=code),
            tone=TONES[code] if codes.count(code) else "",
        )
        for code in (
            OutputStatus.ON_TRACK,
            OutputStatus.LATE,
            OutputStatus.NOT_ACHIEVED,
            OutputStatus.DONE,
            OutputStatus.NOT_STARTED,
        )
    ]
    contradicted = sum(1 for output in outputs if tracked[output.pk].contradictions)
    figures.append(
        Figure(
            _("Reported done, element not operating"),
            str(contradicted),
            reverse("roadmap:output_list") + f"?roadmap={roadmap.pk}",
            _("A finished output whose linked architecture element is still planned or in development."),
            "bad" if contradicted else "good",
        )
    )
    rows = []
    for area in Area:
        in_area = [output for output in outputs if output.initiative.area == area]
        if not in_area:
            continue
        good = sum(1 for output in in_area if tracked[output.pk].status.code in GOOD)
        bad = sum(1 for output in in_area if tracked[output.pk].status.code in BAD)
        name = AREA_PLAN_TITLES[area]
        rows.append(
            {
                "label": _("%(area)s: on track or done") % {"area": name},
                "value": good,
                "max": len(in_area),
                "url": _url(roadmap, opd, area=area.value),
                "tone": "good",
            }
        )
        rows.append(
            {
                "label": _("%(area)s: late or not achieved") % {"area": name},
                "value": bad,
                "max": len(in_area),
                "url": _url(roadmap, opd, area=area.value) + "".join(f"&status={code}" for code in BAD),
                "tone": "bad" if bad else "good",
            }
        )
    note = _("%(roadmap)s, as of %(date)s") % {"roadmap": roadmap, "date": formats.date_text(today)}
    if opd is not None:
        note = _("Outputs of %(opd)s. %(rest)s") % {"opd": opd.short_name, "rest": note}
    return [
        Section(
            "roadmap",
            title,
            figures=figures,
            url=_url(roadmap, opd),
            rows=rows,
            order=30,
            note=note,
            row_headers=(_("Area"), _("Outputs")),
        )
    ]
