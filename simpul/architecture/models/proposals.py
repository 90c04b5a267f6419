"""Change proposals: an OPD's proposed change to a published element, or its request to publish a draft,
with the proposal workflow's guards and the files attached to a proposal."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.architecture.models.elements import Element
from simpul.core import permissions
from simpul.core.models import ChangeLoggedModel, StoredFile
from simpul.core.models.files import stored_file_path
from simpul.core.workflow import NOT_PERMITTED, Transition, TransitionError, Workflow


class ProposalKind(models.TextChoices):
    PUBLISH = "publish", _("Publish a new element")
    CHANGE = "change", _("Change a published element")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with a note")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicationState(models.TextChoices):
    """The states of an element's publication events (`Element.published` is a boolean)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# Codes of the proposal workflow's own refusals, besides the kit's (documented in docs/architecture/proposals.md).
ALREADY_PUBLISHED = "already_published"
ALREADY_REQUESTED = "already_requested"
NOT_PUBLISHED = "not_published"
NO_PROPOSED_VALUES = "no_proposed_values"


def by_the_proposer(user, proposal: "ChangeProposal") -> None:
    """A proposal is its proposer's to revise, resubmit or withdraw: an OPD colleague proposes their own."""
    if proposal.proposed_by_id is None or proposal.proposed_by_id != getattr(user, "pk", None):
        raise TransitionError(NOT_PERMITTED, gettext("Only the proposer may do this."), status=403)


def still_fits(proposal: "ChangeProposal") -> None:
    """A proposal sent (again) for review must still make sense for its element as it is now."""
    element = proposal.element
    if proposal.kind == ProposalKind.CHANGE and not element.published:
        raise TransitionError(NOT_PUBLISHED, gettext("This element is a draft: change it directly."))
    if proposal.kind == ProposalKind.PUBLISH:
        if element.published:
            raise TransitionError(ALREADY_PUBLISHED, gettext("This element is already published."))
        waiting = element.proposals.filter(kind=ProposalKind.PUBLISH, status=ProposalStatus.PENDING)
        if waiting.exclude(pk=proposal.pk).exists():
            raise TransitionError(ALREADY_REQUESTED, gettext("Publication of this element was already requested."))


def proposing_opd_may_act(user, proposal: "ChangeProposal") -> bool:
    """The proposer's steps are the proposing OPD's: a user who may still propose for that OPD (its operator,
    or the instansi's Admin SPBE). For a correction, that OPD is not the element's owner, in whose scope the
    proposal lives; an operator who moved to another OPD no longer acts on their old OPD's proposals."""
    instansi_id, owner_id = proposal.get_scope_ids()
    return permissions.can_add(user, ChangeProposal, instansi_id, proposal.proposer_opd_id or owner_id)


def _revisable(user, proposal: "ChangeProposal") -> None:
    by_the_proposer(user, proposal)
    if proposal.kind != ProposalKind.CHANGE:
        raise TransitionError(
            NO_PROPOSED_VALUES,
            gettext("A publication request has no proposed values: edit the draft element itself, then resubmit."),
        )


def _resubmittable(user, proposal: "ChangeProposal") -> None:
    by_the_proposer(user, proposal)
    still_fits(proposal)


class ChangeProposal(ChangeLoggedModel):
    """An OPD operator's proposed change to a published element (or a request to publish a draft),
    reviewed by the Admin SPBE, who sees the difference and approves it or returns it with a note.

    A returned proposal is not a dead end: its proposer revises the values, resubmits it, or withdraws it.
    The states change only through `simpul.architecture.services`, which fire `workflow`'s transitions.
    """

    element = models.ForeignKey(Element, verbose_name=_("element"), on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    data = models.JSONField(_("proposed values"), default=dict, blank=True)
    before = models.JSONField(_("values when proposed"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        "organizations.User", verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("review note"), blank=True)
    # The OPD that proposed: the element's owner, or another OPD of the instansi proposing a correction.
    proposer_opd = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("proposing OPD"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_instansi_path = "element__owner__instansi"
    scope_opd_path = "element__owner"
    # A correction lives in the owner's scope, and the proposing OPD follows it there.
    scope_viewer_opd_path = "proposer_opd"

    # Deciding is the reviewer's ("review"); the proposer's own steps are the proposing OPD's
    # (`proposing_opd_may_act`), which an operator who moved to another OPD no longer holds.
    workflow = Workflow(
        "proposal",
        field="status",
        transitions=[
            Transition(
                "approve",
                [ProposalStatus.PENDING],
                ProposalStatus.APPROVED,
                permission="review",
                label=_("Approve and apply"),
            ),
            Transition(
                "return",
                [ProposalStatus.PENDING],
                ProposalStatus.RETURNED,
                permission="review",
                requires_note=True,
                label=_("Return with note"),
            ),
            Transition(
                "revise",
                [ProposalStatus.RETURNED],
                ProposalStatus.RETURNED,
                permission=proposing_opd_may_act,
                guard=_revisable,
                label=_("Revise"),
            ),
            Transition(
                "resubmit",
                [ProposalStatus.RETURNED],
                ProposalStatus.PENDING,
                permission=proposing_opd_may_act,
                guard=_resubmittable,
                label=_("Resubmit"),
            ),
            Transition(
                "withdraw",
                [ProposalStatus.PENDING, ProposalStatus.RETURNED],
                ProposalStatus.WITHDRAWN,
                permission=proposing_opd_may_act,
                guard=by_the_proposer,
                label=_("Withdraw"),
            ),
        ],
    )

    class Meta:
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.element}"

    def save(self, *args, **kwargs):
        if self.proposer_opd_id is None and self.element_id is not None:
            self.proposer_opd_id = Element.objects.filter(pk=self.element_id).values_list("owner_id", flat=True).first()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("architecture:changeproposal_detail", args=[self.pk])

    @property
    def is_correction(self) -> bool:
        """Proposed by another OPD than the element's owner."""
        return bool(self.proposer_opd_id) and self.proposer_opd_id != self.element.owner_id

    @property
    def is_open(self) -> bool:
        """Still waiting for a decision or for its proposer: files may be added, steps taken."""
        return self.status in (ProposalStatus.PENDING, ProposalStatus.RETURNED)


# Released migrations refer to the upload path by this name.
attachment_file_path = stored_file_path


class ProposalAttachment(ChangeLoggedModel, StoredFile):
    """A file attached to a proposal (e.g. the BAST the reviewer asked for), checked by type and size,
    stored under its checksum and served only to those who may view the proposal."""

    proposal = models.ForeignKey(
        ChangeProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    # Always a file (`file_required`), so the database keeps refusing an attachment without a size.
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    file_folder = "architecture/proposals"
    file_required = True
    scope_instansi_path = "proposal__element__owner__instansi"
    scope_opd_path = "proposal__element__owner"
    scope_viewer_opd_path = "proposal__proposer_opd"

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.proposal.get_absolute_url()
