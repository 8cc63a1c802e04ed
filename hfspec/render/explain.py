"""A key figure or an expression → a plain-text explanation: canonical form, the type of each
part, the names it uses, whether it aggregates, and the SQL it compiles to."""

from __future__ import annotations

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr, Context, check, has_aggregate
from hfspec.lang.parser import parse
from hfspec.lang.printer import to_text
from hfspec.lang.sql import to_sql
from hfspec.spec.project import Project


def describe_parts(checked: CheckedExpr) -> list[str]:
    """'text : type' for every non-literal part, outermost first, each once."""
    lines: list[str] = []
    seen: set[str] = set()
    for node in A.walk(checked.expr):
        if isinstance(node, (A.Number, A.String, A.Bool, A.Null, A.List)) or id(node) not in checked.types:
            continue
        text = to_text(node)
        if text in seen:
            continue
        seen.add(text)
        what = ""
        if id(node) in checked.columns:
            what = f"  (column {checked.columns[id(node)].key})"
        elif id(node) in checked.params:
            what = f"  (parameter = {checked.params[id(node)][1]})"
        elif id(node) in checked.functions:
            what = f"  ({checked.functions[id(node)].kind} function)"
        lines.append(f"  {text} : {checked.types[id(node)]}{what}")
    return lines


def _block(title: str, checked: CheckedExpr) -> list[str]:
    columns = ", ".join(r.key for r in checked.used_columns()) or "none"
    out = [f"{title}: {to_text(checked.expr)}", f"  type: {checked.type}",
           f"  aggregate: {'yes' if checked.is_aggregate else 'no'}", f"  columns: {columns}"]
    if checked.refs:
        out.append(f"  key figures used: {', '.join(checked.refs)}")
    out.append("  parts:")
    out.extend("  " + line for line in describe_parts(checked))
    return out


def explain_indicator(project: Project, iid: str, lang: str = "da") -> str:
    from hfspec.engine.tables import indicator_sql

    compiled = project.compiled[iid]
    spec = compiled.spec
    out = [f"{spec.id}  {spec.title.get(lang)}", f"type: {spec.type}" + (f"   unit: {spec.unit}" if spec.unit else "")]
    if spec.description:
        out.append(f"definition: {spec.description.get(lang)}")
    if spec.dataset:
        out.append(f"dataset: {spec.dataset}" + (f" (joined: {', '.join(compiled.scope.reachable()[1:])})" if len(compiled.scope.reachable()) > 1 else ""))
    if spec.by:
        out.append(f"by: {', '.join(spec.by)}")
    if spec.period:
        out.append(f"period: {spec.period} (on {compiled.time.key if compiled.time else '?'})")
    if spec.target:
        out.append(f"target: {spec.target}")
    if compiled.filter is not None:
        out.extend(_block("filter", compiled.filter))
    out.extend(_block("measure", compiled.measure))
    if spec.derived:
        out.append("sql: (derived: computed from the results of " + ", ".join(compiled.measure.refs) + ", matched on equal keys)")
    else:
        sql, _ = indicator_sql(compiled)
        out.append("sql:")
        out.append("  " + sql)
    return "\n".join(out)


def explain_expression(project: Project, text: str, dataset: str | None) -> str:
    if dataset is not None and dataset not in project.datasets:
        raise HfspecError([Diagnostic("HF302", Message("project.unknown_dataset", dataset=dataset), None,
                                      hint=did_you_mean(dataset, project.datasets) or Message("explain.datasets", names=list(project.datasets)))])
    expr = parse(text)
    scope = project.scope(dataset)
    context = Context.MEASURE if has_aggregate(expr) else Context.ROW
    checked, problems = check(expr, scope, context, "measure" if context is Context.MEASURE else "expression")
    if checked is None:
        raise HfspecError(problems)
    out = _block("expression", checked)
    out.insert(1, f"  context: {'measure (over rows)' if context is Context.MEASURE else 'row (one row at a time)'}" + (f", dataset {dataset}" if dataset else ""))
    if dataset is not None:
        from hfspec.engine.tables import column_sql

        out.append("sql:")
        out.append("  " + to_sql(checked, column_sql))
    return "\n".join(out)
