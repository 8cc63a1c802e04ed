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
import csv
import io
import json
import math
from typing import Any

import numpy as np

from hfspec.version import __version__
from hfspec.som.scenario import Range
from hfspec.som.model import METRIC, MonteCarlo, Sensitivity, SomResult, Summary
from hfspec.words import SOM, SOM_REPORT, format_number, plural
from hfspec.spec.model import Text

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The inputs shown under "Succes" and under "Omkostninger" in the report, in this order.
SUCCESS_INPUTS = ("success_rate", "deadweight")
COST_INPUTS = ("startup_cost", "running_cost", "running_years", "course_cost", "course_years", "support_hours", "hourly_cost", "alternative_cost")


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

    def payer(self, p: str) -> str:
        return self.w["payers"].get(p, p)

    def input_title(self, name: str) -> str:
        spec = self.model.spec.inputs.get(name, {})
        return _text(spec.get("title"), self.lang) or name

    def discount_text(self) -> str:
        setting = self.scenario.discount
        rates = self.r.inputs.values.get("discount_rate")
        first = self.r.inputs.values.get("discount_first_year")
        if not self.discounted and (rates is None or not np.any(rates.data)):
            return self.w["no_discount"]
        if isinstance(setting, str) and setting in self.w["discount_text"]:
            text = self.w["discount_text"][setting]
        else:
            values = sorted({float(v) for v in np.ravel(rates.data)}) if rates is not None else []
            text = " / ".join(self.w["rate"].format(r=format_number(v * 100, None, self.lang, 1, whole=True)) for v in values)
        if first is not None:
            text += "; " + (self.w["first_year_yes"] if first.scalar() else self.w["first_year_no"])
        return f"{self.w['discount']}: {text}"

    def headline(self) -> str:
        bits = [self.w["fixed_prices"].format(y=self.scenario.price_year) if self.scenario.price_year else self.w["prices_as_given"],
                plural(self.w["years"], len(self.years)), self.discount_text()]
        return f"{self.w['model']} {self.model.id} · " + " · ".join(bits)

    def break_even_text(self) -> str:
        if self.break_even is None:
            return plural(self.w["break_even_none"], len(self.years))
        return self.w["break_even_year"].format(y=int(self.break_even))

    def return_text(self) -> str:
        return self.w["return_none"] if self.ret is None else f"{format_number(self.ret, None, self.lang, 2)} {self.w['kr']}"

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

    def sum_rows(self) -> tuple[list[str], list[list[str]]]:
        header = ["", *[self.payer(p) for p in self.payers], self.w["total"]]
        rows = []
        for label, data in ((self.w["savings"], self.savings), (self.w["costs"], self.costs), (self.w["net"], self.net_pv)):
            per = data.sum(axis=0)
            rows.append([label, *[format_number(v, None, self.lang, 0) for v in per], format_number(per.sum(), None, self.lang, 0)])
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
    out = [f"SØM · {_text(f.scenario.title, lang) or f.scenario.id}", f.headline(), ""]
    out.append(w["net_table_pv"] if f.discounted else w["net_table"])
    out += _table(*f.net_rows())
    out += ["", w["acc_table"], *_table(*f.acc_rows()), "", w["sum_table"], *_table(*f.sum_rows()), ""]
    facts = [(w["break_even"], f.break_even_text()), (w["return"], f.return_text()),
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
    """Everything as plain, language-neutral data (the JSON format `hfspec-som/1`)."""
    f = _Facts(result, "en")
    scenario = f.scenario
    per_year = []
    savings, costs = result.array("savings", "year", "payer"), result.array("costs", "year", "payer")
    for i, y in enumerate(f.years):
        for j, p in enumerate(f.payers):
            per_year.append({"year": y, "payer": p, "savings": float(savings[i, j]), "costs": float(costs[i, j]), "net": float(f.net[i, j]),
                             "discount_factor": float(f.df[i]), "net_pv": float(f.net_pv[i, j]), "acc": float(f.acc[i, j])})
    data: dict[str, Any] = {
        "format": "hfspec-som/1",
        "scenario": {"id": scenario.id, "title": scenario.title.as_dict() if scenario.title else None, "model": f.model.id,
                     "price_year": scenario.price_year, "years": f.years, "payers": f.payers,
                     "discount": scenario.discount if scenario.discount is not None else None, "discounted": f.discounted},
        "per_year": per_year,
        "acc_total": [float(v) for v in f.acc_total],
        "summary": {"break_even_year": int(f.break_even) if f.break_even is not None else None, "return_per_krone": f.ret,
                    "cost_per_success": f.cps, "successes_total": f.successes, "participants": f.participants,
                    "savings_total": result.scalar("savings_total"), "costs_total": result.scalar("costs_total"),
                    "result_total": f.result_total,
                    "result_by_payer": dict(zip(f.payers, (float(v) for v in result.array("result_by_payer", "payer"))))},
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
    """One long table: `section` is result, summary, sensitivity or monte_carlo."""
    data = result_data(result, sens, mc)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    def put(section, year, payer, inp, measure, value):
        writer.writerow([section, "" if year is None else year, payer or "", inp or "", measure, "" if value is None else repr(float(value)) if isinstance(value, float) else value])
    for row in data["per_year"]:
        for measure in ("savings", "costs", "net", "discount_factor", "net_pv", "acc"):
            put("result", row["year"], row["payer"], None, measure, row[measure])
    for year, value in zip(data["scenario"]["years"], data["acc_total"]):
        put("result", year, "total", None, "acc", value)
    for key, value in data["summary"].items():
        if key == "result_by_payer":
            for payer, v in value.items():
                put("summary", None, payer, None, "result", v)
        else:
            put("summary", None, "total", None, key, value)
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
            shown = "–" if v is None else (format_number(v, None, lang, 0) + " " + w["kr"]) if unit == "kr" else format_number(v, None, lang, 2, whole=True)
        dims = list(f.model.formulas[name].type.dims) if name in f.model.formulas else []
        formulas.append({"name": name, "title": _text(spec.get("title"), lang) or name, "description": _text(spec.get("description"), lang),
                         "expr": str(spec["expr"]).strip(), "dims": ", ".join(dims), "value": shown})
    net_header, net_rows = f.net_rows()
    acc_header, acc_rows = f.acc_rows()
    sum_header, sum_rows = f.sum_rows()
    context: dict[str, Any] = {
        "lang": lang, "w": w, "t": rw, "generator": f"hfspec {__version__}",
        "scenario": {"id": scenario.id, "title": _text(scenario.title, lang) or scenario.id, "description": _text(scenario.description, lang),
                     "target_group": _text(scenario.raw.get("target_group"), lang), "intervention": _text(scenario.raw.get("intervention"), lang),
                     "illustrative": "ILLUSTRATIV" in (_text(scenario.title, "da") + _text(scenario.title, "en")).upper(),
                     "file": scenario.loc.file if scenario.loc else ""},
        "model": {"id": f.model.id, "title": _text(f.model.spec.title, lang), "description": _text(f.model.spec.description, lang)},
        "headline": f.headline(), "discount": f.discount_text(), "discounted": f.discounted,
        "years": [str(y) for y in f.years], "payers": [f.payer(p) for p in f.payers], "horizon": f.horizon,
        "inputs": inputs, "cohorts": cohorts, "success_inputs": list(SUCCESS_INPUTS), "cost_inputs": list(COST_INPUTS),
        "consequences": _matrix(f, "dq", "consequence", "since") if "dq" in result.values else None,
        "prices": _matrix(f, "price", "consequence", "payer") if "price" in result.values else None,
        "costs": {"header": [str(y) for y in f.years], "rows": cost_rows},
        "tables": {"net": {"title": w["net_table_pv"] if f.discounted else w["net_table"], "header": net_header, "rows": net_rows},
                   "acc": {"title": w["acc_table"], "header": acc_header, "rows": acc_rows},
                   "sum": {"title": w["sum_table"], "header": sum_header, "rows": sum_rows}},
        "summary": [{"label": w["break_even"], "value": f.break_even_text()}, {"label": w["return"], "value": f.return_text()},
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

