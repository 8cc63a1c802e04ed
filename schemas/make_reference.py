"""JSON Schemas in schemas/ → the field tables of docs/spec-reference.md.

The reference page keeps its prose and YAML examples by hand; every table of fields is
generated from the schemas and lives between a pair of markers::

    <!-- fields:indicator -->            the top-level fields of indicator.schema.json
    <!-- fields:dataset.column -->       the object described by $defs/column of dataset.schema.json
    <!-- fields:common -->               the shared value types of common.schema.json

Run ``python schemas/make_reference.py`` to rewrite the tables, and
``python schemas/make_reference.py --check`` (exit code 1 when the page is out of date, or
when a spec kind or an object shape of the schemas has no table) in tests and CI.
Only the standard library is used, so the check runs before anything is installed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent
DOC_PATH = SCHEMA_DIR.parent / "docs" / "spec-reference.md"

#: The spec kinds, in the order the reference page presents them.
KINDS = ("dataset", "indicator", "catalogue", "model", "scenario", "rule")

#: How a shared value type of common.schema.json is named in the tables. A shared type
#: without a label here is shown by its $defs name.
COMMON_LABELS = {
    "kind": "kind",
    "id": "id",
    "idList": "list of ids",
    "name": "name",
    "nameList": "list of names",
    "columnRef": "column",
    "columnRefList": "list of columns",
    "datasetColumn": "`dataset.column`",
    "text": "text",
    "expression": "expression",
    "expressionList": "list of expressions",
    "unit": "unit",
    "scalar": "value",
    "bound": "number or date",
    "row": "row",
    "rows": "list of rows",
    "paramValue": "param value",
    "params": "params",
    "dimensionValue": "dimension value",
    "dimensionValues": "list of dimension values",
    "modelValue": "model value",
    "creamScore": "CREAM score (1–5)",
    "indicatorType": "indicator type",
    "columnType": "column type",
}

#: Enumerations with at most this many values are spelled out in the tables; longer ones
#: are named and listed once in the table of value types.
MAX_INLINE_ENUM = 8

MARKER = re.compile(
    r"(<!-- fields:(?P<name>[A-Za-z0-9_.]+) -->\n)(?P<body>.*?)(<!-- /fields:(?P=name) -->)",
    re.S,
)


class ReferenceError(Exception):
    """The page names a table the schemas do not have."""


def load_schemas(schema_dir: Path = SCHEMA_DIR) -> dict[str, dict]:
    """Read every ``*.schema.json``, keyed by the file name without ``.schema.json``."""
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(schema_dir.glob("*.schema.json"))
    }


class Reference:
    """Renders field tables from a set of schemas that refer to each other by file name."""

    def __init__(self, schemas: dict[str, dict]):
        self.schemas = schemas

    # -- following $ref ------------------------------------------------------------------

    def resolve(self, ref: str, current: str) -> tuple[str, str | None, dict]:
        """A ``$ref`` → (schema file key, $defs name or None, the schema it points to)."""
        file_part, _, pointer = ref.partition("#")
        key = file_part.removesuffix(".schema.json") if file_part else current
        if key not in self.schemas:
            raise ReferenceError(f"$ref {ref!r} in {current}.schema.json: no such schema file")
        target = self.schemas[key]
        if not pointer:
            return key, None, target
        match = re.fullmatch(r"/\$defs/([A-Za-z0-9_]+)", pointer)
        if not match or match.group(1) not in target.get("$defs", {}):
            raise ReferenceError(f"$ref {ref!r} in {current}.schema.json does not resolve")
        return key, match.group(1), target["$defs"][match.group(1)]

    def object_view(self, schema: dict, current: str) -> tuple[dict, list[str]] | None:
        """The properties and required names an object schema documents, or None.

        Follows a ``$ref`` to the schema that declares the properties, and looks into the
        ``else`` branch of ``{type: [integer, object], if: ..., else: {...}}`` shapes.
        Properties whose schema is ``{not: {}}`` are forbidden, hence not documented.
        """
        properties: dict = {}
        required: list[str] = list(schema.get("required", []))
        if "$ref" in schema:
            key, _, target = self.resolve(schema["$ref"], current)
            inner = self.object_view(target, key)
            if inner:
                properties.update(inner[0])
                required += [name for name in inner[1] if name not in required]
        for source in (schema, schema.get("else", {})):
            properties.update(source.get("properties", {}))
            required += [name for name in source.get("required", []) if name not in required]
        properties = {
            name: sub for name, sub in properties.items() if not (isinstance(sub, dict) and sub.get("not") == {})
        }
        if not properties:
            return None
        return properties, required

    # -- naming types ----------------------------------------------------------------------

    def label(self, schema: dict | bool, current: str) -> str:
        """A short, plain-words name for the type a schema accepts."""
        if not isinstance(schema, dict):
            return "anything" if schema else "nothing"
        if "$ref" in schema:
            key, def_name, target = self.resolve(schema["$ref"], current)
            if key == "common" and def_name is not None:
                base = self.common_label(def_name, target)
            elif def_name is not None and "title" in target:
                base = f"*{target['title']}*"
            elif def_name is None:
                base = f"*{target.get('title', key)}*"
            else:
                base = self.label(target, key)
            extra = self.constraints(schema)
            return f"{base} ({extra})" if extra else base
        if "const" in schema:
            return f"`{schema['const']}`"
        if "enum" in schema:
            return self.enum_label(schema["enum"])
        types = schema.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        if not types and "if" in schema:
            return self.conditional_label(schema, current)
        if not types and "anyOf" in schema:
            return " or ".join(self.label(branch, current) for branch in schema["anyOf"])
        parts = [self.type_label(kind, schema, current) for kind in types]
        scalars = [kind for kind in types if kind not in ("array", "object")]
        items = schema.get("items")
        if "array" in types and isinstance(items, dict) and items.get("type") == scalars:
            parts[types.index("array")] = "a list of these"
        return " or ".join(parts) if parts else "anything"

    def common_label(self, def_name: str, target: dict) -> str:
        if "enum" in target and len(target["enum"]) <= MAX_INLINE_ENUM:
            return self.enum_label(target["enum"])
        return COMMON_LABELS.get(def_name, def_name)

    @staticmethod
    def enum_label(values: list) -> str:
        return "one of " + ", ".join(f"`{value}`" for value in values)

    def conditional_label(self, schema: dict, current: str) -> str:
        """``if/then/else`` without its own type: the branches, joined with "or"."""
        branches = [schema[key] for key in ("then", "else") if key in schema]
        return " or ".join(self.label(branch, current) for branch in branches)

    def type_label(self, kind: str, schema: dict, current: str) -> str:
        if kind == "array":
            items = schema.get("items")
            inner = self.label(items, current) if isinstance(items, dict) else "values"
            return f"list of {self.plural(inner)}"
        if kind == "object":
            if "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
                key_label = self.key_label(schema.get("propertyNames"), current)
                value_label = self.label(schema["additionalProperties"], current)
                return f"map {key_label} → {value_label}"
            return "object"
        if kind in ("integer", "number"):
            extra = self.constraints(schema)
            return f"{kind} {extra}" if extra else kind
        return kind

    def key_label(self, names: dict | None, current: str) -> str:
        if not names:
            return "key"
        if "$ref" in names:
            return self.label(names, current)
        if names.get("pattern") == "^[0-9]{4}$":
            return "year"
        return "key"

    @staticmethod
    def constraints(schema: dict) -> str:
        low = schema.get("minimum")
        high = schema.get("maximum")
        if "exclusiveMinimum" in schema:
            return f"> {schema['exclusiveMinimum']}"
        if low is not None and high is not None:
            return f"{low}–{high}"
        if low is not None:
            return f"≥ {low}"
        if high is not None:
            return f"≤ {high}"
        return ""

    @staticmethod
    def plural(label: str) -> str:
        """``id`` → ``ids``; labels that are already phrases stay as they are."""
        if label in ("string", "number", "integer", "boolean"):
            return label + "s"
        if label.startswith(("one of", "list of", "map ", "`", "*", "integer", "number", "string")):
            return label
        if " or " in label:
            return label
        return label + "s"

    # -- tables ----------------------------------------------------------------------------

    def fields_table(self, key: str, def_name: str | None) -> str:
        """The Markdown table of one object shape's fields."""
        current = key
        if def_name is None:
            schema = self.schemas[key]
        else:
            schema = self.schemas[key].get("$defs", {}).get(def_name)
            if schema is None:
                raise ReferenceError(f"{key}.schema.json has no $defs/{def_name}")
        view = self.object_view(schema, current)
        if view is None:
            raise ReferenceError(f"{key}.schema.json{'#/$defs/' + def_name if def_name else ''} has no fields")
        properties, required = view
        lines = ["| Field | Required | Type | Meaning |", "|---|---|---|---|"]
        for name, sub in properties.items():
            lines.append(
                "| `{}` | {} | {} | {} |".format(
                    name,
                    "yes" if name in required else "no",
                    cell(self.label(sub, current)),
                    cell(sub.get("description", "")),
                )
            )
        return "\n".join(lines) + "\n"

    def common_table(self) -> str:
        """The Markdown table of the shared value types."""
        lines = ["| Type | Accepts | Meaning |", "|---|---|---|"]
        for def_name, schema in self.schemas["common"].get("$defs", {}).items():
            name = COMMON_LABELS.get(def_name, def_name)
            if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
                continue  # "list of ids" and the like explain themselves
            if "enum" in schema:
                accepts = self.enum_label(schema["enum"])
            else:
                accepts = self.accepts(schema, "common")
            lines.append(f"| {cell(name)} | {cell(accepts)} | {cell(schema.get('description', ''))} |")
        return "\n".join(lines) + "\n"

    def accepts(self, schema: dict, current: str) -> str:
        """What a shared value type accepts, spelled out (not by its own name)."""
        if "if" in schema and isinstance(schema.get("type"), list):
            # {type: [string, object], if: {type: string}, else: {properties: ...}}
            branch = schema.get("else", {})
            parts = []
            for kind in schema["type"]:
                if kind == "object" and branch.get("properties"):
                    parts.append("`{" + ", ".join(branch["properties"]) + "}`")
                else:
                    parts.append(kind)
            return " or ".join(parts)
        # Patterns are left to the Meaning column: plain words serve analysts better than regexes.
        return self.label(schema, current)

    def table(self, marker: str) -> str:
        if marker == "common":
            return self.common_table()
        key, _, def_name = marker.partition(".")
        if key not in self.schemas:
            raise ReferenceError(f"marker fields:{marker}: no schema {key}.schema.json")
        return self.fields_table(key, def_name or None)

    @staticmethod
    def own_fields(schema: dict) -> bool:
        """Whether a schema declares documentable properties itself (not only through $ref)."""
        for source in (schema, schema.get("else", {})):
            for sub in source.get("properties", {}).values():
                if not (isinstance(sub, dict) and sub.get("not") == {}):
                    return True
        return False

    def expected_markers(self) -> list[str]:
        """Every table the page must have: common, each kind, each object shape with a title."""
        markers = ["common"]
        for key in KINDS:
            if key not in self.schemas:
                continue
            markers.append(key)
            root_ref = self.schemas[key].get("$ref", "")
            for def_name, schema in self.schemas[key].get("$defs", {}).items():
                if root_ref == f"#/$defs/{def_name}":
                    continue  # the top-level fields, already documented by the kind's table
                if "title" in schema and self.own_fields(schema):
                    markers.append(f"{key}.{def_name}")
        return markers


def missing_descriptions(schemas: dict[str, dict]) -> list[str]:
    """Properties without a ``description`` (editors show it as hover text, so every field needs one).

    Conditions (``if``, ``then``, ``allOf``) only restate properties already described, and
    are skipped.
    """
    missing: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{where}/{index}")
            return
        if not isinstance(node, dict):
            return
        for name, sub in node.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub:
                missing.append(f"{where}/properties/{name} has no description")
        for key, value in node.items():
            if key not in ("if", "then", "allOf"):
                walk(value, f"{where}/{key}")

    for key, schema in schemas.items():
        walk(schema, f"{key}.schema.json#")
    return missing


def cell(text: str) -> str:
    """Make a string safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def render(doc: str, reference: Reference) -> tuple[str, list[str]]:
    """Rewrite every marked table of the page; return the new text and the problems found."""
    problems: list[str] = []
    seen: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group("name")
        seen.append(name)
        try:
            body = reference.table(name)
        except ReferenceError as error:
            problems.append(str(error))
            body = match.group("body")
        return f"{match.group(1)}{body}{match.group(4)}"

    text = MARKER.sub(replace, doc)
    for marker in reference.expected_markers():
        if marker not in seen:
            problems.append(f"no table for `{marker}`: add <!-- fields:{marker} --> ... <!-- /fields:{marker} -->")
    for marker in sorted({name for name in seen if seen.count(name) > 1}):
        problems.append(f"the table fields:{marker} appears more than once")
    return text, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date; change nothing")
    parser.add_argument("--doc", type=Path, default=DOC_PATH, help="the reference page (default: %(default)s)")
    parser.add_argument("--schemas", type=Path, default=SCHEMA_DIR, help="the schema folder (default: %(default)s)")
    options = parser.parse_args(argv)

    doc = options.doc.read_text(encoding="utf-8")
    schemas = load_schemas(options.schemas)
    new, problems = render(doc, Reference(schemas))
    for problem in problems:
        print(f"{options.doc}: {problem}", file=sys.stderr)
    for problem in missing_descriptions(schemas):
        print(f"{options.schemas}/{problem}", file=sys.stderr)
        problems.append(problem)
    if options.check:
        if new != doc:
            diff = difflib.unified_diff(
                doc.splitlines(keepends=True), new.splitlines(keepends=True), str(options.doc), "regenerated"
            )
            sys.stderr.writelines(diff)
            print(f"{options.doc} is out of date: run python schemas/make_reference.py", file=sys.stderr)
            return 1
        return 1 if problems else 0
    if new != doc:
        options.doc.write_text(new, encoding="utf-8")
        print(f"updated {options.doc}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
