"""Hostile or broken data files end in diagnostics, never in a hang, a crash or citizen data left
on disk (issue 20): dates outside 1900–2200, XLSX files that are too wide, too long, hold too many
texts or unpack too large, and the temporary copies of data files, also when a run is killed."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from hfspec.data import sheets
from hfspec.data.ingest import load_data
from hfspec.diagnostics import HfspecError
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "data"


@pytest.fixture(scope="module")
def datasets():
    return load_project([ROOT / "specs" / "datasets"], standard=False).datasets


def _codes(folder: Path, datasets, needed=("borgere",)) -> list[str]:
    with pytest.raises(HfspecError) as caught:
        load_data(duckdb.connect(), datasets, folder, needed=list(needed))
    return [d.code for d in caught.value.diagnostics]


BORGERE = "borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel\n"


# -- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("date, code", [("0021-03-22", "HF518"), ("2201-01-01", "HF518"), ("31-12-1899", "HF518"), ("22.03.0021", "HF518"),
                                        ("infinity", "HF505"), ("2021-02-30", "HF505")])
def test_a_date_outside_1900_to_2200_is_refused(tmp_path, datasets, date, code):
    (tmp_path / "borgere.csv").write_text(BORGERE + f"B1,Køge,30,CTI,M1,2021-01-01,{date},,true\n", encoding="utf-8")
    assert _codes(tmp_path, datasets) == [code]


@pytest.mark.parametrize("date", ["infinity", "-infinity", "0021-03-22", "2201-01-01"])
def test_a_parquet_date_outside_1900_to_2200_is_refused(tmp_path, datasets, date):
    """A Parquet `infinity` was accepted, and every row landed in an empty period."""
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'B1' AS borger_id, 'Køge' AS kommune, 30 AS alder, 'CTI' AS metode, 'M1' AS medarbejder_id, "
                f"DATE '2021-01-01' AS visitationsdato, DATE '{date}' AS startdato, NULL::DATE AS slutdato, true AS samarbejdsmodel) "
                f"TO '{tmp_path / 'borgere.parquet'}' (FORMAT parquet)")
    assert _codes(tmp_path, datasets) in (["HF505"], ["HF518"])


def test_the_edges_of_the_date_range_are_dates(tmp_path, datasets):
    (tmp_path / "borgere.csv").write_text(BORGERE + "B1,Køge,30,CTI,M1,1900-01-01,2200-12-31,,true\n", encoding="utf-8")
    con = duckdb.connect()
    load_data(con, datasets, tmp_path, needed=["borgere"])
    assert con.execute("SELECT visitationsdato, startdato FROM borgere").fetchone() == (sheets.dt.date(1900, 1, 1), sheets.dt.date(2200, 12, 31))


def test_a_year_typo_is_refused_before_the_report(tmp_path, run_cli):
    """`0021-03-22` was accepted, and `hfspec report` then failed with HF604."""
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8")
    (data / "borgere.csv").write_text(text.replace(",2021-03-22,", ",0021-03-22,", 1), encoding="utf-8")
    code, output = run_cli(["report", "--out", tmp_path / "r.html", ROOT / "catalog", data])
    assert code == 1 and "HF518" in output and "HF604" not in output, output


# -- XLSX ------------------------------------------------------------------------------------------

def _workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _borgere_rows() -> list[list[str]]:
    return list(csv.reader((DEMO / "borgere.csv").open(encoding="utf-8", newline="")))


def _replace(path: Path, part: str, content: bytes) -> Path:
    """The workbook with one part replaced or added (the others copied as they are)."""
    original = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != part:
                out.writestr(info.filename, src.read(info.filename))
        out.writestr(part, content)
    return path


def test_one_cell_at_column_xfd_is_hf524_at_once(tmp_path, datasets):
    """One value in column XFD made every row 16,384 cells wide, and the time grew with the
    square of the width (a hang)."""
    book = openpyxl.Workbook()
    for row in _borgere_rows():
        book.active.append(row)
    book.active["XFD1"] = "x"
    book.save(tmp_path / "borgere.xlsx")
    assert _codes(tmp_path, datasets) == ["HF524"]


def test_a_sheet_that_claims_to_be_wide_is_read_by_its_cells(tmp_path, datasets):
    """The sheet's own <dimension> is not trusted: a claimed A1:XFD1048576 (as whole-row
    formatting makes) costs nothing, and a claim smaller than the data does not drop rows."""
    for claim in (b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1:B2"/>'):
        path = _workbook(tmp_path / "borgere.xlsx", _borgere_rows())
        with zipfile.ZipFile(path) as book:
            sheet = book.read("xl/worksheets/sheet1.xml")
        start = sheet.index(b"<dimension")
        _replace(path, "xl/worksheets/sheet1.xml", sheet[:start] + claim + sheet[sheet.index(b"/>", start) + 2:])
        con = duckdb.connect()
        load_data(con, datasets, tmp_path, needed=["borgere"])
        assert con.execute("SELECT count(*) FROM borgere").fetchone()[0] == len(_borgere_rows()) - 1


def test_a_value_right_of_the_header_is_a_column_without_a_name(tmp_path, datasets):
    rows = _borgere_rows()
    rows[5] = rows[5] + ["", "stray"]
    _workbook(tmp_path / "borgere.xlsx", rows)
    result = load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    assert [d.code for d in result.warnings] == ["HF502", "HF502"]  # the two unnamed columns, ignored


def test_millions_of_shared_strings_in_a_small_file_are_hf521(tmp_path, datasets):
    """3 million shared strings in a 140 KB file ran for minutes and took 900 MB."""
    path = _workbook(tmp_path / "borgere.xlsx", _borgere_rows())
    count = sheets.MAX_XLSX_SHARED_STRINGS + 1
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t/></si>" * count + b"</sst>"
    _replace(path, "xl/sharedStrings.xml", strings)
    with zipfile.ZipFile(path) as book:  # openpyxl writes inline text: declare the part as Excel does
        types = book.read("[Content_Types].xml")
    _replace(path, "[Content_Types].xml", types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                       b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    assert path.stat().st_size < 200_000
    assert _codes(tmp_path, datasets) == ["HF521"]


def test_a_workbook_that_unpacks_too_large_is_hf522(tmp_path, datasets):
    """The sizes in the zip's directory are checked before anything is unpacked (a zip never
    unpacks to more than it says)."""
    path = _workbook(tmp_path / "borgere.xlsx", _borgere_rows())
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")  # the first entry of the central directory: its unpacked size
    data[at + 24:at + 28] = struct.pack("<I", sheets.MAX_XLSX_UNPACKED_BYTES + 1)
    path.write_bytes(bytes(data))
    assert _codes(tmp_path, datasets) == ["HF522"]


def test_a_row_beyond_excels_last_row_is_hf519(tmp_path, datasets):
    path = _workbook(tmp_path / "borgere.xlsx", _borgere_rows()[:3])
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    far = sheets.MAX_XLSX_ROWS + 1
    row = f'<row r="{far}"><c r="A{far}" t="inlineStr"><is><t>B9</t></is></c></row>'.encode()
    _replace(path, "xl/worksheets/sheet1.xml", sheet.replace(b"</sheetData>", row + b"</sheetData>"))
    assert _codes(tmp_path, datasets) == ["HF519"]


def test_ratings_sheets_have_the_same_limits(tmp_path, run_cli):
    path = _workbook(tmp_path / "r.xlsx", [["bedømmer", "nøgletal", "kriterium", "score"], ["A", "HF-P-01", "relevans", 4]])
    openpyxl.load_workbook(path)  # a real workbook
    book = openpyxl.load_workbook(path)
    book.active["XFD2"] = 1
    book.save(path)
    code, output = run_cli(["cream", "--ratings", path])
    assert code == 1 and "HF524" in output, output


# -- temporary copies ------------------------------------------------------------------------------

def _private_tmp(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return dict(os.environ, TMPDIR=str(folder))


def test_cream_ratings_leave_no_temporary_folder(tmp_path):
    env = _private_tmp(tmp_path)
    rows = [["bedømmer", "nøgletal", "kriterium", "score"]] + [["A", "HF-P-01", c, 4] for c in ("C", "R", "E", "A", "M")]
    path = _workbook(tmp_path / "r.xlsx", rows)
    done = subprocess.run([sys.executable, "-m", "hfspec", "cream", "--ratings", str(path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="unnamed temporary files need /proc (Linux)")
def test_a_run_killed_while_it_reads_xlsx_leaves_no_citizen_data_behind(tmp_path):
    """The CSV copy of an XLSX sheet was left in the temporary folder when the run was killed (or
    hung). Now it never has a name: killed with SIGKILL in the middle of the copy, nothing is left."""
    env = _private_tmp(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    rows = list(csv.reader((data / "tid.csv").open(encoding="utf-8", newline="")))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("tid")
    for row in rows:
        sheet.append(row)
    book.save(data / "tid.xlsx")
    (data / "tid.csv").unlink()
    proc = subprocess.Popen([sys.executable, "-m", "hfspec", "eval", ROOT / "catalog", data, "-i", "HF-E-07"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tmp = str(tmp_path / "tmp")
    seen = []
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not seen:
            try:
                links = [os.readlink(f"/proc/{proc.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{proc.pid}/fd")]
            except OSError:
                links = []
            # the copy, open and without a name in the folder (Python's own check that the folder
            # can be written opens a named file for a moment, which is not the data)
            seen = [link for link in links if link.startswith(tmp) and link.endswith("(deleted)")]
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert seen, "the run ended before it was seen copying the sheet"
    assert list(Path(tmp).iterdir()) == []


def test_a_csv_header_16384_columns_wide_is_read_quickly(tmp_path, datasets):
    """The caret of each unknown column's warning was found by parsing the header line again: the
    time grew with the square of the width. Now the line is parsed once and 20 are listed."""
    rows = _borgere_rows()
    extra = [f"x{i}" for i in range(16_384)]
    with (tmp_path / "borgere.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(rows[0] + extra)
        writer.writerows(row + [""] * len(extra) for row in rows[1:])
    result = load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    assert [d.code for d in result.warnings] == ["HF502"] * 21
    assert "16,364 more unknown columns" in result.warnings[-1].message.render("en")


def test_a_csv_without_a_line_break_is_hf523(tmp_path, datasets):
    with (tmp_path / "borgere.csv").open("wb") as out:  # a sparse file of zeros: no line break anywhere
        out.truncate(sheets.MAX_HEADER_BYTES + 1)
    assert _codes(tmp_path, datasets) == ["HF523"]


@pytest.mark.skipif(os.name != "posix", reason="whether a process runs is asked with signal 0 (POSIX)")
def test_a_killed_comparison_leaves_its_union_only_until_the_next_run(tmp_path):
    """`report --compare` writes the folders' data together into a temporary folder, which DuckDB
    reads by name. Killed with SIGKILL while the folder exists, the run cannot remove it; the next
    run that reads data does, and leaves the folders of runs that still run alone."""
    env = _private_tmp(tmp_path)
    tmp = tmp_path / "tmp"
    proc = subprocess.Popen([sys.executable, "-m", "hfspec", "report", ROOT / "catalog", DEMO, "--compare", DEMO, "--out", tmp_path / "r.html"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = []
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and not seen:
            seen = [p for p in tmp.glob(f"hfspec-scratch-{proc.pid}-*") if any(p.rglob("*.parquet"))]
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert seen, "the run ended before it was seen writing the union"
    assert seen[0].exists()  # killed: left behind ...
    alive = tmp / f"hfspec-scratch-{os.getpid()}-x"  # a run that still runs (this one)
    alive.mkdir()
    done = subprocess.run([sys.executable, "-m", "hfspec", "eval", ROOT / "catalog", DEMO, "-i", "HF-P-01"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert not seen[0].exists() and alive.exists()  # ... until the next run
