"""Result → CSV and JSON files in the stable long format for programs, and an XLSX workbook for
people (docs/results-format.md).

The CSV and JSON are data: their column names, keys and codes (`process`, `share`, `met`, `foer`)
are the same whatever the language, so that a program reading them does not break when someone
runs hfspec in English; only `title` follows `--lang`. The workbook is for people and speaks the
run's language throughout: headers, units, targets and statuses in words, and the breakdowns and
their values by their titles in the Dataset specs."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hfspec.engine.disclosure import published
from hfspec.engine.results import LEADING_COLUMNS, TOTAL_COLUMNS, TRAILING_COLUMNS, Result, cell_data, headline_cell
from hfspec.render.output import save_workbook
from hfspec.render.spreadsheet import CsvWriter, xlsx_append
from hfspec.words import (
    INDICATOR_TYPES, NOT_FOR_PUBLICATION, RESULTS_WORKBOOK, SECONDARY, SECONDARY_NOTE, STATUS_WORDS, SUPPRESSED, TYPE_NAMES, UNITS, YES_NO,
    suppressed_mark, target_words,
)


def to_csv(result: Result, lang: str = "da") -> str:
    """The long format; a text a spreadsheet would run as a formula gets a `'` in front (spreadsheet.py)."""
    records = result.records(lang)
    columns = [*LEADING_COLUMNS, *result.by_columns(), *(TOTAL_COLUMNS if result.totals else ()), *TRAILING_COLUMNS]
    buffer = io.StringIO()
    if result.not_for_publication:  # a first `#` line: such a file must not flow unnoticed into a publication
        buffer.write(f"# {NOT_FOR_PUBLICATION[lang].format(k=result.suppress_below)}\n")
    writer = CsvWriter(buffer, lineterminator="\n")
    writer.writerow(columns)
    for rec in records:
        row = {k: ("" if v is None else v) for k, v in rec.items()}
        row["suppressed"] = "true" if rec["suppressed"] else "false"
        if result.totals:
            row["headline"] = "true" if rec["headline"] else "false"
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def to_json(result: Result, lang: str = "da") -> str:
    return json.dumps(result.to_json(lang), ensure_ascii=False, indent=2, default=str)


def write_xlsx(result: Result, path: Path, lang: str = "da") -> None:
    """One sheet per indicator type plus an about sheet ('Om'), all in `lang`; suppressed cells
    are marked and grey."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    w = RESULTS_WORKBOOK[lang]
    book = openpyxl.Workbook()
    book.remove(book.active)
    by_cols = result.by_columns()
    owner = {b: ir for ir in reversed(result.indicators) for b in ir.by}  # a key figure that breaks down by each column
    totals = [w["total_over"], w["headline"]] if result.totals else []
    header = [w["indicator"], w["title"], w["unit"], w["period"], *[owner[b].column_title(b, lang) for b in by_cols], *totals,
              w["value"], w["n"], w["suppressed"], w["target"], w["status"], w["cell_column"]]
    value_column = header.index(w["value"]) + 1
    grey = PatternFill("solid", fgColor="DDDDDD")
    for typ in INDICATOR_TYPES:
        results = [ir for ir in result.indicators if ir.spec.type == typ]
        if not results:
            continue
        ws = book.create_sheet(TYPE_NAMES[lang][typ])
        xlsx_append(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for ir in results:
            spec = ir.spec
            unit = UNITS[lang].get(spec.unit, spec.unit) if spec.unit else None
            target = target_words(spec.parsed_target, lang)["text"].replace("\u00a0", " ") if spec.parsed_target else None
            head = headline_cell(ir) if result.totals else None
            for r in sorted(ir.rows, key=ir.display_key):
                value, n = published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)
                period = w["all"] if "period" in r.total_over else r.period
                by = [w["all"] if b in r.total_over else ir.value_title(b, r.by.get(b), lang) if b in ir.by else None for b in by_cols]
                over = [", ".join(ir.column_title(b, lang) if b != "period" else w["period"] for b in r.total_over) or None,
                        YES_NO[lang][r is head]] if result.totals else []
                row = xlsx_append(ws, [spec.id, spec.title.get(lang), unit, period, *by, *over,
                                       suppressed_mark(r.secondary, lang) if r.suppressed else value, n, YES_NO[lang][bool(r.suppressed)], target,
                                       STATUS_WORDS[lang].get(r.status) if r.status else None,
                                       json.dumps(cell_data(spec.id, r, value, n), ensure_ascii=False)])
                value_cell = ws.cell(row=row, column=value_column)
                if r.suppressed:
                    value_cell.fill = grey
                elif spec.unit == "share":
                    value_cell.number_format = "0.0%"
                elif isinstance(value, float):
                    value_cell.number_format = "#,##0.00"
        ws.column_dimensions["B"].width = 50
        ws.column_dimensions[get_column_letter(len(header))].hidden = True  # the cells as data, for `hfspec audit`
    about = book.create_sheet(w["about"])
    xlsx_append(about, [w["made_with"], "hfspec"])
    xlsx_append(about, [w["smallest_group"], result.suppress_below])
    for key, value in (("period_from", result.period_from), ("period_to", result.period_to)):
        if value:
            xlsx_append(about, [w[key], value])
    if any(r.secondary for ir in result.indicators for r in ir.rows):
        xlsx_append(about, [SECONDARY[lang], SECONDARY_NOTE[lang].format(s=SECONDARY[lang])])
    about.column_dimensions["A"].width = 40
    if result.not_for_publication:
        about.insert_rows(1)
        about["A1"] = NOT_FOR_PUBLICATION[lang].format(k=result.suppress_below)
        book.move_sheet(about, offset=-(len(book.sheetnames) - 1))
        book.active = 0
    if not book.sheetnames:
        book.create_sheet(w["empty"])
    save_workbook(book, path)
