"""Types of the expression language: scalar kinds, enums with their values, lists, and named
dimensions for the model context (`cost[year, payer]` is a number with dims (year, payer))."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hfspec.diagnostics import Message


class Kind(str, Enum):
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    STRING = "string"
    DATE = "date"
    ENUM = "enum"
    NULL = "null"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Type:
    """A type. `values` for enums; `element` for lists; `dims` for model arrays."""

    kind: Kind
    values: tuple[str, ...] = ()
    element: "Type | None" = None
    dims: tuple[str, ...] = ()

    def __str__(self) -> str:
        base = self.kind.value
        if self.kind is Kind.LIST and self.element is not None:
            base = f"list of {self.element.kind.value}"
        if self.dims:
            base += "[" + ", ".join(self.dims) + "]"
        return base

    def words(self) -> Message:
        """The type as messages name it: "tal" / "number", "liste af tekst" / "list of string"."""
        if self.kind is Kind.LIST and self.element is not None:
            base = Message("lang.type_list", element=Message(TYPE_WORDS[self.element.kind]))
        else:
            base = Message(TYPE_WORDS[self.kind])
        return Message("lang.type_dims", type=base, dims=list(self.dims)) if self.dims else base

    @property
    def is_numeric(self) -> bool:
        return self.kind in (Kind.INTEGER, Kind.NUMBER, Kind.NULL)

    @property
    def is_null(self) -> bool:
        return self.kind is Kind.NULL

    def with_dims(self, dims: tuple[str, ...]) -> "Type":
        return Type(self.kind, self.values, self.element, dims)

    def scalar(self) -> "Type":
        return self.with_dims(())


#: A kind's name in messages (Type.words).
TYPE_WORDS = {Kind.INTEGER: "lang.type_integer", Kind.NUMBER: "lang.type_number", Kind.BOOLEAN: "lang.type_boolean",
              Kind.STRING: "lang.type_string", Kind.DATE: "lang.type_date", Kind.ENUM: "lang.type_enum", Kind.NULL: "lang.type_null",
              Kind.LIST: "lang.type_list_any"}

INTEGER = Type(Kind.INTEGER)
NUMBER = Type(Kind.NUMBER)
BOOLEAN = Type(Kind.BOOLEAN)
STRING = Type(Kind.STRING)
DATE = Type(Kind.DATE)
NULL = Type(Kind.NULL)


def enum(values) -> Type:
    return Type(Kind.ENUM, tuple(values))


def list_of(element: Type) -> Type:
    return Type(Kind.LIST, element=element)


def from_spec(name: str, values=()) -> Type:
    """The type of a Dataset column from its spec `type:` word."""
    return {"string": STRING, "integer": INTEGER, "number": NUMBER, "boolean": BOOLEAN, "date": DATE}.get(name) or enum(values)


def merge_dims(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """Broadcasting by name: the union of two dimension tuples, in first-seen order."""
    return a + tuple(d for d in b if d not in a)


def numeric_join(a: Type, b: Type) -> Type:
    """The result of arithmetic on two numeric types: integer only if both are."""
    dims = merge_dims(a.dims, b.dims)
    if a.kind is Kind.INTEGER and b.kind is Kind.INTEGER:
        return INTEGER.with_dims(dims)
    if a.is_null and b.is_null:
        return NULL.with_dims(dims)
    if a.is_null:
        return (b if b.kind is not Kind.NULL else NUMBER).with_dims(dims)
    if b.is_null:
        return a.with_dims(dims)
    return NUMBER.with_dims(dims)


def comparable(a: Type, b: Type) -> bool:
    """Whether `a == b` makes sense (null compares with anything; integers with numbers;
    an enum with text, checked against its values elsewhere)."""
    if a.is_null or b.is_null:
        return True
    if a.is_numeric and b.is_numeric:
        return True
    text = (Kind.STRING, Kind.ENUM)
    if a.kind in text and b.kind in text:
        return True
    return a.kind == b.kind


def orderable(a: Type, b: Type) -> bool:
    """Whether `a < b` makes sense: numbers, dates, texts (not enums: their order is not meaningful)."""
    if a.kind is Kind.ENUM or b.kind is Kind.ENUM:
        return False
    return comparable(a, b) and Kind.BOOLEAN not in (a.kind, b.kind)


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches (`if`, `coalesce`), or None when there is none."""
    if a.is_null:
        return b.with_dims(merge_dims(a.dims, b.dims))
    if b.is_null:
        return a.with_dims(merge_dims(a.dims, b.dims))
    if a.is_numeric and b.is_numeric:
        return numeric_join(a, b)
    if a.kind is Kind.ENUM and b.kind is Kind.ENUM:
        return enum(sorted(set(a.values) | set(b.values))).with_dims(merge_dims(a.dims, b.dims))
    if {a.kind, b.kind} <= {Kind.STRING, Kind.ENUM}:
        return STRING.with_dims(merge_dims(a.dims, b.dims))
    if a.kind == b.kind:
        return a.with_dims(merge_dims(a.dims, b.dims))
    return None
