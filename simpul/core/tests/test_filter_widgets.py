"""ScopedModelSelect: the filter dropdowns offer only what the user may see, written without templates."""

import re

import pytest
from django_filters import fields as filter_fields

from simpul.core import filters as core_filters
from simpul.core.filters import ScopedModelSelect
from simpul.organizations.models import PerangkatDaerah
from simpul.organizations.tests.factories import PerangkatDaerahFactory


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html)
    ]


def _field(**kwargs):
    return filter_fields.ModelChoiceField(queryset=PerangkatDaerah.objects.order_by("short_name"), **kwargs)


@pytest.mark.django_db
def test_options_are_the_users_records_with_the_chosen_one_selected_and_labels_escaped(world):
    tricky = PerangkatDaerahFactory(instansi=world.inst_a, short_name='A3 <"&">', name="Dinas A Tiga")
    field = _field(required=False, empty_label="---------")
    html = ScopedModelSelect(world.admin_a, {"class": "form-select"}, field.choices).render("owner", world.a2.pk)
    assert html.startswith('<select class="form-select" name="owner">')
    assert _options(html) == [
        ("", False, "---------"),
        (str(world.a1.pk), False, "A1"),
        (str(world.a2.pk), True, "A2"),
        (str(tricky.pk), False, "A3 &lt;&quot;&amp;&quot;&gt;"),
    ]
    # Instansi B's OPD is not offered to the admin of A; the superuser sees every OPD.
    assert str(world.b1.pk) not in [value for value, _s, _l in _options(html)]


@pytest.mark.django_db
def test_django_filters_none_choice_follows_the_empty_one(world):
    field = _field(required=False, null_label="Without PIC", null_value="none")
    html = ScopedModelSelect(world.admin_a, {}, field.choices).render("pic", "none")
    assert _options(html)[:3] == [
        ("", False, "---------"),
        ("none", True, "Without PIC"),
        (str(world.a1.pk), False, "A1"),
    ]


@pytest.mark.django_db
def test_too_many_records_become_an_id_box(world, monkeypatch):
    monkeypatch.setattr(core_filters, "MAX_SELECT_OPTIONS", 1)
    field = _field(required=False)
    html = ScopedModelSelect(world.admin_a, {}, field.choices).render("owner", world.a1.pk)
    assert "<select" not in html
    assert re.search(rf'<input type="number" name="owner" value="{world.a1.pk}"', html)
    # At the limit it is still a select: the admin of A sees its two OPDs.
    monkeypatch.setattr(core_filters, "MAX_SELECT_OPTIONS", 2)
    html = ScopedModelSelect(world.admin_a, {}, field.choices).render("owner", None)
    assert [value for value, _s, _l in _options(html)] == ["", str(world.a1.pk), str(world.a2.pk)]


@pytest.mark.django_db
def test_records_are_read_with_only_the_columns_of_their_label(world):
    """PerangkatDaerah names `label_fields`, so its options read the id and short name, no timestamps;
    a field with its own label keeps whole records, since its label may read any column."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    class NamedField(filter_fields.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.short_name} ({obj.name})"

    with CaptureQueriesContext(connection) as captured:
        html = ScopedModelSelect(world.admin_a, {}, _field().choices).render("owner", None)
    listing = captured[-1]["sql"]
    assert "short_name" in listing and "created_at" not in listing and '"name"' not in listing
    assert [label for _v, _s, label in _options(html)][-2:] == ["A1", "A2"]
    with CaptureQueriesContext(connection) as captured:
        named = NamedField(queryset=PerangkatDaerah.objects.order_by("short_name"))
        html = ScopedModelSelect(world.admin_a, {}, named.choices).render("owner", None)
    assert "created_at" in captured[-1]["sql"]
    assert "A1 (Dinas A Satu)" in html
