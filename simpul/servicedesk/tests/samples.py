"""The service desk's records for the generated permission matrix: per OPD (A1, A2, B1) an assignment group,
an incident routed to it waiting for its reporter (so it has a pause), with a public reply, an internal note
and an attachment; per instansi a day off."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.core import services as core_services
from simpul.servicedesk import services
from simpul.servicedesk.choices import ReplyKind, TicketKind
from simpul.servicedesk.models import AssignmentGroup, InstansiDayOff, Ticket

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def create_samples(world) -> None:
    for instansi, admin in ((world.inst_a, world.admin_a), (world.inst_b, world.admin_b)):
        core_services.create_object(
            admin, InstansiDayOff(instansi=instansi, date=datetime.date(2026, 4, 22), name="Hari jadi kabupaten")
        )
    for opd, admin in ((world.a1, world.admin_a), (world.a2, world.admin_a), (world.b1, world.admin_b)):
        group = core_services.create_object(admin, AssignmentGroup(opd=opd, name=f"Helpdesk {opd.short_name}"))
        ticket = services.open_ticket(
            admin,
            Ticket(
                instansi=opd.instansi,
                opd=opd,
                kind=TicketKind.INCIDENT,
                subject=f"Aplikasi {opd.short_name} tidak dapat diakses",
                reporter_name="Budi",
            ),
        )
        services.assign(admin, ticket, group=group)
        services.start(admin, ticket)
        services.wait(admin, ticket, note="Mohon kirim tangkapan layar.")
        reply = services.add_reply(admin, ticket, body="Kami sedang memeriksa.", kind=ReplyKind.PUBLIC)
        services.add_reply(admin, ticket, body="Server aplikasi perlu dicek.", kind=ReplyKind.INTERNAL)
        services.add_attachment(admin, ticket, SimpleUploadedFile(f"layar-{opd.short_name}.pdf", PDF), reply=reply)
