"""The policy topics (what a Kebijakan SPBE regulates) and the evaluation indicators each serves, read from
data/policy-topics.json. Indicators are named by framework id and indicator code, so the link follows
whatever frameworks are loaded, and nothing about them is written in Python.

`load()` stores the topics as `PolicyTopic` rows (migration 0002, the demo, and after a change of the
file): idempotent, matched by code, never deleting a topic that policies may still name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps as global_apps

from simpul.governance.choices import TopicGroup

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "policy-topics.json"


@dataclass(frozen=True)
class TopicSpec:
    code: str
    group: str
    name: str
    description: str
    indicators: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class TopicCatalogue:
    """The file as read: the topics, the policy domain of each framework, and the level a hint quotes."""

    topics: tuple[TopicSpec, ...]
    policy_domains: dict[str, str] = field(default_factory=dict)
    enacted_level: dict[str, int] = field(default_factory=dict)
    hint_why: str = ""
    sources: tuple[str, ...] = ()

    def topic_codes_for(self, framework_code: str, indicator_code: str) -> list[str]:
        """The codes of the topics that serve one indicator of one framework."""
        return [topic.code for topic in self.topics if indicator_code in topic.indicators.get(framework_code, ())]


class TopicFileError(ValueError):
    pass


def parse(document: dict) -> TopicCatalogue:
    """Check a topics document (structure only; `problems_against` checks it against the frameworks)."""
    wrong = []
    topics = []
    codes = set()
    for entry in document.get("topics") or []:
        code = entry.get("code", "")
        if not code or code in codes:
            wrong.append(f"topic code missing or repeated: {code!r}")
        codes.add(code)
        if entry.get("group") not in TopicGroup.values:
            wrong.append(f"{code}: unknown group {entry.get('group')!r}")
        if not entry.get("name"):
            wrong.append(f"{code}: no name")
        indicators = entry.get("indicators") or {}
        if not isinstance(indicators, dict) or not all(isinstance(v, list) for v in indicators.values()):
            wrong.append(f"{code}: 'indicators' must map framework ids to lists of indicator codes")
            indicators = {}
        topics.append(
            TopicSpec(
                code=code,
                group=entry.get("group", ""),
                name=entry.get("name", ""),
                description=entry.get("description", ""),
                indicators={framework: tuple(codes_) for framework, codes_ in indicators.items()},
            )
        )
    if not topics:
        wrong.append("no topics")
    if wrong:
        raise TopicFileError("; ".join(wrong))
    return TopicCatalogue(
        topics=tuple(topics),
        policy_domains=dict(document.get("policy_domains") or {}),
        enacted_level={key: int(value) for key, value in (document.get("enacted_level") or {}).items()},
        hint_why=document.get("hint_why", ""),
        sources=tuple(document.get("sources") or ()),
    )


@cache
def catalogue(path: Path = TOPICS_FILE) -> TopicCatalogue:
    with open(path, encoding="utf-8") as handle:
        return parse(json.load(handle))


def problems_against(topics: TopicCatalogue, frameworks: dict[str, dict[str, str]]) -> list[str]:
    """Indicator codes that a framework does not have, and policy-domain indicators no topic serves.

    `frameworks` maps framework id -> {indicator code: domain code}.
    """
    wrong = []
    for topic in topics.topics:
        for framework, codes in topic.indicators.items():
            known = frameworks.get(framework)
            if known is None:
                wrong.append(f"{topic.code}: unknown framework {framework!r}")
                continue
            wrong += [f"{topic.code}: {framework} has no indicator {code!r}" for code in codes if code not in known]
    for framework, domain in topics.policy_domains.items():
        indicators = frameworks.get(framework, {})
        served = {code for topic in topics.topics for code in topic.indicators.get(framework, ())}
        wrong += [
            f"{framework} {code} (domain {domain}) is served by no topic"
            for code, in_domain in indicators.items()
            if in_domain == domain and code not in served
        ]
    return wrong


def load(apps=None, path: Path = TOPICS_FILE) -> dict[str, int]:
    """Create or update the PolicyTopic rows from the file; returns counts by outcome."""
    model = (apps or global_apps).get_model("governance", "PolicyTopic")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    document = catalogue(path) if apps is None else parse(json.loads(Path(path).read_text(encoding="utf-8")))
    source = " ".join(document.sources)
    for order, spec in enumerate(document.topics, start=1):
        values = {
            "group": spec.group,
            "name": spec.name,
            "description": spec.description,
            "indicator_refs": {framework: list(codes) for framework, codes in spec.indicators.items()},
            "order": order,
            "source": source,
        }
        topic = model.objects.filter(code=spec.code).first()
        if topic is None:
            model.objects.create(code=spec.code, **values)
            counts["created"] += 1
        elif any(getattr(topic, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(topic, key, value)
            topic.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
