"""Loading framework and crosswalk files into the database (migration, `simpul evaluation`, Admin UI).

Loading is idempotent and all-or-nothing: a file already loaded changes nothing; a changed file
updates the framework in place (matched by its id, indicators by number); a file that fails its checks
or would remove an indicator an evaluation already uses changes nothing and says why.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from simpul.evaluation.frameworks import (
    CROSSWALK_DIR,
    FrameworkError,
    FrameworkSpec,
    parse_framework,
    read_framework_file,
    shipped_framework_files,
)


def _models(apps):
    apps = apps or global_apps
    return {
        name: apps.get_model("evaluation", name)
        for name in ("Framework", "FrameworkDocument", "Domain", "Aspect", "Indicator", "Crosswalk")
    }


def document_hash(document: dict) -> str:
    import hashlib

    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_framework_document(document: dict, source_file: str = "", apps=None) -> tuple[object, str]:
    """Check and store one framework document; returns (framework, "created" | "updated" | "unchanged")."""
    spec = parse_framework(document)
    return _store(spec, document, source_file, _models(apps))


def load_framework_file(path: Path | str, apps=None) -> tuple[object, str]:
    spec, document = read_framework_file(path)
    return _store(spec, document, Path(path).name, _models(apps))


def _store(spec: FrameworkSpec, document: dict, source_file: str, models: dict) -> tuple[object, str]:
    framework_model = models["Framework"]
    digest = document_hash(document)
    existing = framework_model.objects.filter(code=spec.id).first()
    if existing is not None and existing.sha256 == digest:
        return existing, "unchanged"
    values = {
        "title": spec.title,
        "source_regulation": spec.source_regulation,
        "status": spec.status,
        "status_note": spec.status_note,
        "scale_min": spec.scale_min,
        "scale_max": spec.scale_max,
        "valid_for_years": list(spec.valid_for_years),
        "sha256": digest,
        "source_file": source_file[:200],
    }
    try:
        with transaction.atomic():
            if existing is None:
                framework = framework_model.objects.create(code=spec.id, **values)
                action = "created"
            else:
                framework = existing
                for key, value in values.items():
                    setattr(framework, key, value)
                framework.save()
                action = "updated"
            models["FrameworkDocument"].objects.update_or_create(framework=framework, defaults={"document": document})
            _store_structure(framework, spec, models)
    except ProtectedError as error:
        raise FrameworkError(
            [
                _(
                    "This version of %(framework)s drops indicators that evaluations already use; "
                    "load it under a new id instead."
                )
                % {"framework": spec.id}
            ]
        ) from error
    return framework, action


def _store_structure(framework, spec: FrameworkSpec, models: dict) -> None:
    domain_model, aspect_model, indicator_model = models["Domain"], models["Aspect"], models["Indicator"]
    domains = {}
    for domain in spec.domains:
        domains[domain.code], _created = domain_model.objects.update_or_create(
            framework=framework, code=domain.code, defaults={"name": domain.name[:200], "weight": domain.weight}
        )
    aspects = {}
    for aspect in spec.aspects:
        aspects[aspect.code], _created = aspect_model.objects.update_or_create(
            framework=framework,
            code=aspect.code,
            defaults={"name": aspect.name[:200], "weight": aspect.weight, "domain": domains.get(aspect.domain)},
        )
    for indicator in spec.indicators:
        indicator_model.objects.update_or_create(
            framework=framework,
            number=indicator.number,
            defaults={
                "code": indicator.code[:16],
                "name": indicator.name[:300],
                "weight": indicator.weight,
                "aspect": aspects[indicator.aspect],
                "unverified": indicator.unverified,
            },
        )
    indicator_model.objects.filter(framework=framework).exclude(
        number__in=[indicator.number for indicator in spec.indicators]
    ).delete()
    aspect_model.objects.filter(framework=framework).exclude(code__in=list(aspects)).delete()
    domain_model.objects.filter(framework=framework).exclude(code__in=list(domains)).delete()


def load_crosswalk_file(path: Path | str, apps=None) -> int:
    """Store the indicator pairs of a crosswalk file whose two frameworks are loaded; returns pairs stored."""
    models = _models(apps)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        from_code, to_code, pairs = data["from_framework"], data["to_framework"], data["pairs"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FrameworkError([_("The crosswalk file is not readable: %(error)s") % {"error": error}]) from error
    indicator_model, crosswalk_model = models["Indicator"], models["Crosswalk"]
    rows = indicator_model.objects.filter(framework__code__in=[from_code, to_code]).select_related("framework")
    by_key = {(row.framework.code, row.number): row for row in rows}
    if not any(code == from_code for code, _number in by_key) or not any(code == to_code for code, _n in by_key):
        return 0
    errors, stored = [], 0
    with transaction.atomic():
        for pair in pairs:
            source, target = by_key.get((from_code, pair.get("from"))), by_key.get((to_code, pair.get("to")))
            if source is None or target is None:
                errors.append(
                    _("Crosswalk pair %(from)s → %(to)s names an indicator that does not exist.")
                    % {"from": pair.get("from"), "to": pair.get("to")}
                )
                continue
            crosswalk_model.objects.update_or_create(
                from_indicator=source,
                to_indicator=target,
                defaults={"status": pair.get("status", "unverified"), "source": data.get("source", "")},
            )
            stored += 1
        if errors:
            raise FrameworkError(errors)
    return stored


def load_shipped(apps=None) -> dict[str, str]:
    """Load every framework and crosswalk shipped in data/; returns the action per framework id."""
    results = {}
    for path in shipped_framework_files():
        framework, action = load_framework_file(path, apps=apps)
        results[framework.code] = action
    for path in sorted(CROSSWALK_DIR.glob("*.json")):
        load_crosswalk_file(path, apps=apps)
    return results
