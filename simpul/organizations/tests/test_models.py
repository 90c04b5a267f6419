"""Validation rules of the organisation models."""

import pytest
from django.core.exceptions import ValidationError

from simpul.organizations.models import PerangkatDaerah, RoleAssignment, User


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_opd_parent_must_be_in_same_instansi(world):
    opd = PerangkatDaerah(instansi=world.inst_a, name="Bagian Baru", short_name="BAG", kind="bagian", parent=world.b1)
    assert set(errors_of(opd)) == {"parent"}
    opd.parent = world.a1
    opd.full_clean()


def test_opd_cannot_be_its_own_parent(world):
    world.a1.parent = world.a1
    assert set(errors_of(world.a1)) == {"parent"}


def test_opd_short_name_unique_per_instansi(world):
    duplicate = PerangkatDaerah(instansi=world.inst_a, name="Lain", short_name="A1", kind="dinas")
    assert errors_of(duplicate)
    PerangkatDaerah(instansi=world.inst_b, name="Lain", short_name="A1", kind="dinas").full_clean()


def test_user_opd_must_belong_to_user_instansi(world):
    user = User(username="baru", password="x", instansi=world.inst_a, opd=world.b1)
    assert set(errors_of(user)) == {"opd"}


def test_user_instansi_follows_opd(world):
    user = User(username="baru", password="x", opd=world.b1)
    user.full_clean()
    assert user.instansi_id == world.inst_b.pk


def test_user_nip_has_18_digits(world):
    user = User(username="baru", password="x", nip="12345")
    assert set(errors_of(user)) == {"nip"}
    user.nip = "1" * 18
    user.full_clean()


@pytest.mark.parametrize(
    ("role", "with_opd", "error_field"),
    [
        ("operator_opd", False, "opd"),  # held for one OPD only
        ("operator_opd", True, None),
        ("admin_spbe", True, "opd"),  # held for the whole instansi only
        ("admin_spbe", False, None),
        ("pimpinan", True, None),  # either scope
        ("pimpinan", False, None),
    ],
)
def test_role_scope_rules(world, role, with_opd, error_field):
    assignment = RoleAssignment(user=world.asn_a1, role=role, instansi=world.inst_a, opd=world.a2 if with_opd else None)
    if error_field is None:
        assignment.full_clean()
    else:
        assert set(errors_of(assignment)) == {error_field}


def test_role_opd_must_belong_to_instansi(world):
    assignment = RoleAssignment(user=world.asn_a1, role="operator_opd", instansi=world.inst_a, opd=world.b1)
    assert set(errors_of(assignment)) == {"opd"}


def test_unknown_role_is_refused(world):
    assignment = RoleAssignment(user=world.asn_a1, role="raja", instansi=world.inst_a)
    assert set(errors_of(assignment)) == {"role"}


def test_scope_ids(world):
    assert world.inst_a.get_scope_ids() == (world.inst_a.pk, None)
    assert world.a1.get_scope_ids() == (world.inst_a.pk, world.a1.pk)
    assert world.operator_a1.get_scope_ids() == (world.inst_a.pk, world.a1.pk)
    assert world.admin_a.get_scope_ids() == (world.inst_a.pk, None)
