"""hfspec's registries → the generated parts of docs/language.md, docs/errors.md (Danish),
docs/errors.en.md (English) and docs/architecture.md.

The pages keep their prose and examples by hand; every table that restates something the code
already knows is generated from the code and lives between a pair of markers::

    <!-- functions:aggregates -->   the aggregates of hfspec/lang/functions.py (AGGREGATES)
    <!-- functions:scalars -->      the scalar functions of the same registry (SCALARS)
    <!-- functions:special -->      functions with their own syntax (SPECIAL: ref)
    <!-- functions:model -->        the model-context functions of hfspec/lang/model_check.py
    <!-- nulls:examples -->         null cases, evaluated by the reference interpreter
    <!-- nulls:and -->, <!-- nulls:or -->, <!-- nulls:not -->   three-valued logic, evaluated
    <!-- limits:all -->             the MAX_* safety limits of specs and expressions, with their `#:` comments
    <!-- limits:security -->        every safety limit (MAX_*, MIN_*): specs, data, templates, history
    <!-- codes:HF1 --> … <!-- codes:HF8 -->   the codes of hfspec/messages/codes.py, one table per stage,
                                    in the language of the page (errors.md Danish, errors.en.md English)

Run ``python docs/make_docs.py`` to rewrite the tables, and ``python docs/make_docs.py --check``
in tests and CI: it changes nothing and exits with code 1 when a page is out of date, when a
marker names nothing the code has, or when something the code has (a stage of codes) has no table.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib
import re
import sys
from pathlib import Path
from typing import Any, Callable

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
LANGUAGE = DOCS / "language.md"
ERRORS = DOCS / "errors.md"
ARCHITECTURE = DOCS / "architecture.md"
ERRORS_EN = DOCS / "errors.en.md"
#: The language of each page of error codes.
ERROR_PAGES = {ERRORS: "da", ERRORS_EN: "en"}
#: The header of a table of codes in each language.
CODE_HEADERS = {"da": ["Kode", "Titel", "Hvad den betyder, og hvad du gør"], "en": ["Code", "Title", "What it means and what to do"]}

MARKER = re.compile(r"(<!-- (?P<name>[a-z]+:[A-Za-z0-9_]+) -->\n)(?P<body>.*?)(<!-- /(?P=name) -->)", re.S)

#: The stages of diagnostic codes, by their first digit (see the comment above CODES).
STAGES = {
    "HF1": "YAML",
    "HF2": "schema",
    "HF3": "project",
    "HF4": "expressions",
    "HF5": "data",
    "HF6": "evaluation and tests",
    "HF7": "models",
    "HF8": "reports",
}


class DocError(Exception):
    """A marker names something the code does not have."""


def cell(text: str) -> str:
    """Text made safe inside a Markdown table cell.

    >>> cell("a | b")
    'a \\\\| b'
    """
    return text.replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    """Inline code that survives backticks inside and pipes in a table.

    >>> code('count(where x)')
    '`count(where x)`'
    """
    return f"`{text}`".replace("|", "\\|")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


# -- functions --------------------------------------------------------------------------------

def _forms(fn) -> list[str]:
    """How a function is called, from its arity: `round(x)`, `round(x, y)`, `min(x, y, …)`."""
    letters = ["x", "y", "z"]
    if fn.kind == "aggregate":
        forms = []
        if fn.min_args == 0:
            forms.append(f"{fn.name}()")
        if fn.max_args is None or fn.max_args >= 1:
            forms.append(f"{fn.name}(x)")
        if fn.name == "count":  # the checker allows distinct only here
            forms.append(f"{fn.name}(distinct x)")
        return forms
    if fn.max_args is None:
        args = letters[:max(fn.min_args, 1)]
        return [f"{fn.name}({', '.join(args)}, …)"]
    return [f"{fn.name}({', '.join(letters[:n])})" for n in range(fn.min_args, fn.max_args + 1)]


def functions_table(kind: str) -> str:
    from hfspec.lang import functions as F

    registry = {"aggregates": F.AGGREGATES, "scalars": F.SCALARS}[kind]
    rows = []
    for name in sorted(registry):
        fn = registry[name]
        forms = " ".join(code(f) for f in _forms(fn))
        rows.append([forms, cell(fn.doc), code(fn.example), cell(fn.null_rule)])
    return table(["Function", "What it gives", "Example", "Nulls"], rows)


def special_table() -> str:
    from hfspec.lang import functions as F

    rows = [[code(f"{name}(\"ID\")"), cell(doc), code(example)] for name, (doc, example) in sorted(F.SPECIAL.items())]
    return table(["Function", "What it gives", "Example"], rows)


def model_table() -> str:
    from hfspec.lang import functions as F
    from hfspec.lang import model_check as MC

    rows = []
    for name in sorted(MC.REDUCTIONS):
        rows.append([code(f"{name}(x over d where c)"), "reduction", cell(MC.REDUCTIONS[name])])
    for name in sorted(MC.RUNNING):
        rows.append([code(f"{name}(x over d)"), "running", cell(MC.RUNNING[name])])
    for name in MC.MODEL_SCALARS:
        fn = F.SCALARS[name]
        forms = " ".join(code(f) for f in _forms(fn))
        rows.append([forms, "element by element", cell(fn.doc)])
    return table(["Function", "Kind", "What it gives"], rows)


# -- null rules, evaluated ---------------------------------------------------------------------

#: One row with `who5` empty and `ors` = 30, for the row-context examples.
NULL_ROW = {"who5": None, "ors": 30}
#: Three rows, `who5` = 10, empty and 20, for the aggregate examples.
NULL_ROWS = [{"who5": 10}, {"who5": None}, {"who5": 20}]

#: (expression, aggregate?) — evaluated by hfspec.lang.interpret, so the page shows what runs.
NULL_EXAMPLES = [
    ("who5 + 1", False),
    ("who5 * 0", False),
    ("ors / 0", False),
    ("who5 == null", False),
    ("who5 is null", False),
    ("who5 is not null", False),
    ("who5 <= 12", False),
    ("not (who5 <= 12)", False),
    ("who5 <= 12 and ors < 25", False),
    ("who5 <= 12 or ors < 25", False),
    ("who5 <= 12 or ors >= 25", False),
    ("who5 in [10, 12]", False),
    ("who5 between 0 and 12", False),
    ('if who5 <= 12 then "poor" else "not poor"', False),
    ("coalesce(who5, 0)", False),
    ("max(who5, ors)", False),
    ("count()", True),
    ("count(who5)", True),
    ("sum(who5)", True),
    ("mean(who5)", True),
    ("share(who5 <= 12)", True),
    ("count(where who5 > 25)", True),
    ("sum(who5 where who5 > 25)", True),
]


def _scope():
    from hfspec.lang import types as T
    from hfspec.lang.scope import TableScope

    return TableScope("status", {"status": {"who5": T.INTEGER, "ors": T.INTEGER}})


def evaluate(text: str, rows: list[dict[str, Any]] | None = None) -> Any:
    """The value of an expression by the reference interpreter (one row, or a group of rows)."""
    from hfspec.lang.check import Context, check
    from hfspec.lang.interpret import eval_group, eval_row
    from hfspec.lang.parser import parse

    expr = parse(text)
    context = Context.MEASURE if rows is not None else Context.ROW
    checked, problems = check(expr, _scope(), context, "measure" if rows is not None else "expression")
    if checked is None:
        raise DocError(f"`{text}` does not check: {problems[0].text('en')}")
    if rows is None:
        return eval_row(checked, {f"status.{k}": v for k, v in NULL_ROW.items()})
    return eval_group(checked, [{f"status.{k}": v for k, v in r.items()} for r in rows])


def shown(value: Any) -> str:
    """A value as the language writes it: null, true, 0.5, "text".

    >>> shown(None), shown(True), shown(15.0), shown(0.5), shown("ok")
    ('null', 'true', '15', '0.5', '"ok"')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def null_examples_table() -> str:
    rows = []
    for text, is_aggregate in NULL_EXAMPLES:
        value = evaluate(text, NULL_ROWS if is_aggregate else None)
        data = "who5 = 10, empty, 20 (three rows)" if is_aggregate else "who5 empty, ors = 30"
        rows.append([code(text), data, f"**{shown(value)}**"])
    return table(["Expression", "Data", "Result"], rows)


def truth_table(op: str) -> str:
    values = ["true", "false", "null"]
    if op == "not":
        return table(["`x`", "`not x`"], [[f"`{x}`", f"`{shown(evaluate(f'not {x}'))}`"] for x in values])
    rows = [[f"**`{a}`**"] + [f"`{shown(evaluate(f'{a} {op} {b}'))}`" for b in values] for a in values]
    return table([f"`a {op} b`"] + [f"b = `{b}`" for b in values], rows)


# -- safety limits ------------------------------------------------------------------------------

#: Modules whose MAX_*/MIN_* constants are safety limits, in the order the pages list them: the
#: language page lists the limits of specs and expressions, the architecture page all of them.
LIMIT_MODULES = ["hfspec/lang/parser.py", "hfspec/lang/functions.py", "hfspec/spec/yamlsource.py"]
SECURITY_LIMIT_MODULES = [*LIMIT_MODULES, "hfspec/data/cells.py", "hfspec/data/sheets.py", "hfspec/render/jinja_env.py",
                          "hfspec/engine/history.py"]


def limits(modules: list[str] = LIMIT_MODULES) -> list[tuple[str, Any, str, str]]:
    """(name, value, code, comment) of every MAX_*/MIN_* constant with a `#:` doc comment."""
    found = []
    for rel in modules:
        path = ROOT / rel
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.parse(source).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            name = node.targets[0].id
            if not name.startswith(("MAX_", "MIN_")):
                continue
            comment: list[str] = []
            i = node.lineno - 2
            while i >= 0 and lines[i].lstrip().startswith("#:"):
                comment.insert(0, lines[i].lstrip()[2:].strip())
                i -= 1
            text = " ".join(comment)
            match = re.search(r"HF\d{3}", text)
            module = importlib.import_module(rel.removesuffix(".py").replace("/", "."))
            value = getattr(module, name)
            found.append((name, value, match.group(0) if match else "", text))
    return found


def _value(value: Any) -> str:
    """A limit's value as the table shows it: 1,000,000, 30 (seconds), 1900-01-01."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def limits_table(modules: list[str] = LIMIT_MODULES) -> str:
    rows = []
    for name, value, diag, text in limits(modules):
        why = re.sub(r",\s*HF\d{3}\)", ")", text)  # "(characters, HF441)" -> "(characters)"
        why = re.sub(r"\s*\(HF\d{3}\)", "", why)  # "(HF440)" -> ""
        why = re.sub(r"\s*Exceeding it is HF\d{3}\.", "", why).strip() or "—"
        rows.append([code(name), _value(value), diag, cell(why)])
    return table(["Limit", "Value", "Code", "What it guards"], rows)


# -- diagnostic codes ---------------------------------------------------------------------------

def codes_table(stage: str, lang: str = "en") -> str:
    from hfspec.diagnostics import CODES

    if stage not in STAGES:
        raise DocError(f"unknown stage `{stage}`; stages are {', '.join(STAGES)}")
    rows = [[f"<a id=\"{c.lower()}\"></a>**{c}**", cell(texts[lang][0]), cell(texts[lang][1])] for c, texts in sorted(CODES.items()) if c.startswith(stage)]
    if not rows:
        raise DocError(f"no codes in stage `{stage}`")
    return table(CODE_HEADERS[lang], rows)


def stages_in_use() -> list[str]:
    from hfspec.diagnostics import CODES

    return sorted({c[:3] for c in CODES})


# -- pages --------------------------------------------------------------------------------------

def generator(name: str, lang: str = "en") -> Callable[[], str]:
    group, _, item = name.partition(":")
    if group == "functions":
        if item in ("aggregates", "scalars"):
            return lambda: functions_table(item)
        if item == "special":
            return special_table
        if item == "model":
            return model_table
    if group == "nulls":
        if item == "examples":
            return null_examples_table
        if item in ("and", "or", "not"):
            return lambda: truth_table(item)
    if group == "limits" and item == "all":
        return limits_table
    if group == "limits" and item == "security":
        return lambda: limits_table(SECURITY_LIMIT_MODULES)
    if group == "codes":
        return lambda: codes_table(item, lang)
    raise DocError(f"unknown marker `{name}`")


#: Markers each page must have; a page may not skip one.
REQUIRED = {
    LANGUAGE: ["functions:aggregates", "functions:scalars", "functions:special", "functions:model",
               "nulls:examples", "nulls:and", "nulls:or", "nulls:not", "limits:all"],
    ERRORS: [f"codes:{s}" for s in STAGES],
    ARCHITECTURE: ["limits:security"],
    ERRORS_EN: [f"codes:{s}" for s in STAGES],
}


def render(path: Path, text: str) -> tuple[str, list[str]]:
    """Rewrite every marked table of a page; return the new text and the problems found."""
    problems: list[str] = []
    seen: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group("name")
        seen.append(name)
        try:
            body = generator(name, ERROR_PAGES.get(path, "en"))()
        except DocError as error:
            problems.append(f"{path.name}: {error}")
            body = match.group("body")
        return f"{match.group(1)}{body}{match.group(4)}"

    new = MARKER.sub(replace, text)
    for name in REQUIRED.get(path, []):
        if name not in seen:
            problems.append(f"{path.name}: no table for `{name}`: add <!-- {name} --> ... <!-- /{name} -->")
    for name in sorted({n for n in seen if seen.count(n) > 1}):
        problems.append(f"{path.name}: the table {name} appears more than once")
    if path in ERROR_PAGES:
        for stage in stages_in_use():
            if stage not in STAGES:
                problems.append(f"{path.name}: codes of stage {stage}xx have no group in make_docs.STAGES")
    return new, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is out of date; change nothing")
    options = parser.parse_args(argv)
    status = 0
    for path in (LANGUAGE, ERRORS, ERRORS_EN, ARCHITECTURE):
        text = path.read_text(encoding="utf-8")
        new, problems = render(path, text)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            status = 1
        if new == text:
            continue
        if options.check:
            sys.stderr.writelines(difflib.unified_diff(text.splitlines(keepends=True), new.splitlines(keepends=True), str(path), "regenerated"))
            print(f"{path} is out of date: run python docs/make_docs.py", file=sys.stderr)
            status = 1
        else:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
