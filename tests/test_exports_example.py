"""The shipped sample exports (examples/exports): mapped, they are the equivalent standard files
row for row (every CPR number the pseudonym of the same person), and they evaluate to the same
key figures; the script that makes them is deterministic."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import duckdb
import pytest

from hfspec.data.ingest import load_data
from hfspec.data.pseudonym import find_key, write_key
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "examples" / "exports"
DATASETS = ("borgere", "status", "herberg", "tid", "bolig")


@pytest.fixture(autouse=True)
def no_key_from_the_machine(monkeypatch, tmp_path):
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def key(tmp_path) -> Path:
    path = tmp_path / "keys" / "pseudonym.key"
    write_key(path)
    return path


def generator():
    spec = importlib.util.spec_from_file_location("exports_generate", EXPORTS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def values(output: str) -> dict[tuple, tuple]:
    result = json.loads(output)
    return {(ind["id"], row.get("period"), json.dumps(row["by"], sort_keys=True)): (row["value"], row["n"], row["suppressed"])
            for ind in result["indicators"] for row in ind["rows"]}


@pytest.mark.parametrize("k", ["0", "5"])
def test_the_exports_and_the_standard_files_give_the_same_key_figures(run_cli, key, k):
    code, from_exports = run_cli(["eval", EXPORTS / "catalogue.yaml", "--key", key, "--format", "json", "--suppress-below", k, "--not-for-publication"])
    assert code == 0, from_exports
    code, from_standard = run_cli(["eval", EXPORTS / "catalogue.yaml", EXPORTS / "standard", "--format", "json", "--suppress-below", k, "--not-for-publication"])
    assert code == 0, from_standard
    a, b = values(from_exports), values(from_standard)
    assert len(a) > 100 and a == b
    assert json.loads(from_exports)["data_rows"] == json.loads(from_standard)["data_rows"] == {"borgere": 95, "herberg": 144, "status": 248, "tid": 1035,
                                                                                                    "bolig": 100}


def test_the_mapped_data_is_the_standard_data_row_for_row(run_cli, key, tmp_path):
    """`hfspec map` writes the standard files again, each borger_id the pseudonym of that
    citizen's (invented) CPR number; read back by the standard ingester, every row is equal."""
    out = tmp_path / "data"
    code, output = run_cli(["map", EXPORTS / "catalogue.yaml", "--key", key, "--out", out])
    assert code == 0, output
    for line in ("læst fra eksporterne", "udeladt af filteret", "erstattet af en række med samme nøgle", "uden match", "lagt sammen med andre rækker",
                 "tomme målinger (ingen række)"):
        assert line in output
    gen = generator()
    people = gen.People(gen.SEED)
    pseudonym = find_key(key).pseudonym
    project = load_project([], standard=True)
    con = duckdb.connect()
    load_data(con, project.datasets, EXPORTS / "standard", needed=list(DATASETS))
    citizens = con.execute("SELECT borger_id, visitationsdato, alder FROM borgere").fetchall()
    translate = {b: pseudonym(people.citizen(b, day, age).replace("-", "")) for b, day, age in citizens}
    con.execute("CREATE TABLE ids AS SELECT unnest(?::VARCHAR[]) AS b, unnest(?::VARCHAR[]) AS p", [list(translate), list(translate.values())])
    mapped = duckdb.connect()
    load_data(mapped, project.datasets, out, needed=list(DATASETS))
    for ds in DATASETS:
        columns = [c for c in project.datasets[ds].columns if c != "borger_id"]
        expected = sorted(con.execute(f"SELECT ids.p, {', '.join(columns)} FROM {ds} JOIN ids ON ids.b = {ds}.borger_id").fetchall(), key=repr)
        actual = sorted(mapped.execute(f"SELECT borger_id, {', '.join(columns)} FROM {ds}").fetchall(), key=repr)
        assert actual == expected, ds


def test_a_report_from_the_exports_compares_with_another_data_folder(run_cli, key, tmp_path):
    """`hfspec report --compare` from the exports: the mapped data is read together with the
    other folder (here the same citizens' standard files, so Haderslev counts each citizen twice,
    their ids kept apart)."""
    import re

    out = tmp_path / "rapport.html"
    code, output = run_cli(["report", EXPORTS / "catalogue.yaml", "--key", key, "--compare", EXPORTS / "standard", "--out", out])
    assert code == 0, output
    page = out.read_text(encoding="utf-8")
    section = page[page.index('id="compare"'):]
    section = re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])
    assert re.search(r"HF-P-01 .*?\(borgere\) +190 +190", " ".join(section.split())), section[:2000]


def test_the_sample_files_are_made_by_the_script(tmp_path):
    gen = generator()
    gen.generate(gen.DEMO, tmp_path, "Haderslev", gen.SEED, "xlsx")
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(EXPORTS) for p in (EXPORTS / "eksport").rglob("*") if p.is_file())
    shipped += sorted(p.relative_to(EXPORTS) for p in (EXPORTS / "standard").rglob("*") if p.is_file())
    assert made == sorted(shipped)
    for name in made:
        assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name


def test_the_exports_are_what_a_danish_export_looks_like():
    """The sample files are what the mappings must cope with: Windows-1252 with `;`, CRLF and decimal
    commas; ddmmyyyy dates; a workbook whose headers stand below a title block."""
    import openpyxl

    tid = (EXPORTS / "eksport" / "tid" / "Tidsregistrering_2021-03.csv").read_bytes()
    assert b"\r\n" in tid and "mål".encode("cp1252") in tid
    with pytest.raises(UnicodeDecodeError):
        tid.decode("utf-8")
    assert ";1,25;" in tid.decode("cp1252") or ",25;" in tid.decode("cp1252")
    sel110 = (EXPORTS / "eksport" / "sel110" / "Indberetning_110_2021K1.txt").read_bytes().decode("cp1252")
    assert sel110.startswith("Boform;CPR-nr.;Handlekommune;Opholdstype;Indskrevet")
    sheet = openpyxl.load_workbook(EXPORTS / "eksport" / "sagssystem" / "Borgerforloeb_Haderslev.xlsx", read_only=True)["Forløb"]
    rows = list(sheet.iter_rows(max_row=4, values_only=True))
    assert rows[0][0].startswith("Udtræk") and rows[2][0] is None and rows[3][0] == "CPR-nummer" and "WHO-5 (efter)" in rows[3]
