"""A key figure or an expression → a plain-text explanation: canonical form, the type of each
part, the names it uses, whether it aggregates, and the SQL it compiles to."""

from __future__ import annotations

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr, Context, check, has_aggregate
from hfspec.lang.parser import parse
from hfspec.lang.printer import to_text
from hfspec.lang.sql import per_select, quote_ident, to_sql
from hfspec.messages import Codes
from hfspec.spec.project import Project
from hfspec.words import EXPLAIN, PERIODS, TYPE_WORDS, UNITS, format_number, target_words


def describe_parts(checked: CheckedExpr, lang: str = "da") -> list[str]:
    """'text : type' for every non-literal part, outermost first, each once."""
    w = EXPLAIN[lang]
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
            what = f"  ({w['column'].format(name=checked.columns[id(node)].key)})"
        elif id(node) in checked.params:
            what = f"  ({w['parameter'].format(value=checked.params[id(node)][1])})"
        elif id(node) in checked.lets:
            what = f"  ({w['let_value'].format(name=checked.lets[id(node)])})"
        elif id(node) in checked.relations:
            what = f"  ({w['from_rows'].format(dataset=checked.relations[id(node)].dataset)})"
        elif isinstance(node, A.Call) and node.per is not None and id(node) in checked.functions:
            what = f"  ({w['per_unit']})"
        elif id(node) in checked.functions:
            what = f"  ({w['aggregate_function' if checked.functions[id(node)].kind == 'aggregate' else 'scalar_function']})"
        lines.append(f"  {text} : {checked.types[id(node)].words().render(lang)}{what}")
    return lines


def _block(title: str, checked: CheckedExpr, lang: str) -> list[str]:
    w = EXPLAIN[lang]
    columns = ", ".join(r.key for r in checked.used_columns()) or w["none"]
    out = [f"{w.get(title, title)}: {to_text(checked.expr)}", f"  {w['type']}: {checked.type.words().render(lang)}",
           f"  {w['aggregate']}: {format_number(checked.is_aggregate, None, lang)}", f"  {w['columns']}: {columns}"]
    if checked.used_lets():
        out.append(f"  {w['let_values']}: {', '.join(checked.used_lets())}")
    if checked.sources():
        out.append(f"  {w['sources']}: {', '.join(checked.sources())}")
    if checked.refs:
        out.append(f"  {w['refs']}: {', '.join(checked.refs)}")
    out.append(f"  {w['parts']}:")
    out.extend("  " + line for line in describe_parts(checked, lang))
    return out


def explain_indicator(project: Project, iid: str, lang: str = "da") -> str:
    from hfspec.engine.tables import indicator_sql

    w = EXPLAIN[lang]
    compiled = project.compiled[iid]
    spec = compiled.spec
    out = [f"{spec.id}  {spec.title.get(lang)}", f"{w['type']}: {TYPE_WORDS[lang].get(spec.type, spec.type)}"
           + (f"   {w['unit']}: {UNITS[lang].get(spec.unit, spec.unit)}" if spec.unit else "")]
    if spec.description:
        out.append(f"{w['definition']}: {spec.description.get(lang)}")
    if spec.dataset:
        joined = compiled.scope.reachable()[1:]
        out.append(f"{w['dataset']}: {spec.dataset}" + (f" ({w['joined'].format(names=', '.join(joined))})" if joined else ""))
    if spec.by:
        out.append(f"{w['by']}: {', '.join(f'{b} = {spec.by_exprs[b]}' if b in spec.by_exprs else b for b in spec.by)}")
    if spec.period:
        on = f" {w['to']} ".join(to_text(t.expr) for t in compiled.time_exprs) if compiled.time_exprs else (compiled.time.key if compiled.time else "?")
        out.append(f"{w['period']}: {PERIODS[lang].get(spec.period, spec.period)} ({w['on'].format(column=on)})")
    if spec.parsed_target:
        out.append(f"{w['target']}: {target_words(spec.parsed_target, lang)['text']} (`{spec.target}`)")
    for name, checked in compiled.lets:
        out.extend(_block(f"let {name}", checked, lang))
    if compiled.filter is not None:
        out.extend(_block("filter", compiled.filter, lang))
    out.extend(_block("measure", compiled.measure, lang))
    if spec.derived:
        out.append("sql: " + w["derived"].format(refs=", ".join(compiled.measure.refs)))
    else:
        sql, _ = indicator_sql(compiled)
        out.append("sql:")
        out.extend("  " + line for line in sql.splitlines())
    return "\n".join(out)


def explain_expression(project: Project, text: str, dataset: str | None, lang: str = "da") -> str:
    if dataset is not None and dataset not in project.datasets:
        raise HfspecError([Diagnostic("HF302", Message("project.unknown_dataset", dataset=dataset), None,
                                      hint=did_you_mean(dataset, project.datasets) or Message("explain.datasets", names=Codes(project.datasets)))])
    expr = parse(text)
    scope = project.scope(dataset)
    scope.per_allowed = dataset is not None  # explained as a key figure's measure over the dataset
    context = Context.MEASURE if has_aggregate(expr) else Context.ROW
    checked, problems = check(expr, scope, context, "measure" if context is Context.MEASURE else "expression")
    if checked is None:
        raise HfspecError(problems)
    w = EXPLAIN[lang]
    out = _block("expression", checked, lang)
    out.insert(1, f"  {w['context']}: {w['context_measure' if context is Context.MEASURE else 'context_row']}" + (f", {w['dataset']} {dataset}" if dataset else ""))
    if dataset is not None:
        from hfspec.engine.tables import column_sql

        out.append("sql:")
        if checked.per_calls():  # each `per` aggregate is a query of its own over the dataset's rows (here: one group)
            steps, replace = [], {}
            for i, node in enumerate(checked.per_calls()):
                steps.append(f"__per{i + 1} AS ({per_select(checked, node, f'{quote_ident(dataset)}', [], column_sql)})")
                replace[id(node)] = f"(SELECT __value FROM __per{i + 1})"
            out.append("  WITH " + ",\n       ".join(steps))
            out.append("  SELECT " + to_sql(checked, column_sql, replace=replace) + f" FROM {quote_ident(dataset)}")
        else:
            out.append("  " + to_sql(checked, column_sql))
    return "\n".join(out)
