"""A published results file (eval JSON/CSV/XLSX, the report's HTML or workbook) → the rows an
attacker reads from it → every hidden cell whose interval is narrower than the protection level.

The audit knows only what the file publishes and the catalogue (which is public): which key
figures count the same units of the same population (`engine.linked.links_of`). It does not
trust the file's own marks beyond "this cell is hidden": every hidden cell, primary or
secondary, must keep an interval at least the protection level wide.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine.linked import EPSILON, Interval, Published, build, interval, relation_index
from hfspec.source import SourceFile, display_path, point
from hfspec.words import RESULTS_WORKBOOK

#: The report workbook's column of published cells as data (words.REPORT_XLSX `cell_column`, da and en).
CELL_COLUMNS = ("hfspec-celle", "hfspec-cell")
#: How the about sheet of `hfspec eval`'s workbook names k, in either language (and before it had words).
K_LABELS = ("suppress_below", *(RESULTS_WORKBOOK[lang]["smallest_group"] for lang in RESULTS_WORKBOOK))
#: Between a key figure's id and the source of a cell from other data than the file's own (a
#: comparison of several data folders): such cells are an output of their own.
SOURCE_MARK = "@"
#: Columns of the long CSV format that are not breakdowns.
_FIXED_COLUMNS = {"indicator", "title", "type", "unit", "period", "total_over", "headline", "value", "n", "suppressed", "target", "status"}


@dataclass
class Cell:
    """A hidden cell of the file and where it is (line and column in the file, or a sheet row)."""

    indicator: str
    period: str | None
    by: dict[str, Any]
    total_over: tuple[str, ...]
    line: int | None = None
    col: int = 1
    place: str = ""  # a sheet and row, where the file has no lines


@dataclass
class Finding:
    cell: Cell
    interval: Interval


@dataclass
class Audit:
    """What the audit read and found."""

    path: Path
    kind: str  # json, csv, xlsx, html
    rows: int
    hidden: int
    findings: list[Finding]
    suppress_below: int | None = None
    level: float | None = None


def _number(text: Any) -> float | None:
    if text is None or text == "" or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    try:
        return float(str(text).replace(",", "."))
    except ValueError:
        return None


def _not_results(path: Path, why: Message) -> HfspecError:
    return HfspecError([Diagnostic("HF811", Message("audit.not_results", file=display_path(path), why=why), None, hint=Message("audit.not_results_hint"))])


def read_rows(path: Path, specs: dict) -> tuple[str, list[Published], dict[Any, Cell], int | None]:
    """The rows of a results file as the attacker reads them, and where each hidden cell is."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise HfspecError([Diagnostic("HF100", Message("audit.no_file", file=display_path(path)), None, hint=Message("audit.no_file_hint"))])
    if suffix == ".json":
        return ("json", *_read_json(path))
    if suffix == ".csv":
        return ("csv", *_read_csv(path, specs))
    if suffix == ".xlsx":
        return ("xlsx", *_read_xlsx(path, specs))
    if suffix in (".html", ".htm"):
        return ("html", *_read_html(path))
    raise _not_results(path, Message("audit.why_type", suffix=suffix or "(none)"))


def _read_json(path: Path):
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_results(path, Message("audit.why_json", error=error.msg, line=error.lineno)) from None
    if not isinstance(data, dict) or not str(data.get("format", "")).startswith("hfspec-results/"):
        raise _not_results(path, Message("audit.why_format"))
    # the i-th row is the i-th `"suppressed":` key of the file (json.dumps writes rows in order)
    marks = [m.start() for m in re.finditer(r'"suppressed"\s*:', text)]
    source = SourceFile.from_text(display_path(path), text)
    rows, cells, i = [], {}, 0
    for item in data.get("indicators", []):
        for r in item.get("rows", []):
            ref = ("json", i)
            over = tuple(r.get("total_over") or ())
            rows.append(Published(ref, item["id"], r.get("period"), dict(r.get("by") or {}), over, _number(r.get("value")),
                                  _number(r.get("n")), bool(r.get("suppressed"))))
            if r.get("suppressed"):
                line, col = source.position(marks[i]) if i < len(marks) else (None, 1)
                cells[ref] = Cell(item["id"], r.get("period"), dict(r.get("by") or {}), over, line, col)
            i += 1
    return rows, cells, data.get("suppress_below")


def _breakdowns(indicator: str, record: dict[str, Any], columns: list[str], specs: dict, over: tuple[str, ...]) -> dict[str, Any]:
    spec = specs.get(indicator)
    names = [c for c in (spec.by if spec is not None else columns) if c in record] if spec is not None else \
        [c for c in columns if record.get(c) not in (None, "")]
    return {c: (None if record.get(c) in (None, "") else str(record.get(c))) for c in names if c not in over}


def _read_csv(path: Path, specs: dict):
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"indicator", "value", "suppressed"} <= set(reader.fieldnames):
        raise _not_results(path, Message("audit.why_columns"))
    columns = [c for c in reader.fieldnames if c not in _FIXED_COLUMNS]
    rows, cells = [], {}
    for i, record in enumerate(reader):
        ref = ("csv", i)
        over = tuple(x for x in (record.get("total_over") or "").split(";") if x)
        hidden = record.get("suppressed") == "true"
        by = _breakdowns(record["indicator"], record, columns, specs, over)
        period = record.get("period") or None
        rows.append(Published(ref, record["indicator"], period, by, over, _number(record.get("value")), _number(record.get("n")), hidden))
        if hidden:
            cells[ref] = Cell(record["indicator"], period, by, over, reader.line_num, 1)
    return rows, cells, None


def _read_xlsx(path: Path, specs: dict):
    """`hfspec eval`'s workbook (the long format per sheet, k on the about sheet) or the report's
    (the `hfspec-celle` column: each row's published cells as data)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise _not_results(path, Message("audit.why_workbook", error=type(error).__name__)) from None
    rows, cells = [], {}
    k = None
    try:
        for ws in book.worksheets:
            values = list(ws.iter_rows(values_only=True))
            if not values or not values[0]:
                continue
            header = [str(h) if h is not None else "" for h in values[0]]
            if any(line and line[0] in K_LABELS for line in values):  # the about sheet
                k = next((int(line[1]) for line in values if line and line[0] in K_LABELS), k)
                continue
            data_col = next((i for i, h in enumerate(header) if h in CELL_COLUMNS), None)
            if data_col is not None:
                for number, line in enumerate(values[1:], start=2):
                    text = line[data_col] if data_col < len(line) else None
                    if not text:
                        continue
                    found = json.loads(text)
                    for j, d in enumerate(found if isinstance(found, list) else [found]):
                        row = _from_cell_data(d, ("xlsx", ws.title, number, j))
                        rows.append(row)
                        if row.hidden:
                            cells[row.ref] = Cell(row.indicator, row.period, row.by, row.total_over, None, 1, f"sheet {ws.title}, row {number}")
                continue
            if not {"indicator", "value", "suppressed"} <= set(header):
                continue
            columns = [c for c in header if c not in _FIXED_COLUMNS]
            for number, line in enumerate(values[1:], start=2):
                record = dict(zip(header, line))
                if not record.get("indicator"):
                    continue
                ref = ("xlsx", ws.title, number)
                over = tuple(x for x in str(record.get("total_over") or "").split(";") if x)
                hidden = record.get("suppressed") in (True, "true", "TRUE", 1)
                by = _breakdowns(str(record["indicator"]), record, columns, specs, over)
                period = None if record.get("period") in (None, "") else str(record.get("period"))
                value = None if hidden else _number(record.get("value"))
                rows.append(Published(ref, str(record["indicator"]), period, by, over, value, _number(record.get("n")), hidden))
                if hidden:
                    cells[ref] = Cell(str(record["indicator"]), period, by, over, None, 1, f"sheet {ws.title}, row {number}")
    finally:
        book.close()
    return rows, cells, k


def _from_cell_data(d: dict[str, Any], ref: Any) -> Published:
    """A cell of the report (`report.key_figures.cell_data`: in `data-*` attributes, or as JSON in the workbook)."""
    hidden = d.get("hidden") == "true"
    indicator = d["indicator"] + (SOURCE_MARK + d["source"] if d.get("source") else "")
    return Published(ref, indicator, d.get("period") or None, json.loads(d.get("by") or "{}"), tuple((d.get("total") or "").split()),
                     None if hidden else _number(d.get("value")), _number(d.get("n")), hidden)


def _read_html(path: Path):
    """The management report's published cells: every element with `data-cell` (key-figure rows,
    comparison cells; report/templates/report_macros.html.j2 `cell_data`)."""
    from html.parser import HTMLParser

    text = path.read_text(encoding="utf-8")
    found: list[tuple[dict[str, str], tuple[int, int]]] = []

    class Cells(HTMLParser):
        def handle_starttag(self, tag, attrs):
            named = {k: v for k, v in attrs if v is not None}
            if "data-cell" in named:
                found.append((named, self.getpos()))

    Cells().feed(text)
    if not found:
        raise _not_results(path, Message("audit.why_html"))
    rows, cells = [], {}
    for i, (attrs, (line, col)) in enumerate(found):
        row = _from_cell_data({k[5:]: v for k, v in attrs.items() if k.startswith("data-")} | {"indicator": attrs["data-cell"]}, ("html", i))
        rows.append(row)
        if row.hidden:
            cells[row.ref] = Cell(row.indicator, row.period, row.by, row.total_over, line, col + 1)
    return rows, cells, None


def audit(path: Path, project, protection: float | None = None, k: int | None = None) -> Audit:
    """Run the attacker on a results file: every hidden cell whose interval, given everything the
    file publishes and the catalogue's relations, is narrower than the protection level (default:
    the file's k, else `k`)."""
    from hfspec.engine.linked import links_of

    specs = {iid: c.spec for iid, c in project.compiled.items()}
    kind, rows, cells, file_k = read_rows(path, specs)
    k_used = file_k if file_k is not None else k
    level = protection if protection is not None else k_used
    links = links_of(project, sorted({r.indicator.partition(SOURCE_MARK)[0] for r in rows}))
    for r in rows:
        base, mark, source = r.indicator.partition(SOURCE_MARK)
        if mark and base in links and links[base].population is not None:  # other data: a population of its own
            links[r.indicator] = replace(links[base], population=(*links[base].population, source))
        # an indicator the catalogue does not know: its cells are tied only to each other
        links.setdefault(r.indicator, _own(r.indicator))
    system = build(rows, links)
    index = relation_index(system)
    findings = []
    seen: set[int] = set()
    vars_of: dict[Any, list[int]] = {}
    for v, refs in system.rows_of.items():
        for ref in refs:
            vars_of.setdefault(ref, []).append(v)
    for ref, cell in cells.items():
        for v in vars_of.get(ref, ()):
            if v in seen or v not in system.hidden:
                continue
            seen.add(v)
            found = interval(system, v, index)
            if level and found.width < level - EPSILON:
                findings.append(Finding(cell, found))
    return Audit(path, kind, len(rows), len(cells), findings, k_used, level)


def _own(indicator: str):
    from hfspec.engine.linked import Link

    return Link(("own", indicator))


def finding_diagnostic(finding: Finding, level: float, source: SourceFile | None) -> Diagnostic:
    """One recoverable hidden cell as a diagnostic at its place in the file. The message gives the
    width of the interval, never its ends: they would print the hidden value."""
    cell = finding.cell
    group: str | Message = ", ".join(f"{k} = {v}" for k, v in cell.by.items()) or Message("audit.group_total")
    if cell.total_over:
        group = Message("audit.total_over", group=group, over=", ".join(cell.total_over))
    indicator, compared, _ = cell.indicator.partition(SOURCE_MARK)
    where = Message("audit.in_period", period=cell.period) if cell.period else ""
    compared = Message("audit.in_comparison") if compared else ""
    width = finding.interval.width
    span = point(source, cell.line, cell.col) if source is not None and cell.line else None
    place = f" ({cell.place})" if cell.place else ""
    parts = dict(indicator=indicator, group=group, where=where, compared=compared, place=place)
    message = Message("audit.exact", **parts) if width < EPSILON else Message("audit.narrow", width=_show(width), level=_show(level), **parts)
    return Diagnostic("HF810", message, span, hint=Message("audit.recoverable_hint"))


def _show(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 1e-3 else f"{x:.2f}"
