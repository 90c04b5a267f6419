"""CSV/XLSX export: exactly the filtered rows, the visible columns, and no spreadsheet formulas."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from simpul.organizations.tests.factories import PerangkatDaerahFactory

URL = "organizations:perangkatdaerah_list"


@pytest.fixture
def client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    return client


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def read_xlsx(response):
    assert "attachment;" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_csv_has_filtered_rows_and_visible_columns(world, client):
    PerangkatDaerahFactory(instansi=world.inst_a, short_name="BADAN1", name="Badan Satu", kind="badan")
    client.get(reverse(URL), {"columns": "short_name,name,kind"})
    rows = read_csv(client.get(reverse(URL), {"kind": "badan", "export": "csv"}))
    assert rows == [["Short name", "Name", "Kind"], ["BADAN1", "Badan Satu", "Agency (badan)"]]
    rows = read_csv(client.get(reverse(URL), {"q": "dinas", "sort": "-short_name", "export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["A2", "A1"]


def test_xlsx_has_filtered_rows_and_visible_columns(world, client):
    client.get(reverse(URL), {"columns": "short_name,head_name"})
    world.a2.head_name = "Bu Kepala"
    world.a2.save()
    sheet = read_xlsx(client.get(reverse(URL), {"q": "A2", "export": "xlsx"}))
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [["Short name", "Head"], ["A2", "Bu Kepala"]]


def test_export_ignores_pagination(world, client):
    for i in range(60):
        PerangkatDaerahFactory(instansi=world.inst_a, short_name=f"X{i:02d}")
    rows = read_csv(client.get(reverse(URL), {"per_page": 25, "export": "csv"}))
    assert len(rows) == 1 + 62


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","klik")', "+1+2", "-2+3", "@SUM(A1)"])
def test_formula_injection_is_neutralised(world, client, payload):
    PerangkatDaerahFactory(instansi=world.inst_a, short_name="JAHAT", name=payload)
    client.get(reverse(URL), {"columns": "short_name,name"})
    rows = read_csv(client.get(reverse(URL), {"q": "JAHAT", "export": "csv"}))
    assert rows[1] == ["JAHAT", "'" + payload]
    sheet = read_xlsx(client.get(reverse(URL), {"q": "JAHAT", "export": "xlsx"}))
    cell = sheet["B2"]
    assert cell.data_type == "s" and cell.value == "'" + payload


def test_plain_negative_numbers_stay_numbers(world, client):
    PerangkatDaerahFactory(instansi=world.inst_a, short_name="ANGKA", name="-12.5")
    client.get(reverse(URL), {"columns": "short_name,name"})
    rows = read_csv(client.get(reverse(URL), {"q": "ANGKA", "export": "csv"}))
    assert rows[1] == ["ANGKA", "-12.5"]
