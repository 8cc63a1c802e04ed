"""Data as municipalities write it: a Danish Excel export reads like the canonical files, enum
values as people write them (`Før`, `Egen bolig`, aliases) included."""

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
from hfspec.diagnostics import HfspecError
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
    code, output = run_cli(["eval", CATALOGUE, data, "--format", "json", "--suppress-below", "0", *extra])
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
    code, output = run_cli(["validate", spec])
    assert code == 1
    assert re.findall(r"error\[(HF31\d)\]", output) == ["HF313", "HF313", "HF312"]
    assert "maaling.yaml:6:20" in output and "maaling.yaml:8:21" in output and "did you mean `efter`?" in output


def test_a_bad_cell_beside_danish_enum_words(tmp_path):
    """The slow path compares the text table with the typed one on a text column; an enum column
    compares what its cells read as (`Før` is `foer`), so Danish words are no difference."""
    (tmp_path / "e.yaml").write_text("kind: Dataset\nid: e\ncolumns:\n  m: {type: enum, values: [foer, efter]}\n  n: {type: integer}\n", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "e.csv").write_text("m,n\nFør,1\nEfter,x\n", encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), load_project([tmp_path / "e.yaml"], standard=False).datasets, tmp_path / "d")
    assert [(d.code, d.message) for d in refused.value.diagnostics] == [("HF504", "e.csv row 3: `x` in `n`: not a number")]
