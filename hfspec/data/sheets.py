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
import functools
import io
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

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


#: Largest workbook, unpacked (bytes, HF522): the sum of its parts' sizes, read from the zip's
#: directory before anything is unpacked (a zip never unpacks to more than it says). A sheet of a
#: million rows and ten columns is about 150 MB.
MAX_XLSX_UNPACKED_BYTES = 1_000_000_000
#: Most distinct texts (shared strings) in a workbook (HF521), counted before openpyxl reads them:
#: it keeps all of them in memory, and 3 million empty ones fit in a 140 KB file.
MAX_XLSX_SHARED_STRINGS = 1_000_000
#: Widest sheet (columns up to the last one that holds a value, HF524). A data file has a few
#: dozen; one cell in column XFD (16,384) made every row 16,384 cells wide.
MAX_XLSX_COLUMNS = 1_000
#: Longest sheet (rows, HF519): Excel's own limit. A row numbered beyond it would make openpyxl
#: produce every empty row before it.
MAX_XLSX_ROWS = 1_048_576
#: Longest first line of a CSV file (bytes, HF523): the header is read up to its end, and a file
#: without a line break in its first 16 MB is not a table.
MAX_HEADER_BYTES = 16_000_000


class SheetTooLarge(Exception):
    """A sheet beyond one of the limits above; `code` is its diagnostic code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class SheetUnreadable(Exception):
    """A file that is no readable workbook: zipfile, zlib, the XML parser or openpyxl refused it
    (the message is theirs)."""


def _unreadable(error: Exception) -> Exception:
    """The exception to raise for one that reading a workbook's parts raised: SheetUnreadable when
    it says the file is damaged or no workbook, else the exception itself (a bug). Only raised
    around the library calls that read the file, so that hfspec's own errors are never hidden."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    library = type(error).__module__.split(".")[0] in ("zipfile", "openpyxl", "xml", "lxml", "et_xmlfile")
    damaged = isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError, ParseError, OSError, KeyError, ValueError, TypeError, IndexError,
                                 AttributeError, UnicodeError, NotImplementedError))  # (a compression method zipfile does not have)
    if library or damaged:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return SheetUnreadable(text)
    return error


#: How the name of every temporary folder hfspec makes begins; the id of the process that made it
#: follows (`scratch_folder`).
SCRATCH_PREFIX = "hfspec-scratch-"


def scratch_folder() -> Path:
    """A private temporary folder (only this user may read it) for copies of citizen data that
    DuckDB must find by name: the data of `report --compare`, and `ScratchFile` where files cannot
    be unnamed. The caller removes it on every path it can; its name holds this process's id, so
    that a folder left by a run that was killed is removed by the next run (`sweep_scratch`)."""
    sweep_scratch()
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def sweep_scratch(folder: Path | None = None) -> list[Path]:
    """Remove the scratch folders (in `folder`, default the system's temporary folder) of hfspec
    runs that no longer run, and return them. Only where a process can be asked whether it runs
    without harm (POSIX: signal 0; on Windows `os.kill` would end the process), and only folders
    of this user: another user's are not ours to remove, nor readable."""
    if os.name != "posix":
        return []
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        try:
            mine = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


class ScratchFile:
    """A temporary file for a copy of a data file (an XLSX sheet as CSV, a CSV transcoded to
    UTF-8), which holds citizen data. Where the system allows it (Linux), the file never has a
    name: it is created unnamed and read back through /proc/self/fd, so nothing is left behind even
    when the run is killed. Elsewhere it lives in a private temporary folder, removed on `close`.
    `path` is where this process's readers (DuckDB, Python) find it."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        if Path("/proc/self/fd").is_dir():
            self.file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")
            self.path = Path(f"/proc/self/fd/{self.file.fileno()}")
        else:
            self.folder = scratch_folder()
            self.path = self.folder / "data.csv"
            self.file = self.path.open("w+", encoding="utf-8", newline="")

    def close(self) -> None:
        self.file.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def utf8_copy(path: Path, scratch: ScratchFile) -> Path:
    """A copy of a text file in UTF-8 (read with `decode`) in `scratch`; returns its path."""
    scratch.file.write(decode(path.read_bytes()))
    scratch.file.flush()
    return scratch.path


def check_xlsx(path: Path) -> None:
    """Raise SheetTooLarge when the workbook unpacks to more than MAX_XLSX_UNPACKED_BYTES or holds
    more than MAX_XLSX_SHARED_STRINGS texts; before openpyxl reads anything. zipfile's errors for a
    file that is no zip pass through (`xlsx_rows` makes them SheetUnreadable)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        size = sum(info.file_size for info in archive.infolist())
        if size > MAX_XLSX_UNPACKED_BYTES:
            raise SheetTooLarge("HF522", f"unpacks to {size:,} bytes (at most {MAX_XLSX_UNPACKED_BYTES:,})")
        names = set(archive.namelist())
        with archive.open("[Content_Types].xml") if "[Content_Types].xml" in names else io.BytesIO() as handle:
            types = handle.read(1 << 20)  # a few kB in any real workbook
        # the shared strings part, found as openpyxl finds it: by its content type
        parts = re.findall(rb'PartName="/([^"]+)"[^>]*ContentType="[^"]*sharedStrings\+xml"', types)
        parts += re.findall(rb'ContentType="[^"]*sharedStrings\+xml"[^>]*PartName="/([^"]+)"', types)
        element = re.compile(rb"[<:]si[\s>/]")  # <si>, <x:si ...>: four bytes, so a block's last three cannot hold one
        count = 0
        for part in {p.decode("utf-8", "replace") for p in parts} & names:
            tail = b""
            with archive.open(part) as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    count += len(element.findall(tail + block))
                    tail = (tail + block)[-3:]
                    if count > MAX_XLSX_SHARED_STRINGS:
                        raise SheetTooLarge("HF521", f"holds more than {MAX_XLSX_SHARED_STRINGS:,} distinct texts (shared strings)")


def xlsx_rows(path: Path, sheets: Sequence[str] = ()) -> Iterator[list[str]]:
    """The rows of a workbook's sheet as text cells, one list per Excel row (a blank row is []):
    the first of `sheets` that the workbook has, else its first sheet. Each row ends at its last
    cell with a value. Raises SheetTooLarge (checked before and while reading) and
    SheetUnreadable for a file that is damaged or no workbook."""
    import openpyxl

    book = None
    try:
        try:
            check_xlsx(path)
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            name = next((s for s in sheets if s in book.sheetnames), None)
            ws = book[name] if name else book.worksheets[0]
            ws.reset_dimensions()  # the sheet's own <dimension> may lie: read the cells that are there
            rows = ws.iter_rows(values_only=True)
        except SheetTooLarge:
            raise
        except Exception as error:
            _reraise(error)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception as error:
                _reraise(error)
            number += 1
            if number > MAX_XLSX_ROWS:
                raise SheetTooLarge("HF519", f"has more than {MAX_XLSX_ROWS:,} rows")
            cells = ["" if v is None else _xlsx_text(v) for v in (row or ())]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_XLSX_COLUMNS:
                raise SheetTooLarge("HF524", f"row {number} has a value in column {len(cells):,} (at most {MAX_XLSX_COLUMNS:,} columns)")
            yield cells
    finally:
        if book is not None:
            book.close()


def _reraise(error: Exception) -> None:
    """Raise SheetUnreadable for an error that says the workbook is damaged, else the error itself."""
    problem = _unreadable(error)
    if problem is error:
        raise error
    raise problem from error


def xlsx_to_csv(path: Path, scratch: ScratchFile, sheets: Sequence[str] = ()) -> tuple[Path, int]:
    """A workbook's sheet (`xlsx_rows`) written as UTF-8 CSV into `scratch`; returns its path and
    the widest row. Record i is Excel row i: a row is at least as wide as the header (row 1), so a
    blank row is a record of empty cells, never an empty line."""
    writer = csv.writer(scratch.file)
    header = widest = 0
    for number, cells in enumerate(xlsx_rows(path, sheets), start=1):
        if number == 1:
            header = max(1, len(cells))
        widest = max(widest, len(cells))
        writer.writerow(cells + [""] * (header - len(cells)))
    scratch.file.flush()
    return scratch.path, max(widest, header)


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
    starts = _cell_starts(line, delimiter)
    return starts[min(index, len(starts) - 1)]


@functools.lru_cache(maxsize=16)
def _cell_starts(line: str, delimiter: str) -> tuple[int, ...]:
    """Where each cell of a CSV line starts (1-based), and one past the end: computed once per
    line, so that a diagnostic for every cell of a wide header costs the line's length, not its
    square."""
    try:
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return (1,)
    starts, pos = [], 0
    for raw in cells:
        starts.append(pos + 1)
        quoted = line[pos:pos + 1] == '"'
        pos += len(raw) + (2 + raw.count('"') if quoted else 0) + 1
    starts.append(pos + 1)
    return tuple(starts)


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

    Raises OSError, SheetTooLarge, SheetUnreadable (a damaged workbook) and ValueError (a CSV line
    that cannot be read)."""
    display = display_path(path)
    if path.suffix.lower() == ".xlsx":
        records = [(i, rec) for i, rec in enumerate(xlsx_rows(path, sheets), start=1) if any(cell.strip() for cell in rec)]
        by_row = {i: _csv_line([c.replace("\r", " ").replace("\n", " ") for c in rec]) for i, rec in records}
        text = "\n".join(by_row.get(i, "") for i in range(1, (records[-1][0] if records else 0) + 1))
        return Sheet(path, SourceFile.from_text(display, text), ",", records)
    text = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")  # a lone CR ends a line, as it does for Excel
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records = []
    line = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as error:  # a NUL byte and the like: not a CSV file
        raise ValueError(f"line {line} cannot be read ({error})") from None
    return Sheet(path, SourceFile.from_text(display, text), delimiter, records)


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()
