"""The three diagrams drawn from the repository: an element's neighbourhood, an impact analysis and
whole layers. The graph is always read through `restrict()`, so a diagram shows only what its reader
may see."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.architecture import impact
from simpul.architecture.choices import Domain
from simpul.architecture.diagrams.layout import layout
from simpul.architecture.diagrams.model import (
    COLOURS,
    IMPACT_LIMIT,
    LAYER_LIMIT,
    LAYER_ORDER,
    NEIGHBOURHOOD_LIMIT,
    Band,
    Diagram,
    Edge,
    Node,
    clean_text,
)
from simpul.architecture.models import Element, Relationship
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import permissions


def _node(element: Element, band: int, root: bool = False) -> Node:
    return Node(
        pk=element.pk,
        name=clean_text(element.name),
        domain=element.domain if element.domain in COLOURS else Domain.OTHER,
        owner=clean_text(element.owner.short_name or element.owner.name),
        url=element.get_absolute_url(),
        status=str(element.get_status_display()),
        band=band,
        root=root,
    )


def _layer_of(domain: str) -> int:
    return LAYER_ORDER.index(domain) if domain in LAYER_ORDER else len(LAYER_ORDER) - 1


# `_layer_of` in SQL, to order elements in the database.
_LAYER = Case(
    *[When(domain=domain, then=Value(index)) for index, domain in enumerate(LAYER_ORDER)],
    default=Value(len(LAYER_ORDER) - 1),
    output_field=IntegerField(),
)


def _visible_elements(user):
    return permissions.restrict(Element.objects.select_related("owner"), user, "view")


def _edge_label(kind: str, archimate_type: str) -> str:
    if kind == RelationshipKind.ARCHIMATE and archimate_type:
        return archimate_type
    try:
        return str(RelationshipKind(kind).label)
    except ValueError:
        return kind


def _edges_among(user, ids: set[int], keep=None) -> list[Edge]:
    """The relationships the user may see whose both ends are in `ids` (optionally filtered by `keep`)."""
    if not ids:
        return []
    rows = (
        permissions.restrict(Relationship.objects.all(), user, "view")
        .filter(source_id__in=ids, target_id__in=ids)
        .order_by("pk")
        .values_list("source_id", "target_id", "kind", "archimate_type")
    )
    edges = []
    seen = set()
    for source, target, kind, archimate_type in rows:
        if source == target or (source, target, kind) in seen:
            continue
        if keep is not None and not keep(source, target, kind):
            continue
        seen.add((source, target, kind))
        edges.append(Edge(source, target, kind, _edge_label(kind, archimate_type)))
    return edges


def _more_note(count: int) -> str:
    return ngettext("+%(count)d more element not shown.", "+%(count)d more elements not shown.", count) % {
        "count": count
    }


def _domain_bands(nodes: dict[int, Node]) -> list[Band]:
    for node in nodes.values():
        node.band = _layer_of(node.domain)
    return [Band(str(Domain(domain).label)) for domain in LAYER_ORDER]


def neighbourhood(element: Element, user, depth: int = 1, limit: int = NEIGHBOURHOOD_LIMIT) -> Diagram:
    """The element and what it is linked to, in both directions, up to `depth` (1 or 2) steps away."""
    depth = 2 if depth == 2 else 1
    visible_relationships = permissions.restrict(Relationship.objects.all(), user, "view")
    elements = _visible_elements(user)
    reached: dict[int, Element] = {element.pk: element}
    order: list[int] = [element.pk]
    frontier = [element.pk]
    more = 0
    for _level in range(depth):
        pairs = visible_relationships.filter(Q(source_id__in=frontier) | Q(target_id__in=frontier)).values_list(
            "source_id", "target_id"
        )
        candidates = {other for pair in pairs for other in pair if other not in reached}
        found = list(elements.filter(pk__in=candidates).order_by("name", "pk"))
        room = max(limit - len(order), 0)
        more += max(len(found) - room, 0)
        frontier = []
        for other in found[:room]:
            reached[other.pk] = other
            order.append(other.pk)
            frontier.append(other.pk)
        if not frontier or more:
            break  # past the cap the walk stops; the note says how many were left out at this step
    nodes = {pk: _node(reached[pk], 0, root=pk == element.pk) for pk in order}
    bands = _domain_bands(nodes)
    notes = [_more_note(more)] if more else []
    title = _("Neighbourhood of %(name)s") % {"name": clean_text(element.name)}
    return layout(Diagram(title, nodes, _edges_among(user, set(nodes)), bands, notes))


def impact_diagram(element: Element, user, direction: str = "dependents", limit: int = IMPACT_LIMIT) -> Diagram:
    """An impact analysis drawn by distance from the analysed element, which is highlighted.

    Only the nodes drawn are loaded: the visible reach is counted in the database and its nearest
    `limit - 1` elements (by distance, layer, name) read in one query, whatever the reach.
    """
    result = impact.analyse(element, direction)
    reach = impact.VisibleReach(result, user)
    notes = []
    if reach.hidden:
        notes.append(
            ngettext(
                "%(count)d more element is outside what you may see.",
                "%(count)d more elements are outside what you may see.",
                reach.hidden,
            )
            % {"count": reach.hidden}
        )
    if reach.count > limit - 1:
        notes.append(_more_note(reach.count - (limit - 1)))
    visible = [other for other, _distance in reach.page(0, limit - 1, then_by=(_LAYER, "name", "pk"))]
    nodes = {element.pk: _node(element, 0, root=True)}
    for other in visible:
        nodes[other.pk] = _node(other, result.depth[other.pk])
    max_depth = max((node.band for node in nodes.values()), default=0)
    bands = [Band(_("Analysed element"))]
    bands += [
        Band(ngettext("%(count)d step away", "%(count)d steps away", d) % {"count": d}) for d in range(1, max_depth + 1)
    ]
    traversed = {frozenset((a, b)) | {kind} for a, b, kind in result.edges_among(nodes)}
    edges = _edges_among(user, set(nodes), keep=lambda s, t, k: frozenset((s, t)) | {k} in traversed)
    if direction == "dependents":
        title = _("What is affected if %(name)s fails") % {"name": clean_text(element.name)}
    else:
        title = _("What %(name)s needs") % {"name": clean_text(element.name)}
    return layout(Diagram(title, nodes, edges, bands, notes))


def layer_diagram(user, instansi, domain: str | None = None, opd=None, limit: int = LAYER_LIMIT) -> Diagram:
    """The elements of an instansi (or of one domain, or one OPD) in the SPBE layers."""
    elements = _visible_elements(user).filter(owner__instansi=instansi)
    if domain:
        elements = elements.filter(domain=domain)
    if opd is not None:
        elements = elements.filter(owner=opd)
    found = sorted(elements, key=lambda e: (_layer_of(e.domain), e.name, e.pk))
    notes = []
    if len(found) > limit:
        notes.append(_more_note(len(found) - limit) + " " + _("Filter by domain or OPD to see them."))
        found = found[:limit]
    nodes = {e.pk: _node(e, 0) for e in found}
    bands = _domain_bands(nodes)
    parts = [str(instansi)]
    if opd is not None:
        parts.append(str(opd))
    if domain:
        parts.append(str(Domain(domain).label))
    title = _("Architecture: %(scope)s") % {"scope": clean_text(" — ".join(parts))}
    return layout(Diagram(title, nodes, _edges_among(user, set(nodes)), bands, notes))
