"""The architecture's records for the generated permission matrix: per OPD (A1, A2, B1) a published and
a draft element of every kind, links between them, a publication request with an attachment, corrections
proposed by A1 and A2 of each other's elements (with a file), and the national reference codes the
migrations load."""

from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.architecture import services
from simpul.architecture.models import Element
from simpul.architecture.tests.factories import BY_DOMAIN, link

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def create_samples(world) -> None:
    operators = {world.a1: world.operator_a1, world.a2: world.operator_a2, world.b1: world.operator_b1}
    for opd, operator in operators.items():
        published = {}
        for domain, factory in BY_DOMAIN.items():
            published[domain] = factory(owner=opd, name=f"{domain} {opd.short_name} terbit", published=True)
            factory(owner=opd, name=f"{domain} {opd.short_name} draf", published=False)
        # A published link, and one into a draft (hidden from other OPDs with the draft).
        link(published["aplikasi"], "runs_on", published["infrastruktur"])
        link(published["aplikasi"], "realizes", BY_DOMAIN["layanan"](owner=opd, published=False))
        draft = BY_DOMAIN["aplikasi"](owner=opd, name=f"Aplikasi {opd.short_name} diajukan", published=False)
        proposal = services.request_publication(operator, draft)
        services.add_attachment(operator, proposal, SimpleUploadedFile("bast.pdf", PDF), title="BAST")
    # Corrections between the OPDs of one instansi: each lives in the owner's scope and is read by the other.
    for proposer, owner in ((world.operator_a2, world.a1), (world.operator_a1, world.a2)):
        element = Element.objects.get(owner=owner, name=f"aplikasi {owner.short_name} terbit")
        correction = services.propose_correction(
            proposer, element, {"name": f"aplikasi {owner.short_name} dikoreksi"}, "Nama salah ketik"
        )
        services.add_attachment(proposer, correction, SimpleUploadedFile("nota.pdf", PDF), title="Nota dinas")


def refused_beyond_grants(actor, what: str, obj, place) -> bool:
    """A published element is the instansi's shared map: whoever may not review it proposes changes
    (the edit page turns into a proposal) and may not delete it or change it through the API."""
    if what == "edit" or not isinstance(obj, Element) or not obj.published:
        return False
    return not actor.may("review", type(obj), place)
