"""Evaluation frameworks (Indeks SPBE, Indeks Pemdi, ...) read from their data files and checked.

A framework file describes domains → aspects → indicators with weights, the level scale, per-level
criteria and evidence, predicate bands and how the index is rounded (see data/README.md).
Nothing of a framework lives in Python: this module only parses a file into immutable specs and refuses
a file that does not add up, with one clear message per problem.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from simpul.core import formats

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORK_DIR = DATA_DIR / "frameworks"
CROSSWALK_DIR = DATA_DIR / "crosswalks"
# Weights are percentages written with one or two decimals (or thirds, as 20/6); sums agree within this.
WEIGHT_TOLERANCE = 0.01
FRAMEWORK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
VERIFIED_STATUSES = frozenset({"verified", "verified_structure", "corroborated"})


class FrameworkError(ValueError):
    """A framework file that cannot be used; `errors` lists every problem found, in Indonesian."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class LevelSpec:
    level: int
    name: str = ""
    criterion: str = ""
    evidence: str = ""
    status: str = ""
    note: str = ""

    @property
    def unverified(self) -> bool:
        return self.status == "unverified"


@dataclass(frozen=True)
class SubItemSpec:
    """One separately assessed part of an indicator (5/2018 #35 is assessed for three public services)."""

    code: str
    weight: float


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    code: str
    aspect: str
    name: str
    weight: float
    ladder: str = ""
    explanation: str = ""
    evidence_general: str = ""
    levels: tuple[LevelSpec, ...] = ()
    sub_items: tuple[SubItemSpec, ...] = ()
    scoring: str = ""
    status: str = ""
    note: str = ""

    @property
    def item_keys(self) -> tuple[str, ...]:
        """The keys under which levels are recorded: the number, or one key per sub-item."""
        if self.sub_items:
            return tuple(item.code for item in self.sub_items)
        return (str(self.number),)

    @property
    def unverified(self) -> bool:
        return self.status == "unverified" or any(level.unverified for level in self.levels)


@dataclass(frozen=True)
class AspectSpec:
    code: str
    name: str
    weight: float
    domain: str | None = None


@dataclass(frozen=True)
class DomainSpec:
    code: str
    name: str
    weight: float


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    min: float | None
    max: float | None
    min_inclusive: bool = True
    max_inclusive: bool = False
    alias: str = ""

    def contains(self, value: float) -> bool:
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        return not (self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive)))


@dataclass(frozen=True)
class SatisfactionSpec:
    """How a survey result becomes an indicator level (Indeks Pemdi: y = a·x + b, x from −4 to +4)."""

    indicator: int
    a: float
    b: float
    x_min: float
    x_max: float
    status: str = ""

    def level_for(self, x: float) -> float:
        clamped = min(max(x, self.x_min), self.x_max)
        return self.a * clamped + self.b


@dataclass(frozen=True, eq=False)
class FrameworkSpec:
    """A parsed framework; compared and cached by identity, since one file gives one spec object."""

    id: str
    title: str
    source_regulation: str
    status: str
    status_note: str
    scale_min: int
    scale_max: int
    domains: tuple[DomainSpec, ...]
    aspects: tuple[AspectSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    predicates: tuple[PredicateSpec, ...]
    ladders: dict[str, tuple[LevelSpec, ...]] = field(default_factory=dict)
    valid_for_years: tuple[int, ...] = ()
    decimals: int = 2
    formula: str = ""
    formula_status: str = ""
    predicates_status: str = ""
    satisfaction: SatisfactionSpec | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def unverified(self) -> bool:
        return self.status not in VERIFIED_STATUSES

    def indicator(self, number: int) -> IndicatorSpec:
        return self._indicators_by_number()[number]

    def _indicators_by_number(self) -> dict[int, IndicatorSpec]:
        return {indicator.number: indicator for indicator in self.indicators}

    def level_name(self, indicator: IndicatorSpec, level: int) -> str:
        for spec in self.ladders.get(indicator.ladder, ()):
            if spec.level == level:
                return spec.name or ""
        return ""

    def levels_for(self, indicator: IndicatorSpec) -> tuple[LevelSpec, ...]:
        """The indicator's own level texts, or its ladder's general ones, or bare numbers."""
        if indicator.levels:
            return indicator.levels
        if indicator.ladder in self.ladders:
            return self.ladders[indicator.ladder]
        return tuple(LevelSpec(level=value) for value in range(self.scale_min, self.scale_max + 1))


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= WEIGHT_TOLERANCE


def _fmt(value: float) -> str:
    # Six significant digits as `:g` rounds them (a sum of weights may be 99.99999999999999), in the
    # language's number format: 99,5 in Indonesian.
    return formats.number_text(float(f"{value:g}"))


def parse_framework(data: dict) -> FrameworkSpec:
    """Check a framework document and return its spec; raise FrameworkError listing every problem."""
    if not isinstance(data, dict):
        raise FrameworkError([_("The framework file must hold one JSON object.")])
    errors: list[str] = []

    framework_id = data.get("id")
    if not isinstance(framework_id, str) or not FRAMEWORK_ID.match(framework_id):
        errors.append(_("The framework needs an 'id' of lowercase letters, digits and hyphens."))
        framework_id = ""
    for key in ("title", "source_regulation"):
        if not _text(data.get(key)).strip():
            errors.append(_("The framework needs a '%(key)s'.") % {"key": key})

    scale = data.get("scale") if isinstance(data.get("scale"), dict) else {}
    scale_min, scale_max = scale.get("min"), scale.get("max")
    if not (isinstance(scale_min, int) and isinstance(scale_max, int) and scale_min < scale_max):
        errors.append(_("The scale needs whole numbers 'min' below 'max' (e.g. 1 and 5)."))
        scale_min, scale_max = 1, 5
    expected_levels = set(range(scale_min, scale_max + 1))

    domains = _parse_domains(data.get("domains") or [], errors)
    aspects = _parse_aspects(data.get("aspects"), domains, errors)
    ladders = _parse_ladders(data.get("capability_ladders") or {}, expected_levels, errors)
    indicators = _parse_indicators(data.get("indicators"), aspects, ladders, expected_levels, errors)
    predicates = _parse_predicates(data.get("predicates"), scale_min, scale_max, errors)
    satisfaction = _parse_satisfaction(data.get("user_satisfaction"), indicators, errors)

    computation = data.get("computation") if isinstance(data.get("computation"), dict) else {}
    decimals = computation.get("decimals", 2)
    if not isinstance(decimals, int) or not 0 <= decimals <= 6:
        errors.append(_("'computation.decimals' must be a whole number from 0 to 6."))
        decimals = 2
    method = computation.get("method", "weighted_average")
    if method != "weighted_average":
        errors.append(
            _("Unknown computation method '%(method)s': only 'weighted_average' is known.") % {"method": method}
        )

    if errors:
        raise FrameworkError(errors)
    years = tuple(year for year in data.get("valid_for_years") or () if isinstance(year, int))
    return FrameworkSpec(
        id=framework_id,
        title=data["title"].strip(),
        source_regulation=data["source_regulation"].strip(),
        status=_text(data.get("status")) or "unverified",
        status_note=_text(data.get("status_note")),
        scale_min=scale_min,
        scale_max=scale_max,
        domains=tuple(domains.values()),
        aspects=tuple(aspects.values()),
        indicators=tuple(indicators),
        predicates=tuple(predicates),
        ladders=ladders,
        valid_for_years=years,
        decimals=decimals,
        formula=_text(data.get("formula")),
        formula_status=_text(data.get("formula_status")),
        predicates_status=_text(data.get("predicates_status")),
        satisfaction=satisfaction,
        sources=tuple(str(source) for source in data.get("sources") or ()),
        notes=tuple(str(note) for note in data.get("notes") or ()),
    )


def _parse_domains(raw, errors: list[str]) -> dict[str, DomainSpec]:
    domains: dict[str, DomainSpec] = {}
    if not isinstance(raw, list):
        errors.append(_("'domains' must be a list (it may be empty)."))
        return domains
    for entry in raw:
        code, weight = _text(entry.get("code")) if isinstance(entry, dict) else "", None
        if isinstance(entry, dict):
            weight = _number(entry.get("weight"))
        if not code or weight is None or weight <= 0:
            errors.append(_("Every domain needs a 'code' and a positive 'weight'."))
            continue
        if code in domains:
            errors.append(_("Domain %(code)s appears twice.") % {"code": code})
        domains[code] = DomainSpec(code=code, name=_text(entry.get("name")) or code, weight=weight)
    if domains and not _close(sum(d.weight for d in domains.values()), 100.0):
        total = sum(d.weight for d in domains.values())
        errors.append(_("The domain weights add up to %(total)s, not 100.") % {"total": _fmt(total)})
    return domains


def _parse_aspects(raw, domains: dict[str, DomainSpec], errors: list[str]) -> dict[str, AspectSpec]:
    aspects: dict[str, AspectSpec] = {}
    if not isinstance(raw, list) or not raw:
        errors.append(_("The framework needs a non-empty list of 'aspects'."))
        return aspects
    for entry in raw:
        if not isinstance(entry, dict):
            errors.append(_("Every aspect must be an object with a code, name and weight."))
            continue
        code, weight = _text(entry.get("code")), _number(entry.get("weight"))
        if not code or weight is None or weight <= 0:
            errors.append(_("Every aspect needs a 'code' and a positive 'weight'."))
            continue
        domain = entry.get("domain") or None
        if domains and domain not in domains:
            errors.append(
                _("Aspect %(code)s belongs to an unknown domain '%(domain)s'.") % {"code": code, "domain": domain or ""}
            )
        elif not domains and domain:
            errors.append(
                _("Aspect %(code)s names domain '%(domain)s' but the framework has no domains.")
                % {"code": code, "domain": domain}
            )
        if code in aspects:
            errors.append(_("Aspect %(code)s appears twice.") % {"code": code})
        aspects[code] = AspectSpec(code=code, name=_text(entry.get("name")) or code, weight=weight, domain=domain)
    for domain in domains.values():
        total = sum(a.weight for a in aspects.values() if a.domain == domain.code)
        if not _close(total, domain.weight):
            errors.append(
                _("The aspects of domain %(code)s weigh %(total)s, but the domain weighs %(weight)s.")
                % {"code": domain.code, "total": _fmt(total), "weight": _fmt(domain.weight)}
            )
    if not domains and aspects and not _close(sum(a.weight for a in aspects.values()), 100.0):
        total = sum(a.weight for a in aspects.values())
        errors.append(_("The aspect weights add up to %(total)s, not 100.") % {"total": _fmt(total)})
    return aspects


def _parse_levels(
    raw, expected: set[int], owner: str, errors: list[str], need_criterion: bool
) -> tuple[LevelSpec, ...]:
    levels: dict[int, LevelSpec] = {}
    for entry in raw if isinstance(raw, list) else ():
        level = entry.get("level") if isinstance(entry, dict) else None
        if not isinstance(level, int) or isinstance(level, bool) or level not in expected:
            errors.append(
                _("%(owner)s has a level outside the scale: %(level)s.") % {"owner": owner, "level": str(level)}
            )
            continue
        if level in levels:
            errors.append(_("%(owner)s describes level %(level)s twice.") % {"owner": owner, "level": level})
        criterion = _text(entry.get("criterion"))
        if need_criterion and not criterion.strip():
            errors.append(_("%(owner)s has no criterion for level %(level)s.") % {"owner": owner, "level": level})
        levels[level] = LevelSpec(
            level=level,
            name=_text(entry.get("name")),
            criterion=criterion,
            evidence=_text(entry.get("evidence")),
            status=_text(entry.get("status")),
            note=_text(entry.get("note")),
        )
    missing = sorted(expected - set(levels))
    if missing:
        errors.append(
            _("%(owner)s is missing level(s) %(levels)s.")
            % {"owner": owner, "levels": ", ".join(str(level) for level in missing)}
        )
    return tuple(levels[level] for level in sorted(levels))


def _parse_ladders(raw, expected: set[int], errors: list[str]) -> dict[str, tuple[LevelSpec, ...]]:
    if not isinstance(raw, dict):
        errors.append(_("'capability_ladders' must be an object of named level lists."))
        return {}
    ladders = {}
    for name, levels in raw.items():
        if isinstance(levels, list):
            owner = _("Ladder '%(name)s'") % {"name": name}
            ladders[name] = _parse_levels(levels, expected, owner, errors, need_criterion=True)
    return ladders


def _parse_indicators(raw, aspects, ladders, expected: set[int], errors: list[str]) -> list[IndicatorSpec]:
    indicators: dict[int, IndicatorSpec] = {}
    if not isinstance(raw, list) or not raw:
        errors.append(_("The framework needs a non-empty list of 'indicators'."))
        return []
    for entry in raw:
        number = entry.get("number") if isinstance(entry, dict) else None
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            errors.append(_("Every indicator needs a positive whole 'number'."))
            continue
        owner = _("Indicator %(number)s") % {"number": number}
        weight = _number(entry.get("weight"))
        if weight is None or weight <= 0:
            errors.append(_("%(owner)s needs a positive 'weight'.") % {"owner": owner})
            weight = 0.0
        aspect = _text(entry.get("aspect"))
        if aspect not in aspects:
            errors.append(
                _("%(owner)s belongs to an unknown aspect '%(aspect)s'.") % {"owner": owner, "aspect": aspect}
            )
        elif entry.get("domain") and entry["domain"] != aspects[aspect].domain:
            errors.append(
                _("%(owner)s names domain %(domain)s, but its aspect %(aspect)s belongs to %(aspect_domain)s.")
                % {
                    "owner": owner,
                    "domain": entry["domain"],
                    "aspect": aspect,
                    "aspect_domain": aspects[aspect].domain or "-",
                }
            )
        ladder = _text(entry.get("ladder"))
        if ladder and ladders and ladder not in ladders:
            errors.append(_("%(owner)s uses an unknown ladder '%(ladder)s'.") % {"owner": owner, "ladder": ladder})
        levels = ()
        if entry.get("levels"):
            levels = _parse_levels(entry["levels"], expected, owner, errors, need_criterion=True)
        sub_items = _parse_sub_items(entry.get("sub_items"), number, weight, owner, errors)
        if number in indicators:
            errors.append(_("%(owner)s appears twice.") % {"owner": owner})
        indicators[number] = IndicatorSpec(
            number=number,
            code=_text(entry.get("code")) or f"I{number:02d}",
            aspect=aspect,
            name=_text(entry.get("name")) or owner,
            weight=weight,
            ladder=ladder,
            explanation=_text(entry.get("explanation")),
            evidence_general=_text(entry.get("evidence_general")),
            levels=levels,
            sub_items=sub_items,
            scoring=_text(entry.get("scoring")),
            status=_text(entry.get("status")) or _text(entry.get("weight_status")),
            note=_text(entry.get("note")) or _text(entry.get("weight_note")),
        )
    for code, aspect in aspects.items():
        total = sum(i.weight for i in indicators.values() if i.aspect == code)
        if not _close(total, aspect.weight):
            errors.append(
                _("The indicators of aspect %(code)s weigh %(total)s, but the aspect weighs %(weight)s.")
                % {"code": code, "total": _fmt(total), "weight": _fmt(aspect.weight)}
            )
    return [indicators[number] for number in sorted(indicators)]


def _parse_sub_items(raw, number: int, weight: float, owner: str, errors: list[str]) -> tuple[SubItemSpec, ...]:
    if not raw:
        return ()
    items = []
    # A lone object instead of a list is checked as one bad entry rather than silently ignored.
    for entry in raw if isinstance(raw, list) else (None,):
        code = _text(entry.get("code")) if isinstance(entry, dict) else ""
        item_weight = _number(entry.get("weight")) if isinstance(entry, dict) else None
        if not code.startswith(f"{number}-") or item_weight is None or item_weight <= 0:
            errors.append(
                _("%(owner)s has a sub-item without a code '%(number)s-N' or a positive weight.")
                % {"owner": owner, "number": number}
            )
            continue
        items.append(SubItemSpec(code=code, weight=item_weight))
    if len({item.code for item in items}) != len(items):
        errors.append(_("%(owner)s lists a sub-item twice.") % {"owner": owner})
    if items and not _close(sum(item.weight for item in items), weight):
        errors.append(_("The sub-items of %(owner)s do not add up to its weight.") % {"owner": owner})
    return tuple(items)


def _parse_predicates(raw, scale_min: int, scale_max: int, errors: list[str]) -> list[PredicateSpec]:
    if not isinstance(raw, list) or not raw:
        errors.append(_("The framework needs a non-empty list of 'predicates'."))
        return []
    predicates = []
    for entry in raw:
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            errors.append(_("Every predicate needs a 'name'."))
            continue
        predicates.append(
            PredicateSpec(
                name=entry["name"],
                min=_number(entry.get("min")),
                max=_number(entry.get("max")),
                min_inclusive=bool(entry.get("min_inclusive", True)),
                max_inclusive=bool(entry.get("max_inclusive", False)),
                alias=_text(entry.get("alias")),
            )
        )
    ordered = sorted(predicates, key=lambda p: -math.inf if p.min is None else p.min)
    if not ordered:
        return []
    first, last = ordered[0], ordered[-1]
    if first.min is not None and (first.min > scale_min or (first.min == scale_min and not first.min_inclusive)):
        errors.append(
            _("The predicates leave the bottom of the scale (below %(value)s) uncovered.") % {"value": _fmt(first.min)}
        )
    if last.max is not None and (last.max < scale_max or (last.max == scale_max and not last.max_inclusive)):
        errors.append(_("The predicates leave the top of the scale (%(value)s) uncovered.") % {"value": scale_max})
    for lower, upper in itertools.pairwise(ordered):
        joined = lower.max is not None and lower.max == upper.min and lower.max_inclusive != upper.min_inclusive
        if not joined:
            errors.append(
                _("The predicates '%(lower)s' and '%(upper)s' do not meet: there is a gap or an overlap between them.")
                % {"lower": lower.name, "upper": upper.name}
            )
    return ordered


def _parse_satisfaction(raw, indicators: list[IndicatorSpec], errors: list[str]) -> SatisfactionSpec | None:
    if not isinstance(raw, dict):
        return None
    transform = raw.get("linear_transform") or {}
    numbers = [n for n in raw.get("indicators") or () if isinstance(n, int)]
    known = {indicator.number for indicator in indicators}
    scored = [i.number for i in indicators if i.scoring.startswith("kepuasan")]
    target = scored[0] if scored else (numbers[0] if numbers else None)
    a, b = _number(transform.get("a")), _number(transform.get("b"))
    if target is None or target not in known or a is None or b is None:
        errors.append(_("'user_satisfaction' needs a known indicator and a linear transform with numbers a and b."))
        return None
    bands = [band for band in raw.get("bands_indicator_33") or () if isinstance(band, dict)]
    x_values = [_number(band.get(key)) for band in bands for key in ("x_min", "x_max")]
    x_values = [value for value in x_values if value is not None]
    x_min, x_max = (min(x_values), max(x_values)) if x_values else (-4.0, 4.0)
    return SatisfactionSpec(
        indicator=target,
        a=a,
        b=b,
        x_min=x_min,
        x_max=x_max,
        status=_text(raw.get("status")) or _text(transform.get("status")),
    )


def read_framework_file(path: Path | str) -> tuple[FrameworkSpec, dict]:
    """Parse a framework file; bad JSON becomes a FrameworkError like any other problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FrameworkError([_("The file is not readable JSON: %(error)s") % {"error": error}]) from error
    return parse_framework(data), data


def shipped_framework_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("*.json"))


@cache
def shipped_framework(framework_id: str) -> FrameworkSpec:
    for path in shipped_framework_files():
        spec, _data = read_framework_file(path)
        if spec.id == framework_id:
            return spec
    raise KeyError(framework_id)
