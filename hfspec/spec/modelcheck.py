"""Model specs → `CompiledModel`: every formula parsed and checked in the model context, in
dependency order (cycles refused), with the dimensions of every input and formula known."""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field
from typing import Any

from hfspec.diagnostics import DiagnosticBag, HfspecError, Message, did_you_mean
from hfspec.lang import ast as A
from hfspec.lang import types as T
from hfspec.lang.check import CheckedExpr, Context, check
from hfspec.lang.parser import parse
from hfspec.lang.scope import ModelScope
from hfspec.messages import Codes
from hfspec.spec.model import ModelSpec

_INPUT_TYPES = {"number": T.NUMBER, "integer": T.INTEGER, "boolean": T.BOOLEAN, "date": T.DATE}


@dataclass
class CompiledModel:
    spec: ModelSpec
    dimensions: dict[str, tuple[Any, ...]]
    input_types: dict[str, T.Type]
    formulas: dict[str, CheckedExpr] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    #: The formulas each formula names (directly).
    uses: dict[str, frozenset[str]] = field(default_factory=dict)

    def needed(self, targets: tuple[str, ...]) -> list[str]:
        """The formulas that `targets` need (themselves included), in evaluation order."""
        todo, seen = [t for t in targets if t in self.formulas], set()
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.uses.get(name, ()))
        return [n for n in self.order if n in seen]

    @property
    def id(self) -> str:
        return self.spec.id


def dimension_values(spec: ModelSpec, overrides: dict[str, list] | None = None) -> dict[str, tuple[Any, ...]]:
    out = {}
    for name, dim in spec.dimensions.items():
        values = (overrides or {}).get(name, dim.get("values", ()))
        out[name] = tuple(values)
    return out


def compile_model(spec: ModelSpec, bag: DiagnosticBag, dimension_overrides: dict[str, list] | None = None) -> CompiledModel | None:
    """Check a model's formulas. Problems go to `bag`; returns None when any formula is wrong."""
    dims = dimension_values(spec, dimension_overrides)
    own_values = dimension_values(spec)  # a formula may name the model's own values, also when a scenario replaces them
    loc = spec.loc
    inputs: dict[str, T.Type] = {}
    for name, inp in spec.inputs.items():
        for d in inp.get("dims", ()):
            if d not in dims:
                bag.error("HF701", Message("model.undeclared_dimension", name=name, dim=d), loc.child("inputs", name, "dims").span,
                          hint=did_you_mean(d, dims) or Message("model.undeclared_dimension_hint", dims=Codes(dims) or Message("common.none")))
        inputs[name] = _INPUT_TYPES[inp.get("type", "number")].with_dims(tuple(inp.get("dims", ())))
    parsed: dict[str, A.Expr] = {}
    for name, formula in spec.formulas.items():
        if name in inputs or name in dims:
            bag.error("HF301", Message("model.formula_name_taken", name=name), loc.child("formulas", name).key_span)
            continue
        floc = loc.child("formulas", name, "expr")
        try:
            parsed[name] = parse(formula["expr"], floc.locate())
        except HfspecError as error:
            bag.extend(error.diagnostics)
    graph = {name: {n.name for n in A.walk(e) if isinstance(n, A.Name) and n.name in parsed and n.name != name} |
             ({name} if any(isinstance(n, A.Name) and n.name == name for n in A.walk(e)) else set()) for name, e in parsed.items()}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        cycle = error.args[1]
        for name in dict.fromkeys(cycle):
            bag.error("HF303", Message("model.formula_cycle", cycle=" → ".join(cycle)), loc.child("formulas", name, "expr").span)
        return None
    compiled = CompiledModel(spec, dims, inputs)
    known: dict[str, T.Type] = dict(inputs)
    for name in order:
        if name not in parsed:
            continue
        checked, problems = check(parsed[name], ModelScope(known, dims, declared=own_values), Context.MODEL, "formula")
        bag.extend(problems)
        if checked is None:
            return None
        declared = spec.formulas[name].get("dims")
        if declared is not None and set(declared) != set(checked.type.dims):
            bag.error("HF702", Message("model.formula_dims", name=name, dims=Codes(checked.type.dims) or Message("common.none"),
                                       declared=Codes(declared) or Message("common.none")),
                      loc.child("formulas", name, "expr").span,
                      hint=(Message("model.formula_dims_extra_hint") if set(checked.type.dims) - set(declared)
                            else Message("model.formula_dims_missing_hint")))
            return None
        known[name] = checked.type
        compiled.formulas[name] = checked
    compiled.order = [n for n in order if n in compiled.formulas]
    compiled.uses = {name: frozenset(graph[name] - {name}) for name in compiled.formulas}
    for i, out in enumerate(spec.outputs):
        if out not in compiled.formulas and out not in inputs:
            bag.error("HF401", Message("model.unknown_output", name=out), loc.child("outputs", i).span, hint=did_you_mean(out, list(compiled.formulas)))
    return compiled if not bag.has_errors else None
