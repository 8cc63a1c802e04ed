"""Catalogue + data + settings → a `Session`: the checked project and one DuckDB connection.

Every command and library entry point makes one session (or is given one) and passes it down,
the way Jinja passes its `Environment`. A session

- loads the project once: the catalogue, any further spec files (rules, double-bottom-line
  signals, scenarios) and the derived datasets' specs, with the settings' parameters (the
  reference date) applied to a new project, never to the loaded one;
- holds one DuckDB connection, into which each dataset is ingested at most once, when a stage
  first asks for it (`require`); derived datasets (`dbl_maaned`) are computed there from theirs;
- evaluates key figures (`evaluate`) and rules (`evaluate_rules`) on that connection.

Nothing is cached between sessions here: what two stages share, they share through the session
they are given. `stats` counts project loads and ingestions so that tests can hold the promise
"`hfspec report` loads once and ingests each dataset once".

    >>> from hfspec.session import Session, Settings
    >>> with Session(settings=Settings(k=10, lang="en")) as session:      # doctest: +SKIP
    ...     result = session.evaluate(["HF-O-09"])
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from hfspec.data.ingest import LoadedDataset, closure, find_file, load_data
from hfspec.diagnostics import Diagnostic, HfspecError, Message, Severity, did_you_mean
from hfspec.engine import derived
from hfspec.engine.results import Result
from hfspec.messages import Codes
from hfspec.resources import demo_data, national_catalogue
from hfspec.settings import Settings, choose_lang
from hfspec.source import display_path
from hfspec.spec.project import Project, load_project

__all__ = ["Session", "Sessions", "Settings", "SessionStats"]


@dataclass
class SessionStats:
    """What a session did: how often the project was loaded, and how often each dataset was read."""

    project_loads: int = 0
    ingested: Counter = field(default_factory=Counter)


class Session:
    """One run: settings, the loaded project and the connection with the data (see the module docstring).

    `catalogue` is a catalogue file or folder (default: the national catalogue); `data` a folder
    with one file per dataset (default: the shipped demo data). A project with mappings and no
    `data` reads its datasets from the municipality's exports through the mappings instead
    (`from_exports`). `specs` are further spec files or folders loaded into the same project
    (rules, signals, scenarios). `project` gives an already loaded project instead (spec examples
    do this with their own parameters).
    """

    def __init__(self, catalogue: Path | None = None, data: Path | None = None, settings: Settings | None = None, *,
                 specs: Sequence[Path] = (), project: Project | None = None) -> None:
        self.settings = settings or Settings()
        self.catalogue = Path(catalogue) if catalogue is not None else national_catalogue()
        self.data = Path(data) if data is not None else demo_data()
        self.data_given = data is not None
        self.mapped = None  # what the mappings did, when the data comes from exports (hfspec.data.mapping.MappedData)
        self.specs = tuple(Path(p) for p in specs)
        self.stats = SessionStats()
        self.loaded: dict[str, LoadedDataset] = {}  # datasets read from files, in the order read
        self.built: set[str] = set()  # derived datasets computed
        self.data_warnings: list[Diagnostic] = []
        self._rule_outcomes: dict[str, Any] = {}
        self._loaded = project  # as loaded: the catalogue's own parameters
        self._project = project.with_params(self.settings.params()) if project is not None else None
        self._con = None

    # ------------------------------------------------------------------ the project

    @property
    def project(self) -> Project:
        """The project, loaded (and its parameters set from the settings) the first time it is asked for."""
        if self._project is None:
            self._loaded = load_project([self.catalogue, *self.specs], defaults=derived.spec_files())
            self.stats.project_loads += 1
            self._project = self._loaded.with_params(self.settings.params())
        return self._project

    @property
    def lang(self) -> str:
        """The language of the run's words and messages: `--lang` (the settings'), else the
        catalogue's `lang:`, else Danish. Loads the project when `--lang` was not given."""
        return choose_lang(self.settings.lang, None if self.settings.lang else self.project.lang)

    @property
    def catalogue_params(self) -> dict[str, Any]:
        """The catalogue's own parameters, before the settings override any (reports note a difference)."""
        self.project  # noqa: B018 - loads it
        return dict(self._loaded.params)

    def catalogue_files(self) -> list[str]:
        """The spec files that define the key figures: the project's files except the further
        specs (rules, signals) and the derived datasets' specs. A stored run is keyed by them."""
        others = [p.resolve() for p in (*self.specs, *derived.spec_files())]
        return [f for f in self.project.files if not any(Path(f).resolve() == o or Path(f).resolve().is_relative_to(o) for o in others)]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The project's warnings, then the data's."""
        return list(self.project.warnings) + list(self.data_warnings)

    # ------------------------------------------------------------------ the data

    @property
    def con(self):
        """The session's DuckDB connection (in memory), opened the first time it is asked for."""
        if self._con is None:
            import duckdb

            self._con = duckdb.connect()
        return self._con

    def add_table(self, dataset: str, columns_sql: str, rows: Iterable[Sequence[Any]] = ()) -> None:
        """A table given as rows rather than read from a file (spec examples): `columns_sql` is the
        column list of CREATE TABLE. The rows are trusted: they are checked by the caller."""
        from hfspec.lang.sql import quote_ident

        self.con.execute(f"CREATE TABLE {quote_ident(dataset)} ({columns_sql})")
        rows = list(rows)
        if rows:
            self.con.executemany(f"INSERT INTO {quote_ident(dataset)} VALUES ({', '.join('?' for _ in rows[0])})", rows)
        self.built.add(dataset)

    def has(self, dataset: str) -> bool:
        return dataset in self.loaded or dataset in self.built

    @property
    def from_exports(self) -> bool:
        """Whether the datasets come from the exports through the project's mappings (the project
        has mappings, and no data folder was given)."""
        return not self.data_given and bool(self.project.mappings)

    def data_label(self) -> str:
        """Where the data comes from, as outputs name it: the data folder, or the folder of the
        mappings when the data comes from exports."""
        if self.from_exports:
            import os

            folders = sorted({str(m.spec.folder) for m in self.project.mappings.values()})
            return display_path(os.path.commonpath(folders) if folders else ".")
        return display_path(self.data)

    def has_source(self, dataset: str) -> bool:
        """Whether a dataset can be read: it has a mapping (from exports), or a file in the data folder."""
        if self.from_exports:
            return self.project.mapping_for(dataset) is not None
        return find_file(self.data, dataset) is not None

    def require(self, datasets: Iterable[str]) -> None:
        """Make sure the datasets (and those they reference) are in the connection: read the ones
        not read yet, in one batch, and compute the derived ones. Raises `HfspecError` on bad data."""
        project = self.project
        names = [d for d in dict.fromkeys(datasets) if not self.has(d)]
        wanted_derived = [d for d in names if d in derived.DERIVED]
        from_files = [d for d in names if d not in derived.DERIVED]
        for d in wanted_derived:
            from_files += [s for s in derived.source_datasets(d, self.has_source, from_files) if s not in from_files and not self.has(s)]
        if from_files:
            if self.from_exports:
                got = self._map(from_files)
            else:
                got = load_data(self.con, project.datasets, self.data, needed=from_files, allow_invalid_rows=self.settings.allow_invalid_rows,
                                present=self.loaded, labels=project.breakdown_columns())
            for name, item in got.loaded.items():
                self.loaded[name] = item
                self.stats.ingested[name] += 1
            self.data_warnings += [w for w in got.warnings if (w.code, w.message) not in {(x.code, x.message) for x in self.data_warnings}]
        for d in wanted_derived:
            derived.build_table(self.con, project, d)
            self.built.add(d)

    def _map(self, datasets: list[str]):
        """Read datasets from the exports through the project's mappings (every dataset needed, and
        every dataset they reference, must have one)."""
        from hfspec.data.mapping import mapped_datasets, run_mappings

        have, missing = mapped_datasets(self.project, [d for d in datasets if not self.has(d)])
        missing += [d for d in closure(self.project.datasets, datasets) if d not in have and d not in missing and not self.has(d)]
        if missing:
            raise HfspecError([Diagnostic("HF501", Message("data.no_mapping", n=len(missing), names=Codes(missing)), None,
                                          hint=Message("data.no_mapping_hint"))])
        got = run_mappings(self.con, self.project, have, key_file=self.settings.key_file, allow_invalid_rows=self.settings.allow_invalid_rows,
                           present=self.loaded)
        if self.mapped is None:
            self.mapped = got
        else:
            self.mapped.loaded.update(got.loaded)
            self.mapped.reports.update(got.reports)
        return got

    def files(self) -> dict[str, str]:
        """The file name each loaded dataset was read from (rule findings name it)."""
        return {k: v.path.name for k, v in self.loaded.items()}

    # ------------------------------------------------------------------ key figures

    def select(self, ids: Sequence[str] = (), types: Sequence[str] = ()) -> list[str]:
        """The key figures to evaluate: `ids` (checked), else the selected ones, of `types` only."""
        project = self.project
        chosen = list(project.indicators)
        if ids:
            unknown = [i for i in ids if i not in project.compiled]
            if unknown:
                raise HfspecError([Diagnostic("HF605", Message("engine.unknown_indicator", id=u), None, hint=did_you_mean(u, project.compiled)) for u in unknown])
            chosen = list(ids)
        if types:
            chosen = [i for i in chosen if project.compiled[i].spec.type in types]
        return [i for i in chosen if i in project.compiled]

    def needed(self, ids: Sequence[str]) -> list[str]:
        """The datasets the key figures (and those they refer to) read, with the datasets they reference."""
        project = self.project
        needed = sorted({d for i in project.evaluation_order(ids) for d in project.compiled[i].datasets()} if ids else set())
        return closure(project.datasets, [d for d in needed if d not in derived.DERIVED]) + [d for d in needed if d in derived.DERIVED]

    def evaluate(self, ids: Sequence[str] = (), types: Sequence[str] = (), progress=None, totals: bool = False,
                 unit: str | None = None) -> Result:
        """Compute key figures (all selected ones by default) with disclosure control at the settings' k
        (primary, then secondary suppression over the result's linked tables, `engine.secondary`);
        with `totals`, their total rows and changes since the previous period too; with `unit` (a
        column such as `kommune`), their headline per value of that column and over all of them."""
        from hfspec.engine.secondary import apply_secondary
        from hfspec.engine.tables import evaluate

        chosen = self.select(ids, types)
        needed = self.needed(chosen)
        self.require(needed)
        s = self.settings
        result = evaluate(self.project, self.con, chosen, s.k, s.date_from, s.date_to, progress, totals, unit)
        used = [d for d in needed if d in self.loaded]
        result.data = {k: self.loaded[k].rows for k in used}
        result.skipped = {k: self.loaded[k].skipped_rows for k in used if self.loaded[k].skipped_rows}
        result.period_from = s.date_from.isoformat() if s.date_from else None
        result.period_to = s.date_to.isoformat() if s.date_to else None
        result.data_files = [str(f) for k in used for f in (self.loaded[k].files or [self.loaded[k].path])]
        apply_secondary(self.project, result, result.period_from, result.period_to, s.protection_level)
        return result

    def protect_together(self, results: Sequence[Result]) -> int:
        """Secondary suppression over several results of one output on this session's data (a
        report's key figures and its comparison across municipalities): a cell one of them
        publishes cannot give away a cell another hides. The number of further cells hidden."""
        from hfspec.engine.secondary import apply_secondary

        s = self.settings
        return apply_secondary(self.project, list(results), s.date_from.isoformat() if s.date_from else None,
                               s.date_to.isoformat() if s.date_to else None, s.protection_level)

    def store(self, result: Result, path: Path, label: str | None = None) -> Diagnostic | None:
        """Keep the result in a history file; an INFO diagnostic when the same run is stored already."""
        from hfspec.engine.history import store_run

        stored = store_run(path, [Path(f) for f in self.catalogue_files()], [Path(f) for f in result.data_files], result, label)
        if stored.new:
            return None
        return Diagnostic("HF804", Message("engine.already_stored", path=path, run=stored.run_id, stamp=stored.stamp), None, severity=Severity.INFO)

    # ------------------------------------------------------------------ rules

    def evaluate_rules(self, ids: Sequence[str]):
        """Evaluate rules (ids of the project's compiled rules) on the data, reading what they need.
        A rule is evaluated once per session: two stages that show the same rule share its outcome."""
        from hfspec.engine.rules import evaluate_rules, needed_datasets

        todo = [i for i in ids if i not in self._rule_outcomes]
        if todo:
            self.require(needed_datasets(self.project, todo))
            for outcome in evaluate_rules(self.project, self.con, todo, self.lang, self.files()):
                self._rule_outcomes[outcome.id] = outcome
        return [self._rule_outcomes[i] for i in ids]

    # ------------------------------------------------------------------ the end

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, exc_type, error, traceback) -> None:
        """Close the connection; a user error leaving the session learns the run's language (the
        catalogue's `lang:`), so the command line shows it in that language."""
        if isinstance(error, HfspecError) and error.lang is None and self._loaded is not None:
            error.lang = choose_lang(self.settings.lang, self._loaded.lang)
        self.close()


class Sessions:
    """Sessions by (catalogue, data), made on demand and owned by the caller: a scenario whose
    inputs come `from_eval` of several key figures on the same data evaluates them in one session.
    Close it (or use `with`) to close them all."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._open: dict[tuple[Path, Path], Session] = {}

    def get(self, catalogue: Path, data: Path) -> Session:
        key = (Path(catalogue).resolve(), Path(data).resolve())
        if key not in self._open:
            self._open[key] = Session(catalogue, data, self.settings)
        return self._open[key]

    def close(self) -> None:
        for session in self._open.values():
            session.close()

    def __enter__(self) -> "Sessions":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

