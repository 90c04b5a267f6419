"""Export and import of an instansi's architecture in the Open Group ArchiMate Model Exchange File Format.

The export streams (lxml `xmlfile`), so its memory grows with the number of identifiers, not with the
document. The import maps ArchiMate element types onto the six SPBE domains where a counterpart exists
and keeps every other element as a generic `Element` with its ArchiMate type, so nothing of a model is
dropped; Simpul's own fields travel as properties named `simpul:<field>`, so export → import restores
them. Every write goes through `simpul.core.services` (permissions, audit) inside one transaction.
The mapping both ways is documented in docs/architecture/archimate.md.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _
from lxml import etree

from simpul.architecture.choices import (
    ApplicationKind,
    Domain,
    ElementStatus,
    InfrastructureKind,
    ServiceType,
)
from simpul.architecture.models import (
    Application,
    BusinessProcess,
    DataSet,
    Element,
    InfrastructureComponent,
    ReferenceCode,
    Relationship,
    SecurityControl,
    Service,
)
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES, RelationshipKind
from simpul.core import permissions, services
from simpul.organizations.models import PerangkatDaerah

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
VIEWS_DIR = "architecture/archimate"
CHUNK_SIZE = 2000
NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
JUNCTIONS = {"AndJunction", "OrJunction", "Junction"}

# --- mapping -------------------------------------------------------------------------------------------

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


class ArchimateImportError(ValidationError):
    """The file cannot be imported (not XML, not an exchange file, or a record was refused); nothing was written."""


@dataclass
class ImportResult:
    """What one import did: counts per SPBE domain / relationship kind, created vs updated, skipped items."""

    model_name: str = ""
    elements: Counter = field(default_factory=Counter)
    relationships: Counter = field(default_factory=Counter)
    relationships_by_domain: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    views: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def element_total(self) -> int:
        return sum(self.elements.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


@dataclass
class ExportResult:
    elements: int = 0
    relationships: int = 0
    views: int = 0


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "ya", "yes"):
        return True
    if lowered in ("false", "0", "tidak", "no"):
        return False
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


# --- export --------------------------------------------------------------------------------------------


class _Writer:
    """Assigns valid, unique identifiers and property definition ids while the document is written."""

    def __init__(self):
        self.used: set[str] = set()
        self.element_ids: dict[int, str] = {}
        self.relationship_ids: set[str] = set()
        self.property_ids: dict[str, str] = {}
        self.folders: dict = {}

    def identifier(self, exchange_id: str, fallback: str) -> str:
        ident = exchange_id if exchange_id and NCNAME.match(exchange_id) and exchange_id not in self.used else fallback
        if ident in self.used:  # an imported id that looks like ours: make it unique
            ident = f"{fallback}-{len(self.used)}"
        self.used.add(ident)
        return ident

    def property_ref(self, name: str) -> str:
        if name not in self.property_ids:
            self.property_ids[name] = f"propid-simpul-{len(self.property_ids) + 1}"
        return self.property_ids[name]

    def file(self, folder: str, ident: str) -> None:
        node = self.folders
        for label in folder.split(FOLDER_SEPARATOR):
            node = node.setdefault(label, {})
        node.setdefault(None, []).append(ident)


ELEMENT_HEAD = f'<element xmlns="{NS}" xmlns:xsi="{XSI}" '
# Characters XML 1.0 cannot hold at all (control characters): dropped from exported text.
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    return escape(INVALID_XML_CHARS.sub("", text))


def _sub(parent, tag: str, text: str | None = None, lang: bool = True, **attrs):
    el = etree.SubElement(parent, _q(tag), **attrs)
    if text is not None:
        el.text = INVALID_XML_CHARS.sub("", text)
        if lang:
            el.set(XML_LANG, LANG)
    return el


def _properties_xml(parent, props: list[tuple[str, str]], writer: _Writer) -> None:
    if not props:
        return
    container = _sub(parent, "properties")
    for name, value in props:
        prop = _sub(container, "property", propertyDefinitionRef=writer.property_ref(name))
        _sub(prop, "value", value)


ACCESSORS = {
    Domain.BUSINESS: "businessprocess",
    Domain.DATA: "dataset",
    Domain.SERVICE: "service",
    Domain.APPLICATION: "application",
    Domain.INFRASTRUCTURE: "infrastructurecomponent",
    Domain.SECURITY: "securitycontrol",
}
ROW_FIELDS = [
    "pk",
    "exchange_id",
    "archimate_type",
    "domain",
    "name",
    "description",
    "folder",
    "owner_id",
    "status",
    "code",
    "reference__code",
    "published",
    "properties",
] + [
    f"{ACCESSORS[domain]}__{name}_id" if kind == "opd" else f"{ACCESSORS[domain]}__{name}"
    for domain, fields in TYPED_FIELDS.items()
    for name, kind, _choices in fields
    if kind != "opds"
]


def element_properties(row: dict, opd_names: dict[int, str], performers: dict[int, list[int]]):
    """(name, value) pairs exported for an element row: Simpul's fields first, then its own properties."""
    props = [
        (f"{PREFIX}domain", row["domain"]),
        (f"{PREFIX}owner", opd_names.get(row["owner_id"], "")),
        (f"{PREFIX}status", row["status"]),
        (f"{PREFIX}code", row["code"]),
        (f"{PREFIX}reference", row["reference__code"] or ""),
        (f"{PREFIX}published", _text(row["published"])),
    ]
    accessor = ACCESSORS.get(row["domain"])
    for name, kind, _choices in TYPED_FIELDS.get(row["domain"], []):
        if kind == "opds":
            value = ", ".join(sorted(opd_names[pk] for pk in performers.get(row["pk"], []) if pk in opd_names))
        elif kind == "opd":
            value = opd_names.get(row[f"{accessor}__{name}_id"], "")
        else:
            value = _text(row[f"{accessor}__{name}"])
        props.append((f"{PREFIX}{name}", value))
    props += [(str(k), _text(v)) for k, v in (row["properties"] or {}).items() if k != EXTRA]
    return [(k, v) for k, v in props if v != ""]


def _element_queryset(instansi, user):
    queryset = Element.objects.filter(owner__instansi=instansi)
    if user is not None:
        queryset = permissions.restrict(queryset, user, "view")
    return queryset


def export(instansi, stream: IO[bytes], user=None, chunk_size: int = CHUNK_SIZE) -> ExportResult:
    """Write the instansi's architecture (what `user` may view; everything when None) as an exchange file.

    Elements and relationships are streamed from chunked querysets; only their identifiers are kept.
    """
    result = ExportResult()
    writer = _Writer()
    visible = _element_queryset(instansi, user)
    opd_names = dict(PerangkatDaerah.objects.filter(instansi=instansi).values_list("pk", "short_name"))
    performers: dict[int, list[int]] = defaultdict(list)
    for process_id, opd_id in BusinessProcess.performers.through.objects.filter(
        businessprocess__owner__instansi=instansi
    ).values_list("businessprocess_id", "perangkatdaerah_id"):
        performers[process_id].append(opd_id)
    elements = visible.order_by("pk").values(*ROW_FIELDS)
    relationships = (
        permissions.restrict(Relationship.objects.filter(source__owner__instansi=instansi), user, "view")
        if user is not None
        else Relationship.objects.filter(source__owner__instansi=instansi)
    )
    relationships = relationships.filter(source__in=visible.values("pk"), target__in=visible.values("pk")).order_by(
        "pk"
    )
    views = _stored_views(instansi)

    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(
            _q("model"),
            nsmap=NSMAP,
            attrib={f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
            identifier=f"id-simpul-model-{instansi.pk}",
        ):
            header = etree.Element(_q("name"), nsmap=NSMAP)
            header.set(XML_LANG, LANG)
            header.text = _("SPBE architecture of %(instansi)s") % {"instansi": instansi.name}
            xf.write(header)
            doc = etree.Element(_q("documentation"), nsmap=NSMAP)
            doc.set(XML_LANG, LANG)
            doc.text = _("Exported from Simpul, the SPBE repository of %(instansi)s.") % {"instansi": instansi.name}
            xf.write(doc)
            _write_container(
                xf, "elements", _element_nodes(elements, writer, result, opd_names, performers, chunk_size)
            )
            _write_container(xf, "relationships", _relationship_nodes(relationships, writer, result, chunk_size))
            diagrams = _prune_views(views, writer)
            _write_container(xf, "organizations", [*_folder_nodes(writer.folders), *diagrams["folders"]])
            for view in diagrams["views"]:
                for prop in view.iter(_q("property")):
                    prop.set("propertyDefinitionRef", writer.property_ref(prop.get("propertyDefinitionRef")))
            if writer.property_ids:
                with xf.element(_q("propertyDefinitions")):
                    for name, ident in writer.property_ids.items():
                        definition = etree.Element(
                            _q("propertyDefinition"),
                            nsmap=NSMAP,
                            identifier=ident,
                            type=PROPERTY_TYPES.get(name, "string"),
                        )
                        _sub(definition, "name", name, lang=False)
                        xf.write(definition)
            if diagrams["views"]:
                with xf.element(_q("views")), xf.element(_q("diagrams")):
                    for view in diagrams["views"]:
                        xf.write(view)
                        result.views += 1
    return result


def _write_container(xf, tag: str, nodes) -> None:
    """Write <tag> holding `nodes`, or nothing when there are none (the schema forbids empty containers)."""
    nodes = iter(nodes)
    first = next(nodes, None)
    if first is None:
        return
    with xf.element(_q(tag)):
        xf.write(first)
        for node in nodes:
            xf.write(node)


def _element_nodes(elements, writer: _Writer, result: ExportResult, opd_names, performers, chunk_size: int):
    # Built as text and parsed (libxml2) rather than node by node: several times faster for large exports.
    parser = _parser()
    for row in elements.iterator(chunk_size=chunk_size):
        ident = writer.identifier(row["exchange_id"], f"id-simpul-{row['pk']}")
        writer.element_ids[row["pk"]] = ident
        archimate_type = row["archimate_type"] or "Grouping"
        parts = [ELEMENT_HEAD, "identifier=", quoteattr(ident), " xsi:type=", quoteattr(archimate_type), ">"]
        if row["name"] or archimate_type not in JUNCTIONS:
            parts += ['<name xml:lang="id">', _escape(row["name"]), "</name>"]
        if row["description"]:
            parts += ['<documentation xml:lang="id">', _escape(row["description"]), "</documentation>"]
        _properties_text(parts, element_properties(row, opd_names, performers), writer)
        parts.append("</element>")
        writer.file(row["folder"] or str(Domain(row["domain"]).label), ident)
        result.elements += 1
        yield etree.fromstring("".join(parts), parser)


def _properties_text(parts: list[str], props: list[tuple[str, str]], writer: _Writer) -> None:
    if not props:
        return
    parts.append("<properties>")
    for name, value in props:
        parts += [
            '<property propertyDefinitionRef="',
            writer.property_ref(name),
            '"><value xml:lang="id">',
            _escape(value),
            "</value></property>",
        ]
    parts.append("</properties>")


def _relationship_nodes(relationships, writer: _Writer, result: ExportResult, chunk_size: int):
    for rel in relationships.iterator(chunk_size=chunk_size):
        source = writer.element_ids.get(rel.source_id)
        target = writer.element_ids.get(rel.target_id)
        if source is None or target is None:
            continue
        ident = writer.identifier(rel.exchange_id, f"id-simpul-rel-{rel.pk}")
        writer.relationship_ids.add(ident)
        folder = (rel.properties.get(EXTRA) or {}).get("folder")
        if folder:
            writer.file(folder, ident)
        result.relationships += 1
        yield _relationship_xml(rel, ident, source, target, writer)


def _relationship_xml(rel: Relationship, ident: str, source: str, target: str, writer: _Writer):
    extra = rel.properties.get(EXTRA) or {}
    archimate_type = rel.archimate_type or RELATIONSHIP_TYPES[rel.kind].archimate_type or "Association"
    el = etree.Element(_q("relationship"), nsmap=NSMAP, identifier=ident, source=source, target=target)
    el.set(XSI_TYPE, archimate_type)
    if archimate_type == "Access":
        access = extra.get("accessType")
        if access is None and rel.kind == RelationshipKind.USES:
            access = "Read"
        elif access is None and rel.kind == RelationshipKind.PRODUCES:
            access = "Write"
        if access:
            el.set("accessType", access)
    if archimate_type == "Association" and extra.get("isDirected"):
        el.set("isDirected", extra["isDirected"])
    if archimate_type == "Influence" and extra.get("modifier"):
        el.set("modifier", extra["modifier"])
    if extra.get("name"):
        _sub(el, "name", extra["name"])
    if rel.description:
        _sub(el, "documentation", rel.description)
    props = [(f"{PREFIX}relationship", rel.kind)]
    props += [(str(k), _text(v)) for k, v in rel.properties.items() if k != EXTRA]
    _properties_xml(el, props, writer)
    return el


def _folder_nodes(tree: dict):
    for label, child in tree.items():
        if label is None:
            continue
        item = etree.Element(_q("item"), nsmap=NSMAP)
        _fill_folder(item, label, child)
        yield item


def _fill_folder(item, label: str, tree: dict) -> None:
    _sub(item, "label", label)
    for sub_label, child in tree.items():
        if sub_label is not None:
            _fill_folder(_sub(item, "item"), sub_label, child)
    for ident in tree.get(None, []):
        _sub(item, "item", identifierRef=ident)


# --- views of imported models (kept as they came, pruned to what is exported) --------------------------


def _views_dir(instansi) -> str:
    return f"{VIEWS_DIR}/{instansi.pk}"


def _stored_views(instansi) -> list[etree._Element]:
    """The stored <views>/<organizations> fragments of models imported into this instansi."""
    directory = _views_dir(instansi)
    if not default_storage.exists(directory):
        return []
    _dirs, files = default_storage.listdir(directory)
    fragments = []
    for name in sorted(files):
        with default_storage.open(f"{directory}/{name}", "rb") as handle:
            fragments.append(etree.parse(handle, _parser()).getroot())
    return fragments


def _prune_views(fragments, writer: _Writer) -> dict:
    """Views referencing only exported concepts: nodes and connections of missing ones are removed."""
    known = set(writer.element_ids.values()) | writer.relationship_ids
    views, folders, view_ids = [], [], set()
    for fragment in fragments:
        for view in fragment.iterfind(f"{_q('views')}/{_q('diagrams')}/{_q('view')}"):
            ident = view.get("identifier")
            if ident in writer.used:
                continue
            writer.used.add(ident)
            view_ids.add(ident)
            for node in list(view.iter(_q("node"))):
                if node.get("elementRef") and node.get("elementRef") not in known and node.getparent() is not None:
                    node.getparent().remove(node)
            changed = True
            while changed:
                changed = False
                present = {n.get("identifier") for n in view.iter(_q("node"), _q("connection"))}
                for conn in list(view.iter(_q("connection"))):
                    ref = conn.get("relationshipRef")
                    if (
                        (ref and ref not in known)
                        or conn.get("source") not in present
                        or conn.get("target") not in present
                    ):
                        conn.getparent().remove(conn)
                        changed = True
            views.append(view)
    for view in views:
        for ref in list(view.iter(_q("viewRef"))):
            if ref.get("ref") not in view_ids:
                ref.getparent().remove(ref)
    for fragment in fragments:
        for item in fragment.iterfind(f"{_q('organizations')}/{_q('item')}"):
            for leaf in list(item.iter(_q("item"))):
                if leaf.get("identifierRef") and leaf.get("identifierRef") not in view_ids:
                    leaf.getparent().remove(leaf)
            folders.append(item)
    return {"views": views, "folders": folders}


def _store_views(root, instansi, model_id: str, definitions: dict[str, str], view_ids: set[str]) -> int:
    """Keep the model's <views> and the folders holding them, to be written again by every export."""
    views = root.find(_q("views"))
    if views is None or views.find(f"{_q('diagrams')}/{_q('view')}") is None:
        return 0
    fragment = etree.Element("simpul-archimate-views", nsmap={None: NS, "xsi": XSI})
    copy = etree.fromstring(etree.tostring(views))
    for prop in copy.iter(_q("property")):
        # Stored by name: the export numbers property definitions afresh.
        prop.set("propertyDefinitionRef", definitions.get(prop.get("propertyDefinitionRef"), ""))
    fragment.append(copy)
    organizations = etree.SubElement(fragment, _q("organizations"))
    for org in root.iterfind(_q("organizations")):
        for item in org.iterfind(_q("item")):
            if any(leaf.get("identifierRef") in view_ids for leaf in item.iter(_q("item"))):
                organizations.append(etree.fromstring(etree.tostring(item)))
    count = len(copy.findall(f"{_q('diagrams')}/{_q('view')}"))
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", model_id or "model")[:100]
    path = f"{_views_dir(instansi)}/{safe}.xml"
    content = etree.tostring(fragment, xml_declaration=True, encoding="UTF-8")

    def write():
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(content))

    transaction.on_commit(write)
    return count


# --- import --------------------------------------------------------------------------------------------


def _parser():
    # No entities, no network: an uploaded file must not read local files or reach other hosts.
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)


def _first_text(node, tag: str) -> str:
    """The first of a concept's <name>/<documentation> variants (the format allows one per language)."""
    for child in node.iterfind(_q(tag)):
        return (child.text or "").strip() if tag == "name" else (child.text or "")
    return ""


def _read_properties(node, definitions: dict[str, str]) -> dict[str, str]:
    props: dict[str, str] = {}
    container = node.find(_q("properties"))
    if container is None:
        return props
    for prop in container.iterfind(_q("property")):
        name = definitions.get(prop.get("propertyDefinitionRef"), prop.get("propertyDefinitionRef") or "")
        value = prop.find(_q("value"))
        props[name] = value.text or "" if value is not None else ""
    return props


def _read_folders(root) -> dict[str, str]:
    """identifier → folder path (labels joined by FOLDER_SEPARATOR) from every <organizations>."""
    folders: dict[str, str] = {}

    def walk(item, path: list[str]):
        label = item.find(_q("label"))
        here = [*path, (label.text or "").strip()] if label is not None else path
        ref = item.get("identifierRef")
        if ref:
            folders.setdefault(ref, FOLDER_SEPARATOR.join(path))
        for child in item.iterfind(_q("item")):
            walk(child, here)

    for org in root.iterfind(_q("organizations")):
        for item in org.iterfind(_q("item")):
            walk(item, [])
    return folders


def parse(file) -> etree._ElementTree:
    """Parse an uploaded/ opened exchange file; refuse what is not an ArchiMate exchange model."""
    try:
        tree = etree.parse(file, _parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise ArchimateImportError(
            _("The file is not well-formed XML: %(error)s") % {"error": error}, code="not_xml"
        ) from error
    if tree.getroot().tag != _q("model"):
        raise ArchimateImportError(
            _("The file is not an ArchiMate exchange model (expected <model> in namespace %(ns)s).") % {"ns": NS},
            code="not_archimate",
        )
    return tree


def _domain_for(archimate_type: str, simpul: dict[str, str], props: dict[str, str]) -> str:
    declared = simpul.get("domain")
    if declared in Domain.values:
        return declared
    if archimate_type in SECURITY_TYPES and (
        "control_kind" in simpul or any(k.strip().lower() in SECURITY_PROPERTY_NAMES for k in props)
    ):
        return Domain.SECURITY
    return ELEMENT_DOMAINS.get(archimate_type, Domain.OTHER)


class _Importer:
    def __init__(self, instansi, owner_opd, user):
        self.instansi = instansi
        self.owner_opd = owner_opd
        self.user = user
        self.result = ImportResult()
        self.opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
        self.may_publish = _may_review(user, instansi)
        self.references: dict[str, ReferenceCode | None] = {}
        self.relationship_ids: set[str] = set()

    def opd(self, short_name: str):
        return self.opds.get(short_name.strip())

    def reference(self, code: str):
        if code not in self.references:
            self.references[code] = ReferenceCode.objects.filter(code=code).first()
        return self.references[code]

    def owner_for(self, simpul: dict[str, str]):
        """The OPD named by `simpul:owner` when it exists here and the user may add to it; else the chosen OPD."""
        named = self.opd(simpul.get("owner", ""))
        if (
            named is not None
            and named != self.owner_opd
            and permissions.can_add(self.user, Element, self.instansi.pk, named.pk)
        ):
            return named
        return self.owner_opd

    def apply_common(self, element: Element, ident, archimate_type, name, doc, simpul, props, folder) -> None:
        element.exchange_id = ident
        element.archimate_type = archimate_type
        element.name = name[:300]
        element.description = doc
        element.folder = folder[:300]
        if len(name) > 300:
            props[f"{PREFIX}full_name"] = name
        status = simpul.pop("status", None)
        if status is not None:
            if status in ElementStatus.values:
                element.status = status
            else:
                props[f"{PREFIX}status"] = status
        if "code" in simpul:
            element.code = simpul.pop("code")[:60]
        code = simpul.pop("reference", None)
        if code:
            element.reference = self.reference(code)
            if element.reference is None:
                props[f"{PREFIX}reference"] = code
        published = _bool(simpul.pop("published", "") or "")
        if published is not None and self.may_publish:
            element.published = published

    def apply_typed(self, typed: Element, domain: str, archimate_type: str, simpul, props) -> list:
        """Set the typed fields from `simpul:` properties; return the performer OPDs (set after saving)."""
        performers = []
        for name, kind, choices in TYPED_FIELDS.get(domain, []):
            if name not in simpul:
                continue
            raw = simpul.pop(name)
            value: Any = raw
            if kind == "opds":
                found = [self.opd(part) for part in raw.split(",") if part.strip()]
                performers = [opd for opd in found if opd is not None]
                if len(performers) != len(found):
                    props[f"{PREFIX}{name}"] = raw
                continue
            if kind == "opd":
                value = self.opd(raw)
            elif kind == "boolean":
                value = _bool(raw)
            elif kind == "number":
                value = int(raw) if raw.strip().isdigit() else None
            elif choices is not None and raw not in choices:
                value = None
            if value is None:
                props[f"{PREFIX}{name}"] = raw  # kept, not dropped
                continue
            setattr(typed, f"{name}_id" if kind == "opd" else name, value.pk if kind == "opd" else value)
        if domain == Domain.SERVICE and not typed.service_type:
            typed.service_type = DEFAULT_SERVICE_TYPE
        if domain == Domain.APPLICATION and not typed.kind:
            typed.kind = DEFAULT_APPLICATION_KIND
        if domain == Domain.INFRASTRUCTURE and not typed.kind:
            typed.kind = INFRASTRUCTURE_KINDS.get(archimate_type, InfrastructureKind.OTHER)
        return performers

    def element(self, node, definitions, folders, existing) -> tuple[str, Element]:
        ident = node.get("identifier")
        archimate_type = node.get(XSI_TYPE) or "Grouping"
        name = _first_text(node, "name")
        doc = _first_text(node, "documentation")
        all_props = _read_properties(node, definitions)
        simpul = {k[len(PREFIX) :]: v for k, v in all_props.items() if k.startswith(PREFIX)}
        props = {k: v for k, v in all_props.items() if not k.startswith(PREFIX)}
        domain = _domain_for(archimate_type, simpul, props)
        simpul.pop("domain", None)
        owner_name = simpul.pop("owner", "")
        current = existing.get(ident)
        if current is not None:
            typed = current.typed
            domain = typed.domain  # the type of an existing record does not change
        else:
            typed = MODELS[domain](owner=self.owner_for({"owner": owner_name}))
        self.apply_common(typed, ident, archimate_type, name, doc, simpul, props, folders.get(ident, ""))
        performers = self.apply_typed(typed, domain, archimate_type, simpul, props) if domain != Domain.OTHER else []
        props.update({f"{PREFIX}{k}": v for k, v in simpul.items()})  # Simpul keys of other types: kept
        typed.properties = props
        if current is None:
            typed = services.create_object(self.user, typed)
            self.result.created += 1
        else:
            typed = services.update_object(self.user, typed)
            self.result.updated += 1
        if performers or (domain == Domain.BUSINESS and current is not None):
            typed.performers.set(performers)
        self.result.elements[domain] += 1
        return domain, typed

    def relationship(self, node, definitions, folders, elements, existing, taken) -> None:
        ident = node.get("identifier")
        source = elements.get(node.get("source"))
        target = elements.get(node.get("target"))
        archimate_type = node.get(XSI_TYPE) or "Association"
        if source is None or target is None:
            ends = {node.get("source"), node.get("target")} - set(elements)
            if not ends <= self.relationship_ids:
                raise ArchimateImportError(
                    _("Relationship %(id)s refers to %(ref)s, which is not in the file.")
                    % {"id": ident, "ref": ", ".join(sorted(ends - self.relationship_ids))},
                    code="dangling",
                )
            # A relationship to a relationship has no place in Simpul (its ends are elements).
            self.result.skipped.append(
                _("Relationship %(id)s (%(type)s) connects a relationship, which Simpul cannot hold.")
                % {"id": ident, "type": archimate_type}
            )
            return
        all_props = _read_properties(node, definitions)
        declared = all_props.pop(f"{PREFIX}relationship", None)
        extra = {
            key: value
            for key, value in {
                "name": _first_text(node, "name"),
                "accessType": node.get("accessType"),
                "isDirected": node.get("isDirected"),
                "modifier": node.get("modifier"),
                "folder": folders.get(ident, ""),
            }.items()
            if value
        }
        props = dict(all_props)
        if extra:
            props[EXTRA] = extra
        current = existing.get(ident)
        kind = _relationship_kind(declared, archimate_type, node.get("accessType"), source.domain, target.domain)
        own_key = (current.source_id, current.target_id, current.kind) if current else None
        if kind != RelationshipKind.ARCHIMATE and (source.pk, target.pk, kind) in taken - {own_key}:
            kind = RelationshipKind.ARCHIMATE  # the vocabulary holds one such link; keep this one as ArchiMate
        rel = current or Relationship()
        if own_key:
            taken.discard(own_key)
        rel.source, rel.target, rel.kind = source, target, kind
        rel.archimate_type = archimate_type
        rel.description = _first_text(node, "documentation")
        rel.properties = props
        rel.exchange_id = ident
        if kind != RelationshipKind.ARCHIMATE:
            taken.add((source.pk, target.pk, kind))
        if current is None:
            services.create_object(self.user, rel)
            self.result.created += 1
        else:
            services.update_object(self.user, rel)
            self.result.updated += 1
        self.result.relationships[kind] += 1
        self.result.relationships_by_domain[source.domain] += 1


def _relationship_kind(declared, archimate_type: str, access: str | None, source: str, target: str) -> str:
    """The SPBE kind: the exported `simpul:relationship` when the domains allow it, else by ArchiMate type."""
    if declared in RELATIONSHIP_TYPES and RELATIONSHIP_TYPES[declared].allows(source, target):
        return declared
    candidates = {
        "Realization": ["realizes", "runs_on"],
        "Assignment": ["runs_on"],
        "Serving": ["supports"],
        "Flow": ["integrates_with"],
        "Association": ["protected_by", "connected_via"],
        "Access": ["produces", "uses"] if access in ("Write", "ReadWrite") else ["uses"],
    }.get(archimate_type, [])
    for kind in candidates:
        if RELATIONSHIP_TYPES[kind].allows(source, target):
            return kind
    return RelationshipKind.ARCHIMATE


def _may_review(user, instansi) -> bool:
    if user is None:
        return False
    allowed = permissions.allowed_instansi_ids(user, "review", Element)
    return allowed is None or instansi.pk in allowed


def import_model(instansi, owner_opd, file, user) -> ImportResult:
    """Import an exchange file into `instansi`, new elements owned by `owner_opd`, acting as `user`.

    One transaction: a refused record (permission, validation) or a broken file writes nothing.
    Elements and relationships already imported (same identifier in this instansi) are updated.
    """
    if owner_opd.instansi_id != instansi.pk:
        raise ArchimateImportError(_("The OPD does not belong to this instansi."), code="wrong_opd")
    if not permissions.can_add(user, Element, instansi.pk, owner_opd.pk):
        raise PermissionDenied(_("You may not add architecture elements to %(opd)s.") % {"opd": owner_opd})
    root = parse(file).getroot()
    definitions = {d.get("identifier"): _first_text(d, "name") for d in root.iter(_q("propertyDefinition"))}
    folders = _read_folders(root)
    element_nodes = list(root.iterfind(f"{_q('elements')}/{_q('element')}"))
    relationship_nodes = list(root.iterfind(f"{_q('relationships')}/{_q('relationship')}"))
    importer = _Importer(instansi, owner_opd, user)
    importer.result.model_name = _first_text(root, "name")
    try:
        with transaction.atomic():
            ids = [n.get("identifier") for n in element_nodes]
            existing = {
                e.exchange_id: e
                for e in Element.objects.filter(owner__instansi=instansi, exchange_id__in=ids).order_by("pk")
            }
            elements: dict[str, Element] = {}
            for node in element_nodes:
                _domain, element = importer.element(node, definitions, folders, existing)
                elements[node.get("identifier")] = element
            rel_ids = [n.get("identifier") for n in relationship_nodes]
            importer.relationship_ids = set(rel_ids)
            existing_rels = {
                r.exchange_id: r
                for r in Relationship.objects.filter(source__owner__instansi=instansi, exchange_id__in=rel_ids)
            }
            taken = set(
                Relationship.objects.filter(source__owner__instansi=instansi)
                .exclude(kind=RelationshipKind.ARCHIMATE)
                .values_list("source_id", "target_id", "kind")
            )
            for node in relationship_nodes:
                importer.relationship(node, definitions, folders, elements, existing_rels, taken)
            view_ids = {v.get("identifier") for v in root.iter(_q("view"))}
            importer.result.views = _store_views(root, instansi, root.get("identifier", ""), definitions, view_ids)
    except ValidationError as error:
        if isinstance(error, ArchimateImportError):
            raise
        raise ArchimateImportError(
            _("A record of the file was refused: %(error)s") % {"error": "; ".join(error.messages)}, code="invalid"
        ) from error
    return importer.result
