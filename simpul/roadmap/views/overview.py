"""The roadmap's front page (a timeline per area with the date's line, filterable by OPD, status and area,
replayable as of a past date) and "what my OPD owes this year"."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import formats, permissions
from simpul.organizations.models import PerangkatDaerah
from simpul.roadmap import services, timeline, tracking
from simpul.roadmap.choices import AREA_ORDER, Area, OutputStatus
from simpul.roadmap.models import Output, ProgressReport, Roadmap
from simpul.roadmap.views.outputs import as_of_from


def visible_roadmaps(user):
    return permissions.restrict(Roadmap.objects.select_related("instansi"), user, "view").order_by(
        "instansi__name", "-is_current", "-valid_from", "-id"
    )


def chosen_roadmap(request) -> tuple[Roadmap | None, list[Roadmap]]:
    """The version named by `?roadmap=`, else the current version of the user's (first) instansi."""
    roadmaps = list(visible_roadmaps(request.user))
    wanted = request.GET.get("roadmap", "")
    chosen = next((roadmap for roadmap in roadmaps if str(roadmap.pk) == wanted), None)
    if chosen is None:
        chosen = next((roadmap for roadmap in roadmaps if roadmap.is_current), roadmaps[0] if roadmaps else None)
    return chosen, roadmaps


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OverviewView(LoginRequiredMixin, View):
    template_name = "roadmap/overview.html"

    def get(self, request):
        user = request.user
        if not permissions.has_model_permission(user, "view", Output):
            raise PermissionDenied
        roadmap, roadmaps = chosen_roadmap(request)
        as_of = as_of_from(request)
        context = {
            "roadmap": roadmap,
            "roadmaps": roadmaps,
            "as_of": as_of,
            "as_of_iso": as_of.isoformat(),
            "replayed": as_of != tracking.today(),
            "areas": [],
            "statuses": OutputStatus.choices,
            "area_choices": Area.choices,
            "can_add_roadmap": permissions.has_model_permission(user, "add", Roadmap),
        }
        if roadmap is None:
            return render(request, self.template_name, context)
        outputs = list(
            permissions.restrict(
                Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative", "responsible_opd"),
                user,
                "view",
            )
        )
        opds = sorted(
            {output.responsible_opd for output in outputs if output.responsible_opd}, key=lambda o: o.short_name
        )
        tracked = tracking.track(outputs, as_of, user)
        counts = Counter(tracked[output.pk].status.code for output in outputs)
        opd_id, area = _int(request.GET.get("opd")), request.GET.get("area", "")
        # One status from the page's select, or several from a link (the executive dashboard's "late or
        # not achieved").
        wanted = {code for code in request.GET.getlist("status") if code}
        status = next(iter(sorted(wanted)), "") if len(wanted) == 1 else ""
        shown = [
            output
            for output in outputs
            if (opd_id is None or output.responsible_opd_id == opd_id)
            and (not wanted or tracked[output.pk].status.code in wanted)
            and (not area or output.initiative.area == area)
        ]
        first, last = timeline.year_span(shown or outputs, as_of)
        label = _("Today") if as_of == tracking.today() else formats.date_text(as_of)
        areas = []
        for key, title in Area.choices:
            rows = sorted(
                (output for output in shown if output.initiative.area == key),
                key=lambda o: (o.initiative.number, o.number, o.pk),
            )
            if not rows:
                continue
            groups: list[timeline.Group] = []
            for output in rows:
                if not groups or groups[-1].title != output.initiative.name:
                    groups.append(timeline.Group(output.initiative.name))
                groups[-1].rows.append((output, tracked[output.pk]))
            area_timeline = timeline.AreaTimeline(key, str(title), groups)
            area_timeline.svg = timeline.render(area_timeline, first, last, as_of, label)
            areas.append(area_timeline)
        context.update(
            {
                "areas": areas,
                "opds": opds,
                "counts": [(code, name, counts.get(code, 0)) for code, name in OutputStatus.choices],
                "total": len(outputs),
                "shown": len(shown),
                "contradiction_count": sum(1 for output in outputs if tracked[output.pk].contradictions),
                "filters": {"opd": opd_id, "status": status, "area": area},
                "colours": timeline.COLOURS,
            }
        )
        return render(request, self.template_name, context)


class OwedView(LoginRequiredMixin, View):
    """What an OPD owes this year: the reports of its outputs due now and those still missing from
    earlier years, late ones first. An OPD's reporter sees its own OPD; the instansi's roles choose one."""

    template_name = "roadmap/owed.html"

    def get(self, request):
        user = request.user
        if not permissions.has_model_permission(user, "view", ProgressReport):
            raise PermissionDenied
        roadmap, _roadmaps = chosen_roadmap(request)
        grants = permissions.user_grants(user)
        own_opds = {grant.opd_id for grant in grants if grant.opd_id is not None}
        opd_choices = []
        outputs = []
        selected = None
        if roadmap is not None:
            outputs = list(
                permissions.restrict(
                    Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative", "responsible_opd"),
                    user,
                    "view",
                )
            )
            opd_ids = {output.responsible_opd_id for output in outputs if output.responsible_opd_id}
            opd_choices = list(PerangkatDaerah.objects.filter(pk__in=opd_ids).order_by("short_name"))
            selected = _int(request.GET.get("opd"))
            if selected is None and own_opds:
                selected = next((opd.pk for opd in opd_choices if opd.pk in own_opds), None)
            if selected is not None:
                outputs = [output for output in outputs if output.responsible_opd_id == selected]
        reports = services.reports_of(outputs)
        visible = set(
            services.visible_reports(ProgressReport.objects.filter(output__in=outputs), user).values_list(
                "pk", flat=True
            )
        )
        today = tracking.today()
        rows = []
        for output in outputs:
            mine = [report for report in reports.get(output.pk, []) if report.pk in visible]
            for cell in tracking.owed_years(output, mine, today):
                cell.may_file = services.may_file(user, output)
                rows.append((output, cell))
        rows.sort(key=lambda row: (not row[1].late, row[1].due, AREA_ORDER[row[0].initiative.area], row[0].name))
        context = {
            "roadmap": roadmap,
            "rows": rows,
            "opd_choices": opd_choices,
            "selected": selected,
            "today": today,
            "year": today.year,
            "late_count": sum(1 for _output, cell in rows if cell.late),
        }
        return render(request, self.template_name, context)
