"""Home-page cards of the platform itself (users, OPDs, audit trail); each module declares its own."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.cards import Card
from simpul.core.models import AuditEntry
from simpul.organizations.models import PerangkatDaerah, RoleAssignment, User


def platform_cards(request) -> list[Card]:
    user = request.user
    cards: list[Card] = []
    if permissions.has_model_permission(user, "change", User):
        users = permissions.restrict(User.objects.all(), user, "change")
        without_role = users.filter(is_active=True).annotate(n=Count("role_assignments")).filter(n=0)
        count = without_role.count()
        cards.append(
            Card(
                _("Users without a role"),
                count,
                _("Give each user a role so they can work.") if count else _("Every active user has a role."),
                reverse("organizations:user_list"),
                "warning" if count else "success",
                items=[(str(u), u.get_absolute_url()) for u in without_role[:5]],
            )
        )
    # Who gives OPDs their operators is who needs to know which have none (not the Bupati, not an operator).
    if permissions.has_model_permission(user, "add", RoleAssignment):
        opds = permissions.restrict(PerangkatDaerah.objects.all(), user, "view")
        no_operator = opds.filter(is_active=True).exclude(
            pk__in=PerangkatDaerah.objects.filter(role_assignments__role="operator_opd").values("pk")
        )
        cards.append(
            Card(
                _("Regional departments (OPD)"),
                opds.count(),
                _("%(count)d OPDs have no operator yet.") % {"count": no_operator.count()},
                reverse("organizations:perangkatdaerah_list"),
                "info",
            )
        )
    if permissions.has_model_permission(user, "view", AuditEntry):
        since = timezone.now() - timezone.timedelta(days=1)
        recent = permissions.restrict(AuditEntry.objects.all(), user, "view").filter(timestamp__gte=since)
        cards.append(
            Card(
                _("Changes in the last 24 hours"),
                recent.count(),
                _("Review them in the audit trail."),
                reverse("core:auditentry_list"),
                "secondary",
                items=[(str(e), e.get_absolute_url()) for e in recent.select_related("content_type")[:5]],
            )
        )
    if not user.is_superuser and not permissions.user_grants(user):
        cards.append(
            Card(
                _("No role yet"),
                "",
                _("Ask the Admin SPBE of your instansi to give you a role."),
                "",
                "warning",
            )
        )
    return cards
