"""One cell of a data file: the rules that turn its text into a typed value, and the checks.

Written as SQL for DuckDB, so that whole files are typed and checked in vectorised passes
(see ingest.py). `typed_sql` is hfspec's reading of a cell: decimal comma, Danish thousands
points in `;` files, whole numbers only for integers, the true/false words, ISO and
`30-06-2021` dates. `text_checks` find bad cells in the text and say what is wrong;
`typed_checks` count the same cells on the typed table in one pass. A Parquet column that
already has the spec's type skips the text (`native_type`). An enum cell is compared folded, as
headers are (`fold_value`: `Før` is `foer`, `Egen bolig` is `egen_bolig`), or through the
column's `aliases:`; the typed table holds the canonical value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hfspec.data import pseudonym as pseudonym_shape
from hfspec.diagnostics import Message
from hfspec.lang.sql import literal, quote_ident
from hfspec.spec.model import FOLD_SEPARATORS, ColumnSpec, fold_value

#: A CPR number: a birth date ddmmyy with a plausible day (01–31) and month (01–12), then a `-`,
#: a space or nothing, then four digits. It counts inside a text too (`CPR 010190-1234`), but
#: not as part of a longer run of digits (an account number). The one pattern: ingestion looks
#: for it in SQL (`cpr_condition`), and `mask_cpr` hides it in every message and excerpt. A
#: 10-digit phone number is seldom a date, so free text rarely trips it (and there it only warns).
CPR_PATTERN = r"(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}[- ]?[0-9]{4}"
_CPR_SQL = f"(^|[^0-9]){CPR_PATTERN}([^0-9]|$)"
_CPR = re.compile(f"(?<![0-9]){CPR_PATTERN}(?![0-9])")
#: What a cell marked `cpr: true` in a Mapping may hold, after blanks and dashes are taken out:
#: six digits (the birth date) and four more characters (letters in replacement numbers).
CPR_CELL = "[0-9]{6}[0-9A-Za-z]{4}"
#: A pseudonym as `hfspec map` makes it from a CPR number (`data/pseudonym.py`): not a CPR number,
#: even when its hexadecimal digits happen to hold ten decimal digits in a row.
MADE_PSEUDONYM = f"{pseudonym_shape.PREFIX}[0-9A-F]{{{pseudonym_shape.DIGITS}}}"
TRUE_WORDS = ("true", "1", "ja", "yes", "j", "y", "sand")
FALSE_WORDS = ("false", "0", "nej", "no", "n", "falsk")
#: The earliest date a date cell may hold (HF518): a typo such as `0021-03-22` or a Parquet
#: `-infinity` is refused instead of putting its rows in a period of its own.
MIN_DATE = dt.date(1900, 1, 1)
#: The latest date a date cell may hold (HF518): every date hfspec computes with then fits DuckDB,
#: Python and the report's axes (a Parquet `infinity` does not).
MAX_DATE = dt.date(2200, 12, 31)
#: Column types whose value is text: the cleaned cell (for an enum, its canonical value).
TEXT_TYPES = ("string", "enum")
#: What a cell of each typed (non-text) column is when it does not parse.
KIND_CODES = {"integer": ("HF514", "HF504"), "number": ("HF504",), "boolean": ("HF506",), "date": ("HF505", "HF518")}


def mask_cpr(text: str) -> str:
    """The text with the digits of every CPR number in it replaced by X.

    >>> mask_cpr("CPR 010190-1234, tlf. 2512345"), mask_cpr("010190 1234"), mask_cpr("B0001 1234567890123")
    ('CPR XXXXXX-XXXX, tlf. 2512345', 'XXXXXX XXXX', 'B0001 1234567890123')
    """
    return _CPR.sub(lambda m: re.sub("[0-9]", "X", m.group(0)), text)


def mask_message(value: Any) -> Any:
    """A message (or one of its parameters) with every CPR number in its texts masked
    (`mask_cpr`): the catalogue's texts hold none, so masking the parameters masks the message."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, Message):
        return Message(value.id, **{k: mask_message(v) for k, v in value.params})
    if isinstance(value, tuple):
        return type(value)(mask_message(v) for v in value)
    return value


def has_cpr(text: str) -> bool:
    """Whether a text holds a CPR number (the test `cpr_condition` makes in SQL)."""
    return _CPR.search(text) is not None


def scanned_for_cpr(spec: ColumnSpec) -> bool:
    """Whether ingestion looks for CPR numbers in a column: every text column and every pseudonym."""
    return spec.type == "string" or spec.pseudonym


def cpr_condition(value: str, spec: ColumnSpec) -> str:
    """SQL that is true when a cell holds a CPR number. `value` is the cell's text, or for an
    integer column its typed value: a whole number is read as 10-digit text, so that a CPR number
    of a day 01–09 that lost its leading zero (101901234) is still one."""
    if spec.type == "integer":
        value = f"printf('%010d', {value})"
    elif spec.type not in TEXT_TYPES:
        value = f"CAST({value} AS VARCHAR)"
    found = f"regexp_matches({value}, '{_CPR_SQL}')"
    if spec.pseudonym:  # a pseudonym hfspec made from a CPR number (P and 15 hex digits) may hold ten digits in a row by chance
        found = f"({found} AND NOT regexp_full_match({value}, '{MADE_PSEUDONYM}'))"
    return found


def fold_sql(col: str) -> str:
    """`fold_value` (spec/model.py: the rule, which the Dataset checks use too) in SQL, for a cell
    that is already trimmed (see `clean`). A test holds the two together."""
    danish = f"replace(replace(replace(lower({col}), 'æ', 'ae'), 'ø', 'oe'), 'å', 'aa')"
    return f"regexp_replace({danish}, '{FOLD_SEPARATORS}', '_', 'g')"


#: Danish letters and how `fold_value` writes them, for the spellings of `spellings`.
DANISH_LETTERS = (("ae", "æ"), ("oe", "ø"), ("aa", "å"))


def spellings(spec: ColumnSpec) -> dict[str, str]:
    """Lower-case spellings of an enum column's values and aliases → the canonical value: each
    word with its separators as spaces, hyphens or underscores, and `ae`/`oe`/`aa` also as æ/ø/å.
    Every spelling folds to the word it comes from, so looking a lower-cased cell up here gives
    what folding it would give; `typed_sql` tries this cheap lookup before the fold (`Før`,
    `Egen bolig` and `Løn` are found here).

    >>> sorted(spellings(ColumnSpec("m", "enum", values=("foer", "egen_bolig"))).items())[:4]
    [('egen bolig', 'egen_bolig'), ('egen-bolig', 'egen_bolig'), ('egen_bolig', 'egen_bolig'), ('foer', 'foer')]
    >>> spellings(ColumnSpec("m", "enum", values=("foer",)))["før"]
    'foer'
    """
    import itertools
    import re

    out: dict[str, str] = {}
    for word, value in [(v, v) for v in spec.values] + list(spec.aliases):
        base = word.strip(" ").lower()
        forms = {re.sub(FOLD_SEPARATORS, sep, base) for sep in (" ", "-", "_")}
        for form in sorted(forms):
            spots = [(m.start(), ascii_, danish) for ascii_, danish in DANISH_LETTERS for m in re.finditer(ascii_, form)][:3]
            for choice in itertools.product((False, True), repeat=len(spots)):
                text = form
                for (at, ascii_, danish), use in sorted(zip(spots, choice), reverse=True):
                    text = text[:at] + danish + text[at + len(ascii_):] if use and text[at:at + len(ascii_)] == ascii_ else text
                if fold_value(text) == fold_value(word):
                    out.setdefault(text, value)
    return out


def clean(col: str) -> str:
    return f"NULLIF(trim({col}), '')"


def cpr_sql(col: str) -> str:
    """A cell marked `cpr: true` as the text that is hashed: blanks and dashes taken out, letters in
    upper case ('010190-1234' and '0101901234' are one person); NULL when it is no CPR number."""
    n = f"upper(regexp_replace({col}, '[\\s-]', '', 'g'))"
    # fast path: ddmmyy-xxxx or ddmmyyxxxx as most exports write it; other shapes take the full rule
    return (f"(CASE WHEN regexp_full_match({col}, '[0-9]{{6}}-?[0-9]{{4}}') THEN replace({col}, '-', '') "
            f"WHEN regexp_full_match({n}, '{CPR_CELL}') THEN {n} END)")


def word_key_sql(col: str) -> str:
    """How a cell is looked up in a Mapping's value map: blanks collapsed and trimmed, lower case
    (hfspec.spec.mapping.word_key is the same rule in Python)."""
    odd = " OR ".join([f"contains({col}, '  ')"] + [f"contains({col}, chr({c}))" for c in (9, 10, 11, 12, 13, 160)])
    # `contains` is far cheaper than a regular expression, and most cells have no odd blanks
    return f"lower(CASE WHEN {odd} THEN trim(regexp_replace({col}, '[ \t\r\n\f\v\u00a0]+', ' ', 'g')) ELSE trim({col}) END)"


def number_text(col: str, danish: bool = False, cleaned: bool = False, decimal: str | None = None) -> str:
    """A number cell as SQL number text: a decimal comma becomes a point ('12,5' → '12.5').

    In a Danish export (`;`-separated) the point groups thousands: '1.234,5' → '1234.5' and
    '116.440' → '116440'. Elsewhere a point is the decimal mark, and '1.234,5' is still read the
    Danish way because of its comma. Any other shape stays as written and fails as "not a number".
    A Mapping may declare the `decimal` mark of a column: then only numbers written that way count.
    """
    c = col if cleaned else clean(col)
    if decimal == ",":  # declared in a Mapping: `1.234,5`; anything else is no number
        return f"(CASE WHEN regexp_full_match({c}, '[-+]?[0-9]+(,[0-9]+)?|[-+]?[0-9]{{1,3}}(\\.[0-9]{{3}})+(,[0-9]+)?') THEN replace(replace({c}, '.', ''), ',', '.') END)"
    if decimal == ".":  # `1,234.5`
        return f"(CASE WHEN regexp_full_match({c}, '[-+]?[0-9]+(\\.[0-9]+)?|[-+]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?') THEN replace({c}, ',', '') END)"
    grouped = f"regexp_full_match({c}, '-?[0-9]{{1,3}}(\\.[0-9]{{3}})+(,[0-9]+)?')"
    if danish:
        return f"(CASE WHEN {grouped} OR {c} LIKE '%,%' THEN replace(replace({c}, '.', ''), ',', '.') ELSE {c} END)"
    return f"(CASE WHEN {c} LIKE '%,%' THEN replace(replace({c}, '.', ''), ',', '.') ELSE {c} END)"


def typed_sql(col: str, spec: ColumnSpec, danish: bool = False, cleaned: bool = False, date_format: str | None = None,
              decimal: str | None = None, bounded: bool = True) -> str:
    """SQL turning a text cell into the column's type (NULL when it cannot). With `cleaned`, `col`
    is already trimmed with empty text as NULL (see ingest.py, `create_typed`). A Mapping may give a
    column's `date_format` (DuckDB strptime; ISO dates are read too) or its `decimal` mark. A date
    outside MIN_DATE..MAX_DATE is NULL too, unless not `bounded` (to tell HF518 from HF505); the
    bound is on the text's year, so that no date is parsed twice."""
    c = col if cleaned else clean(col)
    if spec.type == "integer":  # DuckDB would round '12.5' into a BIGINT: only whole-number text is cast
        n = number_text(col, danish, cleaned, decimal)
        # fast path: text that is exactly how DuckDB writes the number it casts to ('12', '-3')
        # is a whole number as it stands; anything else ('+3', '007', '12,0') takes the full rule
        return (f"(CASE WHEN CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c} THEN TRY_CAST({c} AS BIGINT) "
                f"WHEN regexp_full_match({n}, '[-+]?[0-9]+') THEN TRY_CAST({n} AS BIGINT) END)")
    if spec.type == "number":  # DuckDB's cast also reads 'nan' and 'inf': only finite numbers count
        n = f"TRY_CAST({number_text(col, danish, cleaned, decimal)} AS DOUBLE)"
        return f"(CASE WHEN isfinite({n}) THEN {n} END)"
    if spec.type == "boolean":
        # OR chains, not IN lists: DuckDB turns an IN list of more than a few values into a hash
        # join, and the typed table would lose the file's row order (duckdb/duckdb#24398)
        # (`true`/`false` as written first: most files use them, and `lower` costs)
        true = " OR ".join(f"lower({c}) = {literal(w)}" for w in TRUE_WORDS)
        false = " OR ".join(f"lower({c}) = {literal(w)}" for w in FALSE_WORDS)
        return f"(CASE WHEN {c} = 'true' THEN TRUE WHEN {c} = 'false' THEN FALSE WHEN {true} THEN TRUE WHEN {false} THEN FALSE END)"
    if spec.type == "date" and date_format is not None:
        parsed = (f"(CASE WHEN {c} LIKE '____-__-__' THEN TRY_CAST({c} AS DATE) "
                  f"WHEN regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9:.]+') THEN TRY_CAST(left({c}, 10) AS DATE) "
                  f"ELSE TRY_CAST(TRY_STRPTIME({c}, {literal(date_format)}) AS DATE) END)")
        if not bounded:
            return parsed
        return f"(CASE WHEN {parsed} BETWEEN {literal(MIN_DATE)} AND {literal(MAX_DATE)} THEN {parsed} END)"
    if spec.type == "date":
        lo, hi = f"'{MIN_DATE.year}'", f"'{MAX_DATE.year}'"  # the year as text: 4 digits compare as numbers do
        first, last = (f" AND left({c}, 4) BETWEEN {lo} AND {hi}", f" AND right({c}, 4) BETWEEN {lo} AND {hi}") if bounded else ("", "")
        return (f"(CASE WHEN {c} LIKE '____-__-__'{first} THEN TRY_CAST({c} AS DATE) "
                f"WHEN regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}'){first} THEN TRY_CAST({c} AS DATE) "
                f"WHEN regexp_full_match({c}, '[0-9]{{1,2}}[-./][0-9]{{1,2}}[-./][0-9]{{4}}'){last} THEN TRY_CAST(TRY_STRPTIME(regexp_replace({c}, '[./]', '-', 'g'), '%d-%m-%Y') AS DATE) "
                f"WHEN regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9:.]+'){first} THEN TRY_CAST(left({c}, 10) AS DATE) END)")
    if spec.type == "enum":
        # fast path: a canonical value as it stands (OR chain, not an IN list: see above); then the
        # common spellings (`spellings`: a lookup of the lower-cased cell, cheaper than folding it);
        # then the folded cell among the folded values and aliases; an unknown word stays as
        # written, so that the enum check refuses it and its diagnostic shows it
        exact = " OR ".join(f"{c} = {literal(v)}" for v in spec.values)
        common = "MAP {" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in spellings(spec).items()) + "}"
        words = "MAP {" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in spec.words.items()) + "}"
        return f"(CASE WHEN {exact} THEN {c} ELSE coalesce({common}[lower({c})], {words}[{fold_sql(c)}], {c}) END)"
    return c


def text_checks(col: str, spec: ColumnSpec, danish: bool = False, date_format: str | None = None,
                decimal: str | None = None) -> list[tuple[str, str, str]]:
    """(code, SQL condition that is true for a bad cell, message id in hfspec/messages/data.py) for one column."""
    c = clean(col)
    t = typed_sql(col, spec, danish, date_format=date_format, decimal=decimal)
    out: list[tuple[str, str, str]] = []
    if spec.required:
        out.append(("HF509", f"{c} IS NULL", "data.cell_empty"))
    if spec.type == "integer":
        n = number_text(col, danish, decimal=decimal)
        out.append(("HF514", f"{c} IS NOT NULL AND {t} IS NULL AND TRY_CAST({n} AS DOUBLE) IS NOT NULL", "data.cell_not_whole"))
        out.append(("HF504", f"{c} IS NOT NULL AND TRY_CAST({n} AS DOUBLE) IS NULL", "data.cell_not_number"))
    elif spec.type == "number":
        out.append(("HF504", f"{c} IS NOT NULL AND {t} IS NULL", "data.cell_not_number"))
    elif spec.type == "boolean":
        out.append(("HF506", f"{c} IS NOT NULL AND {t} IS NULL", "data.cell_not_boolean"))
    elif spec.type == "date":
        parsed = typed_sql(col, spec, danish, date_format=date_format, bounded=False)
        out.append(("HF505", f"{c} IS NOT NULL AND {parsed} IS NULL", "data.cell_not_date"))
        out.append(("HF518", f"{parsed} IS NOT NULL AND {t} IS NULL", "data.cell_outside_dates"))
    elif spec.type == "enum":
        values = ", ".join(literal(v) for v in spec.values)
        out.append(("HF507", f"{c} IS NOT NULL AND {t} NOT IN ({values})", "data.cell_unknown_value"))
    for bound, op, message in ((spec.min, "<", "data.cell_below_min"), (spec.max, ">", "data.cell_above_max")):
        if bound is None:
            continue
        out.append(("HF508", f"{t} IS NOT NULL AND {t} {op} {_bound(spec, bound)}", message))
    if scanned_for_cpr(spec):
        out.append(("HF510", cpr_condition(t if spec.type == "integer" else c, spec), "data.cell_cpr"))
    return out


def _bound(spec: ColumnSpec, bound) -> str:
    """A `min`/`max` of a column as an SQL literal (a date column's bound is ISO text in the spec)."""
    return literal(dt.date.fromisoformat(bound)) if spec.type == "date" and isinstance(bound, str) else literal(bound)


def typed_checks(spec: ColumnSpec) -> list[tuple[tuple[str, ...], str]]:
    """The cell checks of `text_checks`, on the typed table, for one counting pass: (the codes a
    failure may be, SQL condition true for a bad cell). A typed cell that did not parse is NULL in
    the typed table; the table's `__bad` column (see ingest.py, `create_typed`) says whether any cell of a row
    did not parse, and is counted separately. So a required typed cell that is NULL is empty or
    bad: both lead to the text checks, which tell them apart. Every cell `text_checks` flags is
    flagged here; `text_checks` then tells HF514 from HF504 and writes the messages."""
    v = quote_ident(spec.name)
    out: list[tuple[tuple[str, ...], str]] = []
    if spec.required:
        out.append((("HF509",), f"{v} IS NULL"))
    if spec.type == "enum":
        out.append((("HF507",), f"{v} IS NOT NULL AND {v} NOT IN ({', '.join(literal(x) for x in spec.values)})"))
    for bound, op in ((spec.min, "<"), (spec.max, ">")):
        if bound is not None:
            out.append((("HF508",), f"{v} {op} {_bound(spec, bound)}"))
    if scanned_for_cpr(spec):
        out.append((("HF510",), cpr_condition(v, spec)))
    return out


#: Parquet column types taken as they are (no text round trip) for each column type of a spec.
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")
NATIVE_TYPES = {
    "string": ("VARCHAR",), "enum": ("VARCHAR",), "boolean": ("BOOLEAN",), "date": ("DATE",),
    "integer": INTEGER_TYPES, "number": ("DOUBLE", "FLOAT", *INTEGER_TYPES),
}


def native_type(spec: ColumnSpec, file_type: str) -> bool:
    """Whether a typed (Parquet) column already holds the spec's type; DECIMAL(p,s) counts as a number."""
    return file_type in NATIVE_TYPES.get(spec.type, ()) or (spec.type == "number" and file_type.startswith("DECIMAL"))


def whole_floats(spec: ColumnSpec, file_type: str) -> bool:
    """A floating-point Parquet column for an integer column, as pandas writes an integer column
    with gaps: its whole values count as integers (as an XLSX cell holding 12.0 does)."""
    return spec.type == "integer" and (file_type in ("DOUBLE", "FLOAT") or file_type.startswith("DECIMAL"))


def parquet_text(header: str, spec: ColumnSpec | None, file_type: str) -> str:
    """A Parquet cell as the text a CSV would hold: whole floats of an integer column without `.0`."""
    h = quote_ident(header)
    if spec is not None and whole_floats(spec, file_type):
        return f"coalesce(CASE WHEN isfinite({h}) AND {h} = trunc({h}) THEN CAST(TRY_CAST({h} AS BIGINT) AS VARCHAR) END, CAST({h} AS VARCHAR))"
    return f"CAST({h} AS VARCHAR)"
