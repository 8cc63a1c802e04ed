"""Text or a workbook → a file the user named with `--out`, or a diagnostic (HF803) when it
cannot be written (a folder that does not exist or may not be written, a name that is a folder,
a workbook open in Excel). Every command writes its `--out` files through here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfspec.diagnostics import Diagnostic, HfspecError, Message, os_reason


def cannot_write(out: Path, error: OSError) -> HfspecError:
    """HF803 for a file that could not be written."""
    if isinstance(error, IsADirectoryError) or Path(out).is_dir():
        hint = Message("render.cannot_write_folder_hint", path=out)
    else:
        hint = Message("render.cannot_write_open_hint")
    return HfspecError([Diagnostic("HF803", Message("render.cannot_write", path=out, reason=os_reason(error)), None, hint=hint)])


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
