"""Numbers as Danish (or English) readers expect them: `1.234,5`, `80,5 %`."""

from __future__ import annotations

from typing import Any

SUPPRESSED = {"da": "(diskr.)", "en": "(suppr.)"}
STATUS_WORDS = {"da": {"met": "opfyldt", "not_met": "ikke opfyldt"}, "en": {"met": "met", "not_met": "not met"}}


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
