"""CSV and XLSX files → text as a person sees the sheet: rows of cells with their line numbers,
and the column where each cell starts on its line (for diagnostics with a caret).

The one home of these rules, used by the data ingester (`ingest.py`: headers, XLSX, the excerpts
of bad cells), by the CREAM ratings reader (`hfspec.cream.ratings`) and by the mapping of exports
(`mapping.py`, through `load_text_table`: an export read into DuckDB as text, every record with
its line or Excel row):

- text is UTF-8 (a BOM is skipped), else Windows-1252 (what Danish Excel writes), else Latin-1;
- the delimiter is the most frequent of `;`, `,`, tab and `|` in the first line (in the header
  line, when a title block stands above it);
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

from hfspec.diagnostics import Message
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

    def __init__(self, code: str, message: Message):
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
            raise SheetTooLarge("HF522", Message("data.sheet_unpacks", size=size, max=MAX_XLSX_UNPACKED_BYTES))
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
                        raise SheetTooLarge("HF521", Message("data.sheet_shared_strings", max=MAX_XLSX_SHARED_STRINGS))


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
                raise SheetTooLarge("HF519", Message("data.sheet_rows", max=MAX_XLSX_ROWS))
            cells = ["" if v is None else xlsx_text(v) for v in (row or ())]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_XLSX_COLUMNS:
                raise SheetTooLarge("HF524", Message("data.sheet_columns", row=number, column=len(cells), max=MAX_XLSX_COLUMNS))
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


def xlsx_text(value: Any) -> str:
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
        by_row = {i: csv_line([c.replace("\r", " ").replace("\n", " ") for c in rec]) for i, rec in records}
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
        raise ValueError(Message("data.line_unreadable_detail", line=line, detail=Message("common.verbatim", text=str(error)))) from None
    return Sheet(path, SourceFile.from_text(display, text), delimiter, records)


def csv_line(cells: Sequence[str], delimiter: str = ",") -> str:
    """Cells as one line of a CSV file (quoted where needed), for showing a row of a workbook.

    >>> csv_line(["B1", "a;b", "7"], ";")
    'B1;"a;b";7'
    """
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(list(cells))
    return buffer.getvalue()


# ------------------------------------------------------------------ exports into DuckDB, as text

#: Rows searched for the header row when a Mapping does not give `header_row`.
HEADER_SEARCH_ROWS = 30
#: XLSX rows sent to DuckDB at a time (openpyxl reads a sheet row by row).
XLSX_CHUNK = 20_000


class HeaderNotFound(Exception):
    """No row of the first HEADER_SEARCH_ROWS has every wanted header: `best` is the row (line,
    cells) that has the most of them."""

    def __init__(self, best: tuple[int, list[str]] | None, rows: int):
        super().__init__("header row not found")
        self.best = best
        self.rows = rows


class SheetNotFound(Exception):
    def __init__(self, sheet: str, names: list[str]):
        super().__init__(f"no sheet {sheet!r}")
        self.sheet = sheet
        self.names = names


@dataclass(frozen=True)
class TextTable:
    """An export file read into DuckDB as text: the view (or table) `view` has one row per record
    with the columns c0, c1, … (the cells, trimmed text or NULL) and `__line`, the record's line in
    the file (Excel's row for XLSX; the header is line `header_line`). `owned` are the objects
    behind it, (kind, name), dropped by `drop_text_table`."""

    path: Path
    view: str
    headers: list[str]
    header_line: int
    format: str  # csv, xlsx or parquet
    delimiter: str
    encoding: str  # utf-8 or cp1252 (text files)
    rows: int
    owned: tuple[tuple[str, str], ...] = ()


def drop_text_table(con, table: TextTable) -> None:
    """Drop a text table and what it was made of."""
    from hfspec.lang.sql import quote_ident

    for kind, name in table.owned:
        con.execute(f"DROP {kind} IF EXISTS {quote_ident(name)}")


def find_header_row(rows: Sequence[tuple[int, list[str]]], wanted: set[str]) -> tuple[int, list[str]]:
    """The first row (line, cells) that has every wanted header (compared after `fold`); raises
    `HeaderNotFound` with the row that has the most of them.

    >>> find_header_row([(1, ["Udtræk"]), (3, ["CPR-nr.", "Dato"])], {fold("cpr nr"), fold("dato")})
    (3, ['CPR-nr.', 'Dato'])
    """
    best, best_count = None, -1
    for line, cells in rows:
        found = {fold(c) for c in cells} & wanted
        if len(found) == len(wanted):
            return line, cells
        if len(found) > best_count:
            best, best_count = (line, cells), len(found)
    raise HeaderNotFound(best, len(rows))


def _head_lines(path: Path, count: int) -> list[bytes]:
    with path.open("rb") as handle:
        return [line for _, line in zip(range(count), handle)]


def _lines_in(path: Path) -> tuple[int, int]:
    """(the number of lines, the number of blank lines at the end) of a text file, without decoding it."""
    count, last = 0, b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            count += chunk.count(b"\n")
            last = (last + chunk)[-4096:]
    if last and not last.endswith(b"\n"):
        count += 1
    tail = last.rstrip(b"\r\n \t")
    blank_end = last[len(tail):].count(b"\n") - 1 if last.endswith(b"\n") else 0
    return count, max(0, blank_end)


def _record_lines(text: str, delimiter: str, skip: int) -> list[int]:
    """The first line of every record after the first `skip` lines, as DuckDB's CSV reader sees
    records: an empty line is no record, a quoted cell may span lines."""
    lines = text.split("\n")
    reader = csv.reader(io.StringIO("\n".join(lines[skip:])), delimiter=delimiter)
    out, line = [], skip + 1
    for record in reader:
        if record:
            out.append(line)
        line = skip + reader.line_num + 1
    return out


def load_text_table(con, path: Path, name: str, *, wanted: set[str], header_row: int | None = None, delimiter: str | None = None,
                    sheet: str | None = None) -> TextTable:
    """Read an export file into DuckDB as text (see `TextTable`), every record with its line.

    The header is the row `header_row`, else the first of the first HEADER_SEARCH_ROWS rows that
    has every header in `wanted` (folded; else the first row). Text files are read by DuckDB where
    they lie, as UTF-8 or (when they are not) as Windows-1252; no copy is written. Records whose
    cells are all empty are dropped. Raises HeaderNotFound, SheetNotFound, OSError,
    UnicodeDecodeError, duckdb.Error, and openpyxl's or zipfile's errors for a broken workbook."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _load_xlsx(con, path, name, wanted, header_row, sheet)
    if suffix == ".parquet":
        return _load_parquet(con, path, name)
    return _load_csv(con, path, name, wanted, header_row, delimiter)


def _choose_header(rows: list[tuple[int, list[str]]], wanted: set[str], header_row: int | None) -> tuple[int, list[str]]:
    if header_row is not None:
        found = next(((line, cells) for line, cells in rows if line == header_row), None)
        if found is None:
            raise HeaderNotFound(None, len(rows))
        return found
    if not wanted:
        return rows[0] if rows else (1, [])
    return find_header_row(rows, wanted)


def _load_csv(con, path: Path, name: str, wanted: set[str], header_row: int | None, delimiter: str | None) -> TextTable:
    from hfspec.lang.sql import literal, quote_ident

    head = _head_lines(path, max(HEADER_SEARCH_ROWS, header_row or 0))
    text = decode(b"".join(head)).replace("\r\n", "\n")
    lines = text.split("\n")
    candidates = []
    for i, line in enumerate(lines[:len(head)], start=1):
        if line.strip():
            d = delimiter or sniff_delimiter(line)
            candidates.append((i, [c.strip() for c in next(csv.reader([line], delimiter=d), [])]))
    header_line, headers = _choose_header(candidates, wanted, header_row)
    if delimiter is None:
        delimiter = sniff_delimiter(lines[header_line - 1])
    raw = f"__raw_{name}"
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    encoding = "utf-8"

    def read(file: Path, enc: str) -> None:
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(raw)} AS SELECT * FROM read_csv({literal(str(file))}, delim={literal(delimiter)}, "
                    f"header=false, skip={header_line}, auto_detect=false, columns={columns}, quote='\"', escape='\"', "
                    f"encoding={literal(enc)})")
    import duckdb

    try:
        read(path, "utf-8")
    except duckdb.InvalidInputException as error:
        if "utf-8" not in str(error).lower() and "unicode" not in str(error).lower():
            raise
        encoding = "cp1252"
        try:  # Windows-1252 without € – “ ” … (bytes 0x80–0x9F) is Latin-1, which DuckDB reads where the file lies
            read(path, "latin-1")
        except duckdb.InvalidInputException:
            # DuckDB's Latin-1 refuses 0x80–0x9F, and it has no Windows-1252 without an extension to
            # download: the file is read through a UTF-8 copy in a private folder, deleted at once
            scratch = ScratchFile()
            try:
                read(utf8_copy(path, scratch), "utf-8")
            finally:
                scratch.close()
    total, blank_end = _lines_in(path)
    records = con.execute(f"SELECT count(*) FROM {quote_ident(raw)}").fetchone()[0]
    cells = [f"c{i}" for i in range(len(headers))]
    cleaned = [f"NULLIF(trim({quote_ident(c)}), '') AS {quote_ident(c)}" for c in cells]
    owned = [("VIEW", name), ("TABLE", raw)]
    if records == total - header_line - blank_end:  # no empty lines and no line breaks in cells: record i is line header + i
        line_sql, source = f"CAST(rowid + {header_line + 1} AS BIGINT)", quote_ident(raw)
    else:  # count lines as DuckDB counts records (rare: empty lines in the middle, quoted line breaks)
        numbers = _record_lines(decode(path.read_bytes()).replace("\r\n", "\n"), delimiter, header_line)
        if len(numbers) != records:
            raise ValueError(f"{records} records read, but {len(numbers)} found when counting lines")
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(raw + '_lines')} AS SELECT unnest(range(?)) AS i, unnest(?::BIGINT[]) AS line", [records, numbers])
        owned.append(("TABLE", raw + "_lines"))
        line_sql = "m.line"
        source = f"{quote_ident(raw)} JOIN {quote_ident(raw + '_lines')} m ON m.i = {quote_ident(raw)}.rowid"
    # a row of empty cells is no record; tested on the raw cells, so that the test stops at the first
    # cell with text (most rows: the first cell) and counting rows does not trim every cell
    blank = " AND ".join(f"({quote_ident(c)} IS NULL OR trim({quote_ident(c)}) = '')" for c in cells) or "false"
    # a view: the cells are trimmed while they are typed, not in a pass of their own
    con.execute(f"CREATE OR REPLACE VIEW {quote_ident(name)} AS SELECT {line_sql} AS __line, {', '.join(cleaned)} FROM {source} WHERE NOT ({blank})")
    rows = con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
    return TextTable(path, name, headers, header_line, "csv", delimiter, encoding, rows, tuple(owned))


def _load_xlsx(con, path: Path, name: str, wanted: set[str], header_row: int | None, sheet: str | None) -> TextTable:
    import openpyxl

    from hfspec.lang.sql import quote_ident

    check_xlsx(path)  # the limits of `xlsx_rows` (HF521, HF522) before openpyxl reads anything
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SheetNotFound(sheet, list(book.sheetnames))
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first: list[tuple[int, list[str]]] = []
        for number, row in enumerate(rows, start=1):
            cells = ["" if v is None else xlsx_text(v).strip() for v in (row or ())]
            if any(cells):
                first.append((number, cells))
            if number >= max(HEADER_SEARCH_ROWS, header_row or 0):
                break
        header_line, headers = _choose_header(first, wanted, header_row)
        while headers and not headers[-1]:
            headers = headers[:-1]
        width = len(headers)
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(name)} (__line BIGINT, " + ", ".join(f"c{i} VARCHAR" for i in range(width)) + ")")
        chunk: list[tuple[int, list[str]]] = [(n, c) for n, c in first if n > header_line]

        def flush() -> None:
            if not chunk:
                return
            columns = [[n for n, _ in chunk]] + [[(c[i] if i < len(c) and c[i] else None) for _, c in chunk] for i in range(width)]
            con.execute(f"INSERT INTO {quote_ident(name)} SELECT unnest(?::BIGINT[])" + "".join(", unnest(?::VARCHAR[])" for _ in range(width)), columns)
            chunk.clear()
        number = first[-1][0] if first else 0
        for number, row in enumerate(rows, start=number + 1):
            cells = ["" if v is None else xlsx_text(v).strip() for v in (row or ())]
            if any(cells[:width]):
                chunk.append((number, cells))
                if len(chunk) >= XLSX_CHUNK:
                    flush()
        flush()
    finally:
        book.close()
    rows_read = con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
    return TextTable(path, name, headers, header_line, "xlsx", ",", "utf-8", rows_read, (("TABLE", name),))


def _load_parquet(con, path: Path, name: str) -> TextTable:
    from hfspec.lang.sql import literal, quote_ident

    reader = f"read_parquet({literal(str(path))})"
    headers = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
    texts = ", ".join(f"NULLIF(trim(CAST({quote_ident(h)} AS VARCHAR)), '') AS c{i}" for i, h in enumerate(headers))
    con.execute(f"CREATE OR REPLACE TABLE {quote_ident(name + '_raw')} AS SELECT {texts} FROM {reader}")
    con.execute(f"CREATE OR REPLACE VIEW {quote_ident(name)} AS SELECT CAST(rowid + 2 AS BIGINT) AS __line, * FROM {quote_ident(name + '_raw')}")
    rows = con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
    return TextTable(path, name, headers, 1, "parquet", ",", "utf-8", rows, (("VIEW", name), ("TABLE", name + "_raw")))


def file_lines(path: Path, numbers: set[int], encoding: str = "utf-8") -> dict[int, str]:
    """Some lines of a text file (line number → text, decoded), read in one pass without holding the file."""
    out: dict[int, str] = {}
    if not numbers:
        return out
    last = max(numbers)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in numbers:
                out[number] = (decode(raw) if number == 1 or encoding != "utf-8" else raw.decode("utf-8", errors="replace")).rstrip("\r\n")
            if number >= last:
                break
    return out
