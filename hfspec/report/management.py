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

The headline of a key figure (its status, its history trend) is the cell its spec's `headline:`
names (`engine.results.headline_cell`); `report.key_figures` makes each key figure's part. The templates (`report.html.j2` and the `report_*.html.j2` partials) and the
workbook writer (`management_xlsx.py`) read only this context; docs/report.md describes it.
"""

from __future__ import annotations

from pathlib import Path

import datetime as dt
import re
from typing import Any, Mapping, Sequence

from hfspec.engine.results import IndicatorResult, headline_cell
from hfspec.report.compare import compare_context
from hfspec.report.key_figures import group_label, key_figure, short, value_text
from hfspec.report.workers import workers_context
from hfspec.settings import DEFAULT_K, UNPROTECTED_K
from hfspec.version import __version__
from hfspec.words import (
    INDICATOR_TYPES, NOT_FOR_PUBLICATION, REPORT, SECONDARY, SECONDARY_NOTE, SUPPRESSED, TYPE_INTROS, TYPE_NAMES, TYPE_TITLES, format_number, plural,
)

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The history table shows at most this many runs, the latest (the charts show every run).
MAX_HISTORY_COLUMNS = 8


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
    """Whether the text names one of the ids as a word of its own (a substring test first: the
    ids of 100,000 citizens are not 100,000 regular expressions)."""
    return any(i in text and re.search(rf"(?<![\w]){re.escape(i)}(?![\w])", text) for i in ids)


def findings_context(check, citizen_ids: set[str], hidden_columns: set[str], lang: str) -> dict[str, Any]:
    """Every rule with its counts; messages only for aggregate-level findings without citizen ids."""
    w = REPORT[lang]
    ids = set(citizen_ids) | {f.citizen for o in check.outcomes for f in o.findings if f.citizen}
    rules = []
    for o in sorted(check.outcomes, key=lambda o: (o.passed, {"error": 0, "warning": 1, "info": 2}.get(o.severity, 3))):
        spec = o.rule.spec
        about_citizens = (not o.rule.grouped or spec.citizen_level or any(b in hidden_columns or short(b) in hidden_columns for b in spec.by)
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


# --------------------------------------------------------------------------- history


def _run_labels(runs: list[dict[str, Any]]) -> list[str]:
    raw = [r["label"] or (r["stamp"].strftime("%Y-%m-%d %H:%M") if isinstance(r["stamp"], dt.datetime) else str(r["stamp"])) for r in runs]
    return [f"{x} (#{r['run_id']})" if raw.count(x) > 1 else x for x, r in zip(raw, runs)]


def history_context(runs: list[dict[str, Any]], results: list[dict[str, Any]], key_figures: list[dict[str, Any]], source: str,
                    lang: str, charts: bool = True, indicators_now: Mapping[str, IndicatorResult] | None = None, k: int = DEFAULT_K) -> dict[str, Any]:
    """Per key figure of the report: its headline value in every stored run (the cell its
    `headline:` names, among the run's stored cells, suppressed again at the report's k), a small
    line chart."""
    from hfspec.engine.history import at_k, stored_rows
    from hfspec.render.charts import line_chart

    w = REPORT[lang]
    labels = _run_labels(runs)
    by_run = stored_rows(results)
    shown_runs = list(range(len(runs)))[-MAX_HISTORY_COLUMNS:]
    indicators = []
    for kf in key_figures:
        now = (indicators_now or {}).get(kf["id"])
        points = []
        for run, label in zip(runs, labels):
            rows = by_run.get((run["run_id"], kf["id"]), [])
            rows = at_k(rows, k, now.is_count, now.is_share) if now is not None else at_k(rows, k, kf["unit_key"] != "share")
            head = headline_cell(IndicatorResult(now.spec, rows, by=now.by, period=now.period)) if now is not None and rows else None
            if head is None:
                points.append({"run": label, "value": None, "suppressed": False, "text": w["no_headline"] if rows else w["not_in_run"], "group": ""})
                continue
            suppressed = bool(head.suppressed)
            value = None if suppressed else head.value
            if isinstance(value, int) and kf["unit_key"] == "share":
                value = float(value)
            group = " · ".join(x for x in [head.period or "", group_label(head.by, w, None, kf.get("titles"), lang) or (w["total_row"] if head.total_over else "")] if x)
            points.append({"run": label, "value": value, "suppressed": suppressed, "group": group,
                           "text": value_text(value, suppressed, kf["unit_key"], None, lang)})
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


def som_command(scenario: str, paths: Sequence[Any] = ()) -> str:
    """The `hfspec som` command that gives the whole calculation of the scenario the report shows:
    the scenario and its paths as the report was given them (relative to the same folder).

    >>> som_command("naestved-som", ["mine sager/"])
    "hfspec som naestved-som 'mine sager/' --out som.html"
    """
    import shlex

    return " ".join(["hfspec", "som", shlex.quote(str(scenario)), *(shlex.quote(str(p)) for p in paths), "--out", "som.html"])


def som_context(result, lang: str, charts: bool = True, command: str | None = None) -> dict[str, Any]:
    """The SØM summary: accumulated net result per payer at the horizon, break-even, return per krone,
    the chart, the key results per payer (SØM's own table: first and lasting break-even, return
    per krone and internal rate of return, with why a value is missing), and the command that
    gives the whole calculation."""
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
    summary = data["summary"]["total"]
    by_name = {full["payers"][i]: acc[p] for i, p in enumerate(payers)}
    key = full["tables"]["sum"]
    measures = ("break_even_year", "lasting_break_even_year", "return_per_krone", "irr")
    per_payer = [{"name": name, **{m: values[m] for m in measures}}
                 for name, values in zip([*full["payers"], full["w"]["total"]], [*data["summary"]["by_payer"].values(), summary])]
    return {
        "id": full["scenario"]["id"], "title": full["scenario"]["title"], "illustrative": full["scenario"]["illustrative"],
        "headline": full["headline"], "horizon": horizon, "intro": w["som_intro"].format(n=horizon), "command": command or som_command(full["scenario"]["id"]),
        "acc_title": w["acc_at"].format(n=horizon),
        "payers": [{"id": p, "name": full["payers"][i], "value": last[p], "text": f"{format_number(last[p], None, lang, 0)} {w['kr']}"} for i, p in enumerate(payers)],
        "total": {"value": total, "text": f"{format_number(total, None, lang, 0)} {w['kr']}"},
        "break_even": {"year": summary["break_even_year"], "text": full["summary"][0]["value"]},
        "return_per_krone": {"value": summary["return_per_krone"], "text": full["summary"][2]["value"]},
        "refusion": full["refusion"], "key": {"title": key["title"], "header": key["header"], "rows": key["rows"], "notes": full["key_notes"]},
        "by_payer": per_payer, "key_labels": [full["w"]["key_rows"][k] for k in ("break_even", "lasting", "return", "irr")],
        "not_within": full["w"]["lasting_none"].format(n=len(years)),
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


def report_context(result, project, *, check=None, workers=None, citizen_ids: set[str] | None = None,
                   history: tuple[list, list, str] | None = None, som=None, som_cmd: str | None = None, comparison=None,
                   data_period: tuple[str | None, str | None] | None = None, unavailable: Mapping[str, str] | None = None,
                   reference_date: str | None = None, catalogue_reference: Any = None, lang: str = "da", charts: bool = True) -> dict[str, Any]:
    """Everything `report.html.j2` and the workbook receive, as plain data (docs/report.md).

    `result` is the key-figure `Result` (with totals), `project` the catalogue project; `check` a
    `CheckRun`, `workers` a `dbl.model.WorkerSummary`, `citizen_ids` every citizen id of the data
    (no rule message that names one is shown), `history` (runs, results, file name) from
    `load_history`, `som` a `SomResult`, `comparison` an `engine.compare.Comparison`;
    `unavailable` maps a section (findings, workers) to why it is missing; `reference_date` is
    the one given on the command line (which the whole report used), `catalogue_reference` the
    catalogue's own (a note says when they differ).
    """
    w = REPORT[lang]
    hidden = citizen_columns(project)
    citizen_ids = set(citizen_ids or ())
    kfs = [key_figure(ir, result.suppress_below, hidden, lang, charts) for ir in result.indicators]
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
            "suppress_below": k, "suppression_text": (w["suppression_rule"].format(k=k, k1=k - 1, s=SUPPRESSED[lang]) if k > 0 else w["suppression_off"])
            + (" " + SECONDARY_NOTE[lang].format(s=SECONDARY[lang]) if k > 0 else ""),
            "suppressed_word": SUPPRESSED[lang], "notes": notes,
            "not_for_publication": NOT_FOR_PUBLICATION[lang].format(k=k) if k <= UNPROTECTED_K else None,
        },
        "datasets": [{"id": name, "rows": rows, "rows_text": format_number(rows, None, lang), "skipped": len(result.skipped.get(name, []))}
                     for name, rows in sorted(result.data.items())],
        "types": types, "indicators": ordered, "summary": summary_table(types, w),
        "findings": findings_context(check, citizen_ids, hidden, lang) if check is not None else None,
        "workers": workers_context(workers, k, lang) if workers is not None else None,
        "compare": compare_context(comparison, lang) if comparison is not None else None,
        "history": (history_context(history[0], history[1], ordered, history[2], lang, charts, {ir.spec.id: ir for ir in result.indicators}, k)
                    if history is not None else None),
        "som": som_context(som, lang, charts, som_cmd) if som is not None else None,
        "unavailable": {key: w["not_available"].format(why=why) for key, why in missing.items()},
    }
    return context


def render_html(context: dict[str, Any], templates=None) -> str:
    """The report as one self-contained HTML file (template `report.html.j2`)."""
    from hfspec.render.jinja_env import render_template

    text = render_template("report.html.j2", context, templates, context["lang"], [TEMPLATES])
    return text if text.endswith("\n") else text + "\n"
