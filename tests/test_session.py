"""The Session: one project load and one read of each dataset per run, whatever the stages.

`hfspec report` used to load the project four or five times and read the same data folder three
times on three connections; these tests hold the promise that it now does each once.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from hfspec.diagnostics import HfspecError
from hfspec.report.build import build_report, report_specs
from hfspec.session import Session, Settings

ROOT = Path(__file__).resolve().parent.parent


def test_report_loads_the_project_once_and_reads_each_dataset_once():
    with Session(specs=report_specs(), settings=Settings(k=5)) as session:
        context, _ = build_report(session, charts=False)
        assert context["workers"] is not None and context["findings"] is not None  # every section ran
        assert session.stats.project_loads == 1
        assert session.stats.ingested, "nothing was read"
        assert set(session.stats.ingested.values()) == {1}, session.stats.ingested
        # the key figures, the rule check and the double bottom line together read these
        assert {"borgere", "status", "herberg", "tid", "fogedsager", "boligmarked"} <= set(session.stats.ingested)
        # the worker table needs the active citizens' months only: a working table, not the dataset
        from hfspec.dbl.model import ACTIVE_MONTHS

        assert "dbl_maaned" not in session.built
        assert session.con.execute(f"SELECT count(DISTINCT borger_id) FROM {ACTIVE_MONTHS}").fetchone()[0] == context["workers"]["total"]["citizens"]


def test_no_stage_of_the_report_loads_a_project_of_its_own():
    """The stages take the session they are given: none of them calls load_project."""
    stages = ["report/build.py", "report/management.py", "check/run.py", "dbl/model.py", "engine/derived.py", "engine/rules.py",
              "engine/tables.py", "data/ingest.py"]
    offenders = []
    for rel in stages:
        tree = ast.parse((ROOT / "hfspec" / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "load_project":
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


def test_a_dataset_asked_for_twice_is_read_once():
    with Session() as session:
        session.evaluate(["HF-P-01"])
        session.evaluate(["HF-O-01", "HF-P-01"])
        session.require(["borgere", "status"])
        assert session.stats.ingested["borgere"] == 1 and session.stats.ingested["status"] == 1
        assert session.stats.project_loads == 1


def test_a_later_dataset_is_checked_against_one_read_before(tmp_path):
    """status is read after borgere, in a second batch: its references are still checked."""
    data = tmp_path / "data"
    data.mkdir()
    demo = ROOT / "examples" / "demo" / "data"
    (data / "borgere.csv").write_text((demo / "borgere.csv").read_text(encoding="utf-8"), encoding="utf-8")
    status = (demo / "status.csv").read_text(encoding="utf-8").splitlines()
    header, first = status[0], status[1].split(",")
    first[0] = "B9999"  # no such citizen
    (data / "status.csv").write_text("\n".join([header, ",".join(first), *status[2:]]) + "\n", encoding="utf-8")
    with Session(data=data) as session:
        session.require(["borgere"])
        with pytest.raises(HfspecError) as error:
            session.require(["status"])
    assert [d.code for d in error.value.diagnostics] == ["HF511"]
    assert "B9999" in error.value.diagnostics[0].text("en")


def test_settings_reach_every_stage_and_the_loaded_project_is_not_changed():
    """--reference-date makes a new project for the session; the catalogue's own stays as loaded."""
    with Session(settings=Settings(reference_date=dt.date(2021, 6, 30))) as session:
        assert session.project.params["reference_date"] == "2021-06-30"
        assert str(session.catalogue_params["reference_date"]) == "2021-12-31"
        earlier = {r.by.get("metode"): r.value for r in session.evaluate(["HF-P-02"]).indicators[0].rows}
    with Session() as session:
        later = {r.by.get("metode"): r.value for r in session.evaluate(["HF-P-02"]).indicators[0].rows}
    assert earlier != later  # active courses on another day


def test_the_report_uses_the_reference_date_for_its_key_figures_too():
    """Before the session, `hfspec report --reference-date` moved the rule check and the worker
    summary to that date but computed the key figures at the catalogue's date."""
    def p02(ref):
        with Session(specs=report_specs(), settings=Settings(k=0, reference_date=ref)) as session:
            context, _ = build_report(session, charts=False)
        kf = next(k for k in context["indicators"] if k["id"] == "HF-P-02")
        return [r["value"] for r in kf["rows"]]
    assert p02(dt.date(2021, 6, 30)) != p02(None)
