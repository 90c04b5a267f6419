"""factory-boy factories for architecture elements and relationships."""

import factory

from simpul.architecture import models
from simpul.organizations.tests.factories import PerangkatDaerahFactory


class _ElementFactory(factory.django.DjangoModelFactory):
    owner = factory.SubFactory(PerangkatDaerahFactory)
    name = factory.Sequence(lambda n: f"Elemen {n}")
    published = True


class ElementFactory(_ElementFactory):
    class Meta:
        model = models.Element

    archimate_type = "Artifact"


class BusinessProcessFactory(_ElementFactory):
    class Meta:
        model = models.BusinessProcess

    name = factory.Sequence(lambda n: f"Proses {n}")


class DataSetFactory(_ElementFactory):
    class Meta:
        model = models.DataSet

    name = factory.Sequence(lambda n: f"Data {n}")
    classification = "terbatas"


class ServiceFactory(_ElementFactory):
    class Meta:
        model = models.Service

    name = factory.Sequence(lambda n: f"Layanan {n}")
    service_type = "g2c"


class ApplicationFactory(_ElementFactory):
    class Meta:
        model = models.Application

    name = factory.Sequence(lambda n: f"Aplikasi {n}")
    kind = "umum"


class InfrastructureFactory(_ElementFactory):
    class Meta:
        model = models.InfrastructureComponent

    name = factory.Sequence(lambda n: f"Infrastruktur {n}")
    kind = "server"


class SecurityControlFactory(_ElementFactory):
    class Meta:
        model = models.SecurityControl

    name = factory.Sequence(lambda n: f"Kontrol {n}")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Relationship

    kind = "archimate"
    source = factory.SubFactory(ElementFactory)
    target = factory.SubFactory(ElementFactory, owner=factory.SelfAttribute("..source.owner"))


def link(source, kind, target) -> models.Relationship:
    """A validated relationship, saved."""
    relationship = models.Relationship(source=source, kind=kind, target=target)
    relationship.full_clean()
    relationship.save()
    return relationship


# One factory per SPBE domain, so tests can build an element of any domain by its code.
BY_DOMAIN = {
    "bisnis": BusinessProcessFactory,
    "data": DataSetFactory,
    "layanan": ServiceFactory,
    "aplikasi": ApplicationFactory,
    "infrastruktur": InfrastructureFactory,
    "keamanan": SecurityControlFactory,
    "lainnya": ElementFactory,
}
