"""Project → catalogue documents (Markdown or HTML) through sandboxed Jinja templates.

`document_context()` turns the project into plain dicts, lists, strings and numbers (titles
already in the chosen language, formulas as text, CREAM rows, targets in words); templates never
see spec objects. `render_document()` renders `<template>.<format>.j2` with that context.
docs/templates.md describes every variable, so users can write their own templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfspec.version import __version__
from hfspec.diagnostics import Diagnostic, HfspecError
from hfspec.lang.printer import to_text
from hfspec.cream.model import TEMPLATES as CREAM_TEMPLATES
from hfspec.render.jinja_env import render_template
from hfspec.words import CATALOGUE, INDICATOR_TYPES, format_number, target_words
from hfspec.spec import model as M
from hfspec.spec.project import Project

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

FORMATS = ("md", "html")

#: The short version warns when more key figures than this are chosen: the seed's main lesson is
#: that municipalities picked too many too early, and registration time grew with every one.
FEW_KEY_FIGURES = 15


def cream_context(spec: M.IndicatorSpec, catalogue: M.CatalogueSpec | None, lang: str) -> dict[str, Any]:
    """CREAM rows in criterion order plus the weighted mean and the gate (every score ≥ pass mark)."""
    t = CATALOGUE["en" if lang == "en" else "da"]
    pass_mark = catalogue.cream_pass if catalogue else 3
    weights = {c: float((catalogue.weights if catalogue else {}).get(c, 1)) for c in M.CREAM_CRITERIA}
    rows = []
    for criterion in M.CREAM_CRITERIA:
        entry = spec.cream.get(criterion)
        rows.append({"key": criterion, "letter": criterion[0].upper(), "label": t["cream_criteria"][criterion],
                     "score": entry.score if entry else None, "reason": entry.reason.get(lang) if entry and entry.reason else ""})
    scored = [r for r in rows if r["score"] is not None]
    total = sum(weights[r["key"]] for r in scored)
    mean = sum(weights[r["key"]] * r["score"] for r in scored) / total if scored and total else None
    complete = len(scored) == len(rows)
    return {"rows": rows, "mean": round(mean, 2) if mean is not None else None, "mean_text": format_number(mean, None, lang, 1) if mean is not None else t["none"],
            "complete": complete, "passed": complete and all(r["score"] >= pass_mark for r in scored), "pass_mark": pass_mark,
            "assessed": bool(scored)}


def indicator_context(project: Project, iid: str, lang: str) -> dict[str, Any]:
    """One key figure as plain data (see docs/templates.md, `indicator`)."""
    compiled = project.compiled[iid]
    spec = compiled.spec
    t = CATALOGUE["en" if lang == "en" else "da"]
    goals = {g.id: g for g in project.goals}
    dataset = project.datasets.get(spec.dataset) if spec.dataset else None
    by = []
    refs = {name: ref for name, ref in zip([n for n in spec.by if n not in spec.by_exprs and n not in compiled.scope.lets], compiled.by)}
    for name in spec.by:
        ref = refs.get(name)
        if ref is None:  # a computed breakdown or a `let` name: the name, and the expression when there is one
            by.append({"name": name, "title": f"{name} = {spec.by_exprs[name]}" if name in spec.by_exprs else name})
            continue
        column = project.datasets[ref.dataset].columns.get(ref.column) if ref.dataset in project.datasets else None
        by.append({"name": ref.key, "title": column.title.get(lang) if column and column.title else ref.column})
    goal = goals.get(spec.goal) if spec.goal else None
    instrument = spec.instrument if spec.instrument and spec.instrument != "none" else None
    return {
        "id": spec.id, "anchor": spec.id, "title": spec.title.get(lang), "description": spec.description.get(lang) if spec.description else "",
        "type": spec.type, "type_label": t["type_labels"].get(spec.type, spec.type),
        "area": t["areas"].get(spec.area, spec.area) if spec.area else None,
        "unit": t["units"].get(spec.unit, spec.unit) if spec.unit else None, "unit_key": spec.unit,
        "dataset": {"id": dataset.id, "title": dataset.title.get(lang) if dataset.title else dataset.id} if dataset else None,
        "derived_from": list(compiled.measure.refs) if spec.derived else [],
        "measure": to_text(compiled.measure.expr), "filter": to_text(compiled.filter.expr) if compiled.filter is not None else None,
        "lets": [{"name": name, "expr": to_text(checked.expr)} for name, checked in compiled.lets],
        "time": " – ".join(to_text(c.expr) for c in compiled.time_exprs) or None,
        "by": by, "period": t["periods"].get(spec.period, spec.period) if spec.period else None,
        "counting_unit": spec.counting_unit, "target": target_words(spec.parsed_target, lang),
        "instrument": {"name": instrument, "note": t["instruments"].get(instrument, "")} if instrument else None,
        "source": spec.source.get(lang) if spec.source else None,
        "goal": {"id": goal.id, "title": goal.title.get(lang) if goal.title else goal.id} if goal else ({"id": spec.goal, "title": spec.goal} if spec.goal else None),
        "cream": cream_context(spec, project.catalogue, lang),
    }


def _goal_tree(project: Project, lang: str, members: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Goals in tree order (parents before children) with their depth and key figures."""
    known = {g.id for g in project.goals}
    children: dict[str | None, list[M.Goal]] = {}
    for goal in project.goals:
        children.setdefault(goal.parent if goal.parent in known else None, []).append(goal)
    out: list[dict[str, Any]] = []

    def visit(parent: str | None, depth: int) -> None:
        for goal in children.get(parent, []):
            out.append({"id": goal.id, "title": goal.title.get(lang) if goal.title else goal.id, "parent": goal.parent,
                        "depth": depth, "indicators": members.get(goal.id, [])})
            visit(goal.id, depth + 1)
    visit(None, 0)
    return out


def document_context(project: Project, lang: str = "da") -> dict[str, Any]:
    """Everything a template receives, as plain data (documented in docs/templates.md)."""
    t = CATALOGUE["en" if lang == "en" else "da"]
    indicators = [indicator_context(project, iid, lang) for iid in project.indicators if iid in project.compiled]
    types = []
    for kind in INDICATOR_TYPES:
        chosen = [i for i in indicators if i["type"] == kind]
        types.append({"id": kind, "title": t["types"][kind], "label": t["type_labels"][kind], "intro": t["type_intros"][kind],
                      "count": len(chosen), "indicators": chosen})
    ordered = [i for group in types for i in group["indicators"]]
    members: dict[str, list[str]] = {}
    for ind in ordered:
        if ind["goal"]:
            members.setdefault(ind["goal"]["id"], []).append(ind["id"])
    cat = project.catalogue
    return {
        "lang": lang, "t": t, "generator": f"hfspec {__version__}",
        "catalogue": {"id": cat.id if cat else "", "title": cat.title.get(lang) if cat and cat.title else (cat.id if cat else t["document"]),
                      "description": cat.description.get(lang) if cat and cat.description else "", "extends": cat.extends if cat else None,
                      "count": len(ordered), "pass_mark": cat.cream_pass if cat else 3},
        "types": types, "indicators": ordered, "goals": _goal_tree(project, lang, members),
        "params": [{"name": k, "value": _param_text(v, lang)} for k, v in project.params.items()],
        "pixi": {"many": len(ordered) > FEW_KEY_FIGURES, "few": FEW_KEY_FIGURES},
        "cream_ranking": _cream_ranking(project, lang),
    }


def _cream_ranking(project: Project, lang: str) -> dict[str, Any] | None:
    """The CREAM ranking section (hfspec.cream.model), computed from the key figures' `cream:` blocks."""
    from hfspec.cream.model import cream_context as ranking_context

    if not any(project.indicators[i].cream for i in project.indicators):
        return None
    return ranking_context(project, None, lang)


def _param_text(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return ", ".join(_param_text(v, lang) for v in value)
    return format_number(value, None, lang)


def render_document(project: Project, template: str = "catalogue", fmt: str = "md", lang: str = "da", user_dir: Path | None = None) -> str:
    """The rendered document text. Raises `HfspecError` (HF801/HF802) on template problems."""
    text = render_template(f"{template}.{fmt}.j2", document_context(project, lang), user_dir, lang, [TEMPLATES, CREAM_TEMPLATES])
    return text if text.endswith("\n") else text + "\n"
