"""Project + workshop ratings → the CREAM table: the gate, the weighted score, the rank, the cost
of data collection, where raters disagree, the short list and its coverage check.

The arithmetic is not here: it is the Model spec `specs/models/cream.yaml` (median of the raters,
the gate, normalised weights, `rank`, the disagreement rule, the cost bands), compiled with the
catalogue's key figures and the raters as dimension values and evaluated by `model_eval`. This
module builds the model's input arrays, picks the short list and checks its coverage. Reading
ratings files is `cream_ratings`; the files people take away (the workshop XLSX and the short-list
catalogue) are written by `hfspec.cream.files`.

Choices (docs/cream.md explains them to users):
- a ratings file overrides a key figure's `cream:` block per key figure × criterion;
- key figures that fail the gate are not ranked; they are listed after all passing ones;
- the short list is the top N passing key figures (ties at the cut broken by lower cost of
  collection, then catalogue order, with a note), or the catalogue's `select:` list;
- coverage: every type, every *leaf* goal of the goal hierarchy (a goal with no sub-goals; its
  parents are covered through it), and at most `max_per_goal` key figures attached to any goal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, did_you_mean
from hfspec.messages import Codes
from hfspec.engine.model_eval import Named, evaluate_model
from hfspec.resources import shipped
from hfspec.spec import model as M
from hfspec.spec.modelcheck import CompiledModel, compile_model
from hfspec.spec.project import Project, load_project
from hfspec.words import (CREAM, CREAM_COST, CREAM_COVERAGE, CREAM_SEED_WORDS, INDICATOR_TYPES, TYPE_KEY_FIGURES, TYPE_WORDS,
                          format_number)

#: This domain's templates (the shared page frame is in hfspec/render/templates).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The short list's length when neither `--top` nor the catalogue's `select:` gives one. The seed's
#: lesson is that municipalities chose too many key figures too early; the demo municipality keeps 9.
DEFAULT_TOP = 10
#: Above this many key figures on a short list a note repeats that lesson (as the pixi document does).
FEW_KEY_FIGURES = 15
#: The value of the `rater` dimension when there are no workshop ratings.
NO_RATER = "catalogue"

LETTERS = {"clear": "C", "relevant": "R", "economic": "E", "adequate": "A", "monitorable": "M"}


# -- data ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rating:
    """One workshop rating: a rater's score of a key figure on a criterion, with the reason."""

    rater: str
    indicator: str
    criterion: str
    score: float
    justification: str = ""
    file: str = ""
    row: int = 0


@dataclass
class Ratings:
    """The ratings read from one or more files."""

    items: list[Rating] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: key figures rated in the files that the catalogue leaves out (`select:`/`drop:`) → first (file, row)
    skipped: dict[str, tuple[str, int]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def raters(self) -> list[str]:
        return list(dict.fromkeys(r.rater for r in self.items))


@dataclass(frozen=True)
class Criterion:
    key: str
    letter: str
    title: M.Text  # short label: Nøjagtighed / Clear
    definition: M.Text


@dataclass
class CreamRow:
    """One key figure's line in the CREAM table."""

    spec: M.IndicatorSpec
    scores: dict[str, float | None]
    source: dict[str, str]  # per criterion: "ratings", "catalogue" or "" (not assessed)
    passes: bool
    failing: tuple[str, ...]
    weighted: float | None
    rank: int | None
    cost: int | None  # 1 low, 2 medium, 3 high cost of collection (from `economic`)
    disagreement: tuple[str, ...]
    ratings: dict[str, list[Rating]] = field(default_factory=dict)
    shortlisted: bool = False

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class Finding:
    """One line of the coverage check. `level`: ok (a check that holds), fail, or note."""

    level: str
    kind: str
    text: M.Text
    hint: M.Text | None = None


@dataclass
class Shortlist:
    ids: list[str]
    source: str  # "top" or "select"
    top: int | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "fail" for f in self.findings)


@dataclass
class CreamResult:
    catalogue: M.CatalogueSpec | None
    catalogue_path: Path | None
    criteria: list[Criterion]
    weights: dict[str, float]
    shares: dict[str, float]
    pass_mark: float
    disagreement_points: float
    rows: list[CreamRow]
    ratings: Ratings | None
    shortlist: Shortlist
    goals: tuple[M.Goal, ...] = ()
    max_per_goal: int | None = None
    order: list[str] = field(default_factory=list)  # the catalogue's order of the key figures

    def row(self, iid: str) -> CreamRow:
        return next(r for r in self.rows if r.id == iid)


# -- the model -----------------------------------------------------------------------------------

def model_path() -> Path:
    return shipped("specs") / "models" / "cream.yaml"


@lru_cache(maxsize=1)
def cream_model() -> M.ModelSpec:
    """The shipped CREAM Model spec."""
    return load_project([model_path()], standard=False).models["cream"]


def criteria(spec: M.ModelSpec | None = None) -> list[Criterion]:
    """The criteria in model order, with the labels and definitions written in the model."""
    spec = spec or cream_model()
    out = []
    for key in spec.dimensions["criterion"]["values"]:
        formula = spec.formulas[key]
        out.append(Criterion(key, LETTERS.get(key, key[0].upper()), M.Text.of(formula.get("title")) or M.Text(key, key),
                             M.Text.of(formula.get("description")) or M.Text("", "")))
    return out


def scale(spec: M.ModelSpec | None = None) -> tuple[float, float]:
    """The rating scale (the `rating` input's min and max in the model)."""
    spec = spec or cream_model()
    return float(spec.inputs["rating"]["min"]), float(spec.inputs["rating"]["max"])


# -- settings inherited along `extends:` ---------------------------------------------------------

def catalogue_chain(project: Project) -> list[M.CatalogueSpec]:
    """The root catalogue and the catalogues it extends, nearest first (`Project.catalogue_chain`)."""
    return project.catalogue_chain()


def _inherited(chain: list[M.CatalogueSpec], key: str) -> tuple[Any, M.CatalogueSpec | None]:
    for cat in chain:
        if key in cat.locs:
            return getattr(cat, key), cat
    return None, None


# -- evaluation ----------------------------------------------------------------------------------

def evaluate_cream(project: Project, ratings: Ratings | None = None, weights: dict[str, float] | None = None,
                   pass_mark: float | None = None, top: int | None = None, disagreement_points: float | None = None) -> CreamResult:
    """The CREAM table for the catalogue's key figures (`project.indicators`).

    `weights` and `pass_mark` override the catalogue's `weights:` and `cream_pass:` (inherited
    along `extends:`); `top` picks the short list from the ranking instead of `select:`."""
    spec = cream_model()
    crits = criteria(spec)
    keys = [c.key for c in crits]
    assert set(keys) == set(M.CREAM_CRITERIA), "the CREAM model's criteria must be the five of the Indicator schema"
    chain = catalogue_chain(project)
    cat_weights, weights_owner = _inherited(chain, "weights")
    raw_weights = {k: float((cat_weights or {}).get(k, spec.inputs["weight"].get("default", 1))) for k in keys}
    bag = DiagnosticBag()
    for k, v in (weights or {}).items():
        if k not in raw_weights:
            bag.error("HF721", Message("cream.unknown_weight", name=k), None, hint=did_you_mean(k, keys) or Message("cream.criteria", names=Codes(keys)))
        elif not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
            bag.error("HF721", Message("cream.bad_weight", name=k, value=str(v)), None)
        else:
            raw_weights[k] = float(v)
    if not bag.has_errors and sum(raw_weights.values()) <= 0:
        span = weights_owner.locs["weights"].span if weights_owner is not None and not weights else None
        bag.error("HF721", Message("cream.zero_weights"), span, hint=Message("cream.zero_weights_hint"))
    bag.raise_if_errors()
    if pass_mark is None:
        inherited, _ = _inherited(chain, "cream_pass")
        pass_mark = float(inherited if inherited is not None else spec.inputs["pass_mark"].get("default", 3))
    if disagreement_points is None:
        disagreement_points = float(spec.inputs["disagreement_points"].get("default", 2))
    max_per_goal, _ = _inherited(chain, "max_per_goal")

    indicators = list(project.indicators.values())
    ids = [i.id for i in indicators]
    raters = ratings.raters if ratings and ratings.items else [NO_RATER]
    compiled = compile_model(spec, bag, {"indicator": ids or ["-"], "rater": raters})
    if compiled is None:
        raise HfspecError(bag.items)
    values = evaluate_model(compiled, _inputs(compiled, indicators, ratings, raw_weights, pass_mark, disagreement_points))

    by_cell: dict[tuple[str, str], list[Rating]] = {}
    for r in (ratings.items if ratings else []):
        by_cell.setdefault((r.indicator, r.criterion), []).append(r)
    rows = []
    for ind in indicators:
        at = {"indicator": ind.id}
        scores = {k: _value(values, compiled, "score", **at, criterion=k) for k in keys}
        source = {k: ("ratings" if (ind.id, k) in by_cell else "catalogue" if k in ind.cream else "") for k in keys}
        failing = tuple(k for k in keys if _value(values, compiled, "fails", **at, criterion=k) == 1)
        rank = _value(values, compiled, "rank", **at)
        cost = _value(values, compiled, "collection_cost", **at)
        rows.append(CreamRow(
            spec=ind, scores=scores, source=source, passes=_value(values, compiled, "passes", **at) == 1, failing=failing,
            weighted=_value(values, compiled, "weighted_score", **at), rank=int(rank) if rank is not None else None,
            cost=int(cost) if cost is not None else None,
            disagreement=tuple(k for k in keys if _value(values, compiled, "disagreement", **at, criterion=k) == 1),
            ratings={k: by_cell.get((ind.id, k), []) for k in keys}))
    order = {iid: i for i, iid in enumerate(ids)}
    passing = sorted((r for r in rows if r.passes), key=lambda r: (r.rank, -(r.scores.get("economic") or 0), order[r.id]))
    failing_rows = sorted((r for r in rows if not r.passes), key=lambda r: (-(r.weighted if r.weighted is not None else -1), order[r.id]))
    shares = {k: _value(values, compiled, "weight_share", criterion=k) or 0.0 for k in keys}
    result = CreamResult(project.catalogue, Path(project.catalogue.loc.file) if project.catalogue and project.catalogue.loc else None,
                         crits, raw_weights, shares, pass_mark, disagreement_points, passing + failing_rows, ratings,
                         Shortlist([], "top", top), project.goals, max_per_goal, ids)
    result.shortlist = choose_shortlist(result, top)
    return result


def _inputs(model: CompiledModel, indicators: list[M.IndicatorSpec], ratings: Ratings | None, weights: dict[str, float],
            pass_mark: float, disagreement_points: float) -> dict[str, Named]:
    dims = model.dimensions
    ind_index = {v: i for i, v in enumerate(dims["indicator"])}
    crit_index = {v: i for i, v in enumerate(dims["criterion"])}
    rater_index = {v: i for i, v in enumerate(dims["rater"])}
    rating = np.full((len(ind_index), len(crit_index), len(rater_index)), np.nan)
    for r in (ratings.items if ratings else []):
        if r.indicator in ind_index:  # ratings read for another catalogue: only its key figures count
            rating[ind_index[r.indicator], crit_index[r.criterion], rater_index[r.rater]] = r.score
    catalogue = np.full((len(ind_index), len(crit_index)), np.nan)
    for ind in indicators:
        for key, entry in ind.cream.items():
            if key in crit_index:
                catalogue[ind_index[ind.id], crit_index[key]] = entry.score
    return {
        "rating": Named(rating, ("indicator", "criterion", "rater")),
        "catalogue_score": Named(catalogue, ("indicator", "criterion")),
        "weight": Named(np.asarray([weights[c] for c in dims["criterion"]], dtype=float), ("criterion",)),
        "pass_mark": Named(np.asarray(float(pass_mark)), ()),
        "disagreement_points": Named(np.asarray(float(disagreement_points)), ()),
    }


def _value(values: dict[str, Named], model: CompiledModel, name: str, **coords: str) -> float | None:
    array = values[name]
    index = tuple(model.dimensions[d].index(coords[d]) for d in array.dims)
    value = float(array.data[index]) if array.dims else array.scalar()
    return None if math.isnan(value) else value


# -- short list and coverage ---------------------------------------------------------------------

def choose_shortlist(result: CreamResult, top: int | None) -> Shortlist:
    """The top N passing key figures, or the catalogue's `select:`; with its coverage findings."""
    findings: list[Finding] = []
    passing = [r for r in result.rows if r.passes]
    cat = result.catalogue
    if top is None and cat is not None and cat.select is not None:
        ids = [i for i in cat.select if any(r.id == i for r in result.rows)]
        shortlist = Shortlist(ids, "select", None)
    else:
        n = top or DEFAULT_TOP
        chosen = passing[:n]
        ids = [r.id for r in chosen]
        shortlist = Shortlist(ids, "top", n)
        if len(passing) < n:
            findings.append(Finding("note", "few_pass", _say("few_pass", passing=len(passing), n=n)))
        elif len(passing) > n and passing[n].rank == passing[n - 1].rank:
            tied = [r for r in passing if r.rank == passing[n - 1].rank]
            inside = [r.id for r in tied if r.id in ids]
            outside = [r.id for r in tied if r.id not in ids]
            score = tuple(format_number(tied[0].weighted, None, lang, 2) for lang in ("da", "en"))
            findings.append(Finding("note", "tie", _say("tie", n=n, rank=tied[0].rank, count=len(tied), score=score,
                                                        inside=", ".join(inside), outside=", ".join(outside))))
    for r in result.rows:
        r.shortlisted = r.id in ids
    findings.extend(check_coverage(result, ids, shortlist.source == "select"))
    shortlist.findings = findings
    return shortlist


def check_coverage(result: CreamResult, ids: list[str], selected: bool = False) -> list[Finding]:
    """Coverage of a short list: every type, every leaf goal, at most `max_per_goal` per goal,
    and no key figure that fails the gate. Each failure is one finding with a suggestion."""
    rows = {r.id: r for r in result.rows}
    chosen = [rows[i] for i in ids if i in rows]
    ranked = [r for r in result.rows if r.passes and r.id not in ids]  # best first: candidates to add
    out: list[Finding] = []

    def best(pred) -> str | None:
        found = next((r for r in ranked if pred(r)), None)
        return f"{found.id} ({format_number(found.weighted, None, 'da', 2)})" if found else None

    counts = {t: sum(1 for r in chosen if r.spec.type == t) for t in INDICATOR_TYPES}
    missing_types = [t for t, n in counts.items() if n == 0]
    for t in missing_types:
        suggestion = best(lambda r, t=t: r.spec.type == t)
        name = (TYPE_KEY_FIGURES["da"][t], TYPE_KEY_FIGURES["en"][t])
        out.append(Finding("fail", "type", _say("type_missing", type=name),
                           _say("best", suggestion=suggestion) if suggestion else _say("type_none", extend=selected, type=name)))
    if not missing_types:
        spread = tuple(", ".join(f"{TYPE_WORDS[lang][t]} {n}" for t, n in counts.items()) for lang in ("da", "en"))
        out.append(Finding("ok", "type", _say("types_ok", spread=spread)))

    goals = result.goals
    if goals:
        known = {g.id: g for g in goals}
        parents = {g.parent for g in goals if g.parent in known}
        leaves = [g for g in goals if g.id not in parents]
        attached = {g.id: [r.id for r in chosen if r.spec.goal == g.id] for g in goals}
        uncovered = [g for g in leaves if not attached[g.id]]
        for g in uncovered:
            suggestion = best(lambda r, g=g: r.spec.goal == g.id)
            title = g.title or M.Text(g.id, g.id)
            out.append(Finding("fail", "goal", _say("goal_missing", goal=g.id, title=(title.da, title.en)),
                               _say("best", suggestion=suggestion) if suggestion else _say("goal_none", extend=selected)))
        if not uncovered:
            out.append(Finding("ok", "goal", _say("goals_ok", n=len(leaves))))
        if result.max_per_goal:
            over = [(g, attached[g.id]) for g in goals if len(attached[g.id]) > result.max_per_goal]
            for g, members in over:
                order = [r.id for r in result.rows]
                lowest = sorted(members, key=order.index)[result.max_per_goal:]
                out.append(Finding("fail", "max_per_goal",
                                   _say("goal_over", goal=g.id, count=len(members), members=", ".join(members), limit=result.max_per_goal),
                                   _say("goal_over_hint", lowest=", ".join(lowest))))
            if not over:
                out.append(Finding("ok", "max_per_goal", _say("goals_under", limit=result.max_per_goal)))
        loose = [r.id for r in chosen if r.spec.goal not in known]
        if loose:
            out.append(Finding("note", "no_goal", _say("no_goal", ids=", ".join(loose))))
    for r in chosen:
        if not r.passes:
            scores = (", ".join(f"{CREAM_SEED_WORDS[k]} {format_number(r.scores[k], None, 'da', 1, whole=True)}" for k in r.failing),
                      ", ".join(f"{k} {format_number(r.scores[k], None, 'en', 1, whole=True)}" for k in r.failing))
            out.append(Finding("fail", "gate", _say("gate", id=r.id, scores=scores), _say("gate_hint")))
    if len(chosen) > FEW_KEY_FIGURES:
        out.append(Finding("note", "too_many", _say("too_many", n=len(chosen), k=FEW_KEY_FIGURES)))
    return out


def _say(key: str, extend: bool = False, **values: Any) -> M.Text:
    """A coverage text of `CREAM_COVERAGE` in both languages. A value given as a (Danish, English)
    pair is used per language; `extend` adds the hint to rank the catalogue that is extended."""
    def fill(lang: str, i: int) -> str:
        text = CREAM_COVERAGE[lang][key].format(**{k: v[i] if isinstance(v, tuple) else v for k, v in values.items()})
        return text + (CREAM_COVERAGE[lang]["extend"] if extend else "")
    return M.Text(fill("da", 0), fill("en", 1))


# -- plain data for templates, CSV and JSON ------------------------------------------------------

def _plain(value: float | None) -> float | int | None:
    """Whole numbers as int for CSV and JSON (4, not 4.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def records(result: CreamResult, lang: str = "da") -> list[dict[str, Any]]:
    """One plain dict per key figure in table order (numbers as numbers), for CSV and JSON."""
    out = []
    for r in result.rows:
        out.append({
            "rank": r.rank, "id": r.id, "title": r.spec.title.get(lang), "type": r.spec.type, "goal": r.spec.goal,
            "passes": r.passes, "failing": list(r.failing), "weighted_score": r.weighted,
            **{k: _plain(r.scores[k]) for k in r.scores},
            "collection_cost": CREAM_COST[lang].get(r.cost) if r.cost else None,
            "disagreement": list(r.disagreement), "shortlisted": r.shortlisted,
            "source": r.source,
            "ratings": {k: [{"rater": x.rater, "score": _plain(x.score), "justification": x.justification, "file": x.file, "row": x.row} for x in v]
                        for k, v in r.ratings.items() if v},
            "reasons": {k: e.reason.get(lang) for k, e in r.spec.cream.items() if e.reason},
        })
    return out


def to_json_data(result: CreamResult, lang: str = "da") -> dict[str, Any]:
    cat = result.catalogue
    return {
        "catalogue": {"id": cat.id if cat else None, "file": str(result.catalogue_path) if result.catalogue_path else None},
        "pass_mark": _plain(result.pass_mark), "disagreement_points": _plain(result.disagreement_points),
        "criteria": [{"key": c.key, "letter": c.letter, "title": c.title.get(lang), "definition": c.definition.get(lang),
                      "weight": _plain(result.weights[c.key]), "share": result.shares[c.key]} for c in result.criteria],
        "ratings": {"files": result.ratings.files, "raters": result.ratings.raters, "count": len(result.ratings.items)} if result.ratings else None,
        "indicators": records(result, lang),
        "shortlist": {"source": result.shortlist.source, "top": result.shortlist.top, "ids": result.shortlist.ids, "ok": result.shortlist.ok,
                      "findings": [{"level": f.level, "kind": f.kind, "text": f.text.get(lang), "hint": f.hint.get(lang) if f.hint else None}
                                   for f in result.shortlist.findings]},
    }


def result_context(result: CreamResult, lang: str = "da", level: int = 2) -> dict[str, Any]:
    """The CREAM table as plain dicts and texts in one language (see `cream_context`)."""
    w = CREAM["en" if lang == "en" else "da"]
    crits = []
    for c in result.criteria:
        crits.append({"key": c.key, "letter": c.letter, "label": c.title.get(lang), "seed_word": CREAM_SEED_WORDS.get(c.key, ""),
                      "definition": c.definition.get(lang), "share": result.shares[c.key],
                      "share_text": format_number(result.shares[c.key], "share", lang, 0)})
    labels = {c.key: c.title.get(lang) for c in result.criteria}
    rows = []
    for r in result.rows:
        rows.append({
            "rank": r.rank, "rank_text": str(r.rank) if r.rank is not None else w["none"], "id": r.id, "title": r.spec.title.get(lang),
            "type": r.spec.type, "type_label": TYPE_WORDS["en" if lang == "en" else "da"].get(r.spec.type, r.spec.type),
            "passed": r.passes, "gate_text": w["passed"] if r.passes else f"{w['failed']}: " + ", ".join(f"{labels[k].lower()} {format_number(r.scores[k], None, lang, 1, whole=True)}" for k in r.failing),
            "failing": [labels[k] for k in r.failing],
            "weighted": r.weighted, "weighted_text": format_number(r.weighted, None, lang, 2),
            "scores": [{"key": k, "letter": LETTERS[k], "score": r.scores[k], "text": format_number(r.scores[k], None, lang, 1, whole=True), "disagree": k in r.disagreement,
                        "below": k in r.failing} for k in labels],
            "cost": r.cost, "cost_text": CREAM_COST["en" if lang == "en" else "da"].get(r.cost, w["none"]) if r.cost else w["none"],
            "disagreement": [labels[k] for k in r.disagreement], "disagreement_text": ", ".join(
                f"{LETTERS[k]} {format_number(min(x.score for x in r.ratings[k]), None, lang, 1, whole=True)}–{format_number(max(x.score for x in r.ratings[k]), None, lang, 1, whole=True)}" for k in r.disagreement),
            "shortlisted": r.shortlisted,
        })
    ratings = result.ratings
    if ratings and ratings.items:
        n = len(ratings.raters)
        who = w["rater" if n == 1 else "raters"].format(n=n)
        source = w["source_ratings"].format(files=", ".join(ratings.files), raters=who)
    else:
        source = w["source_catalogue"]
    sl = result.shortlist
    disagreements = []
    for r in result.rows:
        for k in r.disagreement:
            disagreements.append({"id": r.id, "title": r.spec.title.get(lang), "criterion": labels[k],
                                  "ratings": [{"rater": x.rater, "score": x.score, "score_text": format_number(x.score, None, lang, 1, whole=True), "justification": x.justification}
                                              for x in r.ratings[k]]})
    return {
        "level": level, "heading": "#" * level, "words": w, "title": w["title"], "intro": w["intro"].format(n=format_number(result.pass_mark, None, lang, 1, whole=True)),
        "source": source, "pass_mark": result.pass_mark, "pass_mark_text": format_number(result.pass_mark, None, lang, 1, whole=True),
        "disagreement_legend": w["legend_disagreement"].format(p=format_number(result.disagreement_points, None, lang, 1, whole=True)),
        "legend": w["legend"].format(p=format_number(result.disagreement_points, None, lang, 1, whole=True)),
        "criteria": crits, "rows": rows,
        "counts": {"total": len(rows), "passed": sum(r["passed"] for r in rows), "failed": sum(not r["passed"] for r in rows)},
        "has_ratings": bool(ratings and ratings.items), "raters": ratings.raters if ratings else [],
        "disagreements": disagreements,
        "shortlist": {"source": sl.source, "label": w["top"].format(n=sl.top) if sl.source == "top" else w["select"], "ids": sl.ids, "count": len(sl.ids),
                      "ok": sl.ok, "findings": [{"level": f.level, "kind": f.kind, "ok": f.level == "ok", "text": f.text.get(lang),
                                                 "hint": f.hint.get(lang) if f.hint else ""} for f in sl.findings]},
    }


def cream_context(project: Project, ratings: Ratings | None = None, lang: str = "da", *,
                  weights: dict[str, float] | None = None, pass_mark: float | None = None, top: int | None = None, level: int = 2) -> dict[str, Any]:
    """Plain dicts for the `cream_section` templates: criteria, ranked rows, short list, coverage.

    `ratings` is what `hfspec.cream.ratings.read_ratings` read from workshop files, or None (the
    catalogue's own CREAM blocks). Documents put the result under the key `cream_ranking`."""
    return result_context(evaluate_cream(project, ratings, weights, pass_mark, top), lang, level)
