"""Text → a file the user named with `--out`, or a diagnostic (HF803) when it cannot be written."""

from __future__ import annotations

from pathlib import Path

from hfspec.diagnostics import Diagnostic, HfspecError, Message, os_reason


def write_document(text: str, out: Path, encoding: str = "utf-8") -> None:
    """Write the text, or raise HF803 when the file cannot be written."""
    try:
        out.write_text(text, encoding=encoding)
    except OSError as error:
        raise HfspecError([Diagnostic("HF803", Message("render.cannot_write", path=out, reason=os_reason(error)), None,
                                      hint=Message("render.cannot_write_hint"))]) from None
