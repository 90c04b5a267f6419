"""A roadmap as Excel in the plan's table layout: export, import (all or nothing, each problem named by row
and column), the page and the `simpul roadmap` commands."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from simpul.core.models import AuditEntry
from simpul.organizations.tests.factories import UserFactory
from simpul.roadmap import xlsx
from simpul.roadmap.models import Initiative, Output, Roadmap
from simpul.roadmap.plan import plan_rows
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, header=xlsx.COLUMNS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("peta-rencana.xlsx", buffer.getvalue(), content_type=XLSX)


def plan_workbook() -> SimpleUploadedFile:
    """Tables 4.1–4.4 as the plan lays them out: area and initiative only on their first row."""
    rows, area, initiative = [], None, None
    for row in plan_rows():
        rows.append(
            [
                row.area if row.area != area else "",
                row.initiative if row.initiative != initiative else "",
                row.output,
                f"{row.start_year} - {row.end_year}",
                "",
                "",
            ]
        )
        area, initiative = row.area, row.initiative
    return workbook(rows)


def test_the_plans_tables_import_as_a_new_current_version(world):
    summary = xlsx.import_plan(
        world.admin_a, world.inst_a, plan_workbook(), name="Peta Rencana SPBE", version_label="2020", valid_from=2020
    )
    assert (summary.initiatives, summary.outputs) == (19, 39)
    assert summary.roadmap.is_current
    stored = [
        (o.initiative.area, o.initiative.name, o.name, o.start_year, o.end_year)
        for o in Output.objects.filter(initiative__roadmap=summary.roadmap).order_by("initiative__number", "number")
    ]
    assert stored == [(r.area, r.initiative, r.output, r.start_year, r.end_year) for r in plan_rows()]
    slip = Output.objects.get(name__contains="Potianak")
    assert "Potianak" in slip.plan_note


def test_a_bad_file_names_each_problem_and_writes_nothing(world):
    before = AuditEntry.objects.count()
    upload = workbook(
        [
            [
                "Tata Kelola SPBE",
                "Pembangunan Arsitektur SPBE",
                "Sistem Informasi Arsitektur SPBE",
                "2020 - 2020",
                "A1",
                "",
            ],
            ["Pertahanan", "", "Keluaran X", "2021 - 2022", "", ""],
            ["", "", "", "2021-2022", "", ""],
            ["", "", "Keluaran Y", "dua ribu", "", ""],
            ["", "", "Keluaran Z", "2026 - 2024", "ZZZ", ""],
        ]
    )
    with pytest.raises(xlsx.PlanImportError) as refused:
        xlsx.import_plan(world.admin_a, world.inst_a, upload, name="Peta", version_label="X", valid_from=2020)
    problems = {(error.row, error.column) for error in refused.value.errors}
    assert problems == {(3, "Area"), (4, "Keluaran"), (5, "Target Waktu"), (6, "Target Waktu"), (6, "Perangkat Daerah")}
    assert not Roadmap.objects.exists() and AuditEntry.objects.count() == before


def test_a_missing_column_or_an_operator_is_refused(world):
    with pytest.raises(xlsx.PlanImportError) as refused:
        xlsx.import_plan(
            world.admin_a,
            world.inst_a,
            workbook([["a", "b"]], header=["Area", "Keluaran"]),
            name="P",
            version_label="1",
            valid_from=2020,
        )
    assert {error.column for error in refused.value.errors} == {"Inisiatif Strategis", "Target Waktu"}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        xlsx.import_plan(world.operator_a1, world.inst_a, plan_workbook(), name="P", version_label="1", valid_from=2020)
    assert not Roadmap.objects.exists()


def test_export_then_import_gives_the_same_roadmap(world):
    small = make_roadmap(world)
    buffer = io.BytesIO()
    assert xlsx.export_roadmap(small.roadmap, buffer) == 2
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == xlsx.COLUMNS
    assert rows[1][:5] == (
        "Teknologi Informasi dan Komunikasi",
        "Penyediaan Jaringan Intra",
        "Jaringan Simpul A1",
        "2023 - 2026",
        "A1",
    )
    assert rows[2][:5] == (None, None, "Jaringan Simpul A2", "2023 - 2026", "A2")
    upload = SimpleUploadedFile("ekspor.xlsx", buffer.getvalue(), content_type=XLSX)
    summary = xlsx.import_plan(
        world.admin_a, world.inst_a, upload, name="Salinan", version_label="Salinan", valid_from=2023
    )
    copied = Output.objects.filter(initiative__roadmap=summary.roadmap).order_by("number")
    assert [(o.name, o.years_label, o.responsible_opd) for o in copied] == [
        ("Jaringan Simpul A1", "2023–2026", world.a1),
        ("Jaringan Simpul A2", "2023–2026", world.a2),
    ]
    assert summary.roadmap.based_on == small.roadmap


def test_the_import_and_export_pages(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.koordinator_a)
    url = reverse("roadmap:import_plan")
    assert client.get(url).status_code == 200
    data = {
        "name": "Peta",
        "version_label": "2020",
        "valid_from": 2020,
        "instansi": world.inst_a.pk,
        "make_current": "on",
    }
    refused = client.post(url, {**data, "file": workbook([["Pertahanan", "X", "Y", "2020 - 2020", "", ""]])})
    assert refused.status_code == 400 and refused.context["errors"][0].column == "Area"
    response = client.post(url, {**data, "file": plan_workbook()})
    roadmap = Roadmap.objects.get(version_label="2020")
    assert response.status_code == 302 and Initiative.objects.filter(roadmap=roadmap).count() == 19
    export = client.get(reverse("roadmap:roadmap_export_plan", args=[roadmap.pk]))
    assert export.status_code == 200 and export["Content-Type"] == XLSX
    assert len(list(load_workbook(io.BytesIO(export.content)).active.iter_rows())) == 40
    operator = Client()
    operator.force_login(world.operator_a1)
    assert operator.get(url).status_code == 403
    # Instansi B is not offered to instansi A's coordinator.
    assert (
        client.post(
            url, {**data, "version_label": "B", "instansi": world.inst_b.pk, "file": plan_workbook()}
        ).status_code
        == 400
    )


def test_the_commands_export_and_import(world, tmp_path):
    small = make_roadmap(world)
    UserFactory(username="root", is_superuser=True, instansi=world.inst_a)
    target = tmp_path / "peta.xlsx"
    out = io.StringIO()
    call_command("roadmap", "export-xlsx", "--instansi", "inst-a", str(target), stdout=out)
    assert "2" in out.getvalue() and target.exists()
    call_command(
        "roadmap",
        "import-xlsx",
        "--instansi",
        "inst-a",
        "--version",
        "Reviu",
        "--valid-from",
        "2025",
        str(target),
        stdout=out,
    )
    review = Roadmap.objects.get(version_label="Reviu")
    assert review.is_current and review.based_on == small.roadmap
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(workbook([["Pertahanan", "X", "Y", "2020", "", ""]]).read())
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "roadmap", "import-xlsx", "--instansi", "inst-a", "--version", "Salah", str(bad), stdout=out, stderr=errors
        )
    assert "baris 2, kolom Area" in errors.getvalue()
    assert not Roadmap.objects.filter(version_label="Salah").exists()
    with pytest.raises(CommandError):
        call_command(
            "roadmap", "import-xlsx", "--instansi", "inst-a", "--version", "X", "--user", "operator-a1", str(target)
        )
