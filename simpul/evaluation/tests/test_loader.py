"""Loading framework and crosswalk files into the database: idempotent, all-or-nothing, history-safe."""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import translation

from simpul.evaluation import loader
from simpul.evaluation.frameworks import CROSSWALK_DIR, FrameworkError, shipped_framework_files
from simpul.evaluation.models import (
    Aspect,
    Crosswalk,
    Domain,
    EvaluationPeriod,
    Framework,
    Indicator,
    IndicatorAssessment,
)
from simpul.evaluation.tests.test_frameworks import valid_document
from simpul.organizations.tests.factories import InstansiFactory

pytestmark = pytest.mark.django_db

SHIPPED_COUNTS = {
    "permenpanrb-59-2020": (4, 8, 47),
    "permenpanrb-5-2018": (3, 7, 35),
    "indeks-pemdi-2025": (0, 9, 35),
    "permenpanrb-8-2026": (0, 7, 20),
}


def _counts(code: str) -> tuple[int, int, int]:
    return (
        Domain.objects.filter(framework__code=code).count(),
        Aspect.objects.filter(framework__code=code).count(),
        Indicator.objects.filter(framework__code=code).count(),
    )


def _table_sizes() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Framework, Domain, Aspect, Indicator, Crosswalk))


def _shipped_path(name: str):
    return next(path for path in shipped_framework_files() if path.name == name)


def test_migration_loads_the_four_shipped_frameworks():
    assert set(Framework.objects.values_list("code", flat=True)) == set(SHIPPED_COUNTS)
    for code, counts in SHIPPED_COUNTS.items():
        assert _counts(code) == counts, code


def test_stored_rows_carry_scale_weights_and_verification():
    five = Framework.objects.get(code="permenpanrb-5-2018")
    assert (five.scale_min, five.scale_max) == (0, 5)
    assert five.valid_for_years == [2018, 2019]
    fifty_nine = Framework.objects.get(code="permenpanrb-59-2020")
    assert not fifty_nine.unverified
    assert list(Indicator.objects.filter(framework=fifty_nine, unverified=True).values_list("number", flat=True)) == [3]
    assert Framework.objects.get(code="indeks-pemdi-2025").unverified
    assert Framework.objects.get(code="permenpanrb-8-2026").unverified
    indicator = Indicator.objects.get(framework=fifty_nine, number=32)
    assert (indicator.weight, indicator.aspect.code, indicator.aspect.domain.code) == (2.75, "A7", "D4")
    assert indicator.spec.ladder == "fungsi_teknis"
    pemdi_aspects = Aspect.objects.filter(framework__code="indeks-pemdi-2025")
    assert not pemdi_aspects.exclude(domain=None).exists()  # no domain layer


def test_reloading_a_shipped_file_changes_nothing():
    before = _table_sizes()
    stamps = dict(Framework.objects.values_list("code", "updated_at"))
    for path in shipped_framework_files():
        _framework, action = loader.load_framework_file(path)
        assert action == "unchanged", path.name
    assert set(loader.load_shipped().values()) == {"unchanged"}
    assert _table_sizes() == before
    assert dict(Framework.objects.values_list("code", "updated_at")) == stamps


def test_a_changed_document_updates_the_framework_in_place():
    path = _shipped_path("permenpanrb-8-2026.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    before = Framework.objects.get(code="permenpanrb-8-2026")
    indicator_ids = dict(Indicator.objects.filter(framework=before).values_list("number", "pk"))
    document["title"] = "Evaluasi Kinerja Pemerintah Digital (revisi)"
    document["indicators"][0]["name"] = "Nama indikator yang diperbaiki"
    framework, action = loader.load_framework_document(document, "revisi.json")
    assert action == "updated"
    assert framework.pk == before.pk
    framework.refresh_from_db()
    assert framework.title == "Evaluasi Kinerja Pemerintah Digital (revisi)"
    assert framework.sha256 != before.sha256
    assert framework.source_file == "revisi.json"
    assert Indicator.objects.get(framework=framework, number=1).name == "Nama indikator yang diperbaiki"
    assert dict(Indicator.objects.filter(framework=framework).values_list("number", "pk")) == indicator_ids
    assert framework.spec.title == "Evaluasi Kinerja Pemerintah Digital (revisi)"
    # Loading the original file again is an update back, then unchanged.
    assert loader.load_framework_file(path)[1] == "updated"
    assert loader.load_framework_file(path)[1] == "unchanged"


def test_a_new_framework_is_created():
    framework, action = loader.load_framework_document(valid_document(), "uji.json")
    assert action == "created"
    assert _counts("uji-kerangka") == (2, 3, 4)
    assert framework.document == valid_document()
    assert framework.spec.indicator(4).item_keys == ("4-1", "4-2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["indicators"][0].update(weight=25), "The indicators of aspect A1 weigh 45"),
        (lambda d: d["aspects"][1].update(weight=35), "The aspects of domain D2 weigh 65"),
        (lambda d: d["domains"][1].update(weight=50), "The domain weights add up to 90, not 100."),
        (lambda d: d["indicators"][2]["levels"].pop(3), "Indicator 3 is missing level(s) 4."),
        (lambda d: d["indicators"][1].update(aspect="A9"), "unknown aspect 'A9'"),
        (lambda d: d["aspects"][0].update(domain="D7"), "unknown domain 'D7'"),
        (lambda d: d["predicates"][1].update(min=2.6), "there is a gap or an overlap"),
        (lambda d: d["indicators"][3]["sub_items"][0].update(weight=1), "sub-items of Indicator 4 do not add up"),
        (lambda d: d["capability_ladders"]["proses"][0].update(level=9), "a level outside the scale: 9"),
    ],
)
def test_a_malformed_document_is_refused_and_nothing_is_stored(change, message):
    document = valid_document()
    change(document)
    before = _table_sizes()
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        loader.load_framework_document(document)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert _table_sizes() == before
    assert not Framework.objects.filter(code="uji-kerangka").exists()


def test_a_malformed_update_leaves_the_loaded_version_untouched():
    loader.load_framework_document(valid_document())
    stored = Framework.objects.get(code="uji-kerangka")
    document = valid_document()
    document["title"] = "Judul baru"
    document["domains"][0]["weight"] = 41
    with pytest.raises(FrameworkError):
        loader.load_framework_document(document)
    stored.refresh_from_db()
    assert (stored.title, stored.document) == ("Kerangka uji", valid_document())
    assert Domain.objects.get(framework=stored, code="D1").weight == 40


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "kerangka.json"
    path.write_text("{ bukan json", encoding="utf-8")
    before = _table_sizes()
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        loader.load_framework_file(path)
    assert refused.value.errors[0].startswith("The file is not readable JSON:")
    assert _table_sizes() == before


def _period_using(framework: Framework, numbers: list[int]) -> EvaluationPeriod:
    period = EvaluationPeriod.objects.create(instansi=InstansiFactory(), year=2024, framework=framework)
    for number in numbers:
        IndicatorAssessment.objects.create(
            period=period, indicator=Indicator.objects.get(framework=framework, number=number), item_key=str(number)
        )
    return period


def _without_indicator(document: dict, number: int) -> dict:
    """The document minus one indicator, its weight given to a sibling so that the file still adds up."""
    document = copy.deepcopy(document)
    dropped = next(i for i in document["indicators"] if i["number"] == number)
    document["indicators"].remove(dropped)
    sibling = next(i for i in document["indicators"] if i["aspect"] == dropped["aspect"])
    sibling["weight"] += dropped["weight"]
    return document


def test_a_version_dropping_an_indicator_in_use_is_refused():
    framework, _action = loader.load_framework_document(valid_document())
    _period_using(framework, [2])
    document = _without_indicator(valid_document(), 2)
    document["title"] = "Versi tanpa indikator 2"
    before = _table_sizes()
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        loader.load_framework_document(document)
    assert refused.value.errors == [
        "This version of uji-kerangka drops indicators that evaluations already use; load it under a new id instead."
    ]
    # All or nothing: the title and weights written before the delete failed were rolled back too.
    framework.refresh_from_db()
    assert (framework.title, framework.document) == ("Kerangka uji", valid_document())
    assert Indicator.objects.get(framework=framework, number=1).weight == 20
    assert _table_sizes() == before


def test_a_version_dropping_an_unused_indicator_is_loaded():
    framework, _action = loader.load_framework_document(valid_document())
    _period_using(framework, [1])
    _result, action = loader.load_framework_document(_without_indicator(valid_document(), 2))
    assert action == "updated"
    assert list(Indicator.objects.filter(framework=framework).values_list("number", flat=True)) == [1, 3, 4]
    assert Indicator.objects.get(framework=framework, number=1).weight == 40


def test_a_shipped_framework_in_use_keeps_its_indicators():
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    _period_using(framework, [47])
    document = _without_indicator(framework.document, 47)
    with pytest.raises(FrameworkError):
        loader.load_framework_document(document)
    assert _counts("permenpanrb-59-2020") == (4, 8, 47)


# --- Crosswalk ---------------------------------------------------------------------------------------------


def test_the_crosswalk_5_2018_to_59_2020_is_loaded():
    pairs = Crosswalk.objects.select_related("from_indicator__framework", "to_indicator__framework")
    assert pairs.count() == 25
    assert pairs.filter(status="official").count() == 9
    assert {(p.from_indicator.framework.code, p.to_indicator.framework.code) for p in pairs} == {
        ("permenpanrb-5-2018", "permenpanrb-59-2020")
    }
    official = {(p.from_indicator.number, p.to_indicator.number) for p in pairs.filter(status="official")}
    assert official == {(27, 32), (28, 33), (29, 34), (31, 35), (26, 36), (25, 37), (3, 1), (6, 4), (5, 5)}
    assert set(pairs.filter(from_indicator__number=35).values_list("to_indicator__number", "status")) == {
        (45, "unverified"),
        (46, "unverified"),
        (47, "unverified"),
    }
    assert all(p.source for p in pairs)


def test_reloading_the_crosswalk_is_idempotent():
    [path] = sorted(CROSSWALK_DIR.glob("*.json"))
    assert loader.load_crosswalk_file(path) == 25
    assert Crosswalk.objects.count() == 25


def test_a_crosswalk_naming_a_missing_indicator_is_refused_whole(tmp_path):
    [shipped] = sorted(CROSSWALK_DIR.glob("*.json"))
    data = json.loads(shipped.read_text(encoding="utf-8"))
    Crosswalk.objects.all().delete()
    data["pairs"].append({"from": 36, "to": 48, "status": "unverified"})
    path = tmp_path / "crosswalk.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        loader.load_crosswalk_file(path)
    assert refused.value.errors == ["Crosswalk pair 36 → 48 names an indicator that does not exist."]
    assert Crosswalk.objects.count() == 0


def test_a_crosswalk_file_without_pairs_is_refused(tmp_path):
    path = tmp_path / "crosswalk.json"
    path.write_text(json.dumps({"from_framework": "permenpanrb-5-2018"}), encoding="utf-8")
    with pytest.raises(FrameworkError):
        loader.load_crosswalk_file(path)


def test_a_crosswalk_between_frameworks_not_loaded_stores_nothing(tmp_path):
    path = tmp_path / "crosswalk.json"
    data = {"from_framework": "tidak-ada", "to_framework": "permenpanrb-59-2020", "pairs": [{"from": 1, "to": 1}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert loader.load_crosswalk_file(path) == 0
    assert Crosswalk.objects.count() == 25
