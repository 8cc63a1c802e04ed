"""The words and numbers of every output, in Danish and English: one home for the vocabulary.

- `INDICATOR_TYPES`: the four types of key figure, in the seed's order;
- the da/en word tables that outputs use (no other module keeps its own);
- `format_number`: numbers as Danish (or English) readers expect them, `1.234,5`, `80,5 %`; the
  only code that groups digits or writes a decimal comma.

A leaf: it imports nothing from hfspec, so every stage can use it.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from typing import Any

#: The four types of key figure (DESIGN.md §3), in the seed's order. The JSON Schema of an
#: Indicator lists the same (tests/test_catalogue.py holds them equal).
INDICATOR_TYPES = ("process", "outcome", "economy", "structure")

SUPPRESSED = {"da": "(diskr.)", "en": "(suppr.)"}
YES_NO = {"da": {True: "ja", False: "nej"}, "en": {True: "yes", False: "no"}}
STATUS_WORDS = {"da": {"met": "opfyldt", "not_met": "ikke opfyldt"}, "en": {"met": "met", "not_met": "not met"}}


def format_number(value: Any, unit: str | None = None, lang: str = "da", decimals: int | None = None, *,
                  whole: bool = False, trim: bool = False, signed: bool = False) -> str:
    """A value as people read it: thousands grouped, Danish decimal comma, shares as percent.

    The one place that groups digits and writes decimal commas; every output calls it.

    - No value, NaN or infinity: `–`. True/false: `ja`/`nej` (`yes`/`no`). A date: ISO. Text: as is.
    - `unit="share"`: the value × 100 followed by ` %`, with one decimal unless `decimals` says
      otherwise. Other units do not change how the number is written.
    - `decimals`: the number of decimals. Without it an `int` has none, and other numbers have 0
      from 1,000 up, 1 from 10 up and 2 below 10.
    - `whole`: a value without a fractional part has no decimals (`4`, not `4,0`).
    - `trim`: trailing zeros of the decimals are dropped (`3,50` → `3,5`).
    - `signed`: `+`, `−` or `±` before the number.

    A number that rounds to zero is never written `-0`.

    >>> format_number(0.805, "share"), format_number(12345.678, "kr"), format_number(3, "citizens", "en")
    ('80,5 %', '12.346', '3')
    >>> format_number(4.0, None, "da", 1, whole=True), format_number(3.5, None, "da", 1, whole=True), format_number(-0.4, None, "da", 0)
    ('4', '3,5', '0')
    >>> format_number(3.5, None, "en", 2, trim=True), format_number(-2.5, None, "da", 1, whole=True, signed=True), format_number(None)
    ('3.5', '−2,5', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return YES_NO["da" if lang == "da" else "en"][value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, numbers.Integral):  # numpy's numbers too
        value = int(value)
    elif isinstance(value, numbers.Real):
        value = float(value)
    else:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if unit == "share":
        shown, suffix = value * 100, " %"
        places = 1 if decimals is None else decimals
    else:
        shown, suffix = value, ""
        if isinstance(value, int):
            places = 0
        elif decimals is not None:
            places = decimals
        else:
            places = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    if whole and float(shown).is_integer():
        places = 0
    text = f"{abs(shown) if signed else shown:,.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    if lang == "da":  # 1,234.5 → 1.234,5
        text = text.replace(",", "§").replace(".", ",").replace("§", ".")
    if signed:
        text = ("+" if shown > 0 else "−" if shown < 0 else "±") + text
    return text + suffix
