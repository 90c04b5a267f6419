"""What ArchiMate and Simpul call each thing: namespaces, element types ↔ SPBE domains, relationship types ↔
SPBE kinds, and Simpul's fields ↔ `simpul:<field>` properties. Used by the export and the import alike;
the mapping is documented in docs/architecture/archimate.md."""

from __future__ import annotations

import functools
import json
from typing import Any

from django.db import models
from django.utils import translation
from lxml import etree

from simpul.architecture.choices import ApplicationKind, Domain, ElementStatus, InfrastructureKind, ServiceType
from simpul.architecture.models import (
    Application,
    BusinessProcess,
    DataSet,
    Element,
    InfrastructureComponent,
    SecurityControl,
    Service,
)
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES, RelationshipKind

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_TYPE = f"{{{XSI}}}type"
# Every streamed element declares the namespaces again (lxml writes each one as a document of its own).
NSMAP = {None: NS, "xsi": XSI}
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
LANG = "id"
PREFIX = "simpul:"
# Reserved key of `properties` holding what the format carries but Simpul has no field for
# (a relationship's name, accessType, isDirected, influence modifier, folder).
EXTRA = "_archimate"
FOLDER_SEPARATOR = " / "
# Junctions are nameless in ArchiMate tools: they are the one kind of element that may come without a name.
JUNCTIONS = {"AndJunction", "OrJunction", "Junction"}

MODELS = {
    Domain.BUSINESS: BusinessProcess,
    Domain.DATA: DataSet,
    Domain.SERVICE: Service,
    Domain.APPLICATION: Application,
    Domain.INFRASTRUCTURE: InfrastructureComponent,
    Domain.SECURITY: SecurityControl,
    Domain.OTHER: Element,
}

# ArchiMate element type → SPBE domain (types not listed stay generic elements, domain "lainnya").
ELEMENT_DOMAINS = {
    "BusinessProcess": Domain.BUSINESS,
    "BusinessFunction": Domain.BUSINESS,
    "BusinessInteraction": Domain.BUSINESS,
    "DataObject": Domain.DATA,
    "BusinessObject": Domain.DATA,
    "BusinessService": Domain.SERVICE,
    "ApplicationService": Domain.SERVICE,
    "ApplicationComponent": Domain.APPLICATION,
    "Node": Domain.INFRASTRUCTURE,
    "Device": Domain.INFRASTRUCTURE,
    "SystemSoftware": Domain.INFRASTRUCTURE,
    "CommunicationNetwork": Domain.INFRASTRUCTURE,
    "Path": Domain.INFRASTRUCTURE,
    "Facility": Domain.INFRASTRUCTURE,
    "TechnologyService": Domain.INFRASTRUCTURE,
}
# Constraint / Requirement become security controls only when they say they are about security.
SECURITY_TYPES = {"Constraint", "Requirement"}
SECURITY_PROPERTY_NAMES = {"security", "keamanan", "security object", "objek keamanan"}

INFRASTRUCTURE_KINDS = {
    "Node": InfrastructureKind.SERVER,
    "Device": InfrastructureKind.SERVER,
    "SystemSoftware": InfrastructureKind.OTHER,
    "CommunicationNetwork": InfrastructureKind.LINK,
    "Path": InfrastructureKind.LINK,
    "Facility": InfrastructureKind.DATA_CENTRE,
    "TechnologyService": InfrastructureKind.OTHER,
}
DEFAULT_SERVICE_TYPE = ServiceType.G2G
DEFAULT_APPLICATION_KIND = ApplicationKind.SPECIFIC

# ArchiMate relationship type → the SPBE kinds it may stand for, tried in order (the first whose domains fit).
RELATIONSHIP_CANDIDATES = {
    "Realization": ["realizes", "runs_on"],
    "Assignment": ["runs_on"],
    "Serving": ["supports"],
    "Flow": ["integrates_with"],
    "Association": ["protected_by", "connected_via"],
}


# The typed fields of each SPBE type, exported as `simpul:<field>`: (field, value kind, allowed values or
# None). Value kinds: "string", "boolean", "number", "opd" (an OPD by short name), "opds" (several).
def _typed_field_specs(model) -> list[tuple[str, str, frozenset | None]]:
    specs = []
    for name in model.type_fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            kind = "opds"
        elif field.is_relation:
            kind = "opd"
        elif isinstance(field, models.BooleanField):
            kind = "boolean"
        elif isinstance(field, models.IntegerField):
            kind = "number"
        else:
            kind = "string"
        allowed = frozenset(str(value) for value, _label in field.flatchoices) if field.choices else None
        specs.append((name, kind, allowed))
    return specs


TYPED_FIELDS: dict[str, list[tuple[str, str, frozenset | None]]] = {
    model.spbe_domain: _typed_field_specs(model)
    for model in (BusinessProcess, DataSet, Service, Application, InfrastructureComponent, SecurityControl)
}
COMMON_FIELDS = [
    ("domain", "string"),
    ("owner", "string"),
    ("status", "string"),
    ("code", "string"),
    ("reference", "string"),
    ("published", "boolean"),
]
PROPERTY_TYPES = {f"{PREFIX}{name}": kind for name, kind in COMMON_FIELDS} | {
    f"{PREFIX}{name}": ("number" if kind == "number" else "boolean" if kind == "boolean" else "string")
    for fields in TYPED_FIELDS.values()
    for name, kind, _choices in fields
}
PROPERTY_TYPES[f"{PREFIX}relationship"] = "string"

# A choice field is exported as its Indonesian label under `simpul:<field>`, its stored code beside it
# under `simpul:<field> (kode)`; the import prefers the code and reads a lone label back into its code.
CODE_SUFFIX = " (kode)"
# Keys of CHOICES for the fields every element has, and for a relationship's kind (typed fields are keyed
# by their SPBE domain: `kind` means one thing for an application, another for infrastructure).
COMMON = "*"
RELATIONSHIP = "relationship"


def _choice_fields() -> dict[tuple[str, str], list]:
    fields: dict[tuple[str, str], list] = {
        (COMMON, "domain"): Domain.choices,
        (COMMON, "status"): ElementStatus.choices,
        (RELATIONSHIP, "relationship"): RelationshipKind.choices,
    }
    for model in (BusinessProcess, DataSet, Service, Application, InfrastructureComponent, SecurityControl):
        for name in model.type_fields:
            field = model._meta.get_field(name)
            if field.choices and not field.is_relation:
                fields[(model.spbe_domain, name)] = list(field.flatchoices)
    return fields


CHOICES = _choice_fields()


def choice_labels() -> dict[tuple[str, str], dict[str, str]]:
    """code → label of every choice field, in Indonesian whatever the request's language (it is the
    content of an exchanged file, read by Archi users)."""
    with translation.override(LANG):
        return {key: {str(code): str(label) for code, label in choices} for key, choices in CHOICES.items()}


@functools.cache
def _codes_by_label(key: tuple[str, str]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in (LANG, "en"):
        with translation.override(language):
            for code, label in CHOICES[key]:
                lookup.setdefault(str(label).strip().casefold(), str(code))
    lookup.update({str(code).casefold(): str(code) for code, _label in CHOICES[key]})  # a code wins
    return lookup


def code_for(key: tuple[str, str], value: str) -> str | None:
    """The code of the choice `value` names: its code, or its label in Indonesian or English, in any case.
    None when the field has no such choice (or is not a choice field)."""
    if key not in CHOICES:
        return None
    return _codes_by_label(key).get(value.strip().casefold())


def prefer_codes(simpul: dict[str, str]) -> None:
    """Replace each `<field>` label by the code of its `<field> (kode)` companion, when there is one."""
    for key in [k for k in simpul if k.endswith(CODE_SUFFIX)]:
        simpul[key[: -len(CODE_SUFFIX)]] = simpul.pop(key)


# The views every export writes (names are content of the exchanged file, in Indonesian like the rest of
# it): one per SPBE layer present, then an overview of all elements. Their identifiers start with
# VIEW_PREFIX; an import leaves them out (the next export draws them afresh from the repository).
VIEW_PREFIX = "id-simpul-view-"
VIEWS_FOLDER = "Tampilan Simpul"
VIEW_NAMES = {
    Domain.SERVICE: "Lapisan Layanan SPBE",
    Domain.BUSINESS: "Lapisan Proses Bisnis",
    Domain.DATA: "Lapisan Data dan Informasi",
    Domain.APPLICATION: "Lapisan Aplikasi SPBE",
    Domain.INFRASTRUCTURE: "Lapisan Infrastruktur SPBE",
    Domain.SECURITY: "Lapisan Keamanan SPBE",
    Domain.OTHER: "Elemen ArchiMate Lainnya",
}
OVERVIEW_NAME = "Ikhtisar Arsitektur SPBE"
OVERVIEW_KEY = "ikhtisar"


def is_simpul_view(identifier: str | None) -> bool:
    return bool(identifier) and identifier.startswith(VIEW_PREFIX)


def qname(tag: str) -> str:
    """The tag in the exchange format's namespace."""
    return f"{{{NS}}}{tag}"


def xml_parser():
    # No entities, no network: an uploaded file must not read local files or reach other hosts.
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)


def parse_bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "ya", "yes"):
        return True
    if lowered in ("false", "0", "tidak", "no"):
        return False
    return None


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def domain_for(archimate_type: str, simpul: dict[str, str], props: dict[str, str]) -> str:
    """The SPBE domain of an imported element: `simpul:domain` if valid, else by its ArchiMate type."""
    declared = simpul.get("domain")
    if declared in Domain.values:
        return declared
    if archimate_type in SECURITY_TYPES and (
        "control_kind" in simpul or any(k.strip().lower() in SECURITY_PROPERTY_NAMES for k in props)
    ):
        return Domain.SECURITY
    return ELEMENT_DOMAINS.get(archimate_type, Domain.OTHER)


def relationship_kind(declared, archimate_type: str, access: str | None, source: str, target: str) -> str:
    """The SPBE kind: the exported `simpul:relationship` when the domains allow it, else by ArchiMate type."""
    if declared in RELATIONSHIP_TYPES and RELATIONSHIP_TYPES[declared].allows(source, target):
        return declared
    if archimate_type == "Access":
        candidates = ["produces", "uses"] if access in ("Write", "ReadWrite") else ["uses"]
    else:
        candidates = RELATIONSHIP_CANDIDATES.get(archimate_type, [])
    for kind in candidates:
        if RELATIONSHIP_TYPES[kind].allows(source, target):
            return kind
    return RelationshipKind.ARCHIMATE
