"""Demo roadmap of Kabupaten Lampung Timur: tables 4.1–4.4 of its master plan, and their progress so far.

Version "2020" is every row of tables 4.1–4.4 exactly as the plan writes them (`plan.plan_rows()`: 19
strategic initiatives, 39 outputs and their target years; the plan's slips such as "Kota Potianak" kept
and marked). The responsible OPDs, target measures, links to the demo's architecture elements and
evaluation indicators, budgets and the progress story are additions, plausible for what the rest of the
demo says (the audit findings of the evaluation, the Cloud Service still in development, the Sutoyo node
operating). The mid-term review of 2025 is version "Reviu 2025", based on it and current: it moves two
outputs nothing had started on, adds a CSIRT output and drops a finished study, so the comparison of the
two versions shows each kind of change.

Progress is written year by year through the services, as the OPD's operator (or the Admin SPBE for an
OPD without an account) and accepted by the Admin SPBE, each report dated in January after its year, so
that replaying a past date works. Years are the plan's own; the current year's reports (some submitted,
some drafts, one returned, one accepted) and the start of the moved outputs follow today's date, so that
every status occurs: selesai, berjalan, terlambat (behind the pace, or the last year's report missing),
tidak tercapai and belum mulai. Idempotent: nothing is written when version "2020" exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from simpul.core import audit
from simpul.core import context as actor
from simpul.core import services as core_services
from simpul.organizations.models import PerangkatDaerah, User
from simpul.roadmap import links, plan, services, versions
from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import Initiative, Output, OutputBudget, OutputLink, ProgressReport, Roadmap
from simpul.roadmap.status import expected_percent

PLAN_VERSION = "2020"
REVIEW_VERSION = "Reviu 2025"
REVIEW_YEAR = 2025
NAME = "Peta Rencana SPBE Kabupaten Lampung Timur"
SOURCE = "Rencana Induk SPBE Kabupaten Lampung Timur 2020–2029, Bab IV 4.3, tabel 4.1–4.4"
FRAMEWORK = "permenpanrb-59-2020"

# The demo user who writes an OPD's reports; OPDs without an operator account send theirs to the Admin SPBE.
OPERATORS = {"DISKOMINFO": "operator-diskominfo", "BAPPEDA": "operator-bappeda", "BKD": "operator-bkd"}
REVIEWER = "admin"

# Output name (as in the plan) -> (responsible OPD, target measure, story, links). A story is "pace",
# "behind" (25 points under the pace), "missing" (on pace, last closed year not reported), ("done", year),
# ("stalled", percent at which it stopped) or "idle" (nothing reported). Links: element names of the
# architecture demo, and indicator numbers of PermenPANRB 59/2020.
OUTPUTS: dict[str, tuple[str, str, object, list]] = {
    "Sistem Informasi Arsitektur SPBE": (
        "DISKOMINFO",
        "Sistem informasi memuat enam domain arsitektur SPBE",
        ("done", 2020),
        [11],
    ),
    "Tim Koordinasi SPBE Pemerintah Daerah Kota Kabupaten Lampung Timur": (
        "SETDA",
        "Keputusan Bupati tentang Tim Koordinasi SPBE ditetapkan",
        ("done", 2020),
        [10, 19],
    ),
    "Kebijakan Tata Kelola": ("BAG. HUKUM", "Perbup tata kelola SPBE ditetapkan", ("stalled", 70), [3, 6, 9]),
    "Kebijakan Layanan": ("BAG. HUKUM", "Perbup layanan SPBE ditetapkan", ("done", 2020), [7]),
    "Evaluasi Internal SPBE Pemerintah Daerah Kota Kabupaten Lampung Timur": (
        "DISKOMINFO",
        "Evaluasi internal setiap tahun",
        "pace",
        [12],
    ),
    "Audit TIK": (
        "INSPEKTORAT",
        "Audit infrastruktur, aplikasi dan keamanan TIK setiap tahun",
        "behind",
        ["Audit Keamanan TIK", 29, 30, 31],
    ),
    "Survei Kebutuhan dan Kepuasan Pengguna": ("DISKOMINFO", "Survei setiap tahun", "pace", []),
    "Integrasi Proses Bisnis Pelayanan Publik Pemerintah Daerah Kota Kabupaten Lampung Timur": (
        "BAG. ORGANISASI",
        "Peta proses bisnis seluruh Perangkat Daerah",
        "pace",
        ["Penyusunan dan Rekayasa Ulang Proses Bisnis", 14],
    ),
    "Portal Pelayanan Publik Pemerintah Daerah Kota Potianak": (
        "DISKOMINFO",
        "Seluruh layanan publik dapat diakses dari satu portal",
        "pace",
        ["JePin", 42],
    ),
    "Integrasi Perencanaan, Penganggaran, dan Pengadaan Barang dan Jasa Pemerintah, Akuntabilitas Kinerja, "
    "Pemantauan dan Evaluasi": (
        "BAPPEDA",
        "SIPP, SIMAKDA, LPSE, e-SAKIP dan SIMEKBANG bertukar data",
        "pace",
        ["SIPP", "SIMAKDA", "LPSE", "e-SAKIP", "SIMEKBANG", 32, 33, 35, 40],
    ),
    "Integrasi Layanan Pemerintah": (
        "DISKOMINFO",
        "Layanan administrasi terintegrasi melalui JePin",
        "missing",
        ["JePin"],
    ),
    "Portal Pelayanan Administrasi Pemerintahan": (
        "DISKOMINFO",
        "Portal layanan administrasi berjalan",
        ("done", 2022),
        ["e-Office"],
    ),
    "Manajemen Layanan SPBE": (
        "DISKOMINFO",
        "Manajemen insiden, perubahan dan konfigurasi berjalan",
        ("stalled", 60),
        [27, 28],
    ),
    "Portal Pusat Layanan": (
        "DISKOMINFO",
        "Pusat layanan menerima pengaduan dari semua kanal",
        ("done", 2022),
        ["Layanan Call Center (0561) 818 1771", 28],
    ),
    "Pusat Data Nasional": (
        "DISKOMINFO",
        "Aplikasi daerah ditempatkan di Pusat Data",
        ("done", 2024),
        ["Pusat Data Elektronik Daerah", 16],
    ),
    "Pusat Pengendalian dan Jaringan Intra Pemerintah: Menggunakan Fiber Optik": (
        "DISKOMINFO",
        "Seluruh Perangkat Daerah terhubung fiber optik",
        "pace",
        ["PONTIVE CENTER (Command Center)", "Tautan FO DISKOMINFO–Ali Anyang", "Tautan FO DISKOMINFO–Sutoyo", 17],
    ),
    "Jaringan Simpul DISKOMINFO": ("DISKOMINFO", "Simpul beroperasi", ("done", 2022), ["Simpul Jaringan DISKOMINFO"]),
    "Jaringan Simpul Ali Anyang": ("DISKOMINFO", "Simpul beroperasi", ("done", 2024), ["Simpul Jaringan Ali Anyang"]),
    "Jaringan Simpul Sutoyo": ("DISKOMINFO", "Simpul beroperasi", ("done", 2025), ["Simpul Jaringan Sutoyo"]),
    "Sistem Penghubung Layanan Pemerintah Kabupaten Lampung Timur": (
        "DISKOMINFO",
        "Aplikasi daerah bertukar data melalui sistem penghubung",
        "behind",
        ["Sistem Penghubung Layanan Pemerintah (Interoperabilitas)", 18],
    ),
    "Jaringan Pita Lebar Yang Berkualitas": (
        "DISKOMINFO",
        "Akses 1 Gbps di Pusat Data",
        "pace",
        ["Akses Internet Pusat Data"],
    ),
    "Cloud Service DISKOMINFO": (
        "DISKOMINFO",
        "Layanan cloud bagi Perangkat Daerah",
        ("done", 2024),
        ["Cloud Service DISKOMINFO"],
    ),
    "Integrasi Kanal Layanan": ("DISKOMINFO", "Kanal web, telepon dan media sosial terhubung", ("stalled", 75), []),
    "Repositori Aplikasi Umum": ("DISKOMINFO", "Kode sumber dan manual aplikasi umum tersimpan", ("done", 2023), [15]),
    "Kajian Teknologi Cloud Service": ("DISKOMINFO", "Dokumen kajian", ("done", 2021), []),
    "Dukungan TIK Portal Data Kota Kabupaten Lampung Timur": (
        "DISKOMINFO",
        "Portal Satu Data berjalan di Pusat Data",
        "pace",
        ["Satu Data Lampung Timur", 43],
    ),
    "Integrasi Data dan Pengelolaan Portal Data Kota Kabupaten Lampung Timur": (
        "DISKOMINFO",
        "Walidata dan daftar data induk seluruh Perangkat Daerah",
        "behind",
        ["Data APBD", 23],
    ),
    "Manajemen Keamanan Informasi": (
        "DISKOMINFO",
        "SMKI diterapkan",
        "pace",
        ["Kebijakan dan Standar Keamanan Informasi", 21],
    ),
    "Teknologi Keamanan Informasi": (
        "DISKOMINFO",
        "Perangkat keamanan melindungi Pusat Data",
        "pace",
        ["Firewall dan IPS Pusat Data", 22],
    ),
    "Budaya Keamanan Informasi": (
        "DISKOMINFO",
        "Sosialisasi keamanan di seluruh Perangkat Daerah",
        "missing",
        ["Sosialisasi Kesadaran Keamanan Informasi"],
    ),
    "Kajian Teknologi Kecerdasan Buatan": ("BAPPEDA", "Dokumen kajian dan rencana penerapan", "pace", []),
    "Penerapan Big Data Pemerintah Kabupaten Lampung Timur": (
        "DISKOMINFO",
        "Analitik data lintas Perangkat Daerah",
        "pace",
        [],
    ),
    "Penerapan Kecerdasan Buatan": ("DISKOMINFO", "Layanan berbasis kecerdasan buatan", "idle", []),
    "Pelatihan dan Sosialisasi": ("DISKOMINFO", "Literasi SPBE bagi ASN", "pace", []),
    "Standar Kompetensi Teknis SPBE": ("BKPSDM", "Standar kompetensi ditetapkan dan dipakai", "behind", [25]),
    "Jabatan Fungsional yang Terkait SPBE": ("BKPSDM", "Formasi pranata komputer terisi", "pace", []),
    "Pola Remunerasi Bidang SPBE": ("BKD", "Pola remunerasi ditetapkan", "idle", []),
    "Pelatihan dan Sertifikasi Kompetensi": ("BKPSDM", "ASN pengelola SPBE bersertifikat", "pace", []),
    "Forum Kolaborasi SPBE": ("DISKOMINFO", "Forum dengan perguruan tinggi dan swasta", ("done", 2022), [20]),
}

# The current year's report, where one exists: (state, note of the reviewer when returned).
THIS_YEAR = {
    "Portal Pelayanan Publik Pemerintah Daerah Kota Potianak": ReportStatus.SUBMITTED,
    "Pusat Pengendalian dan Jaringan Intra Pemerintah: Menggunakan Fiber Optik": ReportStatus.SUBMITTED,
    "Integrasi Proses Bisnis Pelayanan Publik Pemerintah Daerah Kota Kabupaten Lampung Timur": ReportStatus.DRAFT,
    "Kajian Teknologi Kecerdasan Buatan": ReportStatus.DRAFT,
    "Teknologi Keamanan Informasi": ReportStatus.RETURNED,
    "Pelatihan dan Sosialisasi": ReportStatus.ACCEPTED,
}
RETURN_NOTE = "Lampirkan laporan uji penetrasi tahun ini; tautan ke perangkat saja belum menunjukkan capaian."

# Budgets (planned, realised) in millions of rupiah per year.
BUDGETS = {
    "Pusat Data Nasional": {2020: (1500, 1420), 2021: (900, 880), 2022: (750, 700), 2023: (600, 610), 2024: (500, 455)},
    "Pusat Pengendalian dan Jaringan Intra Pemerintah: Menggunakan Fiber Optik": {
        2021: (2200, 2050),
        2022: (1800, 1750),
        2023: (1600, 1480),
        2024: (1200, 1150),
        2025: (900, 860),
        2026: (600, None),
    },
    "Jaringan Simpul Sutoyo": {2023: (450, 430), 2024: (380, 370), 2025: (250, 240)},
    "Cloud Service DISKOMINFO": {2021: (300, 280), 2022: (450, 410), 2023: (500, 470), 2024: (350, 330)},
}

# The mid-term review: outputs it moves (to start after today), one it adds, one it drops.
REVIEW_MOVES = ("Penerapan Kecerdasan Buatan", "Pola Remunerasi Bidang SPBE")
REVIEW_ADDS = (
    "Pembangunan Sistem Keamanan Informasi",
    "Tim Tanggap Insiden Siber (CSIRT)",
    (2025, 2027),
    (
        "DISKOMINFO",
        "CSIRT teregistrasi dan menangani insiden",
        "pace",
        ["Tim Tanggap Insiden Siber (CSIRT) Lampung Timur", 22],
    ),
)
REVIEW_DROPS = ("Kajian Teknologi Cloud Service",)


def load(context) -> None:
    """Create the demo roadmap of the demo instansi (see module docstring)."""
    instansi = context.instansi
    if Roadmap.objects.filter(instansi=instansi, version_label=PLAN_VERSION).exists():
        return
    # Hundreds of audited writes in the demo's transaction share one lock of the audit chain's head, and
    # their entries are written in bulk: the demo is all or nothing (nothing in it rolls back to a
    # savepoint and carries on), which is what a buffered batch asks of its caller.
    with transaction.atomic(), audit.batch() as chain:
        chain.buffered = True
        _Demo(instansi).run()


def story_percent(story, output, year: int) -> int | None:
    """The cumulative percentage the story gives `output` at the end of `year` (None: nothing reported)."""
    if story == "idle":
        return None
    pace = expected_percent(output.start_year, output.end_year, year)
    if isinstance(story, tuple) and story[0] == "done":
        finish = story[1]
        if year >= finish:
            return 100
        return round(100 * (year - output.start_year + 1) / (finish - output.start_year + 1))
    if isinstance(story, tuple) and story[0] == "stalled":
        return min(story[1], pace + 5)
    if story == "behind":
        return max(pace - 25, 0)
    return pace if year == output.end_year else min(pace + 5, 95)


class _Demo:
    def __init__(self, instansi):
        self.instansi = instansi
        self.today = timezone.localdate()
        self.opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
        self.users = {user.username: user for user in User.objects.filter(instansi=instansi)}
        self.admin = self.users[REVIEWER]
        self.first_elements: dict[int, dict[int, OutputLink]] = {}
        self.visible_elements: dict[int, set[int]] = {}
        self.targets: dict | None = None

    def reporter(self, output: Output):
        short = output.responsible_opd.short_name if output.responsible_opd else ""
        return self.users.get(OPERATORS.get(short, ""), self.admin)

    def run(self) -> None:
        with actor.acting(self.admin, source="demo"):
            first = self.plan_version()
        self.progress(first, years=range(2020, REVIEW_YEAR))
        with actor.acting(self.admin, source="demo"):
            review = versions.new_version(
                self.admin,
                first,
                REVIEW_VERSION,
                valid_from=REVIEW_YEAR,
                source="Reviu paruh waktu Peta Rencana SPBE oleh Tim Koordinasi SPBE, Maret 2025",
            )
            self.revise(review)
        self.progress(review, years=range(REVIEW_YEAR, self.today.year))
        self.this_year(review)

    # --- The plan and its review -----------------------------------------------------------------------

    def plan_version(self) -> Roadmap:
        # Without a savepoint per record (`savepoint=False`): any error rolls the whole demo back.
        roadmap = core_services.create_object(
            self.admin,
            Roadmap(instansi=self.instansi, name=NAME, version_label=PLAN_VERSION, valid_from=2020, source=SOURCE),
            savepoint=False,
        )
        initiatives: dict[tuple[str, str], Initiative] = {}
        for row in plan.plan_rows():
            key = (row.table, row.initiative)
            if key not in initiatives:
                initiatives[key] = core_services.create_object(
                    self.admin,
                    Initiative(
                        roadmap=roadmap,
                        area=row.area,
                        number=len(initiatives) + 1,
                        name=row.initiative,
                        plan_note=plan.slip_note(row.initiative),
                    ),
                    savepoint=False,
                )
            initiative = initiatives[key]
            self.add_output(initiative, row.output, row.start_year, row.end_year, OUTPUTS[row.output])
        return versions.set_current(self.admin, roadmap)

    def add_output(self, initiative, name, start, end, spec) -> Output:
        opd, target, _story, targets = spec
        output = core_services.create_object(
            self.admin,
            Output(
                initiative=initiative,
                number=initiative.outputs.count() + 1,
                name=name,
                start_year=start,
                end_year=end,
                responsible_opd=self.opds.get(opd),
                target=target,
                plan_note=plan.slip_note(name),
            ),
            savepoint=False,
        )
        self.link(output, targets)
        for year, (planned, realised) in BUDGETS.get(name, {}).items():
            budget = OutputBudget(
                output=output,
                year=year,
                planned=Decimal(planned) * 1_000_000,
                realised=None if realised is None else Decimal(realised) * 1_000_000,
            )
            core_services.create_object(self.admin, budget, savepoint=False)
        return output

    def link(self, output: Output, targets: list) -> None:
        records = [record for target in targets if (record := self.linkable(target)) is not None]
        for type_key, object_id in records:
            services.link_record(self.admin, output, type_key, object_id)

    def linkable(self, target) -> tuple[str, int] | None:
        """(type key, id) of an indicator of the framework by number or an element of the instansi by name;
        None when the module declares no such linkable type or the record does not exist."""
        if self.targets is None:
            # Every record the demo links to, read once (in each kind's order: the first of a name counts).
            self.targets = {}
            indicators = links.linkable_type("evaluation.indicator")
            if indicators is not None:  # the evaluation may declare no linkable indicators
                for pk, number in indicators.model.objects.filter(framework__code=FRAMEWORK).values_list(
                    "pk", "number"
                ):
                    self.targets.setdefault(number, (indicators.key, pk))
            elements = links.linkable_type("architecture.element")
            if elements is not None:
                for pk, name in elements.model.objects.filter(owner__instansi=self.instansi).values_list("pk", "name"):
                    self.targets.setdefault(name, (elements.key, pk))
        return self.targets.get(target)

    def revise(self, review: Roadmap) -> None:
        start = max(2027, self.today.year + 1)
        for output in Output.objects.filter(initiative__roadmap=review, name__in=REVIEW_MOVES):
            output.start_year, output.end_year = start, max(output.end_year, start)
            core_services.update_object(self.admin, output, fields=["start_year", "end_year"])
        for output in Output.objects.filter(initiative__roadmap=review, name__in=REVIEW_DROPS):
            core_services.delete_object(self.admin, output)
        initiative_name, name, (first, last), spec = REVIEW_ADDS
        initiative = Initiative.objects.get(roadmap=review, name=initiative_name)
        self.add_output(initiative, name, first, last, spec)

    # --- Progress --------------------------------------------------------------------------------------

    def story(self, output: Output):
        spec = REVIEW_ADDS[3] if output.name == REVIEW_ADDS[1] else OUTPUTS[output.name]
        return spec[2]

    def progress(self, roadmap: Roadmap, years: range) -> None:
        """The reports of `years` (each accepted in January after it), as the story of each output says."""
        outputs = Output.objects.filter(initiative__roadmap=roadmap).select_related("responsible_opd", "initiative")
        finished = set(
            ProgressReport.objects.filter(
                output__initiative__roadmap=roadmap, status=ReportStatus.ACCEPTED, percent__gte=100
            ).values_list("output_id", flat=True)
        )
        for output in outputs.order_by("pk"):
            story = self.story(output)
            done = output.pk in finished
            for year in years:
                if done or year not in output.years or not report_due_passed(year, self.today):
                    continue
                if story == "missing" and year == self.today.year - 1:
                    continue  # the last closed year's report never came
                percent = story_percent(story, output, year)
                if percent is None:
                    continue
                late = output.name == "Kebijakan Layanan"
                self.report(
                    output,
                    year,
                    percent,
                    submitted_at=_at(year + 1, 3 if late else 1, 3 if late else 10),
                    accepted_at=_at(year + 1, 3 if late else 1, 10 if late else 20),
                )
                done = percent >= 100

    def evidence_of(self, user, output: Output) -> tuple[tuple[str, int], ...]:
        """The output's first linked element as evidence, when its reporter may see it."""
        roadmap_id = output.initiative.roadmap_id
        if roadmap_id not in self.first_elements:
            # The first element link of every output of the version, read once.
            first = self.first_elements[roadmap_id] = {}
            for link in OutputLink.objects.filter(
                output__initiative__roadmap_id=roadmap_id, type_key="architecture.element"
            ).order_by("pk"):
                first.setdefault(link.output_id, link)
        link = self.first_elements[roadmap_id].get(output.pk)
        if link is None:
            return ()
        if user.pk not in self.visible_elements:
            # The elements the reporter may see, read once per reporter.
            entry = links.linkable_type(link.type_key)
            self.visible_elements[user.pk] = set(
                entry.queryset(user, self.instansi.pk).values_list("pk", flat=True) if entry else ()
            )
        return ((link.type_key, link.object_id),) if link.object_id in self.visible_elements[user.pk] else ()

    def report(self, output, year, percent, submitted_at, accepted_at, state=ReportStatus.ACCEPTED) -> ProgressReport:
        user = self.reporter(output)
        with actor.acting(user, source="demo"):
            report = services.file_report(user, output, year, percent, narrative(output, year, percent))
            self.evidence(user, report, output)
            if state == ReportStatus.DRAFT:
                return report
            report = services.submit_report(user, report, at=submitted_at)
        if state == ReportStatus.SUBMITTED:
            return report
        with actor.acting(self.admin, source="demo"):
            accept = state == ReportStatus.ACCEPTED
            return services.review_report(
                self.admin, report, accept=accept, note="" if accept else RETURN_NOTE, at=accepted_at
            )

    def evidence(self, user, report, output) -> None:
        for type_key, object_id in self.evidence_of(user, output) if report.percent >= 50 else ():
            services.add_record(user, report, type_key, object_id)

    def this_year(self, roadmap: Roadmap) -> None:
        """The current year's reports: a few in each state, dated in the days before today."""
        year = self.today.year
        submitted = timezone.now() - datetime.timedelta(days=3)
        decided = timezone.now() - datetime.timedelta(days=1)
        outputs = Output.objects.filter(initiative__roadmap=roadmap, name__in=THIS_YEAR).select_related(
            "responsible_opd", "initiative"
        )
        for output in outputs.order_by("pk"):
            if year not in output.years:
                continue
            percent = story_percent(self.story(output), output, year) or 0
            self.report(output, year, min(percent, 95), submitted, decided, state=THIS_YEAR[output.name])


def narrative(output: Output, year: int, percent: int) -> str:
    return f"Capaian {output.name} sampai akhir {year}: {percent}%. " + (
        "Keluaran selesai dan dipakai." if percent >= 100 else "Pekerjaan berlanjut sesuai rencana kerja."
    )


def report_due_passed(year: int, today: datetime.date) -> bool:
    """Whether the report of `year` was due before today (only those are written as accepted history)."""
    return datetime.date(year + 1, 1, 31) < today


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))
