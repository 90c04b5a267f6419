"""The permission functions themselves: restrict, can, can_add, has_model_permission, allowed_owner_opds."""

import pytest

from simpul.core import permissions
from simpul.core.models import ApiKey, AuditEntry
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User
from simpul.organizations.tests.factories import UserFactory


def visible(model, user, action="view") -> set:
    return set(permissions.restrict(model.objects.all(), user, action))


def test_operator_scope(world):
    assert visible(User, world.operator_a1) == {world.operator_a1, world.asn_a1}
    assert visible(User, world.operator_a1, "change") == set()
    assert visible(PerangkatDaerah, world.operator_a1) == {world.a1, world.a2}
    assert visible(Instansi, world.operator_a1) == {world.inst_a}
    assert visible(AuditEntry, world.operator_a1) == set()
    assert visible(RoleAssignment, world.operator_a1) == set()


def test_admin_scope_is_one_instansi(world):
    assert visible(PerangkatDaerah, world.admin_a, "delete") == {world.a1, world.a2}
    assert visible(Instansi, world.admin_a, "change") == {world.inst_a}
    assert visible(Instansi, world.admin_a, "delete") == set()
    assert world.admin_b not in visible(User, world.admin_a)
    assert {e.instansi_id for e in permissions.restrict(AuditEntry.objects.all(), world.admin_a)} == {world.inst_a.pk}


def test_inactive_anonymous_and_superuser(world):
    world.admin_a.is_active = False
    assert visible(PerangkatDaerah, world.admin_a) == set()
    assert not permissions.has_model_permission(world.admin_a, "view", PerangkatDaerah)
    assert visible(PerangkatDaerah, None) == set()
    root = UserFactory(is_superuser=True)
    assert visible(PerangkatDaerah, root, "delete") == {world.a1, world.a2, world.b1}
    assert permissions.allowed_instansi_ids(root, "add", PerangkatDaerah) is None


def test_can_and_can_add(world):
    assert permissions.can(world.admin_a, "change", world.a1)
    assert not permissions.can(world.admin_a, "change", world.b1)
    assert not permissions.can(world.koordinator_a, "change", world.a1)
    assert permissions.can_add(world.admin_a, PerangkatDaerah, world.inst_a.pk, None)
    assert not permissions.can_add(world.admin_a, PerangkatDaerah, world.inst_b.pk, None)
    assert permissions.can_add(world.operator_a1, ApiKey, world.inst_a.pk, world.a1.pk)
    assert not permissions.can_add(world.operator_a1, ApiKey, world.inst_a.pk, world.a2.pk)
    assert not permissions.can_add(world.operator_a1, ApiKey, world.inst_a.pk, None)
    with pytest.raises(ValueError):
        permissions.can(world.admin_a, "view", PerangkatDaerah())
    with pytest.raises(ValueError):
        permissions.restrict(PerangkatDaerah.objects.all(), world.admin_a, "approve")


def test_model_permission_and_owner_choices(world):
    assert permissions.has_model_permission(world.auditor_a, "view", AuditEntry)
    assert not permissions.has_model_permission(world.koordinator_a, "view", AuditEntry)
    assert not permissions.has_model_permission(world.asn_a1, "view", User)
    opds = PerangkatDaerah.objects.all()
    assert set(permissions.allowed_owner_opds(world.operator_a1, "add", ApiKey, opds)) == {world.a1}
    assert set(permissions.allowed_owner_opds(world.admin_a, "add", ApiKey, opds)) == {world.a1, world.a2}
    assert set(permissions.allowed_owner_opds(world.koordinator_a, "add", ApiKey, opds)) == set()
    assert permissions.allowed_instansi_ids(world.admin_b, "add", PerangkatDaerah) == {world.inst_b.pk}


def test_grants_are_cached_per_user_object(world, django_assert_num_queries):
    user = User.objects.get(pk=world.admin_a.pk)
    permissions.has_model_permission(user, "view", PerangkatDaerah)
    with django_assert_num_queries(0):
        permissions.has_model_permission(user, "add", PerangkatDaerah)
    RoleAssignment.objects.filter(user=user).delete()
    assert permissions.has_model_permission(user, "add", PerangkatDaerah)  # still cached
    permissions.forget_grants(user)
    assert not permissions.has_model_permission(user, "add", PerangkatDaerah)
