"""Diagrams of the architecture: an element's neighbourhood, an impact analysis, and whole layers.

Pure Python, no system package: the graph is read through `restrict()` (so a diagram shows only what
its reader may see), laid out in horizontal bands (the SPBE layers, or the distance from the analysed
element), ordered within each band by the barycentre heuristic to reduce crossings, and rendered to SVG
by hand or to PNG with Pillow's built-in scalable font. The layout is deterministic: the same records
give the same picture, so exported files are stable and tests can compare positions.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.architecture import impact
from simpul.architecture.choices import Domain
from simpul.architecture.models import Element, Relationship
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import permissions

# The SPBE layers from top to bottom, as the master plan draws them.
LAYER_ORDER = [
    Domain.SERVICE,
    Domain.BUSINESS,
    Domain.DATA,
    Domain.APPLICATION,
    Domain.INFRASTRUCTURE,
    Domain.SECURITY,
    Domain.OTHER,
]
# (fill, stroke) per domain: light fills keep dark text readable, strokes tell the domains apart.
COLOURS = {
    Domain.SERVICE: ("#fff3bf", "#e67700"),
    Domain.BUSINESS: ("#ffe8cc", "#d9480f"),
    Domain.DATA: ("#e5dbff", "#6741d9"),
    Domain.APPLICATION: ("#d0ebff", "#1971c2"),
    Domain.INFRASTRUCTURE: ("#d3f9d8", "#2b8a3e"),
    Domain.SECURITY: ("#ffe3e3", "#c92a2a"),
    Domain.OTHER: ("#f1f3f5", "#868e96"),
}
TEXT = "#212529"
MUTED = "#495057"
EDGE = "#868e96"
ROOT_STROKE = "#212529"
BAND_FILLS = ("#f8f9fa", "#ffffff")

NODE_W = 176
NODE_H = 62
H_GAP = 26
ROW_GAP = 48
BAND_LABEL_H = 24
BAND_PAD = 14
MARGIN = 16
MAX_PER_ROW = 6
NAME_SIZE = 12.5
NAME_LINE = 15
OWNER_SIZE = 10.5
LABEL_SIZE = 10
MAX_NAME_LINES = 2
EDGE_LABEL_LIMIT = 40  # above this many edges, labels show on hover only (SVG) or not at all (PNG)
SWEEPS = 6

NEIGHBOURHOOD_LIMIT = 60
IMPACT_LIMIT = 150
LAYER_LIMIT = 300

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


Point = tuple[float, float]


@dataclass
class Node:
    """One element as drawn: what the box says, where it links, and where the layout put it."""

    pk: int
    name: str
    domain: str
    owner: str
    url: str
    status: str = ""
    band: int = 0
    root: bool = False
    lines: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    row: int = 0  # physical row, top to bottom over the whole diagram

    @property
    def centre_x(self) -> float:
        return self.x + NODE_W / 2


@dataclass
class Edge:
    """A relationship as drawn, from source to target, labelled with its kind."""

    source: int
    target: int
    kind: str
    label: str
    # Cubic Bézier segments (start, control, control, end); long edges pass between the boxes of the
    # rows they cross, so a line never seems to run into a box it does not belong to.
    segments: list[tuple[Point, Point, Point, Point]] = field(default_factory=list)
    label_at: Point = (0.0, 0.0)
    label_shown: bool = False  # False: the label shows on hover only (no free room, or too many edges)


@dataclass
class Band:
    """A horizontal band: one SPBE layer, or one distance from the analysed element."""

    label: str
    rows: list[list[int]] = field(default_factory=list)
    y: float = 0.0
    height: float = 0.0


@dataclass
class Diagram:
    """A laid-out diagram, ready to render as SVG or PNG."""

    title: str
    nodes: dict[int, Node]
    edges: list[Edge]
    bands: list[Band]
    notes: list[str] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, domain or "root", label
    title_y: float = 0.0
    notes_y: list[float] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.nodes


# ---------------------------------------------------------------------------------------------------
# Reading the graph (always through restrict())


def _clean(text: str) -> str:
    """User text without the control characters XML cannot carry."""
    return _CONTROL_CHARS.sub("", str(text))


def _node(element: Element, band: int, root: bool = False) -> Node:
    return Node(
        pk=element.pk,
        name=_clean(element.name),
        domain=element.domain if element.domain in COLOURS else Domain.OTHER,
        owner=_clean(element.owner.short_name or element.owner.name),
        url=element.get_absolute_url(),
        status=str(element.get_status_display()),
        band=band,
        root=root,
    )


def _layer_of(domain: str) -> int:
    return LAYER_ORDER.index(domain) if domain in LAYER_ORDER else len(LAYER_ORDER) - 1


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
    title = _("Neighbourhood of %(name)s") % {"name": _clean(element.name)}
    return layout(Diagram(title, nodes, _edges_among(user, set(nodes)), bands, notes))


def impact_diagram(element: Element, user, direction: str = "dependents", limit: int = IMPACT_LIMIT) -> Diagram:
    """An impact analysis drawn by distance from the analysed element, which is highlighted."""
    result = impact.analyse(element, direction)
    visible = list(_visible_elements(user).filter(pk__in=result.element_ids))
    visible.sort(key=lambda e: (result.depth[e.pk], _layer_of(e.domain), e.name, e.pk))
    notes = []
    hidden = len(result.element_ids) - len(visible)
    if hidden:
        notes.append(
            ngettext(
                "%(count)d more element is outside what you may see.",
                "%(count)d more elements are outside what you may see.",
                hidden,
            )
            % {"count": hidden}
        )
    if len(visible) > limit - 1:
        notes.append(_more_note(len(visible) - (limit - 1)))
        visible = visible[: limit - 1]
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
        title = _("What is affected if %(name)s fails") % {"name": _clean(element.name)}
    else:
        title = _("What %(name)s needs") % {"name": _clean(element.name)}
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
    title = _("Architecture: %(scope)s") % {"scope": _clean(" — ".join(parts))}
    return layout(Diagram(title, nodes, _edges_among(user, set(nodes)), bands, notes))


# ---------------------------------------------------------------------------------------------------
# Layout


def text_width(text: str, size: float) -> float:
    """A conservative estimate of the width of `text` in a sans-serif font (no font metrics in SVG)."""
    total = 0.0
    for char in text:
        if char in "ilj.,:;!|'’ ":
            total += 0.3
        elif char in "frt()[]-/":
            total += 0.38
        elif char in "mwMW":
            total += 0.86
        elif char.isupper():
            total += 0.68
        elif char.isdigit():
            total += 0.56
        else:
            total += 0.54
    return total * size


def wrap(text: str, width: float, size: float, max_lines: int = MAX_NAME_LINES) -> list[str]:
    """Word-wrap `text` into at most `max_lines` lines of `width`; the last line ends with … if cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size) > width:  # a word longer than a line is split
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines or [""]


def _sub_ranks(pks: list[int], edges: list[Edge]) -> dict[int, int]:
    """Longest-path ranks inside one band, so that links within a layer point downwards (cycles broken)."""
    members = set(pks)
    out: dict[int, list[int]] = {pk: [] for pk in pks}
    for edge in edges:
        if edge.source in members and edge.target in members:
            out[edge.source].append(edge.target)
    # Depth-first search in a fixed order; edges to nodes on the stack (back edges) are dropped.
    state: dict[int, int] = {}
    order: list[int] = []
    for start in pks:
        if start in state:
            continue
        stack = [(start, iter(sorted(out[start])))]
        state[start] = 1
        while stack:
            pk, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[pk] = 2
                order.append(pk)
                stack.pop()
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(out[child]))))
    order.reverse()  # a topological order of the acyclic part
    position = {pk: i for i, pk in enumerate(order)}
    rank = dict.fromkeys(pks, 0)
    for pk in order:
        for child in out[pk]:
            if position[child] > position[pk]:
                rank[child] = max(rank[child], rank[pk] + 1)
    return rank


def _crossings(rows: list[list[int]], edges: list[Edge], where: dict[int, int]) -> int:
    """Crossings between edges joining the same pair of rows (a cheap, order-sensitive measure)."""
    place: dict[int, float] = {}
    for row in rows:
        for i, pk in enumerate(row):
            place[pk] = (i + 0.5) / len(row)
    by_pair: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for edge in edges:
        a, b = edge.source, edge.target
        if where[a] == where[b]:
            continue
        if where[a] > where[b]:
            a, b = b, a
        by_pair.setdefault((where[a], where[b]), []).append((place[a], place[b]))
    total = 0
    for segments in by_pair.values():
        for i, (a1, b1) in enumerate(segments):
            for a2, b2 in segments[i + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def _order(rows: list[list[int]], edges: list[Edge]) -> list[list[int]]:
    """Barycentre sweeps down and up; the ordering with the fewest crossings wins."""
    where = {pk: r for r, row in enumerate(rows) for pk in row}
    neighbours: dict[int, list[int]] = {pk: [] for pk in where}
    for edge in edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    best = [list(row) for row in rows]
    best_score = _crossings(best, edges, where)
    current = [list(row) for row in rows]
    for sweep in range(SWEEPS):
        downwards = sweep % 2 == 0
        indices = range(len(current)) if downwards else range(len(current) - 1, -1, -1)
        for r in indices:
            place = {pk: (i + 0.5) / len(row) for row in current for i, pk in enumerate(row)}

            def key(pk, r=r, place=place, downwards=downwards):
                placed = [n for n in neighbours[pk] if (where[n] < r if downwards else where[n] > r)]
                others = placed or [n for n in neighbours[pk] if where[n] != r]
                centre = sum(place[n] for n in others) / len(others) if others else place[pk]
                return (centre, place[pk])

            current[r] = sorted(current[r], key=key)
        score = _crossings(current, edges, where)
        if score < best_score:
            best, best_score = [list(row) for row in current], score
    return best


def _chunk(row: list[int], size: int) -> list[list[int]]:
    """Split a long row into balanced physical rows of at most `size` boxes."""
    if len(row) <= size:
        return [row]
    count = math.ceil(len(row) / size)
    base, extra = divmod(len(row), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + base + (1 if i < extra else 0)
        chunks.append(row[start:end])
        start = end
    return chunks


def layout(diagram: Diagram, max_per_row: int = MAX_PER_ROW) -> Diagram:
    """Place bands, rows and boxes, then route the edges. Deterministic for the same input."""
    nodes = diagram.nodes
    for node in nodes.values():
        node.lines = wrap(node.name, NODE_W - 16, NAME_SIZE)
    # Logical rows: the bands, each split into sub-ranks by the links inside it.
    logical: list[list[int]] = []
    logical_band: list[int] = []
    for b in range(len(diagram.bands)):
        members = sorted((n for n in nodes.values() if n.band == b), key=lambda n: (n.name.casefold(), n.pk))
        if not members:
            continue
        ranks = _sub_ranks([n.pk for n in members], diagram.edges)
        for rank in range(max(ranks.values()) + 1):
            row = [n.pk for n in members if ranks[n.pk] == rank]
            if row:
                logical.append(row)
                logical_band.append(b)
    logical = _order(logical, diagram.edges)

    # Vertical placement: title, notes, legend, then the bands.
    widest = max((min(len(row), max_per_row) for row in logical), default=1)
    width = 2 * MARGIN + widest * NODE_W + (widest - 1) * H_GAP
    width = max(width, 2 * MARGIN + NODE_W + 120, 2 * MARGIN + text_width(diagram.title, 16))
    y = MARGIN + 16
    diagram.title_y = y
    diagram.notes_y = []
    for _note in diagram.notes:
        y += 18
        diagram.notes_y.append(y)
    y += 12
    domains = [d for d in LAYER_ORDER if any(n.domain == d for n in nodes.values())]
    entries = [(d, str(Domain(d).label)) for d in domains]
    if any(n.root for n in nodes.values()):
        entries.append(("root", _("analysed element")))
    x = MARGIN
    legend = []
    for key, label in entries:
        item = 20 + text_width(label, 11) + 16
        if x > MARGIN and x + item > width - MARGIN:
            x = MARGIN
            y += 20
        legend.append((x, y, key, label))
        x += item
    diagram.legend = legend
    y += 20 if legend else 0
    y += 8

    row_index = 0
    band_rows: dict[int, list[list[int]]] = {}
    for row, b in zip(logical, logical_band, strict=True):
        band_rows.setdefault(b, []).extend(_chunk(row, max_per_row))
    used_bands = []
    for b, band in enumerate(diagram.bands):
        if b not in band_rows:
            continue
        band.rows = band_rows[b]
        band.y = y
        y += BAND_LABEL_H
        for r, row in enumerate(band.rows):
            if r:
                y += ROW_GAP
            row_width = len(row) * NODE_W + (len(row) - 1) * H_GAP
            x0 = (width - row_width) / 2
            for i, pk in enumerate(row):
                node = nodes[pk]
                node.x, node.y, node.row = x0 + i * (NODE_W + H_GAP), y, row_index
            row_index += 1
            y += NODE_H
        y += BAND_PAD
        band.height = y - band.y
        y += ROW_GAP - BAND_PAD - BAND_LABEL_H + 10
        used_bands.append(band)
    diagram.bands = used_bands
    diagram.width = math.ceil(width)
    diagram.height = math.ceil(y - (ROW_GAP - BAND_PAD - BAND_LABEL_H + 10) + MARGIN)
    _route(diagram)
    if len(diagram.edges) <= EDGE_LABEL_LIMIT:
        _place_labels(diagram)
    return diagram


def _route(diagram: Diagram) -> None:
    """Attach each edge to a port on the box side facing its other end, spread in the order of those ends."""
    nodes = diagram.nodes
    sides: dict[tuple[int, str], list[tuple[float, int, Edge, str]]] = {}
    for edge in diagram.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        if source.row < target.row:
            source_side, target_side = "bottom", "top"
        elif source.row > target.row:
            source_side, target_side = "top", "bottom"
        else:
            source_side = target_side = "top"
        sides.setdefault((source.pk, source_side), []).append((target.centre_x, target.pk, edge, "source"))
        sides.setdefault((target.pk, target_side), []).append((source.centre_x, source.pk, edge, "target"))
    ports: dict[tuple[int, str], tuple[float, float]] = {}
    for (pk, side), attached in sides.items():
        node = nodes[pk]
        attached.sort(key=lambda item: (item[0], item[1], item[2].kind))
        for k, (_x, _other, edge, end) in enumerate(attached):
            x = node.x + 14 + (NODE_W - 28) * (k + 1) / (len(attached) + 1)
            y = node.y + NODE_H if side == "bottom" else node.y
            ports[(id(edge), end)] = (x, y)
    rows: dict[int, list[Node]] = {}
    for node in nodes.values():
        rows.setdefault(node.row, []).append(node)
    for row in rows.values():
        row.sort(key=lambda n: n.x)
    used: dict[tuple[int, float], int] = {}
    for edge in diagram.edges:
        start = ports[(id(edge), "source")]
        end = ports[(id(edge), "target")]
        source_row, target_row = nodes[edge.source].row, nodes[edge.target].row
        if source_row == target_row:
            (x1, y1), (x2, y2) = start, end
            lift = 22 + min(abs(x2 - x1) / 10, 14)
            edge.segments = [((x1, y1), (x1, y1 - lift), (x2, y2 - lift), (x2, y2))]
            edge.label_at = bezier_point(edge.segments[0], 0.5)
            continue
        upwards = source_row > target_row
        top, bottom = (end, start) if upwards else (start, end)
        first, last = sorted((source_row, target_row))
        points = [top]
        for r in range(first + 1, last):
            share = (r - first) / (last - first)
            x = _gap_x(rows[r], top[0] + (bottom[0] - top[0]) * share, used, r)
            points += [(x, rows[r][0].y), (x, rows[r][0].y + NODE_H)]
        points.append(bottom)
        segments = []
        for i in range(len(points) - 1):
            (ax, ay), (bx, by) = points[i], points[i + 1]
            if i % 2:  # straight down through a gap of a row crossed
                segments.append(((ax, ay), (ax, ay), (bx, by), (bx, by)))
            else:
                pull = max(18.0, (by - ay) * 0.5)
                segments.append(((ax, ay), (ax, ay + pull), (bx, by - pull), (bx, by)))
        if upwards:
            segments = [(d, c, b, a) for a, b, c, d in reversed(segments)]
        edge.segments = segments
        edge.label_at = bezier_point(segments[0], 0.5)


def _place_labels(diagram: Diagram) -> None:
    """Show an edge's label where it overlaps no box and no other label; the rest show on hover."""
    taken = [(n.x - 2, n.y - 2, n.x + NODE_W + 2, n.y + NODE_H + 2) for n in diagram.nodes.values()]
    for edge in diagram.edges:
        half_w, half_h = text_width(edge.label, LABEL_SIZE) / 2 + 3, 7
        curved = [seg for seg in edge.segments if not (seg[1] == seg[0] and seg[2] == seg[3])]
        for segment in curved:
            for t in (0.5, 0.35, 0.65, 0.2, 0.8):
                x, y = bezier_point(segment, t)
                box = (x - half_w, y - half_h - 1, x + half_w, y + half_h - 1)
                if all(box[2] < o[0] or box[0] > o[2] or box[3] < o[1] or box[1] > o[3] for o in taken):
                    taken.append(box)
                    edge.label_at, edge.label_shown = (x, y), True
                    break
            if edge.label_shown:
                break


def _gap_x(row: list[Node], wanted: float, used: dict[tuple[int, float], int], r: int) -> float:
    """An x in `row` free of boxes, nearest to `wanted`; edges sharing a gap are fanned apart."""
    left, right = row[0].x - H_GAP / 2, row[-1].x + NODE_W + H_GAP / 2
    if wanted <= left - 6 or wanted >= right + 6:
        return wanted
    gaps = [left] + [n.x + NODE_W + H_GAP / 2 for n in row]
    gap = min(gaps, key=lambda g: (abs(g - wanted), g))
    count = used.get((r, gap), 0)
    used[(r, gap)] = count + 1
    offset = ((count + 1) // 2) * 5 * (1 if count % 2 else -1)
    return gap + max(-H_GAP / 2 + 3, min(H_GAP / 2 - 3, offset))


def bezier_point(segment: tuple[Point, Point, Point, Point], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
    u = 1 - t
    return (
        u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
        u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
    )


def arrow_head(edge: Edge, size: float = 8.0) -> list[Point]:
    """The triangle at the end of an edge, pointing along its last tangent."""
    _start, _c1, (x2, y2), (x3, y3) = edge.segments[-1]
    dx, dy = x3 - x2, y3 - y2
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    return [
        (x3, y3),
        (x3 - ux * size - uy * size * 0.5, y3 - uy * size + ux * size * 0.5),
        (x3 - ux * size + uy * size * 0.5, y3 - uy * size - ux * size * 0.5),
    ]


def _name_baselines(node: Node) -> tuple[list[float], float]:
    block = len(node.lines) * NAME_LINE + 4 + 11
    top = node.y + (NODE_H - block) / 2
    names = [top + 11 + i * NAME_LINE for i in range(len(node.lines))]
    return names, top + len(node.lines) * NAME_LINE + 4 + 9


def tooltip(node: Node) -> str:
    return f"{node.name} — {Domain(node.domain).label} · {node.owner} · {node.status}"


# ---------------------------------------------------------------------------------------------------
# SVG

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
SVG_STYLE = (
    ".sd-hit{fill:none;stroke:transparent;stroke-width:10}"
    ".sd-edge:hover .sd-line{stroke:#1c7ed6;stroke-width:2.2}"
    ".sd-edge:hover .sd-arrow{fill:#1c7ed6}"
    ".sd-label{font-size:10px;fill:#343a40;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    ".sd-tip{opacity:0}.sd-edge:hover .sd-label{opacity:1}"
    ".sd-node:hover rect,.sd-node:focus rect{stroke-width:3}"
)


def _e(text) -> str:
    return escape(_clean(str(text)), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path_d(edge: Edge) -> str:
    x0, y0 = edge.segments[0][0]
    parts = [f"M{_n(x0)},{_n(y0)}"]
    for _start, (x1, y1), (x2, y2), (x3, y3) in edge.segments:
        parts.append(f"C{_n(x1)},{_n(y1)} {_n(x2)},{_n(y2)} {_n(x3)},{_n(y3)}")
    return " ".join(parts)


def render_svg(diagram: Diagram, standalone: bool = True) -> str:
    """The diagram as SVG. Standalone files carry their size; inline ones scale to the page, with a
    minimum width so text stays readable on a phone (the container scrolls instead)."""
    w, h = diagram.width, diagram.height
    if standalone:
        size = f'width="{w}" height="{h}"'
    else:
        size = f'width="100%" style="max-width:{w}px;min-width:{min(w, max(320, int(w * 0.75)))}px;height:auto"'
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {w} {h}" {size} role="img" aria-label="{_e(diagram.title)}" '
        f'class="sd-diagram" font-family="{_e(FONT)}">',
        f"<title>{_e(diagram.title)}</title>",
        f"<style>{SVG_STYLE}</style>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{_n(diagram.title_y)}" font-size="16" font-weight="600" fill="{TEXT}">'
        f"{_e(diagram.title)}</text>",
    ]
    for note, y in zip(diagram.notes, diagram.notes_y, strict=True):
        out.append(f'<text x="{MARGIN}" y="{_n(y)}" font-size="12" fill="{MUTED}" class="sd-note">{_e(note)}</text>')
    for x, y, key, label in diagram.legend:
        if key == "root":
            swatch = f'fill="#ffffff" stroke="{ROOT_STROKE}" stroke-width="3"'
        else:
            fill, stroke = COLOURS[key]
            swatch = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
        out.append(
            f'<g class="sd-legend"><rect x="{_n(x)}" y="{_n(y)}" width="14" height="14" rx="3" {swatch}/>'
            f'<text x="{_n(x + 20)}" y="{_n(y + 11)}" font-size="11" fill="{TEXT}">{_e(label)}</text></g>'
        )
    for i, band in enumerate(diagram.bands):
        out.append(
            f'<rect x="0" y="{_n(band.y)}" width="{w}" height="{_n(band.height)}" fill="{BAND_FILLS[i % 2]}"/>'
            f'<text x="{MARGIN}" y="{_n(band.y + 16)}" font-size="11" font-weight="600" fill="{MUTED}" '
            f'class="sd-band">{_e(band.label.upper())}</text>'
        )
    nodes = diagram.nodes
    for edge in diagram.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        near_root = source.root or target.root
        colour = "#495057" if near_root else EDGE
        d = _path_d(edge)
        lx, ly = edge.label_at
        arrow = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow_head(edge))
        out.append(
            f'<g class="sd-edge" data-source="{edge.source}" data-target="{edge.target}">'
            f"<title>{_e(source.name)} {_e(edge.label)} {_e(target.name)}</title>"
            f'<path class="sd-hit" d="{d}"/>'
            f'<path class="sd-line" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{1.6 if near_root else 1.2}"/>'
            f'<polygon class="sd-arrow" points="{arrow}" fill="{colour}"/>'
            f'<text class="sd-label{"" if edge.label_shown else " sd-tip"}" x="{_n(lx)}" y="{_n(ly + 3)}" text-anchor="middle">{_e(edge.label)}</text></g>'
        )
    for node in sorted(nodes.values(), key=lambda n: (n.row, n.x)):
        fill, stroke = COLOURS[node.domain]
        stroke_width = 1.5
        classes = "sd-node"
        if node.root:
            stroke, stroke_width, classes = ROOT_STROKE, 3.5, "sd-node sd-root"
        names, owner_y = _name_baselines(node)
        cx = _n(node.centre_x)
        weight = ' font-weight="600"' if node.root else ""
        texts = "".join(
            f'<text x="{cx}" y="{_n(y)}" font-size="{NAME_SIZE}" text-anchor="middle" fill="{TEXT}"{weight}>'
            f"{_e(line)}</text>"
            for line, y in zip(node.lines, names, strict=True)
        )
        url = _e(node.url)
        out.append(
            f'<a href="{url}" xlink:href="{url}" target="_top" class="{classes}" data-pk="{node.pk}" '
            f'data-domain="{_e(node.domain)}"><title>{_e(tooltip(node))}</title>'
            f'<rect x="{_n(node.x)}" y="{_n(node.y)}" width="{NODE_W}" height="{NODE_H}" rx="9" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>{texts}'
            f'<text x="{cx}" y="{_n(owner_y)}" font-size="{OWNER_SIZE}" text-anchor="middle" '
            f'fill="{MUTED}">{_e(node.owner)}</text></a>'
        )
    out.append("</svg>")
    svg = "\n".join(out)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg) if standalone else svg


# ---------------------------------------------------------------------------------------------------
# PNG

MAX_PNG_PIXELS = 24_000_000


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


_GLYPHS: dict[str, str] = {}
_DASHES = "‐‑‒–—―−"


def png_text(text: str) -> str:
    """`text` with the characters Pillow's built-in font lacks replaced (é → e, – → -, others → ?)."""
    from PIL import ImageFont

    probe = ImageFont.load_default(size=20)
    missing = _GLYPHS.get("\U000f0000")
    if missing is None:
        mask = probe.getmask("\U000f0000")
        missing = _GLYPHS["\U000f0000"] = f"{mask.size}{bytes(mask).hex()}"
    out = []
    for char in text:
        if char not in _GLYPHS:
            mask = probe.getmask(char)
            if char.isspace() or f"{mask.size}{bytes(mask).hex()}" != missing:
                _GLYPHS[char] = char
            elif char in _DASHES:
                _GLYPHS[char] = "-"
            else:
                plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
                _GLYPHS[char] = plain or "?"
        out.append(_GLYPHS[char])
    return "".join(out)


def _sample(segment: tuple[Point, Point, Point, Point]) -> list[Point]:
    start, c1, c2, end = segment
    if c1 == start and c2 == end:
        return [start, end]
    return [bezier_point(segment, t / 16) for t in range(17)]


def render_png(diagram: Diagram, scale: float = 2.0) -> bytes:
    """The same layout drawn with Pillow (its built-in scalable font; no system library needed)."""
    from PIL import Image, ImageDraw, ImageFont

    while scale > 1 and diagram.width * diagram.height * scale * scale > MAX_PNG_PIXELS:
        scale -= 0.5
    fonts: dict[float, ImageFont.FreeTypeFont] = {}

    def font(size: float):
        if size not in fonts:
            fonts[size] = ImageFont.load_default(size=size * scale)
        return fonts[size]

    def s(value: float) -> float:
        return value * scale

    image = Image.new("RGB", (math.ceil(s(diagram.width)), math.ceil(s(diagram.height))), "#ffffff")
    draw = ImageDraw.Draw(image)

    def write(xy, text: str, **kwargs) -> None:
        draw.text(xy, png_text(str(text)), **kwargs)

    def fitted(text: str, size: float, width: float) -> str:
        text = png_text(text)
        if font(size).getlength(text) <= s(width):
            return text
        while text and font(size).getlength(text + "…") > s(width):
            text = text[:-1]
        return text.rstrip() + "…"

    write((s(MARGIN), s(diagram.title_y)), diagram.title, font=font(16), fill=_hex(TEXT), anchor="ls")
    for note, y in zip(diagram.notes, diagram.notes_y, strict=True):
        write((s(MARGIN), s(y)), note, font=font(12), fill=_hex(MUTED), anchor="ls")
    for x, y, key, label in diagram.legend:
        if key == "root":
            fill, outline, line = "#ffffff", ROOT_STROKE, 3
        else:
            (fill, outline), line = COLOURS[key], 1.5
        draw.rounded_rectangle(
            (s(x), s(y), s(x + 14), s(y + 14)), radius=s(3), fill=fill, outline=outline, width=round(s(line))
        )
        write((s(x + 20), s(y + 11)), label, font=font(11), fill=_hex(TEXT), anchor="ls")
    for i, band in enumerate(diagram.bands):
        draw.rectangle((0, s(band.y), s(diagram.width), s(band.y + band.height)), fill=BAND_FILLS[i % 2])
        write((s(MARGIN), s(band.y + 16)), band.label.upper(), font=font(11), fill=_hex(MUTED), anchor="ls")
    nodes = diagram.nodes
    for edge in diagram.edges:
        near_root = nodes[edge.source].root or nodes[edge.target].root
        colour = "#495057" if near_root else EDGE
        points = [(s(x), s(y)) for segment in edge.segments for x, y in _sample(segment)]
        draw.line(points, fill=colour, width=max(1, round(s(1.6 if near_root else 1.2))), joint="curve")
        draw.polygon([(s(x), s(y)) for x, y in arrow_head(edge)], fill=colour)
    for edge in diagram.edges:
        if edge.label_shown:
            lx, ly = edge.label_at
            write(
                (s(lx), s(ly + 3)),
                edge.label,
                font=font(LABEL_SIZE),
                fill=_hex("#343a40"),
                anchor="ms",
                stroke_width=round(s(1.5)),
                stroke_fill="#ffffff",
            )
    for node in sorted(nodes.values(), key=lambda n: (n.row, n.x)):
        fill, stroke = COLOURS[node.domain]
        line = 1.5
        if node.root:
            stroke, line = ROOT_STROKE, 3.5
        box = (s(node.x), s(node.y), s(node.x + NODE_W), s(node.y + NODE_H))
        draw.rounded_rectangle(box, radius=s(9), fill=fill, outline=stroke, width=max(1, round(s(line))))
        names, owner_y = _name_baselines(node)
        for text, y in zip(node.lines, names, strict=True):
            write(
                (s(node.centre_x), s(y)),
                fitted(text, NAME_SIZE, NODE_W - 12),
                font=font(NAME_SIZE),
                fill=_hex(TEXT),
                anchor="ms",
            )
        write(
            (s(node.centre_x), s(owner_y)),
            fitted(node.owner, OWNER_SIZE, NODE_W - 12),
            font=font(OWNER_SIZE),
            fill=_hex(MUTED),
            anchor="ms",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
