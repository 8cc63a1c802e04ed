"""Totals, headlines and changes since the previous period: computed from the data in the key
figure's own query (GROUPING SETS), never added up from rounded or suppressed cells.

Every total of every shipped key figure must equal the key figure computed again with only the
breakdowns the total keeps; a share's total is the share over all rows, a distinct count counts a
unit once even when it is in two groups, a derived key figure's total is the ratio of the totals.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from textwrap import dedent

import duckdb
import pytest

from hfspec.data.ingest import load_data
from hfspec.engine import tables
from hfspec.engine.results import Headline, headline_cell, previous_period
from hfspec.resources import demo_data, national_catalogue
from hfspec.settings import DEFAULT_K
from hfspec.spec.project import load_project


@pytest.fixture(scope="module")
def national():
    project = load_project([national_catalogue()])
    con = duckdb.connect()
    load_data(con, project.datasets, demo_data())
    return project, con


def regrouped(project, iid: str, keep: tuple[str, ...], period: bool):
    """The key figure with only the breakdowns `keep` (and without its period when `period` is
    false), as a project of its own: what a total that keeps `keep` must equal."""
    compiled = project.compiled[iid]
    spec = compiled.spec
    by = [ref for name, ref in zip(spec.by, compiled.by) if name in keep]
    new_spec = dataclasses.replace(spec, by=tuple(b for b in spec.by if b in keep), period=spec.period if period else None, headline=None)
    keys = [(name, checked) for name, checked in compiled.keys if name in keep]
    new = dataclasses.replace(compiled, spec=new_spec, by=by, keys=keys)
    return dataclasses.replace(project, compiled={**project.compiled, iid: new})


def cells(result) -> dict:
    return {(r.period, json.dumps(r.by, sort_keys=True, default=str)): (r.value, r.n, r.suppressed) for r in result.rows}


def test_every_total_equals_the_key_figure_computed_without_the_breakdowns_it_adds_up(national):
    project, con = national
    ids = [i for i in project.indicators if not project.compiled[i].spec.derived]
    result = {r.spec.id: r for r in tables.evaluate(project, con, ids, DEFAULT_K, totals=True).indicators}
    checked = 0
    for iid in ids:
        ir = result[iid]
        for over in {r.total_over for r in ir.rows if r.total_over}:
            keep = tuple(b for b in ir.by if b not in over)
            [alone] = tables.evaluate(regrouped(project, iid, keep, "period" not in over), con, [iid], DEFAULT_K).indicators
            want = cells(alone)
            got = {(r.period, json.dumps(r.by, sort_keys=True, default=str)): (r.value, r.n, r.suppressed) for r in ir.rows if r.total_over == over}
            assert got.keys() == want.keys(), (iid, over)
            for key, (value, n, hidden) in got.items():
                assert want[key][1:] == (n, hidden) and want[key][0] == pytest.approx(value), (iid, over, key)
                checked += 1
    assert checked > 60


def test_groups_are_the_same_with_and_without_totals(national):
    project, con = national
    ids = list(project.indicators)
    plain = tables.evaluate(project, con, ids, DEFAULT_K)
    with_totals = tables.evaluate(project, con, ids, DEFAULT_K, totals=True)
    assert [[(r.period, r.by, r.value, r.n, r.suppressed) for r in ir.rows] for ir in plain.indicators] == \
           [[(r.period, r.by, r.value, r.n, r.suppressed) for r in ir.rows if not r.total_over] for ir in with_totals.indicators]
    assert with_totals.groups_only().to_json() == plain.to_json()
    assert plain.to_json()["format"] == "hfspec-results/1" and with_totals.to_json()["format"] == "hfspec-results/2"


TINY = {
    "borgere.csv": """\
        borger_id,kommune,alder,metode,medarbejder_id,visitationsdato,startdato,slutdato,samarbejdsmodel
        A,Vejle,30,CTI,M1,2021-01-01,2021-01-10,,ja
        B,Vejle,31,CTI,M1,2021-01-01,2021-01-10,,nej
        C,Køge,32,ICM,M2,2021-01-01,2021-01-10,,ja
        D,Køge,33,ICM,M2,2021-01-01,2021-01-10,,ja
        E,Køge,34,ACT,M3,2021-01-01,2021-01-10,,nej
        """,
    "status.csv": """\
        borger_id,dato,maalepunkt,boligsituation,who5,beskaeftigelse_uddannelse,forsoergelse,rusmiddelbehandling,bostoette_sel85
        A,2021-01-15,foer,uden_egen_bolig,10,nej,ydelse,nej,ja
        A,2021-06-15,efter,egen_bolig,15,nej,ydelse,nej,ja
        B,2021-01-15,foer,uden_egen_bolig,8,nej,ydelse,nej,ja
        B,2021-06-15,efter,egen_bolig,9,nej,ydelse,nej,ja
        C,2021-01-15,foer,egen_bolig,20,nej,ydelse,nej,ja
        D,2021-01-15,foer,anbragt,5,nej,ydelse,nej,ja
        D,2022-03-15,efter,egen_bolig,12,nej,ydelse,nej,ja
        E,2022-02-15,foer,uden_egen_bolig,11,nej,ydelse,nej,ja
        """,
}

CATALOGUE = """\
    kind: Catalogue
    id: tiny
    title: Tiny
    params: {reference_date: 2021-12-31}
    ---
    kind: Indicator
    id: TT-O-01
    title: Citizens with a status registration
    type: outcome
    dataset: status
    by: [maalepunkt]
    headline: total
    measure: count(distinct borger_id)
    counting_unit: borger_id
    ---
    kind: Indicator
    id: TT-O-02
    title: Share in own home
    type: outcome
    unit: share
    dataset: status
    by: [kommune, maalepunkt]
    headline: {maalepunkt: efter}
    measure: share(boligsituation == "egen_bolig")
    counting_unit: borger_id
    ---
    kind: Indicator
    id: TT-O-03
    title: Mean WHO-5 per year
    type: outcome
    dataset: status
    by: [kommune]
    period: year
    measure: mean(who5)
    counting_unit: borger_id
    ---
    kind: Indicator
    id: TT-O-04
    title: Registrations per citizen
    type: outcome
    by: [maalepunkt]
    measure: ref("TT-O-05") / ref("TT-O-01")
    ---
    kind: Indicator
    id: TT-O-05
    title: Registrations
    type: outcome
    dataset: status
    by: [maalepunkt]
    measure: count()
    counting_unit: borger_id
    """


@pytest.fixture()
def tiny(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in TINY.items():
        (data / name).write_text(dedent(text), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(dedent(CATALOGUE), encoding="utf-8")
    return tmp_path


def evaluate_tiny(tiny: Path, k: int = 0):
    from hfspec.session import Session, Settings

    with Session(tiny / "c.yaml", tiny / "data", Settings(k=k)) as session:
        return {ir.spec.id: ir for ir in session.evaluate(totals=True).indicators}


def total(ir, **by):
    return next(r for r in ir.rows if r.total_over and r.by == by)


def test_totals_are_computed_from_the_rows(tiny):
    result = evaluate_tiny(tiny)
    # a distinct count: A, B and D are measured before and after, so the groups add up to 8 but there are 5 citizens
    count = result["TT-O-01"]
    assert sorted(r.value for r in count.rows if not r.total_over) == [3, 5]
    assert total(count).value == 5 and total(count).n == 5 and total(count).total_over == ("maalepunkt",)
    # a share: over all rows, not the mean of the groups' shares
    share = result["TT-O-02"]
    efter = total(share, maalepunkt="efter")
    assert efter.total_over == ("kommune",) and efter.value == 1.0 and efter.n == 3
    foer = total(share, maalepunkt="foer")
    assert foer.value == pytest.approx(1 / 5)  # Vejle 0/2, Køge 1/3: the mean of the groups would be 1/6
    assert total(share).value == pytest.approx(4 / 8) and total(share).total_over == ("kommune", "maalepunkt")
    # a mean per year: the total of a period is over every municipality in that period
    mean = result["TT-O-03"]
    assert total(mean).total_over == ("kommune",)
    y2021 = next(r for r in mean.rows if r.total_over and r.period == "2021")
    assert y2021.value == pytest.approx((10 + 15 + 8 + 9 + 20 + 5) / 6)
    # a derived key figure: the ratio of the totals (8 registrations of 5 citizens), not a sum of ratios
    per = result["TT-O-04"]
    assert total(per).value == pytest.approx(8 / 5) and total(per).total_over == ("maalepunkt",)


def test_headline_cells(tiny):
    result = evaluate_tiny(tiny)
    assert headline_cell(result["TT-O-01"]).value == 5  # `headline: total`
    head = headline_cell(result["TT-O-02"])  # `headline: {maalepunkt: efter}`: efter, over the municipalities
    assert head.by == {"maalepunkt": "efter"} and head.total_over == ("kommune",)
    head = headline_cell(result["TT-O-03"])  # a period figure without `headline:`: the latest year's total
    assert head.period == "2022" and head.total_over == ("kommune",) and head.value == pytest.approx((12 + 11) / 2)
    assert Headline.of(None, "year").latest and not Headline.of("total", "year").latest


def test_change_since_the_previous_period(tiny):
    result = evaluate_tiny(tiny)
    [change] = [c for c in result["TT-O-03"].changes if c.total_over]
    assert (change.period, change.previous) == ("2022", "2021")
    assert change.value == pytest.approx((12 + 11) / 2 - (10 + 15 + 8 + 9 + 20 + 5) / 6)
    assert change.n == 2 and not change.suppressed
    koege = next(c for c in result["TT-O-03"].changes if c.by == {"kommune": "Køge"})
    assert koege.value == pytest.approx((12 + 11) / 2 - (20 + 5) / 2)
    assert previous_period("2022-Q1") == "2021-Q4"


def test_totals_are_suppressed_like_any_cell(tiny):
    result = evaluate_tiny(tiny, k=5)
    assert not total(result["TT-O-01"]).suppressed  # 5 citizens
    efter = total(result["TT-O-02"], maalepunkt="efter")
    assert efter.suppressed and efter.value is not None  # 3 citizens: hidden in every output
    assert all(c.suppressed for c in result["TT-O-03"].changes)  # every year has fewer than 5 citizens


def test_eval_totals_option(tiny, run_cli):
    code, output = run_cli(["eval", tiny / "c.yaml", tiny / "data", "--totals", "--format", "json", "--suppress-below", "0", "--not-for-publication"])
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "hfspec-results/2"
    count = next(i for i in data["indicators"] if i["id"] == "TT-O-01")
    assert count["headline"] == "total"
    [head] = [r for r in count["rows"] if r["headline"]]
    assert head == {"period": None, "by": {}, "value": 5, "n": 5, "suppressed": False, "status": None, "total_over": ["maalepunkt"], "headline": True}
    code, output = run_cli(["eval", tiny / "c.yaml", tiny / "data", "--format", "csv", "--suppress-below", "0", "--not-for-publication"])
    # disclosure control off: a first `#` line says the file is not for publication
    assert output.splitlines()[0].startswith("# IKKE TIL OFFENTLIGGØRELSE")
    assert output.splitlines()[1] == "indicator,title,type,unit,period,maalepunkt,kommune,value,n,suppressed,target,status"
    code, output = run_cli(["eval", tiny / "c.yaml", tiny / "data", "--totals", "--format", "csv", "--suppress-below", "0", "--not-for-publication"])
    assert output.splitlines()[1] == "indicator,title,type,unit,period,maalepunkt,kommune,total_over,headline,value,n,suppressed,target,status"
    assert "TT-O-01,Citizens with a status registration,outcome,,,,,maalepunkt,true,5,5,false,," in output


def test_stored_runs_keep_their_totals(tiny, run_cli):
    from hfspec.engine.history import load_history

    store = tiny / "h.duckdb"
    code, output = run_cli(["eval", tiny / "c.yaml", tiny / "data", "--store", store, "--format", "json"])
    assert code == 0 and json.loads(output)["format"] == "hfspec-results/1"  # the output without totals, as asked
    _, results = load_history(store)
    assert {tuple(r["total_over"]) for r in results if r["indicator"] == "TT-O-01"} == {(), ("maalepunkt",)}


def test_a_history_file_from_before_totals(tiny, tmp_path):
    """A history file written before hfspec kept totals has no `total_over` column: it is read as
    groups only (a headline that is a total was not stored), and storing a new run adds the column."""
    import duckdb

    from hfspec.engine.history import SCHEMA, load_history, store_run
    from hfspec.session import Session, Settings

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for statement in SCHEMA[:2]:  # the tables as they were
        con.execute(statement)
    con.execute("INSERT INTO runs VALUES (1, TIMESTAMP '2021-12-31 12:00:00', 'c', 'd', 5, NULL, NULL, '2021')")
    con.execute("""INSERT INTO results VALUES (1, 'TT-O-01', 't', 't', 'outcome', NULL, NULL, '{"maalepunkt": "efter"}', 3, 3, false, NULL)""")
    con.close()
    runs, results = load_history(path)
    assert [r["total_over"] for r in results] == [()]
    with Session(tiny / "c.yaml", tiny / "data", Settings(k=0)) as session:
        result = session.evaluate(totals=True)
    store_run(path, [tiny / "c.yaml"], [tiny / "data" / "status.csv"], result, "2022")
    runs, results = load_history(path)
    assert [r["label"] for r in runs] == ["2021", "2022"]
    assert {r["total_over"] for r in results if r["run_id"] == 2} >= {(), ("maalepunkt",)}
