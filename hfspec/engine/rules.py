"""Compiled rules + validated tables → `RuleOutcome`s (each rule as one DuckDB query).

A **grouped** rule (its `assert` has an aggregate, e.g. `count(distinct borger_id) <= 10`) is
checked once per `by` group::

    SELECT by…, (assert) AS ok, (checked value) AS value, show… FROM base LEFT JOIN …
    WHERE filter GROUP BY by…

A **row** rule (no aggregate, e.g. `slutdato >= startdato`) is checked once per row; the query
returns the number of rows checked and the failing rows with the data file's row number and the
dataset's key columns.

A condition that is *null* (a value is missing) is not a breach: as with SQL `CHECK`
constraints, a rule fails only where its condition is false. Such rows or groups are counted as
`unknown`.

Every breach becomes a `Finding` whose message is the rule's `message:` with placeholders
filled: `{value}` (the left side of the top comparison in `assert`, e.g. the count), the `by`
columns, for row rules the key columns and `{row}`, and each `show:` expression by its text
(`{max(dato)}`) or position (`{show1}`). `{name:%}` prints a share as percent, `{name:1}` with
one decimal, `{name:m}` a date as its month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from hfspec.data.cells import mask_cpr
from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, did_you_mean, did_you_mean_then
from hfspec.engine.tables import column_sql, from_clause, period_sql
from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr
from hfspec.lang.scope import ColumnRef
from hfspec.lang.sql import quote_ident, to_sql
from hfspec.messages import Codes
from hfspec.spec import model as M
from hfspec.spec.project import CompiledRule, Project
from hfspec.words import RULE_MESSAGE, format_number

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: `{name}` or `{name:fmt}` in a message; fmt is `%` (share as percent), a number of decimals, or
#: `m` (a date as its month, 2021-06).
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]+?)(?::(%|[0-9]|m))?\}")


@dataclass
class Finding:
    """One breach of a rule: the group or row it concerns, the checked value and the message."""

    rule: str
    severity: str
    group: dict[str, Any]
    value: Any
    show: dict[str, Any]
    message: str
    row: int | None = None  # the data file's row number (row rules on loaded data)
    file: str | None = None

    @property
    def citizen(self) -> str | None:
        """The citizen the finding concerns, when the rule is grouped or keyed by `borger_id`."""
        for key in ("borger_id", "borgere.borger_id"):
            if self.group.get(key) is not None:
                return str(self.group[key])
        return None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "group": {k: _plain(v) for k, v in self.group.items()},
                "value": _plain(self.value), "show": {k: _plain(v) for k, v in self.show.items()}, "message": self.message,
                "file": self.file, "row": self.row}


@dataclass
class RuleOutcome:
    """The result of one rule: how many groups or rows were checked, failed, unknown; the findings."""

    rule: CompiledRule
    checked: int
    unknown: int
    findings: list[Finding] = field(default_factory=list)
    sql: str = ""

    @property
    def id(self) -> str:
        return self.rule.spec.id

    @property
    def severity(self) -> str:
        return self.rule.spec.severity

    @property
    def failed(self) -> int:
        return len(self.findings)

    @property
    def passed(self) -> bool:
        return not self.findings

    def as_dict(self, lang: str = "da") -> dict[str, Any]:
        spec = self.rule.spec
        return {"id": spec.id, "title": spec.title.get(lang) if spec.title else spec.id, "severity": spec.severity,
                "dataset": spec.dataset, "grouped": self.rule.grouped, "citizen_level": spec.citizen_level,
                "assert": spec.assert_, "checked": self.checked, "failed": self.failed, "unknown": self.unknown,
                "findings": [f.as_dict() for f in self.findings]}


def exit_code(outcomes: Iterable[RuleOutcome]) -> int:
    """1 when a rule of severity `error` has a breach, else 0 (warnings and info never fail a run)."""
    return 1 if any(o.severity == "error" and o.findings for o in outcomes) else 0


# --------------------------------------------------------------------------- compiling


def checked_value_node(expr: A.Expr) -> A.Expr | None:
    """The sub-expression whose value a breach reports as `{value}`: the left side of a
    comparison, the tested value of `between`, `in` and `is null`; None otherwise.

    >>> from hfspec.lang.parser import parse
    >>> from hfspec.lang.printer import to_text
    >>> to_text(checked_value_node(parse("count(distinct borger_id) <= 10")))
    'count(distinct borger_id)'
    >>> checked_value_node(parse("a > 1 and b > 2")) is None
    True
    """
    match expr:
        case A.Binary(op=op, left=left) if op in A.COMPARISONS:
            return left
        case A.Between(operand=operand) | A.In(operand=operand) | A.IsNull(operand=operand):
            return operand
        case _:
            return None


def _normalise(text: str) -> str:
    return " ".join(text.split())


def placeholder_names(compiled: CompiledRule, project: Project) -> list[str]:
    """Every name a rule's message may use as `{name}`."""
    spec = compiled.spec
    names = ["value"]
    if spec.period:
        names.append("period")
    for name in spec.by:
        names.append(name)
        names.append(name.rpartition(".")[2])
    if not compiled.grouped:
        ds = project.datasets.get(spec.dataset or "")
        names.extend(ds.key if ds else ())
        names.extend(["row", "file"])
    for i, (text, _) in enumerate(compiled.show, start=1):
        names.append(_normalise(text))
        names.append(f"show{i}")
        names.append(_normalise(text).rpartition(".")[2])
    return list(dict.fromkeys(names))


def _message_texts(spec: M.RuleSpec) -> list[tuple[str, M.Loc | None]]:
    """(text, location) of each language of the message."""
    if spec.message is None:
        return []
    loc = spec.locs.get("message")
    raw = spec.raw.get("message")
    if isinstance(raw, dict):
        return [(str(raw.get(lang, "")), loc.child(lang) if loc else None) for lang in ("da", "en")]
    return [(str(raw), loc)]


def check_messages(project: Project) -> list[Diagnostic]:
    """HF607 for every placeholder in a rule message that the rule cannot fill."""
    problems: list[Diagnostic] = []
    for compiled in project.compiled_rules.values():
        allowed = placeholder_names(compiled, project)
        for text, loc in _message_texts(compiled.spec):
            for m in _PLACEHOLDER.finditer(text):
                name = m.group(1)
                if name is None or _normalise(name) in allowed:
                    continue
                span = None
                if loc is not None:
                    origin = loc.doc.origins.get(loc.path)
                    span = loc.doc.text_span(loc.path, m.start(), m.end()) if origin is not None else loc.span
                problems.append(Diagnostic(
                    "HF607", Message("engine.rule_placeholder", rule=compiled.spec.id, name="{" + name + "}"), span,
                    hint=did_you_mean_then(name, allowed, Message("engine.rule_placeholder_hint", names=Codes("{" + n + "}" for n in allowed))),
                    label=Message("engine.rule_placeholder_label")))
    return problems


# --------------------------------------------------------------------------- SQL


@dataclass
class RuleQuery:
    """The SQL of a rule and how to read its result columns."""

    sql: str
    keys: list[str]  # names of the key columns, in order (group keys or row keys)
    show: list[str]  # the show expressions' texts, in order
    has_row: bool  # the result has the data file's row number


def _used(compiled: CompiledRule) -> list[ColumnRef]:
    used = list(compiled.condition.used_columns()) + list(compiled.by)
    if compiled.filter is not None:
        used += compiled.filter.used_columns()
    for _, expr in compiled.show:
        used += expr.used_columns()
    if compiled.time is not None:
        used.append(compiled.time)
    return used


def _value_sql(condition: CheckedExpr) -> str:
    node = checked_value_node(condition.expr)
    if node is None:
        return "NULL"
    return to_sql(dataclasses.replace(condition, expr=node), column_sql)


def rule_sql(compiled: CompiledRule, project: Project, row_numbers: bool) -> RuleQuery:
    """The one query that evaluates a rule (see the module docstring)."""
    spec = compiled.spec
    base = compiled.scope.base
    selects: list[str] = []
    keys: list[str] = []
    used = _used(compiled)
    if compiled.time is not None and spec.period:
        selects.append(period_sql(column_sql(compiled.time), spec.period))
        keys.append("period")
    for name, ref in zip(spec.by, compiled.by):
        selects.append(column_sql(ref))
        keys.append(name)
    has_row = False
    if not compiled.grouped:
        ds = project.datasets[base]
        for k in ds.key:
            if k not in keys:
                selects.append(f"{quote_ident(base)}.{quote_ident(k)}")
                keys.append(k)
        if row_numbers:
            selects.append(f"{quote_ident(base)}.__row")
            has_row = True
    ok = to_sql(compiled.condition, column_sql)
    value = _value_sql(compiled.condition)
    shows = [to_sql(expr, column_sql) for _, expr in compiled.show]
    columns = [f"{s} AS __k{i}" for i, s in enumerate(selects)]
    columns += [f"{ok} AS __ok", f"{value} AS __value"] + [f"{s} AS __s{i}" for i, s in enumerate(shows)]
    body = "SELECT " + ", ".join(columns) + " " + from_clause(compiled, used)
    if compiled.filter is not None:
        body += f" WHERE ({to_sql(compiled.filter, column_sql)})"
    order = ", ".join(f"__k{i} NULLS LAST" for i in range(len(selects)))
    if compiled.grouped:
        n_keys = len(selects) - (1 if has_row else 0)
        if n_keys:
            body += " GROUP BY " + ", ".join(str(i + 1) for i in range(n_keys)) + " ORDER BY " + order
        return RuleQuery(body, keys, [t for t, _ in compiled.show], False)
    row_order = "__k" + str(len(selects) - 1) if has_row else order
    sql = (f"WITH __checked AS ({body}) SELECT __totals.__n, __totals.__unknown, __failed.* FROM "
           f"(SELECT count(*) AS __n, count(*) FILTER (WHERE __ok IS NULL) AS __unknown FROM __checked) AS __totals "
           f"LEFT JOIN (SELECT * FROM __checked WHERE NOT __ok) AS __failed ON TRUE ORDER BY {row_order}")
    return RuleQuery(sql, keys, [t for t, _ in compiled.show], has_row)


def breach_keys_sql(compiled: CompiledRule, project: Project, column: str) -> str | None:
    """The SQL of the distinct values of `column` (a `by:` column of a grouped rule, or a `by:` or
    key column of a row rule) over the groups or rows that break the rule – for counting breaches
    per citizen or per worker in SQL, without a finding and a message per breach. None when the
    rule has no such column."""
    query = rule_sql(compiled, project, row_numbers=False)
    names = [k.rpartition(".")[2] for k in query.keys]
    if column not in names:
        return None
    return f"SELECT DISTINCT __k{names.index(column)} AS {quote_ident(column)} FROM ({query.sql}) WHERE __ok = false"


# --------------------------------------------------------------------------- evaluating


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def fill_message(template: str, values: dict[str, Any], lang: str = "da") -> str:
    """The message with `{name}` / `{name:%}` / `{name:1}` replaced; `{{` and `}}` are braces.

    >>> fill_message("{medarbejder_id} har {value} borgere ({andel:%}) {{ok}}", {"medarbejder_id": "M01", "value": 12, "andel": 1.2})
    'M01 har 12 borgere (120 %) {ok}'
    """
    def replace(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        name = _normalise(m.group(1))
        if name not in values:
            return m.group(0)
        return _placeholder_text(values[name], m.group(2), lang)
    return _PLACEHOLDER.sub(replace, template)


def _placeholder_text(value: Any, fmt: str | None = None, lang: str = "da") -> str:
    """A value in a message (format_number): a whole number without decimals, other numbers with
    1 decimal from 10 up and 2 below (trailing zeros dropped); `fmt` as in `_PLACEHOLDER`.

    >>> _placeholder_text(12), _placeholder_text(2.0625, "%"), _placeholder_text(1234.5, None, "en"), _placeholder_text(None)
    ('12', '206 %', '1,234.5', '–')
    >>> _placeholder_text(2.25), _placeholder_text(3.5), _placeholder_text(True), _placeholder_text(21.456, "1")
    ('2,25', '3,5', 'ja', '21,5')
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:7 if fmt == "m" else 10]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return format_number(value, None, lang)  # no value, yes/no, text
    if fmt == "%":
        return format_number(value, "share", lang, 0)
    if fmt is not None and fmt.isdigit():
        return format_number(float(value), None, lang, int(fmt))
    return format_number(value, None, lang, 1 if abs(value) >= 10 else 2, whole=True, trim=True)


def _default_message(compiled: CompiledRule, lang: str) -> str:
    spec = compiled.spec
    title = spec.title.get(lang) if spec.title else spec.id
    words = RULE_MESSAGE["da" if lang == "da" else "en"]
    value = " ({0}: {{value}})".format(words["value"]) if checked_value_node(compiled.condition.expr) is not None else ""
    return f"{title}: `{spec.assert_}` {words['fails']}{value}"


def _has_row_numbers(con, table: str) -> bool:
    rows = con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = '__row'", [table]).fetchone()
    return bool(rows and rows[0])


def evaluate_rule(compiled: CompiledRule, project: Project, con, lang: str = "da", files: dict[str, str] | None = None) -> RuleOutcome:
    """Run one rule's query and turn the failing groups or rows into findings."""
    spec = compiled.spec
    base = compiled.scope.base
    query = rule_sql(compiled, project, _has_row_numbers(con, base))
    rows = con.execute(query.sql).fetchall()
    template = spec.message.get(lang) if spec.message else _default_message(compiled, lang)
    file = (files or {}).get(base)
    n_keys = len(query.keys) + (1 if query.has_row else 0)
    findings: list[Finding] = []
    if compiled.grouped:
        checked, unknown = len(rows), 0
        body = rows
    else:
        checked, unknown = (rows[0][0], rows[0][1]) if rows else (0, 0)
        body = [r[2:] for r in rows if r[2 + n_keys] is not None]  # the LEFT JOIN gives one empty row when nothing failed
    for r in body:
        key_values = r[:len(query.keys)]
        row_number = r[len(query.keys)] if query.has_row else None
        ok, value = r[n_keys], r[n_keys + 1]
        shows = r[n_keys + 2:]
        if compiled.grouped:
            if ok is None:
                unknown += 1
                continue
            if ok:
                continue
        group = dict(zip(query.keys, key_values))
        # the checked value and a `show:` column may be free text, where ingestion only warns
        # about a CPR number: masked wherever a finding shows them
        value = mask_cpr(value) if isinstance(value, str) else value
        show = {k: mask_cpr(v) if isinstance(v, str) else v for k, v in zip(query.show, shows)}
        values: dict[str, Any] = {"value": value, "row": row_number, "file": file}
        for name, v in group.items():
            values[name] = v
            values.setdefault(name.rpartition(".")[2], v)
        for i, (text, v) in enumerate(show.items(), start=1):
            values[_normalise(text)] = v
            values[f"show{i}"] = v
            values.setdefault(_normalise(text).rpartition(".")[2], v)
        findings.append(Finding(spec.id, spec.severity, group, value, show, mask_cpr(fill_message(template, values, lang)), row_number, file))
    return RuleOutcome(compiled, checked, unknown, findings, query.sql)


def evaluate_rules(project: Project, con, ids: Iterable[str] | None = None, lang: str = "da", files: dict[str, str] | None = None) -> list[RuleOutcome]:
    """Evaluate the rules (all compiled ones, or `ids`) on the tables in `con`, in file order."""
    problems = check_messages(project)
    if problems:
        raise HfspecError(problems)
    wanted = list(ids) if ids is not None else list(project.compiled_rules)
    if len(wanted) < 2:
        return [evaluate_rule(project.compiled_rules[i], project, con, lang, files) for i in wanted]
    from concurrent.futures import ThreadPoolExecutor

    def run(rid: str) -> RuleOutcome:  # each rule on a cursor of its own, as the key figures' queries
        cursor = con.cursor()
        try:
            return evaluate_rule(project.compiled_rules[rid], project, cursor, lang, files)
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=PARALLEL_RULES) as pool:
        return list(pool.map(run, wanted))  # in file order


#: Rule queries run at the same time (DuckDB runs each on all cores, but a small one leaves cores idle).
PARALLEL_RULES = 3


def needed_datasets(project: Project, ids: Iterable[str]) -> list[str]:
    """The datasets the rules read (their base datasets and the datasets their columns come from)."""
    needed: list[str] = []
    for rid in ids:
        compiled = project.compiled_rules[rid]
        exprs = [compiled.condition, *([compiled.filter] if compiled.filter is not None else []), *(e for _, e in compiled.show)]
        for ds in [compiled.scope.base, *(ref.dataset for ref in _used(compiled)), *(d for e in exprs for d in e.sources())]:
            if ds and ds not in needed:
                needed.append(ds)
    return needed


def sort_outcomes(outcomes: list[RuleOutcome]) -> list[RuleOutcome]:
    """Broken rules first (errors, warnings, info), then the rules that hold; file order within."""
    return sorted(outcomes, key=lambda o: (o.passed, SEVERITY_ORDER.get(o.severity, 3)))
