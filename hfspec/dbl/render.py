"""Double bottom line (`DblResult`) → terminal text, JSON, HTML.

The double bottom line is citizen-level by nature: it is for the support worker and the team
meeting, with pseudonymous ids only, and every output says so. It never feeds an aggregate report
(`hfspec eval`, `hfspec render`): those read key figures, not this module.

The HTML sheet (`dbl_citizen.html.j2`, sandboxed Jinja, autoescaped) shows the seed's chart: bars
for the accumulated expected and actual time in % of the plan, curves for the expected and actual
goal (charts.bar_chart with `lines=`). Templates get plain dicts with numbers already formatted.
"""

from __future__ import annotations

from pathlib import Path

import json
from typing import Any

from hfspec.version import __version__
from hfspec.dbl.model import Citizen, DblResult, Step
from hfspec.source import printable
from hfspec.words import DBL, format_number, plural

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

MARKS = {"error": "✖", "warning": "!", "info": "i"}


def step_label(step: Step, lang: str) -> str:
    return DBL[lang]["phase"].format(n=step.fase) if step.label.startswith("F") and step.fase is not None else step.label


def _course_state(c: Citizen, lang: str) -> str:
    w = DBL[lang]
    return w["ongoing"] if c.active else w["ended"] if c.slutdato else w["not_started"]


# --------------------------------------------------------------------------- text


def _table(header: list[str], rows: list[list[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return indent + "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
    return [line(header), indent + "  ".join("─" * x for x in widths), *(line(r) for r in rows)]


def _head(result: DblResult, lang: str) -> list[str]:
    w = DBL[lang]
    return [f"{w['title']} {w['as_of']} {result.reference_date} · {w['goal'].lower()}: {result.instrument.title[lang]}", w["confidential"], ""]


def overview_text(result: DblResult, lang: str = "da") -> str:
    """Per worker: their citizens, each with time used, goal and trend, and the signals (ids from
    the data printed as text only: `source.printable`)."""
    w = DBL[lang]
    out = _head(result, lang)
    total = with_signals = 0
    for worker in result.workers:
        count = plural(w["worker_citizens"]["all" if result.include_ended else "active"], len(worker.citizens))
        out.append(f"{w['worker']} {worker.medarbejder_id} · {', '.join(worker.methods) or '–'} · {count}")
        for s in worker.signals:
            out.append(f"  {MARKS.get(s.severity, '!')} {s.title}: {s.message}")
        header = [w["citizen"], w["method"], w["month"], w["time_used"], w["time_planned"], w["goal_latest"], w["goal_expected"], w["trend"]]
        rows, notes = [], []
        for c in worker.citizens:
            total += 1
            with_signals += bool(c.signals)
            if not c.has_data:
                rows.append([c.borger_id, c.metode or "–", "–", w["no_data"], "", "", "", ""])
            else:
                rows.append([c.borger_id, c.metode or "–", str(c.course_month or "–"), format_number(c.time_used, "share", lang, 0), format_number(c.time_expected, "share", lang, 0),
                             format_number(c.goal_latest, None, lang, 1, whole=True), format_number(c.goal_expected, None, lang, 1, whole=True), w["trend_words"].get(c.goal_trend or "", "–")])
            notes.append([f"{MARKS.get(s.severity, '!')} {s.title}: {s.message}" for s in c.signals])
        table = _table(header, rows, {2, 3, 4, 5, 6})
        out.extend(table[:2])
        for line, extra in zip(table[2:], notes):
            out.append(line)
            out.extend(" " * 6 + n for n in extra)
        out.append("")
    out.append(plural(w["summary"], total, s=with_signals))
    return printable("\n".join(out))


def citizen_text(citizen: Citizen, result: DblResult, lang: str = "da") -> str:
    """One citizen: course facts, the step table and the signals with what to do."""
    w = DBL[lang]
    out = _head(result, lang)
    c = citizen
    out.append(f"{w['citizen']} {c.borger_id} · {c.metode} · {w['worker'].lower()} {c.medarbejder_id or '–'}")
    out.append(f"{w['course']} {c.startdato} – {c.slutdato or ''} ({_course_state(c, lang)})" +
               (f" · {w['plan'].lower()} {plural(w['plan_text'], c.plan_months, h=format_number(c.plan_hours, None, lang, 1, whole=True), m=c.plan_months)}" if c.has_data else ""))
    if c.has_data:
        out.append(f"{w['time_used']}: {format_number(c.time_used, 'share', lang, 0)} ({w['time_planned'].lower()} {format_number(c.time_expected, 'share', lang, 0)}) · "
                   f"{w['goal_latest']}: {format_number(c.goal_latest, None, lang, 1, whole=True)} ({w['goal_expected'].lower()} {format_number(c.goal_expected, None, lang, 1, whole=True)}, start {format_number(c.goal_first, None, lang, 1, whole=True)})")
        out.append("")
        header = [w["step"], w["exp_hours"], w["act_hours"], w["dev_hours"], w["acc_exp"], w["acc_act"], w["exp_goal"], w["act_goal"], w["dev_goal"]]
        rows = []
        for s in c.steps:
            dev = format_number(s.deviation_hours, None, lang, 1, whole=True, signed=True) + (f" ({format_number(s.deviation_share, 'share', lang, 0)})" if s.deviation_share is not None else "")
            rows.append([step_label(s, lang) + ("" if s.state == "done" else f" ({w[s.state]})"), format_number(s.expected_hours, None, lang, 1, whole=True), format_number(s.actual_hours, None, lang, 1, whole=True), dev,
                         format_number(s.acc_expected, "share", lang, 0), format_number(s.acc_actual, "share", lang, 0), format_number(s.expected_goal, None, lang, 1, whole=True), format_number(s.actual_goal, None, lang, 1, whole=True),
                         format_number(s.goal_deviation, None, lang, 1, whole=True, signed=True) if s.goal_deviation is not None else "–"])
        out.extend(_table(header, rows, set(range(1, 9))))
    else:
        out.append(w["no_data"])
    out.append("")
    out.append(f"{w['signals']}:")
    if not c.signals:
        out.append("  " + w["no_signals"])
    for s in c.signals:
        out.append(f"  {MARKS.get(s.severity, '!')} {s.title}")
        out.append(f"    {s.message}")
    return printable("\n".join(out))


def dbl_text(result: DblResult, lang: str = "da") -> str:
    if result.citizen is not None:
        return citizen_text(result.citizens[result.citizen], result, lang)
    return overview_text(result, lang)


def dbl_json(result: DblResult, lang: str = "da") -> str:
    """The double bottom line as JSON: plain numbers (shares 0..1), marked citizen-level."""
    data: dict[str, Any] = {
        "kind": "double-bottom-line", "citizen_level": True, "reference_date": result.reference_date,
        "instrument": {"id": result.instrument.id, "title": result.instrument.title[lang], "low": result.instrument.low, "high": result.instrument.high},
    }
    if result.citizen is not None:
        data["citizen"] = result.citizens[result.citizen].as_dict()
    else:
        data["include_ended"] = result.include_ended
        data["workers"] = [wk.as_dict() for wk in result.workers]
        if result.worker is not None:
            data["citizens"] = [c.as_dict() for wk in result.workers for c in wk.citizens]
    return json.dumps(data, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- HTML


#: An ICM/ACT chart shows at least this many months, so that a new course's first bars do not
#: fill the whole chart (the coming months are empty groups).
MIN_MONTH_STEPS = 6


def _next_month(iso: str) -> str:
    year, month = int(iso[:4]), int(iso[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"


def chart_steps(citizen: Citizen) -> list[Step]:
    """The citizen's steps, padded with empty planned steps: a CTI course always shows its three
    phases, an ICM/ACT course at least `MIN_MONTH_STEPS` months."""
    steps = list(citizen.steps)
    if not steps:
        return steps
    if all(s.metode == "CTI" and s.fase is not None for s in steps):
        have = {s.fase for s in steps}
        for phase in range(1, 4):
            if phase not in have:
                steps.append(Step(f"F{phase}", "CTI", phase, "", "", 0, 0, 0, None, None, None, None, None, None, None, None))
        return sorted(steps, key=lambda s: s.fase or 0)
    if all(s.metode in ("ICM", "ACT") for s in steps):
        while len(steps) < MIN_MONTH_STEPS:
            month = _next_month(steps[-1].first_month)
            steps.append(Step(month[:7], steps[-1].metode, None, month, month, 0, 0, 0, None, None, None, None, None, None, None, None))
    return steps


def citizen_chart(citizen: Citizen, result: DblResult, lang: str = "da") -> str | None:
    """The seed's chart as inline SVG, or None without steps."""
    from hfspec.render.charts import bar_chart

    w = DBL[lang]
    steps = chart_steps(citizen)
    if not steps:
        return None
    groups = [step_label(s, lang) for s in steps]
    width = 7.2 if len(steps) <= 14 else min(9.0, 5.0 + 0.15 * len(steps))
    return bar_chart(
        groups, {w["bar_exp"]: [s.acc_expected for s in steps], w["bar_act"]: [s.acc_actual for s in steps]},
        w["chart_title"], ylabel=w["chart_y"], unit="share", lang=lang,
        lines={w["line_exp"]: [s.expected_goal for s in steps], w["line_act"]: [s.actual_goal for s in steps]},
        line_label=result.instrument.title[lang], width=width, height=3.8, reference=1.0,
        line_range=(result.instrument.low, result.instrument.high), legend_below=True)


def sheet_context(citizen: Citizen, result: DblResult, lang: str = "da") -> dict[str, Any]:
    """One citizen's sheet as plain, formatted data for the template."""
    w = DBL[lang]
    c = citizen
    notes = []
    if c.has_data and c.metode == "CTI" and c.plan_months < 9:
        notes.append(w["partial_plan"].format(m=c.plan_months))
    if c.has_data and c.metode in ("ICM", "ACT"):
        notes.append(w["open_plan"])
    steps = []
    for s in chart_steps(c):
        steps.append({
            "label": step_label(s, lang), "state": s.state, "state_word": "" if s.state == "done" else w[s.state],
            "months": "" if s.label == s.first_month[:7] == s.last_month[:7] else
                      f"{s.first_month[:7]}" + (f" – {s.last_month[:7]}" if s.last_month != s.first_month else ""),
            "expected_hours": format_number(s.expected_hours, None, lang, 1, whole=True), "actual_hours": format_number(s.actual_hours, None, lang, 1, whole=True),
            "deviation_hours": format_number(s.deviation_hours, None, lang, 1, whole=True, signed=True), "deviation_share": format_number(s.deviation_share, "share", lang, 0) if s.deviation_share is not None else "",
            "over": s.deviation_share is not None and s.deviation_share > 1, "acc_expected": format_number(s.acc_expected, "share", lang, 0), "acc_actual": format_number(s.acc_actual, "share", lang, 0),
            "expected_goal": format_number(s.expected_goal, None, lang, 1, whole=True), "actual_goal": format_number(s.actual_goal, None, lang, 1, whole=True),
            "goal_deviation": format_number(s.goal_deviation, None, lang, 1, whole=True, signed=True) if s.goal_deviation is not None else "–",
            "below": s.goal_deviation is not None and s.goal_deviation < 0,
        })
    return {
        "borger_id": c.borger_id, "metode": c.metode or "–", "medarbejder_id": c.medarbejder_id or "–",
        "course": f"{c.startdato} – {c.slutdato or ''}", "state": _course_state(c, lang), "has_data": c.has_data,
        "plan": plural(w["plan_text"], c.plan_months, h=format_number(c.plan_hours, None, lang, 1, whole=True), m=c.plan_months) if c.has_data else "–",
        "plan_hours": format_number(c.plan_hours, None, lang, 1, whole=True), "plan_months": plural(w["plan_months"], c.plan_months, m=c.plan_months),
        "course_month": str(c.course_month) if c.course_month is not None else "–",
        "time_used": format_number(c.time_used, "share", lang, 0), "time_expected": format_number(c.time_expected, "share", lang, 0),
        "goal_latest": format_number(c.goal_latest, None, lang, 1, whole=True), "goal_expected": format_number(c.goal_expected, None, lang, 1, whole=True), "goal_first": format_number(c.goal_first, None, lang, 1, whole=True),
        "goal_curve": w["curve_words"].get(c.goal_vs_curve or "", ""), "trend": w["trend_words"].get(c.goal_trend or "", "–"),
        "steps": steps, "notes": notes, "chart": citizen_chart(c, result, lang),
        "signals": [{"severity": s.severity, "mark": MARKS.get(s.severity, "!"), "title": s.title, "message": s.message, "advice": s.advice} for s in c.signals],
    }


def overview_context(result: DblResult, lang: str = "da") -> list[dict[str, Any]]:
    w = DBL[lang]
    workers = []
    for worker in result.workers:
        rows = []
        for c in worker.citizens:
            rows.append({"borger_id": c.borger_id, "metode": c.metode or "–", "has_data": c.has_data, "course_month": str(c.course_month or "–"),
                         "time_used": format_number(c.time_used, "share", lang, 0), "time_expected": format_number(c.time_expected, "share", lang, 0),
                         "over": c.time_used is not None and c.time_expected is not None and c.time_used > c.time_expected,
                         "goal_latest": format_number(c.goal_latest, None, lang, 1, whole=True), "goal_expected": format_number(c.goal_expected, None, lang, 1, whole=True),
                         "below": c.goal_vs_curve == "below", "trend": w["trend_words"].get(c.goal_trend or "", "–"),
                         "signals": [{"severity": s.severity, "mark": MARKS.get(s.severity, "!"), "title": s.title} for s in c.signals]})
        workers.append({"id": worker.medarbejder_id, "methods": ", ".join(worker.methods) or "–", "count": len(worker.citizens),
                        "count_text": plural(w["worker_citizens"]["all" if result.include_ended else "active"], len(worker.citizens)), "citizens": rows,
                        "signals": [{"severity": s.severity, "mark": MARKS.get(s.severity, "!"), "title": s.title, "message": s.message} for s in worker.signals]})
    return workers


def dbl_html(result: DblResult, lang: str = "da") -> str:
    """One self-contained HTML page: the sheet of one citizen (--citizen), or the overview, with the
    sheets of every citizen when one worker is chosen (--worker)."""
    from hfspec.render.jinja_env import render_template

    w = DBL[lang]
    if result.citizen is not None:
        sheets = [sheet_context(result.citizens[result.citizen], result, lang)]
        overview = None
    else:
        overview = overview_context(result, lang)
        sheets = [sheet_context(c, result, lang) for wk in result.workers for c in wk.citizens if c.has_data] if result.worker else []
    t = {k: v for k, v in w.items() if isinstance(v, str)}
    t["def_items"] = [item.format(instrument=result.instrument.title[lang]) for item in w["def_items"]]
    context = {"lang": lang, "t": t, "generator": f"hfspec {__version__}", "reference_date": result.reference_date,
               "instrument": result.instrument.title[lang], "overview": overview, "sheets": sheets,
               "worker": result.worker}
    return render_template("dbl_citizen.html.j2", context, lang=lang, folders=[TEMPLATES])
