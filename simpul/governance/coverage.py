"""Which evaluation indicators an instansi's policies serve, and which policy-domain indicators have no
enacted policy yet ("belum ada kebijakan"): for the coverage page, the executive dashboard, the policy
page and the evaluation hints. Everything is computed from the records the user may view.

A policy serves an indicator through its topics (data/policy-topics.json names each topic's indicators
by framework id and code) or through its own explicit list of further indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from simpul.core import permissions
from simpul.evaluation.models import EvaluationPeriod, Framework, Indicator
from simpul.governance import topics
from simpul.governance.choices import PolicyStatus
from simpul.governance.models import Policy, PolicyTopic


@dataclass
class IndicatorCoverage:
    """One indicator with the policies (that the user may view) serving it, by state."""

    indicator: Indicator
    topics: list[PolicyTopic] = field(default_factory=list)
    enacted: list[Policy] = field(default_factory=list)
    drafts: list[Policy] = field(default_factory=list)
    former: list[Policy] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.enacted)


@dataclass
class Coverage:
    framework: Framework | None
    domain_code: str = ""
    rows: list[IndicatorCoverage] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return sum(1 for row in self.rows if row.covered)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def uncovered(self) -> list[IndicatorCoverage]:
        return [row for row in self.rows if not row.covered]


def policy_frameworks() -> list[Framework]:
    """The loaded frameworks that have a policy domain in the topics file, in the file's order."""
    domains = topics.catalogue().policy_domains
    found = {framework.code: framework for framework in Framework.objects.filter(code__in=list(domains))}
    return [found[code] for code in domains if code in found]


def current_framework(instansi_id: int | None) -> Framework | None:
    """The framework of the instansi's latest evaluation period, if it has a policy domain; else the first
    active framework with one (the topics file lists the newest first)."""
    choices = policy_frameworks()
    if not choices:
        return None
    if instansi_id is not None:
        latest = (
            EvaluationPeriod.objects.filter(instansi_id=instansi_id, framework__in=choices)
            .order_by("-year")
            .select_related("framework")
            .first()
        )
        if latest is not None:
            return latest.framework
    return next((framework for framework in choices if framework.is_active), choices[0])


def policy_indicators(framework: Framework):
    """The indicators of the framework's policy domain (e.g. 59/2020 domain 1), by number."""
    domain = topics.catalogue().policy_domains.get(framework.code, "")
    return (
        Indicator.objects.filter(framework=framework, aspect__domain__code=domain)
        .select_related("aspect")
        .order_by("number")
    )


def _topics_by_indicator(framework: Framework, indicators: list[Indicator]) -> dict[int, list[PolicyTopic]]:
    by_code = {indicator.code: indicator.pk for indicator in indicators}
    found: dict[int, list[PolicyTopic]] = {indicator.pk: [] for indicator in indicators}
    for topic in PolicyTopic.objects.all():
        for code in topic.indicator_codes(framework.code):
            if code in by_code:
                found[by_code[code]].append(topic)
    return found


def rows_for(user, instansi_id: int, framework: Framework, indicators: list[Indicator]) -> list[IndicatorCoverage]:
    """The coverage of each of `indicators` (of one framework) by the instansi's policies the user may view."""
    by_indicator = _topics_by_indicator(framework, indicators)
    rows = {indicator.pk: IndicatorCoverage(indicator, by_indicator[indicator.pk]) for indicator in indicators}
    topic_ids = {topic.pk for topic_list in by_indicator.values() for topic in topic_list}
    policies = permissions.restrict(
        Policy.objects.filter(instansi_id=instansi_id)
        .filter(Q(topics__in=topic_ids) | Q(indicators__in=list(rows)))
        .distinct()
        .prefetch_related("topics", "indicators")
        .order_by("-date", "title", "pk"),
        user,
        "view",
    )
    for policy in policies:
        served = {indicator.pk for indicator in policy.indicators.all()} & set(rows)
        policy_topics = {topic.pk for topic in policy.topics.all()}
        served |= {pk for pk, topic_list in by_indicator.items() if policy_topics & {t.pk for t in topic_list}}
        for pk in served:
            row = rows[pk]
            if policy.status == PolicyStatus.DITETAPKAN:
                row.enacted.append(policy)
            elif policy.status == PolicyStatus.RANCANGAN:
                row.drafts.append(policy)
            else:
                row.former.append(policy)
    return [rows[indicator.pk] for indicator in indicators]


def coverage(user, instansi_id: int, framework: Framework | None = None) -> Coverage:
    """The policy-domain indicators of the framework (the current one by default) and their policies."""
    framework = framework or current_framework(instansi_id)
    if framework is None:
        return Coverage(None)
    indicators = list(policy_indicators(framework))
    return Coverage(
        framework,
        topics.catalogue().policy_domains.get(framework.code, ""),
        rows_for(user, instansi_id, framework, indicators),
    )


def served_indicators(policy: Policy) -> list[Indicator]:
    """Every loaded indicator the policy serves: through its topics (in every framework) and explicitly."""
    query = Q(pk__in=policy.indicators.values("pk"))
    for topic in policy.topics.all():
        for framework_code, codes in (topic.indicator_refs or {}).items():
            query |= Q(framework__code=framework_code, code__in=codes)
    return list(Indicator.objects.filter(query).select_related("framework").order_by("framework__code", "number"))
