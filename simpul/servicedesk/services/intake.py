"""The public intake: a citizen's complaint from the web form or the API without an account, or a signed-in
user's ticket from the portal. Validated, routed and given its SLA as an agent's ticket is, and stored with
its attachments in one transaction; a retried submission with the same idempotency key gets the ticket its
first attempt made.

Anonymous writes have no acting user: the audit trail records them under the source "public" with the
client's address (simpul.core.context).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.architecture.choices import Domain
from simpul.architecture.models import Element
from simpul.core import context, files, workflow
from simpul.organizations.models import Instansi
from simpul.servicedesk.choices import FIRST_STATUS, SERVICE_KINDS, Channel, TicketKind, TicketStatus
from simpul.servicedesk.models import IntakeKey, Ticket, TicketAttachment
from simpul.servicedesk.services import clock, routing

WORKFLOW = "ticket"
# What a citizen may name as the affected element: the services and applications the instansi published.
PUBLIC_DOMAINS = (Domain.SERVICE, Domain.APPLICATION)
MAX_ATTACHMENTS = 5


class IntakeConflict(Exception):
    """The idempotency key was used before for a different submission: nothing is written."""

    code = "idempotency_conflict"

    def __init__(self):
        super().__init__(
            _("This Idempotency-Key was already used for a different submission. Send a new key for a new submission.")
        )


@dataclass
class Receipt:
    """What a submission made: the ticket, and whether it was made by an earlier attempt (a replay)."""

    ticket: Ticket
    replayed: bool = False


def intake_instansi():
    """The instansi a citizen may submit to."""
    return Instansi.objects.order_by("name")


def public_elements(instansi=None):
    """The published services and applications a citizen may name, of one instansi or of all."""
    elements = Element.objects.filter(published=True, domain__in=PUBLIC_DOMAINS).select_related("owner")
    if instansi is not None:
        elements = elements.filter(owner__instansi=instansi)
    return elements.order_by("domain", "name")


def fingerprint(fields: dict, checked_files) -> str:
    """A SHA-256 of the submission as given: the same body gives the same fingerprint."""
    body = {name: ("" if value is None else str(value)) for name, value in sorted(fields.items())}
    body["attachments"] = [(item.name, item.sha256) for item in checked_files]
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(key: str, print_: str) -> Receipt | None:
    stored = IntakeKey.objects.filter(key=key).select_related("ticket").first()
    if stored is None:
        return None
    if stored.fingerprint != print_:
        raise IntakeConflict()
    return Receipt(stored.ticket, replayed=True)


class _KeyTaken(Exception):
    """Another attempt with the same key stored its ticket first (the unique constraint said so)."""


def submit_public(
    *,
    kind: str,
    subject: str,
    description: str,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    element: Element | None = None,
    channel: str = Channel.WEB,
    instansi: Instansi | None = None,
    idempotency_key: str | None = None,
    user=None,
    attachments=(),
) -> Receipt:
    """Open a ticket from the public form, the portal or the API. Only complaints come without an account;
    a signed-in user may also report an incident or request a service. Raises ValidationError (by field),
    or IntakeConflict when the idempotency key was used for a different submission."""
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    subject = (subject or "").strip()
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    allowed = SERVICE_KINDS if signed_in else {TicketKind.COMPLAINT}
    if kind not in allowed:
        errors.setdefault("kind", []).append(
            _("Without an account only a complaint can be submitted. Sign in to report anything else.")
            if not signed_in
            else _("Choose a complaint, an incident or a service request.")
        )
    if not subject:
        errors.setdefault("subject", []).append(_("Write the subject."))
    if not description:
        errors.setdefault("description", []).append(_("Describe the matter."))
    if instansi is None and element is not None:
        instansi = element.owner.instansi
    if instansi is None:
        candidates = list(intake_instansi()[:2])
        if len(candidates) == 1:
            instansi = candidates[0]
        else:
            errors.setdefault("instansi", []).append(_("Choose the instansi."))
    if element is not None:
        public = public_elements(instansi).filter(pk=element.pk).exists() if instansi else False
        if not public:
            errors.setdefault("service", []).append(_("Choose one of the published services or applications."))
    attachments = list(attachments or ())
    checked = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors.setdefault("attachments", []).append(
            _("At most %(count)d files can be attached.") % {"count": MAX_ATTACHMENTS}
        )
    else:
        for upload in attachments:
            try:
                checked.append(files.check_upload(upload))
            except ValidationError as error:
                errors.setdefault("attachments", []).extend(
                    ValidationError(f"{upload.name}: {text}", code=item.code)
                    for item, text in zip(error.error_list, error.messages, strict=True)
                )
    if errors:
        raise ValidationError(errors)

    print_ = None
    if idempotency_key:
        print_ = fingerprint(
            {
                "kind": kind,
                "subject": subject,
                "description": description,
                "reporter_name": reporter_name,
                "reporter_email": reporter_email,
                "reporter_phone": reporter_phone,
                "service": element.pk if element else "",
                "instansi": instansi.pk,
                "channel": channel,
            },
            checked,
        )
        replay = _replay(idempotency_key, print_)
        if replay is not None:
            return replay

    ticket = Ticket(
        instansi=instansi,
        kind=kind,
        channel=channel,
        subject=subject,
        description=description,
        reporter=user if signed_in else None,
        reporter_name=(reporter_name or "").strip() or (user.get_full_name() if signed_in else ""),
        reporter_email=(reporter_email or "").strip() or (getattr(user, "email", "") if signed_in else ""),
        reporter_phone=(reporter_phone or "").strip(),
        element=element,
    )
    try:
        _store(ticket, user if signed_in else None, attachments, checked, idempotency_key, print_)
    except _KeyTaken:
        # The other attempt's ticket is committed by now (the insert waited for it); this one rolled back.
        replay = _replay(idempotency_key, print_)
        if replay is None:  # the other attempt rolled back after all: nothing to return, try once more
            _store(ticket, user if signed_in else None, attachments, checked, idempotency_key, print_)
            return Receipt(ticket)
        return replay
    return Receipt(ticket)


def _store(ticket: Ticket, user, uploads, checked, key, print_) -> None:
    base = context.current()
    written: list[str] = []
    actor = (
        context.acting(
            user, source="public" if user is None else "portal", ip_address=base.ip_address, request_id=base.request_id
        )
        if getattr(base.user, "pk", None) is None
        else contextlib.nullcontext()
    )
    try:
        with actor, transaction.atomic():
            ticket.pk = None
            ticket.code = ""
            try:
                routed_by = routing.route(ticket)
            except ValidationError as error:
                # No group of the instansi takes complaints that name no service: the citizen can still
                # name one (the agent's message about the handling OPD would mean nothing to them).
                raise ValidationError(
                    {
                        "service": _(
                            "Choose the service or application concerned: this instansi does not take "
                            "other complaints here yet."
                        )
                    }
                ) from error
            ticket.status = FIRST_STATUS.get(ticket.kind, TicketStatus.NEW)
            ticket.opened_at = timezone.now()
            clock.set_due(ticket)
            ticket.full_clean(exclude=["code"])
            ticket.save()
            workflow.record_event(
                user,
                ticket,
                WORKFLOW,
                "open",
                "",
                ticket.status,
                payload={"channel": ticket.channel, "routed_by": routed_by},
            )
            for upload, item_checked in zip(uploads, checked, strict=True):
                item = TicketAttachment(ticket=ticket)
                item.store(item_checked, user)
                name = item.save_file(upload)
                if name:
                    written.append(name)
                item.full_clean(exclude=["file"])
                item.save()
            if key:
                try:
                    with transaction.atomic():
                        IntakeKey.objects.create(
                            key=key, instansi_id=ticket.instansi_id, ticket=ticket, fingerprint=print_
                        )
                except IntegrityError as error:
                    raise _KeyTaken() from error
    except BaseException:
        for name in written:
            default_storage.delete(name)
        ticket.pk = None
        raise


# --- Public tracking ---------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def tracking(code: str) -> dict | None:
    """What anyone holding the code may read of a ticket: its kind, state, subject, dates and public replies;
    never the internal notes, the reporter's contact data, nor anything of another ticket. None for a code
    that is no ticket's (one indexed query either way, so that the answer's timing tells nothing)."""
    from simpul.servicedesk.choices import ReplyKind

    ticket = Ticket.objects.filter(code=normalise_code(code)).first()
    if ticket is None:
        return None
    replies = [
        {
            "sender": "reporter" if reply.author_id is None else "agent",
            "body": reply.body,
            "created_at": reply.created_at,
        }
        for reply in ticket.replies.filter(kind=ReplyKind.PUBLIC).order_by("created_at", "id")
    ]
    return {
        "code": ticket.code,
        "kind": ticket.kind,
        "kind_display": ticket.get_kind_display(),
        "status": ticket.status,
        "status_display": ticket.get_status_display(),
        "subject": ticket.subject,
        "created_at": ticket.opened_at,
        "updated_at": ticket.updated_at,
        "replies": replies,
    }
