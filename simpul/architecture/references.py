"""The national reference architecture (Perpres 132/2022) as versioned data, loaded into ReferenceCode.

The data file carries its sources and verification status (data/README.md); nothing of it is written
in code. Loading is idempotent: codes are matched by `code`, and corrections made by the Admin SPBE in
the UI are kept unless `overwrite` is asked for.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.db import models

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


# The tree of codes an element of each SPBE domain takes its reference from (Perpres 132/2022: one reference
# architecture per domain). An element of an imported model with no SPBE counterpart ("lainnya") is not
# tied to a tree: it may take a code of any of them.
DOMAIN_TREES = {
    "bisnis": "RAB",
    "data": "RAD",
    "layanan": "RAL",
    "aplikasi": "RAA",
    "infrastruktur": "RAI",
    "keamanan": "RAK",
}


@cache
def application_kind_branches() -> dict[str, str]:
    """The code under which each application kind's references sit, read from the data file: the top
    codes of the RAA tree are "Aplikasi Umum" (RAA.01) and "Aplikasi Khusus" (RAA.02), the two kinds of
    `ApplicationKind` ("umum", "khusus"). A kind whose top code the data does not name is not checked."""
    branches = {}
    for node in reference_data()["references"].get("RAA", []):
        words = node["name"].strip().lower().split()
        if node["level"] == 1 and len(words) == 2 and words[0] == "aplikasi":
            branches[words[1]] = node["code"]
    return branches


def reference_scope(domain: str, kind: str | None = None) -> tuple[str | None, str | None]:
    """(tree, branch) of the codes an element of `domain` (and, for an application, `kind`) may take:
    tree None means any tree, branch None any code of the tree."""
    tree = DOMAIN_TREES.get(domain)
    branch = application_kind_branches().get(kind) if tree == "RAA" and kind else None
    return tree, branch


def under(code: str, branch: str) -> bool:
    return code == branch or code.startswith(f"{branch}.")


def branch_kind(code: str) -> str | None:
    """The application kind whose branch holds `code` (e.g. "umum" for RAA.01.02), or None."""
    return next((kind for kind, branch in application_kind_branches().items() if under(code, branch)), None)


def codes_for(queryset, domain: str, kind: str | None = None):
    """`queryset` of reference codes limited to those an element of `domain` (and `kind`) may take."""
    tree, branch = reference_scope(domain, kind)
    if tree is not None:
        queryset = queryset.filter(tree=tree)
    if branch is not None:
        queryset = queryset.filter(models.Q(code=branch) | models.Q(code__startswith=f"{branch}."))
    return queryset
