"""The index as levels change: each item's gain, what-if scores and the targets of the predicates."""

from __future__ import annotations

from collections.abc import Mapping

from simpul.evaluation import scoring
from simpul.evaluation.frameworks import FrameworkSpec


def item_gains(spec: FrameworkSpec) -> dict[str, float]:
    """How much one level of each item adds to the unrounded index (the formula is linear)."""
    compiled = scoring.compile_framework(spec)
    aspect_total = [0.0] * len(compiled.aspect_codes)
    for weight, aspect in zip(compiled.item_weights, compiled.item_aspect, strict=True):
        aspect_total[aspect] += weight
    if compiled.domain_codes:
        domain_aspects = [0.0] * len(compiled.domain_codes)
        for weight, domain in zip(compiled.aspect_weights, compiled.aspect_domain, strict=True):
            domain_aspects[domain] += weight
        overall = sum(compiled.domain_weights)
        aspect_share = [
            weight / domain_aspects[domain] * compiled.domain_weights[domain] / overall
            for weight, domain in zip(compiled.aspect_weights, compiled.aspect_domain, strict=True)
        ]
    else:
        overall = sum(compiled.aspect_weights)
        aspect_share = [weight / overall for weight in compiled.aspect_weights]
    return {
        key: weight / aspect_total[aspect] * aspect_share[aspect]
        for key, weight, aspect in zip(compiled.item_keys, compiled.item_weights, compiled.item_aspect, strict=True)
    }


def full_levels(spec: FrameworkSpec, levels: Mapping[str, float]) -> dict[str, float]:
    """Every item's level, those without one at the bottom of the scale (an evaluation in progress)."""
    compiled = scoring.compile_framework(spec)
    floor = float(spec.scale_min)
    return {key: float(levels.get(key, floor)) for key in compiled.item_keys}


def what_if(spec: FrameworkSpec, levels: Mapping[str, float], changes: Mapping[str, float]) -> scoring.IndexResult:
    """The index if the items in `changes` had those levels; missing levels count at the scale minimum."""
    merged = full_levels(spec, levels)
    for key, value in changes.items():
        if key in merged:
            merged[key] = min(max(float(value), spec.scale_min), spec.scale_max)
    return scoring.compute(spec, merged)


def target_for_predicate(spec: FrameworkSpec, name: str) -> float:
    """The lowest index that earns the predicate `name` (its band's lower bound)."""
    for predicate in spec.predicates:
        if predicate.name == name or (predicate.alias and predicate.alias == name):
            if predicate.min is None:
                return float(spec.scale_min)
            if predicate.min_inclusive:
                return predicate.min
            # An exclusive bound is reached by the next value the rounded index can take.
            return scoring.round_half_up(predicate.min + 10**-spec.decimals, spec.decimals)
    raise KeyError(name)


def next_predicate_target(spec: FrameworkSpec, index: float) -> tuple[str, float] | None:
    """The next predicate above the one `index` earns, with its target, or None at the top."""
    for predicate in spec.predicates:
        target = target_for_predicate(spec, predicate.name)
        if target > index:
            return predicate.name, target
    return None
