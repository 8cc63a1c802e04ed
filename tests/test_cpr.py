"""CPR numbers never in clear (issue 20): the pattern finds them with a space and inside a text;
every text column is scanned (refused in pseudonym, key and breakdown columns, a warning in
free text); an integer pseudonym is read as 10-digit text; and no message, excerpt, output or
history file shows one. The last test runs every command on data full of CPR numbers and scans
everything they print and write."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path
from textwrap import dedent

import duckdb
import pytest

from hfspec.data.cells import has_cpr, mask_cpr
from hfspec.data.ingest import load_data
from hfspec.diagnostics import HfspecError, Severity, render_all_json, render_all_text
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "data"
#: The CPR numbers of the test data, each in the forms a file may hold it.
CPRS = ["010190-1234", "0101901234", "010190 1234", "311299-9876", "050505-5555", "101901234"]
FORMS = re.compile(r"(0101901234|010190.1234|3112999876|311299.9876|0505055555|050505.5555|(?<![0-9])101901234(?![0-9]))")


@pytest.fixture(scope="module")
def datasets():
    return load_project([ROOT / "specs" / "datasets"], standard=False).datasets


@pytest.mark.parametrize("text", ["010190-1234", "0101901234", "010190 1234", "CPR 010190-1234", "cpr:010190-1234.", " 311299-9876 "])
def test_the_pattern_finds_cpr_numbers(text):
    assert has_cpr(text) and not FORMS.search(mask_cpr(text))


@pytest.mark.parametrize("text", ["B0001", "4512345678", "12345678901234", "2021-12-31", "010190-123", "tlf. 25 12 34 56", "001234-5678",
                                  "011390-1234"])
def test_and_leaves_other_numbers_alone(text):
    assert not has_cpr(text) and mask_cpr(text) == text


def _borgere(tmp_path: Path, ids: list[str], kommune: str = "Køge") -> Path:
    rows = ["borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel"]
    rows += [f"{i},{kommune},30,CTI,M1,2021-01-01,2021-02-01,,true" for i in ids]
    (tmp_path / "borgere.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def _refused(tmp_path, datasets, needed=("borgere",), **options) -> list:
    with pytest.raises(HfspecError) as caught:
        load_data(duckdb.connect(), datasets, tmp_path, needed=list(needed), **options)
    diagnostics = caught.value.diagnostics
    shown = render_all_text(diagnostics) + render_all_json(diagnostics)
    assert not FORMS.search(shown), shown
    return diagnostics


@pytest.mark.parametrize("cpr", ['"010190 1234"', "CPR 010190-1234", "0101901234", '"x 311299-9876 y"'])
def test_a_pseudonym_with_a_cpr_number_is_refused(tmp_path, datasets, cpr):
    diagnostics = _refused(_borgere(tmp_path, ["B1", cpr]), datasets)
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [("HF510", Severity.ERROR, 3)]


def test_a_cpr_number_in_a_breakdown_column_is_refused_and_never_a_label(tmp_path, run_cli):
    """`kommune` is a breakdown of the national key figures: its values are printed as labels."""
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8")
    (data / "borgere.csv").write_text(text.replace(",Vejle,", ",Vejle 010190-1234,", 1), encoding="utf-8")
    code, output = run_cli(["eval", ROOT / "catalog", data, "-i", "HF-P-01", "--format", "csv"])
    assert code == 1 and "HF510" in output and not FORMS.search(output), output
    code, output = run_cli(["eval", ROOT / "catalog", data, "-i", "HF-P-01", "--allow-invalid-rows"])
    assert code == 1 and "HF510" in output and not FORMS.search(output), output


def test_reference_and_key_problems_do_not_print_the_cpr_number(tmp_path, datasets):
    """HF511 and HF512 printed the value in clear (HF510 masked it)."""
    _borgere(tmp_path, ["B1", "010190-1234", "010190-1234"])
    (tmp_path / "fogedsager.csv").write_text("borger_id,dato,afvaerget\n311299-9876,2021-03-01,true\n", encoding="utf-8")
    diagnostics = _refused(tmp_path, datasets, needed=("fogedsager",))
    assert {d.code for d in diagnostics} >= {"HF510", "HF511", "HF512"}


def test_a_cpr_number_in_an_enum_cell_or_a_header_is_not_printed(tmp_path, datasets):
    _borgere(tmp_path, ["B1", "B2"])
    text = (tmp_path / "borgere.csv").read_text(encoding="utf-8").replace(",CTI,", ",010190-1234,", 1)
    (tmp_path / "borgere.csv").write_text(text.replace("samarbejdsmodel", "samarbejdsmodel,0101901234"), encoding="utf-8")
    codes = {d.code for d in _refused(tmp_path, datasets)}
    assert {"HF507", "HF502"} <= codes or "HF513" in codes


@pytest.mark.parametrize("value, refused", [(101901234, True), (321299987, False), (3112999876, True), (1234, False), (45123456789, False)])
def test_an_integer_pseudonym_is_checked_as_10_digit_text(tmp_path, value, refused):
    """A CPR number of a day 01–09 read as a whole number loses its leading zero (0101901234 is
    101901234), in a CSV integer column and in a Parquet one."""
    (tmp_path / "spec.yaml").write_text(dedent("""\
        kind: Dataset
        id: klienter
        columns:
          klient: {type: integer, pseudonym: true}
          alder: {type: integer}
        """), encoding="utf-8")
    datasets = load_project([tmp_path / "spec.yaml"], standard=False).datasets
    for fmt in ("csv", "parquet"):
        folder = tmp_path / fmt
        folder.mkdir()
        if fmt == "csv":
            (folder / "klienter.csv").write_text(f"klient,alder\n7,30\n{value},40\n", encoding="utf-8")
        else:
            duckdb.connect().execute(f"COPY (SELECT * FROM (VALUES (7::BIGINT, 30::BIGINT), ({value}::BIGINT, 40::BIGINT)) t(klient, alder)) "
                                     f"TO '{folder / 'klienter.parquet'}' (FORMAT parquet)")
        if refused:
            assert [d.code for d in _refused(folder, datasets, needed=("klienter",))] == ["HF510"]
        else:
            load_data(duckdb.connect(), datasets, folder, needed=["klienter"])


# -- every output, on data full of CPR numbers ----------------------------------------------------

NOTE_COLUMN = "  notat:\n    type: string\n    required: false\n    title: {da: Notat, en: Note}\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A catalogue whose `borgere` has a free-text column `notat` full of CPR numbers (a warning,
    not a refusal: hfspec never prints the column), and a rule that shows the note."""
    work = tmp_path_factory.mktemp("cpr")
    borgere = (ROOT / "specs" / "datasets" / "borgere.yaml").read_text(encoding="utf-8")
    (work / "catalogue.yaml").write_text("kind: Catalogue\nid: k\ntitle: k\nextends: " + str(ROOT / "catalog" / "catalogue.yaml") + "\n---\n"
                                         + borgere.rstrip("\n") + "\n" + NOTE_COLUMN, encoding="utf-8")
    (work / "rules.yaml").write_text(dedent("""\
        kind: Rule
        id: notes
        title: {da: Noter, en: Notes}
        dataset: borgere
        assert: notat is null
        show: [notat]
        severity: warning
        message: {da: "notat: {notat}", en: "note: {notat}"}
        """), encoding="utf-8")
    data = work / "data"
    shutil.copytree(DEMO, data)
    rows = list(csv.reader((data / "borgere.csv").open(encoding="utf-8", newline="")))
    rows[0].append("notat")
    for i, row in enumerate(rows[1:]):
        row.append(f"ring til mor, CPR {CPRS[i % 3]}" if i % 7 == 0 else "")
    with (data / "borgere.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return work / "catalogue.yaml", work / "rules.yaml", data


def _texts(folder: Path) -> str:
    """Everything in the files of a folder: text as is, workbooks' XML unpacked, DuckDB files as bytes."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                out.extend(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        else:
            out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


def test_no_cpr_number_in_any_output_message_or_history_file(project, run_cli, tmp_path):
    catalogue, rules, data = project
    out = tmp_path / "out"
    out.mkdir()
    store = out / "historik.duckdb"
    commands = [
        ["eval", catalogue, data, "--suppress-below", "0", "--not-for-publication"],
        ["eval", catalogue, data, "--suppress-below", "0", "--not-for-publication", "--format", "json", "--store", store],
        ["eval", catalogue, data, "--suppress-below", "0", "--not-for-publication", "--format", "csv", "--out", out / "r.csv"],
        ["eval", catalogue, data, "--suppress-below", "0", "--not-for-publication", "--format", "xlsx", "--out", out / "r.xlsx"],
        ["check", data, rules, "--catalogue", catalogue, "--limit", "0"],
        ["check", data, rules, "--catalogue", catalogue, "--format", "json"],
        ["dbl", data, "--catalogue", catalogue],
        ["report", catalogue, data, "--store", store, "--label", "x", "--out", out / "r.html"],
        ["report", catalogue, data, "--history", store, "--out", out / "r2.xlsx"],
        ["report", catalogue, data, "--compare", data, "--out", out / "r3.html"],
        ["report", catalogue, data, "--compare-history", store, "--out", out / "r4.xlsx"],
    ]
    printed = []
    for args in commands:
        code, output = run_cli(args)
        assert code in (0, 1) and "Traceback" not in output, (args, output)
        printed.append(output)
    everything = "\n".join(printed) + _texts(out)
    assert "HF510" in everything and "notat" in everything  # the warning was given ...
    assert "XXXXXX" in everything  # ... and the check showed the notes, masked
    assert not FORMS.search(everything), FORMS.search(everything)
    with duckdb.connect(str(store), read_only=True) as con:
        stored = con.execute("SELECT string_agg(by_json || coalesce(title_da, ''), ' ') FROM results").fetchone()[0]
    assert stored and not FORMS.search(stored)


def test_data_errors_on_cpr_data_print_no_cpr_number(tmp_path, run_cli):
    """Every error path of the data, with CPR numbers in every column that refuses them."""
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = (data / "borgere.csv").read_text(encoding="utf-8")
    text = text.replace("B0001,", "010190-1234,", 1).replace(",Vejle,", ",Vejle 311299-9876,", 1).replace(",CTI,", ",050505 5555,", 1)
    (data / "borgere.csv").write_text(text, encoding="utf-8")
    status = (data / "status.csv").read_text(encoding="utf-8")
    (data / "status.csv").write_text(status.replace("B0002,", "0101901234,", 1), encoding="utf-8")
    for args in (["eval", ROOT / "catalog", data], ["eval", ROOT / "catalog", data, "--format", "json"],
                 ["check", data], ["dbl", data], ["report", ROOT / "catalog", data, "--out", tmp_path / "r.html"],
                 ["eval", ROOT / "catalog", data, "--allow-invalid-rows"]):
        code, output = run_cli(args)
        assert code == 1 and "HF510" in output and "Traceback" not in output, (args, output)
        assert not FORMS.search(output), (args, FORMS.search(output))
