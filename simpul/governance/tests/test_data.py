"""The governance data files: the policy topics against the shipped evaluation frameworks, the team
positions against the master plan's composition and the role catalogue, and what the migration loaded."""

import json

import pytest

from simpul.core import permissions
from simpul.evaluation.frameworks import read_framework_file, shipped_framework_files
from simpul.governance import positions, topics
from simpul.governance.choices import Position, TeamKind
from simpul.governance.models import PolicyTopic


def shipped_frameworks() -> dict[str, dict[str, str]]:
    found = {}
    for path in shipped_framework_files():
        spec, document = read_framework_file(path)
        domain_of = {aspect["code"]: aspect.get("domain") for aspect in document["aspects"]}
        found[spec.id] = {
            entry["code"]: domain_of[entry["aspect"]] for entry in document["indicators"] if entry.get("code")
        }
    return found


def test_every_topic_names_indicators_the_frameworks_have_and_every_policy_indicator_has_a_topic():
    catalogue = topics.catalogue()
    assert topics.problems_against(catalogue, shipped_frameworks()) == []
    # The plan's "Penguatan Kebijakan" outputs: governance and service policy.
    assert {topic.group for topic in catalogue.topics} == {"tata_kelola", "layanan"}
    assert catalogue.policy_domains["permenpanrb-59-2020"] == "D1"
    served = {code for topic in catalogue.topics for code in topic.indicators.get("permenpanrb-59-2020", ())}
    assert served == {f"I{number:02d}" for number in range(1, 11)}
    assert catalogue.sources and catalogue.hint_why


def test_a_topic_naming_an_unknown_indicator_or_leaving_one_out_is_reported():
    catalogue = topics.catalogue()
    frameworks = shipped_frameworks()
    frameworks["permenpanrb-59-2020"] = {**frameworks["permenpanrb-59-2020"], "I99": "D1"}
    problems = topics.problems_against(catalogue, frameworks)
    assert problems == ["permenpanrb-59-2020 I99 (domain D1) is served by no topic"]
    broken = topics.TopicCatalogue(
        topics=(topics.TopicSpec("x", "layanan", "X", "", {"permenpanrb-59-2020": ("I77",)}),)
    )
    assert topics.problems_against(broken, frameworks) == ["x: permenpanrb-59-2020 has no indicator 'I77'"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"group": "lain"}, "unknown group"),
        ({"code": ""}, "topic code missing"),
        ({"indicators": ["I01"]}, "'indicators' must map"),
    ],
)
def test_a_malformed_topic_file_is_refused(change, message):
    document = json.loads(topics.TOPICS_FILE.read_text(encoding="utf-8"))
    document["topics"][0] |= change
    with pytest.raises(topics.TopicFileError, match=message):
        topics.parse(document)


def test_the_migration_loaded_the_topics_of_the_file(db):
    catalogue = topics.catalogue()
    stored = {topic.code: topic for topic in PolicyTopic.objects.all()}
    assert set(stored) == {spec.code for spec in catalogue.topics}
    assert stored["arsitektur-spbe"].indicator_codes("permenpanrb-59-2020") == ["I01"]
    assert topics.load() == {"created": 0, "updated": 0, "unchanged": len(catalogue.topics)}


def test_positions_follow_the_master_plan_and_map_to_instansi_roles():
    document = json.loads(positions.POSITIONS_FILE.read_text(encoding="utf-8"))
    assert positions.problems(document) == []
    assert positions.positions_of(TeamKind.TIM_KOORDINASI) == [
        "pengarah",
        "ketua",
        "koordinator_tim",
        "sekretariat",
        "kelompok_kerja",
    ]
    assert positions.positions_of(TeamKind.TIM_EVALUATOR) == [
        "penanggung_jawab",
        "pengumpul_data",
        "penganalisis_data",
        "operator",
    ]
    for rule in positions.rules().values():
        if rule.role is not None:
            assert "instansi" in permissions.roles()[rule.role].scopes
    assert {rule.position for rule in positions.rules().values()} == set(Position.values)


def test_a_positions_file_with_an_opd_role_or_a_missing_position_is_reported():
    document = json.loads(positions.POSITIONS_FILE.read_text(encoding="utf-8"))
    document["teams"]["tim_koordinasi"][0]["role"] = next(
        key for key, role in permissions.roles().items() if "instansi" not in role.scopes
    )
    document["teams"]["tim_evaluator_internal"].pop()
    problems = positions.problems(document)
    assert any("cannot be held for a whole instansi" in problem for problem in problems)
    assert any("positions without a team: operator" in problem for problem in problems)
