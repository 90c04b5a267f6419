"""Tables 4.1–4.4 of the master plan as data: the shipped excerpt is the copy data/README.md describes
(checked by its checksum), and it reads as the plan's 19 strategic initiatives and 39 outputs (page
breaks, repeated headers and the initiative name split across a page handled)."""

import hashlib
import re

import pytest

from simpul.roadmap.plan import DATA, PLAN_TABLES, PlanFormatError, parse_plan_tables, plan_rows, slip_note


def test_the_shipped_excerpt_is_the_copy_its_readme_describes():
    # data/README.md records the excerpt's SHA-256 (it was compared with the plan's seed when it was
    # copied): any change to the shipped text shows here, and the README must say what changed.
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"excerpt's SHA-256 `([0-9a-f]{64})`", readme)
    assert recorded, "data/README.md records no SHA-256 of the excerpt"
    raw = PLAN_TABLES.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == recorded.group(1)
    text = raw.decode("utf-8")
    assert text.startswith("Tabel 4.1 Tata Kelola SPBE\n") and text.endswith("\n")
    assert [line.split(maxsplit=2)[:2] for line in text.splitlines() if line.startswith("Tabel 4.")] == [
        ["Tabel", "4.1"],
        ["Tabel", "4.2"],
        ["Tabel", "4.3"],
        ["Tabel", "4.4"],
    ]


def test_the_chapters_text_before_the_first_table_is_not_read():
    # As in the chapter the excerpt is cut from: prose before "Tabel 4.1" gives no rows.
    chapter = (
        "4.3 Strategi\n\nRencana strategis diuraikan menurut area Tata Kelola SPBE, Layanan SPBE, TIK, dan SDM "
        "SPBE sebagaimana tertuang dalam tabel berikut.\n\n" + PLAN_TABLES.read_text(encoding="utf-8")
    )

    def without_lines(rows):
        return [(r.table, r.area, r.initiative, r.output, r.start_year, r.end_year) for r in rows]

    assert without_lines(parse_plan_tables(chapter)) == without_lines(plan_rows())


def test_the_tables_hold_19_initiatives_and_39_outputs():
    rows = plan_rows()
    assert len(rows) == 39
    assert len({(row.table, row.initiative) for row in rows}) == 19
    per_table = {table: sum(1 for row in rows if row.table == table) for table in ("4.1", "4.2", "4.3", "4.4")}
    assert per_table == {"4.1": 6, "4.2": 8, "4.3": 19, "4.4": 6}
    assert {row.area for row in rows} == {"tata_kelola", "layanan", "tik", "sdm"}
    first, last = rows[0], rows[-1]
    assert (first.initiative, first.output, first.start_year, first.end_year) == (
        "Pembangunan Arsitektur SPBE",
        "Sistem Informasi Arsitektur SPBE",
        2020,
        2020,
    )
    assert (last.initiative, last.output, last.start_year, last.end_year) == (
        "Pembangunan Forum Kolaborasi SPBE antara Pemerintah dengan Non Pemerintah",
        "Forum Kolaborasi SPBE",
        2021,
        2022,
    )


def test_a_page_break_inside_an_initiative_name_is_joined():
    portal = [row for row in plan_rows() if row.initiative.startswith("Pembangunan Portal Data")]
    assert [row.output for row in portal] == [
        "Dukungan TIK Portal Data Kota Kabupaten Lampung Timur",
        "Integrasi Data dan Pengelolaan Portal Data Kota Kabupaten Lampung Timur",
    ]
    assert {row.initiative for row in portal} == {"Pembangunan Portal Data Daerah Kota Kabupaten Lampung Timur"}
    # An output on the next page, under a repeated header, stays with the initiative above.
    services = [row.output for row in plan_rows() if row.initiative.startswith("Portal Pelayanan Administrasi")]
    assert services == [
        "Integrasi Perencanaan, Penganggaran, dan Pengadaan Barang dan Jasa Pemerintah, Akuntabilitas Kinerja, "
        "Pemantauan dan Evaluasi",
        "Integrasi Layanan Pemerintah",
        "Portal Pelayanan Administrasi Pemerintahan",
    ]


def test_the_plans_slips_are_kept_and_marked():
    names = [row.output for row in plan_rows()]
    assert "Portal Pelayanan Publik Pemerintah Daerah Kota Potianak" in names
    assert "Potianak" in slip_note("Portal Pelayanan Publik Pemerintah Daerah Kota Potianak")
    assert "kabupaten" in slip_note("Tim Koordinasi SPBE Pemerintah Daerah Kota Kabupaten Lampung Timur")
    assert slip_note("Audit TIK") == ""


def test_an_unreadable_row_names_its_line():
    with pytest.raises(PlanFormatError, match="line 3"):
        parse_plan_tables("Tabel 4.1 Tata Kelola SPBE\n\nInisiatif\tKeluaran tanpa tahun\t\n")
