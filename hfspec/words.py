"""The words and numbers of every output, in Danish and English: one home for the vocabulary.

- `INDICATOR_TYPES`: the four types of key figure, in the seed's order;
- the da/en word tables that outputs use (no other module keeps its own);
- `format_number` / `format_value`: numbers as Danish (or English) readers expect them:
  `1.234,5`, `80,5 %`.

A leaf: it imports nothing from hfspec, so every stage can use it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

#: The four types of key figure (DESIGN.md §3), in the seed's order. The JSON Schema of an
#: Indicator lists the same (tests/test_catalogue.py holds them equal).
INDICATOR_TYPES = ("process", "outcome", "economy", "structure")

SUPPRESSED = {"da": "(diskr.)", "en": "(suppr.)"}
STATUS_WORDS = {"da": {"met": "opfyldt", "not_met": "ikke opfyldt"}, "en": {"met": "met", "not_met": "not met"}}
#: Kroner, and millions of kroner (a chart's kroner axis switches to millions when large).
KRONER = {"da": ("kr.", "mio. kr."), "en": ("DKK", "DKK million")}


def format_number(value: Any, unit: str | None = None, lang: str = "da", decimals: int | None = None) -> str:
    """A value for people: shares as percent, thousands grouped, Danish decimal comma.

    >>> format_number(0.805, "share"), format_number(12345.678, "kr"), format_number(3, "citizens", "en")
    ('80,5 %', '12.346', '3')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return ("ja" if value else "nej") if lang == "da" else ("yes" if value else "no")
    if not isinstance(value, (int, float)):
        return str(value)
    if unit == "share":
        text = _group(value * 100, 1 if decimals is None else decimals, lang)
        return f"{text} %"
    if isinstance(value, int):
        return _group(value, 0, lang)
    places = decimals if decimals is not None else (0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2)
    return _group(value, places, lang)


def _group(value: float, places: int, lang: str) -> str:
    text = f"{value:,.{places}f}"
    if lang == "da":
        text = text.replace(",", "§").replace(".", ",").replace("§", ".")
    return text


def _group_digits(value: float, places: int, lang: str, trim: bool = False) -> str:
    text = f"{value:,.{places}f}"
    if trim and "." in text:  # 3.50 -> 3.5, 81.00 -> 81
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "§").replace(".", ",").replace("§", ".") if lang == "da" else text


def format_value(value: Any, fmt: str | None = None, lang: str = "da") -> str:
    """A value in a message: numbers the Danish (or English) way, dates ISO, null as `–`.

    >>> format_value(12), format_value(2.0625, "%"), format_value(1234.5, None, "en"), format_value(None)
    ('12', '206 %', '1,234.5', '–')
    >>> format_value(2.25), format_value(3.5), format_value(True), format_value(21.456, "1")
    ('2,25', '3,5', 'ja', '21,5')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return ("ja" if value else "nej") if lang == "da" else ("yes" if value else "no")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:7 if fmt == "m" else 10]
    if not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if fmt == "%":
        return _group_digits(value * 100, 0, lang) + " %"
    if fmt is not None:
        return _group_digits(float(value), int(fmt), lang)
    if isinstance(value, int) or value.is_integer() and abs(value) < 1e15:
        return _group_digits(value, 0, lang)
    places = 1 if abs(value) >= 10 else 2
    return _group_digits(value, places, lang, trim=True)
