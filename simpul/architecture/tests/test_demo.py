"""The demo architecture: what the master plan (Bab IV, 4.2.3–4.2.4) names exists with the owner the
text gives, and running `simpul demo` twice changes nothing.

The expected lists are written from the master plan's text, not read from simpul/architecture/demo.py.
"""

import pytest
from django.core.management import call_command

from simpul.architecture.models import (
    Application,
    BusinessProcess,
    Element,
    InfrastructureComponent,
    Relationship,
    Service,
)
from simpul.core.models import AuditEntry

# 4.2.3.1 and 4.2.3.2: the application, and the OPD that develops and manages it.
APPLICATIONS = {
    "e-Office": "DISKOMINFO",
    "SIMPEG": "BKPSDM",
    "SIPP": "BAPPEDA",
    "JePin": "DISKOMINFO",
    "SIMAKDA": "BKD",
    "SIMA": "BKD",
    "SIMBADA": "BKD",
    "e-SAKIP": "BAG. ORGANISASI",
    "e-Performance": "BAG. ORGANISASI",
    "e-Progress": "BAG. PEREKONOMIAN",
    "e-LPPD": "DISKOMINFO",
    "SIMEKBANG": "BAPPEDA",
    "LPSE": "BPBJ",
    "SI-UKPBJ": "BPBJ",
    "SP4N-LAPOR!": "DISKOMINFO",
    "JDIH": "BAG. HUKUM",
    "WBS-Ponti": "INSPEKTORAT",
    "SI-PPID": "DISKOMINFO",
    "Satu Data Lampung Timur": "DISKOMINFO",
    "SIM-TARU": "DINAS PUPR",
    "DPMTK-Android": "DPMPTSP",
    "e-Pemerintahan": "DISKOMINFO",
}
# "terintegrasi dalam aplikasi JePin" in the text.
INTEGRATED_INTO_JEPIN = {
    "SIPP",
    "SIMA",
    "SIMBADA",
    "SP4N-LAPOR!",
    "JDIH",
    "WBS-Ponti",
    "SI-PPID",
    "Satu Data Lampung Timur",
}
# The services of 4.2.3.1 and 4.2.3.2, their owner, and the applications the text names for each.
SERVICES = {
    "Layanan Naskah Dinas Elektronik": ("DISKOMINFO", {"e-Office"}),
    "Layanan Manajemen Kepegawaian": ("BKPSDM", {"SIMPEG"}),
    "Layanan Manajemen Perencanaan": ("BAPPEDA", {"SIPP"}),
    "Layanan Manajemen Penganggaran": ("BKD", {"SIMAKDA"}),
    "Layanan Manajemen Keuangan": ("BKD", {"SIMAKDA"}),
    "Layanan Manajemen Aset": ("BKD", {"SIMA"}),
    "Layanan Manajemen Barang Milik Daerah": ("BKD", {"SIMBADA"}),
    "Layanan Manajemen Kinerja": (
        "BAG. ORGANISASI",
        {"e-SAKIP", "e-Performance", "e-Progress", "e-LPPD", "SIMEKBANG"},
    ),
    "Layanan Pengadaan Barang/Jasa": ("BPBJ", {"LPSE", "SI-UKPBJ"}),
    "Layanan Pengaduan Publik": ("DISKOMINFO", {"SP4N-LAPOR!"}),
    "Layanan Call Center (0561) 818 1771": ("DISKOMINFO", set()),  # a telephone line, no application
    "Layanan Dokumentasi dan Informasi Hukum": ("BAG. HUKUM", {"JDIH"}),
    "Layanan Whistle Blowing System": ("INSPEKTORAT", {"WBS-Ponti"}),
    "Layanan Data dan Informasi Publik": ("DISKOMINFO", {"SI-PPID", "Satu Data Lampung Timur"}),
    "Layanan Informasi Tata Ruang dan Bangunan Gedung": ("DINAS PUPR", {"SIM-TARU"}),
    "Layanan Perizinan Berbasis Elektronik": ("DPMPTSP", {"DPMTK-Android"}),
    "Layanan Administrasi Kecamatan dan Kelurahan": ("DISKOMINFO", {"e-Pemerintahan"}),
}
# 4.2.2, 4.2.4 and table 4.3: DISKOMINFO builds and runs the shared infrastructure.
INFRASTRUCTURE = {
    "Pusat Data Elektronik Daerah": ("DISKOMINFO", "pusat_data"),
    "PONTIVE CENTER (Command Center)": ("DISKOMINFO", "lainnya"),
    "Simpul Jaringan DISKOMINFO": ("DISKOMINFO", "simpul_jaringan"),
    "Simpul Jaringan Ali Anyang": ("DISKOMINFO", "simpul_jaringan"),
    "Simpul Jaringan Sutoyo": ("DISKOMINFO", "simpul_jaringan"),
    "Sistem Penghubung Layanan Pemerintah (Interoperabilitas)": ("DISKOMINFO", "sistem_penghubung"),
    "Cloud Service DISKOMINFO": ("DISKOMINFO", "cloud"),
}


@pytest.fixture
def run_demo(demo_once, db, monkeypatch):
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", "Sandi-Demo-Uji-2026")

    def run():
        call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    return run


def counts() -> dict[str, int]:
    return {
        "elements": Element.objects.count(),
        "relationships": Relationship.objects.count(),
        "audit": AuditEntry.objects.count(),
        "performers": BusinessProcess.performers.through.objects.count(),
    }


def test_running_the_demo_twice_changes_nothing(run_demo):
    run_demo()
    first = counts()
    assert first["elements"] > 0 and first["relationships"] > 0
    run_demo()
    assert counts() == first


def test_every_application_of_the_master_plan_exists_with_its_owner(demo_once, db):
    owners = dict(
        Application.objects.filter(owner__instansi__slug="lampung-timur").values_list("name", "owner__short_name")
    )
    for name, owner in APPLICATIONS.items():
        assert owners.get(name) == owner, name
    developers = dict(Application.objects.values_list("name", "developer__short_name"))
    assert all(developers[name] == owner for name, owner in APPLICATIONS.items())


def test_the_jepin_integrations_of_the_text(demo_once, db):
    integrated = set(
        Relationship.objects.filter(kind="integrates_with", target__name="JePin").values_list("source__name", flat=True)
    )
    assert integrated == INTEGRATED_INTO_JEPIN
    assert set(Application.objects.filter(single_window=True).values_list("name", flat=True)) == INTEGRATED_INTO_JEPIN


def test_every_service_exists_with_its_owner_and_applications(demo_once, db):
    for name, (owner, applications) in SERVICES.items():
        service = Service.objects.get(name=name)
        assert service.owner.short_name == owner, name
        realised_by = set(
            Relationship.objects.filter(kind="realizes", target=service).values_list("source__name", flat=True)
        )
        assert realised_by == applications, name


def test_the_shared_infrastructure_belongs_to_diskominfo(demo_once, db):
    for name, (owner, kind) in INFRASTRUCTURE.items():
        component = InfrastructureComponent.objects.get(name=name)
        assert (component.owner.short_name, component.kind) == (owner, kind), name


def test_the_demo_is_published_and_every_link_fits_the_vocabulary(demo_once, db):
    assert not Element.objects.filter(published=False).exists()
    for relationship in Relationship.objects.select_related("source__owner", "target__owner"):
        relationship.full_clean()


# 4.2.3.2 items 3, 5 and 7 write these addresses on "…kota.go.id" although 4.2.5.3 names the official
# domain "Kabupaten Lampung Timur.go.id" and Lampung Timur is a kabupaten: the plan's own slips.
PLAN_SLIPS = {
    "JDIH": ("https://jdih.KabupatenLampungTimurkota.go.id/", "https://jdih.lampungtimurkab.go.id"),
    "Satu Data Lampung Timur": (
        "https://data.KabupatenLampungTimurkota.go.id/",
        "https://data.lampungtimurkab.go.id",
    ),
    "DPMTK-Android": ("http://dpmktsp.KabupatenLampungTimurkota.go.id/", "http://dpmktsp.lampungtimurkab.go.id"),
}
SLIP_PROPERTY = "Alamat menurut Rencana Induk (salah tulis domain)"


def test_every_address_of_the_demo_is_on_the_official_domain(demo_once, db):
    from simpul.architecture.compliance import is_within_domain

    applications = Application.objects.filter(owner__instansi__slug="lampung-timur").exclude(url="")
    outside = {
        app.name: app.url
        for app in applications.select_related("owner__instansi")
        if not is_within_domain(app.url, app.owner.instansi.official_domain) and app.hosting != "pusat"
    }
    assert outside == {}
    assert not applications.filter(url__icontains="kota").exists()


def test_the_plans_slipped_addresses_are_kept_and_marked_on_their_applications(demo_once, db, client):
    from django.contrib.auth import get_user_model

    for name, (written, recorded) in PLAN_SLIPS.items():
        application = Application.objects.get(name=name)
        assert application.url == recorded
        assert application.properties == {SLIP_PROPERTY: written}
    # No other application carries the note: the text writes them on the official domain.
    marked = {app.name for app in Application.objects.all() if SLIP_PROPERTY in app.properties}
    assert marked == set(PLAN_SLIPS)
    # The element's page shows it.
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get(Application.objects.get(name="DPMTK-Android").get_absolute_url()).content.decode()
    assert SLIP_PROPERTY in page and "http://dpmktsp.KabupatenLampungTimurkota.go.id/" in page


def test_no_two_applications_share_a_description(demo_once, db):
    # The note about the plan's slips is not written into descriptions: the duplicate rule of compliance
    # compares them, and a shared sentence would make unrelated applications look alike.
    descriptions = list(Application.objects.exclude(description="").values_list("description", flat=True))
    assert len(descriptions) == len(set(descriptions))
    assert not Application.objects.filter(description__icontains="Rencana Induk").exists()
