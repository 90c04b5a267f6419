"""The roadmap's records for the generated permission matrix: a current roadmap in each instansi with one
initiative, and per OPD (A1, A2, B1) an output with a budget, an accepted report of 2023 and a draft of
2024, each with a file as evidence; so every model has records inside and outside each scope, and the
accepted reports (shared with the instansi's other OPDs) beside drafts (their OPD's own)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.core import services as core_services
from simpul.roadmap import services, versions
from simpul.roadmap.choices import Area
from simpul.roadmap.models import Initiative, Output, OutputBudget, Roadmap

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def create_samples(world) -> None:
    for instansi, admin, opds in (
        (world.inst_a, world.admin_a, (world.a1, world.a2)),
        (world.inst_b, world.admin_b, (world.b1,)),
    ):
        roadmap = core_services.create_object(
            admin, Roadmap(instansi=instansi, name="Peta Rencana SPBE", version_label="2023", valid_from=2023)
        )
        versions.set_current(admin, roadmap)
        initiative = core_services.create_object(
            admin, Initiative(roadmap=roadmap, area=Area.ICT, number=1, name="Penyediaan Jaringan Intra")
        )
        for number, opd in enumerate(opds, start=1):
            output = core_services.create_object(
                admin,
                Output(
                    initiative=initiative,
                    number=number,
                    name=f"Jaringan Simpul {opd.short_name}",
                    start_year=2023,
                    end_year=2026,
                    responsible_opd=opd,
                ),
            )
            core_services.create_object(admin, OutputBudget(output=output, year=2024, planned=250_000_000))
            accepted = services.file_report(admin, output, 2023, 30, f"Simpul {opd.short_name} dirancang.")
            services.add_file(admin, accepted, SimpleUploadedFile(f"bast-{opd.short_name}.pdf", PDF), "BAST")
            services.submit_report(admin, accepted)
            services.review_report(admin, accepted, accept=True)
            draft = services.file_report(admin, output, 2024, 55, f"Simpul {opd.short_name} dibangun.")
            services.add_file(admin, draft, SimpleUploadedFile(f"foto-{opd.short_name}.pdf", PDF), "Foto")
