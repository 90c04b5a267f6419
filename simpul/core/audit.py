"""Writes every create, update and delete of an audited model to the hash-chained audit trail.

Signals catch every write path (services, forms, API, shell, jobs). Bulk `QuerySet.update()` and raw
SQL bypass signals; Simpul's code never uses them on audited models (see docs/architecture.md).
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from simpul.core import context
from simpul.core.models.audit import AuditAction, AuditChainHead, AuditEntry
from simpul.core.models.base import AuditedMixin

MASK = "********"


def _json_value(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return str(value)


def snapshot(instance: models.Model, *, mask: bool = True) -> dict:
    """The stored values of a record's concrete fields, as JSON-safe primitives.

    With mask=False secrets are kept so that a change of them can be detected; never store that form.
    """
    data = {}
    exclude = getattr(instance, "audit_exclude_fields", frozenset())
    masked = getattr(instance, "audit_masked_fields", frozenset())
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = field.value_from_object(instance)
        data[field.attname if field.is_relation else field.name] = (
            MASK if mask and field.name in masked and value else _json_value(value)
        )
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for every field whose value differs."""
    before = before or {}
    after = after or {}
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [old, new]
    return changes


def masked_diff(instance: models.Model, before: dict | None, after: dict | None) -> dict:
    """`diff` of unmasked snapshots, with secrets masked after comparing: a new password is recorded
    as changed (masked on both sides) instead of vanishing because both sides read "********"."""
    changes = diff(before, after)
    for name in getattr(instance, "audit_masked_fields", frozenset()):
        if name in changes:
            changes[name] = [MASK if value else value for value in changes[name]]
    return changes


@dataclass
class PendingEntry:
    action: str
    instance: models.Model
    changes: dict


def append_entry(action: str, instance: models.Model, changes: dict) -> AuditEntry:
    """Append one entry to the chain; the caller's transaction makes it commit with the change itself."""
    actor = context.current()
    user = actor.user if getattr(actor.user, "pk", None) else None
    instansi_id, opd_id = (None, None)
    if hasattr(instance, "get_scope_ids"):
        instansi_id, opd_id = instance.get_scope_ids()
    with transaction.atomic():
        # The head row serialises writers: the previous hash is read and the new entry written while
        # every other writer waits, so the chain has no forks even across processes and machines.
        AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        prev_hash = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or ("0" * 64)
        entry = AuditEntry(
            timestamp=timezone.now(),
            actor=user,
            actor_repr=str(getattr(user, "username", "") or ""),
            source=actor.source,
            ip_address=actor.ip_address,
            request_id=actor.request_id,
            action=action,
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
            object_id=str(instance.pk),
            object_repr=str(instance)[:300],
            instansi_id=instansi_id,
            opd_id=opd_id,
            changes=changes,
            prev_hash=prev_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def _is_audited(sender) -> bool:
    # Historical models of data migrations ("__fake__") carry the mixin but not the model's scope
    # attributes; data loaded by a migration is recorded by the migration itself, not the trail.
    return isinstance(sender, type) and issubclass(sender, AuditedMixin) and sender.__module__ != "__fake__"


@receiver(pre_save, dispatch_uid="simpul_audit_pre_save")
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not _is_audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        previous = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(previous, mask=False) if previous is not None else None


@receiver(post_save, dispatch_uid="simpul_audit_post_save")
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _is_audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    changes = masked_diff(instance, before, snapshot(instance, mask=False))
    if not changes and not created:
        return
    append_entry(AuditAction.CREATE if created else AuditAction.UPDATE, instance, changes)


@receiver(post_delete, dispatch_uid="simpul_audit_post_delete")
def _log_delete(sender, instance, **kwargs):
    if not _is_audited(sender):
        return
    append_entry(AuditAction.DELETE, instance, diff(snapshot(instance), None))


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Recompute the chain from the first entry; report the first entry that does not fit."""
    expected_prev = "0" * 64
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, entry.pk, "previous-hash mismatch (an entry before it was removed or altered)"
            )
        if entry.compute_hash() != entry.hash:
            return VerifyResult(False, checked, entry.pk, "content does not match its hash (entry was altered)")
        expected_prev = entry.hash
        checked += 1
    return VerifyResult(True, checked)
