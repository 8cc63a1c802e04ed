"""The shipped national catalogue, its examples, the demo municipality's catalogue, and `init`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
SEED_TYPES = {"process", "outcome", "economy", "structure"}


@pytest.fixture(scope="module")
def national():
    return load_project([ROOT / "catalog"])


def test_shipped_specs_validate_clean(run_cli):
    code, output = run_cli(["validate", ROOT / "catalog", ROOT / "specs", ROOT / "examples"])
    assert code == 0, output
    assert output.startswith("ok:") and "warning" not in output


def test_every_key_figure_is_complete(national):
    assert len(national.indicators) >= 40
    assert {s.type for s in national.indicators.values()} == SEED_TYPES
    for spec in national.indicators.values():
        assert spec.title.da and spec.title.en and spec.title.da != spec.title.en, spec.id
        assert spec.description and spec.description.da and spec.description.en, spec.id
        assert spec.source is not None, spec.id
        assert set(spec.cream) == {"clear", "relevant", "economic", "adequate", "monitorable"}, spec.id
        assert all(s.reason and s.reason.da and s.reason.en for s in spec.cream.values()), spec.id
        assert spec.examples, f"{spec.id} has no examples"
        assert spec.instrument is not None or spec.unit, spec.id


def test_every_shipped_example_passes(run_cli):
    code, output = run_cli(["test", ROOT / "catalog"])
    assert code == 0, output
    assert " 0 fejlet" in output and "har ingen eksempler" not in output


def test_wrong_cut_off_fails_with_a_diff(tmp_path, run_cli):
    copy = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", copy)
    target = copy / "outcome" / "HF-O-08.yaml"
    text = target.read_text(encoding="utf-8")
    assert "who5_pct(who5) <= 50" in text
    target.write_text(text.replace("who5_pct(who5) <= 50", "who5_pct(who5) <= 52"), encoding="utf-8")
    code, output = run_cli(["test", copy, "-i", "HF-O-08", "--lang", "en"])
    assert code == 1
    assert "error[HF601]: `HF-O-08`: example" in output
    assert "- expected {maalepunkt: foer} = 2" in output and "+ actual   {maalepunkt: foer} = 3" in output
    assert "0 passed, 1 failed" in output
    code, output = run_cli(["test", copy, "-i", "HF-O-08"])
    assert "fejl[HF601]: `HF-O-08`: eksemplet" in output and "+ faktisk   {maalepunkt: foer} = 3" in output


def test_eval_computes_every_national_key_figure(run_cli):
    code, output = run_cli(["eval", "--format", "json"])
    assert code == 0, output
    payload = json.loads(output)
    ids = [i["id"] for i in payload["indicators"]]
    assert len(ids) == len(load_project([ROOT / "catalog"]).indicators)
    empty = [i["id"] for i in payload["indicators"] if not i["rows"]]
    assert empty == []
    shown = [r for i in payload["indicators"] for r in i["rows"] if not r["suppressed"]]
    assert all(r["value"] is not None or r["n"] == 0 for r in shown if r["n"])


def test_eval_into_a_closed_pipe_stops_quietly():
    """`hfspec eval | head` closes the pipe early: no traceback, no "bug in hfspec", exit 141."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "hfspec", "eval"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before hfspec writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "bug in hfspec" not in err


def test_municipal_catalogue_evaluates_its_short_list_with_local_targets(run_cli):
    catalogue = ROOT / "examples" / "demo" / "kommune" / "catalogue.yaml"
    code, output = run_cli(["eval", catalogue, "--format", "json"])
    assert code == 0, output
    payload = json.loads(output)
    ids = [i["id"] for i in payload["indicators"]]
    assert ids == ["HF-P-02", "HF-P-07", "HF-P-12", "HF-O-01", "HF-O-06", "HF-O-09", "HF-E-03", "HF-S-01", "HF-L-01"]
    by_id = {i["id"]: i for i in payload["indicators"]}
    assert by_id["HF-O-01"]["target"] == ">= 85%" and by_id["HF-O-09"]["target"] == "<= 35%"
    # a group at 82 % meets the national 80 % but not the local 85 %
    row = next(r for r in by_id["HF-O-01"]["rows"] if r["by"] == {"kommune": "Vejle", "maalepunkt": "efter"})
    assert 0.80 <= row["value"] < 0.85 and row["status"] == "not_met"


def test_suppressed_values_never_appear_as_numbers(run_cli):
    code, output = run_cli(["eval", "--format", "csv", "-i", "HF-P-02"])
    assert code == 0
    act = [line for line in output.splitlines() if ",ACT," in line]
    assert act and all(",true," in line for line in act)
    assert all(line.split(",")[-5] == "" for line in act)  # the value column is empty


def test_every_output_publishes_value_and_n_by_the_one_rule(tmp_path):
    """Records (CSV, XLSX), JSON, the history file, the terminal table and the management report
    show each cell's value and n – groups and totals – as `disclosure.published` gives them. The demo data has both kinds
    of suppressed cell: a small group (n hidden) and a small count in a large group (n shown)."""
    from hfspec.engine.disclosure import published
    from hfspec.engine.history import load_history, store_run
    from hfspec.render.text import render_table
    from hfspec.report.key_figures import key_figure
    from hfspec.session import Session

    with Session() as session:
        result = session.evaluate(["HF-P-02", "HF-O-19"], totals=True)  # the total rows are cells too
    cells = [(ir, r, *published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)) for ir in result.indicators for r in ir.rows]
    assert {(r.suppressed, n is None) for _, r, _, n in cells} >= {(True, True), (True, False), (False, False)}
    assert [(rec["value"], rec["n"]) for rec in result.records()] == [(value, n) for _, _, value, n in cells]
    assert [(row["value"], row["n"]) for ind in result.to_json()["indicators"] for row in ind["rows"]] == [(v, n) for _, _, v, n in cells]
    store_run(tmp_path / "h.duckdb", [], [], result)
    stored = load_history(tmp_path / "h.duckdb")[1]
    assert [(row["value"], row["n"]) for row in stored] == [(None if v is None else float(v), n) for _, _, v, n in cells]
    report = sorted((ir.spec.id, row["period"], str(row["by"]), row["value"], row["n"])
                    for ir in result.indicators for row in key_figure(ir, result.suppress_below, set(), "da", charts=False)["rows"])
    assert report == sorted((ir.spec.id, r.period, str(r.by), None if v is None else float(v), n) for ir, r, v, n in cells)
    shown = [line.split()[1:] for line in render_table(result).splitlines() if {"(diskr.)", "(skjult)"} & set(line.split()[1:2])]
    in_table_order = [(r, *published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)) for ir in result.indicators
                      for r in sorted(ir.rows, key=ir.display_key)]  # the text table shows a key figure's rows in the Dataset spec's order
    assert shown == [["(skjult)" if r.secondary else "(diskr.)"] + ([] if n is None else [str(n)]) for r, _, n in in_table_order if r.suppressed]


def test_init_starts_a_project_that_validates_and_runs(tmp_path, run_cli):
    folder = tmp_path / "vejle"
    code, output = run_cli(["init", folder])
    assert code == 0, output
    assert (folder / "data" / "borgere.csv").read_text(encoding="utf-8-sig").startswith("borger_id;kommune;alder;metode")
    assert (folder / "data" / "excel" / "status.xlsx").exists()
    assert (folder / "data" / "bolig.csv").read_text(encoding="utf-8-sig").startswith("borger_id;indflytningsdato;fraflytningsdato;fraflytningsaarsag")
    assert "udskrevet_til;handleplan_dato" in (folder / "data" / "herberg.csv").read_text(encoding="utf-8-sig")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "CPR" in readme and "| `who5` | heltal | nej | 0–25 |" in readme
    code, output = run_cli(["validate", folder / "catalogue.yaml"])
    assert code == 0, output
    code, output = run_cli(["eval", folder / "catalogue.yaml", folder / "data", "--format", "json"])
    assert code == 0, output
    code, output = run_cli(["init", folder])
    assert code == 1 and "HF803" in output and "findes allerede" in output


def test_history_stores_each_run_once(tmp_path, run_cli):
    from hfspec.engine.history import load_history

    store = tmp_path / "history.duckdb"
    for _ in range(2):
        code, output = run_cli(["eval", "-i", "HF-O-09", "-i", "HF-P-02", "--store", store, "--format", "csv", "--lang", "en"])
        assert code == 0, output
    assert "already stored" in output and "as run 1" in output
    runs, results = load_history(store)
    assert len(runs) == 1
    assert {r["indicator"] for r in results} == {"HF-O-09", "HF-P-02"}
    act = [r for r in results if r["by"] == {"metode": "ACT"}]
    assert act and act[0]["suppressed"] and act[0]["value"] is None and act[0]["n"] is None
    code, _ = run_cli(["eval", "-i", "HF-O-09", "--store", store, "--suppress-below", "0", "--not-for-publication", "--format", "csv"])
    assert code == 0 and len(load_history(store)[0]) == 2  # other settings: a new run
