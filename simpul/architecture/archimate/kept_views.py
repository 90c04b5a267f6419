"""Views (diagrams) of imported models: kept as they came, written again by every export of the instansi.

Simpul neither shows nor edits them; an export prunes them to what it writes, so the file stays valid.
"""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from lxml import etree

from simpul.architecture.archimate.mapping import NS, XSI, is_simpul_view, qname, xml_parser

VIEWS_DIR = "architecture/archimate"


def views_dir(instansi) -> str:
    return f"{VIEWS_DIR}/{instansi.pk}"


def stored_views(instansi) -> list[etree._Element]:
    """The stored <views>/<organizations> fragments of models imported into this instansi."""
    directory = views_dir(instansi)
    if not default_storage.exists(directory):
        return []
    _dirs, files = default_storage.listdir(directory)
    fragments = []
    for name in sorted(files):
        with default_storage.open(f"{directory}/{name}", "rb") as handle:
            fragments.append(etree.parse(handle, xml_parser()).getroot())
    return fragments


def prune_views(fragments, writer) -> dict:
    """Views referencing only exported concepts: nodes and connections of missing ones are removed.

    `writer` is the export's identifier book (`export._Writer`): identifiers used, and those of the
    elements and relationships written.
    """
    known = set(writer.element_ids.values()) | writer.relationship_ids
    views, folders, view_ids = [], [], set()
    for fragment in fragments:
        for view in fragment.iterfind(f"{qname('views')}/{qname('diagrams')}/{qname('view')}"):
            ident = view.get("identifier")
            if ident in writer.used:
                continue
            writer.used.add(ident)
            view_ids.add(ident)
            for node in list(view.iter(qname("node"))):
                if node.get("elementRef") and node.get("elementRef") not in known and node.getparent() is not None:
                    node.getparent().remove(node)
            changed = True
            while changed:
                changed = False
                present = {n.get("identifier") for n in view.iter(qname("node"), qname("connection"))}
                for conn in list(view.iter(qname("connection"))):
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
        for ref in list(view.iter(qname("viewRef"))):
            if ref.get("ref") not in view_ids:
                ref.getparent().remove(ref)
    for fragment in fragments:
        for item in fragment.iterfind(f"{qname('organizations')}/{qname('item')}"):
            for leaf in list(item.iter(qname("item"))):
                if leaf.get("identifierRef") and leaf.get("identifierRef") not in view_ids:
                    leaf.getparent().remove(leaf)
            folders.append(item)
    return {"views": views, "folders": folders}


def store_views(root, instansi, model_id: str, definitions: dict[str, str], view_ids: set[str]) -> int:
    """Keep the model's <views> and the folders holding them, to be written again by every export.

    The layer views of a Simpul export (`mapping.is_simpul_view`) are not kept: every export draws them
    afresh. `view_ids`: the identifiers of the views kept.
    """
    views = root.find(qname("views"))
    if views is None:
        return 0
    copy = etree.fromstring(etree.tostring(views))
    for view in copy.findall(f"{qname('diagrams')}/{qname('view')}"):
        if is_simpul_view(view.get("identifier")):
            view.getparent().remove(view)
    if copy.find(f"{qname('diagrams')}/{qname('view')}") is None:
        return 0
    fragment = etree.Element("simpul-archimate-views", nsmap={None: NS, "xsi": XSI})
    for prop in copy.iter(qname("property")):
        # Stored by name: the export numbers property definitions afresh.
        prop.set("propertyDefinitionRef", definitions.get(prop.get("propertyDefinitionRef"), ""))
    fragment.append(copy)
    organizations = etree.SubElement(fragment, qname("organizations"))
    for org in root.iterfind(qname("organizations")):
        for item in org.iterfind(qname("item")):
            if any(leaf.get("identifierRef") in view_ids for leaf in item.iter(qname("item"))):
                organizations.append(etree.fromstring(etree.tostring(item)))
    count = len(copy.findall(f"{qname('diagrams')}/{qname('view')}"))
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", model_id or "model")[:100]
    path = f"{views_dir(instansi)}/{safe}.xml"
    content = etree.tostring(fragment, xml_declaration=True, encoding="UTF-8")

    def write():
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(content))

    transaction.on_commit(write)
    return count
