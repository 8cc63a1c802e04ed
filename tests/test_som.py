"""The SØM model (specs/models/som.yaml), its engine (hfspec.som.model) and `hfspec som`.

The expected numbers of the small cases are computed by hand in the tests, step by step, so a
reader can follow them with a pocket calculator; the properties (linearity in the success rate,
zero success, doubled prices, payer sums, discount band edges, switching value) hold for any
scenario; the "new user" cases check that each typical mistake gives one located diagnostic.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from textwrap import dedent

import numpy as np
import pytest

from hfspec.diagnostics import HfspecError
from hfspec.som import model as som
from hfspec.engine.model_eval import Named
from hfspec.som.scenario import load_scenario
from hfspec.spec.project import load_project

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs" / "models"
EXAMPLES = ROOT / "examples" / "som"
SHIPPED = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))

# Two cohorts, two consequences, three payers, three years. Numbers are small and round so that
# the hand calculation below is easy to follow.
SMALL = """\
kind: Scenario
id: small
model: som
price_year: 2021
dimensions:
  year: [1, 2, 3]
  cohort: [1, 2]
  since: [0, 1, 2]
  consequence: [herberg, job]
{discount}
inputs:
  participants: {{value: [10, 20], source: test}}
  success_rate: {{value: 0.5, source: test, range: {{dist: uniform, low: 0.2, high: 0.8}}}}
  dq:
    value:
      herberg: [-10, -20, -5]
      job: [0, 1, 2]
    source: test
    range: {{dist: triangular, low: 0.5, high: 1.5}}
  price:
    value:
      herberg: {{kommune: 100, region: 10, stat: 50}}
      job: {{kommune: -30, region: 0, stat: -60}}
    source: test
  startup_cost: {{value: {{kommune: 10000, region: 0, stat: 0}}, source: test}}
  running_cost: {{value: {{kommune: 200, region: 100, stat: 0}}, source: test, range: {{dist: normal, sd: 0.1}}}}
  running_years: {{value: 2, source: test}}
  course_cost: {{value: {{kommune: 300, region: 0, stat: 0}}, source: test}}
  course_years: {{value: 1, source: test}}
  support_hours: {{value: 2, source: test}}
  hourly_cost: {{value: {{kommune: 10, region: 0, stat: 5}}, source: test}}
  alternative_cost: {{value: {{kommune: 100, region: 0, stat: 0}}, source: test}}
{extra}"""


def small_case(tmp_path: Path, discount: str = "", extra: str = "", years: int | None = None) -> som.SomResult:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL.format(discount=discount, extra=extra), encoding="utf-8")
    project = load_project([SPECS, path])
    return som.run(project, "small", years)


def by_year_payer(result: som.SomResult, name: str) -> list[list[float]]:
    return result.array(name, "year", "payer").tolist()


# --- hand-computed cases --------------------------------------------------------------------

def test_small_case_by_hand_undiscounted(tmp_path):
    r = small_case(tmp_path)
    # successes S_c = N_c × rate × (1 − deadweight 0): cohort 1: 10 × 0.5 = 5, cohort 2: 20 × 0.5 = 10
    assert r.array("successes", "cohort").tolist() == [5, 10]
    # change in use per year (cohort c is (t − c) years in; before its start it counts 0):
    #   year 1: herberg 5 × −10 = −50                       job 0
    #   year 2: herberg 5 × −20 + 10 × −10 = −200           job 5 × 1 = 5
    #   year 3: herberg 5 × −5 + 10 × −20 = −225            job 5 × 2 + 10 × 1 = 20
    assert r.array("activity_change", "year", "consequence").tolist() == [[-50, 0], [-200, 5], [-225, 20]]
    # savings_j(t) = −(Δherberg × p_herberg,j + Δjob × p_job,j), prices herberg 100/10/50, job −30/0/−60
    #   year 1: kommune 50 × 100 = 5000,   region 50 × 10 = 500,    stat 50 × 50 = 2500
    #   year 2: kommune 20000 + 5 × 30 = 20150, region 2000,        stat 10000 + 5 × 60 = 10300
    #   year 3: kommune 22500 + 20 × 30 = 23100, region 2250,       stat 11250 + 20 × 60 = 12450
    assert by_year_payer(r, "savings") == [[5000, 500, 2500], [20150, 2000, 10300], [23100, 2250, 12450]]
    # costs: a course lasts 1 year, so cohort c's courses are paid in year c (10, then 20, then 0)
    #   cost per course: kommune 300 + 2 h × 10 = 320, region 0, stat 2 h × 5 = 10; usual alternative kommune 100
    #   year 1: kommune 10000 start-up + 200 running + 10 × 320 − 10 × 100 = 12400, region 100, stat 10 × 10 = 100
    #   year 2: kommune 200 + 20 × 320 − 20 × 100 = 4600,                       region 100, stat 20 × 10 = 200
    #   year 3: nothing (running costs stop after year 2, no course)
    assert by_year_payer(r, "costs") == [[12400, 100, 100], [4600, 100, 200], [0, 0, 0]]
    # net = savings − costs
    assert by_year_payer(r, "net") == [[-7400, 400, 2400], [15550, 1900, 10100], [23100, 2250, 12450]]
    # accumulated per payer and in total: totals per year −4600, 27550, 37800
    assert by_year_payer(r, "acc") == [[-7400, 400, 2400], [8150, 2300, 12500], [31250, 4550, 24950]]
    assert r.array("acc_total", "year").tolist() == [-4600, 22950, 60750]
    assert r.scalar("break_even") == 2  # the first year the accumulated total is ≥ 0
    assert r.scalar("result_total") == 60750
    assert r.array("result_by_payer", "payer").tolist() == [31250, 4550, 24950]
    # return per krone: savings 8000 + 32450 + 37800 = 78250 over costs 12600 + 4900 = 17500
    assert r.scalar("savings_total") == 78250 and r.scalar("costs_total") == 17500
    assert r.scalar("return_per_krone") == pytest.approx(78250 / 17500)
    # cost per successful participant: 17500 / (5 + 10)
    assert r.scalar("cost_per_success") == pytest.approx(17500 / 15)
    assert r.array("discount_factor", "year").tolist() == [1, 1, 1]


def test_small_case_by_hand_discounted(tmp_path):
    # 10 % a year; year t discounted t years (the default): D = 1/1.1, 1/1.21, 1/1.331
    r = small_case(tmp_path, discount="discount: 0.1")
    assert r.array("discount_factor", "year") == pytest.approx([1 / 1.1, 1 / 1.21, 1 / 1.331])
    # net totals per year −4600, 27550, 37800 (as above) discounted: −4181.82 + 22768.60 + 28399.70
    expected = -4600 / 1.1 + 27550 / 1.21 + 37800 / 1.331
    assert r.scalar("result_total") == pytest.approx(expected)
    assert expected == pytest.approx(46986.48, abs=0.01)
    assert r.array("acc_total", "year") == pytest.approx([-4600 / 1.1, -4600 / 1.1 + 27550 / 1.21, expected])
    # savings and costs are discounted alike: (5000+500+2500)/1.1 + 32450/1.21 + 37800/1.331 over 12600/1.1 + 4900/1.21
    assert r.scalar("return_per_krone") == pytest.approx((8000 / 1.1 + 32450 / 1.21 + 37800 / 1.331) / (12600 / 1.1 + 4900 / 1.21))
    assert r.scalar("break_even") == 2


def test_year_one_not_discounted(tmp_path):
    # `discount_first_year: false`: year t is discounted t − 1 years, so D = 1, 1/1.1, 1/1.21
    r = small_case(tmp_path, discount="discount: 0.1", extra="  discount_first_year: {value: false, source: test}\n")
    assert r.array("discount_factor", "year") == pytest.approx([1, 1 / 1.1, 1 / 1.21])
    assert r.scalar("result_total") == pytest.approx(-4600 + 27550 / 1.1 + 37800 / 1.21)


@pytest.mark.parametrize("first_year, edges", [
    # year t → exponent e(t) = t; the 3.5 % band covers e ≤ 35, 2.5 % up to 70, 1.5 % after
    (True, {35: 1.035 ** -35, 36: 1.035 ** -35 / 1.025, 70: 1.035 ** -35 * 1.025 ** -35, 71: 1.035 ** -35 * 1.025 ** -35 / 1.015}),
    # year t → exponent e(t) = t − 1: every edge moves one year later
    (False, {36: 1.035 ** -35, 37: 1.035 ** -35 / 1.025, 71: 1.035 ** -35 * 1.025 ** -35, 72: 1.035 ** -35 * 1.025 ** -35 / 1.015}),
], ids=["year-1-discounted", "year-1-not-discounted"])
def test_finance_ministry_band_edges(tmp_path, first_year, edges):
    extra = f"  discount_first_year: {{value: {str(first_year).lower()}, source: test}}\n"
    r = small_case(tmp_path, discount="discount: finansministeriet", extra=extra, years=75)
    assert r.years == tuple(range(1, 76))
    df = dict(zip(r.years, r.array("discount_factor", "year")))
    for year, expected in edges.items():
        assert df[year] == pytest.approx(expected, rel=1e-12), year
    # the yearly step is the band's rate on either side of each edge
    first = min(edges)
    assert df[first] / df[first + 1] == pytest.approx(1.025)
    assert df[first - 1] / df[first] == pytest.approx(1.035)
    last = max(edges)
    assert df[last - 1] / df[last] == pytest.approx(1.015)
    assert df[last - 2] / df[last - 1] == pytest.approx(1.025)


# --- properties -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped_project():
    return load_project([SPECS, EXAMPLES])


@pytest.fixture(scope="module")
def vejle(shipped_project):
    return som.run(shipped_project, "vejle")


def with_rate(result: som.SomResult, rate: float) -> dict[str, Named]:
    return som.evaluate(result.inputs, {"success_rate": Named(np.asarray(rate), ())})


def test_net_result_is_linear_in_the_success_rate(vejle):
    rates = (0.2, 0.5, 0.8)
    nets = [with_rate(vejle, r)["net"].data for r in rates]
    step1, step2 = nets[1] - nets[0], nets[2] - nets[1]
    assert np.allclose(step1, step2)  # equal steps in the rate give equal steps in every cell
    totals = [float(with_rate(vejle, r)["result_total"].scalar()) for r in rates]
    slope = (totals[2] - totals[0]) / (rates[2] - rates[0])
    assert totals[1] == pytest.approx(totals[0] + slope * (rates[1] - rates[0]))


def test_zero_success_gives_minus_the_costs(vejle):
    values = with_rate(vejle, 0.0)
    assert np.allclose(values["savings"].data, 0)
    assert np.allclose(values["net"].data, -values["costs"].data)
    assert float(values["result_total"].scalar()) == pytest.approx(-float(values["costs_total"].scalar()))


def test_doubling_every_price_doubles_the_savings(vejle):
    price = vejle.inputs.values["price"]
    doubled = som.evaluate(vejle.inputs, {"price": Named(price.data * 2, price.dims)})
    assert np.allclose(doubled["savings"].data, 2 * vejle.values["savings"].data)
    assert np.allclose(doubled["costs"].data, vejle.values["costs"].data)


@pytest.mark.parametrize("scenario", SHIPPED)
def test_payer_results_sum_to_the_total(shipped_project, scenario):
    r = som.run(shipped_project, scenario)
    assert r.array("net_pv", "year", "payer").sum(axis=1) == pytest.approx(r.array("net_total", "year"))
    assert r.array("result_by_payer", "payer").sum() == pytest.approx(r.scalar("result_total"))
    assert r.array("acc", "year", "payer")[-1] == pytest.approx(r.array("result_by_payer", "payer"))


def test_switching_value_gives_zero_net_result(vejle):
    sens = som.sensitivity(vejle)
    assert sens.switching_value is not None and 0 < sens.switching_value < 1
    at = float(with_rate(vejle, sens.switching_value)["result_total"].scalar())
    assert abs(at) < 1e-6 * float(vejle.scalar("costs_total"))
    # it is where the line through two rates crosses zero (the result is linear in the rate)
    f0, f1 = (float(with_rate(vejle, r)["result_total"].scalar()) for r in (0.0, 1.0))
    assert sens.switching_value == pytest.approx(-f0 / (f1 - f0), rel=1e-9)


def test_switching_value_none_when_the_sign_never_changes(tmp_path):
    import dataclasses

    from hfspec.som.render import _Facts, switching_text

    r = small_case(tmp_path)
    assert som.sensitivity(r).switching_value is not None
    # with every effect zero the result is minus the costs at any success rate: no switching value
    dq = r.inputs.values["dq"]
    flat_inputs = dataclasses.replace(r.inputs, values={**r.inputs.values, "dq": Named(dq.data * 0, dq.dims)})
    flat = som.SomResult(flat_inputs, som.evaluate(flat_inputs))
    none = som.sensitivity(flat)
    assert none.switching_value is None
    assert "ingen i 0–100 %" in switching_text(_Facts(flat, "da"), none)
    assert "none in 0–100 %" in switching_text(_Facts(flat, "en"), none)


def test_sensitivity_is_sorted_by_swing_and_uses_the_range_ends(tmp_path):
    r = small_case(tmp_path)
    sens = som.sensitivity(r)
    swings = [row.swing for row in sens.rows]
    assert swings == sorted(swings, reverse=True)
    rows = {row.input: row for row in sens.rows}
    assert (rows["success_rate"].low, rows["success_rate"].high) == (0.2, 0.8)
    # success 0.2 and 0.8: the result is linear, so it is base ± 0.3 × slope
    base = r.scalar("result_total")
    assert rows["success_rate"].result_high - base == pytest.approx(base - rows["success_rate"].result_low)
    # dq ×0.5 and ×1.5 (a relative range) halve and grow the savings by half
    savings = r.scalar("savings_total")
    assert rows["dq"].result_low == pytest.approx(base - savings / 2)
    assert rows["dq"].result_high == pytest.approx(base + savings / 2)
    # a normal range: the 10th and 90th percentiles
    assert (rows["running_cost"].low, rows["running_cost"].high) == pytest.approx((1 - 1.2816 * 0.1, 1 + 1.2816 * 0.1))


def test_monte_carlo_is_seeded_and_independent_of_chunking(vejle):
    a = som.monte_carlo(vejle, 2000, seed=7)
    b = som.monte_carlo(vejle, 2000, seed=7, chunk_cells=50_000)
    c = som.monte_carlo(vejle, 2000, seed=8)
    assert b.chunks > a.chunks
    assert a.total == b.total and a.by_payer == b.by_payer
    assert a.total != c.total
    assert a.total.p10 <= a.total.p50 <= a.total.p90
    assert 0 <= a.total.prob_positive <= 1
    assert sum(s.mean for s in a.by_payer.values()) == pytest.approx(a.total.mean)


def test_monte_carlo_without_ranges_repeats_the_base(tmp_path):
    path = tmp_path / "s.yaml"
    text = SMALL.format(discount="", extra="")
    text = re.sub(r", range: \{[^}]*\}\}", "}", text).replace("    range: {dist: triangular, low: 0.5, high: 1.5}\n", "")
    path.write_text(text, encoding="utf-8")
    r = som.run(load_project([SPECS, path]), "small")
    mc = som.monte_carlo(r, 100, seed=1)
    assert mc.uncertain == []
    assert mc.total.p10 == pytest.approx(60750) and mc.total.p90 == pytest.approx(60750)


# --- shipped scenarios, CLI and report ------------------------------------------------------

@pytest.mark.parametrize("scenario", SHIPPED)
def test_every_shipped_scenario_runs(run_cli, scenario):
    code, out = run_cli(["som", scenario, "--sensitivity", "--monte-carlo", "300", "--seed", "1", "--format", "json"])
    assert code == 0, out
    data = json.loads(out)
    assert data["scenario"]["id"] == scenario
    assert len(data["per_year"]) == 10 * 3
    assert data["sensitivity"]["rows"], "every shipped scenario has ranges"
    assert data["monte_carlo"]["draws"] == 300


@pytest.mark.parametrize("scenario", SHIPPED)
def test_every_shipped_number_has_a_source(shipped_project, scenario):
    spec = shipped_project.scenarios[scenario]
    for name, raw in spec.inputs.items():
        assert isinstance(raw, dict) and raw.get("source"), f"{scenario}: input `{name}` has no source"
    assert "ILLUSTRATIV" in spec.title.da and "ILLUSTRATIVE" in spec.title.en


def test_validate_is_clean(run_cli):
    code, out = run_cli(["validate", ROOT / "specs", ROOT / "examples"])
    assert code == 0, out
    assert "error" not in out and "warning" not in out


def test_text_output(run_cli):
    code, out = run_cli(["som", "vejle"])
    assert code == 0, out
    assert "Nettoresultat pr. år og betaler (kr.)" in out
    assert "Break-even-år:" in out and "Afkast pr. investeret krone:" in out
    assert re.search(r"-?\d{1,3}(\.\d{3})+", out), "Danish thousands separators"


def test_years_option_changes_the_horizon(run_cli):
    code, out = run_cli(["som", "vejle", "--years", "5", "--format", "json"])
    assert code == 0, out
    assert json.loads(out)["scenario"]["years"] == [1, 2, 3, 4, 5]


def test_scenario_as_a_file(run_cli, tmp_path):
    (tmp_path / "small.yaml").write_text(SMALL.format(discount="", extra=""), encoding="utf-8")
    code, out = run_cli(["som", "small.yaml", "--format", "csv"], cwd=tmp_path)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "section,year,payer,input,measure,value"
    assert "summary,,total,,result_total,60750.0" in lines


def test_unknown_scenario_suggests(run_cli):
    code, out = run_cli(["som", "vejl"])
    assert code == 1
    assert "HF302" in out and "vejle" in out


def test_reports_render_and_escape(run_cli, tmp_path):
    text = SMALL.format(discount="", extra="").replace("id: small\n", "id: small\ntitle: '<script>alert(1)</script> & co'\n")
    (tmp_path / "small.yaml").write_text(text, encoding="utf-8")
    code, out = run_cli(["som", "small.yaml", "--sensitivity", "--monte-carlo", "200", "--out", "r.html"], cwd=tmp_path)
    assert code == 0, out
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<svg") == 3  # accumulated result, tornado, Monte Carlo
    for heading in ("Målgruppe og indsats", "Deltagere", "Succes", "Konsekvenser", "Priser", "Omkostninger", "Resultat",
                    "Følsomhed", "Usikkerhed", "Modellens formler", "Kilder"):
        assert heading in html
    code, out = run_cli(["som", "small.yaml", "--format", "md", "--lang", "en"], cwd=tmp_path)
    assert code == 0, out
    assert "# SØM calculation" in out and "\\<script\\>" in out
    assert "| year | municipality | region | state | total | acc. total |" in out


# --- tried as a new user would --------------------------------------------------------------

def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("change, code, needle", [
    # a success rate written as 140 % (1.4)
    (("  success_rate: {value: 0.5,", "  success_rate: {value: 1.4,"), "HF704", "success_rate:"),
    # a consequence priced for a payer the model does not have
    (("      job: {kommune: -30, region: 0, stat: -60}", "      job: {kommune: -30, regionen: 0, stat: -60}"), "HF706", "regionen"),
    # a price missing for one consequence
    (("      job: {kommune: -30, region: 0, stat: -60}\n", ""), "HF703", "herberg: {kommune: 100"),
    # prices given in a price year that the index does not cover
    (("    source: test\n  startup_cost", "    source: test\n    price_year: 2017\n  startup_cost"), "HF707", "price_year: 2017"),
], ids=["success-140-percent", "unknown-payer", "missing-price", "price-year-without-index"])
def test_new_user_mistakes_are_located(run_cli, tmp_path, change, code, needle):
    text = SMALL.format(discount="", extra="")
    assert change[0] in text
    text = text.replace(change[0], change[1], 1)
    if code == "HF707":
        text = text.replace("price_year: 2021\n", "price_year: 2021\nprice_index: {2020: 98, 2021: 100}\n", 1)
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    exit_code, out = run_cli(["som", "case.yaml", "--lang", "en"], cwd=tmp_path)
    assert exit_code == 1, out
    assert f"error[{code}]" in out
    assert f"--> case.yaml:{_line_of(text, needle)}:" in out
    assert "Traceback" not in out


def test_success_rate_message_speaks_percent(run_cli, tmp_path):
    text = SMALL.format(discount="", extra="").replace("success_rate: {value: 0.5,", "success_rate: {value: 1.4,")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    _, out = run_cli(["som", "case.yaml"], cwd=tmp_path)
    assert "140 %" in out and "100 % = 1" in out


@pytest.mark.parametrize("discount, extra, message", [
    ("discount: finansministerium", "", "unknown discount preset `finansministerium`"),
    ("discount: 0.03", "  discount_rate: {value: 0.03, source: test}\n", "given twice"),
], ids=["unknown-preset", "given-twice"])
def test_discount_mistakes(run_cli, tmp_path, discount, extra, message):
    text = SMALL.format(discount=discount, extra=extra)
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    code, out = run_cli(["som", "case.yaml", "--lang", "en"], cwd=tmp_path)
    assert code == 1
    assert "error[HF711]" in out and message in out
    assert f"--> case.yaml:{_line_of(text, 'discount:')}:" in out


# --- values from data (from_eval) -----------------------------------------------------------

FROM_EVAL = """\
kind: Scenario
id: fromdata
model: som
dimensions: {{cohort: [1]}}
inputs:
  participants:
    from_eval: {{indicator: HF-P-01, where: {{kommune: Vejle}}, data: {data}}}
    source: test
  success_rate:
    from_eval: {where}
    source: test
  dq: {{value: 0, source: test}}
  price: {{value: 0, source: test}}
"""


def test_from_eval_uses_hfspec_eval(tmp_path):
    from hfspec.session import Session

    data = ROOT / "examples" / "demo" / "data"
    path = tmp_path / "s.yaml"
    path.write_text(FROM_EVAL.format(data=data, where=f"{{indicator: HF-O-01, where: {{kommune: Vejle, maalepunkt: efter}}, data: {data}}}"), encoding="utf-8")
    inputs = load_scenario(load_project([SPECS, path]), "fromdata")
    with Session(None, data) as session:
        result = session.evaluate(["HF-P-01", "HF-O-01"])
    rows = {(r.indicator, tuple(sorted(r.by.items()))): r for ir in result.indicators for r in ir.rows}
    assert inputs.values["participants"].data.tolist() == [rows[("HF-P-01", (("kommune", "Vejle"),))].value]
    assert inputs.values["success_rate"].scalar() == pytest.approx(rows[("HF-O-01", (("kommune", "Vejle"), ("maalepunkt", "efter")))].value)
    assert inputs.evaluated["success_rate"].n == rows[("HF-O-01", (("kommune", "Vejle"), ("maalepunkt", "efter")))].n


@pytest.mark.parametrize("request_, code, message", [
    ("{indicator: HF-P-02, where: {metode: ACT}, data: DATA}", "HF713", "suppressed"),
    ("{indicator: HF-O-01, where: {kommune: Vejle}, data: DATA}", "HF712", "3 results of `HF-O-01` match"),
    ("{indicator: HF-O-01, where: {kommun: Vejle, maalepunkt: efter}, data: DATA}", "HF712", "`kommun` is not a breakdown"),
    ("{indicator: HF-O-01, where: {kommune: Vejlee, maalepunkt: efter}, data: DATA}", "HF712", "no result of `HF-O-01` matches"),
    ("{indicator: HF-O-99, data: DATA}", "HF712", "`HF-O-99` is not a key figure"),
    ("{indicator: HF-O-01, data: no/such/folder}", "HF712", "does not exist"),
], ids=["suppressed", "ambiguous", "unknown-breakdown", "no-row", "unknown-indicator", "no-data"])
def test_from_eval_mistakes(tmp_path, request_, code, message):
    data = ROOT / "examples" / "demo" / "data"
    text = FROM_EVAL.format(data=data, where=request_.replace("DATA", str(data)))
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        load_scenario(load_project([SPECS, path]), "fromdata")
    found = [d for d in error.value.diagnostics if d.code == code]
    assert found and message in found[0].text("en"), [d.text("en") for d in error.value.diagnostics]
    assert found[0].span is not None and found[0].span.line >= _line_of(text, "success_rate:")


# --- the language and scenario pieces SØM added ---------------------------------------------

def test_prod_reduction_and_range_price_conversion(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(dedent("""\
        kind: Model
        id: mini
        dimensions:
          band: {values: [1, 2, 3]}
        inputs:
          factor: {dims: [band]}
          cost: {unit: kr}
        formulas:
          product: {expr: "prod(factor over band)"}
          total: {expr: "cost * product"}
        ---
        kind: Scenario
        id: mini
        model: mini
        price_year: 2021
        price_index: {2017: 100, 2021: 110}
        inputs:
          factor: [2, 3, 0.5]
          cost: {value: 1000, price_year: 2017, source: test, range: {dist: triangular, low: 800, high: 1200}}
        """), encoding="utf-8")
    inputs = load_scenario(load_project([path], standard=False), "mini")
    from hfspec.engine.model_eval import evaluate_model
    values = evaluate_model(inputs.model, inputs.values)
    assert values["product"].scalar() == 3.0
    assert values["total"].scalar() == pytest.approx(1100 * 3)
    r = inputs.ranges["cost"]  # the range is in 2017 prices too, converted like the value
    assert (r.low, r.high, r.mode) == pytest.approx((880, 1320, 1100))


def test_years_keeps_the_cohorts(tmp_path):
    r = small_case(tmp_path, years=5)
    assert r.years == (1, 2, 3, 4, 5)
    assert r.inputs.model.dimensions["cohort"] == (1, 2)
    # years 4 and 5: cohort 1 is 3–4 years in and cohort 2 2–3 years in; `since` ends at 2, so only
    # cohort 2's year-2 effect remains in year 4, and nothing in year 5
    assert r.array("activity_change", "year", "consequence")[3:].tolist() == [[10 * -5, 10 * 2], [0, 0]]


def test_doctests():
    import doctest

    from hfspec.som import render as som_render

    for module in (som, som_render):
        failures, _ = doctest.testmod(module)
        assert failures == 0, module.__name__
