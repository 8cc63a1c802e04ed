"""Each diagnostic code is used for the one meaning registered in `CODES` (hfspec/diagnostics.py).

One case per code that used to borrow another code's number, run through the real command: the
problem, the command, the code and severity it must give. (The YAML and expression mistakes among
them are golden cases: tests/golden/yaml/{complex_key,unknown_key_column,period_without_time} and
tests/golden/expressions/over_in_measure.)
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "cream" / "mini" / "catalogue.yaml"
WORKSHOP = ROOT / "tests" / "data" / "cream" / "ratings_workshop.csv"

LOCAL = """\
kind: Catalogue
id: lokal
title: {da: Lokalt katalog, en: Local catalogue}
"""


def indicator(iid: str, measure: str, *lines: str) -> str:
    return "\n".join(["---", "kind: Indicator", f"id: {iid}", "title: {da: Test, en: Test}", "type: process", *lines,
                      f"measure: {measure}", ""])


def som_model_without_a_formula(tmp_path: Path) -> list[str]:
    """A copy of the SØM model that calls the formula `cost_per_success` by another name, and the
    Vejle scenario run on it."""
    model = (ROOT / "specs" / "models" / "som.yaml").read_text(encoding="utf-8")
    model = model.replace("\nid: som\n", "\nid: som_lokal\n").replace("cost_per_success", "cost_each_success")  # the formula and the outputs
    (tmp_path / "model.yaml").write_text(model, encoding="utf-8")
    scenario = (ROOT / "examples" / "som" / "vejle.yaml").read_text(encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(scenario.replace("\nmodel: som\n", "\nmodel: som_lokal\n"), encoding="utf-8")
    return ["som", "vejle", "model.yaml", "scenario.yaml"]


CASES = [
    # a key figure's goal that the catalogue's goal hierarchy does not have (was HF302, unknown reference)
    ("HF309", "warning", {"c.yaml": LOCAL + "goals:\n  - {id: bolig, title: {da: Bolig, en: Home}}\n"
                          + indicator("LOK-P-01", "count()", "dataset: borgere", "goal: boliger")}, ["validate", "c.yaml"]),
    # a derived key figure over key figures broken down by different columns (was HF434, ref() outside a derived key figure)
    ("HF610", "error", {"c.yaml": LOCAL + indicator("LOK-P-01", "count()", "dataset: borgere", "by: [kommune]")
                        + indicator("LOK-P-02", "count()", "dataset: borgere", "by: [metode]")
                        + indicator("LOK-P-03", 'ref("LOK-P-01") / ref("LOK-P-02")')}, ["eval", "c.yaml", "-i", "LOK-P-03"]),
    # a measure whose numbers overflow 64 bits in DuckDB (was HF710, model formula error)
    ("HF611", "error", {"c.yaml": LOCAL + indicator("LOK-E-01", "sum(alder * 9000000000000000000)", "dataset: borgere")}, ["eval", "c.yaml"]),
    # `hfspec som FILE` with a file that holds no scenario (was HF302, unknown reference)
    ("HF714", "error", {"s.yaml": LOCAL}, ["som", "s.yaml"]),
    # a model that lacks a formula `hfspec som` reads (was HF401, unknown name; a lacking dimension was HF701)
    ("HF715", "error", {}, som_model_without_a_formula),
    # workshop ratings of a key figure that the ranked catalogue drops (was HF709, ratings file problem)
    ("HF722", "warning", {"c.yaml": f"kind: Catalogue\nid: kort\ntitle: {{da: Kort, en: Short}}\nextends: {MINI.as_posix()}\ndrop: [MINI-O-02]\n"},
     ["cream", "c.yaml", "--ratings", str(WORKSHOP)]),
]


@pytest.mark.parametrize("code, severity, files, args", CASES, ids=[c[0] for c in CASES])
def test_code_has_its_own_meaning(tmp_path, run_cli, code, severity, files, args):
    for name, text in files.items():
        (tmp_path / name).write_text(dedent(text), encoding="utf-8")
    if callable(args):
        args = args(tmp_path)
    exit_code, output = run_cli([*args, "--lang", "en"], cwd=tmp_path)
    assert f"{severity}[{code}]" in output, output
    assert exit_code == (1 if severity == "error" else 0), output
    assert "Traceback" not in output


def test_two_headers_for_one_column(tmp_path, run_cli):
    """`Borger-ID` and `borger_id` fold to the same column (was HF502, unknown column header); the
    file is refused even with --allow-invalid-rows, as a missing column is."""
    from shutil import copytree

    data = copytree(ROOT / "examples" / "demo" / "data", tmp_path / "data")
    path = data / "borgere.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(f"{line},{line.split(',')[0] if i else 'Borger-ID'}" for i, line in enumerate(lines)) + "\n", encoding="utf-8")
    for extra in ([], ["--allow-invalid-rows"]):
        exit_code, output = run_cli(["eval", "-i", "HF-P-02", *extra, str(ROOT / "catalog"), str(data), "--lang", "en"])
        assert exit_code == 1 and "error[HF516]" in output and "`borger_id` and `Borger-ID`" in output, output
