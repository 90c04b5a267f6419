"""A laid-out diagram as PNG, drawn with Pillow and its built-in scalable font (no system library)."""

from __future__ import annotations

import io
import math
import unicodedata

from simpul.architecture.diagrams.layout import arrow_head, bezier_point, name_baselines
from simpul.architecture.diagrams.model import (
    BAND_FILLS,
    COLOURS,
    EDGE,
    LABEL_SIZE,
    MARGIN,
    MUTED,
    NAME_SIZE,
    NODE_H,
    NODE_W,
    OWNER_SIZE,
    ROOT_STROKE,
    TEXT,
    Diagram,
    Point,
)

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
        names, owner_y = name_baselines(node)
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
