"""Scenario inputs of the SØM model → results, one-way sensitivity, switching values and Monte
Carlo summaries (plain dataclasses; the report layer formats them).

The calculation itself is the YAML Model `specs/models/som.yaml`; this module only runs it:
once for the base case, once per end of each input's range (sensitivity), a few dozen times
(bisection for a switching value), and once per chunk of draws (Monte Carlo, every draw in one
vectorised run along the `DRAW` dimension). It relies on the model's formula names listed in
`REQUIRED_FORMULAS`, so a municipality's copy of the model keeps working as long as it keeps them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from hfspec.diagnostics import Diagnostic, HfspecError, Message, Severity, did_you_mean
from hfspec.engine.model_eval import DRAW, Named, evaluate_model
from hfspec.lang import ast as A
from hfspec.messages import Codes
from hfspec.som.scenario import Range, ScenarioInputs, date_of, load_scenario, sample

#: Formulas `hfspec som` reads by name; a model used with it must define them.
REQUIRED_FORMULAS = ("successes", "savings", "costs", "net", "exponent", "discount_factor", "net_pv", "acc", "acc_total", "result_total",
                     "result_by_payer", "savings_by_payer", "costs_by_payer", "return_by_payer", "break_even", "break_even_by_payer",
                     "lasting_break_even", "lasting_break_even_by_payer", "savings_total", "costs_total", "return_per_krone",
                     "successes_total", "cost_per_success", "refusion_2023", "nights_saved", "refunded_share_saved", "state_share_110")

#: The search interval of the internal rate of return, written as ln(1 + r): from a rate of
#: about −100 % up to e^20 − 1 (about 485 million %). A rate outside it is reported as not found.
IRR_LOG_BOUNDS = (-20.0, 20.0)

#: Net flows whose size is at most this share of the largest one count as 0 when the changes of
#: sign are counted (they are rounding left over from a sum that is zero).
IRR_ZERO = 1e-9

#: Bisection steps for the internal rate of return: 2^-80 of the interval is far below a
#: hundredth of a percent point.
IRR_STEPS = 80

#: The formulas Monte Carlo reads of each draw (only these and what they need are evaluated).
MONTE_CARLO_RESULTS = ("result_by_payer", "result_total", "acc_total", "break_even", "return_per_krone")

#: The result that sensitivity, switching values and Monte Carlo look at: the total accumulated
#: net result (present value) in the last year of the horizon.
METRIC = "result_total"

#: Cells (draws × the cells of the model's largest intermediate array, see `cells_per_draw`)
#: evaluated at once in a Monte Carlo run. Larger runs are split into chunks of draws, so memory
#: stays bounded (8 bytes a cell: about 32 MB for the largest array) while each chunk is still
#: one vectorised evaluation.
MC_CHUNK_CELLS = 4_000_000

#: Bisection steps for a switching value: 2^-48 of the interval (about 4e-15) is far below any meaningful rate.
BISECTION_STEPS = 48


@dataclass
class SomResult:
    """The base-case run of one scenario (and the warnings about its inputs)."""

    inputs: ScenarioInputs
    values: dict[str, Named]
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def years(self) -> tuple:
        return self.inputs.model.dimensions["year"]

    @property
    def payers(self) -> tuple:
        return self.inputs.model.dimensions["payer"]

    def array(self, name: str, *dims: str) -> np.ndarray:
        """The formula's values with axes in the given order (e.g. `array("net", "year", "payer")`)."""
        return axes(self.values[name], dims, self.inputs.model.dimensions)

    def scalar(self, name: str) -> float | None:
        value = float(self.values[name].scalar())
        return None if math.isnan(value) else value


@dataclass(frozen=True)
class Irr:
    """An internal rate of return: the rate, or None and why there is none.

    `note` is None with a rate, else `no_cash_flows` (every net flow is 0), `no_sign_change`
    (the net flows never change sign: no rate makes their present value 0), `several_sign_changes`
    (the present value may be 0 at several rates, so none is the rate) or `out_of_range` (the
    rate lies outside `IRR_LOG_BOUNDS`)."""

    rate: float | None
    note: str | None = None


@dataclass(frozen=True)
class SensitivityRow:
    input: str
    low: float  # the input's low value (a factor on every value for inputs with dimensions)
    high: float
    relative: bool
    result_low: float
    result_high: float

    @property
    def swing(self) -> float:
        return abs(self.result_high - self.result_low)


@dataclass(frozen=True)
class Sensitivity:
    base: float
    rows: list[SensitivityRow]  # sorted by swing, largest first
    switching_input: str
    switching_value: float | None  # None: no value in the input's allowed range gives 0
    switching_bounds: tuple[float, float]


@dataclass(frozen=True)
class Summary:
    """The distribution of one Monte Carlo result."""

    mean: float
    p10: float
    p50: float
    p90: float
    prob_positive: float

    @classmethod
    def of(cls, x: np.ndarray) -> "Summary":
        x = x[~np.isnan(x)]
        if not x.size:
            return cls(math.nan, math.nan, math.nan, math.nan, math.nan)
        p10, p50, p90 = np.percentile(x, [10, 50, 90])
        return cls(float(x.mean()), float(p10), float(p50), float(p90), float((x > 0).mean()))


@dataclass(frozen=True)
class MonteCarlo:
    draws: int
    seed: int
    chunks: int
    uncertain: list[str]  # the inputs that vary
    by_payer: dict[str, Summary]  # accumulated net result at the horizon per payer
    total: Summary
    acc_total_by_year: dict[str, list[float]]  # p10, p50, p90 of the total accumulated result per year
    break_even_share: float  # share of draws that break even within the horizon
    return_per_krone: Summary
    ranges: dict[str, Range] = field(default_factory=dict)


def axes(named: Named, dims: tuple[str, ...], coords: Mapping[str, tuple]) -> np.ndarray:
    """The array with axes in `dims` order, broadcast over dimensions it does not vary over."""
    sizes = {d: len(coords[d]) for d in dims if d != DRAW}
    sizes.update({d: n for d, n in zip(named.dims, named.data.shape)})
    extra = [d for d in named.dims if d not in dims]
    if extra:
        raise ValueError(f"{extra} not among the requested axes {dims}")
    return np.broadcast_to(named.aligned(tuple(dims), sizes), [sizes[d] for d in dims])


def check_model(inputs: ScenarioInputs) -> None:
    """Refuse a model that lacks a formula `hfspec som` reads, at the model's `formulas:`."""
    model = inputs.model
    missing = [f for f in REQUIRED_FORMULAS if f not in model.formulas]
    lacking_dims = [d for d in ("year", "payer") if d not in model.dimensions]
    if missing or lacking_dims:
        loc = model.spec.locs.get("formulas", model.spec.loc)
        message = (Message("som.model_lacks_formulas", model=model.id, names=Codes(missing)) if missing
                   else Message("som.model_lacks_dimensions", model=model.id, names=Codes(lacking_dims)))
        raise HfspecError([Diagnostic("HF715", message, loc.key_span if missing else loc.span,
                                      hint=Message("som.model_lacks_hint", names=Codes(REQUIRED_FORMULAS)))])


def run(project, scenario_id: str, years: int | None = None, sessions=None) -> SomResult:
    """Load the scenario (with its model) and evaluate the base case. Raises `HfspecError`;
    warnings about the inputs are in the result's `warnings`."""
    if scenario_id not in project.scenarios:
        raise HfspecError([Diagnostic("HF302", Message("som.unknown_scenario", id=scenario_id), None,
                                      hint=did_you_mean(scenario_id, project.scenarios) or Message("som.scenarios", ids=Codes(sorted(project.scenarios)) or Message("common.none")))])
    inputs = load_scenario(project, scenario_id, years, sessions)
    check_model(inputs)
    values = evaluate(inputs)
    found = refusion_diagnostics(inputs, values)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        raise HfspecError(found)
    return SomResult(inputs, values, found)


def check_scenario(project, scenario_id: str, sessions=None) -> list[Diagnostic]:
    """What `hfspec validate` checks of a scenario, without rendering anything: its inputs against
    its model, and for a SØM model also what `run` checks. Returns the warnings; raises
    `HfspecError` with the errors."""
    inputs = load_scenario(project, scenario_id, sessions=sessions)
    if any(f not in inputs.model.formulas for f in REQUIRED_FORMULAS):
        return []  # a model of another kind (CREAM): its inputs are all there is to check
    return run(project, scenario_id, sessions=sessions).warnings


def refusion_diagnostics(inputs: ScenarioInputs, values: Mapping[str, Named]) -> list[Diagnostic]:
    """The scenario's inputs for the section 110 refusion rule, checked against what the model's
    formulas made of them: the rule of 2023 needs the nights per citizen-year when section 110
    nights fall (HF716), and a scenario without a calculation date gets the rule from before
    (HF719, a warning). The rule itself is in the model (`refusion_2023`, `price_paid_110`)."""
    spec, model = inputs.scenario, inputs.model
    names = ("refusion_2023", "nights_saved", "stay_nights", "within_share", "whole_years_share", "priced_on")
    if any(n not in values for n in names):
        return []  # a model without the rule
    loc = spec.locs.get("inputs", spec.loc)
    at = (lambda name: loc.child(name).key_span if name in spec.inputs else (loc.key_span if "inputs" in spec.locs else spec.loc.span))
    nights = values["nights_saved"].data
    nights_fall = bool(np.any(np.nan_to_num(nights) != 0))
    distribution = not np.all(np.isnan(values["stay_nights"].data))
    share = not np.all(np.isnan(values["within_share"].data))
    out: list[Diagnostic] = []
    if distribution and share:
        out.append(Diagnostic("HF716", Message("som.nights_twice"), at("within_share"), hint=Message("som.nights_twice_hint")))
    applies = bool(values["refusion_2023"].scalar() == 1)
    if applies and nights_fall and not distribution:
        date_from = date_of(inputs.values["refusion_from"].scalar())
        priced = date_of(inputs.values["priced_on"].scalar())
        if not share:
            out.append(Diagnostic("HF716", Message("som.refusion_needs_nights", date_from=date_from, priced=priced), at("priced_on"),
                                  hint=Message("som.refusion_needs_nights_hint")))
        else:
            theta = inputs.values["whole_years_share"].scalar()
            r = inputs.ranges.get("whole_years_share")
            lowest = min(theta, r.bounds(theta)[0]) if r is not None else theta
            if lowest < 1:
                out.append(Diagnostic("HF716", Message("som.shortened_stays"), at("whole_years_share"), hint=Message("som.shortened_stays_hint")))
    if nights_fall and "priced_on" not in spec.inputs:
        date_from = date_of(inputs.values["refusion_from"].scalar())
        out.append(Diagnostic("HF719", Message("som.not_priced", id=spec.id, date_from=date_from), at("priced_on"), severity=Severity.WARNING,
                              hint=Message("som.not_priced_hint", date_from=date_from)))
    return out


def internal_rate(flows: np.ndarray, times: np.ndarray) -> Irr:
    """The rate r at which the present value Σ flows_t × (1 + r)^−times_t is 0.

    Defined only when the flows change sign exactly once (ignoring zeros): then the present
    value runs from one sign to the other as r goes from −100 % to infinity, and by Descartes'
    rule of signs it is 0 at exactly one rate, found by bisection on ln(1 + r). With no change
    of sign no rate makes it 0; with several there may be several rates, and none is *the* rate.

    >>> round(internal_rate(np.array([-2500.0] + [500.0] * 19), np.arange(1.0, 21.0)).rate, 6)
    0.193004
    >>> internal_rate(np.array([100.0, 200.0]), np.array([1.0, 2.0])).note
    'no_sign_change'
    >>> internal_rate(np.array([-100.0, 230.0, -132.0]), np.array([1.0, 2.0, 3.0])).note
    'several_sign_changes'
    """
    flows = np.asarray(flows, dtype=float)
    times = np.asarray(times, dtype=float)
    largest = float(np.max(np.abs(flows))) if flows.size else 0.0
    if not largest or math.isnan(largest):
        return Irr(None, "no_cash_flows")
    kept = np.abs(flows) > IRR_ZERO * largest
    signs = np.sign(flows[kept])
    changes = int(np.sum(signs[1:] != signs[:-1]))
    if changes == 0:
        return Irr(None, "no_sign_change")
    if changes > 1:
        return Irr(None, "several_sign_changes")
    c, t = flows[kept], times[kept]

    def sign_of_value(u: float) -> float:
        # Σ c × e^(−u t), scaled by a positive factor so that no exponent is positive (no overflow)
        ref = t.max() if u < 0 else t.min()
        return float(np.sign(np.sum(c * np.exp(-u * (t - ref)))))

    low, high = IRR_LOG_BOUNDS
    s_low, s_high = sign_of_value(low), sign_of_value(high)
    if s_low == 0:
        return Irr(math.expm1(low))
    if s_high == 0:
        return Irr(math.expm1(high))
    if s_low == s_high:
        return Irr(None, "out_of_range")
    for _ in range(IRR_STEPS):
        mid = (low + high) / 2
        s_mid = sign_of_value(mid)
        if s_mid == 0:
            return Irr(math.expm1(mid))
        if s_mid == s_low:
            low = mid
        else:
            high = mid
    return Irr(math.expm1((low + high) / 2))


def internal_rates(result: SomResult) -> tuple[dict[str, Irr], Irr]:
    """The internal rate of return of each payer's and of the total net result (`net`, in fixed
    prices, undiscounted), with year t's flow at the time the model discounts it (`exponent`)."""
    net = result.array("net", "year", "payer")
    times = result.array("exponent", "year")
    by_payer = {str(p): internal_rate(net[:, j], times) for j, p in enumerate(result.payers)}
    return by_payer, internal_rate(net.sum(axis=1), times)


def evaluate(inputs: ScenarioInputs, overrides: Mapping[str, Named] | None = None, targets: tuple[str, ...] | None = None) -> dict[str, Named]:
    """Every formula's value for the scenario's inputs, with some inputs replaced (with `targets`:
    only those formulas and what they need)."""
    return evaluate_model(inputs.model, {**inputs.values, **(overrides or {})}, targets)


def _metric(inputs: ScenarioInputs, overrides: Mapping[str, Named]) -> float:
    return float(evaluate(inputs, overrides, (METRIC,))[METRIC].scalar())


def range_values(inputs: ScenarioInputs, name: str) -> tuple[Named, Named, float, float]:
    """The low and high value of an input's range (inputs with dimensions: base × factor)."""
    r = inputs.ranges[name]
    base = inputs.values[name]
    if r.relative:
        lo, hi = r.bounds(1.0)
        return Named(base.data * lo, base.dims), Named(base.data * hi, base.dims), lo, hi
    lo, hi = r.bounds(base.scalar())
    return Named(np.asarray(float(lo)), ()), Named(np.asarray(float(hi)), ()), lo, hi


def sensitivity(result: SomResult, switching_input: str = "success_rate") -> Sensitivity:
    """One-way sensitivity on every input with a range, and the switching value of one input."""
    inputs = result.inputs
    base = result.scalar(METRIC)
    rows = []
    for name in inputs.ranges:
        low, high, lo, hi = range_values(inputs, name)
        rows.append(SensitivityRow(name, lo, hi, inputs.ranges[name].relative,
                                   _metric(inputs, {name: low}), _metric(inputs, {name: high})))
    rows.sort(key=lambda r: (-r.swing, r.input))
    spec = inputs.model.spec.inputs.get(switching_input, {})
    bounds = (float(spec.get("min", 0.0)), float(spec.get("max", 1.0)))
    value = None
    if switching_input in inputs.values and not inputs.values[switching_input].dims:
        value = switching_value(lambda x: _metric(inputs, {switching_input: Named(np.asarray(x), ())}), *bounds)
    return Sensitivity(base if base is not None else math.nan, rows, switching_input, value, bounds)


def switching_value(f: Callable[[float], float], low: float, high: float, steps: int = BISECTION_STEPS) -> float | None:
    """The x in [low, high] where f(x) = 0, by bisection; None when f has the same sign at both ends.

    >>> round(switching_value(lambda x: 10 * x - 3, 0, 1), 9)
    0.3
    >>> switching_value(lambda x: x + 1, 0, 1) is None
    True
    """
    f_low, f_high = f(low), f(high)
    if math.isnan(f_low) or math.isnan(f_high):
        return None
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        return None
    for _ in range(steps):
        mid = (low + high) / 2
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def monte_carlo(result: SomResult, draws: int, seed: int, chunk_cells: int = MC_CHUNK_CELLS) -> MonteCarlo:
    """Draw every ranged input `draws` times (seeded) and summarise the results.

    All draws are sampled first, so the numbers do not depend on how the run is chunked.
    """
    inputs = result.inputs
    coords = inputs.model.dimensions
    payers = coords["payer"]
    sampled = sample(inputs, draws, seed)
    size = max(1, min(draws, chunk_cells // cells_per_draw(inputs.model)))
    by_payer = np.empty((draws, len(payers)))
    total = np.empty(draws)
    acc_year = np.empty((draws, len(coords["year"])))
    break_even = np.empty(draws)
    ret = np.empty(draws)
    chunks = 0
    for start in range(0, draws, size):
        stop = min(draws, start + size)
        part = {name: (Named(v.data[(slice(None),) * v.dims.index(DRAW) + (slice(start, stop),)], v.dims) if DRAW in v.dims else v)
                for name, v in sampled.items()}
        values = evaluate_model(inputs.model, part, MONTE_CARLO_RESULTS)
        n = stop - start
        by_payer[start:stop] = _with_draws(values["result_by_payer"], (DRAW, "payer"), coords, n)
        total[start:stop] = _with_draws(values["result_total"], (DRAW,), coords, n)
        acc_year[start:stop] = _with_draws(values["acc_total"], (DRAW, "year"), coords, n)
        break_even[start:stop] = _with_draws(values["break_even"], (DRAW,), coords, n)
        ret[start:stop] = _with_draws(values["return_per_krone"], (DRAW,), coords, n)
        chunks += 1
    percentiles = np.percentile(acc_year, [10, 50, 90], axis=0)
    return MonteCarlo(
        draws=draws, seed=seed, chunks=chunks, uncertain=sorted(inputs.ranges),
        by_payer={str(p): Summary.of(by_payer[:, i]) for i, p in enumerate(payers)}, total=Summary.of(total),
        acc_total_by_year={"p10": percentiles[0].tolist(), "p50": percentiles[1].tolist(), "p90": percentiles[2].tolist()},
        break_even_share=float((~np.isnan(break_even)).mean()), return_per_krone=Summary.of(ret), ranges=dict(inputs.ranges))


def cells_per_draw(model) -> int:
    """An upper bound of the cells of any array one draw needs: for each formula, the product of
    the sizes of every dimension that a name in it carries (no intermediate value of a formula
    has a dimension that none of its names has)."""
    sizes = {d: len(v) for d, v in model.dimensions.items()}
    types = {**model.input_types, **{n: c.type for n, c in model.formulas.items()}}
    largest = 1
    for checked in model.formulas.values():
        dims: set[str] = set()
        for node in A.walk(checked.expr):
            if isinstance(node, A.Name):
                dims.update(types[node.name].dims if node.name in types else (node.name,) if node.name in sizes else ())
        largest = max(largest, math.prod(sizes[d] for d in dims))
    return largest


def _with_draws(named: Named, dims: tuple[str, ...], coords: Mapping[str, tuple], n: int) -> np.ndarray:
    """A result with a leading draw axis of length n (results that do not vary are repeated)."""
    sizes = {d: len(coords[d]) for d in dims if d != DRAW}
    sizes[DRAW] = n
    sizes.update({d: k for d, k in zip(named.dims, named.data.shape)})
    return np.broadcast_to(named.aligned(dims, sizes), [sizes[d] for d in dims])
