"""Writes every create, update and delete of an audited model to the hash-chained audit trail.

Signals catch every write path (services, forms, API, shell, jobs). Bulk `QuerySet.update()` and raw
SQL bypass signals; Simpul's code never uses them on audited models (see docs/architecture.md).
"""

import contextlib
import datetime
import decimal
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from simpul.core import bulk, context
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


class ChainBatch:
    """The state of a batch of appends inside one transaction (see `batch`)."""

    FLUSH_EVERY = 1000

    def __init__(self, start_hash: str, start_id: int):
        self.start_hash = start_hash
        self.start_id = start_id
        self.last_hash: str | None = start_hash
        # While `buffered`, entries are written in bulk by `flush` (and when the batch ends) instead of
        # one INSERT each. Only for callers that roll back everything since the last flush whenever
        # they `forget`: a savepoint rolled back over a buffered entry would not take it along.
        self.buffered = False
        self.pending: list[AuditEntry] = []

    def forget(self) -> None:
        """Call after rolling back to a savepoint that may hold appended entries: the next append then
        reads the chain's last hash again instead of linking to an entry that no longer exists."""
        self.last_hash = None
        self.pending = []

    def flush(self) -> None:
        if self.pending:
            # Written in list order, which numbers them in the chain's order. Through `bulk.insert_rows`
            # (COPY on PostgreSQL): bulk_create's parameter arrays, quoted value by value, took a tenth
            # of a large import.
            fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
            bulk.insert_rows(
                AuditEntry,
                [field.attname for field in fields],
                ([getattr(entry, field.attname) for field in fields] for entry in self.pending),
            )
            self.pending = []


_batch: ContextVar[ChainBatch | None] = ContextVar("simpul_audit_batch", default=None)


def _last_entry() -> tuple[int, str]:
    last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    return last or (0, "0" * 64)


@contextlib.contextmanager
def batch():
    """Let the appends of one long transaction (a bulk import) share one lock of the chain head.

    Each append otherwise locks the head and reads the last hash again: two of its four queries. The
    first append of a transaction holds the head's lock until the transaction ends anyway, so taking it
    once up front changes nothing for other writers, and while it is held nobody else can extend the
    chain, so the hash of the entry just written is the next one's previous hash. Before the transaction
    goes on, the entries written in the batch are checked to form one unbroken chain; a break (an entry
    rolled back without `forget`) raises instead of committing a forked trail.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.batch() needs an open transaction (transaction.atomic()) to hold the lock")
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    start_id, start_hash = _last_entry()
    state = ChainBatch(start_hash, start_id)
    token = _batch.set(state)
    try:
        yield state
        state.flush()
    finally:
        _batch.reset(token)
    if not transaction.get_rollback():  # nothing of a transaction marked for rollback is kept
        _check_batch(state)


def _check_batch(state: ChainBatch) -> None:
    expected = state.start_hash
    for entry_id, prev_hash, entry_hash in (
        AuditEntry.objects.filter(id__gt=state.start_id).order_by("id").values_list("id", "prev_hash", "hash")
    ):
        if prev_hash != expected:
            raise RuntimeError(f"audit entry {entry_id} of a batch does not link to its predecessor")
        expected = entry_hash


def append_entry(action: str, instance: models.Model, changes: dict) -> AuditEntry:
    """Append one entry to the chain; the caller's transaction makes it commit with the change itself.

    In a buffered batch the entry is returned before it is written (it has no id yet).
    """
    actor = context.current()
    user = actor.user if getattr(actor.user, "pk", None) else None
    instansi_id, opd_id = (None, None)
    if hasattr(instance, "get_scope_ids"):
        instansi_id, opd_id = instance.get_scope_ids()
    state = _batch.get()
    with transaction.atomic() if state is None else contextlib.nullcontext():
        if state is None:
            # The head row serialises writers: the previous hash is read and the new entry written
            # while every other writer waits, so the chain has no forks even across processes and
            # machines.
            AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            prev_hash = _last_entry()[1]
        else:
            prev_hash = state.last_hash if state.last_hash is not None else _last_entry()[1]
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
        if state is not None and state.buffered:
            state.pending.append(entry)
            if len(state.pending) >= state.FLUSH_EVERY:
                state.flush()
        else:
            entry.save(force_insert=True)
        if state is not None:
            state.last_hash = entry.hash
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
