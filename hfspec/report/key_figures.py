"""One key figure's results (`IndicatorResult`) → its plain-dict context in the management report:
the headline value with its target, status and change since the previous period, the table of its
groups and totals, and its chart.

Every number here is a result cell of the engine (`engine.results`): the groups and totals of the
key figure's query, its headline cell (`headline_cell`, chosen by the spec's `headline:`) and the
changes since the previous period (`IndicatorResult.changes`). Nothing is added up or subtracted
here: a template or the workbook shows cells, it does not compute them. A suppressed cell is
text, never a number (`engine.disclosure.published`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

from hfspec.engine.disclosure import published
from hfspec.engine.results import PERIOD, Change, cell_data, headline_cell, previous_period
from hfspec.words import PERIODS, REPORT, UNITS, format_number, suppressed_mark, target_words

#: A chart draws at most this many series (one colour and marker each, Okabe–Ito has 8).
MAX_SERIES = 8
#: A key figure's HTML table shows at most this many rows (all rows are in the workbook).
MAX_TABLE_ROWS = 24
#: Width and height (inches) of a key figure's chart; it sits beside the key figure's table.
CHART_SIZE = (4.4, 2.6)
#: The measuring points of the before/during/after comparison, in order.
MAALEPUNKTER = ("foer", "under", "efter")


def short(name: str) -> str:
    """A breakdown's column name without its dataset (`borgere.kommune` → `kommune`)."""
    return name.rpartition(".")[2]


def status_key(has_target: bool, row: Mapping[str, Any] | None) -> str:
    if not has_target:
        return "no_target"
    status = row.get("status") if row else None
    return status if status in ("met", "not_met") else "unknown"


def status(key: str, w: dict) -> dict[str, str]:
    return {"key": key, "symbol": w["status_symbols"][key], "text": w[key]}


def value_text(value: Any, suppressed: bool, unit: str | None, decimals: int | None, lang: str, secondary: bool = False) -> str:
    if suppressed:
        return suppressed_mark(secondary, lang)
    return format_number(value, unit, lang, decimals)


def titles(ir, lang: str) -> dict[str, Any]:
    """The titles of a key figure's breakdowns and of their values, and the order of enum values
    (from the Dataset specs), as plain data for the templates and the history."""
    columns = {b: ir.columns[b] for b in ir.by if b in ir.columns}
    return {"columns": {b: ir.column_title(b, lang) for b in ir.by},
            "values": {b: {v: ir.value_title(b, v, lang) for v in c.values} for b, c in columns.items()},
            "order": {b: list(c.values) for b, c in columns.items()}}


def value_label(key: str, value: Any, w: dict, names: Mapping[str, Any] | None = None, lang: str = "da") -> str:
    """A breakdown value as people read it: its title in the Dataset spec ("Før"), else as it is."""
    titled = (names or {}).get("values", {}).get(key, {}).get(str(value))
    if titled is not None:
        return titled
    if short(key) == "maalepunkt" and value in w["maalepunkt"]:
        return w["maalepunkt"][value]
    return "–" if value is None else format_number(value, None, lang) if isinstance(value, bool) else str(value)


def group_label(by: Mapping[str, Any], w: dict, skip: str | None = None, names: Mapping[str, Any] | None = None, lang: str = "da") -> str:
    """The group's breakdown values in words (`Haderslev · Efter`)."""
    return " · ".join(value_label(k, v, w, names, lang) for k, v in by.items() if short(k) != skip)


def cell_label(row: Mapping[str, Any], by_keys: list[str], w: dict, skip: str | None = None, names: Mapping[str, Any] | None = None,
               lang: str = "da") -> str:
    """A row's group in words, totals included (`Alle · Efter`, `I alt`)."""
    over = set(row["total_over"])
    if over and over >= {b for b in by_keys if short(b) != skip}:
        kept = group_label({b: v for b, v in row["by"].items() if short(b) != skip}, w, None, names, lang)
        return w["total_row"] + (f" · {kept}" if kept else "")
    parts = []
    for b in by_keys:
        if short(b) == skip:
            continue
        parts.append(w["all_groups"] if b in over else value_label(b, row["by"].get(b), w, names, lang))
    return " · ".join(parts)


def change_context(change: Change | None, unit: str | None, decimals: int | None, lang: str) -> dict[str, Any] | None:
    """A change since the previous period in words: value, arrow and direction (`↑ steget 3,2
    pct.-point siden 2021-H1`); a share changes in percentage points."""
    if change is None:
        return None
    w = REPORT[lang]
    since = w["change_since"].format(p=change.previous)
    if change.suppressed or change.value is None:
        text = suppressed_mark(change.secondary, lang) if change.suppressed else "–"
        return {"value": None, "suppressed": change.suppressed, "direction": None, "arrow": "", "text": text,
                "words": f"{w['change']} {since}: {text}",
                "previous": change.previous, "period": change.period}
    value = float(change.value)
    if unit == "share":
        plain = f"{format_number(value * 100, None, lang, 1, signed=True)} {w['points']}"
    else:
        plain = format_number(change.value, unit, lang, decimals, signed=True)
    shown_zero = not any(ch in "123456789" for ch in plain)  # no change at the precision shown: "→ uændret"
    direction = "flat" if shown_zero else "up" if value > 0 else "down"
    arrow = w["change_arrows"][direction]
    words = f"{arrow} {w['change_words'][direction]}" + ("" if direction == "flat" else f" {plain.lstrip('+−')}") + f" {since}"
    return {"value": value, "suppressed": False, "direction": direction, "arrow": arrow, "text": plain, "words": words,
            "previous": change.previous, "period": change.period}


# --------------------------------------------------------------------------- rows and chart


def _rows(ir, k: int, lang: str) -> list[dict[str, Any]]:
    spec = ir.spec
    out = []
    for r in ir.rows:
        shown, n = published(r.value, r.n, r.suppressed, k, r.hides_n)
        value = float(shown) if isinstance(shown, (int, float)) and not isinstance(shown, bool) else None
        by = {name: (v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime)) else v) for name, v in r.by.items()}
        out.append({"period": r.period, "by": by, "value": value, "suppressed": bool(r.suppressed), "secondary": r.secondary, "n": n, "status": r.status,
                    "total": bool(r.total_over), "total_over": list(r.total_over),
                    "value_text": value_text(shown, r.suppressed, spec.unit, spec.decimals, lang, r.secondary),
                    "data": cell_data(spec.id, r, value, n),
                    "n_text": "" if n is None else format_number(n, None, lang), "cell": r})
    return out


def _display_order(row: Mapping[str, Any], by_keys: list[str], order: Mapping[str, list[str]]) -> tuple:
    """Rows by period (the total over every period last), then by breakdown values with each
    breakdown's total after its groups; the values of an enum column in the Dataset spec's order
    (measuring points before, during, after)."""
    over = set(row["total_over"])
    key: list[tuple] = [(1 if PERIOD in over else 0, row["period"] or "")]
    for b in by_keys:
        v = row["by"].get(b)
        if b in over:
            key.append((2, ""))
        elif v is not None and str(v) in order.get(b, ()):
            key.append((0, f"{order[b].index(str(v)):04d}"))
        elif short(b) == "maalepunkt" and v in MAALEPUNKTER:
            key.append((0, f"{MAALEPUNKTER.index(v)}"))
        else:
            key.append((1 if v is None else 0, "" if v is None else str(v)))
    return tuple(key)


def _target_line(spec) -> tuple[float, float | None] | None:
    target = spec.parsed_target
    if target is None:
        return None
    return (target.value, target.high) if target.op == "between" else (target.value, None)


def _chart(kf: dict[str, Any], rows: list[dict[str, Any]], spec, w: dict, lang: str) -> tuple[str | None, str]:
    """(svg, note): a line chart over periods (a line per group and one for the total), or bars
    before/during/after (a series per group and one over the groups); None when neither fits."""
    from hfspec.render.charts import bar_chart, line_chart

    unit = kf["unit_key"]
    ylabel = "" if unit == "kr" else (kf["unit"] or "").replace(" (%)", "")  # the chart writes `kr.` and `%` itself
    target = _target_line(spec)
    target_label = f"{w['target_short']}: {kf['target']['text']}" if kf["target"] else ""
    in_time = [r for r in rows if PERIOD not in r["total_over"]]
    periods = sorted({r["period"] for r in in_time if r["period"] is not None})
    by_mp = [b for b in kf["by_keys"] if short(b) == "maalepunkt"]
    if len(periods) >= 2:
        series: dict[str, list] = {}
        for r in in_time:
            label = cell_label(r, kf["by_keys"], w, None, kf["titles"], lang) if kf["by_keys"] else kf["title"]
            series.setdefault(label, []).append((r["period"], r["value"]))
        if len(series) > MAX_SERIES:
            totals = {name: pts for name, pts in series.items() if name.startswith(w["total_row"])}
            if not totals:
                return None, w["chart_too_many"].format(n=len(series))
            series = totals
        gaps = any(r["suppressed"] for r in in_time)
        svg = line_chart(series, w["chart_period"], ylabel=ylabel, unit=unit, lang=lang, width=CHART_SIZE[0],
                         height=CHART_SIZE[1] + (0.4 if len(series) > 1 else 0) + (0.3 if len(periods) >= 12 else 0), legend_below=True,
                         target=target, target_label=target_label)
        return svg, w["chart_gaps"] if gaps else ""
    if by_mp and not periods:
        points = [m for m in kf["titles"]["order"].get(by_mp[0], MAALEPUNKTER) if any(r["by"].get(by_mp[0]) == m for r in rows)]
        groups: dict[str, dict[str, float | None]] = {}
        for r in rows:
            if by_mp[0] in r["total_over"]:
                continue  # the total over every measuring point is in the table, not on the before/after axis
            label = cell_label(r, kf["by_keys"], w, "maalepunkt", kf["titles"], lang) or w["all"]
            groups.setdefault(label, {})[r["by"].get(by_mp[0])] = r["value"]
        if len(groups) > MAX_SERIES or not points:
            return None, w["chart_too_many"].format(n=len(groups)) if points else ""
        series_values = {name: [vals.get(m) for m in points] for name, vals in groups.items()}
        svg = bar_chart([value_label(by_mp[0], m, w, kf["titles"], lang) for m in points], series_values, w["chart_mp"], ylabel=ylabel, unit=unit, lang=lang,
                        width=CHART_SIZE[0], height=CHART_SIZE[1] + (0.4 if len(groups) > 1 else 0), legend_below=len(groups) > 1,
                        missing_label=w["suppressed_short"], target=target, target_label=target_label)
        return svg, ""
    return None, ""


# --------------------------------------------------------------------------- one key figure


def key_figure(ir, k: int, hidden_columns: set[str], lang: str, charts: bool = True) -> dict[str, Any]:
    """One key figure: titles, target, its headline cell with status and change, its rows (groups
    and totals) and its chart. `k` is the disclosure limit of the run; a key figure broken down by a
    citizen-id column (`hidden_columns`) is left out with a note."""
    w = REPORT[lang]
    spec = ir.spec
    by_keys = list(ir.by)
    left_out = [b for b in by_keys if b in hidden_columns or short(b) in hidden_columns]
    rows = [] if left_out else _rows(ir, k, lang)
    head_cell = None if left_out else headline_cell(ir)
    head = next((r for r in rows if r["cell"] is head_cell), None) if head_cell is not None else None
    changes = {c.key(): c for c in ir.changes}
    kf: dict[str, Any] = {
        "id": spec.id, "anchor": spec.id, "title": spec.title.get(lang), "type": spec.type,
        "unit": UNITS[lang].get(spec.unit, spec.unit) if spec.unit else None, "unit_key": spec.unit,
        "target": target_words(spec.parsed_target, lang), "period": PERIODS[lang].get(ir.period, ir.period) if ir.period else None,
        "by_keys": by_keys, "titles": titles(ir, lang),
        "columns": ([w["period"]] if ir.period else []) + [ir.column_title(b, lang) for b in by_keys],
        "status": status(status_key(bool(spec.target), head), w), "rows": rows, "notes": [],
        "headline": None, "chart": None, "single": False, "change": None, "has_change": bool(ir.period),
    }
    if left_out:
        kf["notes"].append(w["pseudonym_left_out"].format(cols=", ".join(left_out)))
        return kf
    for r in rows:
        cell = r.pop("cell")
        r["headline"] = r is head
        r["group"] = cell_label(r, by_keys, w, None, kf["titles"], lang)
        r["cells"] = ([w["all_groups"] if PERIOD in r["total_over"] else r["period"] or "–"] if ir.period else [])
        over = set(r["total_over"])
        everything = bool(over) and over >= set(by_keys)
        for i, b in enumerate(by_keys):
            if b in over:
                r["cells"].append((w["total_row"] if i == 0 else "") if everything else w["all_groups"])
            else:
                r["cells"].append(value_label(b, r["by"].get(b), w, kf["titles"], lang))
        st = status_key(True, r) if spec.target else None
        r["status_info"] = status(st, w) if st else None
        r["shown"] = True
        r["change"] = change_context(changes.get(cell.key()), spec.unit, spec.decimals, lang) if ir.period else None
    if head is not None:
        kept = [_value_words(b, head["by"][b], w, kf["titles"], lang) for b in by_keys if b in head["by"]]
        label = " · ".join(x for x in [head["period"] or "", *kept, w["total"] if head["total"] else ""] if x)
        kf["headline"] = {"label": label, "value": head["value"], "suppressed": head["suppressed"], "value_text": head["value_text"],
                          "n_text": head["n_text"], "total": head["total"]}
        kf["change"] = head["change"]
        if ir.period and head["change"] is None and head["period"]:
            kf["change"] = {"value": None, "suppressed": False, "direction": None, "arrow": "", "text": "–",
                            "words": w["change_missing"].format(p=_previous(head["period"])), "previous": _previous(head["period"]),
                            "period": head["period"]}
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
            groups = [r for r in shown if not r["total"]]
            for r in groups[MAX_TABLE_ROWS - (len(shown) - len(groups)):]:
                r["shown"] = False  # the totals stay in the table
            kf["notes"].append(w["rows_cut"].format(shown=sum(r["shown"] for r in rows), total=len(rows)))
    if charts and rows:
        svg, note = _chart(kf, rows, spec, w, lang)
        if svg:
            kf["chart"] = {"svg": svg, "note": note}
        elif note:
            kf["notes"].append(note)
    return kf


def _value_words(column: str, value: Any, w: dict, names: Mapping[str, Any], lang: str) -> str:
    """A breakdown value on its own, as in a headline's label: `Efter`, `Vejle`, `fase 1` (a number
    says which column it is)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        title = names.get("columns", {}).get(column) or short(column)  # the Dataset spec's title ("CTI-fase")
        return f"{title} {value}"
    return value_label(column, value, w, names, lang)


def _previous(period: str) -> str:
    return previous_period(period) or "–"
