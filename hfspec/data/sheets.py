"""CSV and XLSX files → text as a person sees the sheet: rows of cells with their line numbers,
and the column where each cell starts on its line (for diagnostics with a caret).

The one home of these rules, used by the data ingester (`ingest.py`: headers, XLSX, the excerpts
of bad cells) and by the CREAM ratings reader (`hfspec.cream.ratings`):

- text is UTF-8 (a BOM is skipped), else Windows-1252 (what Danish Excel writes), else Latin-1;
- the delimiter is the most frequent of `;`, `,`, tab and `|` in the first line;
- an XLSX sheet is written out as CSV with one record per Excel row, blank rows kept, so that
  record i is Excel's row i;
- headers are compared after `fold` (case, blanks, `-`/`_` and Danish letters ignored).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from hfspec.source import SourceFile, Span, display_path

#: The delimiters a CSV file may use, tried on its first line.
DELIMITERS = (";", ",", "\t", "|")


def fold(name: str) -> str:
    """A header in comparable form: lower case, æ→ae, ø→oe, å→aa, accents and blanks removed.

    >>> fold(" Bostøtte §85 ")
    'bostoettesel85'
    """
    text = name.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("§", "sel")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)))


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file, from its first line (`,` when none occurs).

    >>> sniff_delimiter("borger_id;alder;by"), sniff_delimiter("x")
    (';', ',')
    """
    counts = {d: first_line.count(d) for d in DELIMITERS}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def decode(raw: bytes) -> str:
    """A file's bytes as text: UTF-8 (a BOM is skipped), else Windows-1252, else Latin-1.

    >>> decode("Køge".encode("utf-8-sig")), decode("Køge".encode("cp1252"))
    ('Køge', 'Køge')
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes that Windows-1252 leaves undefined
        return raw.decode("latin-1")


def utf8_copy(path: Path, tmp: Path) -> Path:
    """A copy of a text file in UTF-8 (read with `decode`), in the folder `tmp`."""
    target = tmp / f"{path.stem}.utf8.csv"
    target.write_text(decode(path.read_bytes()), encoding="utf-8")
    return target


def xlsx_to_csv(path: Path, tmp: Path, sheets: Sequence[str] = ()) -> Path:
    """A workbook's sheet as a UTF-8 CSV file in `tmp`: the first of `sheets` that the workbook
    has, else its first sheet. Blank rows are kept (as empty cells), so record i is Excel row i."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        name = next((s for s in sheets if s in book.sheetnames), None)
        ws = book[name] if name else book.worksheets[0]
        target = tmp / f"{path.stem}.xlsx.csv"
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            width = 0
            for row in ws.iter_rows(values_only=True):
                cells = ["" if v is None else _xlsx_text(v) for v in (row or ())]
                width = width or len(cells)
                writer.writerow(cells if any(cells) else [""] * max(width, 1))
    finally:
        book.close()
    return target


def _xlsx_text(value: Any) -> str:
    """An XLSX cell as the text a CSV export would hold (dates ISO, whole floats without `.0`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def other_separator(cells: Sequence[str], delimiter: str) -> str | None:
    """The separator a header was written with when it was read as one cell: Danish Excel opens a
    `,`-separated file with the whole header in column A, and saves it so, `;`-separated.

    >>> other_separator(["borger_id,kommune,alder", "", ""], ";"), other_separator(["a", "b"], ";")
    (',', None)
    """
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return None
    counts = {d: filled[0].count(d) for d in DELIMITERS if d != delimiter}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


@dataclass(frozen=True)
class BadLine:
    """A record of a CSV file that does not fit its header: `kind` is "separator" (it has the
    header's width when split on `other`), "width" (another number of cells), "quote" (a quote
    that is never closed, so the record runs to the end of the file) or "unknown" (not CSV)."""

    line: int
    kind: str
    cells: int
    other: str | None = None


def bad_lines(text: str, delimiter: str) -> list[BadLine]:
    r"""The records of a CSV text (header first) whose number of cells differs from the header's,
    and a quote never closed. For the diagnostics of a file DuckDB could not read.

    >>> [(b.line, b.kind, b.other) for b in bad_lines('a;b;c\n1;2;3\n4,5,6\n7;8\n', ";")]
    [(3, 'separator', ','), (4, 'width', None)]
    """
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    width, found, line = None, [], 1
    try:
        for record in reader:
            if width is None:
                width = len(record)
            elif record and any(cell.strip() for cell in record) and len(record) != width:
                raw = lines[line - 1] if line <= len(lines) else ""
                other = next((d for d in DELIMITERS if d != delimiter and len(next(csv.reader([raw], delimiter=d), [])) == width), None)
                found.append(BadLine(line, "separator" if other else "width", len(record), other))
            line = reader.line_num + 1
    except csv.Error as error:  # a quote never closed (the record starting at `line` runs on to the end), NUL bytes, ...
        found.append(BadLine(line, "quote" if "unexpected end of data" in str(error) else "unknown", 0))
    return found


def cell_column(line: str, index: int, delimiter: str) -> int:
    """The 1-based character column where cell `index` starts in a CSV line.

    >>> cell_column('B1;"a;b";7', 2, ";")
    10
    """
    if not delimiter:
        return 1
    try:
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return 1
    pos = 0
    for i in range(min(index, len(cells))):
        raw = cells[i]
        quoted = line[pos:pos + 1] == '"'
        pos += len(raw) + (2 + raw.count('"') if quoted else 0) + 1
    return pos + 1


def cell_span(source: SourceFile, line: int, index: int, delimiter: str, width: int = 1) -> Span:
    """The span of cell `index` on a line of `source`, `width` characters wide (at least one)."""
    col = cell_column(source.line(line), index, delimiter)
    return Span(source, line, col, line, col + max(1, width))


@dataclass(frozen=True)
class Sheet:
    """A CSV file or an XLSX sheet as text.

    `records` are the rows that hold any text, each with its line in `source` (for XLSX, the
    Excel row; `source` then shows each row as one CSV line, line breaks in a cell as spaces)."""

    path: Path
    source: SourceFile
    delimiter: str
    records: list[tuple[int, list[str]]]

    def cell_span(self, line: int, index: int, width: int = 1) -> Span:
        return cell_span(self.source, line, index, self.delimiter, width)

    def line_span(self, line: int) -> Span:
        return Span(self.source, line, 1, line, max(2, len(self.source.line(line)) + 1))


def read_sheet(path: Path, sheets: Sequence[str] = ()) -> Sheet:
    """A CSV or XLSX file as a `Sheet` (for XLSX the first of `sheets` it has, else its first sheet).

    Raises OSError, and for a file that is no workbook openpyxl's or zipfile's errors."""
    display = display_path(path)
    if path.suffix.lower() == ".xlsx":
        with tempfile.TemporaryDirectory(prefix="hfspec-") as tmp:
            with xlsx_to_csv(path, Path(tmp), sheets).open(encoding="utf-8", newline="") as handle:
                rows = [(i, rec) for i, rec in enumerate(csv.reader(handle), start=1)]
        records = [(i, rec) for i, rec in rows if any(cell.strip() for cell in rec)]
        by_row = {i: _csv_line([c.replace("\r", " ").replace("\n", " ") for c in rec]) for i, rec in records}
        text = "\n".join(by_row.get(i, "") for i in range(1, (records[-1][0] if records else 0) + 1))
        return Sheet(path, SourceFile.from_text(display, text), ",", records)
    text = decode(path.read_bytes()).replace("\r\n", "\n")
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records = []
    line = 1
    for record in reader:
        if any(cell.strip() for cell in record):
            records.append((line, record))
        line = reader.line_num + 1
    return Sheet(path, SourceFile.from_text(display, text), delimiter, records)


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()
