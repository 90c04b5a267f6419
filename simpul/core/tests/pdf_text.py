"""Reading back what a reportlab PDF (`simpul.core.pdf`) draws, for the tests of every module's reports."""

from __future__ import annotations

import base64
import re
import zlib


def pdf_text(content: bytes) -> str:
    """The strings drawn on the pages of a reportlab PDF (content streams, decompressed when needed), one a
    line."""
    assert content.startswith(b"%PDF")
    strings = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1).strip()
        if data.endswith(b"~>"):  # reportlab compresses pages as ASCII85 over Flate
            data = zlib.decompress(base64.a85decode(data[:-2]))
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", data):
            strings.append(re.sub(rb"\\(.)", rb"\1", literal).decode("cp1252"))
    return "\n".join(strings)
