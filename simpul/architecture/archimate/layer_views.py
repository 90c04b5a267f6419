"""The views Simpul draws into every export, so Archi users open a model they recognise: one view per SPBE
layer present (its elements, and the relationships among them) and an overview of all elements, layer
under layer in the order of Simpul's layer diagram.

Each is a simple grid: `COLUMNS` boxes a row, in the order the elements were exported; the overview heads
each layer with a label. Only identifiers are kept while the export streams (`export._Writer.layers` and
`.relationship_ends`); a view's nodes are built when it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from simpul.architecture.archimate.mapping import (
    LANG,
    NSMAP,
    OVERVIEW_KEY,
    OVERVIEW_NAME,
    VIEW_NAMES,
    VIEW_PREFIX,
    XML_LANG,
    XSI_TYPE,
    qname,
)
from simpul.architecture.diagrams.model import LAYER_ORDER

COLUMNS = 6
NODE_W = 150
NODE_H = 60
H_GAP = 30
V_GAP = 40
MARGIN = 20
LABEL_H = 30
BAND_GAP = 30


@dataclass(frozen=True)
class PlannedView:
    identifier: str
    name: str
    domains: tuple[str, ...]


def plan(writer) -> list[PlannedView]:
    """The views to write, their identifiers taken now (the folders naming them are written first)."""
    present = [domain for domain in LAYER_ORDER if writer.layers.get(domain)]
    views = []
    for key, name, domains in [
        *((str(domain), VIEW_NAMES[domain], (domain,)) for domain in present),
        *([(OVERVIEW_KEY, OVERVIEW_NAME, tuple(present))] if present else []),
    ]:
        ident = f"{VIEW_PREFIX}{key}"
        views.append(PlannedView(writer.identifier(ident, ident), name, domains))
    return views


def _text(parent, tag: str, text: str):
    el = etree.SubElement(parent, qname(tag))
    el.text = text
    el.set(XML_LANG, LANG)
    return el


def view_xml(view: PlannedView, writer) -> etree._Element:
    """<view xsi:type="Diagram">: a node per element of the view's layers, a connection per relationship
    whose two ends are in it."""
    el = etree.Element(qname("view"), nsmap=NSMAP, identifier=view.identifier)
    el.set(XSI_TYPE, "Diagram")
    _text(el, "name", view.name)
    width = COLUMNS * NODE_W + (COLUMNS - 1) * H_GAP
    nodes: dict[str, str] = {}  # element identifier → node identifier
    y = MARGIN
    for domain in view.domains:
        elements = writer.layers[domain]
        if len(view.domains) > 1:
            label = etree.SubElement(
                el,
                qname("node"),
                identifier=writer.identifier(f"{view.identifier}-label-{domain}", f"{view.identifier}-label"),
                x=str(MARGIN),
                y=str(y),
                w=str(width),
                h=str(LABEL_H),
            )
            label.set(XSI_TYPE, "Label")
            _text(label, "label", VIEW_NAMES[domain])
            y += LABEL_H + V_GAP // 2
        for index, element in enumerate(elements):
            row, column = divmod(index, COLUMNS)
            ident = writer.identifier(f"{view.identifier}-n{len(nodes) + 1}", f"{view.identifier}-n")
            node = etree.SubElement(
                el,
                qname("node"),
                identifier=ident,
                elementRef=element,
                x=str(MARGIN + column * (NODE_W + H_GAP)),
                y=str(y + row * (NODE_H + V_GAP)),
                w=str(NODE_W),
                h=str(NODE_H),
            )
            node.set(XSI_TYPE, "Element")
            nodes[element] = ident
        rows = -(-len(elements) // COLUMNS)
        y += rows * (NODE_H + V_GAP) - V_GAP + BAND_GAP
    count = 0
    for relationship, source, target in writer.relationship_ends:
        if source in nodes and target in nodes:
            count += 1
            connection = etree.SubElement(
                el,
                qname("connection"),
                identifier=writer.identifier(f"{view.identifier}-c{count}", f"{view.identifier}-c"),
                relationshipRef=relationship,
                source=nodes[source],
                target=nodes[target],
            )
            connection.set(XSI_TYPE, "Relationship")
    return el
