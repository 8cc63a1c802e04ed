"""Engine results (key figures, rule check, double bottom line, history, SØM) → the plain-dict
context of the management report (`hfspec report`).

The report is for management: aggregate figures only. What this module guarantees, whatever the
template does with the context:

- **No citizen ids.** Key figures broken down by a citizen-id column are left out. Rule
  findings that concern single citizens or single data rows are given as counts only; a message
  is shown only for a finding about a group without a citizen (a worker, a municipality), and
  only when it names no citizen id. The worker summary has per worker the method, the number of
  active citizens, the average time used and the number of citizens with each signal — no
  citizen rows.
- **Disclosure control.** Suppressed key-figure values stay suppressed (text, never a number, in
  tables and charts). In the worker summary, a worker with fewer than k active citizens has every
  count and average suppressed.

The headline row of a key figure (used for its status and for the history trend) is chosen by
`headline_row`. The templates (`report.html.j2` and the `report_*.html.j2` partials) and the
workbook writer (`management_xlsx.py`) read only this context; docs/report.md describes it.
"""

from __future__ import annotations

from pathlib import Path

import datetime as dt
import re
from typing import Any, Mapping, Sequence

from hfspec.engine.disclosure import published, suppress
from hfspec.version import __version__
from hfspec.words import (INDICATOR_TYPES, PERIODS, REPORT, SUPPRESSED, TYPE_INTROS, TYPE_NAMES, TYPE_TITLES, UNITS, format_number,
                          plural, target_words)

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: A chart draws at most this many series (one colour and marker each, Okabe–Ito has 8).
MAX_SERIES = 8
#: A key figure's HTML table shows at most this many rows (all rows are in the workbook).
MAX_TABLE_ROWS = 24
#: The history table shows at most this many runs, the latest (the charts show every run).
MAX_HISTORY_COLUMNS = 8
#: Width and height (inches) of a key figure's chart; it sits beside the key figure's table.
CHART_SIZE = (4.4, 2.6)
#: The measuring points of the before/during/after comparison, in order.
MAALEPUNKTER = ("foer", "under", "efter")


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def headline_row(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The row that stands for a key figure in one line (its status, its history trend).

    1. With periods, only the rows of the latest period count.
    2. The row without breakdown, if there is one.
    3. Else, when broken down by `maalepunkt`, the rows of the `efter` (after) measurement.
    4. The first remaining row, in the order of the results (sorted by breakdown values).

    >>> headline_row([{"period": None, "by": {"maalepunkt": "foer"}}, {"period": None, "by": {"maalepunkt": "efter"}}])["by"]
    {'maalepunkt': 'efter'}
    >>> headline_row([{"period": "2020", "by": {}}, {"period": "2021", "by": {}}])["period"]
    '2021'
    >>> headline_row([{"period": None, "by": {"kommune": "Køge"}}, {"period": None, "by": {"kommune": "Vejle"}}])["by"]
    {'kommune': 'Køge'}
    """
    if not rows:
        return None
    periods = [r["period"] for r in rows if r.get("period") is not None]
    if periods:
        latest = max(periods)
        rows = [r for r in rows if r.get("period") == latest]
    for r in rows:
        if not r["by"]:
            return r
    after = [r for r in rows if any(_short(k) == "maalepunkt" and v == "efter" for k, v in r["by"].items())]
    return (after or list(rows))[0]


def _status_key(has_target: bool, row: Mapping[str, Any] | None) -> str:
    if not has_target:
        return "no_target"
    status = row.get("status") if row else None
    return status if status in ("met", "not_met") else "unknown"


def _status(key: str, w: dict) -> dict[str, str]:
    return {"key": key, "symbol": w["status_symbols"][key], "text": w[key]}


def _value_text(value: Any, suppressed: bool, unit: str | None, decimals: int | None, lang: str) -> str:
    if suppressed:
        return SUPPRESSED[lang]
    return format_number(value, unit, lang, decimals)


def _value_label(kf: Mapping[str, Any], key: str, value: Any, lang: str) -> str:
    """A breakdown value as people read it: its title in the Dataset spec ("Før"), else as it is."""
    titled = kf["titles"]["values"].get(key, {}).get(str(value))
    if titled is not None:
        return titled
    return "–" if value is None else format_number(value, None, lang) if isinstance(value, bool) else str(value)


def _group_label(by: Mapping[str, Any], kf: Mapping[str, Any], lang: str, skip: str | None = None) -> str:
    return " · ".join(_value_label(kf, k, v, lang) for k, v in by.items() if _short(k) != skip)


def _titles(ir, lang: str) -> dict[str, Any]:
    """The titles of a key figure's breakdowns and of their values, and the order of enum values
    (from the Dataset specs), as plain data for the templates and the history."""
    columns = {b: ir.columns[b] for b in ir.by if b in ir.columns}
    return {"columns": {b: ir.column_title(b, lang) for b in ir.by},
            "values": {b: {v: ir.value_title(b, v, lang) for v in c.values} for b, c in columns.items()},
            "order": {b: list(c.values) for b, c in columns.items()}}


#: The column that identifies a citizen in the standard data contract (see `Finding.citizen`).
CITIZEN_COLUMN = "borger_id"


def citizen_columns(project) -> set[str]:
    """`col` and `dataset.col` of every column that holds citizen ids: `borger_id` and the columns
    that reference a `borger_id` (worker ids such as `medarbejder_id` are not citizen ids)."""
    out: set[str] = set()
    for ds in project.datasets.values():
        for name, col in ds.columns.items():
            refs = str(getattr(col, "references", None) or "")
            if name == CITIZEN_COLUMN or refs.rpartition(".")[2] == CITIZEN_COLUMN:
                out.update({name, f"{ds.id}.{name}"})
    return out


# --------------------------------------------------------------------------- key figures


def _rows(ir, result, lang: str) -> list[dict[str, Any]]:
    spec = ir.spec
    out = []
    k = result.suppress_below
    for r in ir.rows:
        shown, n = published(r.value, r.n, r.suppressed, k)
        value = float(shown) if isinstance(shown, (int, float)) and not isinstance(shown, bool) else None
        by = {name: (v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime)) else v) for name, v in r.by.items()}
        out.append({"period": r.period, "by": by, "value": value, "suppressed": bool(r.suppressed), "n": n, "status": r.status,
                    "value_text": _value_text(shown, r.suppressed, spec.unit, spec.decimals, lang),
                    "n_text": "" if n is None else format_number(n, None, lang)})
    return out


def _chart(kf: dict[str, Any], rows: list[dict[str, Any]], w: dict, lang: str) -> tuple[str | None, str]:
    """(svg, note): a line chart over periods, or bars before/during/after; None when neither fits."""
    from hfspec.render.charts import bar_chart, line_chart

    unit = kf["unit_key"]
    ylabel = "" if unit == "kr" else (kf["unit"] or "").replace(" (%)", "")  # the chart writes `kr.` and `%` itself
    periods = sorted({r["period"] for r in rows if r["period"] is not None})
    by_mp = [b for b in kf["by_keys"] if _short(b) == "maalepunkt"]
    if len(periods) >= 2:
        series: dict[str, list] = {}
        for r in rows:
            series.setdefault(_group_label(r["by"], kf, lang) or kf["title"], []).append((r["period"], r["value"]))
        if len(series) > MAX_SERIES:
            return None, w["chart_too_many"].format(n=len(series))
        gaps = any(r["suppressed"] for r in rows)
        svg = line_chart(series, w["chart_period"], ylabel=ylabel, unit=unit, lang=lang, width=CHART_SIZE[0],
                         height=CHART_SIZE[1] + (0.4 if len(series) > 1 else 0) + (0.3 if len(periods) >= 12 else 0), legend_below=True)
        return svg, w["chart_gaps"] if gaps else ""
    if by_mp and not periods:
        points = [m for m in kf["titles"]["order"].get(by_mp[0], MAALEPUNKTER) if any(r["by"].get(by_mp[0]) == m for r in rows)]
        groups: dict[str, dict[str, float | None]] = {}
        for r in rows:
            groups.setdefault(_group_label(r["by"], kf, lang, skip="maalepunkt") or w["all"], {})[r["by"].get(by_mp[0])] = r["value"]
        if len(groups) > MAX_SERIES or not points:
            return None, w["chart_too_many"].format(n=len(groups)) if points else ""
        series_values = {name: [vals.get(m) for m in points] for name, vals in groups.items()}
        svg = bar_chart([_value_label(kf, by_mp[0], m, lang) for m in points], series_values, w["chart_mp"], ylabel=ylabel, unit=unit, lang=lang,
                        width=CHART_SIZE[0], height=CHART_SIZE[1] + (0.4 if len(groups) > 1 else 0), legend_below=len(groups) > 1,
                        missing_label=w["suppressed_short"])
        return svg, ""
    return None, ""


def _display_order(row: Mapping[str, Any], by_keys: list[str], order: Mapping[str, list[str]]) -> tuple:
    """Rows by period, then by breakdown values, the values of an enum column in the Dataset
    spec's order (measuring points before, during, after)."""
    key: list[tuple] = [(0, row["period"] or "")]
    for b in by_keys:
        v = row["by"].get(b)
        if v is not None and str(v) in order.get(b, ()):
            key.append((0, f"{order[b].index(str(v)):04d}"))
        else:
            key.append((1 if v is None else 0, "" if v is None else str(v)))
    return tuple(key)


def key_figure(ir, result, hidden_columns: set[str], lang: str, charts: bool = True) -> dict[str, Any]:
    """One key figure: titles, target, status of its headline value, its rows and its chart."""
    w = REPORT[lang]
    spec = ir.spec
    by_keys = list(ir.by)
    left_out = [b for b in by_keys if b in hidden_columns or _short(b) in hidden_columns]
    rows = [] if left_out else _rows(ir, result, lang)
    head = headline_row(rows)
    kf: dict[str, Any] = {
        "id": spec.id, "anchor": spec.id, "title": spec.title.get(lang), "type": spec.type,
        "unit": UNITS[lang].get(spec.unit, spec.unit) if spec.unit else None, "unit_key": spec.unit,
        "target": target_words(spec.parsed_target, lang), "period": PERIODS[lang].get(ir.period, ir.period) if ir.period else None,
        "by_keys": by_keys, "titles": _titles(ir, lang),
        "columns": ([w["period"]] if ir.period else []) + [ir.column_title(b, lang) for b in by_keys],
        "status": _status(_status_key(bool(spec.target), head), w), "rows": rows, "notes": [],
        "headline": None, "chart": None, "single": False,
    }
    if left_out:
        kf["notes"].append(w["pseudonym_left_out"].format(cols=", ".join(left_out)))
        return kf
    if head is not None:
        label = " · ".join(x for x in [head["period"] or "", _group_label(head["by"], kf, lang)] if x)
        kf["headline"] = {"label": label, "value": head["value"], "suppressed": head["suppressed"], "value_text": head["value_text"], "n_text": head["n_text"]}
    for r in rows:
        r["headline"] = r is head
        r["group"] = _group_label(r["by"], kf, lang)
        r["by_text"] = {b: _value_label(kf, b, r["by"].get(b), lang) for b in by_keys}
        r["cells"] = ([r["period"] or "–"] if ir.period else []) + [r["by_text"][b] for b in by_keys]
        st = _status_key(True, r) if spec.target else None
        r["status_info"] = _status(st, w) if st else None
        r["shown"] = True
    rows.sort(key=lambda r: _display_order(r, by_keys, kf["titles"]["order"]))
    kf["single"] = len(rows) == 1 and not by_keys and not ir.period
    if len(rows) > MAX_TABLE_ROWS:
        periods = sorted({r["period"] for r in rows if r["period"] is not None})
        if periods:
            for r in rows:
                r["shown"] = r["period"] == periods[-1]
            kf["notes"].append(w["latest_period"].format(p=periods[-1]))
        shown = [r for r in rows if r["shown"]]
        if len(shown) > MAX_TABLE_ROWS:
            for r in shown[MAX_TABLE_ROWS:]:
                r["shown"] = False
            kf["notes"].append(w["rows_cut"].format(shown=MAX_TABLE_ROWS, total=len(rows)))
    if charts and rows:
        svg, note = _chart(kf, rows, w, lang)
        if svg:
            kf["chart"] = {"svg": svg, "note": note}
        elif note:
            kf["notes"].append(note)
    return kf


def summary_table(types: list[dict[str, Any]], w: dict) -> list[dict[str, Any]]:
    out = []
    totals = {"met": 0, "not_met": 0, "no_target": 0, "unknown": 0, "count": 0}
    for typ in types:
        counts = {key: sum(1 for kf in typ["indicators"] if kf["status"]["key"] == key) for key in ("met", "not_met", "no_target", "unknown")}
        counts["count"] = len(typ["indicators"])
        for key, v in counts.items():
            totals[key] += v
        out.append({"id": typ["id"], "label": typ["label"], **counts})
    out.append({"id": "total", "label": w["total"], **totals})
    return out


# --------------------------------------------------------------------------- rule check


def _mentions(text: str, ids: set[str]) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(i)}(?![\w])", text) for i in ids)


def findings_context(check, citizen_ids: set[str], hidden_columns: set[str], lang: str) -> dict[str, Any]:
    """Every rule with its counts; messages only for aggregate-level findings without citizen ids."""
    w = REPORT[lang]
    ids = set(citizen_ids) | {f.citizen for o in check.outcomes for f in o.findings if f.citizen}
    rules = []
    for o in sorted(check.outcomes, key=lambda o: (o.passed, {"error": 0, "warning": 1, "info": 2}.get(o.severity, 3))):
        spec = o.rule.spec
        about_citizens = (not o.rule.grouped or spec.citizen_level or any(b in hidden_columns or _short(b) in hidden_columns for b in spec.by)
                          or any(f.citizen for f in o.findings))
        messages = [] if about_citizens else [f.message for f in o.findings]
        if any(_mentions(m, ids) for m in messages):
            about_citizens, messages = True, []
        citizens = len({f.citizen for f in o.findings if f.citizen}) if any(f.citizen for f in o.findings) else None
        forms = w["groups"] if o.rule.grouped else w["rows_word"]
        what = forms[0] if o.checked == 1 else forms[1]
        key = "ok" if o.passed else o.severity
        rules.append({"id": spec.id, "title": spec.title.get(lang) if spec.title else spec.id, "severity": spec.severity,
                      "state": {"key": key, "symbol": w["severity_symbols"][key], "text": w["severities"][key]},
                      "level": "citizen" if about_citizens else "aggregate", "grouped": o.rule.grouped,
                      "checked": o.checked, "failed": o.failed, "unknown": o.unknown, "citizens": citizens, "unit": what,
                      "messages": messages,
                      "count_text": w["count_only"].format(n=o.failed, what=forms[0] if o.failed == 1 else forms[1]) if about_citizens and o.failed else ""})
    counts = {s: sum(1 for r in rules if r["state"]["key"] == s) for s in ("error", "warning", "info", "ok")}
    return {"reference_date": check.reference_date, "rules": rules, "counts": counts,
            "summary": w["check_summary"].format(e=counts["error"], w=counts["warning"], i=counts["info"], o=counts["ok"])}


# --------------------------------------------------------------------------- double bottom line


def workers_context(dbl, k: int, lang: str) -> dict[str, Any]:
    """Per worker: methods, active citizens, mean time used, citizens per signal; suppressed below k."""
    w = REPORT[lang]
    signal_rules = [o for o in dbl.outcomes if o.rule.spec.dataset == "dbl_maaned"]
    signals = [{"id": o.id, "title": o.rule.spec.title.get(lang) if o.rule.spec.title else o.id} for o in signal_rules]

    def summarise(label: str, methods: list[str], citizens: list, breaches: list[str]) -> dict[str, Any]:
        used = [c.time_used for c in citizens if c.time_used is not None]
        mean = sum(used) / len(used) if used else None
        counts = [sum(1 for c in citizens if any(s.rule == sig["id"] for s in c.signals)) for sig in signals]
        hidden = suppress(len(citizens), None, False, k)
        sup = SUPPRESSED[lang]
        return {"id": label, "methods": ", ".join(methods), "suppressed": hidden,
                "citizens": None if hidden else len(citizens), "citizens_text": sup if hidden else format_number(len(citizens), None, lang),
                "time_used": None if hidden else mean, "time_used_text": sup if hidden else format_number(mean, "share", lang, 0),
                "signal_counts": [None if hidden else c for c in counts],
                "signal_texts": [sup if hidden else format_number(c, None, lang) for c in counts], "rule_breaches": breaches}

    rows = []
    shown: list = []  # the total adds up shown workers only: with the hidden ones it would reveal them by subtraction
    for worker in sorted(dbl.workers, key=lambda x: (x.medarbejder_id == "–", x.medarbejder_id)):
        active = [c for c in worker.citizens if c.active]
        if not active:
            continue
        breaches = list(dict.fromkeys(s.title for s in worker.signals))
        label = w["no_worker"] if worker.medarbejder_id == "–" else worker.medarbejder_id
        rows.append(summarise(label, sorted({c.metode for c in active if c.metode}), active, breaches))
        if not rows[-1]["suppressed"]:
            shown += active
    total = summarise(w["all_workers"], sorted({c.metode for c in shown if c.metode}), shown, [])
    return {"reference_date": dbl.reference_date, "k": k, "signals": signals, "rows": rows, "total": total,
            "intro": w["workers_intro"].format(d=dbl.reference_date, k=k)}


# --------------------------------------------------------------------------- history


def _run_labels(runs: list[dict[str, Any]]) -> list[str]:
    raw = [r["label"] or (r["stamp"].strftime("%Y-%m-%d %H:%M") if isinstance(r["stamp"], dt.datetime) else str(r["stamp"])) for r in runs]
    return [f"{x} (#{r['run_id']})" if raw.count(x) > 1 else x for x, r in zip(raw, runs)]


def history_context(runs: list[dict[str, Any]], results: list[dict[str, Any]], key_figures: list[dict[str, Any]], source: str,
                    lang: str, charts: bool = True) -> dict[str, Any]:
    """Per key figure of the report: its headline value in every stored run, a small line chart."""
    from hfspec.render.charts import line_chart

    w = REPORT[lang]
    labels = _run_labels(runs)
    by_run: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in results:
        by_run.setdefault((r["run_id"], r["indicator"]), []).append(r)
    shown_runs = list(range(len(runs)))[-MAX_HISTORY_COLUMNS:]
    indicators = []
    for kf in key_figures:
        points = []
        for run, label in zip(runs, labels):
            head = headline_row(by_run.get((run["run_id"], kf["id"]), []))
            if head is None:
                points.append({"run": label, "value": None, "suppressed": False, "text": w["not_in_run"], "group": ""})
                continue
            suppressed = bool(head["suppressed"])
            value = None if suppressed else head["value"]
            if isinstance(value, float) and value.is_integer() and kf["unit_key"] != "share":
                value = int(value)  # the history file stores every value as DOUBLE; a count reads 95, not 95,0
            group = " · ".join(x for x in [head["period"] or "", _group_label(head["by"], kf, lang)] if x)
            points.append({"run": label, "value": value, "suppressed": suppressed, "group": group,
                           "text": _value_text(value, suppressed, kf["unit_key"], None, lang)})
        svg = None
        if charts and any(p["value"] is not None for p in points):
            svg = line_chart({kf["id"]: [(p["run"], p["value"]) for p in points]}, "", unit=kf["unit_key"], lang=lang,
                             width=3.4, height=1.55)
        indicators.append({"id": kf["id"], "title": kf["title"], "unit": kf["unit"], "unit_key": kf["unit_key"], "type": kf["type"],
                           "points": points, "table_points": [points[i] for i in shown_runs], "chart": svg,
                           "group": next((p["group"] for p in reversed(points) if p["group"]), "")})
    return {"source": source, "intro": plural(w["history_intro"], len(runs), f=source),
            "runs": [{"id": r["run_id"], "label": lab, "stamp": str(r["stamp"])[:16], "data_hash": r["data_hash"][:8],
                      "catalogue_hash": r["catalogue_hash"][:8]} for r, lab in zip(runs, labels)],
            "table_runs": [labels[i] for i in shown_runs], "cut_note": w["history_cut"].format(n=MAX_HISTORY_COLUMNS) if len(runs) > MAX_HISTORY_COLUMNS else "",
            "indicators": indicators}


# --------------------------------------------------------------------------- SØM


def som_context(result, lang: str, charts: bool = True) -> dict[str, Any]:
    """The SØM summary: accumulated net result per payer at the horizon, break-even, return per krone, the chart."""
    from hfspec.som.render import report_context, result_data

    w = REPORT[lang]
    data = result_data(result, None, None)
    full = report_context(result, None, None, lang, charts=False)
    years = data["scenario"]["years"]
    horizon = years[-1] if years else 0
    payers = data["scenario"]["payers"]
    acc = {p: [row["acc"] for row in data["per_year"] if row["payer"] == p] for p in payers}
    last = {p: (v[-1] if v else None) for p, v in acc.items()}
    total = data["acc_total"][-1] if data["acc_total"] else None
    summary = data["summary"]
    by_name = {full["payers"][i]: acc[p] for i, p in enumerate(payers)}
    return {
        "id": full["scenario"]["id"], "title": full["scenario"]["title"], "illustrative": full["scenario"]["illustrative"],
        "headline": full["headline"], "horizon": horizon, "intro": w["som_intro"].format(n=horizon, id=full["scenario"]["id"]),
        "acc_title": w["acc_at"].format(n=horizon),
        "payers": [{"id": p, "name": full["payers"][i], "value": last[p], "text": f"{format_number(last[p], None, lang, 0)} {w['kr']}"} for i, p in enumerate(payers)],
        "total": {"value": total, "text": f"{format_number(total, None, lang, 0)} {w['kr']}"},
        "break_even": {"year": summary["break_even_year"], "text": full["summary"][0]["value"]},
        "return_per_krone": {"value": summary["return_per_krone"], "text": full["summary"][1]["value"]},
        "years": years, "acc_by_payer": by_name, "acc_total": data["acc_total"],
        "chart": _som_chart(years, by_name, data["acc_total"], w, lang) if charts else None,
    }


def _som_chart(years: list, by_payer: dict[str, list[float]], total: list[float], w: dict, lang: str) -> str:
    """The accumulated net result per payer and in total (the chart's kroner axis is in `mio. kr.` when large)."""
    from hfspec.render.charts import line_chart

    series = {name: list(zip(years, values)) for name, values in by_payer.items()}
    series[w["total"]] = list(zip(years, total))
    return line_chart(series, w["chart_som"], xlabel=w["year"], zero_line=True, height=3.2, legend_below=True, unit="kr", lang=lang)


# --------------------------------------------------------------------------- the whole report


def report_context(result, project, *, check=None, dbl=None, history: tuple[list, list, str] | None = None, som=None,
                   data_period: tuple[str | None, str | None] | None = None, unavailable: Mapping[str, str] | None = None,
                   reference_date: str | None = None, catalogue_reference: Any = None, lang: str = "da", charts: bool = True) -> dict[str, Any]:
    """Everything `report.html.j2` and the workbook receive, as plain data (docs/report.md).

    `result` is the key-figure `Result` (run_eval), `project` the catalogue project; `check` a
    `CheckRun`, `dbl` a `DblResult` (with ended courses: their ids only widen the citizen-id
    guard), `history` (runs, results, file name) from `load_history`, `som` a `SomResult`;
    `unavailable` maps a section (findings, workers) to why it is missing; `reference_date` is
    the one given on the command line (which the whole report used), `catalogue_reference` the
    catalogue's own (a note says when they differ).
    """
    w = REPORT[lang]
    hidden = citizen_columns(project)
    citizen_ids = set(dbl.citizens) if dbl is not None else set()
    kfs = [key_figure(ir, result, hidden, lang, charts) for ir in result.indicators]
    types = []
    for kind in INDICATOR_TYPES:
        chosen = [kf for kf in kfs if kf["type"] == kind]
        types.append({"id": kind, "title": TYPE_TITLES[lang][kind], "label": TYPE_NAMES[lang][kind], "intro": TYPE_INTROS[lang][kind],
                      "count": len(chosen), "indicators": chosen})
    ordered = [kf for typ in types for kf in typ["indicators"]]
    cat = project.catalogue
    k = result.suppress_below
    period_from, period_to = data_period or (None, None)
    catalogue_ref = catalogue_reference if catalogue_reference is not None else project.params.get("reference_date")
    ref = reference_date or (str(catalogue_ref) if catalogue_ref is not None else None)
    notes = []
    if reference_date and catalogue_ref is not None and str(catalogue_ref) != reference_date:
        notes.append(w["ref_differs"].format(c=catalogue_ref, r=reference_date))
    missing = dict(unavailable or {})
    context: dict[str, Any] = {
        "lang": lang, "t": {**w, "types": TYPE_TITLES[lang], "type_labels": TYPE_NAMES[lang]}, "generator": f"hfspec {__version__}",
        "catalogue": {"id": cat.id if cat else "", "title": cat.title.get(lang) if cat and cat.title else (cat.id if cat else "")},
        "report": {
            "title": w["document"], "generated": dt.date.today().isoformat(), "reference_date": ref,
            "period_from": period_from, "period_to": period_to,
            "period_text": f"{period_from} – {period_to}" if period_from and period_to else w["whole_data"],
            "suppress_below": k, "suppression_text": (w["suppression_rule"].format(k=k, k1=k - 1, s=SUPPRESSED[lang]) if k > 0 else w["suppression_off"]),
            "suppressed_word": SUPPRESSED[lang], "notes": notes,
        },
        "datasets": [{"id": name, "rows": rows, "rows_text": format_number(rows, None, lang), "skipped": len(result.skipped.get(name, []))}
                     for name, rows in sorted(result.data.items())],
        "types": types, "indicators": ordered, "summary": summary_table(types, w),
        "findings": findings_context(check, citizen_ids, hidden, lang) if check is not None else None,
        "workers": workers_context(dbl, k, lang) if dbl is not None else None,
        "history": history_context(history[0], history[1], ordered, history[2], lang, charts) if history is not None else None,
        "som": som_context(som, lang, charts) if som is not None else None,
        "unavailable": {key: w["not_available"].format(why=why) for key, why in missing.items()},
    }
    return context


def render_html(context: dict[str, Any], templates=None) -> str:
    """The report as one self-contained HTML file (template `report.html.j2`)."""
    from hfspec.render.jinja_env import render_template

    text = render_template("report.html.j2", context, templates, context["lang"], [TEMPLATES])
    return text if text.endswith("\n") else text + "\n"
