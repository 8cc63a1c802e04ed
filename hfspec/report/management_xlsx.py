"""The management report's context (management.report_context) → an Excel workbook.

The same content as the HTML report, for people who open it in Excel or LibreOffice: a summary
sheet, one sheet per type of key figure (every result row – groups and totals – not only those the
HTML table shows, with the headline marked and the change since the previous period), and sheets
for the rule check, the worker summary, the comparison, the history and SØM when they are part
of the report. Numbers stay numbers with number formats (`0.0%`, `#,##0`): the format codes are
locale-independent, and Excel and LibreOffice show them with the reader's decimal comma and
thousands separator. A suppressed value is an **empty cell** on a grey background, with the word
`ja` in a *Diskretioneret* column beside it (or, where one row holds several values, a cell
comment) – so a number column holds numbers only and can be summed, filtered and pivoted; a value
hidden by secondary suppression says so (`skjult (sekundær)`). A last, hidden column
(`hfspec-celle`) holds each row's published cells as data for `hfspec audit`. Every
table has an autofilter; header rows are frozen, column widths are set. openpyxl is imported
inside the writer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hfspec.render.output import save_workbook
from hfspec.render.spreadsheet import xlsx_append
from hfspec.words import REPORT_SHEETS, format_number

GREY = "DDDDDD"
HEADER_FILL = "E8F0F6"
STATUS_COLOURS = {"met": "2E7D5B", "not_met": "B3261E", "unknown": "5F6B7A", "no_target": "5F6B7A"}
#: Widest column (characters); longer texts wrap.
MAX_WIDTH = 60
#: Height (points) of one line of text; rows with wrapped text get one per line, because
#: spreadsheet programs do not always grow a row to fit text written by another program.
LINE_HEIGHT = 15


def _font(**style):
    """A font in the workbook's default face, so that styled cells do not switch typeface."""
    from openpyxl.styles import Font

    return Font(name="Calibri", size=11, **style)


class _Sheet:
    """A worksheet with a bold, frozen header row and helpers for typed cells."""

    def __init__(self, book, name: str, header: list[str]):
        from openpyxl.styles import Alignment, PatternFill

        self.ws = book.create_sheet(name)
        xlsx_append(self.ws, header)
        for cell in self.ws[1]:
            cell.font = _font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        self.ws.freeze_panes = "A2"
        self.widths = [len(str(h)) for h in header]

    def row(self, values: list[Any]) -> int:
        row = xlsx_append(self.ws, values)
        for i, v in enumerate(values):
            if i >= len(self.widths):
                self.widths.append(0)
            self.widths[i] = max(self.widths[i], min(MAX_WIDTH, len(_shown(v))))
        return row

    def cell(self, row: int, col: int):
        return self.ws.cell(row=row, column=col)

    def number(self, row: int, col: int, fmt: str) -> None:
        self.cell(row, col).number_format = fmt

    def suppressed(self, row: int, col: int, comment: str | None = None) -> None:
        """An empty, grey cell (the value is suppressed); `comment` says so where no marker column does."""
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill

        c = self.cell(row, col)
        c.value = None
        c.fill = PatternFill("solid", fgColor=GREY)
        if comment:
            c.comment = Comment(comment, "hfspec")

    def autofilter(self, last_row: int | None = None) -> None:
        """A filter on the header row of the sheet's table (rows 1 to `last_row`, default all)."""
        from openpyxl.utils import get_column_letter

        last = last_row or self.ws.max_row
        self.ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(self.widths)))}{max(1, last)}"

    def status(self, row: int, col: int, key: str | None) -> None:
        if key:
            self.cell(row, col).font = _font(bold=key in ("met", "not_met"), color=STATUS_COLOURS.get(key, "000000"))

    def finish(self, wrap: tuple[int, ...] = ()) -> None:
        from openpyxl.styles import Alignment
        from openpyxl.utils import get_column_letter

        widths = [max(8, min(MAX_WIDTH, w + 2)) for w in self.widths]
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        for row in self.ws.iter_rows(min_row=2):
            lines = 1
            for cell in row:
                if cell.column in wrap and isinstance(cell.value, str):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    chars = max(1, int(widths[cell.column - 1] * 1.3) - 1)  # widths count '0's; text is narrower
                    lines = max(lines, sum(-(-max(1, len(part)) // chars) for part in cell.value.split("\n")))
                elif cell.value is not None:
                    cell.alignment = Alignment(vertical="top")
            if lines > 1:
                self.ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
        # printing: landscape A4, every column on one page width, the header row on every page
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        self.ws.page_setup.orientation = "landscape"
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.fitToWidth, self.ws.page_setup.fitToHeight = 1, 0
        self.ws.print_title_rows = "1:1"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value, None, "en", 1)
    return str(value)


def number_format(unit_key: str | None, value: float | None, decimals: int | None = None) -> str:
    """The cell format of a key-figure value: shares as percent, whole numbers grouped.

    >>> number_format("share", 0.5), number_format("citizens", 12.0), number_format("days", 33.7)
    ('0.0%', '#,##0', '#,##0.0')
    """
    if unit_key == "share":
        return "0." + "0" * decimals + "%" if decimals else "0.0%"
    if value is not None and float(value).is_integer() and not decimals:
        return "#,##0"
    return "#,##0." + "0" * (decimals or 1)


def write_report_xlsx(context: dict[str, Any], path: Path) -> None:
    """Write the workbook. Raises HF803 when the file cannot be written."""
    import openpyxl

    lang = context["lang"]
    t, names = context["t"], REPORT_SHEETS[lang]
    book = openpyxl.Workbook()
    book.remove(book.active)
    _summary(book, context, names["summary"])
    for typ in context["types"]:
        _key_figures(book, typ, t, names[typ["id"]])
    if context["findings"] is not None:
        _findings(book, context["findings"], t, names["findings"])
    if context["workers"] is not None:
        _workers(book, context["workers"], t, names["workers"])
    if context.get("compare") is not None:
        _compare(book, context["compare"], t, names["compare"])
    if context["history"] is not None:
        _history(book, context["history"], t, names["history"])
    if context["som"] is not None:
        _som(book, context["som"], t, names["som"])
    save_workbook(book, path)


def _summary(book, context: dict[str, Any], name: str) -> None:
    t, report = context["t"], context["report"]
    if report.get("not_for_publication"):  # a first sheet that says so before anything else
        notice = book.create_sheet(report["not_for_publication"].split(":")[0][:31], 0)
        notice["A1"] = report["not_for_publication"]
        book.active = 0
    sheet = _Sheet(book, name, [t["type"], f"✔ {t['met']}", f"✖ {t['not_met']}", f"– {t['no_target']}", f"? {t['unknown']}", t["total"]])
    for row in context["summary"]:
        sheet.row([row["label"], row["met"], row["not_met"], row["no_target"], row["unknown"], row["count"]])
    sheet.autofilter(len(context["summary"]) + 1)
    sheet.row([])
    sheet.row([t["document"], context["catalogue"]["title"]])
    sheet.row([t["catalogue"], context["catalogue"]["id"]])
    sheet.row([t["data_period"], report["period_text"]])
    if report["reference_date"]:
        sheet.row([t["reference_date"], report["reference_date"]])
    sheet.row([t["suppression"], report["suppression_text"]])
    for note in report["notes"]:
        sheet.row(["", note])
    for why in context["unavailable"].values():
        sheet.row(["", why])
    sheet.row([])
    sheet.row([t["dataset"], t["rows"]])
    for d in context["datasets"]:
        r = sheet.row([d["id"], d["rows"]])
        sheet.number(r, 2, "#,##0")
    sheet.widths[0] = max(sheet.widths[0], 20)
    sheet.widths[1] = 45
    sheet.finish(wrap=(2,))


def _key_figures(book, typ: dict[str, Any], t: dict[str, Any], name: str) -> None:
    """Every row of every key figure of the type: groups and totals (their breakdown cells say
    `I alt`/`Alle`), the value (empty when suppressed), n, the change since the previous period,
    the status, and marks for the headline and for suppression."""
    by_keys: list[str] = []
    titles: list[str] = []
    for kf in typ["indicators"]:
        for b in kf["by_keys"]:
            if b not in by_keys:
                by_keys.append(b)
                titles.append(kf["titles"]["columns"][b])
    changes = any(kf["has_change"] for kf in typ["indicators"])
    header = [t["key_figures"], t["title"], t["unit"], t["target"], t["period"], *titles, t["value"], t["n"],
              *([t["change"]] if changes else []), t["status"], t["headline"], t["suppression_mark"], t["cell_column"]]
    sheet = _Sheet(book, name, header)
    value_col = 6 + len(by_keys)
    change_col = value_col + 2 if changes else None
    status_col = value_col + 2 + (1 if changes else 0)
    for kf in typ["indicators"]:
        target = kf["target"]["text"] if kf["target"] else ""
        if not kf["rows"]:
            sheet.row([kf["id"], kf["title"], kf["unit"] or "", target, "", *[""] * len(by_keys), None, None,
                       *([None] if changes else []), "", "", "", ""] + kf["notes"])
            continue
        for r in kf["rows"]:
            cells = dict(zip(kf["by_keys"], r["cells"][1:] if kf["period"] else r["cells"]))
            period = r["cells"][0] if kf["period"] else ""
            status = r["status_info"]
            change = r.get("change")
            row = sheet.row([kf["id"], kf["title"], kf["unit"] or "", target, period, *[cells.get(b, "") for b in by_keys],
                             None if r["suppressed"] else r["value"], r["n"],
                             *([change["value"] if change and not change["suppressed"] else None] if changes else []),
                             f"{status['symbol']} {status['text']}" if status else "", "✔" if r["headline"] else "",
                             (t["secondary_mark"] if r["secondary"] else t["yes"]) if r["suppressed"] else "",
                             json.dumps(r["data"], ensure_ascii=False)])
            if r["suppressed"]:
                sheet.suppressed(row, value_col, t["secondary_comment"] if r["secondary"] else None)
            elif r["value"] is not None:
                sheet.number(row, value_col, number_format(kf["unit_key"], r["value"]))
            sheet.number(row, value_col + 1, "#,##0")
            if change_col and change:
                if change["suppressed"]:
                    sheet.suppressed(row, change_col, t["suppressed_comment"])
                elif change["value"] is not None:
                    sheet.number(row, change_col, ("+0.0%;-0.0%;0.0%" if kf["unit_key"] == "share" else "+#,##0.0;-#,##0.0;0"))
            sheet.status(row, status_col, status["key"] if status else None)
            if r["total"]:
                for col in range(1, len(header) + 1):
                    sheet.cell(row, col).font = _font(bold=True)
    sheet.widths[1] = min(max(sheet.widths[1], 30), 50)
    sheet.autofilter()
    sheet.finish(wrap=(2,))
    _hide_column(sheet, len(header))


def _findings(book, findings: dict[str, Any], t: dict[str, Any], name: str) -> None:
    sheet = _Sheet(book, name, [t["severity"], t["rule"], t["title"], t["checked"], t["unit"], t["failed"], t["citizens"], t["empty"], t["details"]])
    for r in findings["rules"]:
        details = "\n".join(r["messages"]) or r["count_text"]
        row = sheet.row([f"{r['state']['symbol']} {r['state']['text']}", r["id"], r["title"], r["checked"], r["unit"], r["failed"],
                         r["citizens"], r["unknown"], details])
        sheet.status(row, 1, {"ok": "met", "error": "not_met"}.get(r["state"]["key"], "unknown"))
    sheet.autofilter()
    sheet.finish(wrap=(3, 9))


def _workers(book, workers: dict[str, Any], t: dict[str, Any], name: str) -> None:
    header = [t["worker"], t["method"], t["active"], t["time_used"], *[s["title"] for s in workers["signals"]], t["worker_rules"],
              t["suppression_mark"]]
    sheet = _Sheet(book, name, header)
    n_signals = len(workers["signals"])
    for w in [*workers["rows"], workers["total"]]:
        cells = [w["citizens"], w["time_used"], *w["signal_counts"]]
        row = sheet.row([w["id"], w["methods"], *cells, "\n".join(w["rule_breaches"]), t["yes"] if w["suppressed"] else ""])
        for col in range(3, 5 + n_signals):
            if w["suppressed"]:
                sheet.suppressed(row, col)
            else:
                sheet.number(row, col, "0%" if col == 4 else "#,##0")
    for i in range(4, 4 + n_signals):
        sheet.widths[i] = min(sheet.widths[i], 18)
    last = sheet.ws.max_row
    if workers.get("note"):
        sheet.row([])
        sheet.row([workers["note"]])
    sheet.autofilter(last - 1)  # the total row stays below the filter
    sheet.finish(wrap=(len(header) - 1,))
    sheet.ws.row_dimensions[1].height = 48  # the signal titles wrap in the header


def _compare(book, compare: dict[str, Any], t: dict[str, Any], name: str) -> None:
    """The comparison: one row per key figure, one column per municipality and the overall value
    (empty and grey with a comment where suppressed or not available)."""
    units = [u["label"] for u in compare["units"]]
    header = [t["key_figures"], t["title"], t["unit"], *units, *([compare["overall_label"]] if compare["has_overall"] else []), t["cell_column"]]
    sheet = _Sheet(book, name, header)
    for kf in compare["indicators"]:
        cells = kf["cells"] + ([kf["overall"]] if compare["has_overall"] else [])
        row = sheet.row([kf["id"], kf["title"], kf["unit"] or "", *[c["value"] if not c["suppressed"] else None for c in cells],
                         json.dumps([c["cell"] for c in cells if c.get("cell")], ensure_ascii=False)])
        for i, c in enumerate(cells, start=4):
            if c["suppressed"]:
                sheet.suppressed(row, i, t["secondary_comment"] if c.get("secondary") else t["suppressed_comment"])
            elif c["value"] is not None:
                sheet.number(row, i, number_format(kf["unit_key"], c["value"]))
            elif c["text"]:
                sheet.cell(row, i).comment = _comment(c["text"])
    sheet.widths[1] = min(max(sheet.widths[1], 30), 50)
    sheet.autofilter()
    sheet.row([])
    sheet.row([compare["intro"]])
    sheet.finish(wrap=(2,))
    _hide_column(sheet, len(header))


def _hide_column(sheet, col: int) -> None:
    """Hide the `hfspec-celle` column: data for `hfspec audit`, not for reading."""
    from openpyxl.utils import get_column_letter

    sheet.ws.column_dimensions[get_column_letter(col)].hidden = True


def _comment(text: str):
    from openpyxl.comments import Comment

    return Comment(text, "hfspec")


def _history(book, history: dict[str, Any], t: dict[str, Any], name: str) -> None:
    runs = [r["label"] for r in history["runs"]]
    sheet = _Sheet(book, name, [t["key_figures"], t["title"], t["headline"], *runs])
    for h in history["indicators"]:
        row = sheet.row([h["id"], h["title"], h["group"], *[p["value"] for p in h["points"]]])
        for i, p in enumerate(h["points"], start=4):
            if p["suppressed"]:
                sheet.suppressed(row, i, t["suppressed_comment"])
            elif p["value"] is not None:
                sheet.number(row, i, number_format(h["unit_key"], p["value"]))
            else:
                sheet.cell(row, i).comment = _comment(p["text"])  # not computed, or its headline not stored
    sheet.autofilter()
    sheet.row([])
    sheet.row([t["run"], t["label"], t["stamp"], t["catalogue_hash"], t["data_hash"]])
    for r in history["runs"]:
        sheet.row([r["id"], r["label"], r["stamp"], r["catalogue_hash"], r["data_hash"]])
    sheet.widths[1] = min(max(sheet.widths[1], 30), 50)
    sheet.finish(wrap=(2,))


def _som(book, som: dict[str, Any], t: dict[str, Any], name: str) -> None:
    payers = list(som["acc_by_payer"])
    sheet = _Sheet(book, name, [t["year"], *payers, t["total"]])
    for i, year in enumerate(som["years"]):
        row = sheet.row([year, *[som["acc_by_payer"][p][i] for p in payers], som["acc_total"][i]])
        for col in range(2, len(payers) + 3):
            sheet.number(row, col, "#,##0")
    sheet.autofilter()
    sheet.row([])
    sheet.row([t["som"], som["title"] + (f" ({t['illustrative']})" if som["illustrative"] else "")])
    sheet.row([som["headline"]])
    sheet.row([som["refusion"]])
    for p in som["payers"]:
        r = sheet.row([f"{som['acc_title']}: {p['name']}", p["value"]])
        sheet.number(r, 2, "#,##0")
    r = sheet.row([f"{som['acc_title']}: {t['total']}", som["total"]["value"]])
    sheet.number(r, 2, "#,##0")
    sheet.row([t["break_even"], som["break_even"]["year"] if som["break_even"]["year"] is not None else som["break_even"]["text"]])
    r = sheet.row([t["return"], som["return_per_krone"]["value"]])
    sheet.number(r, 2, "#,##0.00")
    sheet.row([])
    sheet.row([t["payer"], *som["key_labels"]])
    for p in som["by_payer"]:
        r = sheet.row([p["name"], *(p[k] if p[k] is not None else som["not_within"] for k in ("break_even_year", "lasting_break_even_year")),
                       p["return_per_krone"], p["irr"]])
        sheet.number(r, 4, "#,##0.00")
        sheet.number(r, 5, "0.0%")
    sheet.widths[0] = min(sheet.widths[0], 40)
    sheet.finish()
