"""SØM results (engine.som) → terminal text, JSON, CSV, and the Markdown/HTML report.

The report follows the way the municipalities of the investment fund presented SØM to their
management: step by step through the assumptions and estimates (target group, intervention,
participants, success, consequences, prices, costs), then the result, its sensitivity and its
uncertainty, and finally every formula of the model in words. `report_context()` turns the
results into plain dicts, lists, strings and numbers; the templates `som.md.j2` and
`som.html.j2` (sandboxed, HTML autoescaped) never see engine objects.
"""

from __future__ import annotations

from pathlib import Path

import base64
import io
import json
import math
from typing import Any

import numpy as np

from hfspec.version import __version__
from hfspec.render.spreadsheet import CsvWriter
from hfspec.som.scenario import DISCOUNT_TIMINGS, Range, date_of
from hfspec.som.model import METRIC, Irr, MonteCarlo, Sensitivity, SomResult, Summary, internal_rates
from hfspec.words import SOM, SOM_REPORT, format_number, plural
from hfspec.spec.model import Text

#: The version of the JSON format (`format` in the JSON output); documented in docs/som.md.
JSON_FORMAT = "hfspec-som/2"

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The inputs shown under "Succes" and under "Omkostninger" in the report, in this order.
SUCCESS_INPUTS = ("success_rate", "deadweight")
COST_INPUTS = ("startup_cost", "running_cost", "running_years", "course_cost", "course_years", "support_hours", "hourly_cost", "alternative_cost")
#: The inputs of the section 110 refusion rule, shown with the prices.
REFUSION_INPUTS = ("priced_on", "refusion_from", "refusion_share", "refusion_days", "within_share", "whole_years_share")


def _text(value: Any, lang: str) -> str:
    """A spec text (a `Text`, a string or `{da, en}`) in the chosen language; '' when absent."""
    text = value if isinstance(value, Text) else Text.of(value)
    return text.get(lang) if text else ""


class _Facts:
    """Everything the formats share, computed once from the engine results."""

    def __init__(self, result: SomResult, lang: str):
        self.r = result
        self.lang = lang
        self.w = SOM[lang]
        inputs = result.inputs
        self.scenario = inputs.scenario
        self.model = inputs.model
        self.years = list(result.years)
        self.payers = [str(p) for p in result.payers]
        self.horizon = self.years[-1] if self.years else 0
        self.df = result.array("discount_factor", "year")
        self.discounted = bool(np.any(np.abs(self.df - 1.0) > 1e-12))
        self.net_pv = result.array("net_pv", "year", "payer")
        self.net = result.array("net", "year", "payer")
        self.acc = result.array("acc", "year", "payer")
        self.acc_total = result.array("acc_total", "year")
        self.savings = result.array("savings", "year", "payer") * self.df[:, None]
        self.costs = result.array("costs", "year", "payer") * self.df[:, None]
        self.break_even = result.scalar("break_even")
        self.ret = result.scalar("return_per_krone")
        self.cps = result.scalar("cost_per_success")
        self.successes = result.scalar("successes_total")
        self.result_total = result.scalar(METRIC)
        self.participants = None
        if "participants" in result.values and "cohort" in self.model.dimensions:
            started = [float(c) <= float(self.horizon) for c in self.model.dimensions["cohort"]]  # as successes_total counts
            self.participants = float(np.sum(result.array("participants", "cohort")[started]))
        self.lasting = result.scalar("lasting_break_even")
        self.irr_by_payer, self.irr_total = internal_rates(result)
        self.exponents = result.array("exponent", "year")

    def key_results(self) -> list[dict[str, Any]]:
        """One entry per payer and one for the total: savings, costs, net result (present values
        over the horizon), return per krone, first and lasting break-even year, internal rate of
        return; a value that cannot be given is None with its reason in `*_note`."""
        r = self.r
        columns = [(p, self.payer(p), *(float(r.array(name, "payer")[j]) for name in (
                    "savings_by_payer", "costs_by_payer", "result_by_payer", "return_by_payer", "break_even_by_payer", "lasting_break_even_by_payer")),
                    self.irr_by_payer[p]) for j, p in enumerate(self.payers)]
        columns.append(("total", self.w["total"], r.scalar("savings_total"), r.scalar("costs_total"), self.result_total, self.ret,
                        self.break_even, self.lasting, self.irr_total))
        out = []
        for key, name, savings, costs, net, ret, first, lasting, irr in columns:
            ret, first, lasting = (None if v is None or math.isnan(v) else v for v in (ret, first, lasting))
            out.append({"id": key, "name": name, "savings": savings, "costs": costs, "net": net, "return_per_krone": ret,
                        "return_per_krone_note": None if ret is not None else ("no_costs" if costs == 0 else "negative_costs" if costs < 0 else None),
                        "break_even_year": None if first is None else int(first), "lasting_break_even_year": None if lasting is None else int(lasting),
                        "irr": irr.rate, "irr_note": irr.note})
        return out

    def timing_key(self) -> str | None:
        """The convention word (`end_of_year`, `mid_year`, `start_of_year`) of the model's timing, if it is one."""
        first = float(self.exponents[0]) - (float(self.years[0]) - 1) if self.years else 1.0
        return next((k for k, v in DISCOUNT_TIMINGS.items() if abs(v - first) < 1e-12), None)

    def timing_text(self) -> str:
        key = self.timing_key()
        if key is not None:
            return self.w["timing"][key]
        first = float(self.exponents[0]) - (float(self.years[0]) - 1)
        return self.w["timing_other"].format(x=format_number(first, None, self.lang, 2, trim=True))

    def date_input(self, name: str):
        value = self.r.inputs.values.get(name)
        return None if value is None else date_of(value.scalar())

    def refusion_key(self) -> str:
        """`2023` (the rule of 2023 applies), `before_2023` (priced before it) or `no_date` (no calculation date)."""
        if self.r.scalar("refusion_2023"):
            return "2023"
        return "before_2023" if self.date_input("priced_on") is not None else "no_date"

    def assumption_text(self) -> str:
        theta = self.r.inputs.values["whole_years_share"].scalar()
        kinds = self.w["assumption"]
        if theta >= 1 or np.all(np.isnan(self.r.inputs.values["stay_nights"].data)):
            return kinds["whole"]
        return kinds["shortened"] if theta <= 0 else kinds["mix"].format(x=format_number(theta, "share", self.lang))

    def refusion_text(self) -> str:
        """The section 110 refusion rule in force for the scenario and what it does, in one sentence."""
        w, lang = self.w, self.lang
        start = format_number(self.date_input("refusion_from"), None, lang)
        priced = format_number(self.date_input("priced_on"), None, lang)
        state = self.r.scalar("state_share_110")
        nights = self.r.array("nights_saved", "year")
        falls = bool(np.any(np.nan_to_num(nights) != 0))
        if self.refusion_key() == "2023":
            share = self.r.inputs.values["refusion_share"].scalar()
            days = self.r.inputs.values["refusion_days"].scalar()
            text = w["refusion_2023"].format(d=start, s=format_number(share, "share", lang, trim=True), n=format_number(days, None, lang, 0), p=priced)
            saved = self.r.scalar("refunded_share_saved")
            if falls and saved is not None and state is not None:
                text += "; " + w["refusion_split"].format(w=format_number(saved, "share", lang), a=self.assumption_text(),
                                                            st=format_number(state, "share", lang), k=format_number(1 - state, "share", lang))
        else:
            key = "refusion_old" if self.refusion_key() == "before_2023" else "refusion_no_date"
            text = w[key].format(d=start, p=priced)
            if falls and state is not None:
                text += "; " + w["refusion_old_split"].format(st=format_number(state, "share", lang), k=format_number(1 - state, "share", lang))
        if not falls:
            text += "; " + w["refusion_no_nights"]
        return f"{w['refusion']}: {text}"

    def payer(self, p: str) -> str:
        return self.w["payers"].get(p, p)

    def input_title(self, name: str) -> str:
        spec = self.model.spec.inputs.get(name, {})
        return _text(spec.get("title"), self.lang) or name

    def discount_text(self) -> str:
        """The discount rate and the convention of when amounts fall (printed in every output)."""
        setting = self.scenario.discount
        rates = self.r.inputs.values.get("discount_rate")
        if not self.discounted and (rates is None or not np.any(rates.data)):
            text = self.w["no_rate"]
        elif isinstance(setting, str) and setting in self.w["discount_text"]:
            text = self.w["discount_text"][setting]
        else:
            values = sorted({float(v) for v in np.ravel(rates.data)}) if rates is not None else []
            text = " / ".join(self.w["rate"].format(r=format_number(v * 100, None, self.lang, 1, whole=True)) for v in values)
        return f"{self.w['discount']}: {text}; {self.timing_text()}"

    def headline(self) -> str:
        bits = [self.w["fixed_prices"].format(y=self.scenario.price_year) if self.scenario.price_year else self.w["prices_as_given"],
                plural(self.w["years"], len(self.years)), self.discount_text()]
        return f"{self.w['model']} {self.model.id} · " + " · ".join(bits)

    def break_even_text(self) -> str:
        if self.break_even is None:
            return plural(self.w["break_even_none"], len(self.years))
        return self.w["break_even_year"].format(y=int(self.break_even))

    def return_text(self) -> str:
        total = self.key_results()[-1]
        return self.ret_cell(total) if self.ret is not None else f"– ({self.w['why_return'][total['return_per_krone_note'] or 'no_costs']})"

    def lasting_text(self) -> str:
        return self.w["lasting_none"].format(n=len(self.years)) if self.lasting is None else self.w["break_even_year"].format(y=int(self.lasting))

    def irr_text(self) -> str:
        irr = self.irr_total
        return format_number(irr.rate, "share", self.lang) if irr.rate is not None else f"– ({self.w['why_irr'][irr.note]})"

    def ret_cell(self, column: dict) -> str:
        v = column["return_per_krone"]
        return "–" if v is None else f"{format_number(v, None, self.lang, 2)} {self.w['kr']}"

    def year_cell(self, year: int | None) -> str:
        return self.w["lasting_none"].format(n=len(self.years)) if year is None else self.w["break_even_year"].format(y=year)

    def key_table(self) -> tuple[list[str], list[list[str]], list[str]]:
        """The key results as a table (a row per measure, a column per payer and the total) and
        a note for each value that cannot be given, saying why."""
        w, lang = self.w, self.lang
        columns = self.key_results()
        header = ["", *[c["name"] for c in columns]]
        names = w["key_rows"]
        rows = [[names["savings"], *[format_number(c["savings"], None, lang, 0) for c in columns]],
                [names["costs"], *[format_number(c["costs"], None, lang, 0) for c in columns]],
                [names["net"], *[format_number(c["net"], None, lang, 0) for c in columns]],
                [names["return"], *[self.ret_cell(c) for c in columns]],
                [names["break_even"], *[self.year_cell(c["break_even_year"]) for c in columns]],
                [names["lasting"], *[self.year_cell(c["lasting_break_even_year"]) for c in columns]],
                [names["irr"], *["–" if c["irr"] is None else format_number(c["irr"], "share", lang) for c in columns]]]
        notes = [w["note"].format(what=names["return"].capitalize(), who=c["name"], why=w["why_return"][c["return_per_krone_note"]])
                 for c in columns if c["return_per_krone_note"]]
        notes += [w["note"].format(what=names["irr"].capitalize(), who=c["name"], why=w["why_irr"][c["irr_note"]]) for c in columns if c["irr_note"]]
        notes.append(w["irr_timing"].format(timing=self.timing_text()))
        return header, rows, notes

    def net_rows(self) -> tuple[list[str], list[list[str]]]:
        header = [self.w["year"], *[self.payer(p) for p in self.payers], self.w["total"], self.w["acc_total"]]
        rows = []
        for i, y in enumerate(self.years):
            rows.append([str(y), *[format_number(v, None, self.lang, 0) for v in self.net_pv[i]], format_number(self.net_pv[i].sum(), None, self.lang, 0), format_number(self.acc_total[i], None, self.lang, 0)])
        rows.append([self.w["total"], *[format_number(v, None, self.lang, 0) for v in self.net_pv.sum(axis=0)], format_number(self.net_pv.sum(), None, self.lang, 0), ""])
        return header, rows

    def acc_rows(self) -> tuple[list[str], list[list[str]]]:
        header = [self.w["year"], *[self.payer(p) for p in self.payers], self.w["total"]]
        rows = [[str(y), *[format_number(v, None, self.lang, 0) for v in self.acc[i]], format_number(self.acc_total[i], None, self.lang, 0)] for i, y in enumerate(self.years)]
        return header, rows

    def range_text(self, r: Range, unit: str | None) -> str:
        w = self.w
        dist = w["dists"].get(r.dist, r.dist)
        def show(v: float | None) -> str:
            if v is None:
                return "–"
            if r.relative:
                return format_number(float(v), None, self.lang, 2)
            return format_number(v, "share", self.lang) if unit == "share" else format_number(v, None, self.lang, whole=True)
        prefix = f"{dist}, {w['factor']} " if r.relative else f"{dist} "
        if r.dist == "normal":
            centre = show(r.mean)
            sd = format_number(float(r.sd), None, self.lang, 2) if r.relative or unit != "share" else format_number(r.sd, "share", self.lang)
            cut = f" [{show(r.low)}–{show(r.high)}]" if r.low is not None or r.high is not None else ""
            return f"{prefix}{centre} ± {w['sd']} {sd}{cut}"
        text = f"{prefix}{show(r.low)}–{show(r.high)}"
        if r.dist == "triangular" and r.mode is not None:
            text += f" ({w['mode']} {show(r.mode)})"
        return text

    def bound_text(self, name: str, value: float, relative: bool) -> str:
        if relative:
            return f"× {format_number(float(value), None, self.lang, 2)}"
        unit = self.model.spec.inputs.get(name, {}).get("unit")
        return format_number(value, "share", self.lang) if unit == "share" else format_number(value, None, self.lang, whole=True)


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    def line(cells):
        return indent + "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(cells)).rstrip()
    return [line(header), indent + "  ".join("─" * w for w in widths), *[line(r) for r in rows]]


def text_report(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None, lang: str = "da") -> str:
    """The terminal output: tables per year and payer, accumulated, key figures, sensitivity, Monte Carlo."""
    f = _Facts(result, lang)
    w = f.w
    out = [f"SØM · {_text(f.scenario.title, lang) or f.scenario.id}", f.headline(), f.refusion_text(), ""]
    out.append(w["net_table_pv"] if f.discounted else w["net_table"])
    out += _table(*f.net_rows())
    header, rows, notes = f.key_table()
    out += ["", w["acc_table"], *_table(*f.acc_rows()), "", w["key_table"], *_table(header, rows), f"  {w['notes']}:", *[f"  - {n}" for n in notes], ""]
    facts = [(w["break_even"], f.break_even_text()), (w["lasting_break_even"], f.lasting_text()), (w["return"], f.return_text()),
             (w["irr"], f.irr_text()),
             (w["cost_per_success"], f"{format_number(f.cps, None, lang, 0)} {w['kr']}" if f.cps is not None else "–"),
             (w["successes"], f"{format_number(f.successes, None, lang, 1)}" + (f" ({w['of_participants'].format(n=format_number(f.participants, None, lang, whole=True))})" if f.participants is not None else ""))]
    width = max(len(k) for k, _ in facts)
    out += [f"{k + ':':<{width + 1}} {v}" for k, v in facts]
    if sens is not None:
        out += ["", *sensitivity_lines(f, sens)]
    if mc is not None:
        out += ["", *monte_carlo_lines(f, mc)]
    return "\n".join(out) + "\n"


def switching_text(f: _Facts, sens: Sensitivity) -> str:
    """The switching value in words: `Skifteværdi for succesrate: 17,3 % – …` or `… ingen i 0–100 %`."""
    w = f.w
    title = f.input_title(sens.switching_input).lower()
    unit = f.model.spec.inputs.get(sens.switching_input, {}).get("unit")
    if sens.switching_value is None:
        lo, hi = sens.switching_bounds
        if unit == "share":
            return w["switching_none"].format(input=title, lo=format_number(lo * 100, None, f.lang, whole=True), hi=format_number(hi * 100, None, f.lang, whole=True) + " %")
        return w["switching_none"].format(input=title, lo=format_number(lo, None, f.lang, whole=True), hi=format_number(hi, None, f.lang, whole=True))
    shown = format_number(sens.switching_value, "share", f.lang) if unit == "share" else format_number(sens.switching_value, None, f.lang, 4)
    return w["switching"].format(input=title, v=shown, n=f.horizon)


def sensitivity_rows(f: _Facts, sens: Sensitivity) -> list[list[str]]:
    return [[f.input_title(r.input), f.bound_text(r.input, r.low, r.relative), f.bound_text(r.input, r.high, r.relative),
             format_number(r.result_low, None, f.lang, 0), format_number(r.result_high, None, f.lang, 0), format_number(r.swing, None, f.lang, 0)] for r in sens.rows]


def sensitivity_lines(f: _Facts, sens: Sensitivity) -> list[str]:
    w = f.w
    out = [w["sens_title"], "  " + w["sens_metric"].format(n=f.horizon, b=format_number(sens.base, None, f.lang, 0))]
    if sens.rows:
        out += _table(w["sens_cols"], sensitivity_rows(f, sens))
    else:
        out.append("  " + w["sens_none"])
    out.append(switching_text(f, sens))
    return out


def monte_carlo_rows(f: _Facts, mc: MonteCarlo) -> list[list[str]]:
    def row(label: str, s: Summary) -> list[str]:
        return [label, format_number(s.prob_positive, "share", f.lang), format_number(s.p10, None, f.lang, 0), format_number(s.p50, None, f.lang, 0), format_number(s.p90, None, f.lang, 0), format_number(s.mean, None, f.lang, 0)]
    return [row(f.payer(p), s) for p, s in mc.by_payer.items()] + [row(f.w["total"], mc.total)]


def monte_carlo_lines(f: _Facts, mc: MonteCarlo) -> list[str]:
    w = f.w
    out = [w["mc_title"].format(n=format_number(mc.draws, None, f.lang, whole=True), s=mc.seed), "  " + w["mc_metric"].format(n=f.horizon)]
    out += _table(w["mc_cols"], monte_carlo_rows(f, mc))
    out.append(w["mc_break_even"].format(v=format_number(mc.break_even_share, "share", f.lang)))
    rk = mc.return_per_krone
    out.append(w["mc_return"].format(p10=format_number(rk.p10, None, f.lang, 2), p50=format_number(rk.p50, None, f.lang, 2), p90=format_number(rk.p90, None, f.lang, 2)))
    out.append(w["mc_varied"].format(names=", ".join(f.input_title(n) for n in mc.uncertain)) if mc.uncertain else w["mc_none"])
    return out


# ---------------------------------------------------------------------------------------------
# JSON and CSV: language-neutral numbers for other tools


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else value + 0.0
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _summary(s: Summary) -> dict[str, float]:
    return {"prob_positive": s.prob_positive, "mean": s.mean, "p10": s.p10, "p50": s.p50, "p90": s.p90}


def result_data(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None) -> dict[str, Any]:
    """Everything as plain, language-neutral data (the JSON format `hfspec-som/2`, docs/som.md)."""
    f = _Facts(result, "en")
    scenario = f.scenario
    per_year = []
    savings, costs = result.array("savings", "year", "payer"), result.array("costs", "year", "payer")
    for i, y in enumerate(f.years):
        for j, p in enumerate(f.payers):
            per_year.append({"year": y, "payer": p, "savings": float(savings[i, j]), "costs": float(costs[i, j]), "net": float(f.net[i, j]),
                             "discount_factor": float(f.df[i]), "net_pv": float(f.net_pv[i, j]), "acc": float(f.acc[i, j])})
    columns = f.key_results()
    values = result.inputs.values

    def day(name: str) -> str | None:
        d = f.date_input(name)
        return None if d is None else d.isoformat()
    nights = result.array("nights_saved", "year")
    data: dict[str, Any] = {
        "format": JSON_FORMAT,
        "scenario": {"id": scenario.id, "title": scenario.title.as_dict() if scenario.title else None, "model": f.model.id,
                     "price_year": scenario.price_year, "years": f.years, "payers": f.payers,
                     "discount": scenario.discount if scenario.discount is not None else None, "discounted": f.discounted,
                     "discount_timing": f.timing_key(), "discount_exponents": [float(e) for e in f.exponents]},
        "refusion": {"rule": f.refusion_key(), "priced_on": day("priced_on"), "rule_from": day("refusion_from"),
                     "share": values["refusion_share"].scalar(), "days": values["refusion_days"].scalar(),
                     "whole_years_share": values["whole_years_share"].scalar(),
                     "nights_saved": float(np.nansum(nights)) if not np.all(np.isnan(nights)) else None,
                     "refunded_share_saved": result.scalar("refunded_share_saved") if f.refusion_key() == "2023" else None,
                     "state_share": result.scalar("state_share_110")},
        "per_year": per_year,
        "acc_total": [float(v) for v in f.acc_total],
        "summary": {"total": {k: v for k, v in columns[-1].items() if k not in ("id", "name")},
                    "by_payer": {c["id"]: {k: v for k, v in c.items() if k not in ("id", "name")} for c in columns[:-1]},
                    "cost_per_success": f.cps, "successes_total": f.successes, "participants": f.participants},
        "sensitivity": None, "monte_carlo": None,
    }
    if sens is not None:
        data["sensitivity"] = {"metric": METRIC, "base": sens.base,
                               "rows": [{"input": r.input, "low": r.low, "high": r.high, "relative": r.relative, "result_low": r.result_low,
                                         "result_high": r.result_high, "swing": r.swing} for r in sens.rows],
                               "switching": {"input": sens.switching_input, "value": sens.switching_value, "searched": list(sens.switching_bounds)}}
    if mc is not None:
        data["monte_carlo"] = {"draws": mc.draws, "seed": mc.seed, "metric": METRIC, "uncertain": mc.uncertain,
                               "by_payer": {p: _summary(s) for p, s in mc.by_payer.items()}, "total": _summary(mc.total),
                               "acc_total_by_year": mc.acc_total_by_year, "break_even_share": mc.break_even_share,
                               "return_per_krone": _summary(mc.return_per_krone)}
    return _clean(data)


def json_report(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None) -> str:
    return json.dumps(result_data(result, sens, mc), ensure_ascii=False, indent=2) + "\n"


#: Columns of the long CSV format: one value per row.
CSV_COLUMNS = ("section", "year", "payer", "input", "measure", "value")


def csv_report(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None) -> str:
    """One long table: `section` is setting, result, summary, sensitivity or monte_carlo."""
    data = result_data(result, sens, mc)
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    def put(section, year, payer, inp, measure, value):
        writer.writerow([section, "" if year is None else year, payer or "", inp or "", measure, "" if value is None else repr(float(value)) if isinstance(value, float) else value])
    put("setting", None, None, None, "discount", data["scenario"]["discount"])
    put("setting", None, None, None, "discount_timing", data["scenario"]["discount_timing"])
    for measure in ("rule", "priced_on", "rule_from", "share", "days", "whole_years_share"):
        put("setting", None, None, None, f"refusion_{measure}", data["refusion"][measure])
    for row in data["per_year"]:
        for measure in ("savings", "costs", "net", "discount_factor", "net_pv", "acc"):
            put("result", row["year"], row["payer"], None, measure, row[measure])
    for year, value in zip(data["scenario"]["years"], data["acc_total"]):
        put("result", year, "total", None, "acc", value)
    summary = data["summary"]
    for payer, values in [*summary["by_payer"].items(), ("total", summary["total"])]:
        for measure, value in values.items():
            put("summary", None, payer, None, measure, value)
    for key in ("cost_per_success", "successes_total", "participants"):
        put("summary", None, "total", None, key, summary[key])
    for measure in ("nights_saved", "refunded_share_saved", "state_share"):
        put("summary", None, "total", None, f"refusion_{measure}", data["refusion"][measure])
    if data["sensitivity"]:
        s = data["sensitivity"]
        put("sensitivity", None, "total", None, "base", s["base"])
        for row in s["rows"]:
            for measure in ("low", "high", "result_low", "result_high", "swing"):
                put("sensitivity", None, "total", row["input"], measure, row[measure])
        put("sensitivity", None, "total", s["switching"]["input"], "switching_value", s["switching"]["value"])
    if data["monte_carlo"]:
        m = data["monte_carlo"]
        for payer, summary in [*m["by_payer"].items(), ("total", m["total"])]:
            for measure, value in summary.items():
                put("monte_carlo", None, payer, None, measure, value)
        put("monte_carlo", None, "total", None, "break_even_share", m["break_even_share"])
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The rendered report (Markdown, HTML)


def _value_text(f: _Facts, name: str) -> str:
    """An input's value in one line: `13 · 13 · 12`, `kommune 250.000 · region 0 · stat 0`, `50,0 %`."""
    spec = f.model.spec.inputs.get(name, {})
    value = f.r.inputs.values[name]
    unit = spec.get("unit")
    fmt = (lambda v: format_number(v, "share", f.lang)) if unit == "share" else (lambda v: format_number(v, None, f.lang, 0)) if unit == "kr" else (lambda v: format_number(v, None, f.lang, 2, whole=True))
    if spec.get("type") == "boolean":
        return format_number(bool(value.scalar()), None, f.lang)
    if spec.get("type") == "date":
        return format_number(date_of(value.scalar()), None, f.lang)
    if not value.dims:
        return fmt(value.scalar())
    if len(value.dims) == 1:
        dim = value.dims[0]
        coords = f.model.dimensions[dim]
        labels = [f.payer(str(c)) if dim == "payer" else f"{SOM_REPORT[f.lang]['cohort']} {c}" if dim == "cohort" else str(c) for c in coords]
        return " · ".join(f"{lab}: {fmt(v)}" for lab, v in zip(labels, value.data))
    return ""  # tables are shown separately


def _inputs_context(f: _Facts) -> dict[str, dict[str, Any]]:
    out = {}
    scenario = f.scenario
    for name, spec in f.model.spec.inputs.items():
        if name not in f.r.inputs.values:
            continue
        raw = scenario.inputs.get(name)
        detail = raw if isinstance(raw, dict) and ("value" in raw or "from_eval" in raw) else {}
        r = f.r.inputs.ranges.get(name)
        note = ""
        if detail.get("price_year") is not None and scenario.price_year and detail["price_year"] != scenario.price_year:
            index = {int(k): float(v) for k, v in scenario.price_index.items()}
            a, b = index[int(detail["price_year"])], index[int(scenario.price_year)]
            note = SOM_REPORT[f.lang]["price_year_note"].format(y=detail["price_year"], a=format_number(a, None, f.lang, whole=True), b=format_number(b, None, f.lang, whole=True), f=format_number(b / a, None, f.lang, 4))
        evaluated = f.r.inputs.evaluated.get(name)
        from_data = None
        if evaluated is not None:
            where = ", ".join(f"{k} = {v}" for k, v in evaluated.where.items())
            from_data = (f"{evaluated.indicator} {evaluated.title.get(f.lang, '')}" + (f" ({where})" if where else "") +
                         f" = {format_number(evaluated.value, None, f.lang, 4 if abs(evaluated.value) < 10 else 1, whole=True)}" + (f", n = {evaluated.n}" if evaluated.n is not None else "") +
                         (f", × {format_number(evaluated.scale, None, f.lang, whole=True)}" if evaluated.scale != 1 else "") + f" · {evaluated.data}")
        source = f.r.inputs.sources.get(name)
        out[name] = {
            "name": name, "title": f.input_title(name), "description": _text(spec.get("description"), f.lang),
            "unit": spec.get("unit") or "", "value": _value_text(f, name), "set": raw is not None or (name == "discount_rate" and scenario.discount is not None),
            "source": _text(source, f.lang) if source else "", "range": f.range_text(r, spec.get("unit")) if r else "",
            "price_note": note, "from_data": from_data,
        }
    return out


def _matrix(f: _Facts, name: str, row_dim: str, col_dim: str) -> dict[str, Any]:
    coords = f.model.dimensions
    data = f.r.array(name, row_dim, col_dim) if name in f.r.values else None
    unit = f.model.spec.inputs.get(name, {}).get("unit")
    fmt = (lambda v: format_number(v, None, f.lang, 0)) if unit == "kr" else (lambda v: format_number(v, None, f.lang, 1, whole=True))
    header = [f.payer(str(c)) if col_dim == "payer" else str(c) for c in coords[col_dim]]
    rows = [{"label": str(rv), "cells": [fmt(v) for v in data[i]]} for i, rv in enumerate(coords[row_dim])] if data is not None else []
    return {"header": header, "rows": rows}


def _stays(f: _Facts) -> dict[str, Any] | None:
    """The nights per citizen-year that the refusion rule of 2023 splits the nights saved by
    (a table with a row per group), or None when the scenario gives none."""
    nights = f.r.inputs.values.get("stay_nights")
    if nights is None or np.all(np.isnan(nights.data)) or "stay_group" not in f.model.dimensions:
        return None
    weights = f.r.array("stay_citizen_years", "stay_group")
    rows = [{"label": str(g), "cells": [format_number(float(n), None, f.lang, 1, whole=True), format_number(float(c), None, f.lang, 2, whole=True)]}
            for g, n, c in zip(f.model.dimensions["stay_group"], f.r.array("stay_nights", "stay_group"), weights)]
    return {"header": [f.input_title("stay_nights"), f.input_title("stay_citizen_years")], "rows": rows}


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def report_context(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None, lang: str = "da", charts: bool = True) -> dict[str, Any]:
    """Everything the SØM templates receive, as plain data (documented in docs/som.md)."""
    f = _Facts(result, lang)
    w, rw = f.w, SOM_REPORT[lang]
    scenario = f.scenario
    inputs = _inputs_context(f)
    successes = result.array("successes", "cohort")
    participants = result.array("participants", "cohort") if "participants" in result.values else np.zeros_like(successes)
    cohorts = [{"cohort": str(c), "start_year": str(c), "participants": format_number(participants[i], None, lang, whole=True), "successes": format_number(successes[i], None, lang, 1)}
               for i, c in enumerate(f.model.dimensions["cohort"])]
    cost_names = [n for n in ("fixed_costs", "course_costs", "alternative_costs", "costs") if n in result.values]
    cost_rows = []
    for n in cost_names:
        per_year = result.array(n, "year", "payer").sum(axis=1)
        cost_rows.append({"label": rw["cost_rows"][n], "cells": [format_number(v, None, lang, 0) for v in per_year], "total": format_number(per_year.sum(), None, lang, 0)})
    formulas = []
    for name, spec in f.model.spec.formulas.items():
        value = result.values.get(name)
        shown = ""
        if value is not None and not value.dims:
            unit = spec.get("unit")
            v = result.scalar(name)
            boolean = name in f.model.formulas and f.model.formulas[name].type.kind.value == "boolean"
            shown = ("–" if v is None else format_number(bool(v), None, lang) if boolean
                     else (format_number(v, None, lang, 0) + " " + w["kr"]) if unit == "kr" else format_number(v, None, lang, 2, whole=True))
        dims = list(f.model.formulas[name].type.dims) if name in f.model.formulas else []
        formulas.append({"name": name, "title": _text(spec.get("title"), lang) or name, "description": _text(spec.get("description"), lang),
                         "expr": str(spec["expr"]).strip(), "dims": ", ".join(dims), "value": shown})
    net_header, net_rows = f.net_rows()
    acc_header, acc_rows = f.acc_rows()
    key_header, key_rows, key_notes = f.key_table()
    context: dict[str, Any] = {
        "lang": lang, "w": w, "t": rw, "generator": f"hfspec {__version__}",
        "scenario": {"id": scenario.id, "title": _text(scenario.title, lang) or scenario.id, "description": _text(scenario.description, lang),
                     "target_group": _text(scenario.raw.get("target_group"), lang), "intervention": _text(scenario.raw.get("intervention"), lang),
                     "illustrative": "ILLUSTRATIV" in (_text(scenario.title, "da") + _text(scenario.title, "en")).upper(),
                     "file": scenario.loc.file if scenario.loc else ""},
        "model": {"id": f.model.id, "title": _text(f.model.spec.title, lang), "description": _text(f.model.spec.description, lang)},
        "headline": f.headline(), "discount": f.discount_text(), "discounted": f.discounted, "refusion": f.refusion_text(),
        "stays": _stays(f),
        "years": [str(y) for y in f.years], "payers": [f.payer(p) for p in f.payers], "horizon": f.horizon,
        "inputs": inputs, "cohorts": cohorts, "success_inputs": list(SUCCESS_INPUTS), "cost_inputs": list(COST_INPUTS), "refusion_inputs": list(REFUSION_INPUTS),
        "consequences": _matrix(f, "dq", "consequence", "since") if "dq" in result.values else None,
        "prices": _matrix(f, "price", "consequence", "payer") if "price" in result.values else None,
        "costs": {"header": [str(y) for y in f.years], "rows": cost_rows},
        "tables": {"net": {"title": w["net_table_pv"] if f.discounted else w["net_table"], "header": net_header, "rows": net_rows},
                   "acc": {"title": w["acc_table"], "header": acc_header, "rows": acc_rows},
                   "sum": {"title": w["key_table"], "header": key_header, "rows": key_rows}},
        "key_notes": key_notes,
        "summary": [{"label": w["break_even"], "value": f.break_even_text()}, {"label": w["lasting_break_even"], "value": f.lasting_text()},
                    {"label": w["return"], "value": f.return_text()}, {"label": w["irr"], "value": f.irr_text()},
                    {"label": w["cost_per_success"], "value": f"{format_number(f.cps, None, lang, 0)} {w['kr']}" if f.cps is not None else "–"},
                    {"label": w["successes"], "value": format_number(f.successes, None, lang, 1) + (f" ({w['of_participants'].format(n=format_number(f.participants, None, lang, whole=True))})" if f.participants is not None else "")},
                    {"label": SOM[lang]["acc_total"].capitalize() + f" {w['year']} {f.horizon}", "value": f"{format_number(f.result_total, None, lang, 0)} {w['kr']}"}],
        "formulas": formulas,
        "sources": [{"title": i["title"], "source": i["source"], "from_data": i["from_data"], "price_note": i["price_note"]} for i in inputs.values() if i["set"]],
        "sensitivity": None, "monte_carlo": None, "charts": {"acc": None, "tornado": None, "mc": None},
    }
    if sens is not None:
        context["sensitivity"] = {"metric": w["sens_metric"].format(n=f.horizon, b=format_number(sens.base, None, lang, 0)), "header": w["sens_cols"],
                                  "rows": sensitivity_rows(f, sens), "switching": switching_text(f, sens), "empty": w["sens_none"]}
    if mc is not None:
        rk = mc.return_per_krone
        context["monte_carlo"] = {"title": w["mc_title"].format(n=format_number(mc.draws, None, lang, whole=True), s=mc.seed), "metric": w["mc_metric"].format(n=f.horizon),
                                  "header": w["mc_cols"], "rows": monte_carlo_rows(f, mc),
                                  "notes": [w["mc_break_even"].format(v=format_number(mc.break_even_share, "share", lang)),
                                            w["mc_return"].format(p10=format_number(rk.p10, None, lang, 2), p50=format_number(rk.p50, None, lang, 2), p90=format_number(rk.p90, None, lang, 2)),
                                            w["mc_varied"].format(names=", ".join(f.input_title(n) for n in mc.uncertain)) if mc.uncertain else w["mc_none"]]}
    if charts:
        context["charts"] = _charts(f, sens, mc)
    return context


def _charts(f: _Facts, sens: Sensitivity | None, mc: MonteCarlo | None) -> dict[str, dict[str, str] | None]:
    from hfspec.render.charts import line_chart, tornado_chart

    rw = SOM_REPORT[f.lang]
    series = {f.payer(p): list(zip(f.years, (float(v) for v in f.acc[:, j]))) for j, p in enumerate(f.payers)}
    series[f.w["total"]] = list(zip(f.years, (float(v) for v in f.acc_total)))
    out: dict[str, dict[str, str] | None] = {"acc": None, "tornado": None, "mc": None}
    svg = line_chart(series, rw["chart_acc"], xlabel=f.w["year"], zero_line=True, unit="kr", lang=f.lang)
    out["acc"] = {"svg": svg, "uri": _svg_data_uri(svg), "title": rw["chart_acc"]}
    if sens is not None and sens.rows:
        title = rw["chart_tornado"].format(n=f.horizon)
        svg = tornado_chart([(f.input_title(r.input), r.result_low, r.result_high) for r in sens.rows], sens.base, title,
                            labels=rw["tornado_labels"], unit="kr", lang=f.lang)
        out["tornado"] = {"svg": svg, "uri": _svg_data_uri(svg), "title": title}
    if mc is not None:
        fan = {k: list(zip(f.years, v)) for k, v in mc.acc_total_by_year.items()}
        svg = line_chart(fan, rw["chart_mc"], xlabel=f.w["year"], zero_line=True, unit="kr", lang=f.lang)
        out["mc"] = {"svg": svg, "uri": _svg_data_uri(svg), "title": rw["chart_mc"]}
    return out


def render_report(result: SomResult, sens: Sensitivity | None, mc: MonteCarlo | None, fmt: str = "html", lang: str = "da") -> str:
    """The SØM report as Markdown or one self-contained HTML file."""
    from hfspec.render.jinja_env import render_template

    text = render_template(f"som.{fmt}.j2", report_context(result, sens, mc, lang), None, lang, [TEMPLATES])
    return text if text.endswith("\n") else text + "\n"

