"""The national reference architecture (Perpres 132/2022) as versioned data, loaded into ReferenceCode.

The data file carries its sources and verification status (data/README.md); nothing of it is written
in code. Loading is idempotent: codes are matched by `code`, and corrections made by the Admin SPBE in
the UI are kept unless `overwrite` is asked for.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "referensi-arsitektur-spbe.json"


@cache
def reference_data(path: str | None = None) -> dict:
    return json.loads(Path(path or DATA_FILE).read_text(encoding="utf-8"))


def security_objects() -> list[str]:
    """The seven security objects of SIA SPBE, in their order (choices of a security control)."""
    return [item["name"] for item in sorted(reference_data()["security_objects"], key=lambda i: i["order"])]


def infrastructure_object_types() -> list[str]:
    return [item["name"] for item in sorted(reference_data()["infrastructure_object_types"], key=lambda i: i["order"])]


def load_reference_codes(model, data: dict | None = None, overwrite: bool = False) -> dict[str, int]:
    """Create (or with `overwrite`, update) every code of the data file; returns counts per action.

    `model` is the ReferenceCode class (a migration passes its historical model).
    """
    data = data or reference_data()
    source = data.get("id", "")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {row.code: row for row in model.objects.all()}
    nodes = [node for tree in data["references"].values() for node in tree]
    for node in sorted(nodes, key=lambda n: (n["level"], n["code"])):
        values = {
            "tree": node["code"].split(".")[0],
            "name": node["name"],
            "level": node["level"],
            "status": node.get("status", "unverified"),
            "source": f"{source} ({', '.join(node.get('sources', []))})",
            "note": node.get("note", ""),
        }
        parent = existing.get(node["parent"]) if node.get("parent") else None
        row = existing.get(node["code"])
        if row is None:
            row = model(code=node["code"], parent=parent, **values)
            row.save()
            existing[row.code] = row
            counts["created"] += 1
        elif overwrite and any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.parent = parent
            row.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
