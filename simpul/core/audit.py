"""Writes every create, update and delete of an audited model to the hash-chained audit trail.

Signals catch every write path (services, forms, API, shell, jobs). Bulk `QuerySet.update()` and raw
SQL bypass signals; Simpul's code never uses them on audited models (see docs/architecture.md).
"""

import contextlib
import datetime
import decimal
import json
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from simpul.core import bulk, context
from simpul.core.models.audit import GENESIS_HASH, AuditAction, AuditChainHead, AuditEntry
from simpul.core.models.base import AuditedMixin
from simpul.core.queries import snapshot_transaction

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

    def __init__(self, start_hash: str, start_id: int, start_count: int = 0):
        self.start_hash = start_hash
        self.start_id = start_id
        self.start_count = start_count
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

    def written_last_hash(self) -> str:
        """The hash of the last entry this batch has written so far, or the chain's hash before it."""
        last = AuditEntry.objects.filter(id__gt=self.start_id).order_by("-id").values_list("hash", flat=True).first()
        return last or self.start_hash


_batch: ContextVar[ChainBatch | None] = ContextVar("simpul_audit_batch", default=None)


def _last_entry_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _lock_head() -> AuditChainHead:
    """The head row, locked until the transaction ends: while it is held nobody else extends the chain.

    A missing row is created empty. If entries exist, that cannot hide them: the next entry then links
    to the genesis hash instead of its predecessor, and `verify_chain` reports both that link and the
    count that no longer matches.
    """
    return AuditChainHead.objects.select_for_update().get_or_create(pk=1)[0]


@contextlib.contextmanager
def batch():
    """Let the appends of one long transaction (a bulk import) share one lock of the chain head.

    Each append otherwise locks the head, reads it and moves it on. The first append of a transaction
    holds the head's lock until the transaction ends anyway, so taking it once up front changes nothing
    for other writers, and while it is held nobody else can extend the chain, so the hash of the entry
    just written is the next one's previous hash. Before the transaction goes on, the entries written in
    the batch are checked to form one unbroken chain (a break, from an entry rolled back without
    `forget`, raises instead of committing a forked trail) and the head is moved past them, counting
    the entries actually written, so a savepoint rolled back inside the batch is counted right.

    A batch inside a batch joins the outer one: the outer batch checks and counts all their entries.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.batch() needs an open transaction (transaction.atomic()) to hold the lock")
    outer = _batch.get()
    if outer is not None:
        yield outer
        return
    head = _lock_head()
    # Entries are numbered by the database; those of the batch are the ones after the newest existing
    # row, which is the head's last entry unless someone removed or added rows behind its back.
    state = ChainBatch(head.last_hash, _last_entry_id(), head.entry_count)
    token = _batch.set(state)
    try:
        yield state
        state.flush()
    except BaseException:
        _batch.reset(token)
        # The caller may still commit what the batch wrote before the error (by catching it inside
        # its transaction); the head must then count those entries, or the next append would fork the
        # chain. In a transaction the error has already broken, this fails and nothing is committed.
        with contextlib.suppress(DatabaseError), transaction.atomic():
            _advance_head(state, check=False)
        raise
    _batch.reset(token)
    if not transaction.get_rollback():  # nothing of a transaction marked for rollback is kept
        _advance_head(state, check=True)


def _advance_head(state: ChainBatch, *, check: bool) -> None:
    """Move the (locked) head past the entries the batch wrote; with `check`, refuse a broken link."""
    expected = state.start_hash
    added, last = 0, None
    for entry_id, prev_hash, entry_hash, timestamp in (
        AuditEntry.objects.filter(id__gt=state.start_id)
        .order_by("id")
        .values_list("id", "prev_hash", "hash", "timestamp")
    ):
        if check and prev_hash != expected:
            raise RuntimeError(f"audit entry {entry_id} of a batch does not link to its predecessor")
        expected = entry_hash
        added += 1
        last = (entry_id, entry_hash, timestamp)
    if last is not None:
        AuditChainHead.objects.filter(pk=1).update(
            last_entry_id=last[0], last_hash=last[1], last_timestamp=last[2], entry_count=state.start_count + added
        )


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
        head = None
        if state is None:
            # The head row serialises writers: the previous hash is read and the new entry written
            # while every other writer waits, so the chain has no forks even across processes and
            # machines.
            head = _lock_head()
            prev_hash = head.last_hash
        else:
            prev_hash = state.last_hash if state.last_hash is not None else state.written_last_hash()
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
        else:
            # A running count: counting the rows on every append would grow with the trail.
            head.last_hash, head.last_entry_id, head.last_timestamp = entry.hash, entry.pk, entry.timestamp
            head.entry_count += 1
            head.save(update_fields=["last_hash", "last_entry_id", "last_timestamp", "entry_count"])
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


HEAD_LINE_PREFIX = "simpul-audit-head"
_HEAD_FIELD = re.compile(r"\b(count|last_id|hash)=(\S+)")
_HEAD_SHORT = re.compile(r"^(\d+):([0-9a-fA-F]{64})$")
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: how many entries it holds, and the id and hash of the last one.

    `line()` is the form kept outside the database (a log line, a file appended to by cron); `parse`
    reads it back, so that `verify_chain(expected=...)` can check that the chain still holds that
    entry, unchanged, at the same position.
    """

    count: int
    hash: str
    last_id: int | None = None
    time: datetime.datetime | None = None

    @classmethod
    def from_row(cls, row: AuditChainHead | None) -> "ChainHead":
        if row is None:
            return cls(0, GENESIS_HASH, 0)
        return cls(row.entry_count, row.last_hash, row.last_entry_id, row.last_timestamp)

    @classmethod
    def current(cls) -> "ChainHead":
        """The head as stored now (not verified: see `verify_chain`)."""
        return cls.from_row(AuditChainHead.objects.filter(pk=1).first())

    def time_text(self) -> str:
        return timezone.localtime(self.time).isoformat(timespec="seconds") if self.time else "-"

    def line(self) -> str:
        return f"{HEAD_LINE_PREFIX} count={self.count} last_id={self.last_id} hash={self.hash} time={self.time_text()}"

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "last_id": self.last_id,
            "hash": self.hash,
            "time": self.time.isoformat() if self.time else None,
        }

    @classmethod
    def parse(cls, text: str) -> "ChainHead":
        """Read a head back from `line()`, from `as_dict()` as JSON (or any log line holding either),
        or from the short form `COUNT:HASH`. Raises ValueError when no head can be read."""
        text = text.strip()
        fields: dict = {}
        with contextlib.suppress(ValueError):
            data = json.loads(text)
            if isinstance(data, dict) and "hash" in data:
                fields = data
        if not fields:
            short = _HEAD_SHORT.match(text)
            if short:
                fields = {"count": short[1], "hash": short[2]}
            else:
                fields = dict(_HEAD_FIELD.findall(text))
        if "count" not in fields or "hash" not in fields:
            raise ValueError(
                f"no audit head in {text[:80]!r}: expected `{HEAD_LINE_PREFIX} count=N last_id=ID hash=HASH …` "
                "as printed by `simpul audit head`, its --json form, or COUNT:HASH"
            )
        digest = str(fields["hash"]).lower()
        if not _HASH.match(digest):
            raise ValueError(f"the hash of an audit head is 64 hexadecimal digits, not {fields['hash']!r}")
        try:
            count = int(fields["count"])
            last_id = int(fields["last_id"]) if fields.get("last_id") not in (None, "", "None") else None
        except (TypeError, ValueError) as error:
            raise ValueError(f"the count and last_id of an audit head are whole numbers ({error})") from error
        if count < 0:
            raise ValueError("the count of an audit head cannot be negative")
        return cls(count, digest, last_id)


def fill_head_from_chain(entry_model=AuditEntry, head_model=AuditChainHead) -> ChainHead:
    """Point the head at the chain as it is now: its last entry and its number of entries.

    For a database whose head did not record them yet (the migration that added them calls this with
    its historical models) and for a restore from an archive made before backups recorded the head.
    It trusts the stored chain: entries removed from the end before this ran cannot be noticed.
    """
    last = entry_model.objects.order_by("-id").values_list("id", "hash", "timestamp").first()
    last_id, last_hash, last_timestamp = last or (0, GENESIS_HASH, None)
    count = entry_model.objects.count()
    head_model.objects.update_or_create(
        pk=1,
        defaults={
            "last_entry_id": last_id,
            "last_hash": last_hash,
            "last_timestamp": last_timestamp,
            "entry_count": count,
        },
    )
    return ChainHead(count, last_hash, last_id, last_timestamp)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""
    head: ChainHead | None = None  # the stored head the chain was checked against


def _head_mismatch(checked: int, last_id: int, last_hash: str, head: ChainHead) -> str | None:
    """Why the chain's end and its head disagree, or None when they agree."""
    if (checked, last_id, last_hash) == (head.count, head.last_id, head.hash):
        return None
    facts = [
        f"the chain holds {checked} entries ending at entry {last_id or '-'}, "
        f"but its head records {head.count} entries ending at entry {head.last_id or '-'} "
        f"(hash {head.hash[:16]}…)"
    ]
    if checked < head.count:
        facts.append("entries were removed")
    elif checked > head.count:
        facts.append("entries were added without moving the head, or the head was set back")
    else:
        facts.append("the chain or its head was rewritten")
    return "; ".join(facts)


def verify_chain(chunk_size: int = 2000, expected: ChainHead | None = None) -> VerifyResult:
    """Recompute the chain from the first entry; report the first entry that does not fit.

    The chain must end exactly where the stored head says (same number of entries, same last id and
    hash): that finds entries removed from the end, and a chain rewritten without its head. With
    `expected`, a head recorded earlier outside the database, the chain must also still hold that
    entry at that position, unchanged; it may have grown since. Only that finds a chain rewritten
    together with its head.

    Head and entries are read in one snapshot, so entries appended meanwhile do not count as a mismatch.
    """
    with snapshot_transaction():
        row = AuditChainHead.objects.filter(pk=1).first()
        head = ChainHead.from_row(row)
        result = _walk(chunk_size, head, expected, head_missing=row is None)
    result.head = head
    return result


def _walk(chunk_size: int, head: ChainHead, expected: ChainHead | None, *, head_missing: bool) -> VerifyResult:
    expected_prev = GENESIS_HASH
    checked, last_id = 0, 0
    if expected is not None and expected.count == 0 and expected.hash != GENESIS_HASH:
        return VerifyResult(False, 0, None, "the recorded head counts no entries but names a hash")
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, entry.pk, "previous-hash mismatch (an entry before it was removed or altered)"
            )
        if entry.compute_hash() != entry.hash:
            return VerifyResult(False, checked, entry.pk, "content does not match its hash (entry was altered)")
        expected_prev, last_id = entry.hash, entry.pk
        checked += 1
        if expected is not None and checked == expected.count:
            if entry.hash != expected.hash:
                return VerifyResult(
                    False,
                    checked - 1,
                    entry.pk,
                    f"entry number {checked} has hash {entry.hash[:16]}…, but the recorded head has "
                    f"{expected.hash[:16]}… there: the chain was rewritten since the head was recorded",
                )
            if expected.last_id is not None and entry.pk != expected.last_id:
                return VerifyResult(
                    False,
                    checked - 1,
                    entry.pk,
                    f"entry number {checked} is entry {entry.pk}, but the recorded head names entry "
                    f"{expected.last_id}: the chain was renumbered since the head was recorded",
                )
    if expected is not None and checked < expected.count:
        return VerifyResult(
            False,
            checked,
            None,
            f"the chain holds {checked} entries, fewer than the {expected.count} of the recorded head "
            f"(entry {expected.last_id or '-'}, hash {expected.hash[:16]}…): entries were removed",
        )
    if head_missing and checked:
        return VerifyResult(False, checked, None, "the chain's head row is missing (it was deleted)")
    problem = _head_mismatch(checked, last_id, expected_prev, head)
    if problem:
        return VerifyResult(False, checked, None, problem)
    return VerifyResult(True, checked)
