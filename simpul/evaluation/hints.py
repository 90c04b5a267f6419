"""Hints: what Simpul already knows about an indicator, proposed to the evaluator as evidence.

`data/hints.json` maps framework id + indicator number to providers (with the reason for each
mapping); the providers below read the instansi's records — only those the current user may view —
and return facts (numbers), a suggestion sentence quoting the criterion of one level, and the records
they propose as evidence. Other modules add their own through the module contract
(`SimpulModule.evidence_hints`, e.g. the governance module's enacted policies on the indicator's topic),
so this module imports none of them. A hint is advice: it never sets or changes a level. Accepting one
links the proposed records as evidence (`evidence.add_records`); ignoring it changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.architecture.choices import DataClassification, Domain, ElementStatus, Hosting, InfrastructureKind
from simpul.architecture.models import (
    Application,
    DataSet,
    Element,
    InfrastructureComponent,
    Relationship,
    Service,
)
from simpul.core import modules, permissions
from simpul.evaluation import evidence
from simpul.evaluation.models import IndicatorAssessment
from simpul.organizations.models import PerangkatDaerah

HINTS_FILE = Path(__file__).resolve().parent / "data" / "hints.json"
# A hint lists at most this many records by name and proposes at most this many as evidence.
MAX_LISTED = 10
MAX_PROPOSED = 40


@dataclass
class Hint:
    """One hint for one assessment; `records` are the records proposed as evidence."""

    id: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    suggestion: str = ""
    criterion: str = ""
    level: int | None = None
    why: str = ""
    notice: str = ""
    records: list = field(default_factory=list)
    record_keys: list[str] = field(default_factory=list)
    # Keys of proposed records not yet linked to the assessment (set by the page that shows the hint).
    pending: list[str] = field(default_factory=list)

    @property
    def proposals(self) -> list[tuple[str, object]]:
        return list(zip(self.record_keys, self.records, strict=True))


@dataclass(frozen=True)
class HintContext:
    """What a provider works with: the user (for restrict), the instansi, the parameters from the data file."""

    user: object
    instansi_id: int
    params: dict

    def visible(self, model, action: str = "view"):
        """The model's current records of the instansi that the user may view (retired ones left out)."""
        queryset = model._default_manager.filter(owner__instansi_id=self.instansi_id)
        if issubclass(model, Element):
            queryset = queryset.exclude(status=ElementStatus.RETIRED)
        return permissions.restrict(queryset, self.user, action)


@cache
def load_mapping(path: Path = HINTS_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    frameworks = data.get("frameworks", {})
    for framework_id, indicators in frameworks.items():
        for number, entries in indicators.items():
            for entry in entries:
                if entry.get("provider") not in PROVIDERS:
                    raise ValueError(
                        f"{path.name}: {framework_id} #{number}: unknown provider {entry.get('provider')!r}"
                    )
                if not entry.get("why"):
                    raise ValueError(f"{path.name}: {framework_id} #{number}: every mapping needs its 'why'")
    return frameworks


def entries_for(framework_code: str, number: int) -> list[dict]:
    return load_mapping().get(framework_code, {}).get(str(number), [])


def hints_for(user, assessment: IndicatorAssessment) -> list[Hint]:
    """The hints of one assessment, computed now from what `user` may view."""
    framework = assessment.period.framework
    indicator = assessment.indicator
    spec = framework.spec
    levels = {level.level: level for level in spec.levels_for(spec.indicator(indicator.number))}
    result = []
    for index, entry in enumerate(entries_for(framework.code, indicator.number)):
        context = HintContext(user=user, instansi_id=assessment.period.instansi_id, params=entry.get("params", {}))
        hint = PROVIDERS[entry["provider"]](context)
        hint.id = f"{entry['provider']}-{index}"
        hint.why = entry["why"]
        _quote_level(hint, entry.get("level"), levels)
        hint.record_keys = [evidence.record_key(record) for record in hint.records]
        result.append(hint)
    # Other modules' records proposed as evidence (policies, …), through the module contract.
    for source in modules.evidence_hint_sources():
        for proposal in source(user, indicator, assessment.period.instansi_id):
            result.append(_from_module(proposal, levels))
    return result


def _from_module(proposal, levels: dict) -> Hint:
    """A module's `core.links.EvidenceHint` as a hint of this page, quoting its level's criterion."""
    hint = Hint(
        id=proposal.key.replace(".", "-"),
        title=proposal.title,
        facts=list(proposal.facts),
        suggestion=proposal.suggestion,
        why=proposal.why,
        notice=proposal.notice,
        records=list(proposal.records)[:MAX_PROPOSED],
    )
    _quote_level(hint, proposal.level, levels)
    hint.record_keys = [evidence.record_key(record) for record in hint.records]
    return hint


def _quote_level(hint: Hint, level: int | None, levels: dict) -> None:
    """Give the hint the level it speaks of and end its suggestion with that level's criterion."""
    if level not in levels:
        return
    hint.level = level
    hint.criterion = levels[level].criterion
    if hint.criterion:
        hint.suggestion = " ".join(
            part
            for part in (
                hint.suggestion,
                _("The criterion of level %(level)s asks: %(criterion)s")
                % {"level": level, "criterion": hint.criterion},
            )
            if part
        )


def hint_by_id(user, assessment: IndicatorAssessment, hint_id: str) -> Hint | None:
    return next((hint for hint in hints_for(user, assessment) if hint.id == hint_id), None)


def _percent(part: int, total: int) -> str:
    return f"{number_format(round(100 * part / total))}%" if total else "–"


def _names(records, describe: Callable | None = None) -> str:
    shown = [f"{record} ({describe(record)})" if describe else str(record) for record in records[:MAX_LISTED]]
    rest = len(records) - len(shown)
    if rest > 0:
        shown.append(ngettext("and %(count)s more", "and %(count)s more", rest) % {"count": rest})
    return ", ".join(shown)


# --- Providers ------------------------------------------------------------------------------------


def application_hosting(context: HintContext) -> Hint:
    """Share of the instansi's hosted applications placed in the given hosting (the Pusat Data, or PDN)."""
    places = context.params.get("hosting", [Hosting.DATA_CENTRE])
    excluded = context.params.get("exclude_hosting", [])
    place_label = " / ".join(str(Hosting(value).label) for value in places)
    applications = list(context.visible(Application).exclude(hosting__in=excluded).select_related("owner"))
    inside = [app for app in applications if app.hosting in places]
    outside = [app for app in applications if app.hosting not in places]
    facilities = list(
        context.visible(InfrastructureComponent).filter(kind__in=context.params.get("facility_kinds", []))
    )
    owners = {app.owner_id for app in applications}
    owners_outside = {app.owner_id for app in outside}
    hint = Hint(id="", title=_("Applications in %(place)s") % {"place": place_label})
    hint.facts = [
        (_("Applications counted"), number_format(len(applications))),
        (_("In %(place)s") % {"place": place_label}, f"{len(inside)} ({_percent(len(inside), len(applications))})"),
        (_("OPDs with all their applications there"), f"{len(owners - owners_outside)} / {len(owners)}"),
        (_("Data centre facilities recorded"), number_format(len(facilities))),
    ]
    if outside:
        hint.facts.append((_("Outside it"), _names(outside, lambda app: app.get_hosting_display())))
    if applications:
        hint.suggestion = _("Simpul data shows %(part)s of %(total)s applications (%(percent)s) in %(place)s.") % {
            "part": len(inside),
            "total": len(applications),
            "percent": _percent(len(inside), len(applications)),
            "place": place_label,
        }
    else:
        hint.suggestion = _(
            "Simpul holds no application you may see yet; record the applications and where they are hosted in the architecture."
        )
    hint.records = (facilities + inside)[:MAX_PROPOSED]
    return hint


def _matching(queryset, patterns: list[str]):
    query = Q()
    for pattern in patterns:
        query |= Q(name__icontains=pattern) | Q(code__icontains=pattern) | Q(description__icontains=pattern)
    return queryset.filter(query) if patterns else queryset.none()


def named_services(context: HintContext) -> Hint:
    """Services and applications named like a kind of service (e.g. pengaduan, SP4N-LAPOR), with their
    channels and integrations; says so when the Simpul module that will hold the service is missing."""
    patterns = context.params.get("patterns", [])
    domains = context.params.get("domains", [Domain.SERVICE, Domain.APPLICATION])
    services = (
        list(_matching(context.visible(Service), patterns).select_related("owner")) if Domain.SERVICE in domains else []
    )
    applications = (
        list(_matching(context.visible(Application), patterns).select_related("owner"))
        if Domain.APPLICATION in domains
        else []
    )
    found = services + applications
    hint = Hint(id="", title=_("Recorded services and applications: %(names)s") % {"names": ", ".join(patterns[:3])})
    module = context.params.get("module")
    label = {"module": context.params.get("module_label", module)}
    if module and not apps.is_installed(f"simpul.{module}"):
        hint.notice = (
            _("The %(module)s module is not yet available in Simpul; only the architecture is searched.") % label
        )
    elif module and not any(m.label == module and m.evidence_hints for m in modules.simpul_modules()):
        # Installed, but built in stages: it proposes no evidence of its own yet.
        hint.notice = (
            _("The %(module)s module does not propose evidence yet; only the architecture is searched.") % label
        )
    ids = [element.pk for element in found]
    relationships = list(
        permissions.restrict(
            Relationship.objects.filter(Q(source_id__in=ids) | Q(target_id__in=ids)).select_related("source", "target"),
            context.user,
            "view",
        )
    )
    integrations = [rel for rel in relationships if rel.kind == "integrates_with"]
    partners = sorted(
        {str(rel.target if rel.source_id in ids else rel.source) for rel in integrations} - {str(e) for e in found}
    )
    channels = sorted({part.strip() for service in services for part in service.channels.split(",") if part.strip()})
    online = [element for element in found if getattr(element, "url", "")]
    hint.facts = [
        (_("Services found"), _names(services) or "–"),
        (_("Applications found"), _names(applications) or "–"),
        (_("Channels"), ", ".join(channels) or "–"),
        (_("With a web address"), f"{len(online)} / {len(found)}"),
        (_("Integrated with"), ", ".join(partners[:MAX_LISTED]) or "–"),
    ]
    if found:
        hint.suggestion = ngettext(
            "Simpul records %(count)s matching service or application, with %(integrations)s integration relationship(s).",
            "Simpul records %(count)s matching services or applications, with %(integrations)s integration relationship(s).",
            len(found),
        ) % {"count": len(found), "integrations": len(integrations)}
    else:
        hint.suggestion = _(
            "Simpul records no matching service or application you may see; record the service and its application in the architecture."
        )
    hint.records = found[:MAX_PROPOSED]
    return hint


def architecture_summary(context: HintContext) -> Hint:
    """How much of the six SPBE architecture domains the instansi has recorded, and its relationships."""
    elements = context.visible(Element)
    counts = Counter(elements.values_list("domain", flat=True))
    spbe_domains = [value for value in Domain.values if value != Domain.OTHER]
    covered = [value for value in spbe_domains if counts.get(value)]
    missing = [str(Domain(value).label) for value in spbe_domains if not counts.get(value)]
    relationships = permissions.restrict(
        Relationship.objects.filter(source__owner__instansi_id=context.instansi_id), context.user, "view"
    ).count()
    with_reference = elements.filter(reference__isnull=False).count()
    total = sum(counts.values())
    hint = Hint(id="", title=_("Architecture recorded in Simpul"))
    hint.facts = [(str(Domain(value).label), number_format(counts.get(value, 0))) for value in spbe_domains]
    hint.facts += [
        (_("Relationships"), number_format(relationships)),
        (_("With a national reference code"), f"{with_reference} ({_percent(with_reference, total)})"),
    ]
    if missing:
        hint.facts.append((_("Domains without elements"), ", ".join(missing)))
    hint.suggestion = _(
        "Simpul holds %(total)s architecture elements in %(covered)s of %(domains)s domains and %(relationships)s relationships."
    ) % {"total": total, "covered": len(covered), "domains": len(spbe_domains), "relationships": relationships}
    return hint


def infrastructure(context: HintContext) -> Hint:
    """Infrastructure components of some kinds (e.g. the intra network), and how many OPDs they reach."""
    kinds = context.params.get("kinds", [])
    coverage_kinds = context.params.get("coverage_kinds", kinds)
    components = list(context.visible(InfrastructureComponent).filter(kind__in=kinds).select_related("owner"))
    counts = Counter(component.kind for component in components)
    opds = permissions.restrict(
        PerangkatDaerah.objects.filter(instansi_id=context.instansi_id, is_active=True), context.user, "view"
    ).count()
    reached = {component.owner_id for component in components if component.kind in coverage_kinds}
    labels = ", ".join(str(InfrastructureKind(kind).label) for kind in coverage_kinds)
    hint = Hint(
        id="",
        title=_("Infrastructure: %(kinds)s") % {"kinds": ", ".join(str(InfrastructureKind(k).label) for k in kinds)},
    )
    hint.facts = [(str(InfrastructureKind(kind).label), number_format(counts.get(kind, 0))) for kind in kinds]
    hint.facts.append((_("OPDs with %(kinds)s") % {"kinds": labels}, f"{len(reached)} / {opds}"))
    bandwidth = sum(component.bandwidth_mbps or 0 for component in components)
    if bandwidth:
        hint.facts.append((_("Total bandwidth recorded"), f"{number_format(bandwidth)} Mbps"))
    hint.suggestion = _(
        "Simpul records %(count)s such components; %(reached)s of %(opds)s OPDs (%(percent)s) own %(kinds)s."
    ) % {
        "count": len(components),
        "reached": len(reached),
        "opds": opds,
        "percent": _percent(len(reached), opds),
        "kinds": labels,
    }
    hint.records = components[:MAX_PROPOSED]
    return hint


def integration(context: HintContext) -> Hint:
    """The service connector system (SPLP) and the applications integrated with each other through it."""
    bus = list(context.visible(InfrastructureComponent).filter(kind__in=context.params.get("bus_kinds", [])))
    applications = list(context.visible(Application).select_related("owner"))
    app_ids = {app.pk for app in applications}
    bus_ids = {component.pk for component in bus}
    relationships = list(
        permissions.restrict(
            Relationship.objects.filter(source__owner__instansi_id=context.instansi_id).filter(
                Q(kind="integrates_with") | Q(target_id__in=bus_ids) | Q(source_id__in=bus_ids)
            ),
            context.user,
            "view",
        )
    )
    integrated = set()
    for rel in relationships:
        integrated |= {rel.source_id, rel.target_id} & app_ids
    integrated_apps = [app for app in applications if app.pk in integrated]
    owners = {app.owner_id for app in applications}
    owners_integrated = {app.owner_id for app in integrated_apps}
    hint = Hint(id="", title=_("Service connector system and integrations"))
    hint.facts = [
        (_("Connector components (SPLP)"), _names(bus) or "–"),
        (_("Integration relationships"), number_format(len(relationships))),
        (
            _("Integrated applications"),
            f"{len(integrated_apps)} / {len(applications)} ({_percent(len(integrated_apps), len(applications))})",
        ),
        (_("OPDs with an integrated application"), f"{len(owners_integrated)} / {len(owners)}"),
    ]
    hint.suggestion = _(
        "Simpul records %(bus)s connector component(s) and %(part)s of %(total)s applications (%(percent)s) integrated."
    ) % {
        "bus": len(bus),
        "part": len(integrated_apps),
        "total": len(applications),
        "percent": _percent(len(integrated_apps), len(applications)),
    }
    hint.records = (bus + integrated_apps)[:MAX_PROPOSED]
    return hint


def application_repository(context: HintContext) -> Hint:
    """Applications whose manual, source code and test results are in the application repository."""
    applications = list(context.visible(Application).select_related("owner"))
    manual = [app for app in applications if app.has_manual]
    source = [app for app in applications if app.has_source_code]
    tested = [app for app in applications if app.has_test_results]
    complete = [app for app in applications if app.has_manual and app.has_source_code]
    lacking = [app for app in applications if not (app.has_manual and app.has_source_code)]
    total = len(applications)
    hint = Hint(id="", title=_("Applications in the application repository"))
    hint.facts = [
        (_("Applications counted"), number_format(total)),
        (_("With a user manual"), f"{len(manual)} ({_percent(len(manual), total)})"),
        (_("With source code"), f"{len(source)} ({_percent(len(source), total)})"),
        (_("With test results"), f"{len(tested)} ({_percent(len(tested), total)})"),
    ]
    if lacking:
        hint.facts.append((_("Missing manual or source code"), _names(lacking)))
    hint.suggestion = _(
        "Simpul data shows %(part)s of %(total)s applications (%(percent)s) with both manual and source code in the repository."
    ) % {"part": len(complete), "total": total, "percent": _percent(len(complete), total)}
    hint.records = complete[:MAX_PROPOSED]
    return hint


def data_sets(context: HintContext) -> Hint:
    """Data sets classified as open (public), and those shared through interoperability."""
    classifications = context.params.get("classifications", [DataClassification.PUBLIC])
    datasets = list(context.visible(DataSet).select_related("owner"))
    public = [data for data in datasets if data.classification in classifications]
    shared = [data for data in datasets if data.interoperable]
    hint = Hint(id="", title=_("Open data sets"))
    module = context.params.get("module")
    label = {"module": context.params.get("module_label", module)}
    if module and not apps.is_installed(f"simpul.{module}"):
        hint.notice = (
            _("The %(module)s module is not yet available in Simpul; only the architecture is searched.") % label
        )
    elif module and not any(m.label == module and m.evidence_hints for m in modules.simpul_modules()):
        # Installed, but built in stages: it proposes no evidence of its own yet.
        hint.notice = (
            _("The %(module)s module does not propose evidence yet; only the architecture is searched.") % label
        )
    hint.facts = [
        (_("Data sets recorded"), number_format(len(datasets))),
        (_("Classified as public"), f"{len(public)} ({_percent(len(public), len(datasets))})"),
        (_("Shared through interoperability"), f"{len(shared)} ({_percent(len(shared), len(datasets))})"),
    ]
    hint.suggestion = _("Simpul data shows %(part)s of %(total)s data sets (%(percent)s) classified as public.") % {
        "part": len(public),
        "total": len(datasets),
        "percent": _percent(len(public), len(datasets)),
    }
    hint.records = public[:MAX_PROPOSED]
    return hint


PROVIDERS: dict[str, Callable[[HintContext], Hint]] = {
    "application_hosting": application_hosting,
    "named_services": named_services,
    "architecture_summary": architecture_summary,
    "infrastructure": infrastructure,
    "integration": integration,
    "application_repository": application_repository,
    "data_sets": data_sets,
}
