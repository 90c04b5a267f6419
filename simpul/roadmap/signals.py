"""Keep the stored evidence files: a deleted evidence row's file goes after the commit, once no other
evidence refers to the same bytes (files are stored under their checksum, so two rows may share one)."""

from django.db import transaction
from django.db.models.signals import post_delete

from simpul.roadmap.models import ProgressEvidence


def evidence_deleted(sender, instance, **kwargs):
    # Also when the report or its output is deleted (a cascade).
    from simpul.roadmap.services import delete_file_if_unused

    name = instance.file.name
    if name:
        transaction.on_commit(lambda: delete_file_if_unused(name))


def connect() -> None:
    post_delete.connect(evidence_deleted, sender=ProgressEvidence, dispatch_uid="roadmap_evidence_deleted")
