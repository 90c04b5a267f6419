"""Home-page cards of the governance module: for whoever reports on follow-up actions (an OPD operator:
its own OPD's), the open ones with the late ones first. One scoped query, counts riding along."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Sum, When, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.cards import Card
from simpul.governance.choices import ActionStatus
from simpul.governance.models import FollowUpAction

ITEMS_SHOWN = 5


def governance_cards(request) -> list[Card]:
    card = actions_card(request.user)
    return [card] if card is not None else []


def actions_card(user) -> Card | None:
    """The open follow-up actions the user may report on (change), the late ones first; none for a user
    who reports on none (those who only read them see the lists)."""
    if not permissions.has_model_permission(user, "change", FollowUpAction):
        return None
    today = timezone.localdate()
    late = Q(due_date__lt=today)
    rows = list(
        permissions.restrict(FollowUpAction.objects.filter(status=ActionStatus.OPEN), user, "change")
        .select_related("owner")
        .annotate(
            total=Window(Count("pk")),
            late_count=Window(Sum(Case(When(late, then=1), default=0, output_field=IntegerField()))),
        )
        .order_by("due_date", "pk")[:ITEMS_SHOWN]
    )
    url = f"{reverse('governance:followupaction_list')}?status={ActionStatus.OPEN}"
    if not rows:
        return Card(_("Follow-up actions"), 0, _("No follow-up action is open."), url, "success")
    total, late_count = rows[0].total, rows[0].late_count or 0
    text = _("Do each and report it done with a note.")
    if late_count:
        text = _("%(late)s late: report them first.") % {"late": late_count} + " " + text
    items = [
        (
            f"{action.title} · {action.owner} · {date_format(action.due_date)}"
            + (f" ({_('late')})" if action.due_date < today else ""),
            action.get_absolute_url(),
        )
        for action in rows
    ]
    return Card(_("Follow-up actions to report on"), total, text, url, "danger" if late_count else "warning", items)
