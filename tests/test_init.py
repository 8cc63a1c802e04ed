"""`hfspec init`: a project a municipality can start from anywhere — data templates that Danish
Excel opens in columns, workbooks that help while typing, and a catalogue id made from any name."""

from __future__ import annotations

import csv
import io
import ntpath
import posixpath
import shutil
import subprocess
from pathlib import Path

import pytest

from hfspec.source import link_path
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
DATASETS = load_project([ROOT / "specs" / "datasets"], standard=False).datasets


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from hfspec.cli import main

    folder = tmp_path_factory.mktemp("init") / "næstved"
    result = CliRunner().invoke(main, ["init", str(folder), "--name", "næstved"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


def excel_cells(raw: bytes) -> list[list[str]]:
    """A CSV file split as Danish Excel splits it when it opens it: UTF-8 only with a byte order
    mark (else Windows-1252), cells separated by `;` (the list separator of Danish Windows)."""
    text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_templates_open_in_columns_in_danish_excel(project):
    for dataset in DATASETS.values():
        raw = (project / "data" / f"{dataset.id}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), dataset.id  # or Excel reads æøå as Windows-1252
        assert excel_cells(raw) == [list(dataset.columns)], dataset.id  # every column in a cell of its own


def test_xlsx_templates_check_every_column_and_explain_it(project):
    import openpyxl
    from openpyxl.utils import get_column_letter

    for dataset in DATASETS.values():
        book = openpyxl.load_workbook(project / "data" / "excel" / f"{dataset.id}.xlsx")
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == list(dataset.columns)
        checks = {str(v.sqref).split(":")[0][:-1]: v for v in sheet.data_validations.dataValidation}
        for i, column in enumerate(dataset.columns.values(), start=1):
            letter = get_column_letter(i)
            check = checks.get(letter)
            if column.type == "enum":
                assert check is not None and check.type == "list" and check.formula1 == '"' + ",".join(column.values) + '"', column.name
            elif column.type == "boolean":
                assert check.type == "list" and check.formula1 == '"ja,nej"', column.name
            elif column.type == "date":
                assert check.type == "date" and sheet.column_dimensions[letter].number_format == "DD-MM-YYYY", column.name
            elif column.type in ("integer", "number"):
                assert check.type == ("whole" if column.type == "integer" else "decimal"), column.name
                if column.min is not None:
                    assert float(check.formula1) == column.min
            if check is not None:
                assert str(check.sqref) == f"{letter}2:{letter}1048576" and check.errorStyle == "warning" and check.prompt
        help_rows = [[c.value for c in row] for row in book["Hjælp"].iter_rows()]
        listed = {row[0]: row for row in help_rows if row and row[0] in dataset.columns}
        assert set(listed) == set(dataset.columns), dataset.id
        for column in dataset.columns.values():
            assert all(v in (listed[column.name][4] or "") for v in column.values)
    status = openpyxl.load_workbook(project / "data" / "excel" / "status.xlsx")["Hjælp"]
    assert any("bolig_efter_serviceloven (også: Bolig efter SEL, Botilbud)" in (c.value or "") for row in status.iter_rows() for c in row)


def test_xlsx_templates_open_in_libreoffice(project, tmp_path):
    """LibreOffice reads the workbook and keeps its checks when it saves it again."""
    import openpyxl

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-calc-nogui)")
    run = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to", "xlsx",
                          "--outdir", str(tmp_path / "out"), str(project / "data" / "excel" / "status.xlsx")],
                         capture_output=True, text=True, timeout=300)
    saved = tmp_path / "out" / "status.xlsx"
    assert run.returncode == 0 and saved.is_file(), run.stdout + run.stderr
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["status", "Hjælp"]
    lists = {v.formula1 for v in book["status"].data_validations.dataValidation if v.type == "list"}
    assert {'"foer,under,efter"', '"loen,ydelse,su,andet"', '"ja,nej"'} <= lists


def test_the_templates_are_read_as_data(project, run_cli):
    for folder in (project / "data", project / "data" / "excel"):
        code, output = run_cli(["eval", project / "catalogue.yaml", folder, "--format", "json"])
        assert code == 0, output


def test_the_name_is_made_an_id_and_goes_into_the_title(project, run_cli):
    text = (project / "catalogue.yaml").read_text(encoding="utf-8")
    assert "\nid: naestved\n" in text and '  da: "Nøgletal for Housing First – Næstved"' in text
    code, output = run_cli(["validate", project / "catalogue.yaml"])
    assert code == 0, output


@pytest.mark.parametrize("name,expected_id,title", [
    ("Høje-Taastrup Kommune", "hoeje-taastrup-kommune", "Høje-Taastrup Kommune"),
    ('Vejle: "syd"', "vejle-syd", 'Vejle: \\"syd\\"'),
    ("2021", "kommune-2021", "2021"),
], ids=["danish", "quotes", "digits"])
def test_any_name_gives_a_catalogue_that_validates(tmp_path, run_cli, name, expected_id, title):
    code, output = run_cli(["init", tmp_path / "p", "--name", name])
    assert code == 0, output
    text = (tmp_path / "p" / "catalogue.yaml").read_text(encoding="utf-8")
    assert f"\nid: {expected_id}\n" in text and title in text
    code, output = run_cli(["validate", tmp_path / "p" / "catalogue.yaml"])
    assert code == 0, output


@pytest.mark.parametrize("pathmod,target,start,expected", [
    (ntpath, r"C:\Python311\Lib\site-packages\hfspec\schemas\catalogue.schema.json", r"H:\Housing First\vejle",
     "file:///C:/Python311/Lib/site-packages/hfspec/schemas/catalogue.schema.json"),
    (ntpath, r"C:\hfspec\schemas\catalogue.schema.json", r"C:\Users\ab\vejle", "../../../hfspec/schemas/catalogue.schema.json"),
    (ntpath, r"\\server\share\hfspec\schemas\c.json", r"H:\vejle", "file://server/share/hfspec/schemas/c.json"),
    (posixpath, "/usr/lib/hfspec/schemas/c.json", "/home/ab/vejle", "../../../usr/lib/hfspec/schemas/c.json"),
], ids=["windows-other-drive", "windows-same-drive", "windows-network-share", "posix"])
def test_schema_links_work_across_drives(pathmod, target, start, expected):
    assert link_path(target, start, pathmod) == expected
