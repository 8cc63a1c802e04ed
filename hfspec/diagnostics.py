"""Problems found in user input → `Diagnostic` values, and their text/JSON renderings.

Every user error is a `Diagnostic` with a stable code from `CODES`, a severity, a message, a span
and an optional hint. Stages *collect* diagnostics in a `DiagnosticBag` and raise `HfspecError`
once at their boundary; only the CLI prints them and exits 1. Unexpected exceptions are bugs and
are never turned into diagnostics.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Iterator

from hfspec.source import Span, printable
from hfspec.words import format_number


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Stable codes by stage: HF1xx YAML, HF2xx schema, HF3xx project, HF4xx expressions,
# HF5xx data, HF6xx evaluation and tests, HF7xx models, HF8xx reports.
# Each entry: (short title, explanation with how to fix it). `hfspec explain CODE` prints them.
CODES: dict[str, tuple[str, str]] = {
    "HF100": ("file cannot be read", "The path does not exist, is not a readable UTF-8 text file, or is not the kind of file expected. `--history` and `--store` need a history file written by `--store`: a DuckDB file that holds exactly hfspec's two tables; one with views, macros, other tables or rows hfspec did not write is refused unread (give a new file name to start a history). Check the path and the file's encoding."),
    "HF101": ("YAML syntax error", "The file is not valid YAML. Look at the marked position: a missing colon, a wrong indentation or an unclosed quote or bracket are the usual causes."),
    "HF102": ("tab in indentation", "YAML indentation must use spaces, never tab characters. Replace the tab with spaces (most editors can show tabs)."),
    "HF103": ("duplicate key", "The same key appears twice in one mapping. Plain YAML keeps only the last one silently; hfspec refuses the file so that nothing is lost. Remove or rename one of them."),
    "HF104": ("YAML tag or merge key not allowed", "Tags such as `!!python/object` can make YAML readers run code or build arbitrary objects. hfspec reads only plain data: remove the tag. Merge keys (`<<: *base`, YAML 1.1's `!!merge`) are refused too: write the keys out."),
    "HF105": ("too many aliases", "The file expands YAML aliases (`*name`) beyond a safe size (a 'billion laughs' file), or an alias refers to the value that contains it, which would never end. Write the values out, or use fewer aliases."),
    "HF106": ("unclosed quote", "A quoted string is not closed before the end of the line or file. Add the closing quote."),
    "HF107": ("empty document", "A YAML document with no content was found. Remove the stray `---` or fill the document."),
    "HF108": ("not a mapping", "A spec document must be a mapping of keys to values (`kind: ...`, `id: ...`)."),
    "HF109": ("YAML too deep or too large", "The file nests deeper or is larger than hfspec reads. Specs are small: split the file."),
    "HF110": ("mapping key is not a plain value", "A mapping key is a list or a mapping (`[a, b]: 1`, `? {a: 1}`). YAML allows it, but spec keys are plain words and numbers: write the key as one word."),
    "HF111": ("spec file not UTF-8", "Spec files (YAML) are read as UTF-8, the encoding YAML and editors that check specs against hfspec's schemas expect. The file holds a byte that is not UTF-8, usually because it was saved as Windows-1252 (Notepad's \"ANSI\"): then `æ`, `ø` and `å` are single bytes. Save the file again with the encoding UTF-8 (in Notepad: File → Save as → Encoding: UTF-8). Data files are different: hfspec reads Windows-1252 there, as Danish Excel writes it."),
    "HF112": ("list item indented too far", "A list item (`- ...`) starts further to the right than the item above it. YAML then reads it as more words of the item above (`HF-P-02 - HF-O-06`), not as an item of its own. Start every `-` of a list in the same column."),
    "HF113": ("decimal comma inside brackets", "Inside `[...]` and `{...}` a comma separates items, so `[0,45]` is the two numbers 0 and 45, and `{value: 0,5}` is `value: 0` and a key `5`. YAML numbers have a decimal point: write `0.45`. A warning, because a list of whole numbers written without spaces (`[0,1]`) is valid; write a space after the comma to say so."),
    "HF114": ("control character in YAML", "The file holds a control character (such as U+0001 or U+001B), which YAML does not allow anywhere, not even in a comment or a quoted value. It is usually invisible in an editor and comes with text copied from another program. Delete it; the caret shows where it is (drawn as a visible symbol)."),
    "HF201": ("unknown key", "The key is not part of this kind of spec. It is often a misspelling: the hint names the closest known key. See docs/spec-reference.md for every field."),
    "HF202": ("missing required key", "This kind of spec needs the named key. Add it."),
    "HF203": ("wrong value type", "The value has the wrong type (for example text where a number is expected). See the field's description in docs/spec-reference.md."),
    "HF204": ("value not allowed", "The value is not one of the allowed values. The message lists them."),
    "HF205": ("unknown kind", "`kind:` must be one of Dataset, Indicator, Catalogue, Model, Scenario, Rule, Mapping."),
    "HF206": ("invalid value", "The value breaks a rule of the schema (a pattern, a range or a length). The message says which."),
    "HF301": ("duplicate id or name", "Two specs of the same kind share one id, or a model's formula has the name of one of its inputs or dimensions. Ids must be unique within a project and names within a model; rename one."),
    "HF302": ("unknown reference", "A spec (or an argument on the command line, such as a scenario id or `--dataset`) names another spec (a dataset, an indicator, a model, a scenario, a catalogue) that the project does not contain. Check the id, or include the file that defines it."),
    "HF303": ("reference cycle", "Specs (or the formulas of a model) refer to each other in a circle (A uses B uses A), so none of them can be computed first. Break the circle."),
    "HF304": ("include matches nothing", "An `include:` or `mappings:` pattern of a catalogue matched no file. Check the path; it is relative to the catalogue file."),
    "HF305": ("invalid column reference", "A `references:` entry must name `dataset.column` of an existing dataset and column."),
    "HF306": ("override of unknown indicator", "`override:`, `drop:` or `select:` names an indicator the catalogue does not have."),
    "HF307": ("no specs found", "The paths given contain no YAML spec files, or none of the kind the command needs (`hfspec check` needs `kind: Rule` specs)."),
    "HF308": ("invalid `time:`", "`time:` says which date a row belongs to when `period:` groups rows. In a Dataset spec it must name a date column of the dataset; in a key figure it is one date expression or an interval `[start, end]` of two, and the key figure needs a `period:`."),
    "HF309": ("unknown goal", "A key figure's `goal:` is not a goal of the catalogue's goal hierarchy (`goals:`), so the catalogue documents show it outside the hierarchy. Use a goal id of the hierarchy (the hint names the closest), or add the goal. A warning: the key figure is computed all the same."),
    "HF310": ("period without a time column", "A key figure or rule with `period:` groups its rows by the dataset's time column, but its dataset has no `time:`. Add `time:` (a date column) to the dataset spec, or remove `period:`."),
    "HF311": ("unknown key column", "A dataset's `key:` names a column the dataset does not have. The key columns say which rows must be unique; name columns of the dataset."),
    "HF312": ("alias of an unknown enum value", "An enum column's `aliases:` lists other words for its values (`bolig_efter_serviceloven: [Bolig efter SEL]`), keyed by the value they mean. Here a key is not one of the column's `values:`. Use a value of the column (the hint names the closest) as the key."),
    "HF313": ("enum words that fold alike", "Data cells of an enum column are compared folded: without case and surrounding spaces, with spaces and hyphens as `_` and æ, ø, å as ae, oe, aa. Two values of the column, or an alias and a value (or two aliases) of different values, are the same word when folded, so a cell holding it would have two readings. Rename or remove one of them."),
    "HF316": ("absolute include pattern", "An `include:` or `mappings:` pattern starts with `/`, `\\\\` or a drive such as `C:`. Include patterns are relative to the catalogue file (`outcome/*.yaml`, or `../faelles/*.yaml` for files shared by several catalogues), so that a catalogue means the same on every computer and cannot sweep in files from elsewhere on yours (`/etc/*.yaml`). Write the pattern relative to the catalogue, or use `extends:` to build on another catalogue."),
    "HF317": ("symbolic link loop", "A folder scan (an `include:` pattern, or a folder given on the command line) met a symbolic link that leads back into a folder the scan is already in, so it would go round in circles. Remove the link, or name the files or folders you mean."),
    "HF320": ("unknown column in a mapping", "A Mapping names a column that its dataset does not have: in `columns:` without a `type:` (a helper column needs one), in `constants:`, or in `deduplicate.key` or `aggregate.by` without a source, constant or derived column of that name. The hint names the closest column."),
    "HF321": ("value does not fit the column", "A value written in a Mapping (in a value map, `other:`, `constants:` or `unpivot.values`) is not a value the column can hold: an enum value that is not in the dataset's `values`, text in a number column, a date not written 2021-12-31. The message says what the column holds."),
    "HF322": ("derived column has the wrong type", "An expression in a Mapping's `derive:` or `aggregate.columns` gives a value of another type than the dataset column it fills (a date into a number column, a number into a text column). Change the expression, or give the result to a helper column of another name."),
    "HF323": ("mapping option does not fit", "A Mapping option is used where it has no meaning: `type:` on a dataset column (it takes the dataset's type), `cpr: true` on a column that is not a pseudonym column or together with a value map, `format:` on a column that is not a date, `decimal:` on a column that is not a number, a helper column with different types in two sources, or a `{...}` place in a header that does not match `unpivot.column`."),
    "HF324": ("two mappings for one dataset", "Two Mapping specs make the same dataset, so it is not clear which one gives its rows. Put both exports in one mapping, as two entries of `sources:`."),
    "HF325": ("column given twice", "A Mapping gives a column its value in two ways (from a header in `columns:` and in `constants:`, `derive:`, `unpivot:` or `aggregate:`), so it is not clear which one counts. Keep one."),
    "HF326": ("date format cannot be read", "A Mapping's `format:` for a date column must be made of `dd` (day), `mm` (month) and `yyyy` (year), each once, with `-`, `.`, `/`, a blank or nothing between them, and optionally a time `hh:mm` or `hh:mm:ss` after the date: `dd.mm.yyyy`, `yyyymmdd`, `dd-mm-yyyy hh:mm`."),
    "HF327": ("column lost by the aggregation", "A Mapping with `aggregate:` keeps only the `by:` columns and the `aggregate.columns`; a dataset column that the mapping gives before the aggregation would be lost. Add it to `by:`, or compute it in `aggregate.columns` (for example with `max(...)`)."),
    "HF328": ("word listed twice in a value map", "A value map lists the same export word twice: words are compared without regard to case and blanks around and inside them, so `Egen bolig` and `egen  bolig` are one word. Keep one of them."),
    "HF401": ("unknown name", "The expression uses a name that is not a column of the dataset (or of a dataset it references), a parameter, or a model input or formula; or a model's `outputs:` names no formula or input. The hint suggests the closest known name."),
    "HF402": ("syntax error in expression", "The expression cannot be read. The message says what was expected at the marked position."),
    "HF403": ("`=` instead of `==`", "Comparison is written `==` in hfspec (`metode == \"CTI\"`). A single `=` is not an operator."),
    "HF404": ("`&&`/`||` instead of `and`/`or`", "hfspec writes logic in words: `and`, `or`, `not`."),
    "HF405": ("comma as decimal mark", "Inside expressions the decimal mark is a point: `12.5`, not `12,5` (a comma separates function arguments). Data files may use decimal commas; expressions may not."),
    "HF406": ("unclosed parenthesis", "A `(` or `[` is not closed. Add the missing `)` or `]`."),
    "HF407": ("`where` outside an aggregate", "`where` belongs inside an aggregate's parentheses: `count(where alder < 30)`, `sum(doegn where metode == \"CTI\")`. To restrict the whole population use the indicator's `filter:`."),
    "HF408": ("unknown function", "The function does not exist. See docs/language.md for the list; the hint names the closest one."),
    "HF409": ("wrong number of arguments", "The function was called with too many or too few arguments. See docs/language.md."),
    "HF410": ("unknown enum value", "A text is compared with an enum column, but the text is not one of the column's values. Enum values are exact, as written in the dataset spec (for example `egen_bolig`, `CTI`). The message lists the allowed values."),
    "HF411": ("unknown parameter", "`param.NAME` names a parameter that the catalogue's `params:` does not define, or `param` is written without a name."),
    "HF412": ("unknown indicator in ref()", "`ref(\"ID\")` names an indicator that is not in the project."),
    "HF413": ("ambiguous column", "The column exists in more than one referenced dataset. Write `dataset.column` to say which."),
    "HF420": ("type mismatch", "The operator or function cannot combine these types (for example a number plus a text). The message gives both types."),
    "HF421": ("condition is not true/false", "A `filter`, `where`, `if` condition or `assert` must be a condition (true/false), such as `alder < 30`."),
    "HF422": ("measure is not a number", "A key figure's measure must give a number."),
    "HF430": ("aggregate in a row context", "A `filter:` (or a row-level rule) is checked row by row, so it cannot contain aggregates like `count()`. Move the condition into the measure's `where`, or use a Rule with `by:`."),
    "HF431": ("nested aggregate", "Aggregates do not nest: `sum(count())` has no meaning row by row. Combine aggregates with arithmetic instead: `sum(a) / count()`."),
    "HF432": ("column outside an aggregate", "A measure summarises many rows into one number, so each column must sit inside an aggregate: `mean(alder)`, not `alder`. Breakdown columns belong in `by:`."),
    "HF433": ("`distinct` not allowed here", "`distinct` is only allowed in `count(distinct x)`."),
    "HF434": ("ref() and rows mixed", "A derived key figure (no `dataset:`) combines whole key figures with `ref()`: it has no rows, so it cannot use columns, aggregates over rows or a `filter:`. And `ref()` belongs only in the measure of such a key figure: not in a key figure with a `dataset:`, a `filter:`, a rule or a model formula."),
    "HF435": ("model syntax outside a model", "`over` (reductions over named dimensions) and indexing with `[...]` (`x[year = 1]`) work on the arrays of a model formula. A key figure has no dimensions: break it down with `by:`, and restrict it with `where` or `filter:`."),
    "HF440": ("expression too deep", "The expression nests deeper than hfspec allows (MAX_EXPR_DEPTH). Simplify it or split it into several key figures."),
    "HF441": ("expression too long", "The expression is longer than hfspec allows (MAX_EXPR_LENGTH characters)."),
    "HF442": ("text too long", "A text literal is longer than hfspec allows (MAX_STRING_LENGTH characters)."),
    "HF443": ("list too long", "A list literal has more items than hfspec allows (MAX_LIST_ITEMS)."),
    "HF444": ("number too large", "A number in an expression or a catalogue parameter is beyond what key figures are computed with: whole numbers must lie within the 64-bit range (MAX_INTEGER, about 9.2 × 10¹⁸), and a decimal number must be finite. Write a smaller number."),
    "HF445": ("too many decimals in round()", "`round(x, digits)` takes at most MAX_ROUND_DIGITS (15) decimals either way; a double holds no more. Digits that come from data are clamped to that range."),
    "HF450": ("unknown dataset after `from`", "`count(from D …)` aggregates the rows of dataset D that belong to the same citizen, but the project has no dataset D. The hint names the closest one."),
    "HF451": ("datasets not linked", "`from D` needs to know which of D's rows belong to the row it is worked out for. hfspec finds that from the datasets' `references:` columns: D references the key figure's dataset (`bolig.borger_id` → `borgere.borger_id`), both reference the same column (`herberg.borger_id` and `bolig.borger_id` → `borgere.borger_id`), or the key figure's dataset references D. This error means there is no such link, or more than one."),
    "HF452": ("`first`/`last` without an order", "`first(x)` and `last(x)` need to know which row comes first: give an order with `by`, for example `first(who5 by dato)` for the earliest measurement."),
    "HF453": ("`by` outside `first`/`last`", "Inside parentheses, `by` gives the order of `first` and `last`. To break a key figure down, use its `by:` field."),
    "HF454": ("`per` in the wrong place", "`agg(value per unit where condition)` works out a value for each unit among the group's rows and then aggregates over the units. It belongs at the top level of a key figure's measure (it may be combined with arithmetic), not inside another aggregate or another `per`, not in a filter, and not together with `from` or `first`/`last`."),
    "HF455": ("`per` unit is not a column", "The unit after `per` must be a column (such as `borger_id`) or a `let` name. Name a computed unit in `let:` first."),
    "HF456": ("`this` outside `from`", "`this.column` means the column of the row outside the innermost `from` (in `count(from herberg where indskrivning > this.udskrivning)`, the stay the count is worked out for). It has no meaning outside `from`, and the row outside must have the column."),
    "HF457": ("`days_in_period()` without an interval", "`days_in_period()` counts the days of a row's interval that fall in the result's period. It needs the key figure to give `time: [start, end]` and a `period:`, and belongs in the measure."),
    "HF458": ("invalid `let` name", "A `let` name must not be the name of a column the key figure can see, of a parameter prefix (`param`, `this`), or of another `let`; and a `let` value may use only the ones defined before it. Rename it."),
    "HF459": ("data syntax in a model formula", "`from` (rows of another dataset), `by` (the order of `first`/`last`) and `per` (an aggregate per unit) work on the rows of datasets. A model formula has no rows, only arrays over named dimensions: reduce over a dimension with `over`, e.g. `sum(x over year)`."),
    "HF501": ("data file missing", "No data file was found for a dataset the key figures need, or the data folder itself does not exist. Files are named after the dataset id (`borgere.csv`, `status.xlsx`, `tid.parquet`). When a project with mappings runs from its exports (no data folder given), every dataset it needs must have a Mapping; a standard file is read with a mapping as short as `sources: [{files: fogedsager.csv}]`."),
    "HF502": ("unknown column header", "The data file has a column that the dataset spec does not know. Rename the header, or map it with `source:` in the dataset spec."),
    "HF503": ("missing column", "The data file lacks a column that the dataset spec requires."),
    "HF504": ("not a number", "A cell in a number column holds something that is not a number. Decimal commas (12,5) are accepted; text is not."),
    "HF505": ("not a date", "A cell in a date column is not a date. Use 2021-06-30 or 30-06-2021."),
    "HF506": ("not a true/false value", "A cell in a yes/no column must be one of true/false, 1/0, ja/nej, yes/no."),
    "HF507": ("unknown enum value in data", "A cell holds a value that is not one of the column's allowed values."),
    "HF508": ("value out of range", "A cell is below the column's `min` or above its `max`."),
    "HF509": ("required value missing", "A cell is empty in a column that is required."),
    "HF510": ("CPR number in data", "A cell holds something shaped like a CPR number: ddmmyy with a plausible day and month, then `-`, a space or nothing, then four digits, also inside a text (`CPR 010190-1234`); a whole number is read as 10 digits, so 0101901234 stored as 101901234 counts. In a pseudonym column, a key column or a column that results are broken down by (whose values are printed), it is an error and the file is refused, even with --allow-invalid-rows: citizen data must be pseudonymised before it reaches hfspec. In other text columns it is a warning: hfspec never prints them, but remove the numbers at the source. In a Mapping, mark the column that holds CPR numbers `cpr: true`: it then becomes a pseudonym. Messages never show the number (its digits are X's)."),
    "HF511": ("unknown reference in data", "A row refers to an id (for example a borger_id) that does not exist in the referenced dataset."),
    "HF512": ("duplicate key in data", "Two rows have the same values in the dataset's `key:` columns."),
    "HF513": ("data file cannot be read", "The data file is not readable as CSV, XLSX or Parquet (or its encoding is neither UTF-8 nor Windows-1252)."),
    "HF514": ("not a whole number", "A cell in an integer column holds a number with decimals."),
    "HF515": ("several files for one dataset", "The data folder holds more than one file for a dataset (for example status.csv and status.xlsx). Keep one, so it is clear which one counts."),
    "HF516": ("two headers for one column", "Two headers of the data file mean the same column of the dataset (after folding case, blanks and Danish letters, or through `source:`), so it is not clear which one holds the data. Remove or rename one."),
    "HF517": ("separator problem", "The data file mixes separators: its header is one cell written with another separator than the rest (Danish Excel opens a `,`-separated file with the whole header in column A, and saves it `;`-separated), or some lines are separated by another character than the header. Split the header into columns in Excel (Data → Text to Columns) and save the file again as CSV, so that every line uses one separator; the templates of `hfspec init` are `;`-separated, as Danish Excel saves them."),
    "HF518": ("date outside 1900–2200", "A cell in a date column is a date, but before 1900-01-01 or after 2200-12-31 (MIN_DATE, MAX_DATE): usually a typo in the year (`0021-03-22`), or a Parquet value such as `infinity`. Such a date would put its row in a period of its own. Correct the year."),
    "HF519": ("XLSX sheet too long", "The workbook's sheet has rows numbered beyond MAX_XLSX_ROWS (1,048,576, Excel's own limit), so it was not written by Excel. Save the data again from Excel, or export it as CSV."),
    "HF520": ("rows skipped", "With --allow-invalid-rows the invalid rows were left out of the computation, and with them every row of another file that refers to a left-out row (the status and shelter rows of a citizen whose `borgere` row was invalid), so that no key figure counts a row without its citizen. The warning counts the left-out rows per file and lists their row numbers. A CPR-shaped value, a missing file or column, a separator problem or a file that cannot be read refuses the data even with the flag."),
    "HF521": ("too many texts in XLSX", "The workbook holds more distinct texts (shared strings) than MAX_XLSX_SHARED_STRINGS (1,000,000). They are all read into memory before the first row, so such a file is refused before it is read. Save only the data sheet, or export it as CSV."),
    "HF522": ("XLSX too large unpacked", "An XLSX file is a zip; this one unpacks to more than MAX_XLSX_UNPACKED_BYTES (1,000,000,000 bytes), checked before anything is unpacked. Export the data as CSV (DuckDB reads large CSV files quickly), or split it."),
    "HF523": ("CSV header line too long", "The first line of a CSV file, its header, is longer than MAX_HEADER_BYTES (16,000,000 bytes) or has no line break at all, so it is not a table with a header. Check that this is the data file you meant, and that it has one row per line."),
    "HF524": ("XLSX sheet too wide", "A row of the workbook's sheet has a value further right than MAX_XLSX_COLUMNS (1,000) columns, often a stray entry far out to the right. Delete it, or save only the data as its own sheet or as CSV."),
    "HF530": ("no export file found", "A Mapping source's `files:` pattern matches no file. Patterns are relative to the mapping file (`eksport/110/*.txt`); check the folder and the file names, or whether this month's export has been saved yet."),
    "HF531": ("column not found in the export", "The export has no header that the Mapping names in `from:` (or, for a dataset column the mapping does not list, its own name or a `source:` name). Headers are compared without regard to case, blanks, `-`/`_` and Danish letters. When the header is not in the first row, give `header_row:`. The hint names the closest header of the file."),
    "HF532": ("value not in the value map", "A cell of the export holds a word or code that the column's value map does not list (a new code in the case system, a misspelling). Add it to `values:` with the value it means, or give `other:` for every word not listed."),
    "HF533": ("not a CPR number", "A cell of a column marked `cpr: true` does not hold a CPR number (ddmmyy-xxxx, with or without the dash). The cell is shown with its digits masked. Fix the export, or check that the right column is marked."),
    "HF534": ("sheet not found", "The workbook has no sheet of the name given in the Mapping's `sheet:`. The message lists the sheets it has."),
    "HF535": ("no pseudonym key", "A Mapping turns CPR numbers into pseudonyms with the municipality's secret key, and no key was found: not with `--key`, not in the environment variables HFSPEC_PSEUDONYM_KEY_FILE or HFSPEC_PSEUDONYM_KEY, not in the default key file. Create one with `hfspec key new` (once; keep a copy safe), or point to the one you have. Without the key nothing is mapped."),
    "HF536": ("pseudonym key cannot be used", "The pseudonym key cannot be read or is not a key hfspec wrote: a key is 64 hexadecimal characters (32 random bytes) on a line of its own; lines starting with `#` are comments. Use the key file `hfspec key new` made."),
    "HF537": ("key file inside the project", "The pseudonym key lies inside the project folder (beside the catalogue, the mappings or the data). Whoever gets a copy of the project would get the key with it, and with the key and a CPR number anyone can find that person's pseudonym. Move the key out of the project, for example to the default key file."),
    "HF538": ("key file readable by others", "The pseudonym key file can be read by other users of the computer. Make it readable by you only (`chmod 600 FILE`). A warning: the mapping runs all the same."),
    "HF539": ("pseudonym key changed", "The data folder was written with another pseudonym key (the fingerprints differ). With a new key every citizen gets a new pseudonym, so the standard data and the history no longer link to earlier runs. Use the key from last time; if you do mean to change the key, add `--new-key`."),
    "HF601": ("example failed", "An indicator's `examples:` case gave other values than expected. The diff shows expected and actual rows."),
    "HF602": ("invalid example", "An example's rows do not fit the dataset spec (an unknown column, a wrong type), or give rows for a dataset the key figure does not use."),
    "HF603": ("invalid target", "`target:` must look like `>= 80%`, `< 12` or `between 10 and 20`."),
    "HF604": ("invalid date or period", "--from/--to must be dates (2021-01-01) or periods (2021, 2021-Q3, 2021-07); --reference-date a date or `today`."),
    "HF605": ("unknown indicator", "The indicator id given on the command line is not in the catalogue."),
    "HF606": ("unknown breakdown column", "A `by:` column is not a column of the dataset or of a dataset it references."),
    "HF607": ("unknown placeholder in a rule message", "A rule's `message:` uses `{name}` for a value that the rule does not have. A message may use `{value}` (the checked value), the `by:` columns, for row rules the dataset's key columns and `{row}`, and each `show:` expression by its text (`{max(dato)}`) or position (`{show1}`). Write `{{` and `}}` for literal braces."),
    "HF608": ("invalid double-bottom-line setting", "A `dbl_*` parameter of the double-bottom-line catalogue (specs/dbl/) has a value hfspec cannot use, for example `dbl_instrument` other than `who5` or `ors`. The message says which values are allowed."),
    "HF609": ("unknown citizen or worker", "`hfspec dbl --citizen` or `--worker` names an id that is not in `borgere` (borger_id or medarbejder_id). Ids are pseudonyms such as B0001 and M01; the hint names the closest one."),
    "HF610": ("breakdowns do not nest", "A derived key figure combines the results of other key figures, matched on equal breakdowns (and period). One of them must have every breakdown the others have; here none has. Combine key figures whose breakdowns are equal, or where the others have none."),
    "HF611": ("number out of range", "A number grew beyond the 64-bit range while a key figure was computed (very large values in the data, or a power). Check the data and the measure."),
    "HF625": ("headline does not fit the key figure", "A key figure's `headline:` says which of its values stands for it in one line. `latest` needs a key figure with `period:`, and a group such as `{maalepunkt: efter}` must name breakdowns of the key figure (its `by:`, or for a derived key figure those of the key figures it combines). Use `total`, `latest` or one of the breakdowns the hint lists."),
    "HF701": ("unknown or unnamed dimension", "A model names a dimension it does not declare, or an index does not name its dimension (write `x[year = 1]`, not `x[1]`)."),
    "HF702": ("dimension mismatch", "The values do not have the dimensions the model declares for this input or formula."),
    "HF703": ("missing input", "The scenario does not give a value for a model input that has no default, or for one of the values of the input's dimension (a payer, a year)."),
    "HF704": ("input out of range", "A scenario value is outside the input's allowed range (for example a success rate above 100 %)."),
    "HF705": ("unknown input", "The scenario gives a value for an input the model does not have."),
    "HF706": ("unknown dimension value", "A value is keyed by a dimension value (a payer, a consequence) that the dimension does not have."),
    "HF707": ("missing price index", "The scenario converts prices from a year for which the price index has no value."),
    "HF708": ("invalid distribution", "A `range:` must give a distribution (normal, triangular, uniform) with consistent bounds (low <= mode <= high, sd > 0)."),
    "HF709": ("ratings file problem", "A CREAM ratings file cannot be used as it is: it is not a CSV or XLSX file or cannot be read, it is empty or holds no scores, a required column (indicator/nøgletal, criterion/kriterium, score) is missing, a row names an unknown key figure or criterion, a score is not a number or lies outside the scale 1..5, or a rating is given twice. The message gives the file and row."),
    "HF710": ("model formula error", "A formula cannot be evaluated with the given inputs."),
    "HF711": ("invalid discount setting", "A scenario's `discount:` must be a yearly rate (0.035 for 3.5 %) or a preset (`none`, `finansministeriet`), the model must have a `discount_rate` input, and the rate may be given only once (either `discount:` or `inputs: discount_rate`)."),
    "HF712": ("value from data cannot be used", "An input's `from_eval:` must name a key figure of the catalogue, a data folder that exists (relative to the scenario file) and `where:` conditions on the key figure's breakdowns (and `period`) that pick exactly one result with a value. The hint lists the values found in the data."),
    "HF713": ("value from data is suppressed", "The key figure's group has fewer units than the disclosure limit k (`--suppress-below`), so its value is suppressed and hfspec will not use it as a number. Use a larger group (fewer `where:` conditions) or give the value by hand with a `source:`."),
    "HF714": ("no single scenario in the file", "`hfspec som FILE` runs the one scenario of a scenario file, but the file holds none (no `kind: Scenario`) or several. Give the scenario's id instead, with the file as a further path: `hfspec som ID FILE`."),
    "HF715": ("model cannot be run as SØM", "`hfspec som` reads the model's results from formulas with fixed names (net, net_pv, acc, ...) over the dimensions `year` and `payer`. The model lacks one of them; the message names it."),
    "HF716": ("section 110 refusion inputs cannot be used", "Since 1 October 2023 the state refunds 50 % of the municipality's section 110 expenses only for the first 90 nights per citizen per calendar year. A SØM scenario priced on or after that date (`priced_on`) in which shelter nights fall must say how many nights each citizen stays a year, since that decides how the nights saved are split between municipality and state: give `stay_nights` (nights per citizen-year, a list or bands, with `stay_citizen_years`) or `within_share` (the share of the nights within the first 90 per citizen-year, e.g. `from_eval` of HF-E-11) – one of them, not both. Shortened stays (`whole_years_share` below 1) need `stay_nights`."),
    "HF717": ("input detail without `value:`", "An input written as a mapping is either its values keyed by the values of its first dimension (`price: {herberg: …, job: …}`) or, with `value:` (or `from_eval:`), the value with its `source:`, `range:`, `unit:` and `price_year:`. A mapping with `source:` or `range:` but no `value:` is the first kind, so `source` would be read as a consequence or a payer. Write the numbers under `value:`."),
    "HF718": ("not a date", "A model input of type `date` (SØM's `priced_on`, `refusion_from`) needs a date written year-month-day: `2024-03-01`."),
    "HF719": ("scenario without a calculation date", "A SØM scenario in which section 110 shelter nights fall does not give `priced_on`, the date the case is calculated. Without it hfspec cannot tell whether the refusion rule of 1 October 2023 applies, and splits the nights saved between the payers as `price` gives it (the rule before). Add `priced_on:`. A warning: the case is computed all the same, and every output says which rule was used."),
    # HF720-HF729: CREAM (hfspec cream); HF709 is the ratings-file problem
    "HF720": ("incomplete CREAM rating", "A rater scored a key figure on some but not all five CREAM criteria. The gate and the weighted score need all five: add the missing criteria, or remove the rater's rows for that key figure to leave it unrated."),
    "HF721": ("invalid CREAM settings", "The CREAM weights or options cannot be used: a weight for an unknown criterion, a negative weight, weights that add up to 0, or a short list that cannot be written."),
    "HF722": ("ratings of key figures outside the catalogue", "The ratings files rate key figures that the project knows but the ranked catalogue does not list (it selects or drops key figures of the catalogue it extends, and the workshop rated the whole one). Their ratings are left out; they count when you rank the catalogue they come from. A warning."),
    "HF801": ("template error", "A report template failed to render, or cannot be found (a `--templates` folder that does not exist, a template name that neither it nor the shipped templates have), or crossed one of the limits every render has: macro calls nested deeper than MAX_TEMPLATE_DEPTH, a text, list or output longer than MAX_TEMPLATE_OUTPUT, a whole number of more than MAX_TEMPLATE_INTEGER_BITS bits, loops that run more than MAX_TEMPLATE_LOOP_ITEMS times. The message says where."),
    "HF802": ("unsafe template operation", "A template tried something the sandbox forbids (reaching into Python objects)."),
    "HF803": ("output cannot be written", "The output file (`--out`, or the history file of `--store`) cannot be written: its folder does not exist or may not be written, the name is a folder, or the file is open in another program. Check the folder exists and is writable. `hfspec init` also refuses to write over files that exist (add --force)."),
    "HF804": ("run already stored", "The history file already holds a run of this catalogue on this data with the same settings, so it is not stored twice."),
    "HF805": ("unknown comparison column", "`hfspec report --compare-by COLUMN` (or `--compare`, which compares by `kommune`) names the column that says which municipality a row belongs to, but no key figure of the report reaches a column of that name through its dataset's links. Use a column of the standard data such as `kommune`; the hint names the closest."),
    "HF810": ("hidden cell can be worked out", "`hfspec audit` found a hidden (suppressed) cell whose value can be computed, or narrowed to an interval narrower than the protection level, from what the same file publishes: its totals, the n beside each value, shares times their n, and other key figures that count the same citizens (the catalogue says which). Such a file gives away what disclosure control hid. Make it again with `hfspec eval` or `hfspec report`, which hide the further cells needed (secondary suppression, shown as \"(skjult)\"), and do not publish the old one."),
    "HF811": ("not a results file", "`hfspec audit` reads the files `hfspec eval` writes (JSON with `format: hfspec-results/…`, the long CSV, the XLSX workbook) and the management report (`hfspec report`: its HTML page or workbook). The file is none of these. Check the path."),
    "HF812": ("disclosure control off needs a confirmation", "`--suppress-below 0` (or 1) turns disclosure control off: key figures about one or a few citizens are shown, and so is everything that could identify them. That is for work inside the municipality only, so hfspec asks you to say so: add `--not-for-publication`. Every output made that way says \"not for publication\" at the top (the CSV in a first `#` line). To publish, leave `--suppress-below` out (default 5)."),
    "HF806": ("unknown run label", "`hfspec report --compare-history FILE --overall LABEL` names the stored run that holds the overall value, but no run in the history file has that label. The hint lists the labels the file has."),
    "HF807": ("history file in use", "Another program held the history file (`--store`, `--history`) for longer than hfspec waits (MAX_LOCK_WAIT_SECONDS, 30 seconds): another hfspec run that takes unusually long, or a DuckDB window with the file open. hfspec waits for a run that is storing, so two runs started together both land; close the other program and run again."),
}


#: Widest source excerpt printed under a diagnostic; longer lines are shown as a window.
EXCERPT_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: code, severity, message, where, and what to do about it."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    label: str | None = None  # short text printed next to the caret
    notes: tuple[str, ...] = ()
    cells: int = 0  # a data problem: how many cells hold it (data files are reported per file, column and value)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code}")

    def sort_key(self) -> tuple:
        s = self.span
        return (s.file if s else "", s.line if s else 0, s.col if s else 0, self.code)


@dataclass
class DiagnosticBag:
    """Collects diagnostics from a stage; `raise_if_errors()` at the stage's boundary."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(self, code: str, message: str, span: Span | None = None, hint: str | None = None, label: str | None = None) -> None:
        self.add(Diagnostic(code, message, span, hint, Severity.ERROR, label))

    def warning(self, code: str, message: str, span: Span | None = None, hint: str | None = None, label: str | None = None) -> None:
        self.add(Diagnostic(code, message, span, hint, Severity.WARNING, label))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise HfspecError(self.items)


class HfspecError(Exception):
    """Raised at a stage boundary with every diagnostic collected so far. Exit code 1."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(summary(self.diagnostics))


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate above a similarity cutoff, for 'did you mean' hints.

    >>> suggest("boligsituaton", ["boligsituation", "borger_id"])
    'boligsituation'
    >>> suggest("xyz", ["boligsituation"]) is None
    True
    """
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    best = suggest(word, candidates)
    return f"did you mean `{best}`?" if best else None


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """'3 errors, 1 warning' (or 'no problems')."""
    diagnostics = list(diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    notes = sum(d.severity is Severity.INFO for d in diagnostics)
    if notes:
        parts.append(f"{notes} note{'s' if notes != 1 else ''}")
    text = ", ".join(parts) if parts else "no problems"
    data = [d for d in diagnostics if d.cells]
    if data:  # each data problem is one value of one column of one file, however many rows hold it
        cells = sum(d.cells for d in data)
        share = "" if len(data) == len(diagnostics) else f"{len(data)} of them "
        text += f" ({share}grouped by file, column and value: {format_number(cells, lang='en')} cell{'s' if cells != 1 else ''})"
    return text


def render_text(diagnostic: Diagnostic, color: bool = False) -> str:
    """rustc-style rendering: header, location, the source line, a caret under the span, hint.

    Control characters from the user's files (in messages, excerpts and hints) are drawn as
    visible symbols, never sent to the terminal (`source.printable`)."""
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    sev_color = {"error": "1;31", "warning": "1;33", "info": "1;36"}[diagnostic.severity.value]
    out = [paint(f"{diagnostic.severity.value}[{diagnostic.code}]", sev_color) + paint(f": {printable(diagnostic.message)}", "1")]
    span = diagnostic.span
    if span is not None and span.line > 0:
        width = len(str(span.line))
        pad = " " * width
        out.append(f"{pad}--> {printable(str(span))}")
        if span.source is not None:
            text = printable(span.source.line(span.line).replace("\t", " "))
            start = span.col
            end = span.end_col if span.end_line == span.line else len(text) + 1
            if len(text) > EXCERPT_WIDTH:  # show a window around the span of a very long line
                left = max(0, min(start - 1 - EXCERPT_WIDTH // 3, len(text) - EXCERPT_WIDTH))
                text = ("…" if left else "") + text[left:left + EXCERPT_WIDTH] + ("…" if left + EXCERPT_WIDTH < len(text) else "")
                shift = left - (1 if left else 0)
                start, end = start - shift, min(end - shift, len(text) + 1)
            carets = "^" * max(1, end - start)
            label = f" {printable(diagnostic.label)}" if diagnostic.label else ""
            out.append(f"{pad} |")
            out.append(f"{span.line} | {text}")
            out.append(f"{pad} | " + " " * (start - 1) + paint(carets + label, sev_color))
    elif span is not None:
        out.append(f"  --> {printable(span.file)}")
    for note in diagnostic.notes:
        out.append(f"  = note: {printable(note)}")
    if diagnostic.hint:
        out.append(f"  = hint: {printable(diagnostic.hint)}")
    return "\n".join(out)


def render_all_text(diagnostics: Iterable[Diagnostic], color: bool = False) -> str:
    diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
    blocks = [render_text(d, color) for d in diagnostics]
    return "\n\n".join(blocks + [summary(diagnostics)])


def to_json(diagnostic: Diagnostic) -> dict:
    """A plain dict for `--format json` (stable keys, documented in docs/errors.md)."""
    s = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "file": s.file if s else None,
        "line": s.line if s else None,
        "column": s.col if s else None,
        "end_line": s.end_line if s else None,
        "end_column": s.end_col if s else None,
        "hint": diagnostic.hint,
        "notes": list(diagnostic.notes),
        "cells": diagnostic.cells,
    }


def render_all_json(diagnostics: Iterable[Diagnostic]) -> str:
    diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps({"diagnostics": [to_json(d) for d in diagnostics], "summary": summary(diagnostics)}, ensure_ascii=False, indent=2)


def explain(code: str) -> str | None:
    """What a code means and how to fix it, or None for an unknown code."""
    entry = CODES.get(code.upper())
    if entry is None:
        return None
    title, text = entry
    return f"{code.upper()}: {title}\n\n{text}"
