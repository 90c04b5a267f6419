"""The head of the audit chain: it commits to the last entry, so removing or rewriting entries is found,
and a copy of it kept outside the database catches a rewrite of the chain together with its head."""

import importlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from simpul.core import audit
from simpul.core.audit import ChainHead, fill_head_from_chain, verify_chain
from simpul.core.context import acting
from simpul.core.models import AuditChainHead, AuditEntry
from simpul.core.models.audit import GENESIS_HASH
from simpul.organizations.models import Instansi

HEAD_MIGRATION = "0006_audit_chain_head_end"


def _head_line() -> str:
    out = io.StringIO()
    call_command("audit", "head", stdout=out)
    return out.getvalue().strip()


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _ids() -> list[int]:
    ids = list(AuditEntry.objects.order_by("id").values_list("pk", flat=True))
    assert len(ids) >= 5
    return ids


def _rehash(start_id: int = 0, change=None) -> str:
    """Recompute `prev_hash` and `hash` of every entry from `start_id` on, as a forger with database access
    would after changing or deleting entries; `change(entry)` edits an entry first. Returns the new last hash."""
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id"):
        if entry.pk < start_id:
            previous = entry.hash
            continue
        if change is not None:
            change(entry)
        entry.prev_hash = previous
        entry.hash = entry.compute_hash()
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, hash=entry.hash, object_repr=entry.object_repr
        )
        previous = entry.hash
    return previous


def _instansi(slug: str) -> Instansi:
    return Instansi.objects.create(kind="kabupaten", name=f"Kabupaten {slug}", slug=slug)


def _assert_head_is_the_chain_end() -> None:
    head = ChainHead.current()
    last = AuditEntry.objects.order_by("-id").first()
    assert (head.count, head.last_id, head.hash) == (AuditEntry.objects.count(), last.pk, last.hash)
    assert head.time == last.timestamp
    assert verify_chain().ok


# --- what the head finds on its own ---------------------------------------------------------------


def test_deleting_the_newest_entry_is_found(world):
    _assert_head_is_the_chain_end()
    newest = AuditEntry.objects.order_by("-id").first()
    AuditEntry.objects.filter(pk=newest.pk).delete()

    result = verify_chain()
    assert not result.ok
    assert result.broken_entry_id is None
    assert result.checked == AuditEntry.objects.count()
    assert "removed" in result.reason and "head" in result.reason
    assert f"ending at entry {newest.pk}" in result.reason  # where the chain should end
    with pytest.raises(CommandError, match=r"BROKEN: .*entries were removed"):
        _verify()


def test_deleting_a_middle_entry_and_relinking_the_rest_is_found(world):
    ids = _ids()
    victim = ids[len(ids) // 2]
    AuditEntry.objects.filter(pk=victim).delete()
    _rehash(start_id=victim)  # every later entry links again: the chain itself is intact

    result = verify_chain()
    assert not result.ok
    assert "removed" in result.reason
    assert f"holds {len(ids) - 1} entries" in result.reason and f"records {len(ids)} entries" in result.reason
    with pytest.raises(CommandError, match="entries were removed"):
        _verify()


def test_rewriting_the_whole_chain_without_its_head_is_found(world):
    first = _ids()[0]

    def forge(entry):
        if entry.pk == first:
            entry.object_repr = "dipalsukan"

    _rehash(change=forge)
    assert AuditEntry.objects.get(pk=first).compute_hash() == AuditEntry.objects.get(pk=first).hash

    result = verify_chain()
    assert not result.ok
    assert "rewritten" in result.reason
    with pytest.raises(CommandError, match="rewritten"):
        _verify()


def test_adding_an_entry_behind_the_heads_back_is_found(world):
    last = AuditEntry.objects.order_by("-id").first()
    forged = AuditEntry(
        timestamp=last.timestamp,
        action="update",
        content_type_id=last.content_type_id,
        object_id=last.object_id,
        object_repr="disisipkan",
        changes={},
        prev_hash=last.hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)

    result = verify_chain()
    assert not result.ok and "without moving the head" in result.reason


def test_a_missing_head_row_is_found(world):
    AuditChainHead.objects.all().delete()
    result = verify_chain()
    assert not result.ok and "head row is missing" in result.reason
    # The next append does not hide it: it links to the genesis hash, not to the last entry.
    with acting(None, source="cli"):
        _instansi("setelah-hapus")
    assert not verify_chain().ok


# --- a head recorded outside the database ---------------------------------------------------------


def test_rewriting_chain_and_head_passes_verify_but_not_the_recorded_head(world):
    recorded = _head_line()
    assert recorded.startswith("simpul-audit-head count=")
    assert verify_chain(expected=ChainHead.parse(recorded)).ok
    assert "holds the recorded head" in _verify("--expect-head", recorded)

    count = AuditEntry.objects.count()
    first = _ids()[0]

    def forge(entry):
        if entry.pk == first:
            entry.object_repr = "dipalsukan"

    new_last = _rehash(change=forge)
    AuditChainHead.objects.filter(pk=1).update(last_hash=new_last)

    assert verify_chain().ok, "a consistent rewrite of chain and head cannot be seen from inside"
    assert _verify().startswith("OK")
    result = verify_chain(expected=ChainHead.parse(recorded))
    assert not result.ok
    assert result.broken_entry_id == AuditEntry.objects.order_by("-id").first().pk
    assert f"entry number {count}" in result.reason and "rewritten" in result.reason
    with pytest.raises(CommandError, match=r"BROKEN at entry \d+: entry number \d+ has hash .*rewritten"):
        _verify("--expect-head", recorded)


def test_a_chain_grown_since_the_recorded_head_passes(world):
    line = _head_line()
    as_json = io.StringIO()
    call_command("audit", "head", "--json", stdout=as_json)
    recorded = json.loads(as_json.getvalue())
    short = f"{recorded['count']}:{recorded['hash']}"
    text_log_line = f"2026-12-01 02:00:00 INFO [-] simpul.tasks: Audit chain head: {line}"
    json_log_line = json.dumps(
        {"time": "2026-12-01 02:00:00", "level": "INFO", "message": f"Audit chain head: {line}", "audit_head": recorded}
    )

    with acting(None, source="cli"):
        for n in range(3):
            _instansi(f"tumbuh-{n}")
    assert ChainHead.current().count == recorded["count"] + 3

    for form in (line, json.dumps(recorded), short, text_log_line, json_log_line):
        assert verify_chain(expected=ChainHead.parse(form)).ok, form
        assert _verify("--expect-head", form).startswith("OK")


def test_removing_entries_before_the_recorded_head_is_found_even_with_a_rewritten_head(world):
    recorded = _head_line()
    newest = AuditEntry.objects.order_by("-id").first()
    AuditEntry.objects.filter(pk=newest.pk).delete()
    fill_head_from_chain()  # the forger also sets the head back
    assert verify_chain().ok
    result = verify_chain(expected=ChainHead.parse(recorded))
    assert not result.ok and "fewer than" in result.reason and "removed" in result.reason
    with pytest.raises(CommandError, match="fewer than"):
        _verify("--expect-head", recorded)


def test_a_recorded_head_names_its_entry_by_id_as_well(world):
    head = ChainHead.current()
    renumbered = ChainHead(head.count, head.hash, head.last_id + 1000)
    result = verify_chain(expected=renumbered)
    assert not result.ok and "renumbered" in result.reason


def test_an_unreadable_expected_head_is_refused(world):
    for text in ("", "count=3", "hash=" + "a" * 64, "3:xyz", "count=-1 hash=" + "a" * 64):
        with pytest.raises(ValueError):
            ChainHead.parse(text)
    with pytest.raises(CommandError, match="--expect-head"):
        _verify("--expect-head", "nonsense")


def test_head_command_prints_one_line_and_json(world):
    head = ChainHead.current()
    line = _head_line()
    assert "\n" not in line
    assert line.startswith(f"simpul-audit-head count={head.count} last_id={head.last_id} hash={head.hash} time=")
    out = io.StringIO()
    call_command("audit", "head", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["count"], data["last_id"], data["hash"]) == (head.count, head.last_id, head.hash)
    assert ChainHead.parse(line) == ChainHead(head.count, head.hash, head.last_id)
    # `verify` prints the head it verified, ready to be recorded.
    assert _verify().splitlines()[-1] == line


# --- every append path moves the head -------------------------------------------------------------


def test_every_append_path_moves_the_head(world):
    _assert_head_is_the_chain_end()
    with acting(None, source="cli"):
        made = _instansi("satu")
        _assert_head_is_the_chain_end()
        made.address = "Jalan Baru"
        made.save()
        _assert_head_is_the_chain_end()
        made.delete()
        _assert_head_is_the_chain_end()

        for buffered in (False, True):
            before = AuditEntry.objects.count()
            with transaction.atomic(), audit.batch() as chain:
                chain.buffered = buffered
                for n in range(3):
                    _instansi(f"batch-{buffered}-{n}")
            assert AuditEntry.objects.count() == before + 3
            _assert_head_is_the_chain_end()

        # A savepoint rolled back inside a batch takes its entries along; the head counts what is left.
        with transaction.atomic(), audit.batch() as chain:
            _instansi("tetap-1")
            with pytest.raises(RuntimeError), transaction.atomic():
                _instansi("batal")
                raise RuntimeError
            chain.forget()
            _instansi("tetap-2")
        _assert_head_is_the_chain_end()

        # A batch inside a batch joins it instead of starting from a head that is not moved yet.
        with transaction.atomic(), audit.batch():
            _instansi("luar-1")
            with audit.batch():
                _instansi("dalam")
            _instansi("luar-2")
        _assert_head_is_the_chain_end()


def test_a_batch_ended_by_an_error_that_the_caller_catches_still_moves_the_head(world):
    class Stop(Exception):
        pass

    with acting(None, source="cli"), transaction.atomic():
        try:
            with audit.batch():
                _instansi("sebelum-galat")
                raise Stop
        except Stop:
            pass
        _instansi("sesudah-galat")  # links to the batch's entry, which the caller keeps
    assert Instansi.objects.filter(slug="sebelum-galat").exists()
    _assert_head_is_the_chain_end()


def test_a_rolled_back_append_leaves_the_head_where_it_was(world):
    before = ChainHead.current()
    with pytest.raises(RuntimeError), transaction.atomic(), acting(None, source="cli"):
        _instansi("batal")
        raise RuntimeError
    assert ChainHead.current() == before
    assert verify_chain().ok


# --- the migration that added the head's fields ---------------------------------------------------


def test_migration_fills_the_head_of_an_existing_chain(world):
    # A database migrated before the head recorded anything: the fields hold their defaults.
    AuditChainHead.objects.filter(pk=1).update(
        entry_count=0, last_entry_id=0, last_hash=GENESIS_HASH, last_timestamp=None
    )
    assert not verify_chain().ok

    migration = importlib.import_module(f"simpul.core.migrations.{HEAD_MIGRATION}")
    historical = MigrationLoader(connection).project_state(("core", HEAD_MIGRATION)).apps
    migration.fill_head(historical, None)

    _assert_head_is_the_chain_end()


def test_fill_head_from_chain_handles_an_empty_chain_and_a_missing_row(db):
    AuditEntry.objects.all().delete()
    AuditChainHead.objects.all().delete()
    head = fill_head_from_chain()
    assert (head.count, head.last_id, head.hash) == (0, 0, GENESIS_HASH)
    assert AuditChainHead.objects.get(pk=1).entry_count == 0
    assert verify_chain().ok
