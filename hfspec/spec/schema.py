"""Located documents → schema diagnostics at the YAML position of the offending key or value.

The JSON Schemas in `schemas/` (draft 2020-12) are the single description of every spec kind;
editors use the same files through the `# yaml-language-server: $schema=…` line.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Iterator

from hfspec.diagnostics import Diagnostic, Message, did_you_mean
from hfspec.messages import Codes, OneOf
from hfspec.resources import shipped
from hfspec.spec.yamlsource import Document
from hfspec.words import decimal_comma

KINDS = {"Dataset": "dataset", "Indicator": "indicator", "Catalogue": "catalogue", "Model": "model", "Scenario": "scenario", "Rule": "rule",
         "Mapping": "mapping"}

#: The $defs of the schemas whose form (pattern) a hint explains in words.
FORMS = {"id": "schema.form_id", "name": "schema.form_name", "columnRef": "schema.form_column_ref",
         "datasetColumn": "schema.form_dataset_column", "target": "schema.form_target"}

#: The JSON Schema types in words.
TYPE_WORDS = {"string": "schema.type_string", "integer": "schema.type_integer", "number": "schema.type_number",
              "boolean": "schema.type_boolean", "object": "schema.type_object", "array": "schema.type_array", "null": "schema.type_null"}


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


def _describe(value: Any) -> Message:
    """What a value is, in words: "the text `x`", "a list"."""
    if isinstance(value, bool):
        return Message("schema.found_boolean")
    if isinstance(value, (int, float)):
        return Message("schema.found_number", value=value)
    if isinstance(value, str):
        return Message("schema.found_text", value=value) if len(value) < 40 else Message("schema.found_long_text")
    if isinstance(value, list):
        return Message("schema.found_list")
    return Message("schema.found_mapping")


def _expected(schema_type: Any) -> OneOf:
    """The JSON Schema type(s) a value must have, in words: "a list or text"."""
    types = schema_type if isinstance(schema_type, list) else [schema_type]
    return OneOf(Message(TYPE_WORDS[t]) for t in types)


def _form(schema: Any) -> str | None:
    """The name of the $defs entry (of FORMS) that `schema` is, or None."""
    loaded, _ = _schemas()
    for document in loaded.values():
        for name, definition in document.get("$defs", {}).items():
            if name in FORMS and definition == schema:
                return name
    return None


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
            yield Diagnostic("HF444", Message("schema.number_problem", where=describe_path(path), problem=problem), doc.at(path),
                             hint=Message("schema.number_problem_hint", n=MAX_INTEGER))


def describe_path(path: tuple) -> Message:
    """Where a value sits, as a message names it: keys joined by `.`, list items counted from 1.

    >>> describe_path(("select", 3)).render("en"), describe_path(("inputs", "dq", "value")).render("en"), describe_path(()).render("en")
    ('`select`, item 4', '`inputs.dq.value`', 'the document')
    >>> describe_path(("examples", 0, "data", "borgere", 1)).render("da")
    '`examples`, punkt 1, `data.borgere`, punkt 2'
    """
    parts: list[Message] = []
    keys: list[str] = []
    for part in path:
        if isinstance(part, int):
            if keys:
                parts.append(Message("common.code", text=".".join(keys)))
                keys = []
            parts.append(Message("schema.path_item", n=part + 1))
        else:
            keys.append(str(part))
    if keys:
        parts.append(Message("common.code", text=".".join(keys)))
    return Message("schema.path", parts=tuple(parts)) if parts else Message("schema.the_document")


def validate_document(doc: Document) -> list[Diagnostic]:
    """Schema diagnostics for one document (kind first, then the kind's schema)."""
    data = doc.data
    if not isinstance(data, dict):
        return [Diagnostic("HF108", Message("schema.not_mapping"), doc.span, hint=Message("schema.not_mapping_hint"))]
    numbers = list(_number_problems(doc, data, ()))
    if numbers:  # before the schema: a later stage would compute with them
        return numbers
    kinds = [f"`{k}`" for k in KINDS]
    if "kind" not in data:
        return [Diagnostic("HF202", Message("schema.missing_key", key="kind"), doc.span, hint=Message("schema.missing_kind_hint", kinds=OneOf(kinds)))]
    kind = data["kind"]
    if kind not in KINDS:
        hint = did_you_mean(str(kind), KINDS) or Message("schema.kind_hint", kinds=OneOf(kinds))
        return [Diagnostic("HF205", Message("schema.unknown_kind", kind=kind), doc.at(("kind",)), hint=hint)]
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
    meant = {dict(d.hint.params)["name"] for d in out.values() if d.code == "HF201" and d.hint and d.hint.id == "common.did_you_mean"}
    return [d for d in out.values() if not (d.code == "HF202" and dict(d.message.params).get("key") in meant)]


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
            hint = did_you_mean(str(key), allowed) or (Message("schema.allowed_keys", keys=Codes(sorted(allowed))) if allowed else None)
            message = Message("schema.unknown_key_in", key=key, where=where) if path else Message("schema.unknown_key", key=key)
            yield Diagnostic("HF201", message, doc.key_at(path + (key,)), hint=hint, label=Message("schema.unknown_key_label"))
        return
    if v == "required":
        missing = error.validator_value
        for key in missing:
            if isinstance(error.instance, dict) and key not in error.instance:
                message = Message("schema.missing_key_in", key=key, where=where) if path else Message("schema.missing_key", key=key)
                yield Diagnostic("HF202", message, doc.key_at(path) if path else doc.span, hint=Message("schema.missing_key_hint", key=key))
        return
    if v == "type":
        expected = _expected(error.validator_value)
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        number = decimal_comma(error.instance) if {"number", "integer"} & set(types) else None
        if number:
            yield Diagnostic("HF203", Message("schema.wrong_type", where=where, expected=expected, found=_describe(error.instance)), doc.at(path),
                             hint=Message("schema.decimal_comma_hint", number=number))
        elif error.instance is None:
            yield Diagnostic("HF203", Message("schema.wrong_type_empty", where=where, expected=expected), doc.at(path))
        else:
            yield Diagnostic("HF203", Message("schema.wrong_type", where=where, expected=expected, found=_describe(error.instance)), doc.at(path))
        return
    if v == "enum":
        allowed = [str(a) for a in error.validator_value]
        best = did_you_mean(str(error.instance), allowed)
        hint = Message("schema.allowed_values_best", best=best, values=Codes(allowed)) if best else Message("schema.allowed_values", values=Codes(allowed))
        yield Diagnostic("HF204", Message("schema.not_allowed", value=error.instance, where=where), doc.at(path),
                         hint=hint, label=Message("schema.not_allowed_label"))
        return
    if v == "const":
        yield Diagnostic("HF204", Message("schema.must_be", where=where, value=error.validator_value), doc.at(path))
        return
    messages = {
        "pattern": lambda: Message("schema.pattern", value=error.instance, where=where),
        "minimum": lambda: Message("schema.minimum", where=where, limit=error.validator_value, value=error.instance),
        "maximum": lambda: Message("schema.maximum", where=where, limit=error.validator_value, value=error.instance),
        "exclusiveMinimum": lambda: Message("schema.exclusive_minimum", where=where, limit=error.validator_value, value=error.instance),
        "minLength": lambda: Message("schema.empty", where=where),
        "minItems": lambda: Message("schema.min_items", where=where, n=error.validator_value),
        "uniqueItems": lambda: Message("schema.unique_items", where=where),
        "minProperties": lambda: Message("schema.empty", where=where),
    }
    message = messages.get(v, lambda: Message("schema.other", where=where, detail=error.message))()
    form = _form(error.schema) if v == "pattern" else None
    hint = Message(FORMS[form]) if form else Message("schema.form_year") if v == "pattern" and path[:1] == ("price_index",) else None
    yield Diagnostic("HF206", message, doc.at(path), hint=hint)
