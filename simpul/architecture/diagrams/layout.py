"""Placing a diagram: bands, rows ordered by the barycentre heuristic to reduce crossings, boxes, edges
routed between the boxes, labels where they overlap nothing. Text is measured by estimate (no font
metrics are needed), so the same records always give the same picture."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from simpul.architecture.choices import Domain
from simpul.architecture.diagrams.model import (
    BAND_LABEL_H,
    BAND_PAD,
    EDGE_LABEL_LIMIT,
    H_GAP,
    LABEL_SIZE,
    LAYER_ORDER,
    MARGIN,
    MAX_NAME_LINES,
    MAX_PER_ROW,
    NAME_LINE,
    NAME_SIZE,
    NODE_H,
    NODE_W,
    ROW_GAP,
    SWEEPS,
    Diagram,
    Edge,
    Node,
    Point,
)


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


def name_baselines(node: Node) -> tuple[list[float], float]:
    block = len(node.lines) * NAME_LINE + 4 + 11
    top = node.y + (NODE_H - block) / 2
    names = [top + 11 + i * NAME_LINE for i in range(len(node.lines))]
    return names, top + len(node.lines) * NAME_LINE + 4 + 9


def tooltip(node: Node) -> str:
    return f"{node.name} — {Domain(node.domain).label} · {node.owner} · {node.status}"
