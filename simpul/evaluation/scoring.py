"""The index formula: one function used by the UI, the API, the planner and `simpul evaluation compute`.

Every framework shipped so far uses the same weighted average: an aspect index is the weighted mean of
its indicators' levels, a domain index the weighted mean of its aspects, and the index the weighted
mean of the domains (or of the aspects when a framework has no domains). Values are rounded half up
to the framework's decimals at the end only, which is how published results recompute exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils.translation import gettext as _

from simpul.evaluation.frameworks import FrameworkSpec, IndicatorSpec


class LevelsError(ValueError):
    """Levels that do not fit the framework; `errors` lists each problem in Indonesian."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def round_half_up(value: float, decimals: int) -> float:
    """Round half up as on paper, in plain floats (Decimal cost a third of a batch recompute).

    A value less than half a billionth below the half counts as the half, so that 2.675, stored as
    2.67499999…, rounds up to 2.68; float error in a weighted mean of levels is far smaller than that.
    """
    scale = 10**decimals
    return math.floor(value * scale + 0.5 + 5e-10 * scale) / scale


def round_half_up_exact(value: float, decimals: int) -> float:
    """The reference the fast rounding is tested against: the same rule in Decimal arithmetic."""
    cleaned = Decimal(value).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    return float(cleaned.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CompiledFramework:
    """The framework flattened into parallel tuples, so that computing an index is a few loops."""

    spec: FrameworkSpec
    item_keys: tuple[str, ...]
    item_weights: tuple[float, ...]
    item_aspect: tuple[int, ...]
    item_indicator: tuple[int, ...]
    aspect_codes: tuple[str, ...]
    aspect_weights: tuple[float, ...]
    aspect_domain: tuple[int, ...]
    domain_codes: tuple[str, ...]
    domain_weights: tuple[float, ...]
    fractional_items: frozenset[str]

    @property
    def total_weight(self) -> float:
        return sum(self.item_weights)


@cache
def compile_framework(spec: FrameworkSpec) -> CompiledFramework:
    aspect_codes = tuple(aspect.code for aspect in spec.aspects)
    domain_codes = tuple(domain.code for domain in spec.domains)
    aspect_index = {code: index for index, code in enumerate(aspect_codes)}
    keys, weights, aspects, numbers = [], [], [], []
    fractional = set()
    for indicator in spec.indicators:
        parts = indicator.sub_items or ()
        entries = [(item.code, item.weight) for item in parts] or [(str(indicator.number), indicator.weight)]
        for key, weight in entries:
            keys.append(key)
            weights.append(weight)
            aspects.append(aspect_index[indicator.aspect])
            numbers.append(indicator.number)
            if spec.satisfaction and spec.satisfaction.indicator == indicator.number:
                fractional.add(key)
    return CompiledFramework(
        spec=spec,
        item_keys=tuple(keys),
        item_weights=tuple(weights),
        item_aspect=tuple(aspects),
        item_indicator=tuple(numbers),
        aspect_codes=aspect_codes,
        aspect_weights=tuple(aspect.weight for aspect in spec.aspects),
        aspect_domain=tuple(domain_codes.index(a.domain) if a.domain in domain_codes else -1 for a in spec.aspects),
        domain_codes=domain_codes,
        domain_weights=tuple(domain.weight for domain in spec.domains),
        fractional_items=frozenset(fractional),
    )


@dataclass(frozen=True)
class IndexResult:
    framework: str
    raw_index: float
    index: float
    predicate: str
    domains: dict[str, float]
    aspects: dict[str, float]
    raw_domains: dict[str, float]
    raw_aspects: dict[str, float]
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """The shape printed by `simpul evaluation compute` and returned by the API."""
        return {
            "framework": self.framework,
            "index": self.index,
            "predicate": self.predicate,
            "domains": self.domains,
            "aspects": self.aspects,
        }


def predicate_for(spec: FrameworkSpec, value: float) -> str:
    for predicate in spec.predicates:
        if predicate.contains(value):
            return predicate.name
    return ""


def normalize_levels(spec: FrameworkSpec, raw: Mapping[str, object]) -> dict[str, float]:
    """Turn `{"<indicator number>": level, ...}` into levels per scored item, or raise LevelsError.

    An indicator assessed in parts (5/2018 #35) takes one level for all parts, a list with one level
    per part, or its parts' own keys ("35-1").
    """
    compiled = compile_framework(spec)
    by_number = {str(indicator.number): indicator for indicator in spec.indicators}
    item_keys = set(compiled.item_keys)
    errors: list[str] = []
    levels: dict[str, float] = {}

    for key, value in raw.items():
        key = str(key).strip()
        if key in item_keys and key not in by_number:
            _put(compiled, key, value, levels, errors)
            continue
        indicator: IndicatorSpec | None = by_number.get(key)
        if indicator is None:
            errors.append(
                _("Indicator '%(key)s' is not part of framework %(framework)s.") % {"key": key, "framework": spec.id}
            )
            continue
        parts = indicator.item_keys
        if isinstance(value, list):
            if len(value) != len(parts):
                errors.append(
                    _("Indicator %(key)s takes %(count)s level(s), one per part, not %(given)s.")
                    % {"key": key, "count": len(parts), "given": len(value)}
                )
                continue
            for part, part_value in zip(parts, value, strict=True):
                _put(compiled, part, part_value, levels, errors)
        else:
            for part in parts:
                _put(compiled, part, value, levels, errors)
    if errors:
        raise LevelsError(errors)
    return levels


def _put(compiled: CompiledFramework, key: str, value, levels: dict[str, float], errors: list[str]) -> None:
    spec = compiled.spec
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(_("The level of %(key)s must be a number, not %(value)r.") % {"key": key, "value": value})
        return
    if not spec.scale_min <= value <= spec.scale_max:
        errors.append(
            _("The level of %(key)s is %(value)s, outside the scale %(min)s–%(max)s.")
            % {"key": key, "value": value, "min": spec.scale_min, "max": spec.scale_max}
        )
        return
    if key not in compiled.fractional_items and value != int(value):
        errors.append(_("The level of %(key)s must be a whole number, not %(value)s.") % {"key": key, "value": value})
        return
    levels[key] = float(value)


def compute(spec: FrameworkSpec, levels: Mapping[str, float], *, missing_as_minimum: bool = False) -> IndexResult:
    """The aspect, domain and overall index of per-item levels (keys as from `normalize_levels`).

    Items without a level are an error unless `missing_as_minimum`: an evaluation in progress then
    counts them at the bottom of the scale, so its index is a floor, and lists them in `missing`.
    """
    compiled = compile_framework(spec)
    missing = tuple(key for key in compiled.item_keys if key not in levels)
    if missing and not missing_as_minimum:
        raise LevelsError([_("No level for: %(items)s.") % {"items": ", ".join(missing)}])
    return compute_values(compiled, [levels.get(key) for key in compiled.item_keys])


def compute_values(compiled: CompiledFramework, values: list[float | None]) -> IndexResult:
    """The formula itself, over levels in the order of `compiled.item_keys` (None: not assessed yet,
    counted at the bottom of the scale). Batch recomputation calls it directly, skipping the dict."""
    spec = compiled.spec
    floor = float(spec.scale_min)
    aspect_sums = [0.0] * len(compiled.aspect_codes)
    aspect_weights = [0.0] * len(compiled.aspect_codes)
    missing = []
    for key, value, weight, aspect in zip(
        compiled.item_keys, values, compiled.item_weights, compiled.item_aspect, strict=True
    ):
        if value is None:
            missing.append(key)
            value = floor
        aspect_sums[aspect] += value * weight
        aspect_weights[aspect] += weight
    raw_aspects = [total / weight for total, weight in zip(aspect_sums, aspect_weights, strict=True)]
    raw_domains: list[float] = []
    if compiled.domain_codes:
        domain_sums = [0.0] * len(compiled.domain_codes)
        domain_weights = [0.0] * len(compiled.domain_codes)
        for value, weight, domain in zip(raw_aspects, compiled.aspect_weights, compiled.aspect_domain, strict=True):
            domain_sums[domain] += value * weight
            domain_weights[domain] += weight
        raw_domains = [total / weight for total, weight in zip(domain_sums, domain_weights, strict=True)]
        raw_index = sum(v * w for v, w in zip(raw_domains, compiled.domain_weights, strict=True)) / sum(
            compiled.domain_weights
        )
    else:
        raw_index = sum(v * w for v, w in zip(raw_aspects, compiled.aspect_weights, strict=True)) / sum(
            compiled.aspect_weights
        )
    decimals = spec.decimals
    index = round_half_up(raw_index, decimals)
    return IndexResult(
        framework=spec.id,
        raw_index=raw_index,
        index=index,
        predicate=predicate_for(spec, index),
        domains={c: round_half_up(v, decimals) for c, v in zip(compiled.domain_codes, raw_domains, strict=True)},
        aspects={c: round_half_up(v, decimals) for c, v in zip(compiled.aspect_codes, raw_aspects, strict=True)},
        raw_domains=dict(zip(compiled.domain_codes, raw_domains, strict=True)),
        raw_aspects=dict(zip(compiled.aspect_codes, raw_aspects, strict=True)),
        missing=tuple(missing),
    )
