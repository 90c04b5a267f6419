"""Home-page cards of the architecture repository: what each role has to do there now."""

from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.architecture.models import ChangeProposal, Element, ProposalStatus
from simpul.core import permissions
from simpul.core.cards import Card


def architecture_cards(request) -> list[Card]:
    user = request.user
    if not permissions.has_model_permission(user, "view", Element):
        return []
    cards: list[Card] = []
    visible_proposals = permissions.restrict(ChangeProposal.objects.all(), user, "view")
    pending = visible_proposals.filter(status=ProposalStatus.PENDING).select_related("element")
    if permissions.has_model_permission(user, "review", Element):
        # One query: the proposals on elements this user may review (not one permission check each).
        reviewable = pending.filter(element__in=permissions.restrict(Element.objects.all(), user, "review"))
        count = reviewable.count()
        cards.append(
            Card(
                _("Architecture proposals to review"),
                count,
                _("Approve or return the changes OPDs proposed.") if count else _("No proposal waits for you."),
                reverse("architecture:changeproposal_list") + "?status=pending",
                "warning" if count else "success",
                items=[(str(p), p.get_absolute_url()) for p in reviewable[:5]],
            )
        )
    if permissions.has_model_permission(user, "add", Element):
        own = permissions.restrict(Element.objects.all(), user, "change")
        drafts = own.filter(published=False)
        returned = visible_proposals.filter(status=ProposalStatus.RETURNED, proposed_by=user)
        cards.append(
            Card(
                _("Your architecture records"),
                own.count(),
                _("%(drafts)d drafts not yet published; %(returned)d proposals returned to you.")
                % {"drafts": drafts.count(), "returned": returned.count()},
                reverse("architecture:overview"),
                "info",
                items=[(str(p), p.get_absolute_url()) for p in returned.select_related("element")[:5]],
            )
        )
    return cards
