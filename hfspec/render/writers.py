"""Result → CSV, JSON and XLSX files in the stable long format (docs/results-format.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hfspec.engine.results import LEADING_COLUMNS, TOTAL_COLUMNS, TRAILING_COLUMNS, Result
from hfspec.render.output import save_workbook
from hfspec.render.spreadsheet import CsvWriter, xlsx_append
from hfspec.words import INDICATOR_TYPES, NOT_FOR_PUBLICATION, RESULTS_WORKBOOK, SECONDARY, SECONDARY_NOTE, TYPE_NAMES, suppressed_mark


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
    """One sheet per indicator type plus an 'Om' (about) sheet; suppressed cells are marked."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.Workbook()
    book.remove(book.active)
    by_cols = result.by_columns()
    totals = list(TOTAL_COLUMNS) if result.totals else []
    header = ["indicator", "title", "period", *by_cols, *totals, "value", "n", "suppressed", "target", "status"]
    grey = PatternFill("solid", fgColor="DDDDDD")
    for typ in INDICATOR_TYPES:
        records = [r for r in result.records(lang) if r["type"] == typ]
        if not records:
            continue
        ws = book.create_sheet(TYPE_NAMES[lang][typ])
        xlsx_append(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for rec in records:
            row = [rec["indicator"], rec["title"], rec["period"], *[rec.get(c) for c in by_cols], *[rec[c] for c in totals],
                   suppressed_mark(rec["secondary"], lang) if rec["suppressed"] else rec["value"], rec["n"], rec["suppressed"], rec["target"], rec["status"]]
            value_cell = ws.cell(row=xlsx_append(ws, row), column=len(header) - 4)
            if rec["suppressed"]:
                value_cell.fill = grey
            elif rec["unit"] == "share":
                value_cell.number_format = "0.0%"
            elif isinstance(rec["value"], float):
                value_cell.number_format = "#,##0.00"
        ws.column_dimensions["B"].width = 50
    about = book.create_sheet(RESULTS_WORKBOOK[lang]["about"])
    xlsx_append(about, ["hfspec", "results"])
    xlsx_append(about, ["suppress_below", result.suppress_below])
    if any(r.secondary for ir in result.indicators for r in ir.rows):
        xlsx_append(about, ["secondary_suppression", SECONDARY_NOTE[lang].format(s=SECONDARY[lang])])
    if result.not_for_publication:
        about.insert_rows(1)
        about["A1"] = NOT_FOR_PUBLICATION[lang].format(k=result.suppress_below)
        book.move_sheet(about, offset=-(len(book.sheetnames) - 1))
        book.active = 0
    if not book.sheetnames:
        book.create_sheet("Tom")
    save_workbook(book, path)
