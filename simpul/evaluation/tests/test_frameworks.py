"""Framework files: the four shipped ones parse with the structure their sources give, bad ones are refused.

Messages are checked in English (the msgids) for precision, and once in the default language to show
that the Admin reads them in Indonesian.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import translation

from simpul.evaluation import scoring
from simpul.evaluation.frameworks import (
    FrameworkError,
    parse_framework,
    read_framework_file,
    shipped_framework,
    shipped_framework_files,
)


def _ladder(prefix: str = "Tingkat") -> list[dict]:
    return [{"level": level, "name": f"L{level}", "criterion": f"{prefix} {level}"} for level in range(1, 6)]


def valid_document() -> dict:
    """A small framework using every feature: domains, a ladder, own levels and an indicator in parts."""
    return {
        "id": "uji-kerangka",
        "title": "Kerangka uji",
        "source_regulation": "Peraturan uji",
        "status": "verified",
        "scale": {"min": 1, "max": 5},
        "capability_ladders": {"proses": _ladder()},
        "domains": [{"code": "D1", "name": "Satu", "weight": 40}, {"code": "D2", "name": "Dua", "weight": 60}],
        "aspects": [
            {"code": "A1", "domain": "D1", "name": "Aspek satu", "weight": 40},
            {"code": "A2", "domain": "D2", "name": "Aspek dua", "weight": 30},
            {"code": "A3", "domain": "D2", "name": "Aspek tiga", "weight": 30},
        ],
        "indicators": [
            {"number": 1, "aspect": "A1", "domain": "D1", "name": "Satu", "weight": 20, "ladder": "proses"},
            {"number": 2, "aspect": "A1", "name": "Dua", "weight": 20, "ladder": "proses"},
            {"number": 3, "aspect": "A2", "name": "Tiga", "weight": 30, "levels": _ladder("Khusus")},
            {
                "number": 4,
                "aspect": "A3",
                "name": "Empat",
                "weight": 30,
                "sub_items": [{"code": "4-1", "weight": 15}, {"code": "4-2", "weight": 15}],
            },
        ],
        "predicates": [
            {"name": "Kurang", "min": None, "max": 2.5},
            {"name": "Baik", "min": 2.5, "max": 5, "max_inclusive": True},
        ],
    }


def errors_of(document) -> list[str]:
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        parse_framework(document)
    return refused.value.errors


def test_the_valid_document_parses():
    spec = parse_framework(valid_document())
    assert [d.code for d in spec.domains] == ["D1", "D2"]
    assert [a.code for a in spec.aspects] == ["A1", "A2", "A3"]
    assert [i.number for i in spec.indicators] == [1, 2, 3, 4]
    assert spec.indicator(4).item_keys == ("4-1", "4-2")
    assert spec.levels_for(spec.indicator(1))[0].criterion == "Tingkat 1"
    assert spec.levels_for(spec.indicator(3))[0].criterion == "Khusus 1"
    assert [p.name for p in spec.predicates] == ["Kurang", "Baik"]
    assert not spec.unverified
    result = scoring.compute(spec, {"1": 5, "2": 3, "3": 2, "4-1": 1, "4-2": 3})
    # A1 = (5×20 + 3×20)/40 = 4; A2 = 2; A3 = (1×15 + 3×15)/30 = 2; D2 = 2; index = (4×40 + 2×60)/100 = 2.8.
    assert (result.aspects, result.domains, result.index) == (
        {"A1": 4.0, "A2": 2.0, "A3": 2.0},
        {"D1": 4.0, "D2": 2.0},
        2.8,
    )


# --- Malformed documents: each refused with a message naming the problem ------------------------------


def _set(path: str, value):
    """A mutation setting document[path...] (dotted, list indices as numbers) to value."""

    def mutate(document):
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return mutate


def _drop_level(document):
    document["indicators"][2]["levels"] = [
        level for level in document["indicators"][2]["levels"] if level["level"] != 4
    ]


def _drop_ladder_level(document):
    document["capability_ladders"]["proses"].pop(0)


MALFORMED = [
    pytest.param(
        _set("indicators.0.weight", 25),
        "The indicators of aspect A1 weigh 45, but the aspect weighs 40.",
        id="indicators-do-not-add-up-to-aspect",
    ),
    pytest.param(
        _set("aspects.1.weight", 35),
        "The aspects of domain D2 weigh 65, but the domain weighs 60.",
        id="aspects-do-not-add-up-to-domain",
    ),
    pytest.param(
        _set("domains.1.weight", 50),
        "The domain weights add up to 90, not 100.",
        id="domains-not-100",
    ),
    pytest.param(_drop_level, "Indicator 3 is missing level(s) 4.", id="missing-level"),
    pytest.param(_drop_ladder_level, "Ladder 'proses' is missing level(s) 1.", id="missing-ladder-level"),
    pytest.param(
        _set("indicators.2.levels.4.criterion", ""),
        "Indicator 3 has no criterion for level 5.",
        id="level-without-criterion",
    ),
    pytest.param(
        _set("indicators.1.aspect", "A9"),
        "Indicator 2 belongs to an unknown aspect 'A9'.",
        id="unknown-aspect",
    ),
    pytest.param(
        _set("aspects.0.domain", "D7"),
        "Aspect A1 belongs to an unknown domain 'D7'.",
        id="unknown-domain",
    ),
    pytest.param(
        _set("indicators.0.domain", "D2"),
        "Indicator 1 names domain D2, but its aspect A1 belongs to D1.",
        id="indicator-domain-contradicts-aspect",
    ),
    pytest.param(
        _set("indicators.1.ladder", "tanpa-nama"),
        "Indicator 2 uses an unknown ladder 'tanpa-nama'.",
        id="unknown-ladder",
    ),
    pytest.param(
        _set("predicates.1.min", 2.6),
        "The predicates 'Kurang' and 'Baik' do not meet: there is a gap or an overlap between them.",
        id="predicate-gap",
    ),
    pytest.param(
        _set("predicates.1.min", 2.4),
        "The predicates 'Kurang' and 'Baik' do not meet: there is a gap or an overlap between them.",
        id="predicate-overlap",
    ),
    pytest.param(
        _set("predicates.0.max_inclusive", True),
        "The predicates 'Kurang' and 'Baik' do not meet: there is a gap or an overlap between them.",
        id="predicates-share-their-boundary",
    ),
    pytest.param(
        _set("predicates.1.max", 4.5),
        "The predicates leave the top of the scale (5) uncovered.",
        id="predicates-top-uncovered",
    ),
    pytest.param(
        _set("predicates.0.min", 1.5),
        "The predicates leave the bottom of the scale (below 1.5) uncovered.",
        id="predicates-bottom-uncovered",
    ),
    pytest.param(
        _set("indicators.3.sub_items.1.weight", 10),
        "The sub-items of Indicator 4 do not add up to its weight.",
        id="sub-items-do-not-add-up",
    ),
    pytest.param(
        _set("indicators.3.sub_items.1.code", "5-2"),
        "Indicator 4 has a sub-item without a code '4-N' or a positive weight.",
        id="sub-item-of-another-indicator",
    ),
    pytest.param(
        _set("indicators.3.sub_items", {"code": "4-1", "weight": 30}),
        "Indicator 4 has a sub-item without a code '4-N' or a positive weight.",
        id="sub-items-not-a-list",
    ),
    pytest.param(
        _set("indicators.2.levels.4.level", 6),
        "Indicator 3 has a level outside the scale: 6.",
        id="level-outside-scale",
    ),
    pytest.param(
        _set("capability_ladders.proses.0.level", 0),
        "Ladder 'proses' has a level outside the scale: 0.",
        id="ladder-level-outside-scale",
    ),
    pytest.param(
        _set("scale", {"min": 5, "max": 1}),
        "The scale needs whole numbers 'min' below 'max' (e.g. 1 and 5).",
        id="scale-upside-down",
    ),
    pytest.param(
        _set("indicators.1.number", 1),
        "Indicator 1 appears twice.",
        id="indicator-twice",
    ),
    pytest.param(
        _set("aspects.2.code", "A2"),
        "Aspect A2 appears twice.",
        id="aspect-twice",
    ),
    pytest.param(
        _set("indicators.0.weight", -1),
        "Indicator 1 needs a positive 'weight'.",
        id="negative-weight",
    ),
    pytest.param(
        _set("id", "Bukan ID"),
        "The framework needs an 'id' of lowercase letters, digits and hyphens.",
        id="bad-id",
    ),
    pytest.param(_set("title", " "), "The framework needs a 'title'.", id="no-title"),
    pytest.param(
        _set("computation", {"method": "geometric_mean"}),
        "Unknown computation method 'geometric_mean': only 'weighted_average' is known.",
        id="unknown-method",
    ),
    pytest.param(
        _set("computation", {"decimals": 9}),
        "'computation.decimals' must be a whole number from 0 to 6.",
        id="bad-decimals",
    ),
    pytest.param(_set("predicates", []), "The framework needs a non-empty list of 'predicates'.", id="no-predicates"),
]


@pytest.mark.parametrize(("mutate", "message"), MALFORMED)
def test_malformed_document_is_refused_naming_the_problem(mutate, message):
    document = valid_document()
    mutate(document)
    assert message in errors_of(document)


def test_every_problem_is_listed_not_only_the_first():
    document = valid_document()
    document["domains"][1]["weight"] = 50
    document["indicators"][1]["aspect"] = "A9"
    _drop_level(document)
    errors = errors_of(document)
    assert "The domain weights add up to 90, not 100." in errors
    assert "Indicator 2 belongs to an unknown aspect 'A9'." in errors
    assert "Indicator 3 is missing level(s) 4." in errors
    # A1 lost indicator 2 to the unknown aspect, so its weights no longer add up either.
    assert "The indicators of aspect A1 weigh 20, but the aspect weighs 40." in errors


def test_messages_are_in_indonesian_by_default():
    from django.conf import settings
    from django.utils import translation

    document = valid_document()
    document["domains"][1]["weight"] = 50
    # In the deployment's language, whatever an earlier request in this thread switched to.
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(FrameworkError) as refused:
        parse_framework(document)
    [message] = [error for error in refused.value.errors if "90" in error]
    assert message != "The domain weights add up to 90, not 100."
    assert "bobot" in message.lower()


def test_not_an_object_is_refused():
    assert errors_of([valid_document()]) == ["The framework file must hold one JSON object."]


def test_bad_json_file_is_refused(tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text('{"id": "uji", "title": ')
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        read_framework_file(path)
    [message] = refused.value.errors
    assert message.startswith("The file is not readable JSON:")


def test_missing_file_is_refused(tmp_path):
    with translation.override("en"), pytest.raises(FrameworkError) as refused:
        read_framework_file(tmp_path / "tidak-ada.json")
    assert refused.value.errors[0].startswith("The file is not readable JSON:")


def test_bottom_of_the_scale_excluded_from_the_lowest_predicate_is_refused():
    """A lowest band starting just above the scale's minimum would leave the minimum without a predicate."""
    document = valid_document()
    document["predicates"][0].update({"min": 1, "min_inclusive": False})
    assert "The predicates leave the bottom of the scale (below 1) uncovered." in errors_of(document)


def test_aspects_without_domains_must_add_up_to_100():
    document = valid_document()
    document["domains"] = []
    for aspect in document["aspects"]:
        aspect["domain"] = None
    document["indicators"][0].pop("domain")
    document["aspects"][0]["weight"] = 30
    errors = errors_of(document)
    assert "The aspect weights add up to 90, not 100." in errors


def test_weights_agree_within_a_hundredth():
    """Weights written as thirds (20/6 = 3.33…) pass; a real miss of more than 0.01 does not."""
    document = valid_document()
    document["indicators"][3]["sub_items"] = [{"code": "4-1", "weight": 15.004}, {"code": "4-2", "weight": 15.0}]
    parse_framework(document)
    document["indicators"][3]["sub_items"][0]["weight"] = 15.02
    assert "The sub-items of Indicator 4 do not add up to its weight." in errors_of(document)


# --- The shipped files -----------------------------------------------------------------------------------


def _shipped_document(name: str) -> dict:
    path = next(path for path in shipped_framework_files() if path.name == name)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("framework_id", "domains", "aspects", "indicators", "items"),
    [
        ("permenpanrb-59-2020", 4, 8, 47, 47),
        ("permenpanrb-5-2018", 3, 7, 35, 37),
        ("indeks-pemdi-2025", 0, 9, 35, 35),
        ("permenpanrb-8-2026", 0, 7, 20, 20),
    ],
)
def test_shipped_framework_structure(framework_id, domains, aspects, indicators, items):
    spec = shipped_framework(framework_id)
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (domains, aspects, indicators)
    assert len(scoring.compile_framework(spec).item_keys) == items
    assert abs(sum(indicator.weight for indicator in spec.indicators) - 100) < 0.01


def test_shipped_weights_59_2020():
    spec = shipped_framework("permenpanrb-59-2020")
    assert {d.code: d.weight for d in spec.domains} == {"D1": 13.0, "D2": 25.0, "D3": 16.5, "D4": 45.5}
    by_aspect = {a.code: {i.weight for i in spec.indicators if i.aspect == a.code} for a in spec.aspects}
    assert by_aspect == {
        "A1": {1.3},
        "A2": {2.5},
        "A3": {2.5},
        "A4": {2.5},
        "A5": {1.5},
        "A6": {1.5},
        "A7": {2.75},
        "A8": {3.0},
    }
    assert [spec.level_name(spec.indicator(1), level) for level in range(1, 6)] == [
        "Rintisan",
        "Terkelola",
        "Terstandardisasi",
        "Terintegrasi dan Terukur",
        "Optimum",
    ]
    assert spec.level_name(spec.indicator(32), 4) == "Kolaborasi"  # services use the technical-function ladder


def test_59_2020_indicator_3_level_4_is_the_only_unverified_text():
    spec = shipped_framework("permenpanrb-59-2020")
    assert [indicator.number for indicator in spec.indicators if indicator.unverified] == [3]
    assert [level.level for level in spec.indicator(3).levels if level.unverified] == [4]
    assert not spec.unverified  # structure, weights, formula and predicates are verified


def test_5_2018_uses_levels_0_to_5_and_assesses_35_for_three_services():
    spec = shipped_framework("permenpanrb-5-2018")
    assert (spec.scale_min, spec.scale_max) == (0, 5)
    assert all([level.level for level in spec.levels_for(i)] == [0, 1, 2, 3, 4, 5] for i in spec.indicators)
    assert [item.code for item in spec.indicator(35).sub_items] == ["35-1", "35-2", "35-3"]
    assert spec.indicator(35).weight == 10.0
    a7 = [key for key, aspect in zip(*_items_and_aspects(spec), strict=True) if aspect == "A7"]
    assert a7 == ["32", "33", "34", "35-1", "35-2", "35-3"]
    assert spec.status == "partially_verified"
    assert spec.unverified  # predicates and level names are assumed, so users see a warning
    assert spec.predicates_status == "unverified"
    scoring.normalize_levels(spec, {"1": 0})  # level 0 exists here …
    with pytest.raises(scoring.LevelsError):
        scoring.normalize_levels(shipped_framework("permenpanrb-59-2020"), {"1": 0})  # … and not in 59/2020


def _items_and_aspects(spec):
    compiled = scoring.compile_framework(spec)
    return compiled.item_keys, [compiled.aspect_codes[index] for index in compiled.item_aspect]


@pytest.mark.parametrize("framework_id", ["indeks-pemdi-2025", "permenpanrb-8-2026"])
def test_new_instruments_are_unverified(framework_id):
    spec = shipped_framework(framework_id)
    assert spec.status == "unverified"
    assert spec.unverified
    assert spec.status_note  # says why, for the warning shown to users
    assert spec.domains == ()


def test_pemdi_satisfaction_aspect_and_8_2026_predicates():
    pemdi = shipped_framework("indeks-pemdi-2025")
    assert {a.code: a.weight for a in pemdi.aspects}["P9"] == 20.0
    assert pemdi.satisfaction is not None and pemdi.satisfaction.indicator == 33
    new = shipped_framework("permenpanrb-8-2026")
    assert [(p.name, p.min) for p in new.predicates] == [
        ("Kurang", 1.0),
        ("Cukup", 1.5),
        ("Baik", 2.5),
        ("Sangat Baik", 3.5),
        ("Memuaskan", 4.0),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "spbe-permenpanrb-59-2020.json",
        "spbe-permenpanrb-5-2018.json",
        "indeks-pemdi-2025.json",
        "permenpanrb-8-2026.json",
    ],
)
def test_shipped_file_breaks_when_its_weights_are_changed(name):
    """The checks are live on the real files too: one indicator weight off by one is refused."""
    document = _shipped_document(name)
    parse_framework(copy.deepcopy(document))
    document["indicators"][0]["weight"] += 1
    errors = errors_of(document)
    aspect = document["indicators"][0]["aspect"]
    assert any(f"The indicators of aspect {aspect} weigh" in error for error in errors)
