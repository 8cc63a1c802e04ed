"""Data as municipalities write it: a Danish Excel export reads like the canonical files, bad data
is reported once per file × column × problem × value, separators that Excel mixed up are named,
and --allow-invalid-rows leaves no row behind whose citizen was left out."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfspec.data.cells import fold_sql, typed_sql
from hfspec.data.ingest import load_data
from hfspec.data.problems import ROWS_SHOWN, VALUES_PER_CHECK
from hfspec.diagnostics import HfspecError, render_all_text
from hfspec.spec.model import ColumnSpec, fold_value
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "data"
CATALOGUE = ROOT / "catalog"

#: Headers as a case system's Excel export writes them (folded to the canonical names).
EXPORT_HEADERS = {"borger_id": "Borger-ID", "maalepunkt": "Målepunkt", "boligsituation": "Boligsituation", "forsoergelse": "Forsørgelse",
                  "beskaeftigelse_uddannelse": "Beskæftigelse/uddannelse", "doegn": "Døgn", "oekonomi": "Økonomi",
                  "bostoette_sel85": "Bostøtte §85", "afvaerget": "Afværget", "stoerrelse": "Størrelse"}
#: Values as people write them: folding reaches most; `Bolig efter SEL` and `8.000+` are aliases.
EXPORT_WORDS = {"foer": "Før", "under": "Under", "efter": "Efter", "egen_bolig": "Egen bolig", "uden_egen_bolig": "Uden egen bolig",
                "egen_midlertidig_bolig": "Egen midlertidig bolig", "bolig_efter_serviceloven": "Bolig efter SEL", "anbragt": "Anbragt",
                "loen": "Løn", "su": "SU", "ydelse": "Ydelse", "andet": "Andet", "1_vaerelse": "1 værelse", "2_vaerelser": "2-værelses",
                "8000_plus": "8.000+", "4000_5999": "4000-5999", "ICM": "icm"}


def danish_export(source: Path, target: Path, edit=None) -> Path:
    """The demo data as Danish Excel saves it: Windows-1252, `;`, decimal comma, dd-mm-yyyy dates,
    Ja/Nej, Danish words and headers with æøå. `edit(file, rows)` may change the rows first."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        rows = list(csv.reader(path.open(encoding="utf-8")))
        body = [[_excel_cell(cell) for cell in row] for row in rows[1:]]
        if edit:
            edit(path.name, body)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([EXPORT_HEADERS.get(h, h) for h in rows[0]])
        writer.writerows(body)
        (target / path.name).write_bytes(out.getvalue().encode("cp1252"))
    return target


def _excel_cell(cell: str) -> str:
    if cell in ("true", "false"):
        return "Ja" if cell == "true" else "Nej"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
        return "-".join(reversed(cell.split("-")))
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return cell.replace(".", ",")
    return EXPORT_WORDS.get(cell, cell)


def evaluate(run_cli, data: Path, *extra) -> dict:
    code, output = run_cli(["eval", CATALOGUE, data, "--format", "json", "--suppress-below", "0", "--not-for-publication", *extra])
    assert code == 0, output
    return json.loads(output[output.index("{"):])


def test_a_danish_excel_export_gives_the_same_key_figures(tmp_path, run_cli):
    export = danish_export(DEMO, tmp_path / "eksport")
    status = (export / "status.csv").read_bytes().decode("cp1252")
    assert status.startswith("Borger-ID;dato;Målepunkt") and ";Før;Bolig efter SEL;Nej;Andet;" in status
    assert ";8.000+;" in (export / "boligmarked.csv").read_bytes().decode("cp1252")
    canonical, danish = evaluate(run_cli, DEMO), evaluate(run_cli, export)
    assert danish["indicators"] == canonical["indicators"]
    assert danish["data_rows"] == canonical["data_rows"] and not danish["skipped_rows"]
    by_id = {i["id"]: i for i in danish["indicators"]}
    assert {r["by"]["maalepunkt"] for r in by_id["HF-O-01"]["rows"]} == {"foer", "under", "efter"}  # the typed table holds the canonical value


def test_a_misspelt_value_is_one_diagnostic_with_its_count(tmp_path, run_cli):
    def misspell(file, rows):
        if file == "status.csv":
            for row in rows:
                row[2] = "Efterr" if row[2] == "Efter" else row[2]
    export = danish_export(DEMO, tmp_path / "eksport", misspell)
    misspelt = [i for i, line in enumerate((export / "status.csv").read_bytes().decode("cp1252").splitlines(), start=1) if ";Efterr;" in line]
    code, output = run_cli(["eval", CATALOGUE, export, "-i", "HF-O-01"])  # Danish, the default
    assert code == 1
    assert output.count("fejl[HF507]") == 1 and "Traceback" not in output
    first = ", ".join(map(str, misspelt[:ROWS_SHOWN]))
    assert f"fejl[HF507]: status.csv: `Efterr` er ikke en værdi i `maalepunkt`: {len(misspelt)} rækker, fx {first}" in output
    assert "mente du `efter`?" in output
    assert output.rstrip().endswith(f"1 fejl (samlet pr. fil, kolonne og værdi: {len(misspelt)} celler)")
    assert f"--> {export.name}/status.csv:{misspelt[0]}:" in output.replace(str(export.parent) + "/", "")
    code, output = run_cli(["eval", CATALOGUE, export, "-i", "HF-O-01", "--lang", "en"])
    assert f"error[HF507]: status.csv: `Efterr` is not a value of `maalepunkt`: {len(misspelt)} rows, e.g. {first}" in output
    assert "did you mean `efter`?" in output
    assert output.rstrip().endswith(f"1 error (grouped by file, column and value: {len(misspelt)} cells)")


def test_other_values_of_a_column_are_one_diagnostic(tmp_path):
    datasets = load_project([ROOT / "specs" / "datasets"], standard=False).datasets
    lines = ["borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel"]
    words = ["CTX", "ICN", "AKT", "cti ", "Foo", "Bar", "Baz", "ICX"]
    lines += [f"B{i},Køge,30,{words[i % len(words)]},M1,2021-01-01,2021-01-02,,ja" for i in range(40)]
    (tmp_path / "borgere.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    found = [d for d in refused.value.diagnostics if d.code == "HF507"]
    bad = [w for w in words if w != "cti "]  # `cti ` folds to CTI
    assert len(found) == VALUES_PER_CHECK + 1
    assert sum(d.cells for d in found) == sum(1 for i in range(40) if words[i % len(words)] != "cti ")
    assert f"{len(bad) - VALUES_PER_CHECK} other values are not values of `metode`" in found[-1].text("en")
    assert all(f"`{w}`" in " ".join(d.text("en") for d in found) for w in bad[:VALUES_PER_CHECK])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="aeøæåØÆÅBbEF _-", max_size=10), min_size=1, max_size=30))
def test_fold_sql_follows_fold_value(texts):
    con = duckdb.connect()
    con.execute("CREATE TABLE cells (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?, ?)", [(i, t.strip(" ")) for i, t in enumerate(texts)])
    folded = [r[0] for r in con.execute(f"SELECT {fold_sql('v')} FROM cells ORDER BY i").fetchall()]
    assert folded == [fold_value(t) for t in texts]


ENUM = ColumnSpec("v", "enum", values=("foer", "efter", "egen_bolig", "CTI"), aliases=(("Bolig efter SEL", "egen_bolig"), ("Slut", "efter")))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="aeøæåØÆÅBbEFfrtu _-", max_size=12),
                          st.sampled_from(["Før", "FØR", " før ", "Egen bolig", "egen-Bolig", "EGEN__BOLIG", "bolig efter sel", "cti", "Cti ", "SLUT", "Efterr"])),
                min_size=1, max_size=30))
def test_enum_cells_read_as_folding_says(texts):
    """The typed read's shortcuts (a canonical value as it stands, a table of common spellings)
    give what folding the cell gives: the value whose folded words hold the folded cell, else the
    cell as written."""
    con = duckdb.connect()
    con.execute("CREATE TABLE cells (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?, ?)", list(enumerate(texts)))
    got = [r[0] for r in con.execute(f"SELECT {typed_sql('v', ENUM)} FROM cells ORDER BY i").fetchall()]
    cleaned = [t.strip(" ") or None for t in texts]
    assert got == [None if c is None else ENUM.words.get(fold_value(c), c) for c in cleaned]


def test_enum_aliases_in_a_dataset_spec(tmp_path, run_cli):
    spec = tmp_path / "maaling.yaml"
    spec.write_text("kind: Dataset\nid: maaling\ncolumns:\n  m:\n    type: enum\n    values: [foer, efter]\n"
                    "    aliases:\n      efter: [Slut, Ved afslutning]\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "maaling.csv").write_text("m\nFør\nSLUT\nved-afslutning\n efter \n", encoding="utf-8")
    con = duckdb.connect()
    load_data(con, load_project([spec], standard=False).datasets, data)
    assert con.execute("SELECT m FROM maaling ORDER BY __row").fetchall() == [("foer",), ("efter",), ("efter",), ("efter",)]
    spec.write_text("kind: Dataset\nid: maaling\ncolumns:\n  m:\n    type: enum\n    values: [foer, Foer, efter]\n"
                    "    aliases:\n      efter: [Slut, Før]\n      eftr: x\n", encoding="utf-8")
    code, output = run_cli(["validate", spec, "--lang", "en"])
    assert code == 1
    assert re.findall(r"error\[(HF31\d)\]", output) == ["HF313", "HF313", "HF312"]
    assert "maaling.yaml:6:20" in output and "maaling.yaml:8:21" in output and "did you mean `efter`?" in output


# --- separators -------------------------------------------------------------------------------

HEADER = "borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel"
ROW = "B1;Køge;23;CTI;M1;01-02-2021;15-02-2021;;ja"


@pytest.mark.parametrize("text,code,line,message", [
    (HEADER + ";;;;;;;;\r\n" + ROW + "\r\n", "HF517", 1, "the whole header is one cell (`borger_id,kommune,alder,metode,medarbejd…`): it is separated by `,`, the file by `;`"),
    (HEADER.replace(",", ";") + "\n" + ROW + "\n" + ROW.replace(";", ",").replace("B1", "B2") + "\n", "HF517", 3, "line 3 is separated by `,`, the header by `;`"),
    (HEADER + "\n" + ROW + "\n" + ROW.replace("B1", "B2") + "\n", "HF517", 2, "lines 2, 3 are separated by `;`, the header by `,`"),
    (HEADER.replace(",", ";") + "\n" + ROW.replace("Køge", '"Køge') + "\n", "HF513", 2, 'line 2: a quote (") is never closed'),
    (HEADER.replace(",", ";") + "\n" + ROW + ";x\n", "HF513", 2, "line 2 has 10 cells, the header has 9"),
], ids=["header-in-one-cell", "a-line-with-commas", "header-with-commas", "open-quote", "a-cell-too-many"])
def test_separator_problems_are_named(tmp_path, text, code, line, message):
    datasets = load_project([ROOT / "specs" / "datasets"], standard=False).datasets
    (tmp_path / "borgere.csv").write_bytes(text.encode("cp1252"))
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    [problem] = refused.value.diagnostics  # no `unknown column ``` or `no column` follow-ups
    assert (problem.code, problem.span.line) == (code, line) and message in problem.text("en"), problem.text("en")
    assert "Error" not in problem.text("en") and "duckdb" not in render_all_text([problem]).lower()


def test_a_header_in_one_cell_of_a_workbook_is_named(tmp_path):
    import openpyxl

    datasets = load_project([ROOT / "specs" / "datasets"], standard=False).datasets
    book = openpyxl.Workbook()
    book.active.append([HEADER])
    book.active.append(ROW.split(";"))
    book.save(tmp_path / "borgere.xlsx")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["borgere"])
    [problem] = refused.value.diagnostics
    assert problem.code == "HF517" and "the whole header is in one cell" in problem.text("en")


# --- references and --allow-invalid-rows ------------------------------------------------------

def _demo_copy(tmp_path: Path, invalid_ages: int = 3) -> Path:
    """The demo data with the age of the first `invalid_ages` citizens out of range."""
    data = tmp_path / "data"
    data.mkdir()
    for path in DEMO.glob("*.csv"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    lines = (data / "borgere.csv").read_text(encoding="utf-8").split("\n")
    for i in range(1, invalid_ages + 1):
        cells = lines[i].split(",")
        cells[2] = "200"
        lines[i] = ",".join(cells)
    (data / "borgere.csv").write_text("\n".join(lines), encoding="utf-8")
    return data


def _rows_of(data: Path, file: str, citizens: set[str]) -> list[int]:
    lines = (data / file).read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, start=1) if line.split(",")[0] in citizens]


def test_allow_invalid_rows_leaves_out_the_rows_of_left_out_citizens(tmp_path, run_cli):
    data = _demo_copy(tmp_path)
    citizens = {"B0001", "B0002", "B0003"}
    code, output = run_cli(["eval", CATALOGUE, data, "-i", "HF-O-01", "-i", "HF-O-06", "--allow-invalid-rows", "--format", "json", "--suppress-below", "0", "--lang", "en", "--not-for-publication"])
    assert code == 0, output
    result = json.loads(output[output.index("{\n"):])
    assert all(row["by"]["kommune"] is not None for ind in result["indicators"] for row in ind["rows"])  # no group without a municipality
    status, herberg = _rows_of(data, "status.csv", citizens), _rows_of(data, "herberg.csv", citizens)
    assert result["skipped_rows"] == {"borgere": [2, 3, 4], "herberg": herberg, "status": status}
    sentence = (f"warning[HF520]: left out of the computation: 3 invalid rows of borgere.csv; {len(herberg)} rows of herberg.csv "
                f"that refer to a left-out row; {len(status)} rows of status.csv that refer to a left-out row")
    assert sentence in output
    assert f"= note: status.csv: rows {', '.join(map(str, status))}" in output
    # the key figures are those of the data without these citizens
    kept = tmp_path / "kept"
    kept.mkdir()
    for path in data.glob("*.csv"):
        lines = path.read_text(encoding="utf-8").split("\n")
        (kept / path.name).write_text("\n".join(l for l in lines if l.split(",")[0] not in citizens), encoding="utf-8")
    assert evaluate(run_cli, kept, "-i", "HF-O-01", "-i", "HF-O-06")["indicators"] == result["indicators"]


def test_rows_read_later_that_refer_to_a_left_out_row_are_left_out(tmp_path):
    """A session reads `tid` after `borgere` (a rule after the key figures): its rows of a
    left-out citizen are left out as such, not reported as unknown citizens."""
    data = _demo_copy(tmp_path, invalid_ages=1)
    datasets = load_project([ROOT / "specs" / "datasets"], standard=False).datasets
    con = duckdb.connect()
    first = load_data(con, datasets, data, needed=["status"], allow_invalid_rows=True)
    later = load_data(con, datasets, data, needed=["tid"], allow_invalid_rows=True, present=first.loaded)
    tid = _rows_of(data, "tid.csv", {"B0001"})
    assert tid and later.loaded["tid"].skipped_rows == tid
    assert [w.code for w in later.warnings] == ["HF520"] and "refer to a left-out row" in later.warnings[0].text("en")
    assert con.execute("SELECT count(*) FROM tid WHERE borger_id = 'B0001'").fetchone()[0] == 0


def test_an_unknown_citizen_points_back_to_the_refused_row(tmp_path, run_cli):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("borgere.csv", "status.csv"):
        (data / name).write_text((DEMO / name).read_text(encoding="utf-8"), encoding="utf-8")
    borgere = (data / "borgere.csv").read_text(encoding="utf-8")
    (data / "borgere.csv").write_text(borgere.replace("\nB0002,", "\n020304-1234,", 1), encoding="utf-8")
    status = _rows_of(data, "status.csv", {"B0002"})
    for flag in ([], ["--allow-invalid-rows"]):  # a CPR number refuses the data with the flag too
        code, output = run_cli(["eval", CATALOGUE, data, "-i", "HF-O-01", *flag, "--lang", "en"])
        assert code == 1
        assert output.index("error[HF510]: borgere.csv row 3") < output.index("error[HF511]")  # the root cause first
        assert f"error[HF511]: status.csv: `B0002` in `borger_id` is not in `borgere`: rows {', '.join(map(str, status))}" in output
        assert "= note: borgere.csv row 3 was refused for its `borger_id` (HF510): if it is the row meant here, fix it there first" in output
        assert "020304" not in output


def test_cpr_numbers_are_masked_in_every_message(tmp_path):
    datasets = load_project([ROOT / "specs" / "datasets"], standard=False).datasets
    (tmp_path / "borgere.csv").write_text((DEMO / "borgere.csv").read_text(encoding="utf-8"), encoding="utf-8")
    status = (DEMO / "status.csv").read_text(encoding="utf-8").replace("\nB0002,", "\n0203041234,")
    (tmp_path / "status.csv").write_text(status, encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path, needed=["status"])
    assert {d.code for d in refused.value.diagnostics} == {"HF510", "HF511"}
    text = render_all_text(refused.value.diagnostics) + json.dumps([d.text("en") for d in refused.value.diagnostics])
    assert "0203041234" not in text and "XXXXXXXXXX" in text


def test_a_bad_cell_beside_danish_enum_words(tmp_path):
    """The slow path compares the text table with the typed one on a text column; an enum column
    compares what its cells read as (`Før` is `foer`), so Danish words are no difference."""
    (tmp_path / "e.yaml").write_text("kind: Dataset\nid: e\ncolumns:\n  m: {type: enum, values: [foer, efter]}\n  n: {type: integer}\n", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "e.csv").write_text("m,n\nFør,1\nEfter,x\n", encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), load_project([tmp_path / "e.yaml"], standard=False).datasets, tmp_path / "d")
    assert [(d.code, d.text("en")) for d in refused.value.diagnostics] == [("HF504", "e.csv row 3: `x` in `n` is not a number")]
    assert render_all_text(refused.value.diagnostics, "en").endswith("1 error (grouped by file, column and value: 1 cell)")
    assert render_all_text(refused.value.diagnostics).endswith("1 fejl (samlet pr. fil, kolonne og værdi: 1 celle)")
