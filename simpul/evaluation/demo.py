"""Demo internal SPBE evaluation of Kabupaten Lampung Timur under PermenPANRB 59/2020.

The master plan (4.1.1 (4), 4.2.1.2–4) makes the evaluation yearly, run by a Tim Evaluator Internal
(penanggung jawab, pengumpul data, penganalisis data, operator) with the OPDs, in three national stages
(document, interview, field). It gives no index figure for Lampung Timur, so the levels here are
invented to tell a realistic story: in 2023 the self-assessment said 2.77 ("Baik"), the internal
review lowered seven indicators to 2.62 ("Baik"), and the national evaluation ended at 2.48 ("Cukup"),
just under the border, with improvement actions to cross it. The 2024 evaluation is in progress, so
that every demo role has something to do. Levels follow the demo architecture where it says something
(e.g. the DPMPTSP server room keeps the Pusat Data below level 3).

Every write goes through `simpul.evaluation.services` and `simpul.evaluation.evidence` (or the core
services) acting as the demo user who would do it, so the audit trail tells the story. Idempotent: a period of the demo instansi and
year that exists is left alone.
"""

from __future__ import annotations

import datetime

from simpul.architecture.models import Element
from simpul.core import context as actor
from simpul.core import services as core_services
from simpul.evaluation import evidence, loader, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    NationalStage,
    PeriodStatus,
)
from simpul.organizations.models import PerangkatDaerah, User

FRAMEWORK = "permenpanrb-59-2020"
COMPLETED_YEAR = 2023
IN_PROGRESS_YEAR = 2024

# The demo user who writes self-assessments of an OPD; OPDs without an operator account send their
# data to the Admin SPBE (DISKOMINFO), who enters it for them.
OPERATORS = {"DISKOMINFO": "operator-diskominfo", "BAPPEDA": "operator-bappeda", "BKD": "operator-bkd"}
FALLBACK_ENTRY = "admin"
# Evidence of OPDs without an operator is gathered by the Tim Evaluator's data collector.
FALLBACK_EVIDENCE = "evaluator-pengumpul"

# indicator number: (PIC, justification of the 2023 self-assessment)
INDICATORS: dict[int, tuple[str, str]] = {
    1: ("DISKOMINFO", "Perbup Arsitektur SPBE telah ditetapkan dan memuat seluruh domain arsitektur."),
    2: ("DISKOMINFO", "Perbup Masterplan SPBE 2020–2029 ditetapkan; memuat tata kelola, layanan, TIK dan SDM."),
    3: ("DISKOMINFO", "Draf Perbup Satu Data telah dibahas, baru mengatur data statistik sektoral."),
    4: ("DISKOMINFO", "Perbup Masterplan mengatur persetujuan aplikasi baru oleh DISKOMINFO dan siklus pembangunan."),
    5: ("DISKOMINFO", "Perbup mewajibkan penempatan aplikasi dan data di Pusat Data Elektronik Daerah."),
    6: ("DISKOMINFO", "Ketentuan jaringan intra baru berupa SOP DISKOMINFO, belum ditetapkan kepala daerah."),
    7: ("DISKOMINFO", "Kebijakan penggunaan JePin sebagai sistem penghubung baru diatur dalam surat edaran."),
    8: ("DISKOMINFO", "Kebijakan dan Standar Keamanan Informasi ditetapkan, mencakup seluruh Perangkat Daerah."),
    9: ("INSPEKTORAT", "Rancangan Perbup audit TIK disusun bersama DISKOMINFO dan Bagian Hukum."),
    10: ("SETDA", "Keputusan Bupati tentang Tim Koordinasi SPBE memuat tugas, fungsi dan susunan keanggotaan."),
    11: ("DISKOMINFO", "Dokumen Arsitektur SPBE lengkap enam domain dan dikelola di Sistem Informasi Arsitektur."),
    12: ("DISKOMINFO", "Peta Rencana 2020–2029 (tabel 4.1–4.4) memuat inisiatif, keluaran dan tahun target."),
    13: ("BAPPEDA", "Kegiatan SPBE dalam RKPD ditandai dan direviu DISKOMINFO sebelum RKA ditetapkan."),
    14: ("BAG. ORGANISASI", "Peta proses bisnis disusun untuk 12 Perangkat Daerah, belum seluruhnya."),
    15: ("DISKOMINFO", "Aplikasi baru dibangun dengan dokumen analisis, desain, uji dan manual pengguna."),
    16: ("DISKOMINFO", "Pusat Data Elektronik Daerah melayani aplikasi utama dengan SOP penggunaan."),
    17: ("DISKOMINFO", "Jaringan intra fiber optik menghubungkan simpul DISKOMINFO, Ali Anyang dan Sutoyo."),
    18: ("DISKOMINFO", "JePin mengintegrasikan SIPP, SIMA, SIMBADA, SP4N-LAPOR!, JDIH dan layanan PPID."),
    19: ("SETDA", "Tim Koordinasi SPBE rapat triwulanan dengan notula dan tindak lanjut."),
    20: ("DISKOMINFO", "Kerja sama dengan perguruan tinggi untuk pengembangan aplikasi dan pelatihan."),
    21: ("DISKOMINFO", "Manajemen risiko SPBE belum diterapkan; baru identifikasi risiko Pusat Data."),
    22: ("DISKOMINFO", "Firewall dan IPS Pusat Data berjalan; CSIRT Lampung Timur dibentuk dan teregistrasi."),
    23: ("DISKOMINFO", "Portal Satu Data berjalan dengan walidata dan daftar data di Perangkat Daerah."),
    24: ("DISKOMINFO", "Inventaris perangkat TIK tercatat di SIMBADA, belum ada siklus hidup aset TIK."),
    25: ("BKPSDM", "Rencana pengembangan kompetensi TIK disusun; pelatihan baru sebagian pegawai."),
    26: ("DISKOMINFO", "Pengetahuan SPBE belum didokumentasikan secara terstruktur."),
    27: ("DISKOMINFO", "Perubahan aplikasi dan infrastruktur belum melalui prosedur manajemen perubahan."),
    28: ("DISKOMINFO", "Layanan call center dan helpdesk SPBE berjalan dengan SOP dasar."),
    29: ("DISKOMINFO", "Audit infrastruktur SPBE belum pernah dilaksanakan."),
    30: ("DISKOMINFO", "Audit aplikasi SPBE belum pernah dilaksanakan."),
    31: ("DISKOMINFO", "Audit keamanan TIK dilakukan Inspektorat atas Pusat Data pada 2022."),
    32: ("BAPPEDA", "SIPP dan SIMEKBANG dipakai seluruh Perangkat Daerah untuk perencanaan dan monev."),
    33: ("BKD", "SIMAKDA dipakai seluruh Perangkat Daerah untuk penyusunan anggaran."),
    34: ("BKD", "SIMAKDA mengelola penatausahaan dan pelaporan keuangan seluruh Perangkat Daerah."),
    35: ("BPBJ", "LPSE dan SI-UKPBJ terintegrasi dengan SPSE nasional dan SIRUP."),
    36: ("BKPSDM", "SIMPEG dipakai seluruh Perangkat Daerah dan terhubung dengan SIASN BKN."),
    37: ("DISKOMINFO", "e-Office dipakai untuk naskah dinas elektronik di seluruh Perangkat Daerah."),
    38: ("BKD", "SIMA dan SIMBADA mengelola aset dan barang milik daerah seluruh Perangkat Daerah."),
    39: ("INSPEKTORAT", "WBS-Ponti menerima laporan; pengawasan internal lain masih manual."),
    40: ("BAG. ORGANISASI", "e-SAKIP dipakai seluruh Perangkat Daerah untuk perjanjian dan laporan kinerja."),
    41: ("BKPSDM", "e-Performance mengukur kinerja pegawai di seluruh Perangkat Daerah."),
    42: ("DISKOMINFO", "SP4N-LAPOR! terhubung dengan JePin; pengaduan ditindaklanjuti Perangkat Daerah."),
    43: ("DISKOMINFO", "Portal Satu Data Lampung Timur terhubung dengan Portal Data Indonesia."),
    44: ("BAG. HUKUM", "JDIH memuat produk hukum daerah dan terhubung dengan JDIHN."),
    45: ("DPMPTSP", "Perizinan berusaha melalui DPMTK-Android (web dan Android), terhubung dengan OSS."),
    46: ("DINAS PUPR", "SIM-TARU menyediakan informasi tata ruang, belum melayani permohonan."),
    47: ("BAG. TAPEM", "e-Pemerintahan melayani administrasi kecamatan dan kelurahan secara transaksional."),
}

# The public service assessed by each "Layanan Publik Sektor" indicator.
SUBJECTS = {
    45: "Layanan Perizinan Berbasis Elektronik",
    46: "Layanan Informasi Tata Ruang dan Bangunan Gedung",
    47: "Layanan Administrasi Kecamatan dan Kelurahan",
}

# 2023 levels: number: (self, final internal, (document, interview, field))
LEVELS_2023: dict[int, tuple[int, int, tuple[int, int, int]]] = {
    1: (3, 3, (3, 3, 3)),
    2: (3, 3, (3, 3, 3)),
    3: (2, 2, (2, 2, 2)),
    4: (3, 2, (2, 2, 2)),
    5: (3, 3, (3, 3, 3)),
    6: (2, 2, (2, 2, 2)),
    7: (2, 2, (2, 2, 2)),
    8: (3, 3, (3, 3, 2)),
    9: (2, 1, (1, 1, 1)),
    10: (3, 3, (3, 3, 3)),
    11: (3, 3, (2, 3, 3)),
    12: (3, 3, (3, 3, 3)),
    13: (3, 3, (3, 2, 2)),
    14: (2, 2, (2, 2, 2)),
    15: (3, 3, (3, 3, 3)),
    16: (3, 2, (2, 2, 2)),
    17: (3, 3, (3, 3, 3)),
    18: (3, 3, (3, 3, 3)),
    19: (3, 3, (3, 3, 3)),
    20: (3, 3, (3, 3, 2)),
    21: (1, 1, (1, 1, 1)),
    22: (3, 3, (3, 3, 3)),
    23: (3, 2, (2, 2, 2)),
    24: (2, 2, (2, 2, 2)),
    25: (2, 2, (2, 2, 2)),
    26: (1, 1, (1, 1, 1)),
    27: (1, 1, (1, 1, 1)),
    28: (2, 2, (2, 2, 1)),
    29: (1, 1, (1, 1, 1)),
    30: (1, 1, (1, 1, 1)),
    31: (2, 2, (2, 2, 2)),
    32: (3, 3, (3, 3, 3)),
    33: (3, 3, (3, 3, 3)),
    34: (3, 3, (3, 3, 3)),
    35: (4, 4, (4, 4, 4)),
    36: (4, 3, (3, 3, 3)),
    37: (3, 3, (3, 3, 3)),
    38: (3, 3, (3, 3, 3)),
    39: (2, 2, (2, 2, 2)),
    40: (3, 3, (3, 3, 3)),
    41: (3, 3, (3, 3, 2)),
    42: (4, 4, (4, 3, 3)),
    43: (4, 3, (3, 3, 3)),
    44: (3, 3, (3, 3, 3)),
    45: (3, 3, (3, 3, 3)),
    46: (2, 2, (2, 2, 2)),
    47: (3, 2, (2, 2, 2)),
}

# Why the internal review gave a lower final level than the self-assessment.
REVIEW_NOTES_2023 = {
    4: "Perbup belum mengatur repositori kode sumber dan standar pengujian; kriteria tingkat 3 belum terpenuhi.",
    9: "Kebijakan audit TIK masih rancangan, belum ditetapkan; sesuai kriteria tingkat 1.",
    16: "DPMTK-Android masih di Ruang Server DPMPTSP; Pusat Data belum dipakai seluruh Perangkat Daerah.",
    23: "Walidata baru ditunjuk di sebagian Perangkat Daerah; belum ada standar data dan data induk.",
    36: "Keterhubungan SIMPEG dengan SIASN belum terbukti (belum ada log pertukaran data).",
    43: "Keterhubungan dengan Portal Data Indonesia baru uji coba; dataset belum diperbarui berkala.",
    47: "Permohonan layanan kecamatan masih dicetak dan diproses manual; layanan baru interaksi.",
}

# Notes of the national evaluators where a stage changed the level; other stages get a plain note.
STAGE_NOTES_2023 = {
    (
        11,
        NationalStage.DOCUMENT,
    ): "Dokumen yang diunggah hanya ringkasan; dokumen Arsitektur lengkap belum dilampirkan.",
    (11, NationalStage.INTERVIEW): "Ditunjukkan Sistem Informasi Arsitektur dengan enam domain; tingkat 3 diterima.",
    (13, NationalStage.INTERVIEW): "Penandaan kegiatan SPBE belum tercermin di dokumen anggaran; baru sebagian.",
    (8, NationalStage.FIELD): "Kebijakan belum disosialisasikan ke seluruh Perangkat Daerah yang dikunjungi.",
    (20, NationalStage.FIELD): "Kerja sama dengan perguruan tinggi belum memiliki perjanjian yang berlaku.",
    (28, NationalStage.FIELD): "Helpdesk belum mencatat tiket; tidak ada bukti pengelolaan tingkat layanan.",
    (41, NationalStage.FIELD): "Sebagian Perangkat Daerah yang dikunjungi masih mengisi kinerja pegawai manual.",
    (42, NationalStage.INTERVIEW): "Integrasi dengan JePin belum menampilkan status tindak lanjut ke pelapor.",
}

STAGE_DATES_2023 = {
    NationalStage.DOCUMENT: datetime.date(2023, 8, 14),
    NationalStage.INTERVIEW: datetime.date(2023, 9, 19),
    NationalStage.FIELD: datetime.date(2023, 10, 10),
}

# Evidence: number: [("record", element name) | ("url", address, title)]
EVIDENCE_2023: dict[int, list[tuple[str, ...]]] = {
    1: [("url", "https://jdih.lampungtimurkab.go.id/produk-hukum/perbup-arsitektur-spbe", "Perbup Arsitektur SPBE")],
    11: [("record", "JePin"), ("record", "Pusat Data Elektronik Daerah")],
    14: [("record", "Penyusunan dan Rekayasa Ulang Proses Bisnis")],
    16: [("record", "Pusat Data Elektronik Daerah"), ("record", "Ruang Server DPMPTSP")],
    17: [("record", "Simpul Jaringan DISKOMINFO"), ("record", "Tautan FO DISKOMINFO–Ali Anyang")],
    18: [("record", "Sistem Penghubung Layanan Pemerintah (Interoperabilitas)"), ("record", "JePin")],
    22: [("record", "Firewall dan IPS Pusat Data"), ("record", "Tim Tanggap Insiden Siber (CSIRT) Lampung Timur")],
    23: [("record", "Satu Data Lampung Timur"), ("record", "Data APBD")],
    31: [("record", "Audit Keamanan TIK")],
    32: [("record", "SIPP"), ("record", "Layanan Manajemen Perencanaan")],
    33: [("record", "SIMAKDA"), ("record", "Layanan Manajemen Penganggaran")],
    34: [("record", "Layanan Manajemen Keuangan")],
    35: [("record", "LPSE"), ("record", "SI-UKPBJ"), ("url", "https://lpse.lampungtimurkab.go.id", "Situs LPSE")],
    36: [("record", "SIMPEG"), ("record", "Data Pegawai ASN")],
    37: [("record", "e-Office")],
    38: [("record", "SIMBADA"), ("record", "SIMA")],
    39: [("record", "WBS-Ponti")],
    40: [("record", "e-SAKIP")],
    41: [("record", "e-Performance")],
    42: [("record", "SP4N-LAPOR!"), ("url", "https://www.lapor.go.id", "Kanal SP4N-LAPOR!")],
    43: [("record", "Satu Data Lampung Timur"), ("url", "https://data.go.id", "Portal Data Indonesia")],
    44: [("record", "JDIH"), ("record", "Produk Hukum Daerah")],
    45: [("record", "DPMTK-Android"), ("record", "Layanan Perizinan Berbasis Elektronik")],
    46: [("record", "SIM-TARU")],
    47: [("record", "e-Pemerintahan")],
}

# Improvement actions the data analyst drew from the 2023 recommendations:
# (number, owner, from, to, action, due date, status)
ACTIONS_2023 = [
    (9, "INSPEKTORAT", 1, 2, "Tetapkan Perbup Kebijakan Audit TIK", datetime.date(2024, 3, 31), "done"),
    (
        16,
        "DISKOMINFO",
        2,
        3,
        "Pindahkan DPMTK-Android dari Ruang Server DPMPTSP ke Pusat Data",
        datetime.date(2024, 6, 30),
        "in_progress",
    ),
    (23, "DISKOMINFO", 2, 3, "Tetapkan Forum Satu Data, walidata dan daftar data induk", None, "in_progress"),
    (21, "DISKOMINFO", 1, 2, "Susun dan tetapkan pedoman manajemen risiko SPBE", datetime.date(2024, 9, 30), "planned"),
    (
        29,
        "DISKOMINFO",
        1,
        2,
        "Audit infrastruktur Pusat Data dan jaringan intra",
        datetime.date(2024, 10, 31),
        "planned",
    ),
    (26, "DISKOMINFO", 1, 2, "Bangun repositori pengetahuan SPBE", datetime.date(2024, 12, 31), "planned"),
    (28, "DISKOMINFO", 1, 2, "Catat permintaan helpdesk sebagai tiket dengan target waktu", None, "planned"),
]

# 2024, in progress: number: (state, self level, justification, reviewer, review note, evidence)
PROGRESS_2024: dict[int, tuple] = {
    1: ("accepted", 3, "Perbup Arsitektur SPBE masih berlaku; belum direviu.", "evaluator", "", []),
    2: ("accepted", 3, "Perbup Masterplan SPBE 2020–2029 masih berlaku.", "evaluator", "", []),
    5: ("accepted", 3, "Perbup penempatan di Pusat Data berlaku untuk seluruh Perangkat Daerah.", "evaluator", "", []),
    11: (
        "accepted",
        4,
        "Arsitektur SPBE dikelola di Simpul dan dipakai untuk analisis dampak setiap usulan aplikasi.",
        "evaluator",
        "",
        [("record", "JePin")],
    ),
    15: (
        "submitted",
        3,
        "Aplikasi 2024 dibangun dengan dokumen analisis, desain, uji dan manual.",
        None,
        "",
        [("record", "e-Office")],
    ),
    16: (
        "submitted",
        3,
        "Seluruh aplikasi daerah kini di Pusat Data; DPMTK-Android sedang dipindahkan.",
        None,
        "",
        [("record", "Pusat Data Elektronik Daerah")],
    ),
    17: ("submitted", 3, "Simpul Ali Anyang dan Sutoyo terhubung fiber optik 1 Gbps.", None, "", []),
    22: (
        "returned",
        3,
        "Firewall dan IPS Pusat Data berjalan; CSIRT aktif.",
        "evaluator",
        "Lampirkan SK Tim CSIRT 2024 dan laporan uji penetrasi; bukti firewall saja belum cukup untuk tingkat 3.",
        [("record", "Firewall dan IPS Pusat Data")],
    ),
    23: ("draft", 3, "Forum Satu Data dibentuk; daftar data induk sedang disusun.", None, "", []),
    42: ("draft", None, "Menunggu rekap tindak lanjut pengaduan 2024 dari Perangkat Daerah.", None, "", []),
    13: (
        "returned",
        3,
        "Kegiatan SPBE ditandai dalam RKPD 2024.",
        "evaluator-analis",
        "Sertakan RKA Perangkat Daerah yang memuat kegiatan SPBE bertanda dan hasil reviu DISKOMINFO.",
        [],
    ),
    32: (
        "submitted",
        3,
        "SIPP dan SIMEKBANG dipakai seluruh Perangkat Daerah.",
        None,
        "",
        [("record", "SIPP")],
    ),
    33: ("draft", 3, "SIMAKDA dipakai untuk RKA 2024.", None, "", []),
    34: (
        "submitted",
        3,
        "SIMAKDA mengelola penatausahaan seluruh Perangkat Daerah.",
        None,
        "",
        [("record", "SIMAKDA")],
    ),
    35: ("accepted", 4, "LPSE dan SI-UKPBJ terintegrasi dengan SPSE nasional.", "evaluator", "", []),
    39: ("submitted", 2, "WBS-Ponti menerima laporan; audit kinerja masih manual.", None, "", []),
    44: ("accepted", 3, "JDIH terhubung dengan JDIHN dan diperbarui setiap produk hukum.", "evaluator-analis", "", []),
}


def load(context) -> None:
    """Create the demo evaluations of the demo instansi (see module docstring)."""
    instansi = context.instansi
    framework = Framework.objects.filter(code=FRAMEWORK).first()
    if framework is None:
        # Migration 0002 loads the shipped frameworks; a flushed database (browser tests) has lost them.
        loader.load_shipped()
        framework = Framework.objects.get(code=FRAMEWORK)
    demo = _Demo(instansi, framework)
    if not EvaluationPeriod.objects.filter(instansi=instansi, year=COMPLETED_YEAR).exists():
        demo.completed_period()
    if not EvaluationPeriod.objects.filter(instansi=instansi, year=IN_PROGRESS_YEAR).exists():
        demo.period_in_progress()


class _Demo:
    def __init__(self, instansi, framework):
        self.instansi = instansi
        self.framework = framework
        self.opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
        self.users = {user.username: user for user in User.objects.filter(instansi=instansi)}

    def user(self, username: str):
        return self.users[username]

    def entry_user(self, pic: str):
        return self.user(OPERATORS.get(pic, FALLBACK_ENTRY))

    def new_period(self, year: int, **fields) -> dict[int, IndicatorAssessment]:
        evaluator = self.user("evaluator")
        with actor.acting(evaluator, source="demo"):
            period = services.create_period(
                evaluator, EvaluationPeriod(instansi=self.instansi, year=year, framework=self.framework, **fields)
            )
            assessments = {a.indicator.number: a for a in period.assessments.select_related("indicator")}
            for number, assessment in assessments.items():
                pic = INDICATORS[number][0]
                contact = self.users.get(OPERATORS.get(pic, ""))
                services.assign_pic(evaluator, assessment, self.opds[pic], contact)
            admin = self.user("admin")
            for number, subject in SUBJECTS.items():
                assessment = assessments[number]
                assessment.subject = subject
                with actor.acting(admin, source="demo"):
                    core_services.update_object(admin, assessment, fields=["subject"])
            services.set_period_status(evaluator, period, PeriodStatus.SELF_ASSESSMENT)
        return assessments

    def add_evidence(self, assessment: IndicatorAssessment, items) -> None:
        pic = INDICATORS[assessment.indicator.number][0]
        user = self.user(OPERATORS.get(pic, FALLBACK_EVIDENCE))
        names = [item[1] for item in items if item[0] == "record"]
        # Elements missing (the architecture demo did not run) are left out.
        elements = list(Element.objects.filter(owner__instansi=self.instansi, name__in=names))
        elements.sort(key=lambda element: names.index(element.name))
        with actor.acting(user, source="demo"):
            if elements:
                evidence.add_records(user, assessment, elements)
            for item in items:
                if item[0] == "url":
                    evidence.add_url(user, assessment, item[1], title=item[2])

    def self_assess(self, assessment, level, justification, submit: bool) -> None:
        user = self.entry_user(INDICATORS[assessment.indicator.number][0])
        with actor.acting(user, source="demo"):
            services.save_self_assessment(user, assessment, level, justification, submit=submit)

    def review(self, assessment, username: str, accept: bool, note: str = "", final_level=None) -> None:
        reviewer = self.user(username)
        with actor.acting(reviewer, source="demo"):
            services.review(reviewer, assessment, accept=accept, note=note, final_level=final_level)

    def set_status(self, period: EvaluationPeriod, status: str) -> None:
        evaluator = self.user("evaluator")
        with actor.acting(evaluator, source="demo"):
            period.refresh_from_db()
            services.set_period_status(evaluator, period, status)

    def completed_period(self) -> None:
        assessments = self.new_period(
            COMPLETED_YEAR,
            self_assessment_due=datetime.date(2023, 5, 31),
            review_due=datetime.date(2023, 6, 30),
            target_index="2.60",
            description="Evaluasi SPBE 2023 menurut PermenPANRB 59/2020; hasil evaluasi nasional telah diumumkan.",
        )
        period = next(iter(assessments.values())).period
        for number, assessment in assessments.items():
            self.add_evidence(assessment, EVIDENCE_2023.get(number, []))
            self.self_assess(assessment, LEVELS_2023[number][0], INDICATORS[number][1], submit=True)
        self.set_status(period, PeriodStatus.INTERNAL_REVIEW)
        for number, assessment in assessments.items():
            final = LEVELS_2023[number][1]
            note = REVIEW_NOTES_2023.get(number, "")
            self.review(assessment, "evaluator-analis", accept=True, note=note, final_level=final)
        self.set_status(period, PeriodStatus.NATIONAL)
        self.national_results(assessments)
        self.improvement_actions(period, assessments)
        self.set_status(period, PeriodStatus.CLOSED)
        services.recompute_period(period)

    def national_results(self, assessments: dict[int, IndicatorAssessment]) -> None:
        operator = self.user("evaluator-operator")
        with actor.acting(operator, source="demo"):
            for number, assessment in assessments.items():
                spec = assessment.indicator.spec
                previous = LEVELS_2023[number][1]
                for stage, level in zip(STAGE_DATES_2023, LEVELS_2023[number][2], strict=True):
                    services.record_national_result(
                        operator,
                        assessment,
                        stage,
                        level,
                        notes=STAGE_NOTES_2023.get((number, stage)) or _plain_note(stage, level, previous),
                        recommendations=_recommendation(spec, level),
                        assessed_on=STAGE_DATES_2023[stage],
                    )
                    previous = level

    def improvement_actions(self, period, assessments) -> None:
        analyst = self.user("evaluator-analis")
        with actor.acting(analyst, source="demo"):
            for number, owner, from_level, to_level, title, due, status in ACTIONS_2023:
                action = ImprovementAction(
                    owner=self.opds[owner],
                    period=period,
                    indicator=assessments[number].indicator,
                    item_key=assessments[number].item_key,
                    from_level=from_level,
                    to_level=to_level,
                    title=title,
                    due_date=due,
                )
                action = services.create_action(analyst, action)
                if status != action.status:
                    services.set_action_status(analyst, action, status)

    def period_in_progress(self) -> None:
        assessments = self.new_period(
            IN_PROGRESS_YEAR,
            target_index="2.80",
            description="Evaluasi SPBE 2024: target predikat Baik pada evaluasi nasional.",
        )
        for number, (state, level, justification, reviewer, note, items) in PROGRESS_2024.items():
            assessment = assessments[number]
            self.add_evidence(assessment, items)
            self.self_assess(assessment, level, justification, submit=state != AssessmentStatus.DRAFT)
            if state == AssessmentStatus.ACCEPTED:
                self.review(assessment, reviewer, accept=True)
            elif state == AssessmentStatus.RETURNED:
                self.review(assessment, reviewer, accept=False, note=note)


def _plain_note(stage: str, level: int, previous: int) -> str:
    if stage == NationalStage.DOCUMENT:
        if level == previous:
            return f"Dokumen dan bukti dukung sesuai dengan kriteria tingkat {level}."
        return f"Bukti dukung hanya memenuhi kriteria tingkat {level}."
    if stage == NationalStage.INTERVIEW:
        return f"Wawancara mengonfirmasi penjelasan dan bukti dukung; tingkat {level}."
    return f"Observasi lapangan sesuai dengan hasil wawancara; tingkat {level}."


def _recommendation(spec, level: int) -> str:
    """The next level's criterion from the framework file, as the national evaluators phrase advice."""
    following = next((item for item in spec.levels if item.level == level + 1), None)
    if following is None:
        return "Pertahankan dan tingkatkan berdasarkan hasil reviu berkala."
    return f"Untuk tingkat {following.level}: {following.criterion}"
