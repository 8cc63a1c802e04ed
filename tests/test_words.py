"""`hfspec/words.py` is the one home of the words and number formats of every output: every table
has both languages with the same keys, the indicator types are the schema's, the number formatter
keeps its rules, and no other module keeps a da/en table of its own."""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
from pathlib import Path

import pytest

from hfspec import words

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hfspec"

#: Every table of words.py in the shape TABLE[lang][key].
TABLES = {name: value for name, value in vars(words).items()
          if name.isupper() and isinstance(value, dict) and set(value) == {"da", "en"}}

#: Dicts keyed by "da" and "en" outside words.py that are data, not words.
NOT_WORD_TABLES = {
    "hfspec/spec/model.py",  # Text.as_dict: a bilingual spec text as plain data
    "hfspec/messages/codes.py",  # the titles and explanations of error codes: the message catalogue, not words of an output
}


def _keys(value, path=()):
    """Every key path of nested dicts (lists and tuples count as leaves)."""
    if not isinstance(value, dict):
        return {path}
    return set().union(*(_keys(v, path + (k,)) for k, v in value.items())) if value else {path}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_has_both_languages_with_the_same_keys(name):
    table = TABLES[name]
    assert _keys(table["da"]) == _keys(table["en"]), name


def test_the_tables_are_found():
    assert {"REPORT", "CATALOGUE", "SOM", "DBL", "CHECK", "CREAM", "TYPE_NAMES", "UNITS"} <= set(TABLES)


def test_indicator_types_are_the_schemas_and_name_every_type_table():
    schema = json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    enums = [d["enum"] for d in _walk(schema) if isinstance(d, dict) and "process" in d.get("enum", ())]
    assert enums == [list(words.INDICATOR_TYPES)]
    for table in (words.TYPE_NAMES, words.TYPE_WORDS, words.TYPE_TITLES, words.TYPE_INTROS, words.TYPE_KEY_FIGURES):
        assert tuple(table["da"]) == words.INDICATOR_TYPES


def _walk(value):
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        yield from _walk(child)


@pytest.mark.parametrize("args, kwargs, expected", [
    ((1234567.891,), {}, "1.234.568"),
    ((1234.5, None, "en"), {}, "1,234"),
    ((12.345,), {}, "12,3"),
    ((2.345, None, "en"), {}, "2.35"),
    ((95,), {}, "95"),
    ((95.0,), {}, "95,0"),
    ((95.0, None, "da", 1), {"whole": True}, "95"),
    ((0.805, "share"), {}, "80,5 %"),
    ((1, "share", "da", 0), {}, "100 %"),
    ((3.50, None, "da", 2), {"trim": True}, "3,5"),
    ((-0.4, None, "da", 0), {}, "0"),
    ((-1.5, None, "da", 0), {}, "-2"),
    ((2.5, None, "da", 1), {"whole": True, "signed": True}, "+2,5"),
    ((-3.0, None, "da", 1), {"whole": True, "signed": True}, "−3"),
    ((0, None, "da"), {"signed": True}, "±0"),
    ((None,), {}, "–"),
    ((math.nan,), {}, "–"),
    ((True,), {}, "ja"),
    ((False, None, "en"), {}, "no"),
    ((dt.date(2021, 12, 31),), {}, "2021-12-31"),
    (("tekst",), {}, "tekst"),
], ids=lambda v: repr(v))
def test_format_number(args, kwargs, expected):
    assert words.format_number(*args, **kwargs) == expected


def test_numpy_numbers_are_numbers():
    np = pytest.importorskip("numpy")
    assert words.format_number(np.int64(12345)) == "12.345"
    assert words.format_number(np.float64(0.25), "share") == "25,0 %"


def test_no_other_module_keeps_a_da_en_table():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in NOT_WORD_TABLES or rel.startswith("hfspec/words/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"da", "en"} <= keys:
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == [], "da/en word tables belong in hfspec/words/"
