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
  priced_on: {{value: 2021-06-30, source: test}}
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


@pytest.mark.parametrize("timing, factors, exponents", [
    # amounts at the start of the year: year t is discounted t − 1 years, so D = 1, 1/1.1, 1/1.21
    ("start_of_year", [1, 1 / 1.1, 1 / 1.21], [0, 1, 2]),
    # amounts in the middle of the year: t − ½ years, so D = 1.1^−½, 1.1^−1½, 1.1^−2½
    ("mid_year", [1.1 ** -0.5, 1.1 ** -1.5, 1.1 ** -2.5], [0.5, 1.5, 2.5]),
    # amounts at the end of the year (the default, also when written): t years
    ("end_of_year", [1 / 1.1, 1 / 1.21, 1 / 1.331], [1, 2, 3]),
])
def test_discount_timing(tmp_path, timing, factors, exponents):
    r = small_case(tmp_path, discount=f"discount: 0.1\ndiscount_timing: {timing}")
    assert r.array("exponent", "year").tolist() == exponents
    assert r.array("discount_factor", "year") == pytest.approx(factors)
    # net totals per year −4600, 27550, 37800 (the undiscounted case) times D(t)
    assert r.scalar("result_total") == pytest.approx(-4600 * factors[0] + 27550 * factors[1] + 37800 * factors[2])


@pytest.mark.parametrize("timing, edges", [
    # year t → exponent e(t) = t; the 3.5 % band covers e ≤ 35, 2.5 % up to 70, 1.5 % after
    ("end_of_year", {35: 1.035 ** -35, 36: 1.035 ** -35 / 1.025, 70: 1.035 ** -35 * 1.025 ** -35, 71: 1.035 ** -35 * 1.025 ** -35 / 1.015}),
    # year t → exponent e(t) = t − 1: every edge moves one year later
    ("start_of_year", {36: 1.035 ** -35, 37: 1.035 ** -35 / 1.025, 71: 1.035 ** -35 * 1.025 ** -35, 72: 1.035 ** -35 * 1.025 ** -35 / 1.015}),
], ids=["year-1-discounted", "year-1-not-discounted"])
def test_finance_ministry_band_edges(tmp_path, timing, edges):
    r = small_case(tmp_path, discount=f"discount: finansministeriet\ndiscount_timing: {timing}", years=75)
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


def test_validate_checks_a_lone_scenario_as_som_does(run_cli, tmp_path):
    # a scenario file on its own names the shipped model `som`; validate adds the shipped models as `hfspec som` does
    (tmp_path / "case.yaml").write_text(SMALL.format(discount="", extra=""), encoding="utf-8")
    code, out = run_cli(["validate", "case.yaml"], cwd=tmp_path)
    assert code == 0, out
    assert "1 scenarie" in out and "HF302" not in out
    code, out = run_cli(["som", "case.yaml"], cwd=tmp_path)
    assert code == 0, out
    # and finds the same mistakes, at the same place
    text = SMALL.format(discount="", extra="").replace("success_rate: {value: 0.5,", "success_rate: {value: 1.4,")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    outs = [run_cli([command, "case.yaml"], cwd=tmp_path) for command in ("validate", "som")]
    assert [code for code, _ in outs] == [1, 1]
    for _, out in outs:
        assert "fejl[HF704]" in out and f"--> case.yaml:{_line_of(text, 'success_rate:')}:" in out


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
    assert "summary,,total,,net,60750.0" in lines
    assert "setting,,,,discount_timing,end_of_year" in lines and "setting,,,,refusion_rule,before_2023" in lines


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


# --- per payer: break-even that lasts, return per krone, internal rate of return ---------------

# One cohort of 10 that all succeed; 1, 0 and 1.6 shelter nights fewer per success in years 1–3
# (10, 0 and 16 nights), priced kommune 100, stat 50; running costs kommune 600 and region 100 a year.
WAVE = """\
kind: Scenario
id: wave
model: som
price_year: 2021
dimensions: {year: [1, 2, 3], cohort: [1], since: [0, 1, 2], consequence: [herberg]}
inputs:
  priced_on: {value: 2021-06-30, source: test}
  participants: {value: [10], source: test}
  success_rate: {value: 1, source: test}
  dq: {value: {herberg: [-1, 0, -1.6]}, source: test}
  price: {value: {herberg: {kommune: 100, region: 0, stat: 50}}, source: test}
  running_cost: {value: {kommune: 600, region: 100, stat: 0}, source: test}
"""


def run_text(tmp_path: Path, text: str, sid: str, years: int | None = None) -> som.SomResult:
    path = tmp_path / f"{sid}.yaml"
    path.write_text(text, encoding="utf-8")
    return som.run(load_project([SPECS, path]), sid, years)


def test_break_even_per_payer_first_and_lasting(tmp_path, run_cli):
    r = run_text(tmp_path, WAVE, "wave")
    # net kommune: 1000 − 600 = 400, 0 − 600 = −600, 1600 − 600 = 1000 → accumulated 400, −200, 800
    # net region: −100 every year → accumulated −100, −200, −300; net stat: 500, 0, 800 → 500, 500, 1300
    assert by_year_payer(r, "acc") == [[400, -100, 500], [-200, -200, 500], [800, -300, 1300]]
    # kommune: ≥ 0 first in year 1, but it stays ≥ 0 only from year 3; region never; stat from year 1
    assert r.array("break_even_by_payer", "payer").tolist()[::2] == [1, 1]
    assert r.array("lasting_break_even_by_payer", "payer").tolist()[::2] == [3, 1]
    assert np.isnan(r.array("break_even_by_payer", "payer")[1]) and np.isnan(r.array("lasting_break_even_by_payer", "payer")[1])
    # total: 800, −700, 1700 → accumulated 800, 100, 1800: first and lasting year 1
    assert (r.scalar("break_even"), r.scalar("lasting_break_even")) == (1, 1)
    # return per krone: kommune 2600 / 1800, region 0 / 300, stat has no costs; total 3900 / 2100
    ret = r.array("return_by_payer", "payer")
    assert ret[0] == pytest.approx(2600 / 1800) and ret[1] == 0 and np.isnan(ret[2])
    assert r.scalar("return_per_krone") == pytest.approx(3900 / 2100)
    code, out = run_cli(["som", "wave.yaml", "--format", "json"], cwd=tmp_path)
    assert code == 0, out
    data = json.loads(out)
    assert data["format"] == "hfspec-som/2"
    kommune, region, stat = (data["summary"]["by_payer"][p] for p in ("kommune", "region", "stat"))
    assert (kommune["break_even_year"], kommune["lasting_break_even_year"]) == (1, 3)
    assert (region["break_even_year"], region["lasting_break_even_year"]) == (None, None)
    assert (kommune["savings"], kommune["costs"], kommune["net"]) == (2600, 1800, 800)
    assert (stat["return_per_krone"], stat["return_per_krone_note"]) == (None, "no_costs")
    # the net results change sign twice (kommune, total) or never (region, stat): no internal rate
    assert (kommune["irr"], kommune["irr_note"]) == (None, "several_sign_changes")
    assert (region["irr_note"], stat["irr_note"], data["summary"]["total"]["irr_note"]) == ("no_sign_change", "no_sign_change", "several_sign_changes")
    code, out = run_cli(["som", "wave.yaml"], cwd=tmp_path)
    row = {line.split("  ")[1].strip(): line for line in out.splitlines() if line.startswith("  break-even-år")}
    assert re.search(r"år 1\s+ikke inden for 3 år\s+år 1\s+år 1$", row["break-even-år (første)"])
    assert re.search(r"år 3\s+ikke inden for 3 år\s+år 1\s+år 1$", row["break-even-år (varigt)"])
    assert "Afkast pr. krone (stat): ingen omkostninger" in out
    assert "Intern rente (kommune): nettoresultatet skifter fortegn flere gange" in out
    code, out = run_cli(["som", "wave.yaml", "--format", "csv"], cwd=tmp_path)
    assert "summary,,kommune,,lasting_break_even_year,3" in out.splitlines()
    assert "summary,,region,,irr_note,no_sign_change" in out.splitlines()


# 500 kr. saved every year for 20 years against 3,000 kr. of start-up costs in year 1.
IRR_CASE = """\
kind: Scenario
id: irr
model: som
price_year: 2021
{timing}
dimensions: {{year: [{years}], cohort: [1], since: [{since}], consequence: [job]}}
inputs:
  priced_on: {{value: 2021-06-30, source: test}}
  participants: {{value: [1], source: test}}
  success_rate: {{value: 1, source: test}}
  dq: {{value: -1, source: test}}
  price: {{value: {{job: {{kommune: 500, region: 0, stat: 0}}}}, source: test}}
  startup_cost: {{value: {{kommune: 3000, region: 0, stat: 0}}, source: test}}
"""


@pytest.mark.parametrize("timing", ["", "discount_timing: mid_year", "discount_timing: start_of_year"])
def test_internal_rate_of_return(tmp_path, run_cli, timing):
    text = IRR_CASE.format(timing=timing, years=", ".join(map(str, range(1, 21))), since=", ".join(map(str, range(20))))
    (tmp_path / "irr.yaml").write_text(text, encoding="utf-8")
    code, out = run_cli(["som", "irr.yaml", "--format", "json"], cwd=tmp_path)
    assert code == 0, out
    data = json.loads(out)
    assert [row["net"] for row in data["per_year"] if row["payer"] == "kommune"] == [-2500] + [500] * 19
    rate = data["summary"]["total"]["irr"]
    assert round(rate, 4) == 0.1930  # 19.30 %
    # at the end of each year: Σ_{t=1..20} 500 (1 + r)^−t − 3000 (1 + r)^−1 = 0; the same rate for
    # every timing, since moving every amount by the same part of a year multiplies the present value by a constant
    npv = sum(500 * (1 + rate) ** -t for t in range(1, 21)) - 3000 * (1 + rate) ** -1
    assert abs(npv) < 1e-6
    assert data["summary"]["by_payer"]["kommune"]["irr"] == pytest.approx(rate)
    assert data["summary"]["by_payer"]["region"]["irr_note"] == "no_cash_flows"
    code, out = run_cli(["som", "irr.yaml"], cwd=tmp_path)
    assert re.search(r"Intern rente:\s+19,3 %", out)


def test_internal_rate_needs_exactly_one_change_of_sign():
    # −100, +230, −132 at times 1, 2, 3: the present value is 0 at both 10 % and 20 % (100 y² − 230 y + 132 = 0 for
    # y = 1 + r has the roots 1.1 and 1.2), so there is no one internal rate
    flows, times = np.array([-100.0, 230.0, -132.0]), np.array([1.0, 2.0, 3.0])
    for r in (0.1, 0.2):
        assert abs(np.sum(flows * (1 + r) ** -times)) < 1e-9
    assert som.internal_rate(flows, times) == som.Irr(None, "several_sign_changes")
    assert som.internal_rate(np.array([100.0, 50.0]), np.array([1.0, 2.0])) == som.Irr(None, "no_sign_change")
    assert som.internal_rate(np.zeros(3), times) == som.Irr(None, "no_cash_flows")
    # zeros between do not count: −100 at time 1 and +121 at time 4 give (1 + r)³ = 1.21
    rate = som.internal_rate(np.array([-100.0, 0.0, 0.0, 121.0]), np.array([1.0, 2.0, 3.0, 4.0])).rate
    assert rate == pytest.approx(1.21 ** (1 / 3) - 1, rel=1e-12)


def test_zero_and_negative_costs_say_why_there_is_no_return(tmp_path, run_cli):
    no_costs = WAVE.replace("  running_cost: {value: {kommune: 600, region: 100, stat: 0}, source: test}\n", "")
    (tmp_path / "wave.yaml").write_text(no_costs, encoding="utf-8")
    code, out = run_cli(["som", "wave.yaml", "--format", "json"], cwd=tmp_path)
    total = json.loads(out)["summary"]["total"]
    assert (total["costs"], total["return_per_krone"], total["return_per_krone_note"]) == (0, None, "no_costs")
    code, out = run_cli(["som", "wave.yaml"], cwd=tmp_path)
    assert re.search(r"Afkast pr\. investeret krone:\s+– \(ingen omkostninger", out)
    # a usual alternative dearer than the course: negative net costs, and no return per krone
    cheaper = no_costs + "  course_cost: {value: {kommune: 100, region: 0, stat: 0}, source: test}\n" \
                         "  alternative_cost: {value: {kommune: 300, region: 0, stat: 0}, source: test}\n"
    (tmp_path / "wave.yaml").write_text(cheaper, encoding="utf-8")
    code, out = run_cli(["som", "wave.yaml", "--format", "json", "--lang", "en"], cwd=tmp_path)
    kommune = json.loads(out)["summary"]["by_payer"]["kommune"]
    assert (kommune["costs"], kommune["return_per_krone"], kommune["return_per_krone_note"]) == (-2000, None, "negative_costs")


# --- the section 110 refusion rule --------------------------------------------------------------

# Ten successes with 20.55 shelter nights fewer each in year 1 (205.5 nights), a night priced
# 1,700 kr. (written 850 / 850), and a target group of four citizen-years with 30, 90, 91 and 200 nights.
REFUSION = """\
kind: Scenario
id: refusion
model: som
price_year: 2024
dimensions: {{year: [1], cohort: [1], since: [0], consequence: [herberg], stay_group: [1, 2, 3, 4]}}
inputs:
  priced_on: {{value: {date}, source: test}}
  participants: {{value: [10], source: test}}
  success_rate: {{value: 1, source: test}}
  dq: {{value: {{herberg: [-20.55]}}, source: test}}
  price: {{value: {{herberg: {{kommune: 850, region: 0, stat: 850}}}}, source: test}}
{extra}"""
STAYS = "  stay_nights: {value: [30, 90, 91, 200], source: test}\n"


@pytest.mark.parametrize("date, extra, state_nights", [
    # before 1 October 2023: the split the prices give, 850 of 1,700 for each night
    ("2023-09-30", STAYS, 205.5),
    # from 1 October 2023, whole citizen-years fall away: of the 411 nights 30 + 90 + 90 + 90 = 300 lie within the
    # first 90 of their citizen-year, so 300/411 of the nights saved had refusion, and the state bears half of them
    ("2023-10-01", STAYS, 205.5 * 300 / 411),
    # … the same from the share alone (e.g. HF-E-11 from the data)
    ("2024-03-01", "  within_share: {value: 0.7299270072992701, source: test}\n", 205.5 * 300 / 411),
    # every citizen-year shortened by the same share s = 20.55 / (411 / 4) = 20 %: 30 → 24 (6 within the 90 lost),
    # 90 → 72 (18), 91 → 72.8 (1 beyond and 17.2 within), 200 → 160 (40, all beyond): 41.2 of the 82.2 lost had refusion
    ("2024-03-01", STAYS + "  whole_years_share: {value: 0, source: test}\n", 205.5 * 41.2 / 82.2),
    # half and half
    ("2024-03-01", STAYS + "  whole_years_share: {value: 0.5, source: test}\n", 205.5 * (300 / 411 + 41.2 / 82.2) / 2),
], ids=["before-2023-10-01", "whole-citizen-years", "within-share", "shortened-stays", "mix"])
def test_refusion_split(tmp_path, date, extra, state_nights):
    r = run_text(tmp_path, REFUSION.format(date=date, extra=extra), "refusion")
    kommune, region, stat = r.array("savings", "year", "payer")[0]
    # the state pays 50 % of 1,700 kr. for the nights with refusion; the municipality the rest of all 205.5 nights
    assert stat == pytest.approx(state_nights * 850)
    assert kommune == pytest.approx(205.5 * 1700 - state_nights * 850)
    assert region == 0
    assert r.scalar("state_share_110") == pytest.approx(state_nights / 205.5 / 2)
    assert r.scalar("refusion_2023") == (date >= "2023-10-01")


def test_refusion_split_by_the_rule_and_its_parameters(tmp_path):
    # 60 of 100 refunded days a year and a share of 40 %: of 30, 90, 91, 200 nights 30 + 60 + 60 + 60 = 210 of 411 are refunded
    extra = STAYS + "  refusion_days: {value: 60, source: test}\n  refusion_share: {value: 0.4, source: test}\n"
    r = run_text(tmp_path, REFUSION.format(date="2024-03-01", extra=extra), "refusion")
    assert r.array("savings", "year", "payer")[0][2] == pytest.approx(205.5 * 1700 * 0.4 * 210 / 411)
    # the rule's date is a parameter too: a case priced in 2024 keeps the old split under a rule from 2025
    r = run_text(tmp_path, REFUSION.format(date="2024-03-01", extra=STAYS + "  refusion_from: {value: 2025-01-01, source: test}\n"), "refusion")
    assert r.array("savings", "year", "payer")[0][2] == pytest.approx(205.5 * 850)


def test_refusion_rule_is_printed(tmp_path, run_cli):
    (tmp_path / "refusion.yaml").write_text(REFUSION.format(date="2024-03-01", extra=STAYS), encoding="utf-8")
    code, out = run_cli(["som", "refusion.yaml"], cwd=tmp_path)
    assert code == 0, out
    assert ("§ 110-refusion: reglen fra 2023-10-01 – staten refunderer 50 % af kommunens udgift til de første 90 døgn pr. borger pr. år "
            "(casen er beregnet 2024-03-01); 73,0 % af de sparede herbergsdøgn havde refusion (hele borgerår falder bort), "
            "så staten bærer 36,5 % og kommunen 63,5 %") in out
    code, out = run_cli(["som", "refusion.yaml", "--format", "json"], cwd=tmp_path)
    refusion = json.loads(out)["refusion"]
    assert refusion["rule"] == "2023" and refusion["priced_on"] == "2024-03-01" and refusion["refunded_share_saved"] == pytest.approx(300 / 411)
    code, out = run_cli(["som", "refusion.yaml", "--format", "md"], cwd=tmp_path)
    assert "(`refusion_2023`) = ja" in out  # a true/false formula is shown as a word, not as 1
    (tmp_path / "refusion.yaml").write_text(REFUSION.format(date="2021-06-30", extra=STAYS), encoding="utf-8")
    code, out = run_cli(["som", "refusion.yaml", "--lang", "en"], cwd=tmp_path)
    assert ("Section 110 refusion: the prices are split as given – the rule before 2023-10-01, as the case is priced 2021-06-30; "
            "the state bears 50.0 % and the municipality 50.0 % of the price of a section 110 night") in out


def test_refusion_without_a_date_warns_and_keeps_the_old_split(tmp_path, run_cli):
    text = REFUSION.format(date="2024-03-01", extra=STAYS).replace("  priced_on: {value: 2024-03-01, source: test}\n", "")
    (tmp_path / "refusion.yaml").write_text(text, encoding="utf-8")
    for command in ("som", "validate"):
        code, out = run_cli([command, "refusion.yaml"], cwd=tmp_path)
        assert code == 0 and "advarsel[HF719]" in out, out
    code, out = run_cli(["som", "refusion.yaml"], cwd=tmp_path)
    assert "da scenariet ikke angiver en beregningsdato (`priced_on`)" in out


@pytest.mark.parametrize("extra, needle, message", [
    ("", "priced_on:", "does not say how many nights each citizen stays a year"),
    (STAYS + "  within_share: {value: 0.7, source: test}\n", "within_share:", "given twice"),
    ("  within_share: {value: 0.7, source: test}\n  whole_years_share: {value: 1, source: test, range: {dist: uniform, low: 0.5, high: 1}}\n",
     "whole_years_share:", "shortened stays"),
], ids=["no-nights", "both", "shortened-without-distribution"])
def test_refusion_mistakes(tmp_path, run_cli, extra, needle, message):
    text = REFUSION.format(date="2024-03-01", extra=extra)
    (tmp_path / "refusion.yaml").write_text(text, encoding="utf-8")
    for command in ("som", "validate"):
        code, out = run_cli([command, "refusion.yaml", "--lang", "en"], cwd=tmp_path)
        assert code == 1 and "error[HF716]" in out and message in out, out
        assert f"--> refusion.yaml:{_line_of(text, needle)}:" in out and "hint:" in out


# --- the format: reading values as the docs say ------------------------------------------------

def test_a_consequence_may_be_called_unit_or_source(tmp_path):
    text = WAVE.replace("consequence: [herberg]", "consequence: [unit, source]").replace(
        "  dq: {value: {herberg: [-1, 0, -1.6]}, source: test}", "  dq: {unit: [-1, 0, -1.6], source: [0, 0, 0]}").replace(
        "  price: {value: {herberg: {kommune: 100, region: 0, stat: 50}}, source: test}",
        "  price: {unit: {kommune: 100, region: 0, stat: 50}, source: {kommune: 1, region: 1, stat: 1}}")
    r = run_text(tmp_path, text, "wave")
    assert r.array("savings", "year", "payer")[0].tolist() == [1000, 0, 500]


@pytest.mark.parametrize("change, code, needle, message, hint", [
    # `source:` and `range:` beside a bare mapping of values: the user forgot `value:`
    (("  price: {value: {herberg: {kommune: 100, region: 0, stat: 50}}, source: test}",
      "  price:\n    herberg: {kommune: 100, region: 0, stat: 50}\n    source: test"), "HF717", "    source: test",
     "`price` has `source:` but no `value:`", "write the numbers under `value:`"),
    (("  success_rate: {value: 1, source: test}", "  success_rate: {source: test, range: {dist: uniform, low: 0.5, high: 1}}"), "HF717",
     "success_rate:", "`success_rate` has `range:` but no `value:`", "beside `range:`, `source:`"),
    # a list of consequences longer than `since`
    (("[-1, 0, -1.6]", "[-1, 0, -1.6, -2]"), "HF702", "dq:", "4 values for dimension `since`, which has 3",
     "`dimensions: {since: [0, 1, 2, 3]}`"),
    (("  participants: {value: [10], source: test}", "  participants: {value: [10, 12], source: test}"), "HF702", "participants:",
     "2 values for dimension `cohort`", "`dimensions: {cohort: [1, 2]}`"),
    (("  priced_on: {value: 2021-06-30, source: test}", "  priced_on: {value: 30-06-2021, source: test}"), "HF718", "priced_on:",
     "`priced_on` needs a date", "2024-03-01"),
    (("  priced_on: {value: 2021-06-30, source: test}", "  priced_on: {value: 2021-06-30, source: test, range: {dist: uniform, low: 0, high: 1}}"),
     "HF708", "priced_on:", "`priced_on` is a date and cannot have a range", "remove `range:`"),
    (("  success_rate: {value: 1, source: test}", "  success_rate: {value: 1, source: test}\n  discount_first_year: {value: false, source: test}"),
     "HF705", "discount_first_year:", "`discount_first_year` is not an input", "`discount_timing: start_of_year`"),
    (("price_year: 2021", "price_year: 2021\ndiscount_timing: mid_year"), "HF711", "discount_timing:", "given twice", "keep one"),
], ids=["source-without-value", "range-without-value", "dq-too-long", "participants-too-long", "not-a-date", "date-with-range",
        "discount-first-year-replaced", "timing-twice"])
def test_format_mistakes_are_located_with_a_hint(tmp_path, run_cli, change, code, needle, message, hint):
    text = WAVE.replace(*change)
    assert text != WAVE
    if code == "HF711":
        text += "  discount_timing: {value: 0.5, source: test}\n"
    (tmp_path / "wave.yaml").write_text(text, encoding="utf-8")
    exit_code, out = run_cli(["som", "wave.yaml", "--lang", "en"], cwd=tmp_path)
    assert exit_code == 1, out
    assert f"error[{code}]" in out and message in out and hint in out, out
    assert f"--> wave.yaml:{_line_of(text, needle)}:" in out
    assert "Traceback" not in out


def test_a_short_dq_list_ends_with_zeros(tmp_path):
    # docs/som.md: years after the last one given count as 0 (`fill: 0` on `dq` in the model)
    r = run_text(tmp_path, WAVE.replace("[-1, 0, -1.6]", "[-1]"), "wave")
    assert r.array("dq", "consequence", "since").tolist() == [[-1, 0, 0]]
    assert r.array("savings", "year", "payer")[:, 0].tolist() == [1000, 0, 0]


@pytest.mark.parametrize("scenario", SHIPPED)
def test_every_shipped_scenario_states_its_convention_and_refusion_rule(shipped_project, run_cli, scenario):
    spec = shipped_project.scenarios[scenario]
    assert spec.discount_timing in ("end_of_year", "mid_year", "start_of_year")
    assert "priced_on" in spec.inputs
    code, out = run_cli(["som", scenario])
    assert code == 0 and "warning" not in out, out
    headline, refusion = out.splitlines()[1:3]
    assert "diskontering: " in headline and "beløb " in headline
    assert refusion.startswith("§ 110-refusion: ")
    rule = "reglen fra 2023-10-01 –" if spec.inputs["priced_on"]["value"] >= "2023-10-01" else "reglen før 2023-10-01, da casen er beregnet"
    assert rule in refusion


def test_json_fields_are_documented(vejle):
    from hfspec.som.render import result_data

    data = result_data(vejle, None, None)
    docs = (ROOT / "docs" / "som.md").read_text(encoding="utf-8")
    fields = [*data, *data["scenario"], *data["refusion"], *data["summary"], *data["summary"]["total"]]
    missing = [f for f in fields if f"`{f}`" not in docs]
    assert not missing, missing
