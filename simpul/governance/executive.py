"""The governance module's part of the executive dashboard (`SimpulModule.executive_sections`): how many
policy-domain indicators of the current framework an enacted policy covers (a row per indicator), and the
open and late follow-up actions (per OPD; for an OPD's report card, that OPD's own). Every figure counts
what the user may view and links to the page that explains it."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.executive import Figure, Section
from simpul.governance import coverage, services
from simpul.governance.choices import ActionStatus
from simpul.governance.models import FollowUpAction, Policy


def _of(count: int, total: int) -> str:
    return _("%(count)s of %(total)s") % {"count": count, "total": total}


def _actions_url(**filters) -> str:
    return (
        f"{reverse('governance:followupaction_list')}?{urlencode(filters)}"
        if filters
        else reverse("governance:followupaction_list")
    )


def sections(user, instansi, opd=None) -> list[Section]:
    found = []
    if permissions.has_model_permission(user, "view", Policy):
        found.append(coverage_section(user, instansi))
    if permissions.has_model_permission(user, "view", FollowUpAction):
        found.append(actions_section(user, instansi, opd))
    return found


def coverage_section(user, instansi) -> Section:
    """Policy coverage of the current framework's policy-domain indicators (the same for an OPD's card:
    policies are the instansi's)."""
    url = f"{reverse('governance:coverage')}?{urlencode({'instansi': instansi.pk})}"
    result = coverage.coverage(user, instansi.pk)
    title = _("Policy coverage of the evaluation indicators")
    if result.framework is None:
        return Section(
            "governance.coverage",
            title,
            figures=[Figure(_("Indicators with an enacted policy"), None, url, _("No evaluation framework loaded."))],
            url=url,
            order=40,
        )
    covered, total = result.covered, result.total
    return Section(
        "governance.coverage",
        title,
        figures=[
            Figure(
                _("Indicators with an enacted policy"),
                _of(covered, total),
                url,
                str(result.framework),
                "good" if covered == total else ("warn" if covered else "bad"),
            ),
            Figure(
                _("Without a policy yet"),
                str(total - covered),
                url,
                ", ".join(str(row.indicator.number) for row in result.uncovered) or _("none"),
                "good" if covered == total else "warn",
            ),
        ],
        url=url,
        rows=[
            {
                "label": f"{row.indicator.number}. {row.indicator.name}",
                "value": len(row.enacted),
                "max": max((len(r.enacted) for r in result.rows), default=0) or 1,
                "url": f"{reverse('governance:policy_list')}?{urlencode({'indicator': row.indicator.pk})}",
                "tone": "good" if row.covered else "bad",
            }
            for row in result.rows
        ],
        order=40,
        note=_("Policy domain %(domain)s of %(framework)s; only enacted policies count.")
        % {"domain": result.domain_code, "framework": result.framework},
        row_headers=(_("Indicator"), _("Enacted policies")),
    )


def actions_section(user, instansi, opd=None) -> Section:
    """Open and late follow-up actions of the instansi's teams, per owner OPD (or of one OPD)."""
    today = timezone.localdate()
    actions = permissions.restrict(
        FollowUpAction.objects.filter(decision__meeting__team__instansi=instansi), user, "view"
    )
    filters = {}
    if opd is not None:
        actions = actions.filter(owner=opd)
        filters["owner"] = opd.pk
    counts = actions.aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        late=Count("pk", filter=services.late_q(today)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
    )
    figures = [
        Figure(
            _("Open follow-up actions"),
            str(counts["open"]),
            _actions_url(status=ActionStatus.OPEN, **filters),
            _("decided by the SPBE teams, not yet reported done"),
            "warn" if counts["open"] else "good",
        ),
        Figure(
            _("Late"),
            str(counts["late"]),
            _actions_url(late="true", **filters),
            _("open after their due date"),
            "bad" if counts["late"] else "good",
        ),
        Figure(
            _("Done"),
            str(counts["done"]),
            _actions_url(status=ActionStatus.DONE, **filters),
            "",
            "good" if counts["done"] else "",
        ),
    ]
    rows = []
    if opd is None:
        open_by = Counter(
            actions.filter(status=ActionStatus.OPEN).values_list("owner_id", "owner__short_name").order_by()
        )
        late_by = Counter(actions.filter(services.late_q(today)).values_list("owner_id", flat=True).order_by())
        most = max(open_by.values(), default=0)
        rows = [
            {
                "label": name,
                "value": count,
                "max": most,
                "url": _actions_url(status=ActionStatus.OPEN, owner=owner_id),
                "tone": "bad" if late_by.get(owner_id) else "warn",
            }
            for (owner_id, name), count in sorted(open_by.items(), key=lambda item: (-item[1], item[0][1]))
        ]
    return Section(
        "governance.actions",
        _("Follow-up actions of the SPBE teams"),
        figures=figures,
        url=_actions_url(**filters),
        rows=rows,
        order=41,
        note=_("Open actions per owner OPD; red: the OPD has late ones.") if opd is None else "",
        row_headers=(_("OPD"), _("Open actions")),
    )
