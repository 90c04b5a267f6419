"""Benchmarks of the architecture repository at national scale (run on data from generate_architecture.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_arch \
        .venv/bin/python bench/bench_architecture.py [--requests 200] [--only lists,impact,import,archimate]

Prints a results table and writes it as JSON to bench/out/. Each section runs in its own child process,
so the peak memory reported for one section is not inflated by another. Nothing leaves 127.0.0.1: pages
and API calls go through Django's test client inside the process.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from _setup import OUT_DIR, setup_django

SECTIONS = ("lists", "impact", "import", "archimate")
TARGETS = {"lists": 100.0, "impact": 200.0, "import": 30_000.0, "archimate": 30_000.0}  # milliseconds
SEARCH_TERMS = ["kependudukan", "pajak", "simpeg", "layanan", "data", "jepin", "server", "keuangan aset", "bpkad"]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: a p95 is a measured request)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(name: str, durations_ms: list[float], target_ms: float | None, **extra) -> dict:
    row = {
        "case": name,
        "n": len(durations_ms),
        "p50_ms": round(statistics.median(durations_ms), 1),
        "p95_ms": round(percentile(durations_ms, 0.95), 1),
        "max_ms": round(max(durations_ms), 1),
        "target_ms": target_ms,
    }
    row.update(extra)
    if target_ms is not None:
        row["ok"] = row["p95_ms"] <= target_ms
    return row


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- Section: list, detail and API pages ----------------------------------------------------------


def bench_lists(requests: int, rng: random.Random) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from simpul.architecture.models import Application, Element, Relationship
    from simpul.core import permissions
    from simpul.organizations.models import Instansi, PerangkatDaerah, User

    users = {name: User.objects.get(username=f"bench-{name}") for name in ("superuser", "admin", "operator")}
    first_instansi = users["admin"].instansi_id
    instansi_ids = list(Instansi.objects.values_list("pk", flat=True))
    opd_ids = list(PerangkatDaerah.objects.filter(instansi_id=first_instansi).values_list("pk", flat=True))
    domains = ["bisnis", "data", "layanan", "aplikasi", "infrastruktur", "keamanan"]
    statuses = ["operasi", "pengembangan", "rencana", "dihentikan"]

    def list_params(user_key: str, typed: bool) -> dict:
        choice = rng.random()
        params: dict = {}
        if choice < 0.25:
            params["page"] = rng.randint(1, 40)
        elif choice < 0.4 and not typed:
            params["domain"] = rng.choice(domains)
        elif choice < 0.5:
            params["status"] = rng.choice(statuses)
        elif choice < 0.6:
            params["q"] = rng.choice(SEARCH_TERMS)
        elif choice < 0.7:
            params["owner"] = rng.choice(opd_ids)
        elif choice < 0.8:
            params["instansi"] = rng.choice(instansi_ids) if user_key == "superuser" else first_instansi
        elif choice < 0.9:
            params["sort"] = rng.choice(["name", "-name", "owner", "status", "-updated_at"])
        else:
            params["published"] = rng.choice(["true", "false"])
        params["per_page"] = rng.choice([25, 50, 100])
        return params

    def api_params(user_key: str, typed: bool = False) -> dict:
        params = {"limit": rng.choice([25, 50, 100]), "offset": rng.choice([0, 0, 50, 500, 2500])}
        choice = rng.random()
        if choice < 0.2:
            if typed:
                params["status"] = rng.choice(statuses)
            else:
                params["domain"] = rng.choice(domains)
        elif choice < 0.35:
            params["q"] = rng.choice(SEARCH_TERMS)
        elif choice < 0.5:
            params["instansi"] = rng.choice(instansi_ids) if user_key == "superuser" else first_instansi
        elif choice < 0.6:
            params["ordering"] = rng.choice(["name", "-updated_at"])
        return params

    rows = []
    for user_key, user in users.items():
        client = Client()
        client.force_login(user)
        visible = permissions.restrict(Element.objects.all(), user, "view")
        # Detail pages: mostly ordinary elements, a fifth of them the busiest hubs of the user's scope.
        sample_ids = list(visible.order_by("?").values_list("pk", flat=True)[: requests * 4 // 5])
        hub_ids = [
            row["source"]
            for row in Relationship.objects.filter(source__in=visible)
            .values("source")
            .annotate(n=_count())
            .order_by("-n")[:20]
        ] + [
            row["target"]
            for row in Relationship.objects.filter(target__in=visible)
            .values("target")
            .annotate(n=_count())
            .order_by("-n")[:20]
        ]
        detail_ids = sample_ids + [rng.choice(hub_ids) for _ in range(requests - len(sample_ids))]
        cases = {
            "element list": [("/architecture/elements/", list_params(user_key, False)) for _ in range(requests)],
            "application list": [("/architecture/applications/", list_params(user_key, True)) for _ in range(requests)],
            "element detail": [(f"/architecture/elements/{pk}/", {}) for pk in detail_ids],
            "API element list": [("/api/architecture/elements/", api_params(user_key)) for _ in range(requests)],
            "API application list": [
                ("/api/architecture/applications/", api_params(user_key, typed=True)) for _ in range(requests)
            ],
        }
        # Warm caches (templates, URL resolver, connection) before measuring.
        for path, params in [
            ("/architecture/elements/", {}),
            ("/api/architecture/elements/", {}),
            ("/api/architecture/applications/", {}),
        ]:
            client.get(path, params)
        for case, calls in cases.items():
            durations, without_search = [], []
            worst = (0.0, "")
            for path, params in calls:
                started = time.perf_counter()
                response = client.get(path, params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{path} {params} answered {response.status_code}")
                durations.append(elapsed)
                if "q" not in params:
                    without_search.append(elapsed)
                if elapsed > worst[0]:
                    worst = (elapsed, f"{path}?{_query(params)}")
            queries = {}
            if case != "element detail":
                path = calls[0][0]
                size_key = "limit" if case.startswith("API") else "per_page"
                for size in (25, 100):
                    with CaptureQueriesContext(connection) as captured:
                        client.get(path, {size_key: size})
                    queries[size] = len(captured)
            else:
                for label, pk in (("ordinary", sample_ids[0]), ("hub", hub_ids[0])):
                    with CaptureQueriesContext(connection) as captured:
                        client.get(f"/architecture/elements/{pk}/")
                    queries[label] = len(captured)
            rows.append(
                summary(
                    f"{case} ({user_key})",
                    durations,
                    TARGETS["lists"],
                    queries=queries,
                    p95_without_search_ms=round(percentile(without_search, 0.95), 1)
                    if len(without_search) < len(durations)
                    else None,
                    slowest=worst[1],
                    rows_visible=visible.count() if case == "element list" else None,
                )
            )
            print(_format_row(rows[-1]), flush=True)
    del Application  # imported for clarity of what the typed list shows
    return rows


def _count():
    from django.db.models import Count

    return Count("pk")


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# --- Section: impact analysis ---------------------------------------------------------------------


def bench_impact(requests: int, rng: random.Random) -> list[dict]:
    from django.db.models import Count

    from simpul.architecture import impact
    from simpul.architecture.models import Application, Element, InfrastructureComponent

    hubs = {
        "Pusat Data (dependents)": list(
            InfrastructureComponent.objects.filter(kind="pusat_data").values_list("pk", flat=True)
        ),
        "JePin (dependencies)": list(Application.objects.filter(name="JePin").values_list("pk", flat=True)),
    }
    # The elements with the most dependants overall: the largest reach in the repository.
    busiest = list(
        Element.objects.annotate(n=Count("incoming_relationships"))
        .order_by("-n")
        .values_list("pk", flat=True)[: max(10, requests // 10)]
    )
    typical = list(Element.objects.order_by("?").values_list("pk", flat=True)[:requests])
    plans = [
        (
            "Pusat Data (dependents)",
            rng.sample(hubs["Pusat Data (dependents)"], min(50, len(hubs["Pusat Data (dependents)"]))),
            "dependents",
        ),
        (
            "JePin (dependencies)",
            rng.sample(hubs["JePin (dependencies)"], min(50, len(hubs["JePin (dependencies)"]))),
            "dependencies",
        ),
        ("most-linked elements (dependents)", busiest, "dependents"),
        ("typical element (dependents)", typical, "dependents"),
        ("typical element (dependencies)", typical, "dependencies"),
    ]
    impact.analyse(typical[0])  # warm the connection
    rows = []
    for name, roots, direction in plans:
        durations, reach, depths = [], [], []
        for root in roots:
            started = time.perf_counter()
            result = impact.analyse(root, direction)
            durations.append((time.perf_counter() - started) * 1000)
            reach.append(len(result.element_ids))
            depths.append(max(result.depth.values()))
        rows.append(
            summary(
                name,
                durations,
                TARGETS["impact"],
                reach_p50=statistics.median(reach),
                reach_max=max(reach),
                depth_max=max(depths),
            )
        )
        print(_format_row(rows[-1]), flush=True)
    return rows


# --- Section: XLSX import -------------------------------------------------------------------------


def bench_import(count: int, rng: random.Random) -> list[dict]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from openpyxl import Workbook

    from simpul.architecture.choices import ElementStatus
    from simpul.architecture.models import Application, ReferenceCode
    from simpul.architecture.views import ApplicationViews
    from simpul.core import importexport
    from simpul.organizations.models import PerangkatDaerah, User

    admin = User.objects.get(username="bench-admin")
    opds = list(PerangkatDaerah.objects.filter(instansi_id=admin.instansi_id).values_list("short_name", flat=True))
    references = list(ReferenceCode.objects.filter(tree="RAA").values_list("code", flat=True))
    columns = importexport.import_columns(ApplicationViews, admin)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append([column.label for column in columns])
    for n in range(count):
        owner = rng.choice(opds)
        values = {
            "owner": owner,
            "name": f"Aplikasi Impor {n + 1:05d}",
            "code": f"IMP-{n + 1:05d}",
            # Values and labels (in the active language) both name a choice in an import file.
            "status": rng.choice([str(ElementStatus.OPERATIONAL.label), "operasi", "pengembangan"]),
            "reference": rng.choice(references),
            "description": "Baris impor sintetis untuk uji beban.",
            "kind": rng.choice(["umum", "khusus"]),
            "developer": owner,
            "url": f"https://impor{n + 1}.example.go.id",
            "technology": "PHP, MySQL",
            "version": "1.0",
            "hosting": "pusat_data",
            "hosting_exception": "tidak_perlu",
            "has_manual": rng.choice(["Ya", "Tidak"]),
            "has_source_code": "Tidak",
            "has_test_results": "Tidak",
            "single_window": "Tidak",
        }
        sheet.append([values.get(column.name, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    before = Application.objects.count()

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    upload = SimpleUploadedFile("aplikasi.xlsx", data)
    rows = importexport.read_rows(upload)
    read_ms = (time.perf_counter() - started) * 1000
    # The import commits its own transaction; the outer one is rolled back afterwards so that the
    # benchmark leaves the generated repository as it found it.
    with transaction.atomic():
        result = importexport.import_rows(admin, ApplicationViews, rows, commit=True)
        total_ms = (time.perf_counter() - started) * 1000
        imported = Application.objects.count() - before
        transaction.set_rollback(True)
    if not result.ok or imported != count:
        raise RuntimeError(f"import failed: {result.errors[:5]} ({imported} imported)")
    row = summary(
        f"XLSX import of {count} applications",
        [total_ms],
        TARGETS["import"],
        read_ms=round(read_ms, 1),
        file_kb=round(len(data) / 1024),
        peak_rss_mb=peak_rss_mb(),
        rss_before_mb=rss_before,
    )
    print(_format_row(row), flush=True)
    return [row]


# --- Section: ArchiMate export --------------------------------------------------------------------


def bench_archimate() -> list[dict]:
    """Export the largest instansi of the database (run it on a database with one big instansi)."""
    try:
        from simpul.architecture import archimate
    except ImportError:
        return [{"case": "ArchiMate export", "status": "pending", "note": "simpul.architecture.archimate missing"}]
    export = getattr(archimate, "export", None)
    if export is None:
        return [{"case": "ArchiMate export", "status": "pending", "note": "no export function found"}]
    from django.db.models import Count

    from simpul.architecture.models import Element
    from simpul.organizations.models import Instansi

    largest = Element.objects.values("owner__instansi").annotate(n=Count("pk")).order_by("-n").first()
    instansi = Instansi.objects.get(pk=largest["owner__instansi"])
    sink = _CountingSink()
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    result = export(instansi, sink)
    elapsed = (time.perf_counter() - started) * 1000
    row = summary(
        f"ArchiMate export of {result.elements} elements",
        [elapsed],
        TARGETS["archimate"],
        relationships=result.relationships,
        output_mb=round(sink.size / 1024 / 1024, 1),
        peak_rss_mb=peak_rss_mb(),
        rss_before_mb=rss_before,
    )
    print(_format_row(row), flush=True)
    return [row]


class _CountingSink(io.RawIOBase):
    """A write-only stream that only counts bytes, so the measured memory is the exporter's own."""

    def __init__(self):
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


# --- Driver ---------------------------------------------------------------------------------------


def _format_row(row: dict) -> str:
    if "p50_ms" not in row:
        return f"{row['case']:<52} {row.get('status', '')}  {row.get('note', '')}"
    verdict = "" if row.get("target_ms") is None else ("ok" if row.get("ok") else "MISSED")
    extras = {
        k: v
        for k, v in row.items()
        if k not in ("case", "n", "p50_ms", "p95_ms", "max_ms", "target_ms", "ok", "slowest") and v is not None
    }
    return (
        f"{row['case']:<52} n={row['n']:<4} p50={row['p50_ms']:>8.1f} p95={row['p95_ms']:>8.1f} "
        f"max={row['max_ms']:>8.1f} target={row['target_ms']} {verdict} {extras}"
    )


def run_section(section: str, args) -> list[dict]:
    setup_django()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in memory
    rng = random.Random(args.seed)
    if section == "lists":
        return bench_lists(args.requests, rng)
    if section == "impact":
        return bench_impact(args.requests, rng)
    if section == "import":
        return bench_import(args.import_rows, rng)
    if section == "archimate":
        return bench_archimate()
    raise ValueError(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--requests", type=int, default=200, help="requests per page and user (max 1000)")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--section", help=argparse.SUPPRESS)  # used by the child processes
    parser.add_argument("--timeout", type=int, default=900, help="seconds per section")
    args = parser.parse_args()
    args.requests = max(10, min(args.requests, 1000))
    args.import_rows = max(1, min(args.import_rows, 50_000))

    if args.section:
        print("JSON:" + json.dumps(run_section(args.section, args)), flush=True)
        return

    results: dict[str, list[dict]] = {}
    for section in [s.strip() for s in args.only.split(",") if s.strip()]:
        if section not in SECTIONS:
            sys.exit(f"unknown section {section!r}; choose from {', '.join(SECTIONS)}")
        print(f"== {section}", flush=True)
        command = [sys.executable, __file__, "--section", section, *_passthrough(args)]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, check=False)
        sys.stderr.write(completed.stderr[-4000:])
        payload = [line for line in completed.stdout.splitlines() if line.startswith("JSON:")]
        for line in completed.stdout.splitlines():
            if not line.startswith("JSON:"):
                print(line)
        if completed.returncode != 0 or not payload:
            results[section] = [{"case": section, "status": "failed", "note": completed.stderr[-300:]}]
            continue
        results[section] = json.loads(payload[-1][5:])

    OUT_DIR.mkdir(exist_ok=True)
    report = {"when": datetime.now().isoformat(timespec="seconds"), "machine": _machine(), "results": results}
    path = OUT_DIR / f"architecture-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("\n== results")
    for section, rows in results.items():
        for row in rows:
            print(f"[{section}] {_format_row(row)}")
    print(f"\nwritten to {path}")


def _passthrough(args) -> list[str]:
    values = ["--requests", str(args.requests), "--import-rows", str(args.import_rows), "--seed", str(args.seed)]
    return values


def _machine() -> dict:
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        database = cursor.fetchone()[0]
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), ""
        )
    return {"python": platform.python_version(), "cpu": cpu, "database": database.split(" on ")[0]}


if __name__ == "__main__":
    main()
