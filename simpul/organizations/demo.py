"""Demo data: Pemerintah Kabupaten Lampung Timur with the OPDs its SPBE master plan names, and one
user per role. Idempotent: records are found by their natural keys and left alone when present."""

from dataclasses import dataclass

from simpul.organizations.choices import InstansiKind, OpdKind
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User

INSTANSI = {
    "slug": "lampung-timur",
    "name": "Pemerintah Kabupaten Lampung Timur",
    "kind": InstansiKind.KABUPATEN,
    "region_code": "18.07",
    "official_domain": "lampungtimurkab.go.id",
    "address": "Jl. Buay Subing, Sukadana, Lampung Timur, Lampung",
}

# (short name, name, kind, parent short name). The master plan (Bab IV) names each of these as the
# developer, manager or user of an SPBE application or as a member of the SPBE teams.
OPDS = [
    ("SETDA", "Sekretariat Daerah", OpdKind.SEKRETARIAT, None),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", OpdKind.DINAS, None),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", OpdKind.BADAN, None),
    ("BKD", "Badan Keuangan Daerah", OpdKind.BADAN, None),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", OpdKind.BADAN, None),
    ("INSPEKTORAT", "Inspektorat Daerah", OpdKind.INSPEKTORAT, None),
    ("DINAS PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", OpdKind.DINAS, None),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", OpdKind.DINAS, None),
    ("BAG. HUKUM", "Bagian Hukum", OpdKind.BAGIAN, "SETDA"),
    ("BAG. ORGANISASI", "Bagian Organisasi", OpdKind.BAGIAN, "SETDA"),
    ("BAG. PEREKONOMIAN", "Bagian Perekonomian dan Pembangunan", OpdKind.BAGIAN, "SETDA"),
    ("BAG. TAPEM", "Bagian Tata Pemerintahan", OpdKind.BAGIAN, "SETDA"),
    ("BPBJ", "Bagian Pengadaan Barang dan Jasa", OpdKind.BAGIAN, "SETDA"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    opd: str | None
    role: str
    scope_opd: str | None = None


DEMO_USERS = [
    DemoUser("admin", "Admin SPBE Diskominfo", "Pranata Komputer Ahli Muda", "DISKOMINFO", "admin_spbe"),
    DemoUser("koordinator", "Sekretaris Daerah", "Ketua Tim Koordinasi SPBE", "SETDA", "koordinator"),
    DemoUser(
        "evaluator",
        "Penanggung Jawab Evaluasi",
        "Penanggung Jawab Tim Evaluator Internal",
        "DISKOMINFO",
        "evaluator_pj",
    ),
    DemoUser(
        "evaluator-pengumpul",
        "Anggota Pengumpul Data",
        "Tim Evaluator Internal",
        "BAG. ORGANISASI",
        "evaluator_pengumpul",
    ),
    DemoUser(
        "evaluator-analis",
        "Anggota Penganalisis Data",
        "Tim Evaluator Internal",
        "BAPPEDA",
        "evaluator_analis",
    ),
    DemoUser(
        "evaluator-operator",
        "Operator Entri Data",
        "Tim Evaluator Internal",
        "DISKOMINFO",
        "evaluator_operator",
    ),
    DemoUser(
        "operator-diskominfo",
        "Operator Diskominfo",
        "Operator SPBE",
        "DISKOMINFO",
        "operator_opd",
        "DISKOMINFO",
    ),
    DemoUser("operator-bappeda", "Operator Bappeda", "Operator SPBE", "BAPPEDA", "operator_opd", "BAPPEDA"),
    DemoUser("operator-bkd", "Operator BKD", "Operator SPBE", "BKD", "operator_opd", "BKD"),
    DemoUser("pimpinan", "Bupati Lampung Timur", "Bupati", "SETDA", "pimpinan"),
    DemoUser("auditor", "Auditor TIK", "Auditor Inspektorat", "INSPEKTORAT", "auditor"),
    DemoUser("asn", "Aparatur Sipil Negara", "Pelaksana", "BKPSDM", "asn", "BKPSDM"),
]


def load(context) -> None:
    """Create the instansi, its OPDs and the demo users; `context.password` is set for new users only."""
    instansi = Instansi.objects.filter(slug=INSTANSI["slug"]).first()
    if instansi is None:
        instansi = Instansi.objects.create(**INSTANSI)
    context.instansi = instansi
    by_short_name = {}
    for short_name, name, kind, parent in OPDS:
        opd = PerangkatDaerah.objects.filter(instansi=instansi, short_name=short_name).first()
        if opd is None:
            opd = PerangkatDaerah.objects.create(
                instansi=instansi,
                short_name=short_name,
                name=name,
                kind=kind,
                parent=by_short_name.get(parent),
            )
        by_short_name[short_name] = opd
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = User(
                username=demo.username,
                full_name=demo.full_name,
                position=demo.position,
                instansi=instansi,
                opd=by_short_name.get(demo.opd),
                email=f"{demo.username}@{instansi.official_domain}",
            )
            user.set_password(context.password)
            user.save()
            context.created_users.append(demo.username)
        scope_opd = by_short_name.get(demo.scope_opd) if demo.scope_opd else None
        if not RoleAssignment.objects.filter(user=user, role=demo.role, instansi=instansi, opd=scope_opd).exists():
            RoleAssignment.objects.create(user=user, role=demo.role, instansi=instansi, opd=scope_opd)
