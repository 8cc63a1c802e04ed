"""A `engine.compare.Comparison` → the report's comparison across municipalities: per type of key
figure a table with one row per key figure and one column per municipality, and the overall
value last.

Every cell is the engine's cell (`ResultRow`): its value, or the suppression mark where the cell
is suppressed – each municipality's column has its own small cells hidden – or `–` where the
municipality has no such cell. Nothing is computed here. A table has at most `MAX_UNIT_COLUMNS`
municipalities, so that it fits the A4 page; more municipalities continue in the next table.
"""

from __future__ import annotations

from typing import Any

from hfspec.engine.disclosure import published
from hfspec.report.key_figures import cell_data, status, status_key, value_text
from hfspec.words import INDICATOR_TYPES, REPORT, SUPPRESSED, TYPE_TITLES, UNITS, format_number

#: Municipalities per table (the overall value is one column more): more do not fit the A4 width.
MAX_UNIT_COLUMNS = 6


def _cell(row, spec, k: int, lang: str, w: dict, source: str = "") -> dict[str, Any]:
    if row is None:
        return {"value": None, "suppressed": False, "secondary": False, "text": "–", "n_text": "", "status": None, "missing": True, "cell": None}
    shown, n = published(row.value, row.n, row.suppressed, k, row.hides_n)
    value = float(shown) if isinstance(shown, (int, float)) and not isinstance(shown, bool) else None
    st = status(status_key(True, {"status": row.status}), w) if spec.target else None
    return {"value": value, "suppressed": bool(row.suppressed), "secondary": row.secondary,
            "text": value_text(shown, row.suppressed, spec.unit, spec.decimals, lang, row.secondary),
            "n_text": "" if n is None else format_number(n, None, lang), "status": st, "missing": False,
            "cell": cell_data(spec.id, row, value, n, source)}


def compare_context(comparison, lang: str) -> dict[str, Any]:
    """The comparison as plain data: units, the key figures by type (each with its cells), the
    tables the units are split into, and the intro in words."""
    w = REPORT[lang]
    k = comparison.suppress_below
    # cells of other data than the report's own (several folders, or stored runs) form an output of
    # their own for `hfspec audit`: their totals are not the totals of the report's cells
    source = "" if comparison.source == "data" and not comparison.folders else comparison.source + ":" + ",".join(comparison.folders or [comparison.history or ""])
    indicators = []
    for ic in comparison.indicators:
        spec = ic.spec
        cells = [_cell(ic.cells.get(u), spec, k, lang, w, source) for u in comparison.units]
        note = "" if ic.available else w["compare_not_split"].format(c=comparison.column)
        indicators.append({"id": spec.id, "title": spec.title.get(lang), "type": spec.type, "unit_key": spec.unit,
                           "unit": UNITS[lang].get(spec.unit, spec.unit) if spec.unit else None, "available": ic.available, "note": note,
                           "cells": cells, "overall": _cell(ic.overall, spec, k, lang, w, source) if comparison.has_overall else None})
    units = [{"label": u} for u in comparison.units]
    chunks = [list(range(i, min(i + MAX_UNIT_COLUMNS, len(units)))) for i in range(0, len(units), MAX_UNIT_COLUMNS)] or [[]]
    if comparison.source == "data":
        source = w["compare_sources"].format(names=", ".join(comparison.folders)) if comparison.folders else ""
        intro = w["compare_intro_data"].format(c=comparison.column, src=source, k=k, s=SUPPRESSED[lang])
    else:
        intro = w["compare_intro_history"].format(f=comparison.history, o=comparison.overall or "–")
    types = [{"id": kind, "title": TYPE_TITLES[lang][kind], "indicators": [kf for kf in indicators if kf["type"] == kind]}
             for kind in INDICATOR_TYPES]
    return {"source": comparison.source, "intro": intro, "units": units, "chunks": chunks, "column": comparison.column,
            "has_overall": comparison.has_overall, "overall_label": w["compare_overall"] if comparison.source == "data" else (comparison.overall or ""),
            "no_overall": "" if comparison.has_overall else w["compare_no_overall"],
            "indicators": indicators, "types": [t for t in types if t["indicators"]],
            "empty": w["compare_no_units"].format(why=intro) if not units else ""}
