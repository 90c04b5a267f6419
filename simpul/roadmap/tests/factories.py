"""A small roadmap for the roadmap's tests: in instansi A of the `world`, current, one initiative, and an
output per OPD (A1, A2) running 2023–2026, written through the services as the Admin SPBE."""

from dataclasses import dataclass

from simpul.core import services as core_services
from simpul.roadmap import versions
from simpul.roadmap.choices import Area
from simpul.roadmap.models import Initiative, Output, Roadmap


@dataclass
class SmallRoadmap:
    roadmap: Roadmap
    initiative: Initiative
    a1: Output
    a2: Output


def make_roadmap(world, *, label: str = "2023", start: int = 2023, end: int = 2026) -> SmallRoadmap:
    admin = world.admin_a
    roadmap = core_services.create_object(
        admin, Roadmap(instansi=world.inst_a, name="Peta Rencana SPBE", version_label=label, valid_from=start)
    )
    roadmap = versions.set_current(admin, roadmap)
    initiative = core_services.create_object(
        admin, Initiative(roadmap=roadmap, area=Area.ICT, number=1, name="Penyediaan Jaringan Intra")
    )
    outputs = [
        core_services.create_object(
            admin,
            Output(
                initiative=initiative,
                number=number,
                name=f"Jaringan Simpul {opd.short_name}",
                start_year=start,
                end_year=end,
                responsible_opd=opd,
            ),
        )
        for number, opd in enumerate((world.a1, world.a2), start=1)
    ]
    return SmallRoadmap(roadmap, initiative, *outputs)
