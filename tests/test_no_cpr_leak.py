"""No CPR number from the sample exports reaches anything hfspec writes: the standard data (CSV
and Parquet), the manifest, every output of eval, report, check and dbl, the history stores, the
project cache, and every message on the terminal, also when the exports are refused."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "examples" / "exports"
TEN_DIGITS = re.compile(rb"(?<![0-9])([0-9]{6})[- ]?([0-9]{4})(?![0-9])")


@pytest.fixture(autouse=True)
def no_key_from_the_machine(monkeypatch, tmp_path):
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def export_cprs() -> set[bytes]:
    """Every CPR number in the sample exports, as ten digits."""
    found: set[bytes] = set()
    for path in (EXPORTS / "eksport").rglob("*"):
        if path.suffix in (".csv", ".txt"):
            data = path.read_bytes()
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            data = "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None).encode()
        else:
            continue
        found |= {a + b for a, b in TEN_DIGITS.findall(data)}
    return found


def readable(path: Path) -> bytes:
    """A written file as bytes to search: zip members unpacked, Parquet and DuckDB files read as values."""
    if path.suffix in (".xlsx", ".zip"):
        with zipfile.ZipFile(path) as z:
            return b"\n".join(z.read(name) for name in z.namelist())
    if path.suffix == ".parquet":
        return repr(duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()).encode()
    if path.suffix == ".duckdb":
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
            return repr([con.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables]).encode()
        finally:
            con.close()
    return path.read_bytes()


def leaks(data: bytes, cprs: set[bytes]) -> set[bytes]:
    return {a + b for a, b in TEN_DIGITS.findall(data)} & cprs


def test_no_cpr_number_reaches_any_file_or_message(tmp_path, run_cli, monkeypatch):
    import os

    from hfspec.data.pseudonym import write_key

    cprs = export_cprs()
    assert len(cprs) > 100, "the sample exports hold the CPR numbers the test looks for"
    project = tmp_path / "projekt"
    shutil.copytree(EXPORTS / "eksport", project / "eksport")
    shutil.copytree(EXPORTS / "mappings", project / "mappings")
    shutil.copy(EXPORTS / "catalogue.yaml", project / "catalogue.yaml")
    key = tmp_path / "keys" / "pseudonym.key"
    write_key(key)
    out = tmp_path / "out"
    out.mkdir()
    catalogue = project / "catalogue.yaml"
    messages: list[str] = []

    def run(*args, expect=0):
        code, output = run_cli([str(a) for a in args])
        assert code == expect, output
        messages.append(output)
        return output

    run("map", catalogue, "--key", key, "--out", out / "data")
    run("map", catalogue, "--key", key, "--out", out / "parquet", "--format", "parquet")
    run("map", catalogue, "--key", key, "--out", out / "data", "--summary", "json")
    run("map", catalogue, "--key", key, "--dry-run")
    run("eval", catalogue, "--key", key)
    run("eval", catalogue, "--key", key, "--format", "csv", "--out", out / "noegletal.csv", "--store", out / "historik.duckdb", "--label", "2021 Q4")
    run("eval", catalogue, "--key", key, "--format", "json", "--suppress-below", "0", "--not-for-publication")
    run("eval", catalogue, "--key", key, "--format", "xlsx", "--out", out / "noegletal.xlsx")
    run("eval", catalogue, out / "data", "--format", "json")
    run("report", catalogue, "--key", key, "--out", out / "rapport.html", "--store", out / "rapport.duckdb")
    run("report", catalogue, "--key", key, "--out", out / "rapport.xlsx")
    run("check", "--catalogue", catalogue, "--key", key, "--format", "json", "--out", out / "regler.json", expect=1)
    run("dbl", "--catalogue", catalogue, "--key", key, "--format", "json", "--out", out / "dbl.json")
    citizen = (out / "data" / "borgere.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")[0]
    run("dbl", "--catalogue", catalogue, "--key", key, "--citizen", citizen, "--format", "html", "--out", out / "borger.html")

    # refused exports: every message is masked, on the terminal and as JSON
    import openpyxl as xl

    book_path = project / "eksport" / "sagssystem" / "Borgerforloeb_Haderslev.xlsx"
    book = xl.load_workbook(book_path)
    sheet = book["Forløb"]
    headers = [c.value for c in sheet[4]]
    taken = sheet.cell(row=5, column=1).value
    sheet.cell(row=6, column=headers.index("Kontaktperson") + 1).value = taken  # a CPR number where none may be
    sheet.cell(row=7, column=headers.index("Indsats") + 1).value = "MST"  # and an unknown code on another row
    book.save(book_path)
    sel110 = project / "eksport" / "sel110" / "Indberetning_110_2021K1.txt"
    text = sel110.read_bytes().decode("cp1252").split("\r\n")
    cells = text[2].split(";")
    cells[4] = "31022021"
    text[2] = ";".join(cells)
    sel110.write_bytes("\r\n".join(text).encode("cp1252"))
    refused = run("map", catalogue, "--key", key, "--out", out / "refused", expect=1)
    assert "HF510" in refused and "HF532" in refused and "HF505" in refused
    run("map", catalogue, "--key", key, "--out", out / "refused", "--summary", "json", expect=1)
    run("eval", catalogue, "--key", key, "--format", "json", expect=1)
    run("eval", catalogue, "--key", key, "--allow-invalid-rows", "--format", "json", expect=1)  # a CPR number refuses even then
    refused_dir_written = (out / "refused").exists()

    written = [p for p in tmp_path.rglob("*") if p.is_file() and project / "eksport" not in p.parents]
    written += [p for p in Path(os.environ["HFSPEC_CACHE_DIR"]).rglob("*") if p.is_file()]
    kinds = {p.suffix for p in written}
    assert {".csv", ".parquet", ".json", ".duckdb", ".xlsx", ".html"} <= kinds, kinds
    for path in written:
        if path == key:
            continue
        assert not leaks(readable(path), cprs), f"a CPR number in {path}"
    for output in messages:
        assert not leaks(output.encode(), cprs), f"a CPR number in the output:\n{output}"
    assert not refused_dir_written


def test_the_search_finds_a_cpr_number_in_every_kind_of_file(tmp_path):
    """The scan above would see a leak: in text, in a workbook, in Parquet and in a DuckDB file."""
    cprs = export_cprs()
    one = sorted(cprs)[0].decode()
    shown = f"{one[:6]}-{one[6:]}"
    (tmp_path / "a.csv").write_text(f"x,{shown}\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append([shown])
    book.save(tmp_path / "a.xlsx")
    con = duckdb.connect(str(tmp_path / "a.duckdb"))
    con.execute("CREATE TABLE t AS SELECT ? AS v", [one])
    con.execute(f"COPY t TO '{tmp_path / 'a.parquet'}' (FORMAT parquet)")
    con.close()
    for name in ("a.csv", "a.xlsx", "a.duckdb", "a.parquet"):
        assert leaks(readable(tmp_path / name), cprs) == {one.encode()}, name
    assert leaks(readable(EXPORTS / "eksport" / "sagssystem" / "Borgerforloeb_Haderslev.xlsx"), cprs)
