"""Mutation fuzz of every spec kind and data format (issue 20): control characters, truncation,
byte flips, deleted and repeated pieces. Whatever the files hold, hfspec answers with its result
or with diagnostics (exit 0 or 1), never with a traceback (exit 2).

A seeded generator makes the cases, so every run tries the same ones and a failure can be
reproduced from its case number. The files are a small project of our own (every spec kind: a
Dataset, Indicators, a Catalogue, Rules, a Model and a Scenario; data as CSV, XLSX and Parquet;
a CREAM ratings sheet), so that a case costs milliseconds: the commands' own library paths run
on it (the project loader and model checks of `hfspec validate`, the session, writers and
renderers of `hfspec eval` and `hfspec check`, the ratings reader of `hfspec cream`), and a
sample goes through the real command line.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path
from textwrap import dedent

import duckdb
import openpyxl
import pytest

from hfspec.diagnostics import HfspecError, render_all_json, render_all_text

#: Cases per group (2,140 in all); the whole file takes about half a minute of CPU time. A hang
#: shows as a test that does not end.
SPEC_CASES = 1500
DATA_CASES = 300
RATINGS_CASES = 300
CLI_CASES = 40
SEED = 20

SPECS = {
    "datasets.yaml": """\
        kind: Dataset
        id: klienter
        title: {da: Klienter, en: Clients}
        time: start
        key: [klient]
        columns:
          klient: {type: string, pseudonym: true, source: [Klient-id]}
          kommune: {type: string}
          alder: {type: integer, min: 15, max: 110}
          metode: {type: enum, values: [CTI, ICM, ACT]}
          timer: {type: number, required: false}
          aktiv: {type: boolean}
          start: {type: date}
          slut: {type: date, required: false}
        ---
        kind: Dataset
        id: besoeg
        time: dato
        columns:
          klient: {type: string, pseudonym: true, references: klienter.klient}
          dato: {type: date}
          minutter: {type: integer, min: 0}
        """,
    "catalogue.yaml": """\
        kind: Catalogue
        id: fuzz
        title: {da: Fuzz, en: Fuzz}
        include: ["indicators/*.yaml", "datasets.yaml"]
        params: {reference_date: 2021-12-31, grænse: 30, satser: [1.5, 2], navn: "Køge"}
        goals:
          - {id: g, title: {da: Mål, en: Goal}}
        """,
    "indicators/kf.yaml": """\
        kind: Indicator
        id: FZ-P-01
        title: {da: Klienter, en: Clients}
        type: process
        unit: citizens
        dataset: klienter
        by: [kommune]
        period: quarter
        measure: count(distinct klient where alder >= param.grænse)
        target: ">= 5"
        goal: g
        ---
        kind: Indicator
        id: FZ-O-01
        title: {da: Andel aktive, en: Share active}
        type: outcome
        unit: share
        dataset: besoeg
        filter: minutter between 0 and 600 and klienter.metode in ["CTI", "ICM"]
        measure: share(klienter.aktiv) * 100% + round(mean(minutter), 1) * 0
        ---
        kind: Indicator
        id: FZ-E-01
        title: {da: Forhold, en: Ratio}
        type: economy
        measure: ref("FZ-P-01") / ref("FZ-O-01")
        """,
    "rules.yaml": """\
        kind: Rule
        id: alder
        title: {da: Alder, en: Age}
        dataset: klienter
        assert: alder < 100 and (slut is null or slut >= start)
        show: [kommune, alder, "days_between(start, coalesce(slut, param.reference_date))"]
        severity: warning
        message: {da: "{klient}: {alder} år", en: "{klient}: {alder} years"}
        ---
        kind: Rule
        id: travlhed
        title: {da: Travlhed, en: Load}
        dataset: besoeg
        by: [klient]
        period: month
        assert: sum(minutter) <= 6000
        severity: error
        """,
    "model.yaml": """\
        kind: Model
        id: mini
        title: {da: Mini, en: Mini}
        dimensions:
          payer: {values: [kommune, region, stat]}
          year: {values: [1, 2, 3]}
        inputs:
          participants: {type: integer, min: 0}
          success_rate: {min: 0, max: 1, default: 0.5, unit: share}
          saving: {dims: [payer], unit: kr}
        formulas:
          savings: {expr: "participants * success_rate * saving", dims: [payer], unit: kr}
          total: {expr: "sum(savings over payer) * year", dims: [year]}
          acc: {expr: "cumsum(total over year)", dims: [year]}
          first: {expr: "acc[year = 1]"}
        """,
    "scenario.yaml": """\
        kind: Scenario
        id: mini-1
        model: mini
        price_year: 2021
        inputs:
          participants: 40
          success_rate: {value: 0.6, range: {dist: triangular, low: 0.4, mode: 0.6, high: 0.75}}
          saving: {kommune: 180000, region: 20000, stat: 35000}
        """,
}

KLIENTER = [["klient", "kommune", "alder", "metode", "timer", "aktiv", "start", "slut"]] + [
    [f"K{i:03d}", ["Køge", "Vejle", "Haderslev"][i % 3], str(20 + i % 60), ["CTI", "ICM", "ACT"][i % 3], f"{i % 7},5", ["ja", "nej", "1"][i % 3],
     f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "" if i % 4 else f"{1 + i % 28:02d}-12-2021"] for i in range(40)]
BESOEG = [["klient", "dato", "minutter"]] + [[f"K{i % 40:03d}", f"2021-{1 + i % 12:02d}-15", str(30 + i % 90)] for i in range(120)]

#: What a mutation may insert: control characters (C0, DEL, C1 as UTF-8), YAML and CSV syntax.
NOISE = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\u0085", "\u009b", "\u2028", "\ufeff", "\ufffe", "\t", "\r",
         "\n", ":", "-", "[", "]", "{", "}", "'", '"', "&a", "*a", "!!python/object ", "#", "---\n", "%", "@", "`", "|", ">", "?", ",",
         ";", "\\", "99999999999999999999", "1e400", "0101901234", "\\x", "=1+1"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four of: insert noise, flip a byte, truncate, delete a piece, repeat a piece."""
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(data) + 1)
        op = rng.choice(["noise", "noise", "flip", "flip", "cut", "delete", "repeat"])
        if op == "noise":
            data = data[:pos] + rng.choice(NOISE).encode("utf-8") + data[pos:]
        elif op == "flip" and data:
            pos = min(pos, len(data) - 1)
            data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1:]
        elif op == "cut":
            data = data[:pos]
        elif op == "delete":
            data = data[:pos] + data[pos + rng.randint(1, 40):]
        else:
            end = pos + rng.randint(1, 200)
            data = data[:end] + data[pos:end] * rng.randint(1, 3) + data[end:]
    return data


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return make_seed(tmp_path_factory.mktemp("fuzz-seed"))


def make_seed(root: Path) -> Path:
    """The seed project: specs, data in three formats, a ratings sheet."""
    for name, text in SPECS.items():
        (root / "specs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "specs" / name).write_text(dedent(text), encoding="utf-8")
    data = root / "data"
    data.mkdir()
    with (data / "klienter.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=";").writerows(KLIENTER)
    with (data / "besoeg.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(BESOEG)
    book = openpyxl.Workbook()
    for row in KLIENTER:
        book.active.append([int(c) if c.isdigit() else c for c in row])
    book.save(root / "klienter.xlsx")
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{data / 'besoeg.csv'}')) TO '{root / 'besoeg.parquet'}' (FORMAT parquet)")
    with (root / "ratings.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["bedømmer", "nøgletal", "kriterium", "score", "begrundelse"])
        for rater in ("Ann", "Bo"):
            for criterion in ("nøjagtighed", "relevans", "omkostningseffektivitet", "tilstrækkelighed", "objektivitet"):
                writer.writerow([rater, "FZ-P-01", criterion, 4, "fordi"])
    book = openpyxl.Workbook()
    with (root / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            book.active.append(row)
    book.save(root / "ratings.xlsx")
    return root


def _case_folder(seed: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(seed, work)
    return work


def _outcome(run) -> str | None:
    """None when `run()` gives a result or diagnostics (which must render), else the traceback."""
    import traceback

    try:
        run()
    except HfspecError as error:
        assert error.diagnostics
        render_all_text(error.diagnostics)
        render_all_json(error.diagnostics)
    except Exception:  # exit 2 in the command line
        return traceback.format_exc()
    return None


#: The files a spec case loads with each mutated file: the file and what it needs, no more.
NEEDS = {
    "datasets.yaml": ["datasets.yaml"],
    "catalogue.yaml": ["catalogue.yaml"],
    "indicators/kf.yaml": ["catalogue.yaml"],
    "rules.yaml": ["catalogue.yaml", "rules.yaml"],
    "model.yaml": ["model.yaml", "scenario.yaml"],
    "scenario.yaml": ["model.yaml", "scenario.yaml"],
}


def _validate(folder: Path, files: list[str] | None = None) -> None:
    """What `hfspec validate` does (cli.validate_paths), on our project without the standard
    datasets (they would cost most of each case)."""
    from hfspec.session import Sessions
    from hfspec.som.scenario import load_scenario
    from hfspec.spec.modelcheck import compile_model
    from hfspec.spec.project import load_project
    from hfspec.diagnostics import DiagnosticBag

    project = load_project([folder / "specs" / f for f in files] if files else [folder / "specs"], standard=False)
    render_all_text(project.warnings)
    bag = DiagnosticBag()
    for model in project.models.values():
        compile_model(model, bag)
    if not bag.has_errors:
        with Sessions() as sessions:
            for sid in project.scenarios:
                try:
                    load_scenario(project, sid, sessions=sessions)
                except HfspecError as error:
                    bag.extend(error.diagnostics)
    bag.raise_if_errors()


def _evaluate(project, data: Path, xlsx: bool = True) -> None:
    """What `hfspec eval` and `hfspec check` do with a loaded project, in every output format."""
    from hfspec.render import writers
    from hfspec.render.text import render_table
    from hfspec.session import Session, Settings

    with Session(data=data, project=project, settings=Settings(k=0)) as session:
        result = session.evaluate()
        render_all_text(session.warnings)
        for fmt in ("da", "en"):
            writers.to_csv(result, fmt)
            writers.to_json(result, fmt)
            render_table(result, fmt)
        if xlsx:
            writers.write_xlsx(result, data / "out.xlsx")
        for outcome in session.evaluate_rules(list(project.compiled_rules)):
            outcome.as_dict()


def _fuzz(cases: int, run_case) -> None:
    rng = random.Random(SEED)
    failures = []
    for case in range(cases):
        problem = run_case(case, rng)
        if problem:
            failures.append(f"case {case}:\n{problem}")
    assert not failures, f"{len(failures)} of {cases} cases crashed; the first:\n{failures[0]}"


def test_mutated_specs_give_results_or_diagnostics(seed, tmp_path, monkeypatch):
    monkeypatch.setenv("HFSPEC_NO_CACHE", "1")  # every case is new: storing it would only cost
    work = _case_folder(seed, tmp_path / "case")

    def run_case(case: int, rng: random.Random) -> str | None:
        name = rng.choice(list(SPECS))
        original = (seed / "specs" / name).read_bytes()
        (work / "specs" / name).write_bytes(mutate(original, rng))
        try:
            return _outcome(lambda: _validate(work, NEEDS[name]))
        finally:
            (work / "specs" / name).write_bytes(original)
    _fuzz(SPEC_CASES, run_case)


def test_mutated_data_give_results_or_diagnostics(seed, tmp_path):
    from hfspec.spec.project import load_project

    project = load_project([seed / "specs"], standard=False)
    formats = ["klienter.csv", "besoeg.csv", "klienter.xlsx", "besoeg.parquet"]

    data = tmp_path / "data"
    shutil.copytree(seed / "data", data)

    def run_case(case: int, rng: random.Random) -> str | None:
        source = rng.choice(formats)
        stem = Path(source).stem
        original = (seed / "data" / source) if (seed / "data" / source).exists() else seed / source
        if not source.endswith(".csv"):
            (data / f"{stem}.csv").unlink()
        (data / source).write_bytes(mutate(original.read_bytes(), rng))
        try:
            return _outcome(lambda: _evaluate(project, data, xlsx=case % 10 == 0))
        finally:  # back to the seed's files
            (data / source).unlink()
            shutil.copy(seed / "data" / f"{stem}.csv", data / f"{stem}.csv")
    _fuzz(DATA_CASES, run_case)


def test_mutated_ratings_sheets_give_results_or_diagnostics(seed, tmp_path):
    from hfspec.cream.model import evaluate_cream
    from hfspec.cream.ratings import read_ratings
    from hfspec.spec.project import load_project

    project = load_project([seed / "specs"], standard=False)

    def run_case(case: int, rng: random.Random) -> str | None:
        name = rng.choice(["ratings.csv", "ratings.xlsx"])
        path = tmp_path / name
        path.write_bytes(mutate((seed / name).read_bytes(), rng))
        return _outcome(lambda: evaluate_cream(project, read_ratings([path], project)))
    _fuzz(RATINGS_CASES, run_case)


def test_mutated_files_through_the_command_line_never_exit_2(seed, tmp_path, run_cli):
    """A sample through the real commands: validate, eval (text, csv, json, xlsx), check."""
    names = [f"specs/{n}" for n in SPECS] + ["data/klienter.csv", "data/besoeg.csv"]
    work = _case_folder(seed, tmp_path / "case")
    commands = [["validate", work / "specs"], ["eval", work / "specs/catalogue.yaml", work / "data", "--suppress-below", "0", "--not-for-publication"],
                ["eval", work / "specs/catalogue.yaml", work / "data", "--format", "json"],
                ["eval", work / "specs/catalogue.yaml", work / "data", "--format", "xlsx", "--out", work / "r.xlsx"],
                ["check", work / "data", work / "specs/rules.yaml", "--catalogue", work / "specs/catalogue.yaml"]]

    def run_case(case: int, rng: random.Random) -> str | None:
        name = rng.choice(names)
        original = (seed / name).read_bytes()
        (work / name).write_bytes(mutate(original, rng))
        try:
            args = rng.choice(commands)
            code, output = run_cli(args)
            return None if code in (0, 1) else f"{' '.join(map(str, args))} → exit {code}\n{output}"
        finally:
            (work / name).write_bytes(original)
    _fuzz(CLI_CASES, run_case)


def test_the_seed_project_itself_works(seed, run_cli):
    """The fuzz starts from files that work, every key figure and rule with results: a crash
    comes from the mutation."""
    _validate(seed)
    from hfspec.spec.project import load_project
    from hfspec.session import Session, Settings

    project = load_project([seed / "specs"], standard=False)
    _evaluate(project, seed / "data")
    with Session(data=seed / "data", project=project, settings=Settings(k=0)) as session:
        assert all(ir.rows for ir in session.evaluate().indicators)
        assert all(o.checked for o in session.evaluate_rules(list(project.compiled_rules)))
    code, output = run_cli(["eval", seed / "specs/catalogue.yaml", seed / "data", "--suppress-below", "0", "--not-for-publication"])
    assert code == 0 and "FZ-P-01" in output, output
