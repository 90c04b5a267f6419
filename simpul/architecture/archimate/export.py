"""Export of an instansi's architecture as an ArchiMate exchange file.

The export streams (lxml `xmlfile`): elements and relationships are read in chunks of `values()` rows and
written one by one, so memory grows with the number of identifiers, not with the document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _
from lxml import etree

from simpul.architecture.archimate import layer_views
from simpul.architecture.archimate.kept_views import prune_views, stored_views
from simpul.architecture.archimate.mapping import (
    CODE_SUFFIX,
    COMMON,
    EXTRA,
    FOLDER_SEPARATOR,
    JUNCTIONS,
    LANG,
    NS,
    NSMAP,
    PREFIX,
    PROPERTY_TYPES,
    RELATIONSHIP,
    SCHEMA_LOCATION,
    TYPED_FIELDS,
    VIEWS_FOLDER,
    XML_LANG,
    XSI,
    XSI_TYPE,
    as_text,
    choice_labels,
    qname,
    xml_parser,
)
from simpul.architecture.choices import Domain
from simpul.architecture.models import DOMAIN_ACCESSORS, BusinessProcess, Element, Relationship
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES, RelationshipKind
from simpul.core import permissions
from simpul.organizations.models import PerangkatDaerah

CHUNK_SIZE = 2000
NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
ELEMENT_HEAD = f'<element xmlns="{NS}" xmlns:xsi="{XSI}" '
# Characters XML 1.0 cannot hold at all (control characters): dropped from exported text.
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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
    f"{DOMAIN_ACCESSORS[domain]}__{name}_id" if kind == "opd" else f"{DOMAIN_ACCESSORS[domain]}__{name}"
    for domain, fields in TYPED_FIELDS.items()
    for name, kind, _choices in fields
    if kind != "opds"
]


@dataclass
class ExportResult:
    elements: int = 0
    relationships: int = 0
    views: int = 0


class _Writer:
    """Assigns valid, unique identifiers and property definition ids while the document is written."""

    def __init__(self):
        self.used: set[str] = set()
        self.element_ids: dict[int, str] = {}
        self.relationship_ids: set[str] = set()
        self.property_ids: dict[str, str] = {}
        self.folders: dict = {}
        # For the layer views: element identifiers per SPBE domain, (identifier, source, target) of each
        # relationship written.
        self.layers: dict[str, list[str]] = defaultdict(list)
        self.relationship_ends: list[tuple[str, str, str]] = []

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


def _escape(text: str) -> str:
    return escape(INVALID_XML_CHARS.sub("", text))


def _sub(parent, tag: str, text: str | None = None, lang: bool = True, **attrs):
    el = etree.SubElement(parent, qname(tag), **attrs)
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


def _labelled(props: list[tuple[str, str]], name: str, code: str, labels: dict[str, str] | None) -> None:
    """A choice as its label, its code beside it (`<name> (kode)`); other values as they are."""
    if labels is not None and code in labels:
        props += [(name, labels[code]), (f"{name}{CODE_SUFFIX}", code)]
    else:
        props.append((name, code))


def element_properties(row: dict, opd_names: dict[int, str], performers: dict[int, list[int]], labels=None):
    """(name, value) pairs exported for an element row: Simpul's fields first, then its own properties.

    A choice field's value is its Indonesian label, followed by its code as `simpul:<field> (kode)`
    (`labels`: `mapping.choice_labels()`, computed once per export when not given).
    """
    labels = choice_labels() if labels is None else labels
    props: list[tuple[str, str]] = []
    _labelled(props, f"{PREFIX}domain", row["domain"], labels.get((COMMON, "domain")))
    props.append((f"{PREFIX}owner", opd_names.get(row["owner_id"], "")))
    _labelled(props, f"{PREFIX}status", row["status"], labels.get((COMMON, "status")))
    props += [
        (f"{PREFIX}code", row["code"]),
        (f"{PREFIX}reference", row["reference__code"] or ""),
        (f"{PREFIX}published", as_text(row["published"])),
    ]
    accessor = DOMAIN_ACCESSORS.get(row["domain"])
    for name, kind, _choices in TYPED_FIELDS.get(row["domain"], []):
        if kind == "opds":
            value = ", ".join(sorted(opd_names[pk] for pk in performers.get(row["pk"], []) if pk in opd_names))
        elif kind == "opd":
            value = opd_names.get(row[f"{accessor}__{name}_id"], "")
        else:
            value = as_text(row[f"{accessor}__{name}"])
            if value:
                _labelled(props, f"{PREFIX}{name}", value, labels.get((row["domain"], name)))
                continue
        props.append((f"{PREFIX}{name}", value))
    props += [(str(k), as_text(v)) for k, v in (row["properties"] or {}).items() if k != EXTRA]
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
    views = stored_views(instansi)
    labels = choice_labels()

    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(
            qname("model"),
            nsmap=NSMAP,
            attrib={f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
            identifier=f"id-simpul-model-{instansi.pk}",
        ):
            header = etree.Element(qname("name"), nsmap=NSMAP)
            header.set(XML_LANG, LANG)
            header.text = _("SPBE architecture of %(instansi)s") % {"instansi": instansi.name}
            xf.write(header)
            doc = etree.Element(qname("documentation"), nsmap=NSMAP)
            doc.set(XML_LANG, LANG)
            doc.text = _("Exported from Simpul, the SPBE repository of %(instansi)s.") % {"instansi": instansi.name}
            xf.write(doc)
            _write_container(
                xf, "elements", _element_nodes(elements, writer, result, opd_names, performers, chunk_size, labels)
            )
            _write_container(
                xf, "relationships", _relationship_nodes(relationships, writer, result, chunk_size, labels)
            )
            own_views = layer_views.plan(writer)
            for view in own_views:
                writer.file(VIEWS_FOLDER, view.identifier)
            diagrams = prune_views(views, writer)
            for view in diagrams["views"]:  # their nodes' identifiers are taken too
                writer.used.update(n.get("identifier") for n in view.iter() if n.get("identifier"))
            _write_container(xf, "organizations", [*_folder_nodes(writer.folders), *diagrams["folders"]])
            for view in diagrams["views"]:
                for prop in view.iter(qname("property")):
                    prop.set("propertyDefinitionRef", writer.property_ref(prop.get("propertyDefinitionRef")))
            if writer.property_ids:
                with xf.element(qname("propertyDefinitions")):
                    for name, ident in writer.property_ids.items():
                        definition = etree.Element(
                            qname("propertyDefinition"),
                            nsmap=NSMAP,
                            identifier=ident,
                            type=PROPERTY_TYPES.get(name, "string"),
                        )
                        _sub(definition, "name", name, lang=False)
                        xf.write(definition)
            if own_views or diagrams["views"]:
                with xf.element(qname("views")), xf.element(qname("diagrams")):
                    for planned in own_views:
                        xf.write(layer_views.view_xml(planned, writer))
                        result.views += 1
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
    with xf.element(qname(tag)):
        xf.write(first)
        for node in nodes:
            xf.write(node)


def _element_nodes(elements, writer: _Writer, result: ExportResult, opd_names, performers, chunk_size: int, labels):
    # Built as text and parsed (libxml2) rather than node by node: several times faster for large exports.
    parser = xml_parser()
    for row in elements.iterator(chunk_size=chunk_size):
        ident = writer.identifier(row["exchange_id"], f"id-simpul-{row['pk']}")
        writer.element_ids[row["pk"]] = ident
        archimate_type = row["archimate_type"] or "Grouping"
        parts = [ELEMENT_HEAD, "identifier=", quoteattr(ident), " xsi:type=", quoteattr(archimate_type), ">"]
        if row["name"] or archimate_type not in JUNCTIONS:
            parts += ['<name xml:lang="id">', _escape(row["name"]), "</name>"]
        if row["description"]:
            parts += ['<documentation xml:lang="id">', _escape(row["description"]), "</documentation>"]
        _properties_text(parts, element_properties(row, opd_names, performers, labels), writer)
        parts.append("</element>")
        writer.file(row["folder"] or str(Domain(row["domain"]).label), ident)
        writer.layers[row["domain"]].append(ident)
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


def _relationship_nodes(relationships, writer: _Writer, result: ExportResult, chunk_size: int, labels):
    for rel in relationships.iterator(chunk_size=chunk_size):
        source = writer.element_ids.get(rel.source_id)
        target = writer.element_ids.get(rel.target_id)
        if source is None or target is None:
            continue
        ident = writer.identifier(rel.exchange_id, f"id-simpul-rel-{rel.pk}")
        writer.relationship_ids.add(ident)
        writer.relationship_ends.append((ident, source, target))
        folder = (rel.properties.get(EXTRA) or {}).get("folder")
        if folder:
            writer.file(folder, ident)
        result.relationships += 1
        yield _relationship_xml(rel, ident, source, target, writer, labels)


def _relationship_xml(rel: Relationship, ident: str, source: str, target: str, writer: _Writer, labels):
    extra = rel.properties.get(EXTRA) or {}
    archimate_type = rel.archimate_type or RELATIONSHIP_TYPES[rel.kind].archimate_type or "Association"
    el = etree.Element(qname("relationship"), nsmap=NSMAP, identifier=ident, source=source, target=target)
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
    props: list[tuple[str, str]] = []
    _labelled(props, f"{PREFIX}relationship", rel.kind, labels.get((RELATIONSHIP, "relationship")))
    props += [(str(k), as_text(v)) for k, v in rel.properties.items() if k != EXTRA]
    _properties_xml(el, props, writer)
    return el


def _folder_nodes(tree: dict):
    for label, child in tree.items():
        if label is None:
            continue
        item = etree.Element(qname("item"), nsmap=NSMAP)
        _fill_folder(item, label, child)
        yield item


def _fill_folder(item, label: str, tree: dict) -> None:
    _sub(item, "label", label)
    for sub_label, child in tree.items():
        if sub_label is not None:
            _fill_folder(_sub(item, "item"), sub_label, child)
    for ident in tree.get(None, []):
        _sub(item, "item", identifierRef=ident)
