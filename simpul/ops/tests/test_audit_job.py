"""The daily audit job (ops.tasks.verify_audit_chain): it logs the chain's head when the trail is
intact, and fails, logs and mails the admins when it is not (the head itself: core/tests/test_audit_head.py)."""

import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from simpul.core.audit import ChainHead
from simpul.core.models import AuditEntry
from simpul.ops import tasks


def _head_line() -> str:
    out = io.StringIO()
    call_command("audit", "head", stdout=out)
    return out.getvalue().strip()


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_daily_job_logs_the_head_line(world, caplog):
    with caplog.at_level(logging.INFO, logger="simpul.tasks"):
        summary = tasks.verify_audit_chain.call()
    assert summary["ok"]
    lines = [record.getMessage() for record in caplog.records if record.levelno == logging.INFO]
    head_lines = [line for line in lines if "simpul-audit-head" in line]
    assert len(head_lines) == 1
    assert head_lines[0].endswith(_head_line())
    assert summary["head"]["hash"] == ChainHead.current().hash
    # The logged line, as found later in the log store, is a valid --expect-head.
    assert _verify("--expect-head", head_lines[0]).startswith("OK")


@override_settings(ADMINS=[("Admin SPBE", "admin-spbe@example.go.id")])
def test_daily_job_fails_and_mails_when_the_tail_is_removed(world, caplog):
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("-id").first().pk).delete()
    # In English whatever language an earlier test left active: the mail text is checked below.
    with (
        translation.override("en"),
        caplog.at_level(logging.ERROR, logger="simpul.tasks"),
        pytest.raises(tasks.AuditChainBroken, match="removed"),
    ):
        tasks.verify_audit_chain.call()
    assert any("removed" in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)
    assert len(mail.outbox) == 1
    assert "does not end where its head says" in mail.outbox[0].body
