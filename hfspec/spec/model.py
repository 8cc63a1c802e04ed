"""Validated documents → frozen spec objects (Dataset, Indicator, Catalogue, Model, Scenario, Rule;
Mappings are built in spec/mapping.py).

Each object keeps `locs`: where each of its fields sits in which YAML document, so later stages
(expression checking, data validation, CREAM) report at the line the user edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from hfspec.source import Span
from hfspec.words import read_number
from hfspec.spec.yamlsource import Document


@dataclass(frozen=True, slots=True)
class Text:
    """A bilingual text. A plain string in the YAML fills both languages."""

    da: str
    en: str

    @classmethod
    def of(cls, value: Any) -> "Text | None":
        if value is None:
            return None
        if isinstance(value, dict):
            return cls(str(value.get("da", "")), str(value.get("en", "")))
        return cls(str(value), str(value))

    def get(self, lang: str = "da") -> str:
        return self.en if lang == "en" else self.da

    def as_dict(self) -> dict[str, str]:
        return {"da": self.da, "en": self.en}


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a value sits: a document and a path inside it."""

    doc: Document
    path: tuple

    @property
    def span(self) -> Span:
        return self.doc.at(self.path)

    @property
    def key_span(self) -> Span:
        return self.doc.key_at(self.path)

    @property
    def file(self) -> str:
        return self.doc.source.name

    def child(self, *parts) -> "Loc":
        return Loc(self.doc, self.path + tuple(parts))

    def locate(self):
        """A function mapping character offsets of a string value to file spans (for expressions)."""
        return lambda start, end: self.doc.text_span(self.path, start, end)


def field_locs(doc: Document, base: tuple, data: dict) -> dict[str, Loc]:
    """The location of each field of a spec (keyed by field name), for reporting at the YAML line."""
    return {key: Loc(doc, base + (key,)) for key in data}


#: What `fold_value` turns into one `_`: runs of spaces, hyphens and underscores.
FOLD_SEPARATORS = "[ _-]+"


def fold_value(text: str) -> str:
    """An enum cell, value or alias in comparable form: surrounding spaces removed, lower case,
    æ→ae, ø→oe, å→aa, and runs of spaces, hyphens and underscores as one `_` (data/cells.py,
    `fold_sql`, is the same rule in SQL).

    >>> fold_value(" Egen  bolig "), fold_value("Før"), fold_value("Uden-egen_bolig"), fold_value("SU")
    ('egen_bolig', 'foer', 'uden_egen_bolig', 'su')
    """
    text = text.strip(" ").lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(FOLD_SEPARATORS, "_", text)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    type: str
    values: tuple[str, ...] = ()
    min: Any = None
    max: Any = None
    required: bool = True
    pseudonym: bool = False
    references: str | None = None
    source: tuple[str, ...] = ()
    title: Text | None = None
    description: Text | None = None
    unit: str | None = None
    value_titles: dict[str, Text] = field(default_factory=dict)  # what outputs call the enum values
    loc: Loc | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (word as people write it, the enum value it means)

    @property
    def words(self) -> dict[str, str]:
        """The folded words an enum cell may hold → the canonical value: each value and each alias
        (the first one wins where two fold alike; the Dataset checks refuse that).

        >>> ColumnSpec("m", "enum", values=("foer", "efter"), aliases=(("Før måling", "foer"),)).words
        {'foer': 'foer', 'efter': 'efter', 'foer_maaling': 'foer'}
        """
        words = {fold_value(v): v for v in self.values}
        for alias, value in self.aliases:
            words.setdefault(fold_value(alias), value)
        return words


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    id: str
    columns: dict[str, ColumnSpec]
    title: Text | None = None
    description: Text | None = None
    time: str | None = None
    key: tuple[str, ...] = ()
    sheet: str | None = None
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreamScore:
    score: int
    reason: Text | None = None


CREAM_CRITERIA = ("clear", "relevant", "economic", "adequate", "monitorable")

#: A number in a target: `_` may group digits, and the decimal mark is a point or a comma (`12,5%`).
_TARGET_NUMBER = r"-?[0-9][0-9_]*(?:[.,][0-9]+)?"
_TARGET = re.compile(rf"^\s*(<=|>=|<|>|==)\s*({_TARGET_NUMBER})(%?)\s*$")
_BETWEEN = re.compile(rf"^\s*between\s+({_TARGET_NUMBER})(%?)\s+and\s+({_TARGET_NUMBER})(%?)\s*$")


def _target_number(text: str) -> float:
    return float(text.replace("_", "").replace(",", "."))


@dataclass(frozen=True, slots=True)
class Target:
    """A success criterion (succeskriterium) such as `<= 40%` or `between 10 and 20`."""

    op: str
    value: float
    high: float | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> "Target | None":
        m = _TARGET.match(text)
        if m:
            value = _target_number(m.group(2)) / (100 if m.group(3) else 1)
            return cls(m.group(1), value, None, text.strip())
        m = _BETWEEN.match(text)
        if m:
            lo = _target_number(m.group(1)) / (100 if m.group(2) else 1)
            hi = _target_number(m.group(3)) / (100 if m.group(4) else 1)
            return cls("between", lo, hi, text.strip())
        return None

    def met(self, value: Any) -> bool | None:
        """Whether a value meets the target; None when there is no value."""
        if value is None:
            return None
        v = float(value)
        eps = 1e-9
        return {
            "<=": lambda: v <= self.value + eps, "<": lambda: v < self.value, ">=": lambda: v >= self.value - eps,
            ">": lambda: v > self.value, "==": lambda: abs(v - self.value) <= eps,
            "between": lambda: self.value - eps <= v <= (self.high or 0) + eps,
        }[self.op]()


#: The `headline:` words: the total over every breakdown (and period), and the latest period.
HEADLINE_TOTAL, HEADLINE_LATEST = "total", "latest"


@dataclass(frozen=True, slots=True)
class Headline:
    """Which result cell stands for a key figure in one line (its headline value, status, history
    and comparison): the cell of the breakdown values `group` (column → value, every other
    breakdown totalled), in the latest period (`latest=True`) or over every period.

    >>> Headline.of(None, "year"), Headline.of({"maalepunkt": "efter"}, None)
    (Headline(latest=True, group=()), Headline(latest=False, group=(('maalepunkt', 'efter'),)))
    """

    latest: bool = False
    group: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, raw: Any, period: str | None) -> "Headline":
        """The headline of a key figure from its `headline:` value (None: the default, the total –
        of the latest period when the key figure has a period)."""
        if raw == HEADLINE_TOTAL:
            return cls(False)
        if isinstance(raw, dict):
            return cls(period is not None, tuple((str(k), v) for k, v in raw.items()))
        return cls(period is not None)  # `latest`, or no headline: given


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    id: str
    type: str
    measure: str
    title: Text
    description: Text | None = None
    area: str | None = None
    unit: str | None = None
    dataset: str | None = None
    filter: str | None = None
    by: tuple[str, ...] = ()
    period: str | None = None
    counting_unit: str | None = None
    target: str | None = None
    instrument: str | None = None
    source: Text | None = None
    goal: str | None = None
    decimals: int | None = None
    cream: dict[str, CreamScore] = field(default_factory=dict)
    examples: tuple[dict, ...] = ()
    headline: Any = None  # `total`, `latest` or {column: value}; see `Headline`
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)
    let: tuple[tuple[str, str], ...] = ()  # named row values, in order: (name, expression)
    by_exprs: dict[str, str] = field(default_factory=dict)  # computed breakdowns: name -> expression (the name is in `by`)
    time: tuple[str, ...] = ()  # the date `period` buckets on (one expression), or an interval (two)

    @property
    def derived(self) -> bool:
        return self.dataset is None

    @property
    def parsed_headline(self) -> Headline:
        return Headline.of(self.headline, self.period)

    @property
    def parsed_target(self) -> Target | None:
        return Target.parse(self.target) if self.target else None


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    title: Text | None
    parent: str | None = None
    description: Text | None = None


@dataclass(frozen=True, slots=True)
class CatalogueSpec:
    id: str
    title: Text | None = None
    description: Text | None = None
    include: tuple[str, ...] = ()
    mappings: tuple[str, ...] = ()
    extends: str | None = None
    select: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    override: dict[str, dict] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    goals: tuple[Goal, ...] = ()
    max_per_goal: int | None = None
    weights: dict[str, float] = field(default_factory=dict)
    cream_pass: int = 3
    lang: str | None = None  # the language of messages and outputs when --lang is not given
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    title: Text | None
    description: Text | None
    dimensions: dict[str, dict]
    inputs: dict[str, dict]
    formulas: dict[str, dict]
    outputs: tuple[str, ...]
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    id: str
    model: str
    title: Text | None
    description: Text | None
    inputs: dict[str, Any]
    dimensions: dict[str, list]
    price_year: int | None = None
    price_index: dict[Any, float] = field(default_factory=dict)
    discount: Any = None
    discount_timing: str | None = None
    raw: dict = field(default_factory=dict)
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    assert_: str
    severity: str
    title: Text | None = None
    description: Text | None = None
    dataset: str | None = None
    filter: str | None = None
    by: tuple[str, ...] = ()
    period: str | None = None
    message: Text | None = None
    show: tuple[str, ...] = ()
    citizen_level: bool = False
    raw: dict = field(default_factory=dict)
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)


def build_dataset(doc: Document) -> DatasetSpec:
    d = doc.data
    columns = {}
    for name, c in d["columns"].items():
        source = c.get("source", ())
        columns[name] = ColumnSpec(
            name=name, type=c["type"], values=tuple(str(v) for v in c.get("values", ())), min=c.get("min"), max=c.get("max"),
            required=c.get("required", True), pseudonym=c.get("pseudonym", False), references=c.get("references"),
            source=(source,) if isinstance(source, str) else tuple(source), title=Text.of(c.get("title")),
            description=Text.of(c.get("description")), unit=c.get("unit"), loc=Loc(doc, ("columns", name)),
            value_titles={str(k): Text.of(v) for k, v in (c.get("value_titles") or {}).items()},
            aliases=tuple((str(word), str(value)) for value, words in (c.get("aliases") or {}).items()
                          for word in ((words,) if isinstance(words, str) else words)))
    return DatasetSpec(id=d["id"], columns=columns, title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                       time=d.get("time"), key=tuple(d.get("key", ())), sheet=d.get("sheet"), loc=Loc(doc, ()), locs=field_locs(doc, (), d))


def breakdowns(items) -> tuple[tuple[str, ...], dict[str, str]]:
    """`by:` items as (names, {name: expression} of the computed ones): a column or `let` name is a
    string, a computed breakdown a one-entry mapping `name: expression`."""
    names: list[str] = []
    computed: dict[str, str] = {}
    for item in items or ():
        if isinstance(item, dict):
            for name, expression in item.items():
                names.append(str(name))
                computed[str(name)] = str(expression)
        else:
            names.append(str(item))
    return tuple(names), computed


def time_of(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def build_indicator(doc: Document, data: dict | None = None, base: tuple = ()) -> IndicatorSpec:
    d = data if data is not None else doc.data
    cream = {}
    for criterion, value in (d.get("cream") or {}).items():
        if isinstance(value, dict):
            cream[criterion] = CreamScore(int(value["score"]), Text.of(value.get("reason")))
        else:
            cream[criterion] = CreamScore(int(value))
    by, by_exprs = breakdowns(d.get("by"))
    return IndicatorSpec(
        id=d["id"], type=d["type"], measure=d["measure"], title=Text.of(d["title"]), description=Text.of(d.get("description")),
        area=d.get("area"), unit=d.get("unit"), dataset=d.get("dataset"), filter=d.get("filter"), by=by,
        period=d.get("period"), counting_unit=d.get("counting_unit"), target=d.get("target"), instrument=d.get("instrument"),
        source=Text.of(d.get("source")), goal=d.get("goal"), decimals=d.get("decimals"), cream=cream,
        examples=tuple(d.get("examples", ())), headline=d.get("headline"), loc=Loc(doc, base), locs=field_locs(doc, base, d),
        let=tuple((str(k), str(v)) for k, v in (d.get("let") or {}).items()), by_exprs=by_exprs, time=time_of(d.get("time")))


def override_indicator(spec: IndicatorSpec, patch: dict, doc: Document, path: tuple) -> IndicatorSpec:
    """The indicator with fields replaced by a catalogue's `override:` entry (located there)."""
    raw: dict[str, Any] = {}
    for key, value in patch.items():
        if key in ("title", "description", "source"):
            raw[key] = Text.of(value)
        elif key == "by":
            raw["by"], raw["by_exprs"] = breakdowns(value)
        elif key == "let":
            raw[key] = tuple((str(k), str(v)) for k, v in (value or {}).items())
        elif key == "time":
            raw[key] = time_of(value)
        elif key == "cream":
            raw[key] = {**spec.cream, **{c: (CreamScore(int(v["score"]), Text.of(v.get("reason"))) if isinstance(v, dict) else CreamScore(int(v))) for c, v in value.items()}}
        elif key == "examples":
            raw[key] = tuple(value)
        else:
            raw[key] = value
    locs = dict(spec.locs)
    locs.update({key: Loc(doc, path + (key,)) for key in patch})
    return replace(spec, **raw, locs=locs)


def build_catalogue(doc: Document) -> CatalogueSpec:
    d = doc.data
    goals = tuple(Goal(g["id"], Text.of(g.get("title")), g.get("parent"), Text.of(g.get("description"))) for g in d.get("goals", ()))
    select = d.get("select")
    return CatalogueSpec(
        id=d["id"], title=Text.of(d.get("title")), description=Text.of(d.get("description")), include=tuple(d.get("include", ())),
        mappings=tuple(d.get("mappings", ())), extends=d.get("extends"), select=tuple(select) if select is not None else None, drop=tuple(d.get("drop", ())),
        override=dict(d.get("override") or {}), params=dict(d.get("params") or {}), goals=goals, max_per_goal=d.get("max_per_goal"),
        weights=dict(d.get("weights") or {}), cream_pass=int(d.get("cream_pass", 3)), lang=d.get("lang"),
        loc=Loc(doc, ()), locs=field_locs(doc, (), d))


def build_model(doc: Document) -> ModelSpec:
    d = doc.data
    return ModelSpec(id=d["id"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                     dimensions=dict(d.get("dimensions") or {}), inputs=dict(d.get("inputs") or {}), formulas=dict(d["formulas"]),
                     outputs=tuple(d.get("outputs", ())), loc=Loc(doc, ()), locs=field_locs(doc, (), d))


#: The fields of a scenario input's `range:` that are numbers.
_RANGE_NUMBERS = ("low", "high", "mode", "mean", "sd")


def read_scenario_numbers(doc: Document) -> None:
    """Numbers a person wrote as text in a Scenario (`value: "0,45"`, or `value: 0,45`, which YAML
    reads as text) become numbers, before the schema checks the document: input values, their
    ranges, the price index and the discount rate. A decimal comma or point; see
    `words.read_number`. Other text is left for the schema to refuse."""
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "Scenario":
        return

    def numbers(value: Any) -> Any:
        if isinstance(value, str):
            number = read_number(value)
            return value if number is None else number
        if isinstance(value, list):
            return [numbers(v) for v in value]
        if isinstance(value, dict):
            return {k: numbers(v) for k, v in value.items()}
        return value

    for name, setting in list((data.get("inputs") or {}).items()) if isinstance(data.get("inputs"), dict) else ():
        if isinstance(setting, dict) and ({"value", "from_eval", "source", "unit", "range"} & set(setting)):
            if "value" in setting:
                setting["value"] = numbers(setting["value"])
            if isinstance(setting.get("range"), dict):
                for key in _RANGE_NUMBERS:
                    if isinstance(setting["range"].get(key), str):
                        setting["range"][key] = numbers(setting["range"][key])
        else:
            data["inputs"][name] = numbers(setting)
    if isinstance(data.get("price_index"), dict):
        data["price_index"] = numbers(data["price_index"])
    if isinstance(data.get("discount"), str) and read_number(data["discount"]) is not None:
        data["discount"] = read_number(data["discount"])


def build_scenario(doc: Document) -> ScenarioSpec:
    d = doc.data
    return ScenarioSpec(id=d["id"], model=d["model"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                        inputs=dict(d.get("inputs") or {}), dimensions=dict(d.get("dimensions") or {}), price_year=d.get("price_year"),
                        price_index=dict(d.get("price_index") or {}), discount=d.get("discount"),
                        discount_timing=d.get("discount_timing"), raw=d, loc=Loc(doc, ()), locs=field_locs(doc, (), d))


def build_rule(doc: Document) -> RuleSpec:
    d = doc.data
    return RuleSpec(id=d["id"], assert_=d["assert"], severity=d["severity"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                    dataset=d.get("dataset"), filter=d.get("filter"), by=tuple(d.get("by", ())), period=d.get("period"),
                    message=Text.of(d.get("message")), show=tuple(d.get("show", ())), citizen_level=bool(d.get("citizen_level", False)),
                    raw=d, loc=Loc(doc, ()), locs=field_locs(doc, (), d))


BUILDERS = {"Dataset": build_dataset, "Indicator": build_indicator, "Catalogue": build_catalogue,
            "Model": build_model, "Scenario": build_scenario, "Rule": build_rule}
