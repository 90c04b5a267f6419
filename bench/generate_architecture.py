"""Generate a national-scale architecture repository for benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_arch \
        .venv/bin/python bench/generate_architecture.py --instansi 500 --elements 100000 --relationships 300000

Writes synthetic instansi, their OPDs, elements of the six SPBE domains (each with its typed row) and
relationships that the vocabulary allows, plus three users for permission-scoped measurements. Rows
are written with bulk inserts, so audit signals do not fire: there is no audit trail for this data,
which is fine for a benchmark and wrong for anything else. Run it on an empty, migrated database.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, field

from _setup import setup_django

# --- Vocabulary of names --------------------------------------------------------------------------

_PLACE_WORDS = (
    "Lampung Bandar Sukadana Metro Pesawaran Tanggamus Pringsewu Mesuji Banyuasin Musi Ogan Lahat Bengkulu "
    "Kaur Seluma Rejang Kerinci Bungo Tebo Merangin Sarolangun Siak Kampar Rokan Bengkalis Indragiri Pelalawan "
    "Agam Pasaman Solok Dharmasraya Deli Langkat Karo Simalungun Asahan Labuhanbatu Tapanuli Nias Bireuen Pidie "
    "Gayo Bogor Bekasi Karawang Purwakarta Subang Cianjur Sukabumi Garut Tasikmalaya Ciamis Kuningan Cirebon "
    "Indramayu Majalengka Sumedang Bandung Brebes Tegal Pemalang Pekalongan Batang Kendal Semarang Demak Kudus "
    "Jepara Pati Rembang Blora Grobogan Boyolali Klaten Sukoharjo Wonogiri Karanganyar Sragen Magelang "
    "Temanggung Wonosobo Banjarnegara Purbalingga Banyumas Cilacap Kebumen Purworejo Sleman Bantul Pacitan "
    "Ponorogo Trenggalek Tulungagung Blitar Kediri Malang Lumajang Jember Banyuwangi Bondowoso Situbondo "
    "Probolinggo Pasuruan Sidoarjo Mojokerto Jombang Nganjuk Madiun Magetan Ngawi Bojonegoro Tuban Lamongan "
    "Gresik Bangkalan Sampang Pamekasan Sumenep Badung Gianyar Tabanan Buleleng Lombok Sumbawa Bima Dompu "
    "Kupang Sikka Ende Ketapang Sambas Sanggau Sintang Kapuas Kotawaringin Barito Banjar Tabalong Kutai Berau "
    "Paser Bulungan Minahasa Bolaang Gorontalo Donggala Poso Banggai Gowa Maros Bone Wajo Luwu Kolaka Konawe "
    "Buton Muna Halmahera Jayapura Merauke Biak Manokwari Sorong"
)
PLACES = _PLACE_WORDS.split()
QUARTERS = ("", "Timur", "Barat", "Utara", "Selatan", "Tengah")

# (short name, name, kind); the first six exist in every instansi.
OPDS = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas"),
    ("SETDA", "Sekretariat Daerah", "sekretariat"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("INSPEKTORAT", "Inspektorat Daerah", "inspektorat"),
    ("SETWAN", "Sekretariat DPRD", "sekretariat"),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan"),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DINSOS", "Dinas Sosial", "dinas"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("DISHUB", "Dinas Perhubungan", "dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "dinas"),
    ("DINAS PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "dinas"),
    ("DISNAKER", "Dinas Tenaga Kerja dan Transmigrasi", "dinas"),
    ("DISTAN", "Dinas Pertanian", "dinas"),
    ("DKP", "Dinas Kelautan dan Perikanan", "dinas"),
    ("DISPORA", "Dinas Pemuda dan Olahraga", "dinas"),
    ("DISPAR", "Dinas Pariwisata", "dinas"),
    ("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah", "dinas"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("DKPP", "Dinas Ketahanan Pangan", "dinas"),
    ("SATPOL PP", "Satuan Polisi Pamong Praja", "satuan"),
    ("RSUD", "Rumah Sakit Umum Daerah", "rsud"),
    ("BAG. ORGANISASI", "Bagian Organisasi", "bagian"),
    ("BAG. HUKUM", "Bagian Hukum", "bagian"),
    ("BAG. UMUM", "Bagian Umum", "bagian"),
    ("BAG. PBJ", "Bagian Pengadaan Barang dan Jasa", "bagian"),
    ("BAG. PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", "bagian"),
    ("BAG. PEREKONOMIAN", "Bagian Perekonomian", "bagian"),
    ("KEC. KOTA", "Kecamatan Kota", "kecamatan"),
    ("KEC. PESISIR", "Kecamatan Pesisir", "kecamatan"),
    ("KEC. GUNUNG", "Kecamatan Gunung Sari", "kecamatan"),
]
CORE_OPDS = 6

# Ordered roughly by how much other records depend on them: the Zipf choice makes the first ones hubs.
TOPICS = [
    "Kependudukan",
    "Keuangan Daerah",
    "Kepegawaian",
    "Perencanaan Pembangunan",
    "Aset Daerah",
    "Perizinan",
    "Pajak Daerah",
    "Persuratan",
    "Pengaduan Masyarakat",
    "Kesehatan",
    "Pendidikan",
    "Bantuan Sosial",
    "Kinerja Pegawai",
    "Pengadaan Barang dan Jasa",
    "Kearsipan",
    "Retribusi",
    "Statistik Sektoral",
    "Akuntabilitas Kinerja",
    "Gaji dan Tunjangan",
    "Absensi Pegawai",
    "Penanggulangan Bencana",
    "Tata Ruang",
    "Jalan dan Jembatan",
    "Perhubungan",
    "Lingkungan Hidup",
    "Persampahan",
    "Air Minum",
    "Perumahan Rakyat",
    "Pertanian",
    "Perikanan",
    "Peternakan",
    "Pariwisata",
    "Kebudayaan",
    "Kepemudaan dan Olahraga",
    "Ketenagakerjaan",
    "Koperasi dan UMKM",
    "Perdagangan",
    "Perindustrian",
    "Penanaman Modal",
    "Pemberdayaan Masyarakat Desa",
    "Keluarga Berencana",
    "Perlindungan Anak",
    "Ketertiban Umum",
    "Produk Hukum Daerah",
    "Hubungan Masyarakat",
    "Pengawasan Internal",
    "Puskesmas",
    "Rumah Sakit",
    "Satuan Pendidikan",
    "Beasiswa",
    "Ketahanan Pangan",
    "Perpustakaan",
]
_STREET_WORDS = "Sudirman Ahmad-Yani Diponegoro Gatot-Subroto Sutoyo Ali-Anyang Imam-Bonjol Hasanuddin Pattimura"
STREETS = _STREET_WORDS.split()
TEMPLATES = {
    "aplikasi": ["Sistem Informasi {t}", "Aplikasi {t}", "e-{w}", "SIM {t}", "Portal {t}", "Dashboard {t}"],
    "layanan": ["Layanan {t}", "Layanan Informasi {t}", "Layanan Pengaduan {t}", "Layanan Administrasi {t}"],
    "data": ["Data {t}", "Basis Data {t}", "Daftar {t}", "Rekapitulasi {t}", "Statistik {t}", "Profil {t}"],
    "bisnis": [
        "Pengelolaan {t}",
        "Penyusunan Rencana {t}",
        "Verifikasi {t}",
        "Pelaporan {t}",
        "Monitoring dan Evaluasi {t}",
        "Pelayanan {t}",
    ],
    "keamanan": ["SOP Keamanan {t}", "Pemindaian Kerentanan {t}", "Cadangan Harian {t}", "Kontrol Akses {t}"],
}
TECHNOLOGIES = ["PHP, MySQL", "PHP/Laravel, PostgreSQL", "Java/Spring, Oracle", "Python/Django, PostgreSQL", "Node.js"]

# Share of each domain among elements, as SPBE repositories of regencies tend to look.
DOMAIN_SHARE = {
    "bisnis": 0.22,
    "data": 0.26,
    "layanan": 0.16,
    "aplikasi": 0.18,
    "infrastruktur": 0.12,
    "keamanan": 0.06,
}
FILL_KINDS = {
    "protected_by": 0.24,
    "uses": 0.24,
    "supports": 0.16,
    "integrates_with": 0.1,
    "realizes": 0.1,
    "produces": 0.1,
    "runs_on": 0.03,
    "connected_via": 0.02,
    "archimate": 0.01,
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


def _zipf_pick(rng: random.Random, items: list, cum: list[float]):
    return items[min(bisect_left(cum, rng.random() * cum[-1]), len(items) - 1)]


# --- Plan of one instansi -------------------------------------------------------------------------


@dataclass
class PlannedElement:
    model: str  # typed model name
    domain: str
    owner: int  # OPD id
    name: str
    fields: dict
    role: str = ""  # hub role: pusat_data, jepin, splp, node, server, vm
    performers: list[int] = field(default_factory=list)
    pk: int | None = None


class InstansiPlan:
    """The elements and relationships of one instansi, built before anything is written."""

    def __init__(self, rng: random.Random, opds: list, size: int, domain_name: str, references: dict):
        self.rng = rng
        self.opds = opds  # [(id, short_name)], DISKOMINFO first
        self.size = size
        self.web = domain_name
        self.references = references
        self.elements: list[PlannedElement] = []
        self.opd_cum = _zipf_cum(len(opds), 0.8)

    def owner(self) -> tuple[int, str]:
        return _zipf_pick(self.rng, self.opds, self.opd_cum)

    def common(self, domain: str) -> dict:
        rng = self.rng
        status = rng.choices(["operasi", "pengembangan", "rencana", "dihentikan"], [75, 10, 8, 7])[0]
        tree = {"bisnis": "RAB", "data": "RAD", "layanan": "RAL", "aplikasi": "RAA", "infrastruktur": "RAI"}.get(domain)
        codes = self.references.get(tree) or []
        reference_id = rng.choice(codes) if codes and rng.random() < 0.6 else None
        return {"status": status, "reference_id": reference_id, "published": rng.random() < 0.8}

    def add(self, model: str, domain: str, name: str, fields: dict, owner=None, role="") -> PlannedElement:
        owner_id, _short = owner or self.owner()
        element = PlannedElement(model, domain, owner_id, name[:300], {**self.common(domain), **fields}, role)
        self.elements.append(element)
        return element

    def build(self) -> None:
        rng = self.rng
        counts = {d: max(1, round(self.size * share)) for d, share in DOMAIN_SHARE.items()}
        counts["data"] += self.size - sum(counts.values())
        kominfo = self.opds[0]
        infra = counts["infrastruktur"]
        # The hubs every regency has: one data centre, a connector system, a ring of network nodes.
        self.infra("Pusat Data Elektronik Daerah", "pusat_data", kominfo, role="pusat_data")
        self.infra("Sistem Penghubung Layanan Pemerintah", "sistem_penghubung", kominfo, role="splp")
        nodes = rng.randint(3, 5)
        for street in rng.sample(STREETS, nodes):
            self.infra(f"Simpul Jaringan {street.replace('-', ' ')}", "simpul_jaringan", kominfo, role="node")
        self.infra("Akses Internet Pusat Data", "internet", kominfo, role="internet")
        servers = max(2, infra // 8)
        for n in range(servers):
            self.infra(f"Server Aplikasi {n + 1}", "server", kominfo, role="server")
        for n in range(max(2, infra // 5)):
            self.infra(f"VM {TOPICS[n % len(TOPICS)]}", "vm", kominfo, role="vm")
        remaining = infra - sum(1 for e in self.elements if e.domain == "infrastruktur")
        for _ in range(max(0, remaining)):
            owner = self.owner()
            kind = rng.choices(["lan", "ruang_server", "tautan", "cloud", "lainnya"], [50, 10, 25, 10, 5])[0]
            name = {
                "lan": f"LAN {owner[1]}",
                "ruang_server": f"Ruang Server {owner[1]}",
                "tautan": f"Tautan FO {owner[1]}",
                "cloud": f"Layanan Cloud {owner[1]}",
                "lainnya": f"Perangkat Jaringan {owner[1]}",
            }[kind]
            self.infra(name, kind, owner)

        self.add(
            "Application",
            "aplikasi",
            "JePin",
            self.app_fields(kominfo, "jepin", kind="khusus"),
            owner=kominfo,
            role="jepin",
        )
        for _ in range(counts["aplikasi"] - 1):
            owner = self.owner()
            name = self.name("aplikasi", owner)
            self.add("Application", "aplikasi", name, self.app_fields(owner, _slug(name)[:20]), owner=owner)
        for _ in range(counts["layanan"]):
            owner = self.owner()
            fields = {
                "service_type": rng.choices(["g2c", "g2g", "g2e", "g2b"], [45, 30, 15, 10])[0],
                "url": f"https://layanan.{self.web}/{rng.randint(1, 999)}" if rng.random() < 0.5 else "",
                "channels": rng.choice(["web", "web, mobile", "loket", "web, loket, telepon", "WhatsApp"]),
            }
            self.add("Service", "layanan", self.name("layanan", owner), fields, owner=owner)
        for _ in range(counts["data"]):
            owner = self.owner()
            fields = {
                "producer_id": owner[0],
                "classification": rng.choices(["terbuka", "terbatas", "rahasia", "sangat_rahasia"], [50, 35, 12, 3])[0],
                "data_format": rng.choice(["XLSX", "CSV", "Basis data (API)", "PDF", "JSON (API)"]),
                "update_frequency": rng.choice(["harian", "bulanan", "triwulanan", "tahunan", "tidak_tentu"]),
                "interoperable": rng.random() < 0.3,
            }
            self.add("DataSet", "data", self.name("data", owner), fields, owner=owner)
        for _ in range(counts["bisnis"]):
            owner = self.owner()
            element = self.add(
                "BusinessProcess", "bisnis", self.name("bisnis", owner), {"sector": rng.choice(TOPICS)}, owner=owner
            )
            element.performers = sorted({owner[0], *(self.owner()[0] for _ in range(rng.randint(0, 2)))})
        from simpul.architecture.references import security_objects

        objects = security_objects()
        for _ in range(counts["keamanan"]):
            owner = self.owner()
            self.add(
                "SecurityControl",
                "keamanan",
                self.name("keamanan", owner),
                {"control_kind": rng.choice(objects)},
                owner=owner,
            )

    def infra(self, name: str, kind: str, owner, role: str = "") -> None:
        rng = self.rng
        fields = {
            "kind": kind,
            "location": f"Kantor {owner[1]}" if rng.random() < 0.5 else "",
            "medium": "Fiber optik" if kind in ("tautan", "simpul_jaringan") else "",
            "bandwidth_mbps": rng.choice([100, 200, 500, 1000]) if kind in ("tautan", "internet") else None,
            "approval": "diajukan" if kind == "ruang_server" else "tidak_perlu",
        }
        self.add("InfrastructureComponent", "infrastruktur", name, fields, owner=owner, role=role)

    def app_fields(self, owner, host: str, kind: str | None = None) -> dict:
        rng = self.rng
        hosting = rng.choices(["pusat_data", "ruang_server_opd", "pusat", "pihak_ketiga", "pdn"], [70, 8, 12, 5, 5])[0]
        documented = rng.random() < 0.6
        return {
            "kind": kind or rng.choices(["umum", "khusus"], [60, 40])[0],
            "developer_id": owner[0],
            "url": f"https://{host}.{self.web}" if rng.random() < 0.8 else "",
            "technology": rng.choice(TECHNOLOGIES),
            "version": f"{rng.randint(1, 5)}.{rng.randint(0, 9)}",
            "hosting": hosting,
            "hosting_exception": "diajukan" if hosting in ("ruang_server_opd", "pihak_ketiga") else "tidak_perlu",
            "has_manual": documented,
            "has_source_code": documented and rng.random() < 0.7,
            "has_test_results": documented and rng.random() < 0.5,
            "single_window": False,
        }

    def name(self, domain: str, owner) -> str:
        rng = self.rng
        topic = TOPICS[min(int(rng.expovariate(1 / 12)), len(TOPICS) - 1)]
        template = rng.choice(TEMPLATES[domain])
        name = template.format(t=topic, w=topic.split()[0])
        return f"{name} {owner[1]}" if rng.random() < 0.4 else name

    # --- Relationships --------------------------------------------------------------------------

    def relationships(self, budget: int) -> list[tuple[int, int, str]]:
        """Typed links: hosting and network chains to the hubs first, then Zipf-chosen links to the budget."""
        from simpul.architecture.vocabulary import RELATIONSHIP_TYPES

        rng = self.rng
        by_domain: dict[str, list[PlannedElement]] = {d: [] for d in DOMAIN_SHARE}
        by_role: dict[str, list[PlannedElement]] = {}
        for element in self.elements:
            by_domain[element.domain].append(element)
            if element.role:
                by_role.setdefault(element.role, []).append(element)
        for elements in by_domain.values():
            rng.shuffle(elements)  # hubs of a domain are then a random few, not always the first planned
        for role in ("pusat_data", "splp", "jepin"):
            for hub in by_role[role]:
                domain_list = by_domain[hub.domain]
                domain_list.remove(hub)
                domain_list.insert(0, hub)
        cums = {d: _zipf_cum(len(items)) for d, items in by_domain.items()}
        links: dict[tuple[int, int, str], None] = {}

        def link(source: PlannedElement, target: PlannedElement, kind: str) -> None:
            if source is target:
                return
            assert RELATIONSHIP_TYPES[kind].allows(source.domain, target.domain), (kind, source.domain, target.domain)
            links.setdefault((source.pk, target.pk, kind), None)

        def pick(domain: str) -> PlannedElement:
            return _zipf_pick(rng, by_domain[domain], cums[domain])

        pusat_data, splp, jepin = by_role["pusat_data"][0], by_role["splp"][0], by_role["jepin"][0]
        nodes, servers, vms = by_role["node"], by_role["server"], by_role["vm"]
        # Network: a ring of nodes (a cycle), the data centre and other infrastructure hang on nodes.
        for a, b in itertools.pairwise([*nodes, nodes[0]]):
            link(a, b, "connected_via")
        link(pusat_data, nodes[0], "connected_via")
        link(pusat_data, by_role["internet"][0], "connected_via")
        for server in servers:
            link(server, pusat_data, "runs_on")
        for vm in vms:
            link(vm, rng.choice(servers), "runs_on")
        link(splp, servers[-1], "runs_on")
        for element in by_domain["infrastruktur"]:
            if not element.role:
                link(element, rng.choice(nodes), "connected_via")
        hosts = vms + servers
        host_cum = _zipf_cum(len(hosts), 0.7)
        # Applications: hosted, many integrated into JePin (a few both ways: cycles), some via the SPLP.
        for app in by_domain["aplikasi"]:
            if app is jepin:
                link(app, vms[0], "runs_on")
                continue
            link(app, _zipf_pick(rng, hosts, host_cum), "runs_on")
            if rng.random() < 0.4:
                link(app, jepin, "integrates_with")
                if rng.random() < 0.05:
                    link(jepin, app, "integrates_with")
                    app.fields["single_window"] = True
            if rng.random() < 0.2:
                link(app, splp, "runs_on")
        for service in by_domain["layanan"]:
            for _ in range(rng.randint(1, 2)):
                link(pick("aplikasi"), service, "realizes")
        for data in by_domain["data"]:
            producer = pick("aplikasi") if rng.random() < 0.7 else pick("bisnis")
            link(producer, data, "produces")
            for _ in range(rng.randint(1, 2)):
                user_domain = rng.choices(["aplikasi", "layanan", "bisnis"], [50, 20, 30])[0]
                link(pick(user_domain), data, "uses")
        for process in by_domain["bisnis"]:
            link(pick(rng.choice(["aplikasi", "layanan"])), process, "supports")
        for control in by_domain["keamanan"]:
            link(pick(rng.choice(["aplikasi", "infrastruktur", "data"])), control, "protected_by")

        structural = list(links)
        if len(structural) > budget:
            return structural[:budget]
        kinds, weights = list(FILL_KINDS), list(FILL_KINDS.values())
        attempts = 0
        while len(links) < budget and attempts < budget * 20:
            attempts += 1
            kind = rng.choices(kinds, weights)[0]
            rule = RELATIONSHIP_TYPES[kind]
            sources = [d for d in DOMAIN_SHARE if d in rule.sources and by_domain[d]]
            targets = [d for d in DOMAIN_SHARE if d in rule.targets and by_domain[d]]
            link(pick(rng.choice(sources)), pick(rng.choice(targets)), kind)
        return list(links)


# --- Writing --------------------------------------------------------------------------------------


def insert_elements(planned: list[PlannedElement], batch_size: int) -> None:
    """Parents with bulk_create, then each typed table's rows with their parent pointers.

    Django's bulk_create refuses multi-table-inherited models, so the child rows are written the way
    Model.save() writes them: one INSERT of the child's local columns (the parent pointer and the typed
    fields) through the model's base manager.
    """
    from django.db import connection

    from simpul.architecture import models

    parents = []
    for item in planned:
        model = getattr(models, item.model)
        element = models.Element(
            domain=item.domain,
            archimate_type=model(**_typed_only(model, item.fields)).default_archimate_type_for(),
            owner_id=item.owner,
            name=item.name,
            code=item.fields.get("code", ""),
            description=f"{item.name}: dikelola oleh OPD pemilik (data sintetis untuk uji beban).",
            status=item.fields["status"],
            reference_id=item.fields["reference_id"],
            published=item.fields["published"],
        )
        parents.append(element)
    for start in range(0, len(parents), batch_size):
        models.Element.objects.bulk_create(parents[start : start + batch_size])
    for item, element in zip(planned, parents, strict=True):
        item.pk = element.pk
    by_model: dict[str, list] = {}
    for item in planned:
        model = getattr(models, item.model)
        child = model(element_ptr_id=item.pk, **_typed_only(model, item.fields))
        by_model.setdefault(item.model, []).append(child)
    for name, children in by_model.items():
        model = getattr(models, name)
        fields = model._meta.local_concrete_fields
        for start in range(0, len(children), batch_size):
            model._base_manager._insert(children[start : start + batch_size], fields=fields, using=connection.alias)
    through = models.BusinessProcess.performers.through
    rows = [
        through(businessprocess_id=item.pk, perangkatdaerah_id=opd_id) for item in planned for opd_id in item.performers
    ]
    through.objects.bulk_create(rows, batch_size=batch_size)


def _typed_only(model, values: dict) -> dict:
    local = {f.attname for f in model._meta.local_concrete_fields}
    return {k: v for k, v in values.items() if k in local}


def create_organisations(rng: random.Random, count: int, batch_size: int):
    from simpul.organizations.models import Instansi, PerangkatDaerah

    combos = [(place, quarter) for place in PLACES for quarter in QUARTERS]
    rng.shuffle(combos)
    instansi = []
    for n, (place, quarter) in enumerate(combos[:count]):
        kind = "kota" if n % 5 == 0 else "kabupaten"
        name = f"{'Kota' if kind == 'kota' else 'Kabupaten'} {place} {quarter}".strip()
        slug = _slug(name.removeprefix("Kabupaten ").removeprefix("Kota ") + ("-kota" if kind == "kota" else ""))
        instansi.append(
            Instansi(
                kind=kind,
                name=f"Pemerintah {name}",
                slug=slug,
                region_code=f"{11 + n // 99:02d}.{1 + n % 99:02d}",
                official_domain=f"{slug.replace('-', '')}{'kota' if kind == 'kota' else 'kab'}.go.id",
            )
        )
    if len(instansi) < count:
        sys.exit(f"At most {len(combos)} instansi can be named.")
    Instansi.objects.bulk_create(instansi, batch_size=batch_size)
    opds = []
    for inst in instansi:
        chosen = OPDS[:CORE_OPDS] + rng.sample(OPDS[CORE_OPDS:], rng.randint(20, 40) - CORE_OPDS)
        opds += [PerangkatDaerah(instansi=inst, short_name=s, name=n, kind=k) for s, n, k in chosen]
    PerangkatDaerah.objects.bulk_create(opds, batch_size=batch_size)
    by_instansi: dict[int, list[tuple[int, str]]] = {}
    for opd in opds:
        by_instansi.setdefault(opd.instansi_id, []).append((opd.pk, opd.short_name))
    return instansi, by_instansi


def create_users(instansi, opds_by_instansi) -> dict[str, str]:
    """A superuser, an Admin SPBE of the first instansi and an operator of its DISKOMINFO."""
    from simpul.organizations.models import RoleAssignment, User

    first = instansi[0]
    kominfo_id = opds_by_instansi[first.pk][0][0]
    User.objects.create_superuser("bench-superuser", "superuser@bench.invalid", None)
    admin = User.objects.create_user("bench-admin", "admin@bench.invalid", None, instansi=first)
    operator = User.objects.create_user(
        "bench-operator", "operator@bench.invalid", None, instansi=first, opd_id=kominfo_id
    )
    RoleAssignment.objects.create(user=admin, role="admin_spbe", instansi=first)
    RoleAssignment.objects.create(user=operator, role="operator_opd", instansi=first, opd_id=kominfo_id)
    return {"superuser": "bench-superuser", "admin": "bench-admin", "operator": "bench-operator"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instansi", type=int, default=500)
    parser.add_argument("--elements", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    if args.elements < args.instansi * 40:
        sys.exit("Give at least 40 elements per instansi (hubs and every domain need room).")
    if not 0 < args.instansi <= 1000 or args.elements > 1_000_000 or args.relationships > 5_000_000:
        sys.exit("Sizes are bounded: at most 1000 instansi, 1M elements, 5M relationships.")

    setup_django()
    from django.db import connection, transaction

    from simpul.architecture.models import Element, ReferenceCode, Relationship
    from simpul.organizations.models import Instansi

    if Instansi.objects.exists() or Element.objects.exists():
        sys.exit("The database already holds data; generate into a freshly migrated database.")
    rng = random.Random(args.seed)
    started = time.perf_counter()
    references: dict[str, list[int]] = {}
    for pk, tree in ReferenceCode.objects.values_list("pk", "tree"):
        references.setdefault(tree, []).append(pk)

    with transaction.atomic():
        instansi, opds_by_instansi = create_organisations(rng, args.instansi, args.batch_size)
        users = create_users(instansi, opds_by_instansi)
    print(f"{len(instansi)} instansi, {sum(map(len, opds_by_instansi.values()))} OPDs ({_elapsed(started)})")

    # Instansi differ in size (a province records more than a small regency): log-normal shares.
    weights = [rng.lognormvariate(0, 0.5) for _ in instansi]
    total = sum(weights)
    sizes = [max(40, round(args.elements * w / total)) for w in weights]
    # The users belong to the first instansi: make it the largest, the hardest case for scoped pages.
    largest = sizes.index(max(sizes))
    sizes[0], sizes[largest] = sizes[largest], sizes[0]
    sizes[0] += args.elements - sum(sizes)  # and let it absorb the rounding
    if sizes[0] < 40:
        sys.exit("Element count too small for the instansi count.")
    budgets = [round(args.relationships * s / args.elements) for s in sizes]
    budgets[0] += args.relationships - sum(budgets)

    written_elements = written_links = 0
    chunk: list[InstansiPlan] = []
    chunk_budgets: list[int] = []

    def flush() -> None:
        nonlocal written_elements, written_links
        with transaction.atomic():
            planned = [element for plan in chunk for element in plan.elements]
            insert_elements(planned, args.batch_size)
            relations = []
            for plan, budget in zip(chunk, chunk_budgets, strict=True):
                for source_id, target_id, kind in plan.relationships(budget):
                    relations.append(Relationship(source_id=source_id, target_id=target_id, kind=kind))
            Relationship.objects.bulk_create(relations, batch_size=args.batch_size)
            # single_window is decided while linking, after the typed rows were written.
            jepin_ids = [e.pk for e in planned if e.model == "Application" and e.fields.get("single_window")]
            from simpul.architecture.models import Application

            Application.objects.filter(pk__in=jepin_ids).update(single_window=True)
        written_elements += len(planned)
        written_links += len(relations)
        print(f"  {written_elements} elements, {written_links} relationships ({_elapsed(started)})", flush=True)
        chunk.clear()
        chunk_budgets.clear()

    for inst, size, budget in zip(instansi, sizes, budgets, strict=True):
        plan = InstansiPlan(rng, opds_by_instansi[inst.pk], size, inst.official_domain, references)
        plan.build()
        chunk.append(plan)
        chunk_budgets.append(budget)
        if sum(p.size for p in chunk) >= 10_000:
            flush()
    if chunk:
        flush()

    with connection.cursor() as cursor:
        # Fresh planner statistics and a visibility map (index-only scans need it), as autovacuum
        # would produce them soon after a real load. VACUUM cannot run inside a transaction.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"Done: {Instansi.objects.count()} instansi, {Element.objects.count()} elements, "
        f"{Relationship.objects.count()} relationships in {_elapsed(started)}. Users: {', '.join(users.values())}"
    )


def _elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


if __name__ == "__main__":
    main()
