"""The throwaway module's records for the generated permission matrix: a note per OPD."""

from simpul.core.tests.throwaway.models import Note


def create_samples(world) -> None:
    for opd in (world.a1, world.a2, world.b1):
        Note.objects.create(owner=opd, title=f"Catatan {opd.short_name}")
