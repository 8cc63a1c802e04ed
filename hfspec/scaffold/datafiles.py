"""Dataset specs → the empty data files of a new project: a CSV file and an XLSX workbook per dataset.

Both are made for Danish Excel. The CSV file is `;`-separated with a UTF-8 byte order mark, as
Danish Excel writes "CSV (semikolonsepareret)" and as it needs to open a file in columns, with
æ, ø and å intact. The workbook's first sheet has the header and, for every column, a check that
Excel shows while typing: a dropdown of the allowed values of an enum column, ja/nej for a yes/no
column, whole numbers or numbers within the column's range, dates shown as 30-06-2021; its second
sheet (`Hjælp`) explains every column from the Dataset spec. The checks warn rather than stop:
hfspec itself decides what a cell means (it also reads `Før` for `foer`, and the aliases).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from hfspec.spec.model import ColumnSpec, DatasetSpec
from hfspec.words import INIT_COLUMN_TYPES, INIT_TEMPLATE, YES_NO

#: The last row the checks of a template's columns cover (Excel's last row).
LAST_ROW = 1_048_576
#: Excel's limit for a dropdown written into the check itself, and for a check's prompt.
LIST_LIMIT, PROMPT_LIMIT, PROMPT_TITLE_LIMIT = 255, 255, 32
#: How dates are shown in the template's date columns.
DATE_FORMAT = "DD-MM-YYYY"
#: The range of a number or date column without `min`/`max`.
NUMBER_RANGE = (-1_000_000_000_000, 1_000_000_000_000)
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2099, 12, 31))


def write_csv(spec: DatasetSpec, path: Path) -> None:
    """The header of a dataset as a `;`-separated CSV file with a UTF-8 BOM."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(list(spec.columns))


def write_xlsx(spec: DatasetSpec, path: Path) -> None:
    """The workbook of a dataset: the data sheet with a check on every column, and the help sheet."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.sheet or spec.id
    sheet.append(list(spec.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "A2"
    for i, column in enumerate(spec.columns.values(), start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, len(column.name) + 2)
        if column.type == "date":
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        check = column_check(column)
        if check is not None:
            check.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(check)
    help_sheet(book.create_sheet(INIT_TEMPLATE["help_sheet"]), spec)
    book.save(path)


def column_check(column: ColumnSpec):
    """The Excel check (data validation) of a column, or None for a text column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    words = INIT_TEMPLATE
    if column.type in ("enum", "boolean"):
        values = list(column.values) if column.type == "enum" else [YES_NO["da"][True], YES_NO["da"][False]]
        listed = ",".join(values)
        if len(listed) + 2 > LIST_LIMIT:  # too long for a dropdown: the help sheet lists them
            return None
        check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        message = words["choose"].format(values=", ".join(values))
    elif column.type == "date":
        low, high = (_date(column.min) or DATE_RANGE[0]), (_date(column.max) or DATE_RANGE[1])
        check = DataValidation(type="date", operator="between", formula1=_excel_date(low), formula2=_excel_date(high), allow_blank=True)
        message = words["date"].format(low=low.strftime("%d-%m-%Y"), high=high.strftime("%d-%m-%Y"))
    elif column.type in ("integer", "number"):
        low = column.min if column.min is not None else NUMBER_RANGE[0]
        high = column.max if column.max is not None else NUMBER_RANGE[1]
        check = DataValidation(type="whole" if column.type == "integer" else "decimal", operator="between",
                               formula1=str(low), formula2=str(high), allow_blank=True)
        message = words["whole" if column.type == "integer" else "number"]
        if column.min is not None or column.max is not None:
            message += " " + words["range"].format(range=_range(column))
    else:
        return None
    check.errorStyle = "warning"  # hfspec reads more than the dropdown shows (Før, aliases): warn, do not stop
    check.showErrorMessage = True
    check.showInputMessage = True
    check.errorTitle = words["error_title"]
    check.error = message[:PROMPT_LIMIT]
    title = column.title.get("da") if column.title else column.name
    check.promptTitle = title[:PROMPT_TITLE_LIMIT]
    description = column.description.get("da") if column.description else ""
    check.prompt = f"{description} {message}".strip()[:PROMPT_LIMIT]
    return check


def help_sheet(sheet, spec: DatasetSpec) -> None:
    """The help sheet: the dataset's title and description, how to write cells, and one row per
    column with its title, type, whether it must be filled, its allowed values and its meaning."""
    from openpyxl.styles import Alignment, Font

    words = INIT_TEMPLATE
    title = spec.title.get("da") if spec.title else spec.id
    sheet.append([f"{title} ({spec.id})"])
    sheet["A1"].font = Font(bold=True, size=14)
    if spec.description:
        sheet.append([spec.description.get("da")])
    sheet.append([words["intro"].format(sheet=spec.sheet or spec.id)])
    sheet.append([])
    sheet.append(words["header"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for column in spec.columns.values():
        sheet.append([column.name, column.title.get("da") if column.title else "", INIT_COLUMN_TYPES.get(column.type, column.type),
                      YES_NO["da"][column.required], allowed(column),
                      column.description.get("da") if column.description else ""])
    for letter, width in zip("ABCDEF", (26, 30, 24, 14, 44, 80)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def allowed(column: ColumnSpec) -> str:
    """What a column accepts, in words: the enum values (with their aliases), ja/nej, a range."""
    if column.type == "enum":
        aliases: dict[str, list[str]] = {}
        for word, value in column.aliases:
            aliases.setdefault(value, []).append(word)
        return ", ".join(v + (f" ({INIT_TEMPLATE['also']}: {', '.join(aliases[v])})" if v in aliases else "") for v in column.values)
    if column.type == "boolean":
        return f"{YES_NO['da'][True]}, {YES_NO['da'][False]}"
    if column.min is not None or column.max is not None:
        return _range(column)
    return ""


def _range(column: ColumnSpec) -> str:
    return f"{'' if column.min is None else column.min}–{'' if column.max is None else column.max}"


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _excel_date(day: dt.date) -> str:
    """A date as Excel's serial number (days since 1899-12-30), as a check's bound."""
    return str((day - dt.date(1899, 12, 30)).days)
