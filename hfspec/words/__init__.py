"""The words and numbers of every output, in Danish and English: one home for the vocabulary.

A package of two modules, so that neither grows too long: `words.base` (sections 1–3, the
general words and the numbers) and `words.outputs` (section 4, the words of each output). Import
from `hfspec.words`: it holds every name of both.

Every fixed word, label and sentence that hfspec writes for people is here, and so is the one
number formatter; no other module keeps a da/en table or groups digits itself. Sections:

1. **The indicator types** — `INDICATOR_TYPES`, the one list of the four types, and their names
   (`TYPE_NAMES`: Proces, Outcome, …), headings, introductions and running-text words.
2. **Vocabulary keyed by the specs' own values** — units, periods, areas, instruments, CREAM
   criteria, target operators, statuses, yes/no, the suppression mark, and the few words that
   every document shares (`DOCUMENT`).
3. **Numbers** — `format_number` (`1.234,5`, `80,5 %`; the only code that groups digits or writes
   a decimal comma), `read_number` (the other way: a number a person wrote in a YAML text, `"0,45"`)
   and `target_words` (`>= 80%` → `mindst 80 %`).
4. **The words of each output**, one table per output, named by its domain: `RESULTS_TABLE` and
   `RESULTS_WORKBOOK` (`hfspec eval`), `CATALOGUE` (`hfspec render`), `CHECK` and `RULE_MESSAGE`
   (`hfspec check`), `REPORT` and `REPORT_SHEETS` (`hfspec report`), `DBL` (`hfspec dbl`), `SOM`,
   `SOM_REPORT` and `SOM_DISCOUNT` (`hfspec som`), `CREAM` and the other `CREAM_…` tables
   (`hfspec cream`), `MAP` and `KEY` (`hfspec map`, `hfspec key`), `INIT_COLUMN_TYPES` and
   `INIT_TEMPLATE` (`hfspec init`).

Every table has one shape: `TABLE[lang][key]`, with `lang` "da" or "en" (the Danish-only tables
of the seed's own wording, `CREAM_SEED_WORDS`, `INIT_COLUMN_TYPES` and `INIT_TEMPLATE`, are plain dicts). A table
keyed by a spec's values is written as (Danish, English) pairs side by side, so that no
translation is forgotten, and turned into that shape by `by_language`. A text with `{name}` is
filled with `str.format` by the module that uses it. Templates get these words in their context
(`t`, `w`), never from a table of their own.

A leaf: it imports nothing from hfspec, so every stage can use it.
"""

from __future__ import annotations

from hfspec.words.base import (  # noqa: F401 (the names of the package)
    by_language, INDICATOR_TYPES, TYPE_NAMES, TYPE_WORDS, TYPE_TITLES, TYPE_INTROS, TYPE_KEY_FIGURES, UNITS, PERIODS, AREAS, INSTRUMENT_NOTES, INSTRUMENT_TITLES, CREAM_CRITERIA, TARGET_OPS, STATUS_WORDS, SUPPRESSED, SECONDARY, NOT_FOR_PUBLICATION, SECONDARY_NOTE, suppressed_mark, YES_NO, DOCUMENT, KRONER, format_number, plural, NUMBER_TEXT, read_number, decimal_comma, target_words,
)
from hfspec.words.outputs import (  # noqa: F401
    RESULTS_TABLE, RESULTS_WORKBOOK, EXPLAIN, CATALOGUE, CHECK, RULE_MESSAGE, REPORT, REPORT_SHEETS, DBL, SOM, SOM_REPORT, SOM_DISCOUNT, CREAM, CREAM_TEXT, CREAM_COVERAGE, CREAM_FILES, CREAM_SEED_WORDS, CREAM_COST, MAP, KEY, INIT_COLUMN_TYPES, INIT_TEMPLATE,
)
