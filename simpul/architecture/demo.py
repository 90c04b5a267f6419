"""Demo architecture of Kabupaten Lampung Timur, as its SPBE master plan (Bab IV, 4.2.3–4.2.6) states it.

The applications, services, their owners and the JePin integrations are those of the text; the
infrastructure follows 4.2.4 and table 4.3 (Pusat Data, intra-network nodes DISKOMINFO, Ali Anyang and
Sutoyo, fibre links, the connector system). Every address is on the official domain the text names
(4.2.5.3); where the text itself writes another (`…kota.go.id`, a slip of the plan), the application keeps
the text's address as a property of its own (`PLAN_ADDRESSES`), shown on its page and listed in
docs/architecture/demo.md. Realistic additions are marked "addition": an
OPD server room waiting for approval, an OPD's own personnel application next to SIMPEG, data sets,
business processes and security controls, so that compliance findings and impact analysis show
something true on the first run. Idempotent: elements are found by (owner, name).
"""

from __future__ import annotations

from simpul.architecture.models import (
    Application,
    BusinessProcess,
    DataSet,
    Element,
    InfrastructureComponent,
    ReferenceCode,
    Relationship,
    SecurityControl,
    Service,
)
from simpul.organizations.models import PerangkatDaerah

D = "lampungtimurkab.go.id"

INFRASTRUCTURE = [
    # name, owner, kind, extra
    (
        "Pusat Data Elektronik Daerah",
        "DISKOMINFO",
        "pusat_data",
        {
            "location": "Kantor Diskominfo, Sukadana",
            "reference": "RAI.02",
            "description": "Pusat penempatan, pencadangan dan pengolahan data elektronik daerah (4.2.4.1).",
        },
    ),
    (
        "PONTIVE CENTER (Command Center)",
        "DISKOMINFO",
        "lainnya",
        {
            "reference": "RAI.03",
            "description": "Command Center daerah; terhubung ke Pusat Data dan Sistem Interoperabilitas.",
        },
    ),
    (
        "Simpul Jaringan DISKOMINFO",
        "DISKOMINFO",
        "simpul_jaringan",
        {"location": "Diskominfo", "medium": "Fiber optik"},
    ),
    (
        "Simpul Jaringan Ali Anyang",
        "DISKOMINFO",
        "simpul_jaringan",
        {"location": "Jl. Ali Anyang", "medium": "Fiber optik"},
    ),
    ("Simpul Jaringan Sutoyo", "DISKOMINFO", "simpul_jaringan", {"location": "Jl. Sutoyo", "medium": "Fiber optik"}),
    ("Tautan FO DISKOMINFO–Ali Anyang", "DISKOMINFO", "tautan", {"medium": "Fiber optik", "bandwidth_mbps": 1000}),
    ("Tautan FO DISKOMINFO–Sutoyo", "DISKOMINFO", "tautan", {"medium": "Fiber optik", "bandwidth_mbps": 1000}),
    ("Akses Internet Pusat Data", "DISKOMINFO", "internet", {"bandwidth_mbps": 1000}),
    (
        "Sistem Penghubung Layanan Pemerintah (Interoperabilitas)",
        "DISKOMINFO",
        "sistem_penghubung",
        {"description": "Aplikasi Interoperabilitas untuk koneksi basis data antar-aplikasi (4.2.3.1)."},
    ),
    ("Cloud Service DISKOMINFO", "DISKOMINFO", "cloud", {"status": "pengembangan"}),
    ("Server Aplikasi 1", "DISKOMINFO", "server", {"location": "Pusat Data, rak A"}),
    ("Server Aplikasi 2", "DISKOMINFO", "server", {"location": "Pusat Data, rak A"}),
    ("Server Basis Data", "DISKOMINFO", "server", {"location": "Pusat Data, rak B"}),
    ("VM Layanan Administrasi", "DISKOMINFO", "vm", {}),
    ("VM Layanan Publik", "DISKOMINFO", "vm", {}),
    ("VM Keuangan dan Aset", "DISKOMINFO", "vm", {}),
    # addition: the DPMPTSP keeps its own server room, its approval still pending.
    ("Ruang Server DPMPTSP", "DPMPTSP", "ruang_server", {"approval": "diajukan", "location": "Kantor DPMPTSP"}),
] + [
    (f"LAN {short}", short, "lan", {})
    for short in ["DISKOMINFO", "SETDA", "INSPEKTORAT", "BAPPEDA", "BKD", "BKPSDM", "BPBJ", "DINAS PUPR", "DPMPTSP"]
]

# Which intra-network node each OPD's LAN hangs on (addition: by proximity, as 4.1.3 suggests).
LAN_NODES = {
    "DISKOMINFO": "Simpul Jaringan DISKOMINFO",
    "SETDA": "Simpul Jaringan DISKOMINFO",
    "INSPEKTORAT": "Simpul Jaringan DISKOMINFO",
    "BAPPEDA": "Simpul Jaringan Ali Anyang",
    "BKD": "Simpul Jaringan Ali Anyang",
    "BKPSDM": "Simpul Jaringan Ali Anyang",
    "BPBJ": "Simpul Jaringan Ali Anyang",
    "DINAS PUPR": "Simpul Jaringan Sutoyo",
    "DPMPTSP": "Simpul Jaringan Sutoyo",
}

# name, owner (develops and manages), kind, url, runs on, JePin, docs (manual, source), extra
APPLICATIONS = [
    (
        "JePin",
        "DISKOMINFO",
        "khusus",
        f"https://jepin.{D}",
        "VM Layanan Publik",
        False,
        (True, True),
        {"description": "Single window service: integrasi layanan SPBE Kabupaten Lampung Timur (4.2.3.1)."},
    ),
    (
        "e-Office",
        "DISKOMINFO",
        "umum",
        f"https://eoffice.{D}",
        "VM Layanan Administrasi",
        False,
        (True, True),
        {"description": "Aplikasi naskah dinas elektronik."},
    ),
    (
        "SIMPEG",
        "BKPSDM",
        "umum",
        f"https://simpeg.{D}",
        "VM Layanan Administrasi",
        False,
        (True, True),
        {"description": "Sistem informasi manajemen kepegawaian: data pegawai, mutasi, kenaikan pangkat."},
    ),
    (
        "SIPP",
        "BAPPEDA",
        "umum",
        f"https://sipp.{D}",
        "VM Layanan Administrasi",
        True,
        (True, True),
        {"description": "Sistem informasi perencanaan pembangunan."},
    ),
    (
        "SIMAKDA",
        "BKD",
        "umum",
        f"https://simakda.{D}",
        "VM Keuangan dan Aset",
        False,
        (True, True),
        {"description": "Penganggaran dan pengelolaan keuangan daerah."},
    ),
    (
        "SIMA",
        "BKD",
        "umum",
        f"https://sima.{D}",
        "VM Keuangan dan Aset",
        True,
        (True, True),
        {"description": "Sistem informasi manajemen aset."},
    ),
    (
        "SIMBADA",
        "BKD",
        "umum",
        f"https://simbada.{D}",
        "VM Keuangan dan Aset",
        True,
        (True, True),
        {"description": "Sistem informasi manajemen barang milik daerah."},
    ),
    (
        "e-SAKIP",
        "BAG. ORGANISASI",
        "umum",
        f"https://esakip.{D}",
        "VM Layanan Administrasi",
        False,
        (True, True),
        {"description": "Sistem akuntabilitas kinerja instansi pemerintah."},
    ),
    (
        "e-Performance",
        "BAG. ORGANISASI",
        "khusus",
        f"https://eperformance.{D}",
        "VM Layanan Administrasi",
        False,
        (True, False),
        {"description": "Pengukuran kinerja pegawai."},
    ),
    (
        "e-Progress",
        "BAG. PEREKONOMIAN",
        "khusus",
        f"https://eprogress.{D}",
        "VM Layanan Administrasi",
        False,
        (False, False),
        {"description": "Pemantauan progres fisik dan keuangan kegiatan pembangunan."},
    ),
    (
        "e-LPPD",
        "DISKOMINFO",
        "khusus",
        f"https://elppd.{D}",
        "VM Layanan Administrasi",
        False,
        (True, True),
        {"description": "Laporan penyelenggaraan pemerintahan daerah; digunakan oleh Bagian Tata Pemerintahan."},
    ),
    (
        "SIMEKBANG",
        "BAPPEDA",
        "khusus",
        f"https://simekbang.{D}",
        "VM Layanan Administrasi",
        False,
        (True, False),
        {"description": "Sistem informasi monitoring dan evaluasi pembangunan."},
    ),
    (
        "LPSE",
        "BPBJ",
        "umum",
        f"https://lpse.{D}",
        None,
        False,
        (True, True),
        {"hosting": "pusat", "description": "Layanan pengadaan secara elektronik (SPSE nasional)."},
    ),
    (
        "SI-UKPBJ",
        "BPBJ",
        "khusus",
        f"https://siukpbj.{D}",
        "VM Layanan Administrasi",
        False,
        (True, True),
        {"description": "Sistem informasi unit kerja pengadaan barang/jasa."},
    ),
    (
        "SP4N-LAPOR!",
        "DISKOMINFO",
        "umum",
        "https://www.lapor.go.id",
        None,
        True,
        (True, True),
        {"hosting": "pusat", "description": "Layanan pengaduan publik nasional."},
    ),
    (
        "JDIH",
        "BAG. HUKUM",
        "khusus",
        f"https://jdih.{D}",
        "VM Layanan Publik",
        True,
        (True, True),
        {"description": "Jaringan dokumentasi dan informasi hukum."},
    ),
    (
        "WBS-Ponti",
        "INSPEKTORAT",
        "khusus",
        f"https://wbs.{D}",
        "VM Layanan Publik",
        True,
        (True, False),
        {"description": "Whistle blowing system."},
    ),
    (
        "SI-PPID",
        "DISKOMINFO",
        "khusus",
        f"http://ppid.{D}",
        "VM Layanan Publik",
        True,
        (True, True),
        {"description": "Layanan informasi publik PPID."},
    ),
    (
        "Satu Data Lampung Timur",
        "DISKOMINFO",
        "khusus",
        f"https://data.{D}",
        "VM Layanan Publik",
        True,
        (True, True),
        {"description": "Portal Satu Data daerah."},
    ),
    (
        "SIM-TARU",
        "DINAS PUPR",
        "khusus",
        f"https://simtaru.{D}",
        "VM Layanan Publik",
        False,
        (False, False),
        {"description": "Informasi tata ruang dan bangunan gedung."},
    ),
    (
        "DPMTK-Android",
        "DPMPTSP",
        "khusus",
        f"http://dpmktsp.{D}",
        "Ruang Server DPMPTSP",
        False,
        (True, False),
        {
            "hosting": "ruang_server_opd",
            "hosting_exception": "diajukan",
            "description": "Aplikasi perizinan berbasis elektronik (web dan Android).",
        },
    ),
    (
        "e-Pemerintahan",
        "DISKOMINFO",
        "khusus",
        f"http://e-pemerintahan.{D}",
        "VM Layanan Publik",
        False,
        (True, True),
        {"description": "Layanan administrasi kecamatan dan kelurahan (web dan Android)."},
    ),
    # addition: an OPD's own personnel application beside SIMPEG — the "information island" of 4.1.3.
    (
        "SIMPEG PUPR",
        "DINAS PUPR",
        "khusus",
        f"https://simpeg-pupr.{D}",
        "VM Layanan Administrasi",
        False,
        (False, False),
        {"description": "Sistem informasi manajemen kepegawaian internal Dinas PUPR: data pegawai dan mutasi."},
    ),
]

INTEGRATION_HUB = "JePin"

# The master plan's slips (4.2.3.2, printed 6.2.3.2, items 3, 5 and 7): it names the official domain
# "Kabupaten Lampung Timur.go.id" (4.2.5.3), yet writes these addresses on "…kota.go.id", left from a
# city's text. Lampung Timur is a kabupaten, so the domain is not in doubt: the application's address is on
# the official domain, and the text's address is kept on the application under a name that says it is the
# plan's slip. A property, not a note in the description: descriptions tell applications apart (the
# duplicate rule of compliance.py compares them), and the same note in several would make them look alike.
PLAN_ADDRESS_PROPERTY = "Alamat menurut Rencana Induk (salah tulis domain)"
PLAN_ADDRESSES = {
    "JDIH": "https://jdih.KabupatenLampungTimurkota.go.id/",
    "Satu Data Lampung Timur": "https://data.KabupatenLampungTimurkota.go.id/",
    "DPMTK-Android": "http://dpmktsp.KabupatenLampungTimurkota.go.id/",
}

# name, owner, type, applications realising it, reference code
SERVICES = [
    ("Layanan Naskah Dinas Elektronik", "DISKOMINFO", "g2e", ["e-Office"], "RAL.02.06"),
    ("Layanan Manajemen Kepegawaian", "BKPSDM", "g2e", ["SIMPEG"], "RAL.02.04"),
    ("Layanan Manajemen Perencanaan", "BAPPEDA", "g2g", ["SIPP"], "RAL.02.03"),
    ("Layanan Manajemen Penganggaran", "BKD", "g2g", ["SIMAKDA"], "RAL.02.02"),
    ("Layanan Manajemen Keuangan", "BKD", "g2g", ["SIMAKDA"], "RAL.02.02"),
    ("Layanan Manajemen Aset", "BKD", "g2g", ["SIMA"], "RAL.02.06"),
    ("Layanan Manajemen Barang Milik Daerah", "BKD", "g2g", ["SIMBADA"], "RAL.02.06"),
    (
        "Layanan Manajemen Kinerja",
        "BAG. ORGANISASI",
        "g2g",
        ["e-SAKIP", "e-Performance", "e-Progress", "e-LPPD", "SIMEKBANG"],
        "RAL.02.07",
    ),
    ("Layanan Pengadaan Barang/Jasa", "BPBJ", "g2b", ["LPSE", "SI-UKPBJ"], "RAL.02.06"),
    ("Layanan Pengaduan Publik", "DISKOMINFO", "g2c", ["SP4N-LAPOR!"], "RAL.01.24"),
    ("Layanan Call Center (0561) 818 1771", "DISKOMINFO", "g2c", [], "RAL.01.44"),
    ("Layanan Dokumentasi dan Informasi Hukum", "BAG. HUKUM", "g2c", ["JDIH"], "RAL.01.28"),
    ("Layanan Whistle Blowing System", "INSPEKTORAT", "g2c", ["WBS-Ponti"], "RAL.01.24"),
    ("Layanan Data dan Informasi Publik", "DISKOMINFO", "g2c", ["SI-PPID", "Satu Data Lampung Timur"], "RAL.01.43"),
    ("Layanan Informasi Tata Ruang dan Bangunan Gedung", "DINAS PUPR", "g2c", ["SIM-TARU"], "RAL.01.17"),
    ("Layanan Perizinan Berbasis Elektronik", "DPMPTSP", "g2b", ["DPMTK-Android"], "RAL.01.16"),
    ("Layanan Administrasi Kecamatan dan Kelurahan", "DISKOMINFO", "g2c", ["e-Pemerintahan"], "RAL.01.24"),
]

# name, owner, classification, format, frequency, producing applications, applications using it
DATA_SETS = [
    ("Data Pegawai ASN", "BKPSDM", "terbatas", "Basis data", "harian", ["SIMPEG"], ["e-Office", "e-Performance"]),
    ("Data APBD", "BKD", "terbuka", "XLSX, API", "bulanan", ["SIMAKDA"], ["Satu Data Lampung Timur", "e-Progress"]),
    ("Data Barang Milik Daerah", "BKD", "terbatas", "Basis data", "bulanan", ["SIMA", "SIMBADA"], []),
    (
        "Dokumen Perencanaan Pembangunan (RPJMD, RKPD)",
        "BAPPEDA",
        "terbuka",
        "PDF",
        "tahunan",
        ["SIPP"],
        ["SIMEKBANG", "Satu Data Lampung Timur"],
    ),
    ("Data Pengaduan Masyarakat", "DISKOMINFO", "terbatas", "API", "realtime", ["SP4N-LAPOR!"], ["JePin"]),
    ("Produk Hukum Daerah", "BAG. HUKUM", "terbuka", "PDF", "tidak_tentu", ["JDIH"], ["Satu Data Lampung Timur"]),
    (
        "Data Perizinan Berusaha",
        "DPMPTSP",
        "terbuka",
        "XLSX",
        "bulanan",
        ["DPMTK-Android"],
        ["Satu Data Lampung Timur"],
    ),
    ("Data Pengadaan Barang/Jasa", "BPBJ", "terbuka", "API", "harian", ["LPSE", "SI-UKPBJ"], []),
    # addition: a data set nobody classified yet
    ("Data Rencana Tata Ruang Wilayah", "DINAS PUPR", "", "SHP", "tahunan", ["SIM-TARU"], []),
    ("Data Laporan Whistle Blowing", "INSPEKTORAT", "rahasia", "Basis data", "tidak_tentu", ["WBS-Ponti"], []),
]

# name, owner, sector, performing OPDs, supporting applications, reference code
PROCESSES = [
    (
        "Penyusunan Perencanaan Pembangunan Daerah",
        "BAPPEDA",
        "Perencanaan",
        ["BAPPEDA"],
        ["SIPP", "SIMEKBANG"],
        "RAB.09",
    ),
    ("Pengelolaan Keuangan Daerah", "BKD", "Keuangan", ["BKD"], ["SIMAKDA"], "RAB.09"),
    ("Pengelolaan Barang Milik Daerah", "BKD", "Keuangan", ["BKD"], ["SIMA", "SIMBADA"], "RAB.09"),
    ("Manajemen Aparatur Sipil Negara", "BKPSDM", "Kepegawaian", ["BKPSDM"], ["SIMPEG"], "RAB.09"),
    ("Pengadaan Barang/Jasa Pemerintah", "BPBJ", "Pengadaan", ["BPBJ"], ["LPSE", "SI-UKPBJ"], "RAB.09"),
    (
        "Penanganan Pengaduan Masyarakat",
        "DISKOMINFO",
        "Komunikasi dan Informatika",
        ["DISKOMINFO", "INSPEKTORAT"],
        ["SP4N-LAPOR!", "WBS-Ponti"],
        None,
    ),
    ("Pelayanan Perizinan Berusaha", "DPMPTSP", "Penanaman Modal", ["DPMPTSP"], ["DPMTK-Android"], None),
    ("Penyusunan dan Rekayasa Ulang Proses Bisnis", "BAG. ORGANISASI", "Organisasi", ["BAG. ORGANISASI"], [], None),
]

# name, owner, security object (data file), protected elements
SECURITY = [
    ("Kebijakan dan Standar Keamanan Informasi", "DISKOMINFO", 1, ["Pusat Data Elektronik Daerah"]),
    ("Sosialisasi Kesadaran Keamanan Informasi", "DISKOMINFO", 2, []),
    ("Pemindaian Kerentanan Aplikasi", "DISKOMINFO", 3, ["JePin", "e-Office", "SIMAKDA"]),
    ("Firewall dan IPS Pusat Data", "DISKOMINFO", 4, ["Pusat Data Elektronik Daerah", "Akses Internet Pusat Data"]),
    ("Tim Tanggap Insiden Siber (CSIRT) Lampung Timur", "DISKOMINFO", 5, ["Pusat Data Elektronik Daerah"]),
    ("Audit Keamanan TIK", "INSPEKTORAT", 6, []),
]

INFRA_LINKS = [
    # (source, relationship, target)
    ("Server Aplikasi 1", "runs_on", "Pusat Data Elektronik Daerah"),
    ("Server Aplikasi 2", "runs_on", "Pusat Data Elektronik Daerah"),
    ("Server Basis Data", "runs_on", "Pusat Data Elektronik Daerah"),
    ("VM Layanan Administrasi", "runs_on", "Server Aplikasi 1"),
    ("VM Layanan Publik", "runs_on", "Server Aplikasi 2"),
    ("VM Keuangan dan Aset", "runs_on", "Server Aplikasi 1"),
    ("Pusat Data Elektronik Daerah", "connected_via", "Simpul Jaringan DISKOMINFO"),
    ("Pusat Data Elektronik Daerah", "connected_via", "Akses Internet Pusat Data"),
    ("PONTIVE CENTER (Command Center)", "connected_via", "Pusat Data Elektronik Daerah"),
    ("Sistem Penghubung Layanan Pemerintah (Interoperabilitas)", "runs_on", "Server Basis Data"),
    ("Simpul Jaringan Ali Anyang", "connected_via", "Tautan FO DISKOMINFO–Ali Anyang"),
    ("Tautan FO DISKOMINFO–Ali Anyang", "connected_via", "Simpul Jaringan DISKOMINFO"),
    ("Simpul Jaringan Sutoyo", "connected_via", "Tautan FO DISKOMINFO–Sutoyo"),
    ("Tautan FO DISKOMINFO–Sutoyo", "connected_via", "Simpul Jaringan DISKOMINFO"),
    ("Ruang Server DPMPTSP", "connected_via", "Simpul Jaringan Sutoyo"),
]


def load(context) -> None:
    """Create the demo architecture of the demo instansi (see module docstring)."""
    instansi = context.instansi
    opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
    references = {r.code: r for r in ReferenceCode.objects.filter(code__in=_reference_codes())}
    elements: dict[str, Element] = {}

    def ensure(model, name, owner, **fields):
        reference = fields.pop("reference", None)
        element = model.objects.filter(owner=opds[owner], name=name).first()
        if element is None:
            element = model(owner=opds[owner], name=name, published=True, reference=references.get(reference), **fields)
            element.save()
        elements[name] = element
        return element

    for name, owner, kind, extra in INFRASTRUCTURE:
        ensure(InfrastructureComponent, name, owner, kind=kind, **extra)
    for name, owner, kind, url, _host, jepin, (manual, source), extra in APPLICATIONS:
        fields = {"reference": "RAA.01.02" if kind == "umum" else "RAA.02.02", **extra}
        if name in PLAN_ADDRESSES:
            fields["properties"] = {PLAN_ADDRESS_PROPERTY: PLAN_ADDRESSES[name]}
        ensure(
            Application,
            name,
            owner,
            kind=kind,
            url=url,
            developer=opds[owner],
            single_window=jepin,
            has_manual=manual,
            has_source_code=source,
            has_test_results=manual,
            technology="PHP, MySQL",
            **fields,
        )
    for name, owner, service_type, _apps, reference in SERVICES:
        ensure(Service, name, owner, service_type=service_type, reference=reference)
    for name, owner, classification, fmt, frequency, _producers, _users in DATA_SETS:
        ensure(
            DataSet,
            name,
            owner,
            classification=classification,
            data_format=fmt,
            update_frequency=frequency,
            producer=opds[owner],
            interoperable="API" in fmt,
        )
    for name, owner, sector, performers, _apps, reference in PROCESSES:
        process = ensure(BusinessProcess, name, owner, sector=sector, reference=reference)
        process.performers.add(*(opds[p] for p in performers))
    from simpul.architecture.references import security_objects

    objects = security_objects()
    for name, owner, object_order, _protected in SECURITY:
        ensure(SecurityControl, name, owner, control_kind=objects[object_order - 1])

    links = list(INFRA_LINKS)
    links += [(f"LAN {short}", "connected_via", node) for short, node in LAN_NODES.items()]
    for name, _owner, _kind, _url, host, jepin, _docs, _extra in APPLICATIONS:
        if host:
            links.append((name, "runs_on", host))
        if jepin:
            links.append((name, "integrates_with", INTEGRATION_HUB))
    for name, _owner, _type, apps, _ref in SERVICES:
        links += [(app, "realizes", name) for app in apps]
    for name, _owner, _c, _f, _u, producers, users in DATA_SETS:
        links += [(app, "produces", name) for app in producers]
        links += [(app, "uses", name) for app in users]
    for name, _owner, _sector, _performers, apps, _ref in PROCESSES:
        links += [(app, "supports", name) for app in apps]
    for name, _owner, _order, protected in SECURITY:
        links += [(element, "protected_by", name) for element in protected]
    for source, kind, target in links:
        if not Relationship.objects.filter(source=elements[source], target=elements[target], kind=kind).exists():
            relationship = Relationship(source=elements[source], target=elements[target], kind=kind)
            relationship.full_clean()
            relationship.save()


def _reference_codes() -> set[str]:
    codes = {"RAA.01.02", "RAA.02.02"}
    codes |= {extra.get("reference") for *_rest, extra in INFRASTRUCTURE if extra.get("reference")}
    codes |= {service[4] for service in SERVICES} | {p[5] for p in PROCESSES if p[5]}
    return codes
