"""Session + rule files → `CheckRun`: every rule of the files evaluated on the session's data.

The rules themselves are evaluated by the core rule engine (`hfspec.engine.rules`, one DuckDB
query per rule); this module chooses the rules, and `hfspec.check.render` prints the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine.rules import RuleOutcome, exit_code
from hfspec.resources import shipped
from hfspec.session import Session


def default_paths() -> list[Path]:
    """The shipped rules (specs/rules): caseload, course length, missing status, data quality."""
    return [shipped("specs") / "rules"]


@dataclass
class CheckRun:
    """Everything `hfspec check` reports: the outcomes, the reference date, the warnings."""

    outcomes: list[RuleOutcome]
    reference_date: str | None
    warnings: list[Diagnostic] = field(default_factory=list)
    data: str | None = None

    @property
    def exit_code(self) -> int:
        """1 when a rule of severity `error` has a breach, else 0."""
        return exit_code(self.outcomes)


def run_check(session: Session, paths: Sequence[Path]) -> CheckRun:
    """Evaluate every rule defined under `paths` (which the session's specs must include)."""
    ids = session.project.rules_in(paths)
    if not ids:
        raise HfspecError([Diagnostic("HF307", Message("check.no_rules"), None, hint=Message("check.no_rules_hint", paths=[str(p) for p in paths] or "specs/rules"))])
    outcomes = session.evaluate_rules(ids)
    ref = session.project.params.get("reference_date")
    return CheckRun(outcomes, str(ref) if ref is not None else None, session.warnings, session.data_label())
