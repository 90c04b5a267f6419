"""The executive dashboard: one page (and its PDF) for the Tim Koordinasi and the Bupati.

The page holds no figures of its own. Each installed module contributes sections through its
`executive_sections` callable (`simpul.core.executive`), computed from the records the user may view; the
page puts them in order (by the sections' `order`, then in module order) and adds a "not available yet"
slot for each part the issue asks for that no installed module supplies yet (`EXPECTED`), so a missing
module shows as missing, never as an invented number.

Who may open it is decided by permissions: whoever may view the records of `EXECUTIVE_AUDIENCE` (the
evaluation periods, the page's headline). A role held for a whole instansi opens the instansi's dashboard
and every OPD's report card in it; a role held for one OPD (an operator OPD) opens only that OPD's report
card, which is the same page narrowed to the OPD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core import modules, permissions
from simpul.core.executive import Figure, Section
from simpul.core.queries import record_id
from simpul.dashboard.apps import EXECUTIVE_AUDIENCE
from simpul.organizations.models import Instansi, PerangkatDaerah


@dataclass(frozen=True)
class Expected:
    """A part of the dashboard that the issue asks for, supplied by the module `module` under `key`."""

    key: str
    module: str
    title: str
    figure: str
    # Why there is no value: the module that would give it does not exist in this installation.
    note: str


# The parts the Tim Koordinasi asked for (issue #13), in their order. A part whose module is not installed
# is shown as a slot saying "not available yet" until the module exists.
EXPECTED = (
    Expected(
        "evaluation",
        "evaluation",
        _("Indeks SPBE"),
        _("Indeks SPBE"),
        _("The evaluation module is not installed."),
    ),
    Expected(
        "roadmap",
        "roadmap",
        _("Roadmap progress"),
        _("Outputs on track and late, by area"),
        _("The roadmap module is not installed yet."),
    ),
    Expected(
        "governance",
        "governance",
        _("Policies and follow-up actions"),
        _("Policy coverage of the domain-1 indicators, open follow-up actions"),
        _("The governance module is not installed yet."),
    ),
    Expected(
        "architecture",
        "architecture",
        _("Architecture health"),
        _("Compliance findings by OPD"),
        _("The architecture module is not installed."),
    ),
    Expected(
        "servicedesk",
        "servicedesk",
        _("Service desk"),
        _("SLA compliance"),
        _("The service desk module is not installed yet."),
    ),
    Expected(
        "surveys",
        "surveys",
        _("Public satisfaction (IKM)"),
        _("Indeks Kepuasan Masyarakat"),
        _("The survey module is not installed yet."),
    ),
)


@dataclass
class Board:
    """What the dashboard shows for one instansi (or one OPD of it), for the page and the PDF alike."""

    instansi: Instansi
    opd: PerangkatDaerah | None
    sections: list[Section]
    slots: list[Section]
    generated_at: datetime
    generated_by: str
    # The choices of the selectors: the instansi and the OPDs whose dashboard the user may open.
    instansi_choices: list[Instansi] = field(default_factory=list)
    opd_choices: list[PerangkatDaerah] = field(default_factory=list)
    # Whether the user may open the whole instansi's dashboard (else only OPD report cards).
    whole_instansi: bool = True


def audience_model():
    return apps.get_model(EXECUTIVE_AUDIENCE)


def may_open(user) -> bool:
    """Whether the user may open the executive dashboard at all (the menu entry and the home-page link)."""
    return permissions.has_model_permission(user, "view", audience_model())


@dataclass(frozen=True)
class Reach:
    """Where the user may open the dashboard: whole instansi (None: every one) and single OPDs."""

    instansi_ids: frozenset[int] | None
    opd_ids: frozenset[int]

    def covers(self, instansi: Instansi, opd: PerangkatDaerah | None) -> bool:
        if self.instansi_ids is None or instansi.pk in self.instansi_ids:
            return True
        return opd is not None and opd.pk in self.opd_ids


def reach(user) -> Reach:
    """The scopes of the user's roles that may view the audience model."""
    if user.is_superuser:
        return Reach(None, frozenset())
    label = permissions.model_label(audience_model())
    granted = [
        grant for grant in permissions.user_grants(user) if "view" in permissions.role_actions(grant.role, label)
    ]
    return Reach(
        frozenset(grant.instansi_id for grant in granted if grant.opd_id is None),
        frozenset(grant.opd_id for grant in granted if grant.opd_id is not None),
    )


def choose(user, instansi_param=None, opd_param=None) -> tuple[Instansi, PerangkatDaerah | None, Reach]:
    """The instansi and OPD asked for (`?instansi=`, `?opd=`), within the user's reach.

    Without `instansi` it is the OPD's, else the user's own instansi, else the first they reach; an OPD of
    another instansi than the one asked for is dropped (the selector changed the instansi). Without `opd`,
    the whole instansi when the user reaches it, else the first OPD there they hold a role for (an operator
    OPD's own report card). An instansi or OPD out of reach is a 404, as any record outside one's scope; a
    user without any reach is refused.
    """
    if not may_open(user):
        raise PermissionDenied
    scope = reach(user)
    instansi_qs = reachable_instansi(scope)
    requested_instansi, requested_opd = record_id(instansi_param), record_id(opd_param)
    instansi = opd = None
    if requested_instansi is not None:
        instansi = instansi_qs.filter(pk=requested_instansi).first()
        if instansi is None:
            raise Http404
    if requested_opd is not None:
        opd = PerangkatDaerah.objects.select_related("instansi").filter(pk=requested_opd).first()
        if opd is None or not scope.covers(opd.instansi, opd):
            raise Http404
        if instansi is None:
            instansi = opd.instansi
        elif opd.instansi_id != instansi.pk:
            opd = None  # another instansi was chosen in the selector: its dashboard, not this OPD's
    if instansi is None:
        own = getattr(user, "instansi_id", None)
        instansi = instansi_qs.filter(pk=own).first() or instansi_qs.first()
        if instansi is None:
            raise PermissionDenied
    if opd is None and not scope.covers(instansi, None):
        opd = PerangkatDaerah.objects.filter(instansi=instansi, pk__in=scope.opd_ids).order_by("short_name").first()
        if opd is None:
            raise PermissionDenied
    return instansi, opd, scope


def reachable_instansi(scope: Reach):
    """The instansi whose dashboard or one of whose OPDs' report cards the user may open, by name."""
    instansi_qs = Instansi.objects.order_by("name")
    if scope.instansi_ids is None:
        return instansi_qs
    opd_instansi = PerangkatDaerah.objects.filter(pk__in=scope.opd_ids).values_list("instansi_id", flat=True)
    return instansi_qs.filter(pk__in={*scope.instansi_ids, *opd_instansi})


def opd_choices(instansi: Instansi, scope: Reach) -> list[PerangkatDaerah]:
    """The OPDs whose report card the user may open: every active OPD of a reached instansi, else their own."""
    opds = PerangkatDaerah.objects.filter(instansi=instansi).order_by("short_name")
    if not scope.covers(instansi, None):
        return list(opds.filter(pk__in=scope.opd_ids))
    return list(opds.filter(is_active=True))


def _supplies(section_key: str, expected_key: str) -> bool:
    return section_key == expected_key or section_key.startswith(f"{expected_key}.")


def contributing_modules() -> set[str]:
    """The labels of the installed modules that contribute sections to the dashboard."""
    return {module.label for module in modules.simpul_modules() if module.executive_sections}


# Why a part is missing when its module is installed but contributes no section yet (built in stages).
NOT_REPORTED_YET = _("The module is installed but does not report this figure yet.")


def installed_modules() -> set[str]:
    return {module.label for module in modules.simpul_modules()}


def slots(sections: list[Section]) -> list[Section]:
    """A "not available yet" section for each expected part that no installed module supplies.

    A module that contributes sections but shows this user nothing (no permission) gets no slot: the part
    exists, it is just not theirs to see. The slot says whether the module is missing or does not report
    the figure yet.
    """
    contributing = contributing_modules()
    installed = installed_modules()
    result = []
    for expected in EXPECTED:
        if expected.module in contributing or any(_supplies(section.key, expected.key) for section in sections):
            continue
        note = NOT_REPORTED_YET if expected.module in installed else expected.note
        result.append(
            Section(expected.key, str(expected.title), figures=[Figure(str(expected.figure), None, note=str(note))])
        )
    return result


def collect(user, instansi: Instansi, opd: PerangkatDaerah | None = None) -> Board:
    """Every installed module's sections for the instansi (or the OPD), in order, and the missing parts."""
    found: list[tuple[int, int, int, Section]] = []
    for position, source in enumerate(modules.executive_section_sources()):
        for index, section in enumerate(source(user, instansi, opd)):
            found.append((section.order, position, index, section))
    sections = [section for *_key, section in sorted(found, key=lambda item: item[:3])]
    return Board(
        instansi=instansi,
        opd=opd,
        sections=sections,
        slots=slots(sections),
        generated_at=timezone.localtime(),
        generated_by=getattr(user, "full_name", "") or user.get_username(),
    )


def board_for(user, instansi_param=None, opd_param=None) -> Board:
    """The dashboard the request asks for, with the selectors' choices (see `choose`)."""
    instansi, opd, scope = choose(user, instansi_param, opd_param)
    board = collect(user, instansi, opd)
    board.whole_instansi = scope.covers(instansi, None)
    board.opd_choices = opd_choices(instansi, scope)
    if opd is not None and opd not in board.opd_choices:
        board.opd_choices.append(opd)  # an inactive OPD's card, opened by its address
    board.instansi_choices = list(reachable_instansi(scope))
    return board
