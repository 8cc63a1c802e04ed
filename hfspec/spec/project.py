"""Paths → `Project`: files read, documents validated, catalogues resolved (include, extends,
select, drop, override), every expression parsed and checked (a key figure's: `spec/indicators.py`),
`ref()` dependencies ordered.

All problems of all files are collected and raised together as one `HfspecError`.
"""

from __future__ import annotations

import dataclasses
import graphlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, Severity, did_you_mean, os_reason
from hfspec.lang import types as T
from hfspec.lang.check import CheckedExpr, Context, check, has_aggregate
from hfspec.lang.parser import parse
from hfspec.lang.scope import ColumnRef, TableScope
from hfspec.messages import Codes
from hfspec.resources import national_catalogue, standard_datasets
from hfspec.source import display_path
from hfspec.spec import cache
from hfspec.spec import model as M
from hfspec.spec.indicators import CompiledIndicator, check_headline, compile_indicator, make_scope, param_type, parse_checked, resolve_column
from hfspec.spec.mapping import CompiledMapping, MappingSpec, build_mapping, compile_mapping
from hfspec.spec.cache import Dependencies, GlobLoop

if TYPE_CHECKING:
    from hfspec.spec.yamlsource import Document

YAML_SUFFIXES = (".yaml", ".yml")
#: How each kind of validated document becomes a spec object.
BUILDERS = {**M.BUILDERS, "Mapping": build_mapping}


@dataclass
class CompiledRule:
    spec: M.RuleSpec
    scope: TableScope
    condition: CheckedExpr
    grouped: bool
    filter: CheckedExpr | None = None
    by: list[ColumnRef] = field(default_factory=list)
    show: list[tuple[str, CheckedExpr]] = field(default_factory=list)
    time: ColumnRef | None = None


@dataclass
class Project:
    """Everything loaded from a set of paths, resolved and checked."""

    datasets: dict[str, M.DatasetSpec] = field(default_factory=dict)
    indicators: dict[str, M.IndicatorSpec] = field(default_factory=dict)  # the selected ones, in order
    all_indicators: dict[str, M.IndicatorSpec] = field(default_factory=dict)
    catalogue: M.CatalogueSpec | None = None
    catalogues: dict[str, M.CatalogueSpec] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    goals: tuple[M.Goal, ...] = ()
    models: dict[str, M.ModelSpec] = field(default_factory=dict)
    scenarios: dict[str, M.ScenarioSpec] = field(default_factory=dict)
    rules: dict[str, M.RuleSpec] = field(default_factory=dict)
    mapping_specs: dict[str, MappingSpec] = field(default_factory=dict)
    mappings: dict[str, CompiledMapping] = field(default_factory=dict)  # checked, by mapping id
    compiled: dict[str, CompiledIndicator] = field(default_factory=dict)
    compiled_rules: dict[str, CompiledRule] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def scope(self, dataset: str | None) -> TableScope:
        return make_scope(self.datasets, dataset, self.params, frozenset(self.all_indicators))

    def evaluation_order(self, ids: Iterable[str]) -> list[str]:
        """`ids` and everything they refer to, dependencies first."""
        wanted: set[str] = set()
        stack = list(ids)
        while stack:
            current = stack.pop()
            if current in wanted:
                continue
            wanted.add(current)
            stack.extend(self.compiled[current].measure.refs)
        return [i for i in self.order if i in wanted]

    def with_params(self, overrides: dict[str, Any], indicators: Iterable[str] | None = None) -> "Project":
        """A new project whose catalogue params are replaced by `overrides` (e.g. `reference_date`
        from `--reference-date`), with every key figure and rule checked again (or only the key
        figures `indicators` and those they refer to, as a spec example needs). This project is
        not changed. Raises `HfspecError` when an expression no longer checks."""
        if not overrides:
            return self
        new = dataclasses.replace(self, params={**self.params, **overrides}, compiled={}, compiled_rules={}, order=[], mappings={})
        bag = DiagnosticBag()
        if indicators is None:
            _compile_indicators(new, bag)
            _compile_rules(new, bag)
            _compile_mappings(new, bag)
        else:
            for iid in self.evaluation_order(indicators):
                compiled = compile_indicator(new, self.all_indicators[iid], bag)
                if compiled is not None:
                    new.compiled[iid] = compiled
            new.order = [i for i in self.order if i in new.compiled]
        bag.raise_if_errors()
        return new

    def mapping_for(self, dataset: str) -> CompiledMapping | None:
        """The checked mapping that makes `dataset` from exports, if the project has one."""
        return next((m for m in self.mappings.values() if m.spec.dataset == dataset), None)

    def breakdown_columns(self) -> dict[str, set[str]]:
        """The columns (by dataset) that key figures and rules break down by: outputs print their
        values as group labels."""
        found: dict[str, set[str]] = {}
        for compiled in (*self.compiled.values(), *self.compiled_rules.values()):
            for ref in compiled.by:
                found.setdefault(ref.dataset, set()).add(ref.column)
        return found

    def catalogue_chain(self) -> list[M.CatalogueSpec]:
        """The root catalogue and the catalogues it extends, nearest first."""
        by_path = {Path(c.loc.file).resolve(): c for c in self.catalogues.values() if c.loc is not None}
        chain: list[M.CatalogueSpec] = []
        current = self.catalogue
        while current is not None and current not in chain:
            chain.append(current)
            if not current.extends or current.loc is None:
                break
            parent = national_catalogue() if current.extends == "national" else Path(current.loc.file).parent / current.extends
            current = by_path.get(parent.resolve())
        return chain

    @property
    def lang(self) -> str | None:
        """The catalogue's `lang:` (or that of the nearest catalogue it extends that has one), or None."""
        return next((c.lang for c in self.catalogue_chain() if c.lang), None)

    def rules_in(self, paths: Iterable[Path]) -> list[str]:
        """The ids of the compiled rules defined in files at or under `paths`, in file order."""
        roots = [Path(p).resolve() for p in paths]
        return [rid for rid, rule in self.compiled_rules.items()
                if rule.spec.loc is not None and any(_under(Path(rule.spec.loc.file).resolve(), root) for root in roots)]


def _under(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def include_relative(pattern: str) -> bool:
    """Whether an `include:` pattern is relative to the catalogue file, as it must be: not
    starting with `/`, `\\` or a drive. (It may go up with `..`, to files shared by catalogues.)

    >>> include_relative("outcome/*.yaml"), include_relative("../shared/*.yaml"), include_relative("/etc/*.yaml"), include_relative("C:/x.yaml")
    (True, True, False, False)
    """
    from pathlib import PurePosixPath, PureWindowsPath

    text = pattern.replace("\\", "/")
    return not (PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive or PureWindowsPath(text).root)



class _Loader:
    def __init__(self) -> None:
        self.bag = DiagnosticBag()
        self.seen: dict[Path, list[Document]] = {}
        self.order: list[Path] = []
        self.deps = Dependencies()  # every file read and folder listed, for the cache
        self.broken: list[Path] = []  # files that could not be read as YAML (their errors are reported)

    def yaml_files(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        return [p for p in self.deps.glob(folder, pattern, recursive) if p.suffix in YAML_SUFFIXES and p.is_file()]

    def load_file(self, path: Path) -> list[Document]:
        real = path.resolve()
        if real in self.seen:
            return self.seen[real]
        self.seen[real] = []
        from hfspec.spec.yamlsource import MAX_YAML_BYTES, decode_spec, load_documents

        try:
            if real.stat().st_size > MAX_YAML_BYTES:  # before reading: a huge file is never read into memory
                self.bag.error("HF109", Message("project.file_too_large", path=display_path(path), n=MAX_YAML_BYTES), None,
                               hint=Message("project.file_too_large_hint"))
                self.broken.append(real)
                return []
            raw = self.deps.read(path, MAX_YAML_BYTES)
        except OSError as error:
            self.bag.error("HF100", Message("project.cannot_read", path=display_path(path), reason=os_reason(error)), None)
            return []
        source = decode_spec(raw, display_path(path), self.bag)
        if source is None:
            self.broken.append(real)
            return []
        errors = len([d for d in self.bag if d.severity is Severity.ERROR])
        docs = load_documents(source, self.bag)
        if not docs and len([d for d in self.bag if d.severity is Severity.ERROR]) > errors:
            self.broken.append(real)  # it could not be read: what it defines is unknown, so no follow-ups
        self.seen[real] = docs
        self.order.append(real)
        return docs

    def load_path(self, path: Path) -> None:
        if path.is_dir():
            try:
                files = self.yaml_files(path, "*", recursive=True)
            except GlobLoop as loop:
                self.bag.error("HF317", Message("project.folder_loop", path=display_path(loop.path)), None,
                               hint=Message("project.folder_loop_hint", folder=display_path(path)))
                return
            for file in files:
                self.load_file(file)
        elif path.is_file():
            self.load_file(path)
        else:
            self.bag.error("HF100", Message("project.no_path", path=path), None, hint=Message("project.no_path_hint"))


def load_project(paths: Iterable[str | Path], standard: bool = True, strict_select: bool = True,
                 defaults: Iterable[str | Path] = ()) -> Project:
    """Load, validate, resolve and check everything under `paths`. Raises `HfspecError`.

    `standard` adds the standard Dataset specs (specs/datasets); `defaults` are further spec files
    whose documents count only where the files under `paths` do not define the same kind and id
    (the derived datasets, whose contract is hfspec's). A project loaded before from unchanged
    files comes from the cache (spec/cache.py)."""
    paths = [Path(p) for p in paths]
    defaults = [Path(p) for p in defaults]
    options: dict[str, Any] = {"standard": standard, "strict_select": strict_select}
    if defaults:
        options["defaults"] = [str(d) for d in defaults]
    entry = cache.key(paths, options)
    cached = cache.lookup(entry)
    if cached is not None:
        return cached
    project, deps = _load_project(paths, standard, strict_select, defaults)
    cache.store(entry, deps, project)
    return project


def _load_project(paths: list[Path], standard: bool, strict_select: bool, defaults: list[Path] = ()) -> tuple[Project, Dependencies]:
    from hfspec.spec.schema import validate_document

    loader = _Loader()
    for p in paths:
        loader.load_path(Path(p))
    bag = loader.bag
    project = Project()

    # 1. validate and build every document; follow catalogue includes and extends as we go
    specs: list[tuple[str, Any, Document]] = []
    broken_ids = _BrokenIds()
    owners: dict[int, str] = {}  # id(indicator spec) -> catalogue id that includes it
    file_of: dict[int, Path] = {}
    catalogue_members: dict[str, list[M.IndicatorSpec]] = {}
    catalogue_files: dict[str, Path] = {}
    extends_path: dict[str, Path | None] = {}
    queue = list(loader.order)
    done: set[Path] = set()
    while queue:
        file = queue.pop(0)
        if file in done:
            continue
        done.add(file)
        for doc in loader.seen.get(file, []):
            M.read_scenario_numbers(doc)
            problems = validate_document(doc)
            if problems or doc.refused or doc.reported:
                bag.extend(problems)
                if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                    broken_ids.add(doc.data["id"])  # already reported: no "unknown id" follow-ups
                continue
            kind = doc.data["kind"]
            spec = BUILDERS[kind](doc)
            specs.append((kind, spec, doc))
            file_of[id(spec)] = file
            if kind == "Catalogue":
                catalogue_files[spec.id] = file
                for key, patterns in (("include", spec.include), ("mappings", spec.mappings)):
                    for i, pattern in enumerate(patterns):
                        span = spec.locs[key].child(i).span
                        if not include_relative(pattern):
                            bag.error("HF316", Message("project.include_absolute", key=key, pattern=pattern), span,
                                      hint=Message("project.include_absolute_hint"))
                            continue
                        try:
                            matches = loader.yaml_files(file.parent, pattern)
                        except GlobLoop as loop:
                            bag.error("HF317", Message("project.include_loop", key=key, pattern=pattern, path=display_path(loop.path)), span,
                                      hint=Message("project.include_loop_hint"))
                            continue
                        if not matches:
                            bag.warning("HF304", Message("project.include_nothing", key=key, pattern=pattern), span, hint=Message("project.include_nothing_hint"))
                        for match in matches:
                            loader.load_file(match)
                            queue.append(match.resolve())
                if spec.extends:
                    target = national_catalogue() if spec.extends == "national" else (file.parent / spec.extends)
                    if not target.is_file():
                        bag.error("HF302", Message("project.extends_nothing", extends=spec.extends), spec.locs["extends"].span,
                                  hint=Message("project.extends_nothing_hint"))
                        extends_path[spec.id] = None
                    else:
                        extends_path[spec.id] = target.resolve()
                        loader.load_file(target)
                        queue.append(target.resolve())
    if standard:
        for file in loader.yaml_files(standard_datasets(), "*.yaml"):
            if file.resolve() in loader.seen:
                continue
            for doc in loader.load_file(file):
                problems = validate_document(doc)
                if problems:
                    bag.extend(problems)
                    continue
                spec = M.build_dataset(doc)
                specs.append(("StandardDataset", spec, doc))
    for file in defaults:
        if file.resolve() in loader.seen:  # given among the paths too: then it is the user's own
            continue
        for doc in loader.load_file(file):
            problems = validate_document(doc)
            if problems or doc.refused or doc.reported:
                bag.extend(problems)
                continue
            specs.append((f"Default{doc.data['kind']}", BUILDERS[doc.data["kind"]](doc), doc))
    project.files = [str(display_path(p)) for p in loader.order]

    # 2. register specs by kind, refusing duplicate ids
    seen_ids: dict[tuple[str, str], Any] = {}
    defaulted = [(kind.removeprefix("Default"), spec) for kind, spec, _ in specs if kind.startswith("Default")]
    for kind, spec, doc in specs:
        if kind == "StandardDataset":
            project.datasets.setdefault(spec.id, spec)  # a user's own dataset spec wins
            continue
        if kind.startswith("Default"):
            continue
        key = (kind, spec.id)
        if key in seen_ids:
            first = seen_ids[key]
            bag.add(Diagnostic("HF301", Message("project.defined_twice", kind=kind, id=spec.id), spec.locs["id"].span,
                               hint=Message("project.defined_twice_hint", first=str(first.locs['id'].span))))
            continue
        seen_ids[key] = spec
        target = {"Dataset": project.datasets, "Indicator": project.all_indicators, "Catalogue": project.catalogues,
                  "Model": project.models, "Scenario": project.scenarios, "Rule": project.rules, "Mapping": project.mapping_specs}[kind]
        if kind == "Dataset":
            project.datasets[spec.id] = spec
        else:
            target[spec.id] = spec
    for kind, spec in defaulted:  # after the user's own, which win
        target = {"Dataset": project.datasets, "Indicator": project.all_indicators, "Catalogue": project.catalogues,
                  "Model": project.models, "Scenario": project.scenarios, "Rule": project.rules, "Mapping": project.mapping_specs}[kind]
        target.setdefault(spec.id, spec)
    # indicators belonging to each catalogue: included files and documents of the catalogue's own file
    for cid, cfile in catalogue_files.items():
        cat = project.catalogues.get(cid)
        if cat is None:
            continue
        members = []
        included = {cfile}
        for pattern in cat.include:
            if include_relative(pattern):
                try:
                    included.update(p.resolve() for p in loader.deps.glob(cfile.parent, pattern))
                except GlobLoop:  # reported when the catalogue was read
                    pass
        for ind in project.all_indicators.values():
            if file_of.get(id(ind)) in included:
                members.append(ind)
                owners[id(ind)] = cid
        catalogue_members[cid] = members

    _check_datasets(project, bag)
    _add_unparsed_ids(loader, broken_ids)
    _resolve_catalogues(project, bag, catalogue_members, catalogue_files, extends_path, owners, strict_select, broken_ids)
    _compile_indicators(project, bag)
    _compile_rules(project, bag)
    _compile_mappings(project, bag)
    if bag.has_errors:
        raise HfspecError(bag.items)
    project.warnings = [d for d in bag.items]
    return project, loader.deps


class _BrokenIds(set):
    """Ids of specs that were reported broken, so that nothing that names them is reported again
    ("select: names HF-X, which the catalogue does not have" after the YAML error in HF-X's file).
    `everything`: a file that could not be read named ids that cannot be known."""

    everything = False

    def __contains__(self, item: object) -> bool:
        return self.everything or super().__contains__(item)


#: An `id:` line of a spec file (a document's own id), for files that could not be parsed.
_ID_LINE = re.compile(r"^(?:---\s*)?id:\s*[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)


def _add_unparsed_ids(loader: _Loader, ids: _BrokenIds) -> None:
    """Add the ids defined in files that could not be read as YAML, from their `id:` lines; when
    such a file has no `id:` line that can be read, every id counts as possibly defined there."""
    for path in loader.broken:
        found = _ID_LINE.findall(path.read_bytes().decode("utf-8", errors="replace"))
        ids.update(found)
        ids.everything |= not found


def _check_datasets(project: Project, bag: DiagnosticBag) -> None:
    for d in project.datasets.values():
        for c in d.columns.values():
            if c.references:
                target, _, column = c.references.partition(".")
                if target not in project.datasets or column not in project.datasets[target].columns:
                    bag.error("HF305", Message("project.bad_reference", references=c.references), c.loc.child("references").span,
                              hint=did_you_mean(target, project.datasets) if target not in project.datasets else did_you_mean(column, project.datasets[target].columns))
        if d.time and (d.time not in d.columns or d.columns[d.time].type != "date"):
            dates = [c for c, col in d.columns.items() if col.type == "date"]
            hint = (did_you_mean(d.time, dates) if d.time not in d.columns else
                    Message("project.time_dates", columns=Codes(dates)) if dates else Message("project.time_no_dates"))
            bag.error("HF308", Message("project.bad_time", time=d.time, dataset=d.id), d.locs["time"].span, hint=hint)
        for k in d.key:
            if k not in d.columns:
                bag.error("HF311", Message("project.bad_key", column=k, dataset=d.id), d.locs["key"].span, hint=did_you_mean(k, d.columns))
        for c in d.columns.values():
            for value in c.value_titles:
                if value not in c.values:
                    span = c.loc.child("value_titles", value).key_span
                    if c.type != "enum":
                        bag.error("HF314", Message("project.titles_not_enum", column=c.name, type=c.type), span)
                    else:
                        bag.error("HF314", Message("project.title_unknown_value", value=value, column=c.name), span,
                                  hint=did_you_mean(value, c.values) or Message("project.column_values", values=Codes(c.values)))
        for c in d.columns.values():
            if c.type == "enum":
                _check_enum_words(c, bag)


def _check_enum_words(column: M.ColumnSpec, bag: DiagnosticBag) -> None:
    """An enum column's aliases name its values, and no two of its words (values and aliases)
    fold alike unless they mean the same value: a cell must have one reading."""
    seen: dict[str, tuple[str, str]] = {}  # folded word -> (word, the value it means)
    for i, value in enumerate(column.values):
        folded = M.fold_value(value)
        if folded in seen:
            bag.error("HF313", Message("project.values_fold_alike", first=seen[folded][0], second=value, column=column.name, folded=folded),
                      column.loc.child("values", i).span, hint=Message("project.values_fold_alike_hint"))
            continue
        seen[folded] = (value, value)
    raw = column.loc.doc.get(column.loc.path + ("aliases",)) if column.loc else None
    for value, listed in (raw or {}).items():
        loc = column.loc.child("aliases", value)
        if value not in column.values:
            bag.error("HF312", Message("project.alias_unknown_value", value=value, column=column.name), loc.key_span,
                      hint=did_you_mean(value, column.values) or Message("project.column_values", values=Codes(column.values)))
            continue
        for i, word in enumerate([listed] if isinstance(listed, str) else listed):
            folded = M.fold_value(word)
            first = seen.get(folded)
            if first is not None and first[1] != value:
                bag.error("HF313", Message("project.alias_folds_alike", word=word, value=value, other=first[0], other_value=first[1], folded=folded),
                          loc.span if isinstance(listed, str) else loc.child(i).span,
                          hint=Message("project.alias_folds_alike_hint"))
                continue
            seen.setdefault(folded, (word, value))


def _resolve_catalogues(project: Project, bag: DiagnosticBag, members: dict[str, list[M.IndicatorSpec]], files: dict[str, Path],
                        extends_path: dict[str, Path | None], owners: dict[int, str], strict_select: bool,
                        broken_ids: set[str] = frozenset()) -> None:
    by_file = {path: cid for cid, path in files.items()}
    parent_of = {cid: by_file.get(path) for cid, path in extends_path.items() if path is not None}
    graph = {cid: ([parent_of[cid]] if parent_of.get(cid) else []) for cid in project.catalogues}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        cycle = error.args[1]
        for cid in cycle[:-1]:
            bag.error("HF303", Message("project.catalogue_cycle", cycle=" → ".join(cycle)), project.catalogues[cid].locs.get("extends", project.catalogues[cid].loc).span)
        return
    resolved: dict[str, tuple[dict[str, M.IndicatorSpec], dict[str, Any], tuple[M.Goal, ...]]] = {}
    for cid in order:
        cat = project.catalogues.get(cid)
        if cat is None:
            continue
        parent = parent_of.get(cid)
        indicators, params, goals = ({}, {}, ()) if parent is None or parent not in resolved else (dict(resolved[parent][0]), dict(resolved[parent][1]), resolved[parent][2])
        for ind in members.get(cid, []):
            indicators[ind.id] = ind
        params.update(cat.params)
        goals = cat.goals or goals
        for i, drop in enumerate(cat.drop):
            if drop not in indicators and drop not in broken_ids:
                bag.error("HF306", Message("project.not_in_catalogue", key="drop", id=drop), cat.loc.child("drop", i).span, hint=did_you_mean(drop, indicators))
            indicators.pop(drop, None)
        for iid, patch in cat.override.items():
            if iid not in indicators:
                if iid in broken_ids:
                    continue
                bag.error("HF306", Message("project.not_in_catalogue", key="override", id=iid), cat.loc.child("override", iid).key_span, hint=did_you_mean(iid, indicators))
                continue
            indicators[iid] = M.override_indicator(indicators[iid], patch, cat.loc.doc, ("override", iid))
        if cat.select is not None:
            chosen = {}
            for i, iid in enumerate(cat.select):
                if iid not in indicators:
                    if strict_select and iid not in broken_ids:
                        bag.error("HF306", Message("project.not_in_catalogue", key="select", id=iid), cat.loc.child("select", i).span, hint=did_you_mean(iid, indicators))
                    continue
                chosen[iid] = indicators[iid]
            indicators = chosen
        resolved[cid] = (indicators, params, goals)
    extended = {p for p in parent_of.values() if p}
    roots = [cid for cid in project.catalogues if cid not in extended and cid in resolved]
    loose = {i.id: i for i in project.all_indicators.values() if id(i) not in owners}
    selected: dict[str, M.IndicatorSpec] = {}
    params: dict[str, Any] = {}
    for cid in sorted(roots, key=lambda c: str(files.get(c))):
        indicators, cat_params, goals = resolved[cid]
        selected.update(indicators)
        params.update(cat_params)
        project.goals = project.goals or goals
    # parameters of extended catalogues stay visible to their own indicators
    for cid in order:
        for key, value in resolved.get(cid, ({}, {}, ()))[1].items():
            params.setdefault(key, value)
    selected.update(loose)
    project.indicators = selected
    project.params = params
    if len(roots) == 1:
        project.catalogue = project.catalogues[roots[0]]
    # overridden versions replace the originals everywhere
    for iid, spec in selected.items():
        project.all_indicators[iid] = spec


def breakdown_names(project: Project, iid: str) -> tuple[list[str], str | None]:
    """(breakdowns, period) of a key figure's results: its `by` and `period`, or for a derived key
    figure the union of those of the key figures it refers to (as `engine.tables.derive` combines them)."""
    compiled = project.compiled[iid]
    spec = compiled.spec
    if not spec.derived:
        return list(spec.by), spec.period
    names: list[str] = []
    period = None
    for ref in compiled.measure.refs:
        sub, sub_period = breakdown_names(project, ref)
        period = period or sub_period
        names += [b for b in sub if b not in names]
    return names, period


def _compile_indicators(project: Project, bag: DiagnosticBag) -> None:
    for spec in project.all_indicators.values():
        compiled = compile_indicator(project, spec, bag)
        if compiled is not None:
            project.compiled[spec.id] = compiled
    graph = {iid: set(c.measure.refs) for iid, c in project.compiled.items()}
    try:
        project.order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        cycle = error.args[1]
        for iid in dict.fromkeys(cycle):
            spec = project.all_indicators[iid]
            bag.error("HF303", Message("project.indicator_cycle", cycle=" → ".join(cycle)), spec.locs["measure"].span,
                      hint=Message("project.indicator_cycle_hint"))
        return
    for iid in project.order:  # (the order also holds the refs that did not compile: their errors are reported)
        compiled = project.compiled.get(iid)
        if compiled is not None and compiled.spec.derived and all(r in project.compiled for r in compiled.measure.refs):
            check_headline(compiled.spec, *breakdown_names(project, iid), bag)


def _compile_rules(project: Project, bag: DiagnosticBag) -> None:
    for spec in project.rules.values():
        if spec.dataset is None or spec.dataset not in project.datasets:
            if spec.dataset is not None:
                bag.error("HF302", Message("project.unknown_dataset", dataset=spec.dataset), spec.locs["dataset"].span, hint=did_you_mean(spec.dataset, project.datasets))
            else:
                bag.error("HF202", Message("project.rule_needs_dataset"), spec.loc.span)
            continue
        scope = project.scope(spec.dataset)
        flt = parse_checked(spec.filter, spec.locs["filter"], scope, Context.ROW, "filter", bag) if spec.filter else None
        try:
            expr = parse(spec.assert_, spec.locs["assert"].locate())
        except HfspecError as error:
            bag.extend(error.diagnostics)
            continue
        grouped = has_aggregate(expr)
        condition, problems = check(expr, scope, Context.MEASURE if grouped else Context.ROW, "assert")
        bag.extend(problems)
        by = [r for i, name in enumerate(spec.by) if (r := resolve_column(name, scope, spec.locs["by"].child(i), bag, "by")) is not None]
        show = []
        for i, text in enumerate(spec.show):
            c = parse_checked(text, spec.locs["show"].child(i), scope, Context.MEASURE if grouped else Context.ROW, "show", bag)
            if c is not None:
                show.append((text, c))
        time = None
        if spec.period:
            ds = project.datasets[spec.dataset]
            if not ds.time:
                bag.error("HF310", Message("project.period_without_time", period=spec.period), spec.locs["period"].span,
                          hint=Message("project.period_without_time_hint", dataset=ds.id))
            else:
                time = ColumnRef(ds.id, ds.time, T.DATE)
        if condition is not None:
            project.compiled_rules[spec.id] = CompiledRule(spec, scope, condition, grouped, flt, by, show, time)


def _compile_mappings(project: Project, bag: DiagnosticBag) -> None:
    """Check every mapping against its dataset; a dataset gets its rows from at most one mapping."""
    by_dataset: dict[str, MappingSpec] = {}
    for spec in project.mapping_specs.values():
        first = by_dataset.setdefault(spec.dataset, spec)
        if first is not spec:
            bag.error("HF324", Message("project.two_mappings", dataset=spec.dataset, first=first.id, second=spec.id), spec.locs["dataset"].span,
                      hint=Message("project.two_mappings_hint", at=str(first.locs["dataset"].span)))
            continue
        compiled = compile_mapping(spec, project.datasets, project.params, bag, param_type)
        if compiled is not None:
            project.mappings[spec.id] = compiled
