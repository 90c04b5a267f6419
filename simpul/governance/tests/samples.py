"""The governance module's records for the generated permission matrix: in instansi A and B a draft and an
enacted policy per drafting OPD (A1, A2, none; B1), each with its document; a Tim Koordinasi with a decree
(with its file) and a member; a meeting (with minutes file) with a decision; and a follow-up action owned by
each OPD. The policy topics come from the migrations."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.core import services as core_services
from simpul.governance import services
from simpul.governance.choices import PolicyKind, TeamKind
from simpul.governance.models import Decision, Decree, FollowUpAction, Meeting, Policy, Team, TeamMember

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def create_samples(world) -> None:
    for instansi, admin, opds in (
        (world.inst_a, world.admin_a, (world.a1, world.a2, None)),
        (world.inst_b, world.admin_b, (world.b1, None)),
    ):
        for index, opd in enumerate(opds):
            label = opd.short_name if opd else "instansi"
            for state in ("draft", "enacted"):
                policy = core_services.create_object(
                    admin,
                    Policy(
                        instansi=instansi,
                        owner=opd,
                        kind=PolicyKind.PERBUP,
                        title=f"Kebijakan {state} {label}",
                        document=_pdf(f"{state}-{label}.pdf"),
                    ),
                )
                if state == "enacted":
                    services.enact_policy(
                        admin, policy, number=f"{index + 1} Tahun 2024", date=datetime.date(2024, 1, 2)
                    )
        team = core_services.create_object(
            admin, Team(instansi=instansi, kind=TeamKind.TIM_KOORDINASI, name=f"Tim Koordinasi {instansi.slug}")
        )
        decree = core_services.create_object(
            admin,
            Decree(
                team=team,
                number=f"B/1/{instansi.slug}",
                date=datetime.date(2024, 1, 2),
                title="Tim Koordinasi SPBE",
                valid_from=datetime.date(2024, 1, 2),
                document=_pdf("sk.pdf"),
            ),
        )
        member = core_services.create_object(
            admin, TeamMember(decree=decree, position="ketua", name="Sekretaris Daerah", user=admin)
        )
        meeting = core_services.create_object(
            admin,
            Meeting(team=team, title="Rapat Koordinasi", date=datetime.date(2024, 2, 1), document=_pdf("notula.pdf")),
        )
        meeting.attendees.set([member])
        decision = core_services.create_object(admin, Decision(meeting=meeting, number=1, text="Susun kebijakan."))
        for opd in opds:
            if opd is not None:
                services.assign_action(
                    admin,
                    FollowUpAction(
                        decision=decision,
                        owner=opd,
                        title=f"Tindak lanjut {opd.short_name}",
                        due_date=datetime.date(2024, 3, 1),
                    ),
                )


def refused_beyond_grants(actor, what: str, obj, place) -> bool:
    """What a follow-up action asks, of whom and by when is the team's decision: its owner OPD, which may
    change it (report it done), may not edit it or PATCH it."""
    if not isinstance(obj, FollowUpAction) or what not in ("edit", "api_patch"):
        return False
    return not actor.may("review", type(obj), place)
