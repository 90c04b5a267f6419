"""The national reference architecture data file: the counts it declares per tree are loaded, parents are
linked, and loading again keeps the Admin SPBE's corrections unless asked to overwrite."""

import json

import pytest

from simpul.architecture.models import ReferenceCode
from simpul.architecture.references import DATA_FILE, load_reference_codes, security_objects

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))
COUNTS = DATA["counts"]


@pytest.mark.parametrize("tree", sorted(COUNTS))
def test_each_tree_has_the_counts_the_file_declares(db, tree):
    expected = COUNTS[tree]
    codes = ReferenceCode.objects.filter(tree=tree)
    assert codes.count() == expected["total"]
    for level in (1, 2, 3):
        assert codes.filter(level=level).count() == expected.get(f"L{level}", 0), level
    for status in ("verified", "corroborated", "unverified"):
        assert codes.filter(status=status).count() == expected[status], status


def test_the_file_declares_every_loaded_code(db):
    assert ReferenceCode.objects.count() == sum(c["total"] for c in COUNTS.values())


def test_parents_are_linked(db):
    for code in ReferenceCode.objects.select_related("parent"):
        if code.level == 1:
            assert code.parent is None, code.code
        else:
            assert code.parent is not None, code.code
            assert code.parent.level == code.level - 1
            assert code.code.startswith(code.parent.code + ".")
            assert code.parent.tree == code.tree
    assert ReferenceCode.objects.get(code="RAL.01.02").parent.code == "RAL.01"


def test_loading_again_changes_nothing_and_keeps_corrections(db):
    total = ReferenceCode.objects.count()
    assert load_reference_codes(ReferenceCode) == {"created": 0, "updated": 0, "unchanged": total}
    corrected = ReferenceCode.objects.get(code="RAL.01")
    original_name = corrected.name
    corrected.name = "Dikoreksi Admin SPBE"
    corrected.save()
    load_reference_codes(ReferenceCode)
    corrected.refresh_from_db()
    assert corrected.name == "Dikoreksi Admin SPBE"
    assert load_reference_codes(ReferenceCode, overwrite=True) == {"created": 0, "updated": 1, "unchanged": total - 1}
    corrected.refresh_from_db()
    assert corrected.name == original_name
    assert ReferenceCode.objects.count() == total


def test_a_deleted_code_is_created_again(db):
    ReferenceCode.objects.filter(code="RAI.03").delete()
    assert load_reference_codes(ReferenceCode)["created"] == 1
    assert ReferenceCode.objects.filter(code="RAI.03").exists()


def test_the_seven_security_objects():
    objects = security_objects()
    assert len(objects) == 7
    assert len(set(objects)) == 7


@pytest.mark.django_db
def test_every_signed_in_role_reads_reference_codes_none_of_the_opd_roles_edits_them(world):
    from simpul.architecture.models import ReferenceCode
    from simpul.core import permissions

    for user in (world.asn_a1, world.operator_a1, world.koordinator_a, world.pimpinan_a):
        assert permissions.restrict(ReferenceCode.objects.all(), user, "view").count() == ReferenceCode.objects.count()
        assert not permissions.restrict(ReferenceCode.objects.all(), user, "change").exists()


@pytest.mark.django_db
def test_admin_spbe_corrects_and_extends_reference_codes_operators_cannot(world):
    from django.test import Client

    from simpul.architecture.models import ReferenceCode

    parent = ReferenceCode.objects.get(code="RAL.01")
    admin = Client(headers={"accept-language": "en"})
    admin.force_login(world.admin_a)
    data = {
        "tree": "RAL",
        "code": "RAL.01.99",
        "name": "Layanan Uji",
        "level": 2,
        "parent": parent.pk,
        "status": "unverified",
        "source": "Admin SPBE",
        "note": "",
    }
    assert admin.post("/architecture/reference-codes/add/", data).status_code == 302
    added = ReferenceCode.objects.get(code="RAL.01.99")
    assert (added.parent, added.level) == (parent, 2)

    bad = admin.post("/architecture/reference-codes/add/", data | {"code": "RAB.01.98", "level": 3})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"code", "parent", "level"}
    assert not ReferenceCode.objects.filter(code="RAB.01.98").exists()

    operator = Client()
    operator.force_login(world.operator_a1)
    assert operator.get("/architecture/reference-codes/add/").status_code == 403
    assert operator.post(f"/architecture/reference-codes/{added.pk}/edit/", data | {"name": "X"}).status_code == 404
