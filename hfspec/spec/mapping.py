"""Validated `kind: Mapping` documents → `MappingSpec`; a spec checked against the project's
datasets → `CompiledMapping` (every column typed, every expression checked, every value of a
value map and every constant fitting its column).

A Mapping says how export files from a municipality's own systems become one standard dataset
(see docs/spec-reference.md, "Mapping"). Everything that can be checked without the files is
checked here, at the YAML position, before any file is read: unknown columns, value-map values
that the column does not allow, date formats hfspec cannot read, expressions, types of derived
columns, columns that an aggregation would lose. The files are read by `hfspec.data.mapping`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from hfspec.diagnostics import DiagnosticBag, HfspecError, Message, did_you_mean
from hfspec.lang import types as T
from hfspec.lang.check import CheckedExpr, Context, check
from hfspec.lang.parser import parse
from hfspec.lang.scope import TableScope
from hfspec.messages import Codes
from hfspec.spec.model import DatasetSpec, Loc, Text, field_locs
from hfspec.spec.yamlsource import Document

#: Column types a helper column (one that is not in the dataset) may have.
HELPER_TYPES = ("string", "integer", "number", "boolean", "date")
#: The words of a boolean cell (the same as in a standard data file: hfspec.data.cells).
TRUE_TEXT = ("true", "1", "ja", "yes", "j", "y", "sand")
FALSE_TEXT = ("false", "0", "nej", "no", "n", "falsk")

#: The parts of a `format:` of a date column, and what DuckDB's strptime calls them.
_DATE_TOKENS = (("yyyy", "%Y"), ("åååå", "%Y"), ("dd", "%d"), ("mm", "%m"), ("hh", "%H"), ("tt", "%H"), ("ss", "%S"), ("d", "%d"), ("m", "%m"))
_SEPARATORS = "-./ :T"


class _Missing:
    """No `other:` given (None means `other: null`, an empty cell)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # the one instance, also in a cached project (spec/cache.py pickles projects)


MISSING = _Missing()


def word_key(text: str) -> str:
    """How a cell and a value-map word are compared: blanks around and inside collapsed, lower case.
    `hfspec.data.cells.word_key_sql` is the same rule in SQL.

    >>> word_key("  Egen   Lejebolig ")
    'egen lejebolig'
    """
    return re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip(" ").lower()


def date_format(text: str) -> str | None:
    """A `format:` such as `dd.mm.yyyy` as a DuckDB strptime format, or None when it cannot be read.
    A format needs a day, a month and a four-digit year; `hh:mm` (and `:ss`) after the date is a time.

    >>> date_format("dd.mm.yyyy"), date_format("yyyymmdd"), date_format("dd-mm-åååå hh:mm"), date_format("mm/yy")
    ('%d.%m.%Y', '%Y%m%d', '%d-%m-%Y %H:%M', None)
    """
    out, seen, i, time = [], set(), 0, False
    lowered = text.strip().lower()
    while i < len(lowered):
        ch = lowered[i]
        if ch in _SEPARATORS:
            out.append("%%" if ch == "%" else ch)
            time = time or ch == ":"
            i += 1
            continue
        for token, code in _DATE_TOKENS:
            if lowered.startswith(token, i):
                if code == "%m" and "%H" in seen:  # `mm` after an hour is minutes
                    code = "%M"
                if code in seen:
                    return None
                seen.add(code)
                out.append(code)
                i += len(token)
                break
        else:
            return None
    return "".join(out) if {"%d", "%m", "%Y"} <= seen else None


@dataclass(frozen=True, slots=True)
class ValueMap:
    """A column's value map: the export's words (compared by `word_key`) → the column's values."""

    entries: dict[str, tuple[str, Any]]  # word_key(word) -> (the word as written, value)
    other: Any = MISSING

    @property
    def has_other(self) -> bool:
        return self.other is not MISSING


@dataclass(frozen=True, slots=True)
class SourceColumn:
    """One column of a source: the header it comes from and how its cells are read."""

    name: str
    header: str
    type: str | None = None  # only for helper columns
    values: ValueMap | None = None
    format: str | None = None  # as written
    strptime: str | None = None  # as DuckDB reads it
    decimal: str | None = None
    cpr: bool = False
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Unpivot:
    """Wide to long: `column` gets the value of each measurement word found in the headers."""

    column: str
    values: tuple[tuple[str, str], ...]  # (the word in the headers, the column's value)
    loc: Loc | None = None

    @property
    def placeholder(self) -> str:
        return "{" + self.column + "}"


@dataclass(frozen=True, slots=True)
class MappingSource:
    """One kind of export file."""

    index: int
    files: tuple[str, ...]
    columns: dict[str, SourceColumn]
    sheet: str | None = None
    header_row: int | None = None
    footer_rows: int = 0
    delimiter: str | None = None
    constants: dict[str, Any] = field(default_factory=dict)
    unpivot: Unpivot | None = None
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MappingSpec:
    id: str
    dataset: str
    sources: tuple[MappingSource, ...]
    title: Text | None = None
    description: Text | None = None
    params: dict[str, Any] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    derive: dict[str, str] = field(default_factory=dict)
    filter: str | None = None
    deduplicate: tuple[str, ...] = ()
    keep: str = "last"
    aggregate_by: tuple[str, ...] = ()
    aggregate: dict[str, str] = field(default_factory=dict)
    unmatched_references: str = "error"
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """The folder the sources' file patterns are relative to: the mapping file's."""
        return Path(self.loc.file).parent if self.loc is not None else Path(".")


def _column(name: str, raw: Any, loc: Loc) -> SourceColumn:
    if isinstance(raw, str):
        return SourceColumn(name, raw, loc=loc)
    values = None
    if "values" in raw:
        entries = {word_key(str(k)): (str(k), v) for k, v in raw["values"].items()}
        values = ValueMap(entries, raw.get("other", MISSING))
    elif "other" in raw:
        values = ValueMap({}, raw["other"])
    fmt = raw.get("format")
    return SourceColumn(name, raw["from"], raw.get("type"), values, fmt, date_format(fmt) if fmt else None, raw.get("decimal"),
                        bool(raw.get("cpr", False)), loc)


def build_mapping(doc: Document) -> MappingSpec:
    """A validated Mapping document as a `MappingSpec` (each part keeps its YAML location)."""
    d = doc.data
    sources = []
    for i, s in enumerate(d["sources"]):
        base = ("sources", i)
        files = (s["files"],) if isinstance(s["files"], str) else tuple(s["files"])
        columns = {name: _column(name, raw, Loc(doc, base + ("columns", name))) for name, raw in (s.get("columns") or {}).items()}
        unpivot = None
        if "unpivot" in s:
            u = s["unpivot"]
            unpivot = Unpivot(u["column"], tuple((str(k), v) for k, v in u["values"].items()), Loc(doc, base + ("unpivot",)))
        sources.append(MappingSource(i, files, columns, s.get("sheet"), s.get("header_row"), s.get("footer_rows", 0),
                                     "\t" if s.get("delimiter") == "tab" else s.get("delimiter"), dict(s.get("constants") or {}), unpivot,
                                     Loc(doc, base), field_locs(doc, base, s)))
    dedupe = d.get("deduplicate") or {}
    aggregate = d.get("aggregate") or {}
    return MappingSpec(
        id=d["id"], dataset=d["dataset"], sources=tuple(sources), title=Text.of(d.get("title")), description=Text.of(d.get("description")),
        params=dict(d.get("params") or {}), constants=dict(d.get("constants") or {}), derive=dict(d.get("derive") or {}),
        filter=d.get("filter"), deduplicate=tuple(dedupe.get("key", ())), keep=dedupe.get("keep", "last"),
        aggregate_by=tuple(aggregate.get("by", ())), aggregate=dict(aggregate.get("columns") or {}),
        unmatched_references=d.get("unmatched_references", "error"), loc=Loc(doc, ()), locs=field_locs(doc, (), d))


# --------------------------------------------------------------------------------- checking


@dataclass
class CompiledMapping:
    """A mapping checked against its dataset: the type of every column it works with, and every
    expression checked. `steps` says, for each column the dataset gets, where its value comes from."""

    spec: MappingSpec
    dataset: DatasetSpec
    types: dict[str, T.Type]  # every column the mapping works with, after the sources, constants and `derive`
    derive: list[tuple[str, CheckedExpr]] = field(default_factory=list)
    filter: CheckedExpr | None = None
    aggregate: list[tuple[str, CheckedExpr]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def cpr_columns(self) -> list[str]:
        """The columns that hold CPR numbers in an export (and pseudonyms after mapping)."""
        return sorted({c.name for s in self.spec.sources for c in s.columns.values() if c.cpr})


def column_type(spec_type: str, values: tuple[str, ...] = ()) -> T.Type:
    return T.from_spec(spec_type, values)


def _type_word(typ: T.Type) -> Message:
    return typ.words()


def fits(value: Any, typ: T.Type) -> tuple[bool, Any]:
    """Whether a value written in YAML (a value-map value, a constant) fits a column type, and the
    value as the column holds it (a date as `datetime.date`, a boolean word as True/False).

    >>> fits("ja", T.BOOLEAN), fits("2021-12-31", T.DATE), fits(12.5, T.INTEGER), fits("x", T.enum(["x", "y"]))
    ((True, True), (True, datetime.date(2021, 12, 31)), (False, None), (True, 'x'))
    """
    if value is None:
        return True, None
    kind = typ.kind
    if kind is T.Kind.ENUM:
        return (value in typ.values, value) if isinstance(value, str) else (False, None)
    if kind is T.Kind.STRING:
        return (True, str(value)) if not isinstance(value, bool) else (False, None)
    if kind is T.Kind.INTEGER:
        if isinstance(value, bool):
            return False, None
        if isinstance(value, int):
            return True, value
        if isinstance(value, float) and value.is_integer():
            return True, int(value)
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            return True, int(value)
        return False, None
    if kind is T.Kind.NUMBER:
        if isinstance(value, bool):
            return False, None
        if isinstance(value, (int, float)):
            return True, float(value)
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+([.,][0-9]+)?", value.strip()):
            return True, float(value.replace(",", "."))
        return False, None
    if kind is T.Kind.BOOLEAN:
        if isinstance(value, bool):
            return True, value
        if isinstance(value, str) and value.strip().lower() in TRUE_TEXT + FALSE_TEXT:
            return True, value.strip().lower() in TRUE_TEXT
        return False, None
    if kind is T.Kind.DATE:
        if isinstance(value, str):
            try:
                return True, dt.date.fromisoformat(value.strip())
            except ValueError:
                return False, None
        return False, None
    return False, None


#: What a column of each type holds, as messages say it ("a whole number").
_TYPE_DESCRIPTIONS = {T.Kind.STRING: "mapping.holds_string", T.Kind.INTEGER: "mapping.holds_integer", T.Kind.NUMBER: "mapping.holds_number",
                      T.Kind.BOOLEAN: "mapping.holds_boolean", T.Kind.DATE: "mapping.holds_date"}


def _describe_type(typ: T.Type) -> Message:
    if typ.kind is T.Kind.ENUM:
        return Message("mapping.holds_enum", values=Codes(typ.values))
    return Message(_TYPE_DESCRIPTIONS[typ.kind]) if typ.kind in _TYPE_DESCRIPTIONS else typ.words()


def _assignable(source: T.Type, target: T.Type) -> bool:
    """Whether an expression of type `source` may fill a column of type `target`. A number into a
    whole-number column is checked row by row (not a whole number: HF514); text into an enum column
    against the values (HF507)."""
    if source.is_null:
        return True
    if target.kind in (T.Kind.INTEGER, T.Kind.NUMBER):
        return source.kind in (T.Kind.INTEGER, T.Kind.NUMBER)
    if target.kind in (T.Kind.STRING, T.Kind.ENUM):
        return source.kind in (T.Kind.STRING, T.Kind.ENUM)
    return source.kind is target.kind


class _Checker:
    def __init__(self, spec: MappingSpec, dataset: DatasetSpec, params: dict[str, tuple[T.Type, Any]], bag: DiagnosticBag):
        self.spec = spec
        self.dataset = dataset
        self.params = params
        self.bag = bag
        self.types: dict[str, T.Type] = {}
        self.given: dict[str, str] = {}  # column -> where it got its value ("columns", "constants", "derive", ...)

    def dataset_type(self, name: str) -> T.Type | None:
        col = self.dataset.columns.get(name)
        return column_type(col.type, col.values) if col is not None else None

    def unknown(self, name: str, loc: Loc, where: str, helper_hint: Message) -> None:
        hint = did_you_mean(name, list(self.dataset.columns) + list(self.types)) or helper_hint
        self.bag.error("HF320", Message("mapping.unknown_column", name=name, where=where, dataset=self.dataset.id), loc.key_span, hint=hint,
                       label=Message("mapping.unknown_column_label", dataset=self.dataset.id))

    # -- the sources ---------------------------------------------------------------------------

    def sources(self) -> None:
        helper_types: dict[str, tuple[str, Loc]] = {}
        for source in self.spec.sources:
            for column in source.columns.values():
                self.source_column(source, column, helper_types)
            self.unpivot(source)
            for name, value in source.constants.items():
                self.constant(name, value, source.locs["constants"].child(name), f"sources[{source.index}].constants")
                if name in source.columns:
                    self.bag.error("HF325", Message("mapping.twice_in_source", name=name, source=source.index + 1),
                                   source.locs["constants"].child(name).key_span, hint=Message("mapping.keep_one"))
        for name, (word, _) in helper_types.items():
            self.types.setdefault(name, column_type(word))
        # a dataset column the mapping gives no other way is found by its name in the files
        computed = set(self.spec.constants) | set(self.spec.derive) | set(self.spec.aggregate)
        for col in self.dataset.columns.values():
            if col.name not in computed:
                self.types.setdefault(col.name, column_type(col.type, col.values))
        for source in self.spec.sources:
            for name in source.columns:
                self.given.setdefault(name, "columns")
            for name in source.constants:
                self.given.setdefault(name, "constants")
            if source.unpivot is not None:
                self.given.setdefault(source.unpivot.column, "unpivot")

    def source_column(self, source: MappingSource, column: SourceColumn, helper_types: dict[str, tuple[str, Loc]]) -> None:
        name, loc = column.name, column.loc
        target = self.dataset_type(name)
        if target is None:
            if column.type is None:
                self.unknown(name, loc, "columns", Message("mapping.helper_needs_type", example=f'{name}: {{from: "{column.header}", type: string}}'))
                return
            earlier = helper_types.get(name)
            if earlier is not None and earlier[0] != column.type:
                self.bag.error("HF323", Message("mapping.helper_types_differ", name=name, type=column.type, earlier=earlier[0]),
                               loc.child("type").span, hint=Message("mapping.helper_types_differ_hint"))
            helper_types.setdefault(name, (column.type, loc))
            target = column_type(column.type)
        else:
            self.types[name] = target
            if column.type is not None:
                self.bag.error("HF323", Message("mapping.type_on_dataset_column", name=name, dataset=self.dataset.id),
                               loc.child("type").key_span, hint=Message("mapping.type_on_dataset_column_hint"))
        if column.cpr:
            col = self.dataset.columns.get(name)
            if col is None or not col.pseudonym:
                self.bag.error("HF323", Message("mapping.cpr_not_pseudonym", name=name, dataset=self.dataset.id),
                               loc.child("cpr").key_span, hint=Message("mapping.cpr_not_pseudonym_hint"))
            if column.values is not None:
                self.bag.error("HF323", Message("mapping.cpr_value_map", name=name), loc.child("values").key_span)
        if column.format is not None:
            if target.kind is not T.Kind.DATE:
                self.bag.error("HF323", Message("mapping.format_not_date", name=name, type=_type_word(target)), loc.child("format").key_span,
                               hint=Message("mapping.format_not_date_hint") if target.is_numeric else None)
            elif column.strptime is None:
                self.bag.error("HF326", Message("mapping.bad_date_format", format=column.format), loc.child("format").span,
                               hint=Message("mapping.bad_date_format_hint"))
        if column.decimal is not None and not target.is_numeric:
            self.bag.error("HF323", Message("mapping.decimal_not_number", name=name, type=_type_word(target)), loc.child("decimal").key_span)
        if column.values is not None:
            self.value_map(column, target)
        if source.unpivot is None and "{" in column.header and re.search(r"\{[^}]*\}", column.header):
            self.bag.error("HF323", Message("mapping.place_without_unpivot", header=column.header, source=source.index + 1),
                           loc.span if isinstance(loc.doc.get(loc.path), str) else loc.child("from").span,
                           hint=Message("mapping.place_without_unpivot_hint"))

    def value_map(self, column: SourceColumn, target: T.Type) -> None:
        raw = column.loc.doc.get(column.loc.path + ("values",)) or {}
        seen: dict[str, str] = {}
        for written, value in raw.items():
            key = word_key(str(written))
            loc = column.loc.child("values", written)
            if key in seen:
                self.bag.error("HF328", Message("mapping.word_twice", written=written, column=column.name, seen=seen[key]), loc.key_span,
                               hint=Message("mapping.word_twice_hint"))
            seen.setdefault(key, str(written))
            self.value_fits(value, target, loc, Message("mapping.in_value_map", column=column.name))
        if column.values is not None and column.values.has_other:
            self.value_fits(column.values.other, target, column.loc.child("other"), Message("mapping.in_other", column=column.name))

    def value_fits(self, value: Any, target: T.Type, loc: Loc, what: Message) -> bool:
        ok, _ = fits(value, target)
        if not ok:
            hint = did_you_mean(str(value), target.values) if target.kind is T.Kind.ENUM else None
            self.bag.error("HF321", Message("mapping.value_does_not_fit", value=value, what=what, type=_describe_type(target)), loc.span, hint=hint,
                           label=Message("mapping.value_does_not_fit_label"))
        return ok

    def constant(self, name: str, value: Any, loc: Loc, where: str) -> None:
        target = self.dataset_type(name)
        if target is None:
            self.unknown(name, loc, where, Message("mapping.constant_unknown_hint"))
            return
        self.types[name] = target
        self.value_fits(value, target, loc, Message("common.code", text=where))

    def unpivot(self, source: MappingSource) -> None:
        u = source.unpivot
        if u is None:
            return
        target = self.dataset_type(u.column)
        if target is None:
            target = T.STRING
        self.types[u.column] = target
        for word, value in u.values:
            self.value_fits(value, target, u.loc.child("values", word), Message("common.code", text="unpivot.values"))
        if u.column in source.columns:
            self.bag.error("HF325", Message("mapping.twice", name=u.column, first="unpivot", second="columns"), u.loc.child("column").span)
        placeholders = {m.group(1) for c in source.columns.values() for m in re.finditer(r"\{([^}]*)\}", c.header)}
        for wrong in sorted(placeholders - {u.column}):
            col = next(c for c in source.columns.values() if "{" + wrong + "}" in c.header)
            self.bag.error("HF323", Message("mapping.wrong_place", header=col.header, place="{" + wrong + "}", column=u.column),
                           col.loc.span if isinstance(col.loc.doc.get(col.loc.path), str) else col.loc.child("from").span,
                           hint=Message("mapping.wrong_place_hint", place="{" + u.column + "}"))
        if u.column not in placeholders:
            self.bag.error("HF323", Message("mapping.unpivot_no_place", place=u.placeholder, source=source.index + 1),
                           u.loc.child("column").span, hint=Message("mapping.unpivot_no_place_hint", example=f'who5: "WHO-5 {u.placeholder}"'))

    # -- the steps after the sources -------------------------------------------------------------

    def scope(self) -> TableScope:
        return TableScope(self.dataset.id, {self.dataset.id: dict(self.types)}, {}, self.params, frozenset())

    def expression(self, text: str, loc: Loc, context: Context, role: str) -> CheckedExpr | None:
        try:
            expr = parse(text, loc.locate())
        except HfspecError as error:
            self.bag.extend(error.diagnostics)
            return None
        checked, problems = check(expr, self.scope(), context, role)
        self.bag.extend(problems)
        return checked

    def target_type(self, name: str, checked: CheckedExpr, loc: Loc, where: str) -> None:
        target = self.dataset_type(name)
        if target is None:
            self.types[name] = checked.type if not checked.type.is_null else T.STRING
            return
        if not _assignable(checked.type, target):
            self.bag.error("HF322", Message("mapping.derived_type", name=name, type=_type_word(target), dataset=self.dataset.id, where=where,
                                            found=checked.type.words()),
                           loc.span, hint=Message("mapping.derived_type_hint", type=_describe_type(target)))
        self.types[name] = target

    def constants(self) -> None:
        for name, value in self.spec.constants.items():
            loc = self.spec.locs["constants"].child(name)
            self.constant(name, value, loc, "constants")
            if name in self.given:
                self.bag.error("HF325", Message("mapping.twice", name=name, first=self.given[name], second="constants"), loc.key_span,
                               hint=Message("mapping.keep_one"))
            self.given.setdefault(name, "constants")

    def derive(self) -> list[tuple[str, CheckedExpr]]:
        out = []
        for name, text in self.spec.derive.items():
            loc = self.spec.locs["derive"].child(name)
            if name in self.given:
                self.bag.error("HF325", Message("mapping.twice", name=name, first=self.given[name], second="derive"), loc.key_span,
                               hint=Message("mapping.keep_one"))
            checked = self.expression(text, loc, Context.ROW, "derived column")
            self.given.setdefault(name, "derive")
            if checked is None:
                self.types.setdefault(name, self.dataset_type(name) or T.STRING)  # later steps may name it: no follow-up errors
                continue
            self.target_type(name, checked, loc, f"derive.{name}")
            out.append((name, checked))
        return out

    def filter(self) -> CheckedExpr | None:
        if self.spec.filter is None:
            return None
        return self.expression(self.spec.filter, self.spec.locs["filter"], Context.ROW, "filter")

    def deduplicate(self) -> None:
        for i, name in enumerate(self.spec.deduplicate):
            if name not in self.types and name not in self.dataset.columns:
                self.unknown(name, self.spec.locs["deduplicate"].child("key", i), "deduplicate.key", Message("mapping.name_columns_hint"))

    def aggregate(self) -> list[tuple[str, CheckedExpr]]:
        if not self.spec.aggregate_by:
            return []
        loc = self.spec.locs["aggregate"]
        for i, name in enumerate(self.spec.aggregate_by):
            if name not in self.types and name not in self.dataset.columns:
                self.unknown(name, loc.child("by", i), "aggregate.by", Message("mapping.name_columns_hint"))
        out = []
        before = dict(self.types)  # every aggregate sees the rows' columns, not the other aggregates
        results: dict[str, T.Type] = {}
        for name, text in self.spec.aggregate.items():
            cloc = loc.child("columns", name)
            if name in self.spec.aggregate_by:
                self.bag.error("HF325", Message("mapping.by_and_computed", name=name), cloc.key_span)
            self.types = dict(before)
            checked = self.expression(text, cloc, Context.MEASURE, "aggregate column")
            if checked is not None:
                self.target_type(name, checked, cloc, f"aggregate.columns.{name}")
                results[name] = self.types[name]
                out.append((name, checked))
        self.types = {**before, **results}
        kept = set(self.spec.aggregate_by) | set(self.spec.aggregate)
        for name, where in self.given.items():
            if name in self.dataset.columns and name not in kept:
                self.bag.error("HF327", Message("mapping.lost_by_aggregation", name=name, where=where), loc.key_span,
                               hint=Message("mapping.lost_by_aggregation_hint", name=name))
        return out


def compile_mapping(spec: MappingSpec, datasets: dict[str, DatasetSpec], params: dict[str, Any], bag: DiagnosticBag,
                    param_type: Callable[[Any], tuple[T.Type, Any]]) -> CompiledMapping | None:
    """Check a mapping against its dataset (and the catalogue's `params`, which its own replace;
    `param_type` types a parameter as the project does). Problems go to `bag`; None when the
    mapping cannot be used."""
    dataset = datasets.get(spec.dataset)
    if dataset is None:
        bag.error("HF302", Message("mapping.unknown_dataset", dataset=spec.dataset), spec.locs["dataset"].span, hint=did_you_mean(spec.dataset, datasets))
        return None
    merged = {**params, **spec.params}
    checker = _Checker(spec, dataset, {k: param_type(v) for k, v in merged.items()}, bag)
    before = len(bag.items)
    checker.sources()
    checker.constants()
    derive = checker.derive()
    flt = checker.filter()
    checker.deduplicate()
    aggregate = checker.aggregate()
    if any(d.severity.value == "error" for d in bag.items[before:]):
        return None
    return CompiledMapping(spec, dataset, checker.types, derive, flt, aggregate, merged)
