"""Demo governance of Kabupaten Lampung Timur: the two SPBE teams as the master plan sets them up (4.2.1.1
Tim Koordinasi: Tim Pengarah, Ketua Tim — the Sekretaris Daerah —, Koordinator, Sekretariat SPBE, Kelompok
Kerja; 4.2.1.2 Tim Evaluator Internal: penanggung jawab, pengumpul data, penganalisis data, operator), the
policies the plan names or implies (the Perbup on SPBE, the master plan and the architecture, the Keputusan
Bupati on the teams, information security, the circular on the service connector JePin, drafts on Satu Data
and audit TIK) in their different states, and two meetings of the Tim Koordinasi with decisions and
follow-up actions, some done and some late.

The plan gives no numbers or dates for these documents: the ones here are invented, in the form Lampung
Timur uses, and agree with the 2023 self-assessment's justifications of the evaluation demo (e.g. the Satu
Data and audit TIK policies are still drafts). Demo users are linked where the organisations demo has them
(the Bupati, the Sekretaris Daerah, the evaluators). Every write goes through the services acting as the
demo user who would do it. Idempotent: records are found by their natural keys and left alone when present.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from simpul.core import services as core_services
from simpul.governance import services, topics
from simpul.governance.choices import PolicyKind, PolicyStatus, TeamKind
from simpul.governance.models import (
    KIND_ABBREVIATIONS,
    Decision,
    Decree,
    FollowUpAction,
    Meeting,
    Policy,
    PolicyTopic,
    Team,
    TeamMember,
)
from simpul.organizations.models import PerangkatDaerah, User

JDIH = "https://jdih.lampungtimurkab.go.id/produk-hukum/"

# (key, kind, number, date, title, drafting OPD, topic codes, final state, JDIH slug)
POLICIES = [
    ("egov-2018", PolicyKind.PERBUP, "45 Tahun 2018", datetime.date(2018, 10, 15),
     "Penerapan E-Government di Lingkungan Pemerintah Kabupaten Lampung Timur", "DISKOMINFO",
     ["pembangunan-aplikasi", "layanan-pusat-data"], PolicyStatus.DIGANTI, "perbup-45-2018"),
    ("spbe-2020", PolicyKind.PERBUP, "21 Tahun 2020", datetime.date(2020, 6, 8),
     "Sistem Pemerintahan Berbasis Elektronik", "DISKOMINFO",
     ["pembangunan-aplikasi", "layanan-pusat-data"], PolicyStatus.DITETAPKAN, "perbup-21-2020"),
    ("rip-2020", PolicyKind.PERBUP, "36 Tahun 2020", datetime.date(2020, 9, 14),
     "Rencana Induk Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur Tahun 2020-2029", "DISKOMINFO",
     ["peta-rencana-spbe"], PolicyStatus.DITETAPKAN, "perbup-36-2020"),
    ("arsitektur-2020", PolicyKind.PERBUP, "37 Tahun 2020", datetime.date(2020, 9, 14),
     "Arsitektur Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur", "DISKOMINFO",
     ["arsitektur-spbe"], PolicyStatus.DITETAPKAN, "perbup-37-2020"),
    ("timkoor-2020", PolicyKind.KEPBUP, "B/58/IV.05/HK/2020", datetime.date(2020, 2, 24),
     "Tim Koordinasi Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur", "BAG. ORGANISASI",
     ["tim-koordinasi-spbe"], PolicyStatus.DIGANTI, "kepbup-b-58-2020"),
    ("timkoor-2023", PolicyKind.KEPBUP, "B/112/IV.05/HK/2023", datetime.date(2023, 1, 27),
     "Tim Koordinasi Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur", "BAG. ORGANISASI",
     ["tim-koordinasi-spbe"], PolicyStatus.DITETAPKAN, "kepbup-b-112-2023"),
    ("evaluator-2023", PolicyKind.KEPBUP, "B/140/IV.05/HK/2023", datetime.date(2023, 2, 20),
     "Tim Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur", "DISKOMINFO",
     [], PolicyStatus.DITETAPKAN, "kepbup-b-140-2023"),
    ("surel-2019", PolicyKind.SURAT_EDARAN, "045/33/IV.01/2019", datetime.date(2019, 4, 2),
     "Penggunaan Surat Elektronik Dinas bagi Aparatur Sipil Negara", "DISKOMINFO",
     ["keamanan-informasi"], PolicyStatus.DICABUT, ""),
    ("keamanan-2022", PolicyKind.KEPBUP, "B/77/IV.05/HK/2022", datetime.date(2022, 3, 21),
     "Kebijakan dan Standar Keamanan Informasi di Lingkungan Pemerintah Kabupaten Lampung Timur", "DISKOMINFO",
     ["keamanan-informasi"], PolicyStatus.DITETAPKAN, "kepbup-b-77-2022"),
    ("jepin-2021", PolicyKind.SURAT_EDARAN, "800/145/IV.05/2021", datetime.date(2021, 8, 16),
     "Penggunaan Aplikasi JePin sebagai Sistem Penghubung Layanan Pemerintah Daerah", "DISKOMINFO",
     ["sistem-penghubung-layanan"], PolicyStatus.DITETAPKAN, ""),
    ("intra-2022", PolicyKind.SOP, "SOP/DISKOMINFO/05/2022", datetime.date(2022, 7, 11),
     "Layanan Jaringan Intra Pemerintah Kabupaten Lampung Timur", "DISKOMINFO",
     ["jaringan-intra"], PolicyStatus.DITETAPKAN, ""),
    ("satudata", PolicyKind.PERBUP, "", None,
     "Satu Data Kabupaten Lampung Timur", "DISKOMINFO", ["manajemen-data"], PolicyStatus.RANCANGAN, ""),
    ("audit-tik", PolicyKind.PERBUP, "", None,
     "Audit Teknologi Informasi dan Komunikasi di Lingkungan Pemerintah Kabupaten Lampung Timur", "INSPEKTORAT",
     ["audit-tik"], PolicyStatus.RANCANGAN, ""),
]  # fmt: skip
# Which policy replaced which, and why one was revoked.
REPLACED = {"egov-2018": "spbe-2020", "timkoor-2020": "timkoor-2023"}
REVOKED = {
    "surel-2019": "Dicabut dengan Keputusan Bupati Nomor B/77/IV.05/HK/2022 tentang Kebijakan dan Standar Keamanan "
    "Informasi, yang mengatur kembali penggunaan surat elektronik dinas."
}

TEAMS = {
    TeamKind.TIM_KOORDINASI: (
        "Tim Koordinasi SPBE Kabupaten Lampung Timur",
        "a. mengkoordinasikan perumusan kebijakan SPBE Daerah;\n"
        "b. mengkoordinasikan dan mengevaluasi implementasi kebijakan SPBE pada Perangkat Daerah;\n"
        "c. melakukan koordinasi dengan Tim Koordinasi SPBE Nasional;\n"
        "d. mengkoordinasikan penyusunan perencanaan, penganggaran dan implementasi SPBE Daerah; dan\n"
        "e. mengkoordinasikan operasional, pemantauan dan evaluasi penyelenggaraan SPBE Daerah secara menyeluruh.",
    ),
    TeamKind.TIM_EVALUATOR: (
        "Tim Evaluator Internal SPBE Kabupaten Lampung Timur",
        "1) melakukan pengumpulan data teknis untuk keperluan pelaksanaan evaluasi;\n"
        "2) melakukan analisis data teknis berdasarkan pada pedoman evaluasi SPBE yang berlaku;\n"
        "3) berkoordinasi dengan Perangkat Daerah terkait pengumpulan data teknis, bukti dan pengisian format "
        "evaluasi;\n"
        "4) melakukan pengentrian data dan informasi ke dalam aplikasi evaluasi;\n"
        "5) mengkoordinasikan proses pelaksanaan evaluasi dengan Tim Evaluator SPBE Nasional; dan\n"
        "6) mengkoordinasikan dan melaporkan pelaksanaan evaluasi internal SPBE Daerah kepada Tim Koordinasi SPBE "
        "Daerah.",
    ),
}

# (team, number, date, title, valid from, valid to, policy key, members)
# member: (position, name, office, OPD, demo username or None, grant a role)
_KOORDINASI_2020 = [
    ("pengarah", "Bupati Lampung Timur", "Bupati", "SETDA", "pimpinan", True),
    ("ketua", "Sekretaris Daerah", "Sekretaris Daerah Kabupaten Lampung Timur", "SETDA", "koordinator", True),
    ("koordinator_tim", "Kepala Dinas Komunikasi dan Informatika", "Kepala DISKOMINFO", "DISKOMINFO", None, True),
    ("kelompok_kerja", "Kepala BAPPEDA", "Kepala Badan Perencanaan Pembangunan Daerah", "BAPPEDA", None, True),
]
_KOORDINASI_2023 = [
    ("pengarah", "Bupati Lampung Timur", "Bupati", "SETDA", "pimpinan", True),
    ("pengarah", "Wakil Bupati Lampung Timur", "Wakil Bupati", "SETDA", None, True),
    ("ketua", "Sekretaris Daerah", "Sekretaris Daerah Kabupaten Lampung Timur", "SETDA", "koordinator", True),
    ("koordinator_tim", "Kepala Dinas Komunikasi dan Informatika", "Kepala DISKOMINFO", "DISKOMINFO", None, True),
    # The Admin SPBE keeps the secretariat's records; the role of the Sekretariat is not added to its own.
    ("sekretariat", "Admin SPBE Diskominfo", "Pranata Komputer Ahli Muda", "DISKOMINFO", "admin", False),
    ("kelompok_kerja", "Kepala BAPPEDA", "Kepala Badan Perencanaan Pembangunan Daerah", "BAPPEDA", None, True),
    ("kelompok_kerja", "Kepala Badan Keuangan Daerah", "Kepala BKD", "BKD", None, True),
    ("kelompok_kerja", "Kepala BKPSDM", "Kepala Badan Kepegawaian dan Pengembangan SDM", "BKPSDM", None, True),
    ("kelompok_kerja", "Inspektur Daerah", "Inspektur", "INSPEKTORAT", None, True),
    ("kelompok_kerja", "Kepala Bagian Organisasi", "Kepala Bagian Organisasi Setda", "BAG. ORGANISASI", None, True),
    ("kelompok_kerja", "Kepala Bagian Hukum", "Kepala Bagian Hukum Setda", "BAG. HUKUM", None, True),
]
_EVALUATOR_2023 = [
    ("penanggung_jawab", "Penanggung Jawab Evaluasi", "Sekretaris DISKOMINFO", "DISKOMINFO", "evaluator", True),
    ("pengumpul_data", "Anggota Pengumpul Data", "Analis Kebijakan, Bagian Organisasi", "BAG. ORGANISASI",
     "evaluator-pengumpul", True),
    ("penganalisis_data", "Anggota Penganalisis Data", "Perencana Ahli Muda, BAPPEDA", "BAPPEDA",
     "evaluator-analis", True),
    ("operator", "Operator Entri Data", "Pranata Komputer Ahli Pertama", "DISKOMINFO", "evaluator-operator", True),
]  # fmt: skip
DECREES = [
    (TeamKind.TIM_KOORDINASI, "B/58/IV.05/HK/2020", datetime.date(2020, 2, 24),
     "Pembentukan Tim Koordinasi SPBE Kabupaten Lampung Timur", datetime.date(2020, 3, 1), datetime.date(2023, 1, 31),
     "timkoor-2020", _KOORDINASI_2020),
    (TeamKind.TIM_KOORDINASI, "B/112/IV.05/HK/2023", datetime.date(2023, 1, 27),
     "Tim Koordinasi SPBE Kabupaten Lampung Timur", datetime.date(2023, 2, 1), None, "timkoor-2023",
     _KOORDINASI_2023),
    (TeamKind.TIM_EVALUATOR, "B/140/IV.05/HK/2023", datetime.date(2023, 2, 20),
     "Tim Evaluator Internal SPBE Kabupaten Lampung Timur", datetime.date(2023, 3, 1), None, "evaluator-2023",
     _EVALUATOR_2023),
]  # fmt: skip

# Meetings of the Tim Koordinasi, dated back from the day the demo is loaded so that some actions are late,
# one is still ahead, and others were reported done.
# (title, days ago, place, agenda, minutes, decisions: (text, actions: (title, OPD, due in days from the
#  meeting, outcome: "done" + report | "open")))
MEETINGS = [
    (
        "Rapat Koordinasi Tim Koordinasi SPBE Semester I",
        200,
        "Ruang Rapat Sekretariat Daerah, Sukadana",
        "1. Hasil evaluasi SPBE 2023 (indeks 2,48, Cukup).\n2. Penguatan kebijakan SPBE.\n3. Persiapan evaluasi 2024.",
        "Sekretaris Daerah membuka rapat dan menyampaikan hasil evaluasi SPBE 2023. Indikator kebijakan manajemen "
        "data dan audit TIK masih berupa rancangan. Tim menyepakati penyelesaian rancangan dan penguatan pusat data.",
        [
            (
                "Rancangan Perbup Satu Data diselesaikan dan diajukan kepada Bagian Hukum untuk harmonisasi.",
                [
                    ("Ajukan rancangan Perbup Satu Data untuk harmonisasi", "DISKOMINFO", 60, "open"),
                    ("Harmonisasi rancangan Perbup Satu Data", "BAG. HUKUM", 90, "open"),
                ],
            ),
            (
                "Seluruh aplikasi Perangkat Daerah ditempatkan di Pusat Data Elektronik Daerah.",
                [
                    (
                        "Pindahkan aplikasi SIMDA Keuangan ke Pusat Data",
                        "BKD",
                        120,
                        "done:Aplikasi SIMDA Keuangan telah dipindahkan ke Pusat Data Elektronik Daerah; berita acara "
                        "serah terima terlampir di repositori aplikasi.",
                    ),
                ],
            ),
        ],
    ),
    (
        "Rapat Koordinasi Tim Koordinasi SPBE Semester II",
        40,
        "Ruang Rapat DISKOMINFO, Sukadana",
        "1. Tindak lanjut rapat Semester I.\n2. Rencana audit TIK.\n3. Jadwal evaluasi internal SPBE.",
        "Tim meninjau tindak lanjut rapat Semester I: pemindahan SIMDA selesai, rancangan Perbup Satu Data belum "
        "diajukan. Inspektorat menyampaikan rencana audit TIK atas Pusat Data.",
        [
            (
                "Inspektorat bersama DISKOMINFO menyusun rencana audit TIK tahun berikutnya.",
                [
                    ("Susun rencana audit TIK Pusat Data", "INSPEKTORAT", 70, "open"),
                    (
                        "Lengkapi inventaris aset TIK untuk bahan audit",
                        "DISKOMINFO",
                        20,
                        "done:Inventaris aset TIK Pusat Data dan jaringan intra dimutakhirkan di SIMBADA.",
                    ),
                ],
            ),
        ],
    ),
]


def load(context) -> None:
    """Create the demo's teams, decrees, policies, meetings and actions (see the module docstring)."""
    if not PolicyTopic.objects.exists():
        topics.load()  # a flushed database (browser tests) lost what the migration loaded
    _Demo(context.instansi).run()


class _Demo:
    def __init__(self, instansi):
        self.instansi = instansi
        self.opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
        self.users = {user.username: user for user in User.objects.filter(instansi=instansi)}
        self.admin = self.users["admin"]
        self.koordinator = self.users["koordinator"]
        self.today = timezone.localdate()

    def run(self) -> None:
        policies = self.policies()
        teams = self.teams()
        self.decrees(teams, policies)
        self.meetings(teams[TeamKind.TIM_KOORDINASI])

    # --- Policies --------------------------------------------------------------------------------

    def policies(self) -> dict[str, Policy]:
        found = {}
        topic_rows = {topic.code: topic for topic in PolicyTopic.objects.all()}
        for key, kind, number, date, title, owner, topic_codes, _state, jdih in POLICIES:
            policy = Policy.objects.filter(instansi=self.instansi, kind=kind, title=title, number=number).first()
            if policy is None:
                policy = Policy(
                    instansi=self.instansi,
                    owner=self.opds.get(owner),
                    kind=kind,
                    title=title,
                    jdih_url=f"{JDIH}{jdih}" if jdih else "",
                )
                if number:
                    policy.document = SimpleUploadedFile(
                        f"{key}.pdf", _pdf(f"{KIND_ABBREVIATIONS[kind]} Nomor {number}", title)
                    )
                drafter = self.koordinator if not number else self.admin
                policy = core_services.create_object(drafter, policy)
                policy.topics.set([topic_rows[code] for code in topic_codes if code in topic_rows])
                if number:
                    services.enact_policy(self.admin, policy, number=number, date=date)
            found[key] = policy
        for key, *_rest, state, _jdih in POLICIES:
            policy = Policy.objects.get(pk=found[key].pk)
            if state == PolicyStatus.DIGANTI and policy.status == PolicyStatus.DITETAPKAN:
                services.replace_policy(self.admin, policy, replaced_by=found[REPLACED[key]])
            elif state == PolicyStatus.DICABUT and policy.status == PolicyStatus.DITETAPKAN:
                services.revoke_policy(self.admin, policy, note=REVOKED[key])
        return found

    # --- Teams and decrees -----------------------------------------------------------------------

    def teams(self) -> dict[str, Team]:
        teams = {}
        for kind, (name, tasks) in TEAMS.items():
            team = Team.objects.filter(instansi=self.instansi, kind=kind).first()
            if team is None:
                team = core_services.create_object(
                    self.admin, Team(instansi=self.instansi, kind=kind, name=name, tasks=tasks)
                )
            teams[kind] = team
        return teams

    def decrees(self, teams, policies) -> None:
        for kind, number, date, title, valid_from, valid_to, policy_key, members in DECREES:
            team = teams[kind]
            if Decree.objects.filter(team=team, number=number).exists():
                continue
            decree = Decree(
                team=team,
                number=number,
                date=date,
                title=title,
                valid_from=valid_from,
                valid_to=valid_to,
                policy=policies.get(policy_key),
                document=SimpleUploadedFile(
                    f"sk-{number.replace('/', '-')}.pdf", _pdf(f"Keputusan Bupati {number}", title)
                ),
            )
            decree = core_services.create_object(self.admin, decree)
            for order, (position, name, office, opd, username, grant) in enumerate(members, start=1):
                member = TeamMember(
                    decree=decree,
                    order=order,
                    position=position,
                    name=name,
                    office=office,
                    opd=self.opds.get(opd),
                    user=self.users.get(username) if username else None,
                    grant_role=grant,
                )
                member.full_clean()
                core_services.create_object(self.admin, member)

    # --- Meetings, decisions and follow-up actions ------------------------------------------------

    def meetings(self, team: Team) -> None:
        for title, days_ago, place, agenda, minutes, decisions in MEETINGS:
            if Meeting.objects.filter(team=team, title=title).exists():
                continue
            date = self.today - datetime.timedelta(days=days_ago)
            meeting = core_services.create_object(
                self.koordinator,
                Meeting(
                    team=team,
                    title=title,
                    date=date,
                    place=place,
                    agenda=agenda,
                    minutes=minutes,
                    guests="Kepala Dinas Penanaman Modal dan PTSP\nPerwakilan Universitas Muhammadiyah Metro",
                    document=SimpleUploadedFile(f"notula-{days_ago}.pdf", _pdf("Notula", title)),
                ),
            )
            decree = team.current_decree(date)
            if decree is not None:
                present = decree.members.exclude(position="pengarah")
                meeting.attendees.set(present)
            for number, (text, actions) in enumerate(decisions, start=1):
                decision = core_services.create_object(
                    self.koordinator, Decision(meeting=meeting, number=number, text=text)
                )
                for action_title, opd, due_in, outcome in actions:
                    action = services.assign_action(
                        self.koordinator,
                        FollowUpAction(
                            decision=decision,
                            owner=self.opds[opd],
                            title=action_title,
                            due_date=date + datetime.timedelta(days=due_in),
                        ),
                    )
                    if outcome.startswith("done:"):
                        reporter = self._reporter(opd)
                        services.complete_action(reporter, action, note=outcome.removeprefix("done:"))

    def _reporter(self, opd: str):
        """The OPD's operator where the demo has one, else the Tim Koordinasi records the report for it."""
        operator = self.users.get(f"operator-{opd.lower()}")
        return operator or self.koordinator


def _pdf(heading: str, title: str) -> bytes:
    """A one-page PDF standing for the document (the demo has no real scans)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 770, "PEMERINTAH KABUPATEN LAMPUNG TIMUR")
    page.setFont("Helvetica", 12)
    page.drawString(72, 740, heading)
    page.drawString(72, 720, title[:90])
    page.drawString(72, 690, "Dokumen contoh data demo Simpul.")
    page.showPage()
    page.save()
    return buffer.getvalue()
