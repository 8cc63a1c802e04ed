"""Scenario spec + compiled model → input arrays (prices converted to the scenario's price year)
and the uncertainty ranges of inputs, with located diagnostics for every problem.

Besides literal values an input may take its value from key figures computed on data
(`from_eval:`, evaluated by hfspec's own table engine with disclosure control), and the scenario's
`discount:` (a rate or a preset name) sets the model input `discount_rate`.
"""

from __future__ import annotations

import datetime as dt
import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, did_you_mean
from hfspec.engine.model_eval import DRAW, Named
from hfspec.messages import Codes, Parts
from hfspec.session import Sessions
from hfspec.spec.model import Loc, ScenarioSpec
from hfspec.spec.modelcheck import CompiledModel, compile_model
from hfspec.words import SOM_DISCOUNT, format_number

#: Named discount presets for a scenario's `discount:`: the yearly rate of each band of the model
#: input `discount_rate` (one rate applies to every band). `finansministeriet` is the Danish
#: Finance Ministry's chained rate: 3.5 % in years 0–35, 2.5 % in years 36–70, 1.5 % after.
DISCOUNT_PRESETS: dict[str, tuple[float, ...]] = {"none": (0.0,), "finansministeriet": (0.035, 0.025, 0.015)}

#: The conventions of a scenario's `discount_timing:`: when in the year amounts are taken to fall,
#: as the years of discounting of year 1 (the model input `discount_timing`; year t is discounted
#: t − 1 + that many years).
DISCOUNT_TIMINGS: dict[str, float] = {"end_of_year": 1.0, "mid_year": 0.5, "start_of_year": 0.0}

#: Inputs of earlier versions of the SØM model → the message saying what replaced them (the hint of HF705).
REPLACED_INPUTS = {"discount_first_year": "som.replaced_discount_first_year"}


@dataclass(frozen=True)
class Range:
    dist: str
    low: float | None
    high: float | None
    mode: float | None
    mean: float | None
    sd: float | None
    relative: bool  # for inputs with dimensions: the bounds are factors applied to every value

    def bounds(self, base: float) -> tuple[float, float]:
        """The low and high values used by one-way sensitivity."""
        if self.dist == "normal":
            centre = self.mean if self.mean is not None else base
            lo = centre - 1.2816 * (self.sd or 0)  # the 10th and 90th percentiles
            hi = centre + 1.2816 * (self.sd or 0)
            return (max(lo, self.low) if self.low is not None else lo, min(hi, self.high) if self.high is not None else hi)
        return float(self.low), float(self.high)


@dataclass(frozen=True)
class EvalValue:
    """Where an input taken from data (`from_eval`) came from: shown next to the input in reports."""

    indicator: str
    title: dict[str, str]
    where: dict[str, str]
    data: str
    value: float  # the key figure's value, before `scale`
    n: int | None
    scale: float


@dataclass
class ScenarioInputs:
    model: CompiledModel
    values: dict[str, Named]
    ranges: dict[str, Range]
    sources: dict[str, Any]
    scenario: ScenarioSpec
    evaluated: dict[str, EvalValue] = field(default_factory=dict)


def _to_array(value: Any, dims: tuple[str, ...], coords: dict[str, tuple], loc: Loc, name: str, bag: DiagnosticBag,
              spec: dict | None = None) -> np.ndarray | None:
    """A scenario value (a number, a date, a list, a mapping keyed by dimension values) as an array
    over `dims`; None after reporting why it cannot be one. `spec` is the model's input: its
    `type` (a date becomes its day number, `date.toordinal()`) and its `fill` (the value of the
    cells after a list that is shorter than its dimension)."""
    spec = spec or {}
    if value is None:  # a default of null: no value in any cell
        return np.full([len(coords[d]) for d in dims], np.nan)
    if not dims:
        if spec.get("type") == "date":
            return _date_value(value, loc, name, bag)
        if isinstance(value, bool):
            return np.asarray(1.0 if value else 0.0)
        if isinstance(value, (int, float)):
            return np.asarray(float(value))
        if isinstance(value, dict) and set(value) & DETAIL_WORDS:
            _detail_without_value(value, loc, name, None, bag)
            return None
        bag.error("HF702", Message("som.needs_number", name=name, found=_kind_of(value)), loc.span, hint=Message("som.needs_number_hint"))
        return None
    dim, rest = dims[0], dims[1:]
    values = coords[dim]
    if isinstance(value, (int, float)) and not isinstance(value, bool) or (isinstance(value, str) and spec.get("type") == "date"):
        # one value for every value of the dimension
        inner = _to_array(value, rest, coords, loc, name, bag, spec)
        return None if inner is None else np.stack([inner] * len(values))
    if isinstance(value, list):
        if len(value) < len(values) and spec.get("fill") is not None:
            value = value + [spec["fill"]] * (len(values) - len(value))
        if len(value) != len(values):
            bag.error("HF702", Message("som.wrong_length", name=name, n=len(value), dim=dim, size=len(values), values=_values_shown(values)), loc.span,
                      hint=_length_hint(dim, len(value), values))
            return None
        parts = [_to_array(v, rest, coords, loc.child(i), name, bag, spec) for i, v in enumerate(value)]
        return None if any(p is None for p in parts) else np.stack(parts)
    if isinstance(value, dict):
        keys = {str(v): v for v in values}
        later = [d for d in rest if value and set(value) <= {str(v) for v in coords[d]}]
        if value and not set(value) & set(keys) and later:
            # keyed by a later dimension (e.g. a cost per payer, the same every year): repeat it
            inner = _to_array(value, rest, coords, loc, name, bag, spec)
            return None if inner is None else np.stack([inner] * len(values))
        stray = [k for k in value if k not in keys and k in DETAIL_WORDS]
        if stray:
            _detail_without_value(value, loc, name, dim, bag)
            return None
        ok = True
        for k in value:
            if k not in keys:
                bag.error("HF706", Message("som.unknown_dimension_value", value=k, dim=dim, name=name), loc.child(k).key_span,
                          hint=did_you_mean(k, keys) or Message("som.dimension_values", dim=dim, values=Codes(keys)))
                ok = False
        parts = []
        for k in keys:
            if k not in value:
                bag.error("HF703", Message("som.missing_dimension_value", name=name, dim=dim, value=k), loc.span, hint=Message("som.missing_dimension_value_hint", value=k))
                ok = False
                continue
            parts.append(_to_array(value[k], rest, coords, loc.child(k), name, bag, spec))
        if not ok or any(p is None for p in parts):
            return None
        return np.stack(parts)
    bag.error("HF702", Message("som.needs_dimension", name=name, dim=dim, found=_kind_of(value)), loc.span, hint=Message("som.needs_dimension_hint"))
    return None


#: The words of an input given in detail that are not its value: `{value: …, source: …, range: …}`.
DETAIL_WORDS = {"source", "unit", "range", "price_year"}


def _detail_without_value(value: dict, loc: Loc, name: str, dim: str | None, bag: DiagnosticBag) -> None:
    """HF717: a mapping with `source:`, `range:` … but no `value:` (or `from_eval:`). Such a mapping
    is the input's values keyed by the dimension's values, so `source` would be read as a
    consequence or a payer; the user almost always forgot `value:`."""
    words = sorted(set(value) & DETAIL_WORDS)
    first = words[0]
    message = (Message("som.detail_without_value_dim", name=name, word=first, dim=dim) if dim
               else Message("som.detail_without_value", name=name, word=first))
    bag.error("HF717", message, loc.child(first).key_span, hint=Message("som.detail_without_value_hint", words=Codes(w + ":" for w in words)))


def _date_value(value: Any, loc: Loc, name: str, bag: DiagnosticBag) -> np.ndarray | None:
    """A date input's value as its day number (null stays null)."""
    if isinstance(value, str):
        try:
            return np.asarray(float(dt.date.fromisoformat(value.strip()).toordinal()))
        except ValueError:
            pass
    bag.error("HF718", Message("som.needs_date", name=name, found=_kind_of(value), value=str(value)), loc.span, hint=Message("som.needs_date_hint"))
    return None


def date_of(day_number: float) -> dt.date | None:
    """The date of a day number made by a date input (None for null).

    >>> date_of(float(dt.date(2023, 10, 1).toordinal())), date_of(math.nan)
    (datetime.date(2023, 10, 1), None)
    """
    return None if math.isnan(day_number) else dt.date.fromordinal(int(day_number))


#: A YAML value that is not what an input needs, in words (HF702, HF718), by its Python type.
VALUE_KINDS = {str: "som.kind_text", dict: "som.kind_mapping", list: "som.kind_list", bool: "som.kind_boolean",
               int: "som.kind_number", float: "som.kind_number"}


def _kind_of(value: Any) -> Message:
    return Message(VALUE_KINDS.get(type(value), "som.kind_other"))


def _values_shown(values: tuple) -> list[str]:
    """A dimension's values as a message shows them: the first 12, then "…"."""
    return [*map(str, values[:12]), *(["…"] if len(values) > 12 else [])]


def _length_hint(dim: str, given: int, values: tuple) -> Message:
    """What to do about a list of the wrong length: change the list, or the dimension."""
    example = f"dimensions: {{{dim}: [{_example_values(values, given)}]}}"
    if given > len(values):
        return Message("som.wrong_length_hint_more", n=len(values), given=given, example=example)
    return Message("som.wrong_length_hint_fewer", n=len(values), given=given, example=example)


def _example_values(values: tuple, n: int) -> str:
    """`0, 1, …, n-1` continued from the dimension's first value when its values are whole numbers."""
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        first = values[0]
        shown = [str(first + i) for i in range(n)]
        return ", ".join(shown) if n <= 6 else ", ".join(shown[:3] + ["…", shown[-1]])
    return ", ".join(map(str, values[:n])) + (", …" if n > len(values) else "")


def _range(raw: dict, loc: Loc, name: str, base: np.ndarray, relative: bool, bag: DiagnosticBag) -> Range | None:
    dist = raw["dist"]
    centre = 1.0 if relative else (float(base) if base.ndim == 0 else None)
    r = Range(dist, raw.get("low"), raw.get("high"), raw.get("mode", centre if dist == "triangular" else None),
              raw.get("mean", centre if dist == "normal" else None), raw.get("sd"), relative)
    problem = None
    if dist in ("uniform", "triangular"):
        if r.low is None or r.high is None or r.low > r.high:
            problem = Message("som.range_low_high", name=name)
        elif dist == "triangular" and r.mode is not None and not (r.low <= r.mode <= r.high):
            problem = Message("som.range_mode", name=name, mode=r.mode, low=r.low, high=r.high)
    elif dist == "normal":
        if not r.sd or r.sd <= 0:
            problem = Message("som.range_sd", name=name)
    if problem:
        bag.error("HF708", problem, loc.span, hint=Message("som.range_hint"))
        return None
    return r


def _replaced_input_hint(key: str) -> Message | None:
    return Message(REPLACED_INPUTS[key]) if key in REPLACED_INPUTS else None


def scenario_inputs(model: CompiledModel, scenario: ScenarioSpec, bag: DiagnosticBag, sessions: Sessions | None = None) -> ScenarioInputs | None:
    """The input arrays of a scenario. Problems go to `bag`."""
    inputs_loc = scenario.locs.get("inputs", scenario.loc)
    for key in scenario.inputs:
        if key not in model.spec.inputs:
            bag.error("HF705", Message("som.unknown_input", name=key, model=model.id), inputs_loc.child(key).key_span,
                      hint=_replaced_input_hint(key) or did_you_mean(key, model.spec.inputs) or Message("som.inputs", names=Codes(model.spec.inputs)))
    values: dict[str, Named] = {}
    ranges: dict[str, Range] = {}
    sources: dict[str, Any] = {}
    evaluated: dict[str, EvalValue] = {}
    discount = _discount_value(model, scenario, bag)
    timing = _timing_value(model, scenario, bag)
    from_data = {}
    if any(isinstance(v, dict) and "from_eval" in v for v in scenario.inputs.values()):
        with (nullcontext(sessions) if sessions is not None else Sessions()) as owned:
            from_data = _evaluate_from_data(scenario, bag, owned)
    for name, spec in model.spec.inputs.items():
        dims = tuple(spec.get("dims", ()))
        raw = scenario.inputs.get(name)
        loc = inputs_loc.child(name)
        detail = raw if isinstance(raw, dict) and ("value" in raw or "from_eval" in raw) and (set(raw) <= DETAIL_KEYS) else None
        value = detail.get("value") if detail else raw
        value_loc = loc.child("value") if detail else loc
        if detail and "from_eval" in detail:
            got = _from_eval(detail["from_eval"], loc.child("from_eval"), from_data[name][1], bag) if name in from_data else None
            if got is None:
                continue
            value, evaluated[name] = got.value * got.scale, got
            value_loc = loc.child("from_eval")
        if raw is None and name == "discount_rate" and discount is not None:
            value, value_loc = discount[0], scenario.locs["discount"]
            sources[name] = discount[1]
        elif raw is None and name == "discount_timing" and timing is not None:
            value, value_loc = timing, scenario.locs["discount_timing"]
            sources[name] = {lang: SOM_DISCOUNT[lang]["timing"].format(t=scenario.discount_timing) for lang in SOM_DISCOUNT}
        elif raw is None:
            if "default" not in spec:
                bag.error("HF703", Message("som.missing_input", scenario=scenario.id, name=name), inputs_loc.key_span if "inputs" in scenario.locs else scenario.loc.span,
                          hint=Message("som.missing_input_hint", name=name, input=_describe_input(spec)))
                continue
            value, value_loc = spec["default"], model.spec.loc.child("inputs", name, "default")
        array = _to_array(value, dims, model.dimensions, value_loc, name, bag, spec)
        if array is None:
            continue
        factor = 1.0
        if detail and detail.get("price_year") is not None:
            factor = _price_factor(detail["price_year"], scenario, loc.child("price_year"), name, bag)
            if factor is None:
                continue
            array = array * factor
        lo, hi = spec.get("min"), spec.get("max")
        finite = array[~np.isnan(array)]
        if finite.size and ((lo is not None and finite.min() < lo) or (hi is not None and finite.max() > hi)):
            shown = finite.min() if lo is not None and finite.min() < lo else finite.max()
            unit = spec.get("unit")
            low, high = "…" if lo is None else lo, "…" if hi is None else hi
            message = (Message("som.out_of_range_share", name=name, value=f"{shown * 100:g} %", low=low, high=high) if unit == "share"
                       else Message("som.out_of_range", name=name, value=float(shown), low=low, high=high))
            bag.error("HF704", message, value_loc.span, hint=_describe_input(spec))
            continue
        values[name] = Named(array, dims)
        if detail:
            sources[name] = detail.get("source")
            if detail.get("range") and spec.get("type") in ("date", "boolean"):
                bag.error("HF708", Message(NO_RANGE[spec["type"]], name=name), loc.child("range").key_span, hint=Message("som.no_range_hint"))
            elif detail.get("range"):
                raw_range = detail["range"]
                if factor != 1.0 and not dims:  # absolute bounds are in the input's price year too
                    raw_range = {k: (v * factor if k in ("low", "high", "mode", "mean", "sd") else v) for k, v in raw_range.items()}
                r = _range(raw_range, loc.child("range"), name, array, bool(dims), bag)
                if r is not None:
                    ranges[name] = r
    if bag.has_errors:
        return None
    return ScenarioInputs(model, values, ranges, sources, scenario, evaluated)


#: An input type that cannot vary → the message saying so (HF708).
NO_RANGE = {"date": "som.no_range_date", "boolean": "som.no_range_boolean"}


#: The keys of an input given in detail (`{value, source, range, …}`) rather than as a bare value.
DETAIL_KEYS = {"value", "from_eval", "source", "unit", "range", "price_year"}


def _discount_value(model: CompiledModel, scenario: ScenarioSpec, bag: DiagnosticBag) -> tuple[Any, Any] | None:
    """The value that the scenario's `discount:` gives the model input `discount_rate`, and its source."""
    setting = scenario.discount
    if setting is None:
        return None
    loc = scenario.locs["discount"]
    spec = model.spec.inputs.get("discount_rate")
    if spec is None and setting in (0, "none"):
        return None  # no discounting asked for, and the model has none: nothing to do
    if spec is None:
        bag.error("HF711", Message("som.no_discount_rate", model=model.id), loc.span, hint=Message("som.no_discount_rate_hint"))
        return None
    if "discount_rate" in scenario.inputs:
        bag.error("HF711", Message("som.discount_twice"), loc.span, hint=Message("som.discount_twice_hint"))
        return None
    if not isinstance(setting, str):
        return float(setting), {lang: SOM_DISCOUNT[lang]["rate"].format(r=format_number(setting * 100, None, lang, trim=True)) for lang in SOM_DISCOUNT}
    rates = DISCOUNT_PRESETS.get(setting)
    if rates is None:
        bag.error("HF711", Message("som.unknown_preset", preset=setting), loc.span,
                  hint=did_you_mean(setting, DISCOUNT_PRESETS) or Message("som.presets", names=Codes(DISCOUNT_PRESETS)))
        return None
    dims = tuple(spec.get("dims", ()))
    if len(rates) == 1:
        return rates[0], {lang: SOM_DISCOUNT[lang][setting] for lang in SOM_DISCOUNT}
    if len(dims) != 1 or len(model.dimensions[dims[0]]) != len(rates):
        bag.error("HF702", Message("som.preset_bands", preset=setting, n=len(rates), dims=Codes(dims) or Message("som.no_dimension")), loc.span,
                  hint=Message("som.preset_bands_hint", n=len(rates)))
        return None
    return list(rates), {lang: SOM_DISCOUNT[lang][setting] for lang in SOM_DISCOUNT}


def _timing_value(model: CompiledModel, scenario: ScenarioSpec, bag: DiagnosticBag) -> float | None:
    """The value that the scenario's `discount_timing:` gives the model input `discount_timing`."""
    setting = scenario.discount_timing
    if setting is None:
        return None
    loc = scenario.locs["discount_timing"]
    if "discount_timing" not in model.spec.inputs:
        bag.error("HF711", Message("som.no_discount_timing", model=model.id), loc.span, hint=Message("som.no_discount_timing_hint"))
        return None
    if "discount_timing" in scenario.inputs:
        bag.error("HF711", Message("som.timing_twice"), loc.span, hint=Message("som.discount_twice_hint"))
        return None
    return DISCOUNT_TIMINGS[setting]  # the schema allows only these words


def _paths(raw: dict, scenario: ScenarioSpec) -> tuple[Path, Path]:
    from hfspec.resources import national_catalogue

    base = Path(scenario.loc.file).parent
    catalogue = base / str(raw["catalogue"]) if raw.get("catalogue") else national_catalogue()
    return catalogue, base / str(raw["data"])


def _evaluate_from_data(scenario: ScenarioSpec, bag: DiagnosticBag, sessions: Sessions) -> dict[str, tuple[Any, Any]]:
    """Evaluate every key figure that the scenario's `from_eval:` inputs name, in one session per
    catalogue and data folder, as `hfspec eval` does it (with disclosure control at the default k).

    Returns input name -> (project, result); inputs whose paths or indicator are wrong are
    reported in `bag` and left out.
    """
    inputs_loc = scenario.locs.get("inputs", scenario.loc)
    groups: dict[tuple[Path, Path], dict[str, str]] = {}
    for name, raw in scenario.inputs.items():
        if not (isinstance(raw, dict) and isinstance(raw.get("from_eval"), dict)):
            continue
        request, loc = raw["from_eval"], inputs_loc.child(name, "from_eval")
        catalogue, data = _paths(request, scenario)
        if not data.is_dir():
            bag.error("HF712", Message("som.no_data_folder", folder=request['data'], path=data), loc.child("data").span,
                      hint=Message("som.no_data_folder_hint"))
        elif not catalogue.exists():
            bag.error("HF712", Message("som.no_catalogue", catalogue=request['catalogue'], path=catalogue), loc.child("catalogue").span,
                      hint=Message("som.no_catalogue_hint"))
        else:
            groups.setdefault((catalogue.resolve(), data.resolve()), {})[name] = str(request["indicator"])
    out: dict[str, tuple[Any, Any]] = {}
    for (catalogue, data), wanted in groups.items():
        session = sessions.get(catalogue, data)
        project = session.project
        known = {}
        for name, indicator in wanted.items():
            if indicator in project.compiled:
                known[name] = indicator
            else:
                bag.error("HF712", Message("som.unknown_indicator", id=indicator), inputs_loc.child(name, "from_eval", "indicator").span,
                          hint=did_you_mean(indicator, project.compiled) or Message("som.unknown_indicator_hint"))
        if known:
            result = session.evaluate(sorted(set(known.values())))
            out.update({name: (project, result) for name in known})
    return out


def _from_eval(raw: dict, loc: Loc, result, bag: DiagnosticBag) -> EvalValue | None:
    """One number from an evaluated key figure: `where` must pick exactly one result row, and a
    suppressed or empty value is an error, never a number."""
    indicator = str(raw["indicator"])
    ir = next(i for i in result.indicators if i.spec.id == indicator)
    where = {str(k): v for k, v in (raw.get("where") or {}).items()}
    keys = list(ir.by) + (["period"] if ir.period else [])
    for key in where:
        if key not in keys:
            bag.error("HF712", Message("som.not_a_breakdown", key=key, id=indicator), loc.child("where", key).key_span,
                      hint=did_you_mean(key, keys) or (Message("som.breakdowns", names=Codes(keys)) if keys else Message("som.one_value", id=indicator)))
            return None

    def cell(row, key):
        return row.period if key == "period" else row.by.get(key)
    rows = [r for r in ir.rows if all(str(cell(r, k)) == str(v) for k, v in where.items())]
    if len(rows) != 1:
        if not rows:
            offered = "; ".join(f"{k}: {', '.join(sorted({str(cell(r, k)) for r in ir.rows}))}" for k in where)
            bag.error("HF712", Message("som.no_match", id=indicator), loc.child("where").span if where else loc.span,
                      hint=Message("som.values_in_data", values=offered) if offered else Message("som.no_rows"))
        else:
            free = [k for k in keys if k not in where]
            bag.error("HF712", Message("som.several_match", n=len(rows), id=indicator), loc.child("where").span if where else loc.span,
                      hint=Message("som.several_match_hint", keys=[f"`{k}:`" for k in free]))
        return None
    row = rows[0]
    if row.suppressed:
        bag.error("HF713", Message("som.suppressed", id=indicator, where=_where_text(where), k=result.suppress_below), loc.span,
                  hint=Message("som.suppressed_hint"))
        return None
    if row.value is None or (isinstance(row.value, float) and math.isnan(row.value)):
        bag.error("HF712", Message("som.no_value", id=indicator, where=_where_text(where)), loc.span, hint=Message("som.no_value_hint"))
        return None
    scale = float(raw.get("scale", 1))
    return EvalValue(indicator, ir.spec.title.as_dict(), {k: str(v) for k, v in where.items()}, str(raw["data"]), float(row.value), row.n, scale)


def _where_text(where: dict) -> Message:
    return Message("common.verbatim", text=", ".join(f"{k} = {v}" for k, v in where.items())) if where else Message("som.whole_data")


def _describe_input(spec: dict) -> Message:
    """What an input takes, for hints: "over year; unit kr; allowed 0 to 1"."""
    bits = []
    if spec.get("dims"):
        bits.append(Message("som.input_over", dims=Codes(spec["dims"])))
    if spec.get("unit"):
        bits.append(Message("som.input_unit", unit=spec["unit"]))
    if spec.get("min") is not None or spec.get("max") is not None:
        bits.append(Message("som.input_allowed", low=spec.get("min", "…"), high=spec.get("max", "…")))
    return Message("som.input_parts", parts=Parts(bits)) if bits else Message("som.input_number")


def _price_factor(from_year: int, scenario: ScenarioSpec, loc: Loc, name: str, bag: DiagnosticBag) -> float | None:
    """index[scenario price year] / index[from_year]: the factor that converts the input's prices."""
    target = scenario.price_year
    if target is None or from_year == target:
        return 1.0
    index = {int(k): float(v) for k, v in scenario.price_index.items()}
    for year in (from_year, target):
        if year not in index:
            bag.error("HF707", Message("som.no_price_index", name=name, from_year=from_year, year=year), loc.span,
                      hint=Message("som.no_price_index_hint", year=year, years=[str(y) for y in sorted(index)] or Message("common.none")))
            return None
    return index[target] / index[from_year]


def load_scenario(project, scenario_id: str, years: int | None = None, sessions: Sessions | None = None) -> ScenarioInputs:
    """Compile the scenario's model (with its dimension overrides) and build its inputs. Inputs
    `from_eval` are evaluated in `sessions` (the caller's; default: sessions of this call only)."""
    scenario = project.scenarios[scenario_id]
    bag = DiagnosticBag()
    if scenario.model not in project.models:
        bag.error("HF302", Message("som.unknown_model", model=scenario.model), scenario.locs["model"].span, hint=did_you_mean(scenario.model, project.models))
        raise HfspecError(bag.items)
    overrides = {k: list(v) for k, v in scenario.dimensions.items()}
    if years is not None:
        # only the horizon changes: cohorts (the intake years) and their inputs stay as written
        overrides["year"] = list(range(1, years + 1))
    model = compile_model(project.models[scenario.model], bag, overrides)
    if model is None:
        raise HfspecError(bag.items)
    inputs = scenario_inputs(model, scenario, bag, sessions)
    if inputs is None:
        raise HfspecError(bag.items)
    return inputs


def sample(inputs: ScenarioInputs, draws: int, seed: int) -> dict[str, Named]:
    """Input arrays with a leading Monte Carlo dimension for every uncertain input."""
    rng = np.random.default_rng(seed)
    out = dict(inputs.values)
    for name in sorted(inputs.ranges):
        r = inputs.ranges[name]
        base = inputs.values[name]
        if r.dist == "uniform":
            x = rng.uniform(r.low, r.high, draws)
        elif r.dist == "triangular":
            lo, hi = float(r.low), float(r.high)
            x = rng.triangular(lo, float(r.mode), hi, draws) if hi > lo else np.full(draws, lo)
        else:
            x = rng.normal(r.mean, r.sd, draws)
            if r.low is not None or r.high is not None:
                x = np.clip(x, r.low if r.low is not None else -math.inf, r.high if r.high is not None else math.inf)
        if r.relative:
            out[name] = Named(x.reshape((draws,) + (1,) * base.data.ndim) * base.data[None, ...], (DRAW,) + base.dims)
        else:
            out[name] = Named(x, (DRAW,))
    return out


def shipped_models() -> list[Path]:
    """The model files shipped in specs/models (SØM and CREAM): the models a scenario may name
    without giving the model's file."""
    from hfspec.resources import shipped

    return sorted((shipped("specs") / "models").glob("*.yaml"))


def load_scenario_project(scenario: str, paths: tuple[Path, ...] = ()):
    """The project and the scenario's id: SCENARIO is a file (its one scenario) or an id."""
    from hfspec.resources import shipped
    from hfspec.spec.project import load_project

    as_file = Path(scenario)
    is_file = as_file.suffix.lower() in (".yaml", ".yml") or as_file.is_file()
    models = shipped("specs") / "models"  # only the models: the rest of specs/ needs a catalogue
    targets = [models, *paths] if paths or is_file else [models, shipped("examples") / "som"]
    if is_file:
        if not as_file.is_file():
            raise HfspecError([Diagnostic("HF100", Message("project.no_path", path=scenario), None, hint=Message("som.no_scenario_file_hint"))])
        targets.append(as_file)
    project = load_project(targets)
    if not is_file:
        return project, scenario
    own = [sid for sid, spec in project.scenarios.items() if spec.loc is not None and Path(spec.loc.doc.source.name).resolve() == as_file.resolve()]
    if len(own) != 1:
        message = Message("som.several_scenarios", file=scenario, n=len(own), ids=Codes(own)) if own else Message("som.no_scenario", file=scenario)
        raise HfspecError([Diagnostic("HF714", message, None, hint=Message("som.several_scenarios_hint") if own else Message("som.no_scenario_hint"))])
    return project, own[0]
