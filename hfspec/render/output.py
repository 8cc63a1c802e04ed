"""Text or a workbook → a file the user named with `--out`, or a diagnostic (HF803) when it
cannot be written (a folder that does not exist or may not be written, a name that is a folder,
a workbook open in Excel). Every command writes its `--out` files through here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfspec.diagnostics import Diagnostic, HfspecError


def cannot_write(out: Path, error: OSError) -> HfspecError:
    """HF803 for a file that could not be written."""
    if isinstance(error, IsADirectoryError) or Path(out).is_dir():
        hint = f"`{out}` is a folder: give the name of a file in it"
    else:
        hint = "check that the folder exists, that you may write there, and that the file is not open in another program"
    return HfspecError([Diagnostic("HF803", f"cannot write `{out}`: {error.strerror or error}", None, hint=hint)])


def write_document(text: str, out: Path, encoding: str = "utf-8") -> None:
    """Write the text, or raise HF803 when the file cannot be written."""
    try:
        Path(out).write_text(text, encoding=encoding)
    except OSError as error:
        raise cannot_write(out, error) from None


def save_workbook(book: Any, out: Path) -> None:
    """Save an openpyxl workbook, or raise HF803 when the file cannot be written."""
    try:
        book.save(out)
    except OSError as error:
        raise cannot_write(out, error) from None
