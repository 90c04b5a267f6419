"""factory-boy factories for organisations, users and their roles; every app's tests use them."""

import factory

from simpul.organizations.choices import InstansiKind, OpdKind
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User

TEST_PASSWORD = "Sandi-Uji-Panjang-2026"


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi

    kind = InstansiKind.KABUPATEN
    name = factory.Sequence(lambda n: f"Pemerintah Kabupaten Uji {n}")
    slug = factory.Sequence(lambda n: f"uji-{n}")
    region_code = "18.07"
    official_domain = factory.Sequence(lambda n: f"uji{n}kab.go.id")


class PerangkatDaerahFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerangkatDaerah

    instansi = factory.SubFactory(InstansiFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DINAS{n}")
    kind = OpdKind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "admin_spbe"
    instansi = factory.SubFactory(InstansiFactory)
    opd = None


def user_with_role(role: str, instansi: Instansi, opd: PerangkatDaerah | None = None, **fields) -> User:
    """A user holding `role` for `opd` (when given) or the whole `instansi`."""
    user = UserFactory(instansi=instansi, opd=opd, **fields)
    RoleAssignment.objects.create(user=user, role=role, instansi=instansi, opd=opd)
    return user
