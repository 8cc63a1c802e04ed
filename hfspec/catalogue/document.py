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
from hfspec.words import format_number
from hfspec.spec import model as M
from hfspec.spec.project import Project

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

FORMATS = ("md", "html")

#: The short version warns when more key figures than this are chosen: the seed's main lesson is
#: that municipalities picked too many too early, and registration time grew with every one.
FEW_KEY_FIGURES = 15

_BOTH = {  # words that differ by language, kept side by side so that none is forgotten
    "types": {"process": ("Procesindikatorer", "Process indicators"), "outcome": ("Outcomeindikatorer", "Outcome indicators"),
              "economy": ("Økonomiindikatorer", "Economy indicators"), "structure": ("Strukturindikatorer", "Structure indicators")},
    "type_labels": {"process": ("Proces", "Process"), "outcome": ("Outcome", "Outcome"), "economy": ("Økonomi", "Economy"), "structure": ("Struktur", "Structure")},
    "type_intros": {
        "process": ("Forløber indsatsen som planlagt? Visitation, udredning, handleplaner, forløbenes kvalitet, samarbejde og metodeloyalitet.",
                    "Is the work going as planned? Referral, assessment, action plans, quality of the courses, cooperation and method fidelity."),
        "outcome": ("Opnår borgerne resultaterne? Bolig, job og uddannelse, hverdagsfærdigheder, trivsel, helbred og rusmidler.",
                    "Do citizens get the results? Housing, jobs and education, everyday skills, wellbeing, health and substance use."),
        "economy": ("Hvad koster indsatsen, og realiseres den forventede gevinst? Udgifter, medarbejdertid og ophold efter SEL § 110.",
                    "What does the work cost, and is the expected gain realised? Spending, staff time and stays under section 110."),
        "structure": ("Er de strukturelle forudsætninger til stede? Billige og almene boliger og brugen af anvisningsretten.",
                      "Are the structural preconditions there? Affordable and public housing and the use of the allocation right."),
    },
    "cream_criteria": {"clear": ("Nøjagtighed", "Clear"), "relevant": ("Relevans", "Relevant"), "economic": ("Omkostningseffektivitet", "Economic"),
              "adequate": ("Tilstrækkelighed", "Adequate"), "monitorable": ("Objektivitet", "Monitorable")},
    "periods": {"month": ("måned", "month"), "quarter": ("kvartal", "quarter"), "half": ("halvår", "half-year"), "year": ("år", "year")},
    "ops": {"<=": ("højst {v}", "at most {v}"), "<": ("under {v}", "below {v}"), ">=": ("mindst {v}", "at least {v}"),
            ">": ("over {v}", "above {v}"), "==": ("præcis {v}", "exactly {v}"), "between": ("mellem {v} og {h}", "between {v} and {h}")},
    "units": {"citizens": ("borgere", "citizens"), "share": ("andel (%)", "share (%)"), "days": ("dage", "days"), "kr": ("kr.", "DKK"),
              "cases": ("sager", "cases"), "dwellings": ("boliger", "dwellings"), "nights": ("døgn", "nights"), "hours": ("timer", "hours"),
              "count": ("antal", "count"), "citizens per worker": ("borgere pr. medarbejder", "citizens per worker"),
              "hours per citizen-month": ("timer pr. borgermåned", "hours per citizen-month"),
              "hours per citizen-phase": ("timer pr. borgerfase", "hours per citizen-phase"),
              "kr per citizen": ("kr. pr. borger", "DKK per citizen"), "nights per citizen": ("døgn pr. borger", "nights per citizen")},
    "areas": {"assessment": ("Udredning", "Assessment"), "referral": ("Visitation", "Referral"), "action_plan": ("Handleplan", "Action plan"),
              "interventions": ("Indsatser", "Interventions"), "course_quality": ("Forløbets kvalitet", "Quality of the course"),
              "management": ("Ledelsesunderstøttelse", "Management support"), "competences": ("Medarbejderkompetencer", "Staff competences"),
              "supplementary": ("Supplerende indsatser", "Supplementary interventions"), "cooperation": ("Tværfagligt samarbejde", "Cross-disciplinary cooperation"),
              "fidelity": ("Metodeloyalitet", "Method fidelity"), "homelessness": ("Hjemløshed", "Homelessness"), "employment": ("Job og uddannelse", "Job and education"),
              "everyday_skills": ("Hverdagsfærdigheder", "Everyday skills"), "wellbeing": ("Trivsel", "Wellbeing"), "network": ("Netværk", "Network"),
              "physical_health": ("Fysisk helbred", "Physical health"), "mental_health": ("Psykisk helbred", "Mental health"),
              "substance_use": ("Rusmidler", "Substance use"), "crime": ("Kriminalitet", "Crime"), "total_costs": ("Samlede udgifter", "Total costs"),
              "social_services": ("Serviceydelser", "Social services"), "employment_measures": ("Beskæftigelsesindsatser", "Employment measures"),
              "health_services": ("Kommunale sundhedsydelser", "Municipal health services"), "staff_time": ("Medarbejdertid", "Staff time"),
              "shelter_costs": ("Udgifter til § 110-ophold", "Section 110 stay expenses"), "affordable_housing": ("Billige boliger", "Affordable housing"),
              "public_housing": ("Almene boliger", "Public housing"), "allocation": ("Kommunal anvisning", "Municipal allocation")},
    "instruments": {
        "WHO-5": ("Trivsel, råscore 0–25; ×4 giver 0–100; 50 eller derunder er lav trivsel.", "Wellbeing, raw score 0–25; ×4 gives 0–100; 50 or below is poor wellbeing."),
        "UCLA-3": ("Ensomhed, 3 spørgsmål, 3–9; 6 eller derover regnes som ensom (Sundhedsprofilen bruger 7 for svær ensomhed).",
                   "Loneliness, 3 items, 3–9; 6 or more counts as lonely (the Danish health profile uses 7 for severe loneliness)."),
        "ORS": ("Outcome Rating Scale 0–40; under 25 er klinisk niveau.", "Outcome Rating Scale 0–40; below 25 is the clinical range."),
        "SRS": ("Session Rating Scale 0–40; 36 eller derunder kan tyde på problemer i alliancen.", "Session Rating Scale 0–40; 36 or below may signal an alliance problem."),
        "Likert": ("Likert-skala 1–5 (fra slet ikke til i høj grad).", "Likert scale 1–5 (from not at all to a great extent)."),
    },
}

_WORDS = {
    "da": {"document": "Nøgletalskatalog", "short": "Kort version", "contents": "Indhold", "key_figures": "nøgletal",
           "key_figure": "Nøgletal", "type": "Type", "area": "Område", "unit": "Enhed", "definition": "Definition", "formula": "Formel",
           "measure": "Beregning", "population": "Population (filter)", "dataset": "Datasæt", "derived": "Afledt af",
           "let": "Navngiven værdi", "time": "Dato for perioden",
           "breakdowns": "Opdelt på", "period": "Periode", "counting_unit": "Tælleenhed", "target": "Succeskriterium",
           "instrument": "Instrument", "source": "Datakilde", "goal": "Mål i målhierarkiet", "goals": "Målhierarki",
           "params": "Parametre", "param": "Parameter", "value": "Værdi", "cream": "CREAM-vurdering", "criterion": "Kriterium",
           "score": "Score", "reason": "Begrundelse", "mean": "Gennemsnit", "passed": "Består", "failed": "Består ikke",
           "pass_rule": "alle kriterier mindst {n} af 5", "out_of": "af", "none": "–", "yes": "ja", "no": "nej",
           "advice": "Råd til arbejdet med nøgletal", "overview": "Oversigt over nøgletal", "made_with": "Lavet med",
           "too_many": "Der er valgt {n} nøgletal. Erfaringen fra puljeprojekterne er, at for mange nøgletal koster registreringstid og gør analysen svær – overvej at vælge færre (fx højst {k}).",
           "field": "Felt", "of_total": "i alt",
           "cream_note": "CREAM: vægtet gennemsnit af de fem kriterier (1–5). ! = består ikke (alle kriterier mindst {n} af 5).",
           "cream_note_md": "CREAM: vægtet gennemsnit af de fem kriterier (1–5); et nøgletal består, når alle kriterier er mindst {n} af 5."},
    "en": {"document": "Key-figure catalogue", "short": "Short version", "contents": "Contents", "key_figures": "key figures",
           "key_figure": "Key figure", "type": "Type", "area": "Area", "unit": "Unit", "definition": "Definition", "formula": "Formula",
           "measure": "Measure", "population": "Population (filter)", "dataset": "Dataset", "derived": "Derived from",
           "let": "Named value", "time": "Date of the period",
           "breakdowns": "Broken down by", "period": "Period", "counting_unit": "Counting unit", "target": "Target",
           "instrument": "Instrument", "source": "Data source", "goal": "Goal in the goal hierarchy", "goals": "Goal hierarchy",
           "params": "Parameters", "param": "Parameter", "value": "Value", "cream": "CREAM assessment", "criterion": "Criterion",
           "score": "Score", "reason": "Reason", "mean": "Mean", "passed": "Passes", "failed": "Does not pass",
           "pass_rule": "every criterion at least {n} of 5", "out_of": "of", "none": "–", "yes": "yes", "no": "no",
           "advice": "Advice on working with key figures", "overview": "Overview of key figures", "made_with": "Made with",
           "too_many": "{n} key figures are chosen. The lesson of the fund's projects is that too many key figures cost registration time and make analysis hard – consider choosing fewer (e.g. at most {k}).",
           "field": "Field", "of_total": "in total",
           "cream_note": "CREAM: weighted mean of the five criteria (1–5). ! = does not pass (every criterion at least {n} of 5).",
           "cream_note_md": "CREAM: weighted mean of the five criteria (1–5); a key figure passes when every criterion is at least {n} of 5."},
}


def words(lang: str) -> dict[str, Any]:
    """The translations dict `t` that templates receive: fixed words plus the bilingual tables."""
    index = 1 if lang == "en" else 0
    table = {group: {key: pair[index] for key, pair in entries.items()} for group, entries in _BOTH.items()}
    return {**_WORDS["en" if lang == "en" else "da"], **table}


def target_words(text: str | None, lang: str) -> dict[str, str] | None:
    """A target such as `>= 80%` in words: {'text': 'mindst 80 %', 'raw': '>= 80%'}.

    >>> target_words("between 90% and 110%", "en")["text"]
    'between 90\xa0% and 110\xa0%'
    """
    target = M.Target.parse(text) if text else None
    if target is None:
        return None
    percent = "%" in target.text

    def show(value: float) -> str:
        if percent:
            return format_number(value, "share", lang, 0 if abs(value * 100 - round(value * 100)) < 1e-9 else None)
        return format_number(int(value) if float(value).is_integer() else value, None, lang)
    template = _BOTH["ops"][target.op][1 if lang == "en" else 0]
    text = template.format(v=show(target.value), h=show(target.high or 0)).replace(" %", "\u00a0%")  # keep "80 %" on one line
    return {"text": text, "raw": target.text}


def cream_context(spec: M.IndicatorSpec, catalogue: M.CatalogueSpec | None, lang: str) -> dict[str, Any]:
    """CREAM rows in criterion order plus the weighted mean and the gate (every score ≥ pass mark)."""
    t = words(lang)
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
    t = words(lang)
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
        "counting_unit": spec.counting_unit, "target": target_words(spec.target, lang),
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
    t = words(lang)
    indicators = [indicator_context(project, iid, lang) for iid in project.indicators if iid in project.compiled]
    types = []
    for kind in M.INDICATOR_TYPES:
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
