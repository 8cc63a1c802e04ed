"""Validated documents → frozen spec objects (Dataset, Indicator, Catalogue, Model, Scenario, Rule).

Each object keeps `locs`: where each of its fields sits in which YAML document, so later stages
(expression checking, data validation, CREAM) report at the line the user edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from hfspec.source import Span
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


def _locs(doc: Document, base: tuple, data: dict) -> dict[str, Loc]:
    return {key: Loc(doc, base + (key,)) for key in data}


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

_TARGET = re.compile(r"^\s*(<=|>=|<|>|==)\s*(-?[0-9][0-9_]*(?:\.[0-9]+)?)(%?)\s*$")
_BETWEEN = re.compile(r"^\s*between\s+(-?[0-9][0-9_]*(?:\.[0-9]+)?)(%?)\s+and\s+(-?[0-9][0-9_]*(?:\.[0-9]+)?)(%?)\s*$")


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
            value = float(m.group(2).replace("_", "")) / (100 if m.group(3) else 1)
            return cls(m.group(1), value, None, text.strip())
        m = _BETWEEN.match(text)
        if m:
            lo = float(m.group(1).replace("_", "")) / (100 if m.group(2) else 1)
            hi = float(m.group(3).replace("_", "")) / (100 if m.group(4) else 1)
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
    loc: Loc | None = None
    locs: dict[str, Loc] = field(default_factory=dict)

    @property
    def derived(self) -> bool:
        return self.dataset is None

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
            description=Text.of(c.get("description")), unit=c.get("unit"),
            value_titles={str(k): Text.of(v) for k, v in (c.get("value_titles") or {}).items()}, loc=Loc(doc, ("columns", name)))
    return DatasetSpec(id=d["id"], columns=columns, title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                       time=d.get("time"), key=tuple(d.get("key", ())), sheet=d.get("sheet"), loc=Loc(doc, ()), locs=_locs(doc, (), d))


def build_indicator(doc: Document, data: dict | None = None, base: tuple = ()) -> IndicatorSpec:
    d = data if data is not None else doc.data
    cream = {}
    for criterion, value in (d.get("cream") or {}).items():
        if isinstance(value, dict):
            cream[criterion] = CreamScore(int(value["score"]), Text.of(value.get("reason")))
        else:
            cream[criterion] = CreamScore(int(value))
    return IndicatorSpec(
        id=d["id"], type=d["type"], measure=d["measure"], title=Text.of(d["title"]), description=Text.of(d.get("description")),
        area=d.get("area"), unit=d.get("unit"), dataset=d.get("dataset"), filter=d.get("filter"), by=tuple(d.get("by", ())),
        period=d.get("period"), counting_unit=d.get("counting_unit"), target=d.get("target"), instrument=d.get("instrument"),
        source=Text.of(d.get("source")), goal=d.get("goal"), decimals=d.get("decimals"), cream=cream,
        examples=tuple(d.get("examples", ())), loc=Loc(doc, base), locs=_locs(doc, base, d))


def override_indicator(spec: IndicatorSpec, patch: dict, doc: Document, path: tuple) -> IndicatorSpec:
    """The indicator with fields replaced by a catalogue's `override:` entry (located there)."""
    raw: dict[str, Any] = {}
    for key, value in patch.items():
        if key in ("title", "description", "source"):
            raw[key] = Text.of(value)
        elif key == "by":
            raw[key] = tuple(value)
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
        extends=d.get("extends"), select=tuple(select) if select is not None else None, drop=tuple(d.get("drop", ())),
        override=dict(d.get("override") or {}), params=dict(d.get("params") or {}), goals=goals, max_per_goal=d.get("max_per_goal"),
        weights=dict(d.get("weights") or {}), cream_pass=int(d.get("cream_pass", 3)), lang=d.get("lang"),
        loc=Loc(doc, ()), locs=_locs(doc, (), d))


def build_model(doc: Document) -> ModelSpec:
    d = doc.data
    return ModelSpec(id=d["id"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                     dimensions=dict(d.get("dimensions") or {}), inputs=dict(d.get("inputs") or {}), formulas=dict(d["formulas"]),
                     outputs=tuple(d.get("outputs", ())), loc=Loc(doc, ()), locs=_locs(doc, (), d))


def build_scenario(doc: Document) -> ScenarioSpec:
    d = doc.data
    return ScenarioSpec(id=d["id"], model=d["model"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                        inputs=dict(d.get("inputs") or {}), dimensions=dict(d.get("dimensions") or {}), price_year=d.get("price_year"),
                        price_index=dict(d.get("price_index") or {}), discount=d.get("discount"), raw=d, loc=Loc(doc, ()), locs=_locs(doc, (), d))


def build_rule(doc: Document) -> RuleSpec:
    d = doc.data
    return RuleSpec(id=d["id"], assert_=d["assert"], severity=d["severity"], title=Text.of(d.get("title")), description=Text.of(d.get("description")),
                    dataset=d.get("dataset"), filter=d.get("filter"), by=tuple(d.get("by", ())), period=d.get("period"),
                    message=Text.of(d.get("message")), show=tuple(d.get("show", ())), citizen_level=bool(d.get("citizen_level", False)),
                    raw=d, loc=Loc(doc, ()), locs=_locs(doc, (), d))


BUILDERS = {"Dataset": build_dataset, "Indicator": build_indicator, "Catalogue": build_catalogue,
            "Model": build_model, "Scenario": build_scenario, "Rule": build_rule}
