"""Located documents → schema diagnostics at the YAML position of the offending key or value.

The JSON Schemas in `schemas/` (draft 2020-12) are the single description of every spec kind;
editors use the same files through the `# yaml-language-server: $schema=…` line.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Iterator

from hfspec.diagnostics import Diagnostic, did_you_mean
from hfspec.resources import shipped
from hfspec.spec.yamlsource import Document
from hfspec.words import decimal_comma

KINDS = {"Dataset": "dataset", "Indicator": "indicator", "Catalogue": "catalogue", "Model": "model", "Scenario": "scenario", "Rule": "rule",
         "Mapping": "mapping"}

_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "object": "a mapping (key: value)", "array": "a list", "null": "nothing"}


@functools.lru_cache(maxsize=1)
def _schemas() -> tuple[dict[str, dict], Any]:
    from referencing import Registry, Resource

    folder = shipped("schemas")
    loaded = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.schema.json"))}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in loaded.values())
    return loaded, registry


@functools.lru_cache(maxsize=None)
def validator(kind: str):
    from jsonschema import Draft202012Validator

    loaded, registry = _schemas()
    return Draft202012Validator(loaded[f"{KINDS[kind]}.schema.json"], registry=registry)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text `{value}`" if len(value) < 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _expected(schema_type: Any) -> str:
    if isinstance(schema_type, list):
        return " or ".join(_TYPE_WORDS.get(t, t) for t in schema_type)
    return _TYPE_WORDS.get(schema_type, str(schema_type))


def _leaf_errors(error) -> Iterator[Any]:
    """For anyOf/oneOf failures, the most relevant sub-errors; otherwise the error itself."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _leaf_errors(best_match(error.context))
    else:
        yield error


def _number_problems(doc: Document, value: Any, path: tuple) -> Iterator[Diagnostic]:
    """HF444 for every number in the document that key figures and models cannot compute with: a
    whole number beyond the 64-bit range (parameters, bounds, model values) or one too large to be
    finite (`1e400`)."""
    from hfspec.lang.parser import MAX_INTEGER, number_problem

    if isinstance(value, dict):
        for key, item in value.items():
            yield from _number_problems(doc, item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _number_problems(doc, item, path + (i,))
    else:
        problem = number_problem(value)
        if problem:
            yield Diagnostic("HF444", f"the number at {describe_path(path) if path else 'this value'} is {problem}", doc.at(path), hint=f"whole numbers go up to {MAX_INTEGER:,}")
def describe_path(path: tuple) -> str:
    """Where a value sits, as a message names it: keys joined by `.`, list items counted from 1.

    >>> describe_path(("select", 3)), describe_path(("inputs", "dq", "value")), describe_path(())
    ('`select`, item 4', '`inputs.dq.value`', 'the document')
    >>> describe_path(("examples", 0, "data", "borgere", 1))
    '`examples`, item 1, `data.borgere`, item 2'
    """
    parts: list[str] = []
    keys: list[str] = []
    for part in path:
        if isinstance(part, int):
            if keys:
                parts.append(f"`{'.'.join(keys)}`")
                keys = []
            parts.append(f"item {part + 1}")
        else:
            keys.append(str(part))
    if keys:
        parts.append(f"`{'.'.join(keys)}`")
    return ", ".join(parts) or "the document"


def validate_document(doc: Document) -> list[Diagnostic]:
    """Schema diagnostics for one document (kind first, then the kind's schema)."""
    data = doc.data
    if not isinstance(data, dict):
        return [Diagnostic("HF108", "a spec document must be a mapping (`kind: ...`, `id: ...`)", doc.span,
                           hint="start the document with `kind:` and `id:` lines")]
    numbers = list(_number_problems(doc, data, ()))
    if numbers:  # before the schema: a later stage would compute with them
        return numbers
    if "kind" not in data:
        return [Diagnostic("HF202", "missing required key `kind`", doc.span, hint=f"add `kind:` with one of {', '.join(KINDS)}")]
    kind = data["kind"]
    if kind not in KINDS:
        hint = did_you_mean(str(kind), KINDS) or f"kind must be one of {', '.join(KINDS)}"
        return [Diagnostic("HF205", f"unknown kind `{kind}`", doc.at(("kind",)), hint=hint)]
    if doc.refused:
        return []  # the YAML layer already refused something in this document (a tag)
    out: dict[tuple, Diagnostic] = {}
    for error in validator(kind).iter_errors(data):
        if any(tuple(error.absolute_path)[:len(p)] == p for p in doc.reported):
            continue  # the YAML layer reported this value already (a list item indented too far)
        for leaf in _leaf_errors(error):
            for diagnostic in _to_diagnostics(doc, leaf):
                out.setdefault((diagnostic.code, diagnostic.span.line if diagnostic.span else 0, diagnostic.span.col if diagnostic.span else 0, diagnostic.message), diagnostic)
    # a misspelt key explains the "missing" key it was meant to be: report the misspelling only
    meant = {d.hint.split("`")[1] for d in out.values() if d.code == "HF201" and d.hint and d.hint.startswith("did you mean")}
    return [d for d in out.values() if not (d.code == "HF202" and d.message.split("`")[1] in meant)]


def _to_diagnostics(doc: Document, error) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    where = describe_path(path)
    v = error.validator
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        import re

        for key in error.instance:
            if key in allowed or any(re.search(p, str(key)) for p in patterns):
                continue
            hint = did_you_mean(str(key), allowed) or (f"allowed keys: {', '.join(sorted(allowed))}" if allowed else None)
            yield Diagnostic("HF201", f"unknown key `{key}`" + (f" in {where}" if path else ""), doc.key_at(path + (key,)), hint=hint,
                             label="not a known key")
        return
    if v == "required":
        missing = error.validator_value
        for key in missing:
            if isinstance(error.instance, dict) and key not in error.instance:
                yield Diagnostic("HF202", f"missing required key `{key}`" + (f" in {where}" if path else ""), doc.key_at(path) if path else doc.span,
                                 hint=f"add `{key}:`")
        return
    if v == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        number = decimal_comma(error.instance) if {"number", "integer"} & set(expected) else None
        hint = f"write {number}: numbers in YAML have a decimal point" if number else None
        yield Diagnostic("HF203", f"{where} must be {_expected(error.validator_value)}, not {_describe(error.instance)}", doc.at(path), hint=hint)
        return
    if v == "enum":
        allowed = [str(a) for a in error.validator_value]
        best = did_you_mean(str(error.instance), allowed)
        yield Diagnostic("HF204", f"`{error.instance}` is not allowed for {where}", doc.at(path),
                         hint=(best + " " if best else "") + f"allowed values: {', '.join(allowed)}", label="not an allowed value")
        return
    if v == "const":
        yield Diagnostic("HF204", f"{where} must be `{error.validator_value}`", doc.at(path))
        return
    messages = {
        "pattern": lambda: f"`{error.instance}` does not have the form required for {where}",
        "minimum": lambda: f"{where} must be at least {error.validator_value}, got {error.instance}",
        "maximum": lambda: f"{where} must be at most {error.validator_value}, got {error.instance}",
        "exclusiveMinimum": lambda: f"{where} must be greater than {error.validator_value}, got {error.instance}",
        "minLength": lambda: f"{where} must not be empty",
        "minItems": lambda: f"{where} needs at least {error.validator_value} item(s)",
        "uniqueItems": lambda: f"{where} lists the same item twice",
        "minProperties": lambda: f"{where} must not be empty",
    }
    message = messages.get(v, lambda: f"{where}: {error.message}")()
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    yield Diagnostic("HF206", message, doc.at(path), hint=description)
