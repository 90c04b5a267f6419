"""Keep the version of every instansi's relationship graph (`GraphVersion`) in step with its data.

Impact analysis holds the graphs of large instansi in memory and compares their version before each
walk (`impact.memory_graph`). An instansi's graph is the relationships whose source element belongs to
it, so the version changes with whatever that reads: a relationship created, deleted, or given other
ends or another kind; an element moved to an OPD of another instansi; an OPD moved to another
instansi. The receivers run inside the write's transaction (every service writes inside one), so the
new version commits with the change itself.

Raw saves (fixtures, restoring a backup) are left alone, as the audit trail leaves them: a backup
brings its own versions, and a restore goes into a new instance whose processes start after it.

One receiver more keeps the files of proposals: a deleted attachment's stored file goes with it.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from simpul.architecture import impact
from simpul.architecture.models import Element, ProposalAttachment, Relationship
from simpul.organizations.models import PerangkatDaerah


def _stored(instance) -> dict | None:
    """The values the row held before this save. The audit trail reads them in its pre_save
    (simpul/core/audit.py) for every audited model; reusing them keeps an unchanged save at zero
    queries here."""
    return getattr(instance, "_audit_before", None)


def relationship_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    ends = {instance.source_id, instance.target_id}
    before = None if created else _stored(instance)
    if before is not None:
        old = (before.get("source_id"), before.get("target_id"), before.get("kind"))
        if old == (instance.source_id, instance.target_id, instance.kind):
            return  # a description or property changed: the walk reads neither
        ends |= {old[0], old[1]}  # where it came from changes too (it may have been another instansi)
    impact.graph_changed(element_ids=ends)


def relationship_deleted(sender, instance, **kwargs):
    # Before the delete, so that its elements (deleted after it when they cascade) still say which
    # instansi it belonged to; inside the deletion's transaction all the same.
    impact.graph_changed(element_ids={instance.source_id, instance.target_id})


def element_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return  # a new element has no relationships yet
    before = _stored(instance)
    if before is not None and before.get("owner_id") == instance.owner_id:
        return
    # Its relationships move with it to the new owner's instansi (if that is another one).
    impact.graph_changed(opd_ids={instance.owner_id, (before or {}).get("owner_id")})


def opd_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    before = _stored(instance)
    if before is not None and before.get("instansi_id") == instance.instansi_id:
        return
    impact.graph_changed(instansi_ids={instance.instansi_id, (before or {}).get("instansi_id")})


def attachment_deleted(sender, instance, **kwargs):
    # Also when the proposal or its element is deleted (a cascade): the stored bytes go after the commit,
    # once no attachment refers to them any more.
    from simpul.architecture.services import delete_file_if_unused

    name = instance.file.name
    transaction.on_commit(lambda: delete_file_if_unused(name))


def connect() -> None:
    """Connect the receivers (ArchitectureConfig.ready). A typed element (Application, ...) is saved
    with itself as the signal's sender, so each element model gets the receiver."""
    post_save.connect(relationship_saved, sender=Relationship, dispatch_uid="architecture_graph_relationship_saved")
    pre_delete.connect(
        relationship_deleted, sender=Relationship, dispatch_uid="architecture_graph_relationship_deleted"
    )
    for model in apps.get_models():
        if issubclass(model, Element):
            post_save.connect(element_saved, sender=model, dispatch_uid=f"architecture_graph_{model._meta.label_lower}")
    post_save.connect(opd_saved, sender=PerangkatDaerah, dispatch_uid="architecture_graph_opd_saved")
    post_delete.connect(
        attachment_deleted, sender=ProposalAttachment, dispatch_uid="architecture_proposal_attachment_deleted"
    )
