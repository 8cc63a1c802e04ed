"""Scenario spec + compiled model → input arrays (prices converted to the scenario's price year)
and the uncertainty ranges of inputs, with located diagnostics for every problem."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from hfspec.diagnostics import DiagnosticBag, HfspecError, did_you_mean
from hfspec.engine.model_eval import DRAW, Named
from hfspec.spec.model import Loc, ScenarioSpec
from hfspec.spec.modelcheck import CompiledModel, compile_model


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


@dataclass
class ScenarioInputs:
    model: CompiledModel
    values: dict[str, Named]
    ranges: dict[str, Range]
    sources: dict[str, Any]
    scenario: ScenarioSpec


def _to_array(value: Any, dims: tuple[str, ...], coords: dict[str, tuple], loc: Loc, name: str, bag: DiagnosticBag) -> np.ndarray | None:
    if not dims:
        if isinstance(value, bool):
            return np.asarray(1.0 if value else 0.0)
        if isinstance(value, (int, float)):
            return np.asarray(float(value))
        if value is None:
            return np.asarray(np.nan)
        bag.error("HF702", f"`{name}` needs one number here, got {type(value).__name__}", loc.span,
                  hint="write a number, or check the input's `dims:` in the model")
        return None
    dim, rest = dims[0], dims[1:]
    values = coords[dim]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # one number for every value of the dimension
        inner = _to_array(value, rest, coords, loc, name, bag)
        return None if inner is None else np.stack([inner] * len(values))
    if isinstance(value, list):
        if len(value) != len(values):
            bag.error("HF702", f"`{name}` has {len(value)} values for dimension `{dim}`, which has {len(values)} ({', '.join(map(str, values))})", loc.span)
            return None
        parts = [_to_array(v, rest, coords, loc.child(i), name, bag) for i, v in enumerate(value)]
        return None if any(p is None for p in parts) else np.stack(parts)
    if isinstance(value, dict):
        keys = {str(v): v for v in values}
        later = [d for d in rest if value and set(value) <= {str(v) for v in coords[d]}]
        if value and not set(value) & set(keys) and later:
            # keyed by a later dimension (e.g. a cost per payer, the same every year): repeat it
            inner = _to_array(value, rest, coords, loc, name, bag)
            return None if inner is None else np.stack([inner] * len(values))
        ok = True
        for k in value:
            if k not in keys:
                bag.error("HF706", f"`{k}` is not a value of dimension `{dim}` (in `{name}`)", loc.child(k).key_span,
                          hint=did_you_mean(k, keys) or f"values of `{dim}`: {', '.join(keys)}")
                ok = False
        parts = []
        for k in keys:
            if k not in value:
                bag.error("HF703", f"`{name}` has no value for {dim} `{k}`", loc.span, hint=f"add `{k}:` (write 0 if it is zero)")
                ok = False
                continue
            parts.append(_to_array(value[k], rest, coords, loc.child(k), name, bag))
        if not ok or any(p is None for p in parts):
            return None
        return np.stack(parts)
    bag.error("HF702", f"`{name}` needs values over dimension `{dim}`", loc.span, hint="give a mapping keyed by the dimension's values, or a list")
    return None


def _range(raw: dict, loc: Loc, name: str, base: np.ndarray, relative: bool, bag: DiagnosticBag) -> Range | None:
    dist = raw["dist"]
    centre = 1.0 if relative else (float(base) if base.ndim == 0 else None)
    r = Range(dist, raw.get("low"), raw.get("high"), raw.get("mode", centre if dist == "triangular" else None),
              raw.get("mean", centre if dist == "normal" else None), raw.get("sd"), relative)
    problem = None
    if dist in ("uniform", "triangular"):
        if r.low is None or r.high is None or r.low > r.high:
            problem = "needs `low` and `high` with low ≤ high"
        elif dist == "triangular" and r.mode is not None and not (r.low <= r.mode <= r.high):
            problem = f"has its most likely value {r.mode} outside low {r.low} … high {r.high}"
    elif dist == "normal":
        if not r.sd or r.sd <= 0:
            problem = "needs `sd` greater than 0"
    if problem:
        bag.error("HF708", f"the range of `{name}` {problem}", loc.span, hint="see docs/spec-reference.md#scenario")
        return None
    return r


def scenario_inputs(model: CompiledModel, scenario: ScenarioSpec, bag: DiagnosticBag) -> ScenarioInputs | None:
    """The input arrays of a scenario. Problems go to `bag`."""
    inputs_loc = scenario.locs.get("inputs", scenario.loc)
    for key in scenario.inputs:
        if key not in model.spec.inputs:
            bag.error("HF705", f"`{key}` is not an input of model `{model.id}`", inputs_loc.child(key).key_span,
                      hint=did_you_mean(key, model.spec.inputs) or f"inputs: {', '.join(model.spec.inputs)}")
    values: dict[str, Named] = {}
    ranges: dict[str, Range] = {}
    sources: dict[str, Any] = {}
    for name, spec in model.spec.inputs.items():
        dims = tuple(spec.get("dims", ()))
        raw = scenario.inputs.get(name)
        loc = inputs_loc.child(name)
        detail = raw if isinstance(raw, dict) and "value" in raw and (set(raw) <= {"value", "source", "unit", "range", "price_year"}) else None
        value = detail["value"] if detail else raw
        value_loc = loc.child("value") if detail else loc
        if raw is None:
            if "default" not in spec:
                bag.error("HF703", f"scenario `{scenario.id}` gives no value for `{name}`", inputs_loc.key_span if "inputs" in scenario.locs else scenario.loc.span,
                          hint=f"add `{name}:` under `inputs:` ({_describe_input(spec)})")
                continue
            value, value_loc = spec["default"], model.spec.loc.child("inputs", name, "default")
        array = _to_array(value, dims, model.dimensions, value_loc, name, bag)
        if array is None:
            continue
        if detail and detail.get("price_year") is not None:
            array = _convert_price(array, detail["price_year"], scenario, loc.child("price_year"), name, bag)
            if array is None:
                continue
        lo, hi = spec.get("min"), spec.get("max")
        finite = array[~np.isnan(array)]
        if finite.size and ((lo is not None and finite.min() < lo) or (hi is not None and finite.max() > hi)):
            shown = finite.min() if lo is not None and finite.min() < lo else finite.max()
            unit = spec.get("unit")
            words = f"{shown * 100:g} %" if unit == "share" else f"{shown:g}"
            bag.error("HF704", f"`{name}` is {words}, outside its allowed range {lo if lo is not None else '…'} to {hi if hi is not None else '…'}" + (" (shares are 0..1: 100 % = 1)" if unit == "share" else ""),
                      value_loc.span, hint=_describe_input(spec))
            continue
        values[name] = Named(array, dims)
        if detail:
            sources[name] = detail.get("source")
            if detail.get("range"):
                r = _range(detail["range"], loc.child("range"), name, array, bool(dims), bag)
                if r is not None:
                    ranges[name] = r
    if bag.has_errors:
        return None
    return ScenarioInputs(model, values, ranges, sources, scenario)


def _describe_input(spec: dict) -> str:
    bits = []
    if spec.get("dims"):
        bits.append(f"over {', '.join(spec['dims'])}")
    if spec.get("unit"):
        bits.append(f"unit {spec['unit']}")
    if spec.get("min") is not None or spec.get("max") is not None:
        bits.append(f"allowed {spec.get('min', '…')} to {spec.get('max', '…')}")
    return "; ".join(bits) or "a number"


def _convert_price(array: np.ndarray, from_year: int, scenario: ScenarioSpec, loc: Loc, name: str, bag: DiagnosticBag) -> np.ndarray | None:
    target = scenario.price_year
    if target is None or from_year == target:
        return array
    index = {int(k): float(v) for k, v in scenario.price_index.items()}
    for year in (from_year, target):
        if year not in index:
            bag.error("HF707", f"`{name}` is in {from_year} prices, but the price index has no value for {year}", loc.span,
                      hint=f"add `{year}: …` under `price_index:` (years given: {', '.join(map(str, sorted(index))) or 'none'})")
            return None
    return array * index[target] / index[from_year]


def load_scenario(project, scenario_id: str, years: int | None = None) -> ScenarioInputs:
    """Compile the scenario's model (with its dimension overrides) and build its inputs."""
    scenario = project.scenarios[scenario_id]
    bag = DiagnosticBag()
    if scenario.model not in project.models:
        bag.error("HF302", f"unknown model `{scenario.model}`", scenario.locs["model"].span, hint=did_you_mean(scenario.model, project.models))
        raise HfspecError(bag.items)
    overrides = {k: list(v) for k, v in scenario.dimensions.items()}
    if years is not None:
        overrides["year"] = list(range(1, years + 1))
        if "cohort" in project.models[scenario.model].dimensions and "cohort" not in scenario.dimensions:
            overrides["cohort"] = list(range(1, years + 1))
    model = compile_model(project.models[scenario.model], bag, overrides)
    if model is None:
        raise HfspecError(bag.items)
    inputs = scenario_inputs(model, scenario, bag)
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
