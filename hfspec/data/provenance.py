"""Where a mapped row came from → a span in the export file, with every CPR number masked.

Every row a Mapping makes carries `__seq`, one whole number that says which export file, which
line (or Excel row) and which measurement group of `unpivot` it came from (`seq`, `unseq`), so
that any later step can point back at the source. A problem is first noted as a `Pending` (file,
line, cell); `Located.diagnostics` then reads the lines it needs from each file in one pass (a
text file's own line; a workbook row shown as a CSV line), masks every CPR-shaped number in them
and in the message, and makes the diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hfspec.data.cells import mask_cpr, mask_message
from hfspec.data.sheets import TextTable, cell_column, csv_line, file_lines
from hfspec.diagnostics import Diagnostic, Message, Severity
from hfspec.source import SourceFile, Span, display_path

#: Bits of `__seq` for the line and for the measurement group; the file's number is above them.
LINE_BITS = 32
GROUP_BITS = 8


def seq_sql(file_index: int, group: int, line: str = "__line") -> str:
    """SQL for a row's `__seq` from its file, its line and its measurement group."""
    return f"((CAST({file_index} AS BIGINT) << {LINE_BITS + GROUP_BITS}) | (CAST({line} AS BIGINT) << {GROUP_BITS}) | {group})"


def unseq(seq: int) -> tuple[int, int, int]:
    """(file, line, group) of a `__seq`.

    >>> unseq((3 << 40) | (1234 << 8) | 2)
    (3, 1234, 2)
    """
    return seq >> (LINE_BITS + GROUP_BITS), (seq >> GROUP_BITS) & ((1 << LINE_BITS) - 1), seq & ((1 << GROUP_BITS) - 1)


@dataclass
class ExportFile:
    """One export file read in a run: its text table and, per measurement group, the header index
    of each column the mapping reads from it."""

    index: int
    table: TextTable
    mapping: str  # the mapping's id
    source: int  # the source's index in the mapping
    origin: dict[tuple[int, str], int] = field(default_factory=dict)  # (group, column) -> header index
    secret: set[int] = field(default_factory=set)  # header indexes of `cpr: true` columns: masked whatever they hold

    @property
    def path(self) -> Path:
        return self.table.path

    @property
    def name(self) -> str:
        return self.table.path.name


@dataclass(frozen=True)
class Pending:
    """A diagnostic waiting for its span: a cell (`cell` is a header index) or a whole row (None)."""

    code: str
    message: Message
    file: int
    line: int
    cell: int | None = None
    hint: Message | None = None
    severity: Severity = Severity.ERROR
    label: Message | None = None
    notes: tuple[Message, ...] = ()
    width: int = 0  # characters to underline (0: the cell's text, or the whole row)


class Located:
    """The export files of a run and the diagnostics that point into them."""

    def __init__(self) -> None:
        self.files: list[ExportFile] = []
        self.pending: list[Pending] = []

    def add_file(self, table: TextTable, mapping: str, source: int) -> ExportFile:
        export = ExportFile(len(self.files), table, mapping, source)
        self.files.append(export)
        return export

    def note(self, pending: Pending) -> None:
        self.pending.append(pending)

    def diagnostics(self, con) -> list[Diagnostic]:
        """Every pending diagnostic with its span; the lines are read once per file and masked."""
        wanted: dict[int, set[int]] = {}
        for p in self.pending:
            wanted.setdefault(p.file, set()).add(p.line)
        texts = {index: self._lines(con, self.files[index], lines) for index, lines in wanted.items()}
        out = []
        for p in self.pending:
            export = self.files[p.file]
            line = texts[p.file].get(p.line, "")
            source = SourceFile.of_lines(display_path(export.path), {p.line: line})
            if p.cell is not None:
                col = cell_column(line, p.cell, export.table.delimiter)
                width = p.width or _cell_width(line, col, export.table.delimiter)
                span = Span(source, p.line, col, p.line, col + max(1, width))
            else:
                span = Span(source, p.line, 1, p.line, max(2, len(line) + 1))
            out.append(Diagnostic(p.code, mask_message(p.message), span, mask_message(p.hint) if p.hint else None, p.severity, p.label,
                                  tuple(mask_message(n) for n in p.notes)))
        self.pending.clear()
        return out

    def _lines(self, con, export: ExportFile, lines: set[int]) -> dict[int, str]:
        """The lines of a file as shown under a diagnostic, with CPR numbers masked."""
        table = export.table
        header = {table.header_line: csv_line(table.headers, table.delimiter)} if table.header_line in lines else {}
        if table.format == "csv":
            found = file_lines(table.path, lines, table.encoding)
        else:  # a workbook row or a Parquet record, shown as a CSV line
            from hfspec.lang.sql import quote_ident

            rest = sorted(lines - set(header))
            found = {}
            if rest:
                cells = ", ".join(f"c{i}" for i in range(len(table.headers)))
                rows = con.execute(f"SELECT __line, {cells} FROM {quote_ident(table.view)} WHERE __line IN ({', '.join(map(str, rest))})").fetchall()
                found = {row[0]: csv_line(["" if c is None else c for c in row[1:]], table.delimiter) for row in rows}
            found.update(header)
        return {n: mask_cpr(mask_cells(text, export.secret, table.delimiter) if n != table.header_line else text) for n, text in found.items()}


def mask_cells(line: str, indexes: set[int], delimiter: str) -> str:
    """The line with the letters and digits of the cells at `indexes` replaced by X, in place (a CPR
    column's cells, also when a number lost its leading zero and is no longer CPR-shaped).

    >>> mask_cells("8101;101901234;510", {1}, ";")
    '8101;XXXXXXXXX;510'
    """
    for index in indexes:
        col = cell_column(line, index, delimiter)
        width = _cell_width(line, col, delimiter)
        cell = line[col - 1:col - 1 + width]
        line = line[:col - 1] + "".join("X" if ch.isalnum() else ch for ch in cell) + line[col - 1 + width:]
    return line


def _cell_width(line: str, col: int, delimiter: str) -> int:
    """The length of the cell that starts at `col` (1-based) on a line."""
    rest = line[col - 1:]
    if rest.startswith('"'):
        end = rest.find('"', 1)
        while end != -1 and rest[end + 1:end + 2] == '"':
            end = rest.find('"', end + 2)
        return end + 1 if end != -1 else len(rest)
    end = rest.find(delimiter) if delimiter else -1
    return end if end != -1 else len(rest)
