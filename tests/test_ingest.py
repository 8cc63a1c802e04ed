"""Data ingestion as a municipality's files arrive: Danish Excel CSV, XLSX, Parquet, bad files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from textwrap import dedent

import duckdb
import pytest

from hfspec.diagnostics import HfspecError
from hfspec.data.ingest import load_data
from hfspec.spec.project import load_project

DATASETS = Path(__file__).resolve().parent.parent / "specs" / "datasets"

# A Danish Excel export: `;` separator, decimal comma, Windows-1252, ja/nej, dd-mm-yyyy dates,
# and the Excel header names a municipality's system writes (mapped by `source:`).
BORGERE_DK = dedent("""\
    BorgerID;Kommunenavn;Alder ved visitation;Bostøttemetode;Medarbejder;Visiteret;Opstartsdato;Afslutningsdato;Indgår i samarbejdsmodel
    B1;Køge;23;CTI;M1;01-02-2021;15-02-2021;30-06-2021;ja
    B2;Køge;31;ICM;M1;01-03-2021;20-03-2021;;nej
    B3;Køge;45;CTI;M2;10-03-2021;01-04-2021;;Nej
    """)
HERBERG_DK = dedent("""\
    borger_id;indskrivning;udskrivning;doegn;udgift
    B1;01-01-2021;11-01-2021;10;14500,50
    B2;05-01-2021;06-01-2021;1;1450,25
    """)


@pytest.fixture(scope="module")
def datasets():
    return load_project([DATASETS], standard=False).datasets


def write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_danish_excel_csv_loads(tmp_path, datasets):
    write(tmp_path / "borgere.csv", BORGERE_DK)
    write(tmp_path / "herberg.csv", HERBERG_DK)
    con = duckdb.connect()
    result = load_data(con, datasets, tmp_path, needed=["herberg"])
    assert result.loaded["borgere"].rows == 3 and result.loaded["herberg"].rows == 2
    rows = con.execute('SELECT borger_id, kommune, startdato, slutdato, samarbejdsmodel FROM borgere ORDER BY borger_id').fetchall()
    assert rows == [("B1", "Køge", dt.date(2021, 2, 15), dt.date(2021, 6, 30), True),
                    ("B2", "Køge", dt.date(2021, 3, 20), None, False),
                    ("B3", "Køge", dt.date(2021, 4, 1), None, False)]
    assert con.execute("SELECT sum(udgift) FROM herberg").fetchone()[0] == pytest.approx(15950.75)


def test_utf8_with_bom_and_comma_separator(tmp_path, datasets):
    text = "borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel\nB1,København,30,ACT,M9,2021-01-01,2021-01-05,,true\n"
    (tmp_path / "borgere.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    con = duckdb.connect()
    load_data(con, datasets, tmp_path, needed=["borgere"])
    assert con.execute("SELECT kommune, metode FROM borgere").fetchall() == [("København", "ACT")]


def test_xlsx_and_parquet_give_the_same_table(tmp_path, datasets):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["borger_id", "kommune", "alder", "metode", "medarbejder_id", "visitationsdato", "startdato", "slutdato", "samarbejdsmodel"])
    ws.append(["B1", "Vejle", 19, "CTI", "M1", dt.datetime(2021, 1, 4), dt.datetime(2021, 2, 1), None, True])
    ws.append(["B2", "Vejle", 22.0, "ICM", "M2", dt.datetime(2021, 1, 5), dt.datetime(2021, 3, 1), dt.datetime(2021, 9, 1), False])
    (tmp_path / "x").mkdir()
    book.save(tmp_path / "x" / "borgere.xlsx")
    con = duckdb.connect()
    load_data(con, datasets, tmp_path / "x", needed=["borgere"])
    from_xlsx = con.execute("SELECT * EXCLUDE (__row) FROM borgere ORDER BY borger_id").fetchall()
    (tmp_path / "p").mkdir()
    con.execute(f"COPY (SELECT * EXCLUDE (__row) FROM borgere) TO '{tmp_path / 'p' / 'borgere.parquet'}' (FORMAT parquet)")
    con2 = duckdb.connect()
    load_data(con2, datasets, tmp_path / "p", needed=["borgere"])
    assert con2.execute("SELECT * EXCLUDE (__row) FROM borgere ORDER BY borger_id").fetchall() == from_xlsx
    assert from_xlsx[0][:4] == ("B1", "Vejle", 19, "CTI")


BAD_STATUS = dedent("""\
    borger_id,dato,maalepunkt,boligsituation,beskaeftigelse_uddannelse,forsoergelse,ucla,who5,bokompetence,oekonomi,stabil_livsstil,mentale_vanskeligheder,rusmiddelforbrug,rusmiddelbehandling,bostoette_sel85,ors,srs
    B1,2021-02-15,foer,egen_bollig,false,ydelse,7,10,2,2,2,4,3,false,true,20,30
    B1,2021-05-15,under,egen_bolig,false,ydelse,5,tolv,3,3,3,3,3,false,true,25,35
    B9,2021-05-15,under,egen_bolig,false,ydelse,5,12,3,3,3,3,3,false,true,25,35
    """)
BAD_BORGERE = dedent("""\
    borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel
    B1,Køge,23,CTI,M1,2021-02-01,2021-02-15,,true
    010203-1234,Køge,40,ICM,M1,2021-02-01,2021-02-15,,true
    """)


def test_bad_file_gives_one_located_diagnostic_per_problem(tmp_path, datasets):
    (tmp_path / "status.csv").write_text(BAD_STATUS, encoding="utf-8")
    (tmp_path / "borgere.csv").write_text(BAD_BORGERE, encoding="utf-8")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["status"])
    found = sorted((d.code, Path(d.span.file).name, d.span.line) for d in info.value.diagnostics)
    assert found == [("HF504", "status.csv", 3), ("HF507", "status.csv", 2), ("HF510", "borgere.csv", 3), ("HF511", "status.csv", 4)]
    by_code = {d.code: d for d in info.value.diagnostics}
    assert "egen_bolig" in by_code["HF507"].hint.render("en")  # did you mean
    assert "010203" not in by_code["HF510"].text("en")  # the CPR number is not repeated
    enum = by_code["HF507"]
    assert enum.span.source.line(enum.span.line)[enum.span.col - 1:].startswith("egen_bollig")
    from hfspec.diagnostics import render_all_text

    rendered = render_all_text(info.value.diagnostics)
    assert "010203-1234" not in rendered and "XXXXXX-XXXX,Køge" in rendered  # masked in the excerpt too


def test_cpr_numbers_are_refused_even_with_allow_invalid_rows(tmp_path, datasets):
    (tmp_path / "borgere.csv").write_text(BAD_BORGERE, encoding="utf-8")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"], allow_invalid_rows=True)
    assert [d.code for d in info.value.diagnostics] == ["HF510"]


def test_danish_thousands_separator_in_semicolon_files(tmp_path, datasets):
    write(tmp_path / "borgere.csv", BORGERE_DK)
    write(tmp_path / "herberg.csv", "borger_id;indskrivning;udskrivning;doegn;udgift\nB1;01-01-2021;11-01-2021;10;116.440\nB2;01-01-2021;;1.002;51.850,50\n")
    con = duckdb.connect()
    load_data(con, datasets, tmp_path, needed=["herberg"])
    assert con.execute("SELECT doegn, udgift FROM herberg ORDER BY borger_id").fetchall() == [(10, 116440.0), (1002, 51850.5)]
    # in a comma-separated file the point is the decimal mark
    (tmp_path / "herberg.csv").write_text("borger_id,indskrivning,udskrivning,doegn,udgift\nB1,2021-01-01,,10,116.440\n", encoding="utf-8")
    con = duckdb.connect()
    load_data(con, datasets, tmp_path, needed=["herberg"])
    assert con.execute("SELECT udgift FROM herberg").fetchall() == [(116.44,)]


def test_bad_data_is_refused_by_eval_and_nothing_is_computed(tmp_path, run_cli):
    (tmp_path / "status.csv").write_text(BAD_STATUS, encoding="utf-8")
    (tmp_path / "borgere.csv").write_text(BAD_BORGERE, encoding="utf-8")
    catalogue = Path(__file__).resolve().parent.parent / "catalog"
    code, output = run_cli(["eval", "--format", "json", "-i", "HF-O-09", catalogue, tmp_path])
    assert code == 1
    assert '"indicators"' not in output
    payload = json.loads(output)
    assert sorted(d["code"] for d in payload["diagnostics"]) == ["HF504", "HF507", "HF510", "HF511"]
    assert all(d["file"] and d["line"] for d in payload["diagnostics"])


def test_allow_invalid_rows_skips_exactly_those_rows(tmp_path, datasets):
    (tmp_path / "status.csv").write_text(BAD_STATUS, encoding="utf-8")
    good_borgere = BAD_BORGERE.replace("010203-1234", "B2")
    (tmp_path / "borgere.csv").write_text(good_borgere, encoding="utf-8")
    con = duckdb.connect()
    result = load_data(con, datasets, tmp_path, needed=["status"], allow_invalid_rows=True)
    assert result.loaded["status"].skipped_rows == [2, 3, 4]
    assert result.loaded["status"].rows == 0
    assert [w.text("en") for w in result.warnings if w.code == "HF520"] == ["left out of the computation: 3 invalid rows of status.csv"]
    assert [w.text("da") for w in result.warnings if w.code == "HF520"] == ["udeladt af beregningen: 3 ugyldige rækker i status.csv"]


def test_missing_file_and_missing_column(tmp_path, datasets):
    (tmp_path / "borgere.csv").write_text("borger_id,kommune\nB1,Køge\n", encoding="utf-8")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["herberg"])
    codes = sorted(d.code for d in info.value.diagnostics)
    assert "HF501" in codes  # herberg.csv missing
    assert codes.count("HF503") == 6  # borgere lacks six required columns


def test_duplicate_key_rows(tmp_path, datasets):
    text = "borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel\n" + \
           "B1,Køge,23,CTI,M1,2021-02-01,2021-02-15,,true\nB1,Køge,24,CTI,M1,2021-02-01,2021-02-15,,true\n"
    (tmp_path / "borgere.csv").write_text(text, encoding="utf-8")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    (d,) = info.value.diagnostics
    assert d.code == "HF512" and "rows 2, 3" in d.text("en") and d.span.line == 3


@pytest.mark.parametrize("cell,code", [("12.5", "HF514"), ("abc", "HF504"), ("200", "HF508"), ("", "HF509")], ids=["decimal", "text", "range", "empty"])
def test_integer_column_problems(tmp_path, datasets, cell, code):
    text = "borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel\n" + \
           f"B1,Køge,{cell},CTI,M1,2021-02-01,2021-02-15,,true\n"
    (tmp_path / "borgere.csv").write_text(text, encoding="utf-8")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    assert [d.code for d in info.value.diagnostics] == [code]


def test_xlsx_row_numbers_are_excel_rows_despite_blank_rows(tmp_path, datasets):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["borger_id", "kommune", "alder", "metode", "medarbejder_id", "visitationsdato", "startdato", "slutdato", "samarbejdsmodel"])
    ws.append(["B1", "Vejle", 19, "CTI", "M1", dt.datetime(2021, 1, 4), dt.datetime(2021, 2, 1), None, True])
    ws.append([None] * 9)
    ws.append(["B2", "Vejle", 22, "CTX", "M2", dt.datetime(2021, 1, 5), dt.datetime(2021, 3, 1), None, False])
    book.save(tmp_path / "borgere.xlsx")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    (d,) = info.value.diagnostics
    assert d.code == "HF507" and "row 4" in d.text("en") and d.span.line == 4


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity"])
def test_non_finite_numbers_are_refused(tmp_path, datasets, cell):
    write(tmp_path / "borgere.csv", BORGERE_DK)
    write(tmp_path / "herberg.csv", f"borger_id;indskrivning;udskrivning;doegn;udgift\nB1;01-01-2021;11-01-2021;10;{cell}\n")
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["herberg"])
    assert [(d.code, d.span.line) for d in info.value.diagnostics] == [("HF504", 2)]


def test_missing_data_folder_is_one_diagnostic(tmp_path, datasets):
    with pytest.raises(HfspecError) as info:
        load_data(duckdb.connect(), datasets, tmp_path / "nope", needed=["status"])
    (d,) = info.value.diagnostics
    assert d.code == "HF501" and "does not exist" in d.text("en")


# -- sheets: the text of CSV and XLSX files, shared with the CREAM ratings reader ----------------

def test_read_sheet_numbers_rows_as_the_user_sees_them(tmp_path):
    """CSV records keep their first line (a cell may span lines); XLSX records are Excel rows, blank
    rows left out but counted; a cell's span starts where the cell starts on its line."""
    import doctest

    import openpyxl

    from hfspec.data import sheets

    assert doctest.testmod(sheets).failed == 0
    csv_path = tmp_path / "r.csv"
    csv_path.write_bytes('navn;note;score\r\nAnne;"to\r\nlinjer";4\r\n\r\nBø;x;"5"\r\n'.encode("cp1252"))
    sheet = sheets.read_sheet(csv_path)
    assert sheet.delimiter == ";" and [(line, rec[0]) for line, rec in sheet.records] == [(1, "navn"), (2, "Anne"), (5, "Bø")]
    span = sheet.cell_span(5, 2, 3)
    assert (span.line, span.col, span.end_col) == (5, 6, 9)
    book = openpyxl.Workbook()
    book.active.title = "Andet"
    ws = book.create_sheet("Bedømmelser")
    ws.append(["navn", "score"])
    ws.append([None, None])
    ws.append(["Bo", 4.0])
    book.save(tmp_path / "r.xlsx")
    sheet = sheets.read_sheet(tmp_path / "r.xlsx", ["Ratings", "Bedømmelser"])
    assert sheet.records == [(1, ["navn", "score"]), (3, ["Bo", "4"])] and sheet.source.line(3) == "Bo,4"


def test_an_ors_export_with_one_decimal_loads(tmp_path, datasets):
    """ORS and SRS are the sum of four 10 cm lines, recorded with one decimal (`25,3` in a Danish
    export); they used to be whole numbers and every such cell was refused (HF514)."""
    write(tmp_path / "borgere.csv", BORGERE_DK)
    write(tmp_path / "status.csv", dedent("""\
        borger_id;dato;maalepunkt;boligsituation;beskaeftigelse_uddannelse;forsoergelse;rusmiddelbehandling;bostoette_sel85;ors;srs
        B1;15-02-2021;foer;uden_egen_bolig;nej;ydelse;nej;nej;25,3;35,8
        B2;20-03-2021;foer;egen_bolig;nej;ydelse;nej;ja;17;
        """))
    con = duckdb.connect()
    result = load_data(con, datasets, tmp_path, needed=["status"])
    assert not [w for w in result.warnings if w.code == "HF514"]
    assert con.execute("SELECT ors, srs FROM status ORDER BY borger_id").fetchall() == [(25.3, 35.8), (17.0, None)]


def test_tenancies_and_shelter_destinations_load(tmp_path, datasets):
    write(tmp_path / "borgere.csv", BORGERE_DK)
    write(tmp_path / "bolig.csv", dedent("""\
        Borger-ID;Indflytningsdato;Fraflytningsdato;Fraflytningsårsag
        B1;15-02-2021;30-06-2021;anden_bolig
        B1;01-07-2021;;
        """))
    write(tmp_path / "herberg.csv", dedent("""\
        borger_id;indskrivning;udskrivning;doegn;udgift;Udskrevet til;Handleplan
        B1;01-01-2021;11-01-2021;10;14500,50;egen_bolig;05-01-2021
        B2;05-01-2021;;1;1450,25;;
        """))
    con = duckdb.connect()
    load_data(con, datasets, tmp_path, needed=["bolig", "herberg"])
    assert con.execute("SELECT count(*), count(fraflytningsdato), count(fraflytningsaarsag) FROM bolig").fetchone() == (2, 1, 1)
    assert con.execute("SELECT udskrevet_til, handleplan_dato FROM herberg ORDER BY borger_id").fetchall() == [
        ("egen_bolig", dt.date(2021, 1, 5)), (None, None)]
