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


def make_world():
    """Two instansi (A, B); A has OPDs a1, a2; B has b1; a user of each role (the `world` fixture)."""

    class World:
        pass

    w = World()
    w.inst_a = InstansiFactory(slug="inst-a", name="Pemerintah Kabupaten A", official_domain="akab.go.id")
    w.inst_b = InstansiFactory(slug="inst-b", name="Pemerintah Kabupaten B", official_domain="bkab.go.id")
    w.a1 = PerangkatDaerahFactory(instansi=w.inst_a, short_name="A1", name="Dinas A Satu")
    w.a2 = PerangkatDaerahFactory(instansi=w.inst_a, short_name="A2", name="Dinas A Dua")
    w.b1 = PerangkatDaerahFactory(instansi=w.inst_b, short_name="B1", name="Dinas B Satu")
    w.admin_a = user_with_role("admin_spbe", w.inst_a, username="admin-a", opd=None)
    w.admin_b = user_with_role("admin_spbe", w.inst_b, username="admin-b", opd=None)
    w.operator_a1 = user_with_role("operator_opd", w.inst_a, w.a1, username="operator-a1")
    w.operator_a2 = user_with_role("operator_opd", w.inst_a, w.a2, username="operator-a2")
    w.koordinator_a = user_with_role("koordinator", w.inst_a, username="koordinator-a")
    w.auditor_a = user_with_role("auditor", w.inst_a, username="auditor-a")
    w.pimpinan_a = user_with_role("pimpinan", w.inst_a, username="pimpinan-a")
    w.evaluator_a = user_with_role("evaluator_pj", w.inst_a, username="evaluator-a")
    w.asn_a1 = user_with_role("asn", w.inst_a, w.a1, username="asn-a1")
    return w
