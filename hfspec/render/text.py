"""Result → a readable terminal table, grouped by indicator, in Danish by default: the type, unit
and target in words, the breakdowns and their values by their titles in the Dataset specs. Group
labels from the data and titles are printed as text only (`source.printable`)."""

from __future__ import annotations

from hfspec.engine.disclosure import published
from hfspec.engine.results import Result
from hfspec.source import printable
from hfspec.words import (
    NOT_FOR_PUBLICATION, RESULTS_TABLE, SECONDARY, SECONDARY_NOTE, STATUS_WORDS, SUPPRESSED, TYPE_WORDS, UNITS, format_number, suppressed_mark,
    target_words,
)


def render_table(result: Result, lang: str = "da", color: bool = False) -> str:
    w = RESULTS_TABLE[lang]
    out: list[str] = []
    if result.not_for_publication:
        out += [NOT_FOR_PUBLICATION[lang].format(k=result.suppress_below), ""]
    for ir in result.indicators:
        spec = ir.spec
        bits = [TYPE_WORDS[lang].get(spec.type, spec.type)]
        if spec.unit:
            bits.append(UNITS[lang].get(spec.unit, spec.unit))
        if spec.parsed_target:
            bits.append(f"{w['target']}: {target_words(spec.parsed_target, lang)['text']}")
        head = printable(f"{spec.id}  {spec.title.get(lang)}")
        out.append(f"\x1b[1m{head}\x1b[0m" if color else head)
        out.append("  " + " · ".join(bits))
        columns = ([w["period"]] if ir.period else []) + [ir.column_title(b, lang) for b in ir.by] + [w["value"], w["n"]] + ([w["status"]] if spec.target else [])
        body = []
        for r in sorted(ir.rows, key=ir.display_key):
            cells = ([w["all"] if "period" in r.total_over else r.period or "–"] if ir.period else []) + [
                w["all"] if b in r.total_over else printable(ir.value_title(b, r.by.get(b), lang)) for b in ir.by]
            value, n = published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)
            cells.append(suppressed_mark(r.secondary, lang) if r.suppressed else format_number(value, spec.unit, lang, spec.decimals))
            cells.append("" if n is None else format_number(n, None, lang))
            if spec.target:
                cells.append(STATUS_WORDS[lang].get(r.status, "") if r.status else "")
            body.append(cells)
        if not body:
            out.append("  " + w["none"])
            out.append("")
            continue
        widths = [max(len(str(c)) for c in col) for col in zip(columns, *body)]
        numeric = {len(columns) - (3 if spec.target else 2), len(columns) - (2 if spec.target else 1)}
        def line(cells):
            return "  " + "  ".join(str(c).rjust(widths[i]) if i in numeric else str(c).ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
        out.append(line(columns))
        out.append("  " + "  ".join("─" * x for x in widths))
        out.extend(line(c) for c in body)
        out.append("")
    k = result.suppress_below
    out.append(w["footer"].format(k=k, s=SUPPRESSED[lang]) if k > 0 else w["nofooter"])
    if any(r.secondary for ir in result.indicators for r in ir.rows):
        out.append(SECONDARY_NOTE[lang].format(s=SECONDARY[lang]))
    return "\n".join(out)
