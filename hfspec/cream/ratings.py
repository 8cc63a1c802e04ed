"""Workshop ratings files (CSV or XLSX, one row per rater × key figure × criterion) → `Ratings`,
with a located diagnostic (file, row, caret) for every problem: an unknown key figure or criterion,
a score outside the scale or not a number, a criterion a rater left out."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterable

from hfspec.diagnostics import Diagnostic, DiagnosticBag, Severity, did_you_mean
from hfspec.cream.model import Rating, Ratings, cream_model, criteria, scale
from hfspec.data.sheets import Sheet, SheetTooLarge, SheetUnreadable, fold, read_sheet
from hfspec.source import Span
from hfspec.spec import model as M
from hfspec.spec.project import Project
from hfspec.words import CREAM_FILES, CREAM_SEED_WORDS, format_number

#: Header names accepted in a ratings file, compared after `fold` (so `Bedømmer` = `bedoemmer`).
HEADERS = {
    "rater": ("rater", "bedømmer", "bedommer", "navn", "name", "deltager", "participant"),
    "indicator": ("indicator", "nøgletal", "noegletal", "id", "indikator", "key figure", "nøgletal id"),
    "criterion": ("criterion", "kriterium", "kriterie"),
    "score": ("score", "point", "points", "karakter"),
    "justification": ("justification", "begrundelse", "reason", "kommentar", "comment", "note"),
}
REQUIRED_HEADERS = ("indicator", "criterion", "score")
#: Criterion names accepted in a ratings file besides the keys: the seed's Danish words and letters.
CRITERION_ALIASES = {
    "clear": ("c", "nøjagtighed", "nojagtighed", "nøjagtig", "præcision", "entydighed", "clarity"),
    "relevant": ("r", "relevans", "relevance"),
    "economic": ("e", "omkostningseffektivitet", "omkostningseffektivitet ved indsamling",
                 "omkostningseffektivitet i forhold til indsamling", "economical", "cost-effectiveness"),
    "adequate": ("a", "tilstrækkelighed", "tilstrakkelighed", "adequacy"),
    "monitorable": ("m", "objektivitet", "monitorability", "objectivity"),
}


# -- ratings files -------------------------------------------------------------------------------

def _alias_table(spec: M.ModelSpec) -> dict[str, str]:
    table = {}
    for c in criteria(spec):
        for name in (c.key, c.title.da, c.title.en, *CRITERION_ALIASES.get(c.key, ())):
            table[fold(name)] = c.key
    return table


def criterion_key(name: str, spec: M.ModelSpec | None = None) -> str | None:
    """The criterion a name means: a key, the seed's Danish word, a title or a letter.

    >>> criterion_key("Nøjagtighed"), criterion_key("omkostningseffektivitet ved indsamling"), criterion_key("x")
    ('clear', 'economic', None)
    """
    return _alias_table(spec or cream_model()).get(fold(name))


def read_ratings(paths: Iterable[str | Path], project: Project, spec: M.ModelSpec | None = None) -> Ratings:
    """Read workshop ratings (CSV or XLSX; one row per rater × key figure × criterion).

    Every problem is a diagnostic at its file, row and cell; all are raised together."""
    spec = spec or cream_model()
    aliases = _alias_table(spec)
    keys = [c.key for c in criteria(spec)]
    low, high = scale(spec)
    bag = DiagnosticBag()
    ratings = Ratings()
    seen: dict[tuple[str, str, str], tuple[str, int]] = {}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            bag.error("HF100", f"ratings file `{path}` does not exist", None, hint="give a CSV or XLSX file, e.g. the sheet written by `hfspec cream --format xlsx`")
            continue
        if path.suffix.lower() not in (".csv", ".txt", ".xlsx"):
            bag.error("HF709", f"cannot read `{path.name}`: ratings are read from CSV or XLSX files", None, hint="save the sheet as .xlsx or .csv")
            continue
        try:
            sheet = read_sheet(path, [w["ratings_sheet"] for w in CREAM_FILES.values()])
        except SheetTooLarge as error:
            bag.error(error.code, f"`{path.name}` {error}", None, hint="a ratings sheet has one row per rater, key figure and criterion")
            continue
        except SheetUnreadable as error:  # a damaged XLSX
            bag.error("HF709", f"cannot read `{path.name}` as xlsx: {error}", None, hint="open it in Excel and save it again as .xlsx")
            continue
        except (OSError, KeyError, ValueError) as error:
            bag.error("HF709", f"cannot read `{path.name}` as {path.suffix.lstrip('.')}: {error}", None, hint="save the sheet as .xlsx or .csv (UTF-8 or Windows-1252)")
            continue
        ratings.files.append(sheet.source.name)
        _read_records(sheet, project, aliases, keys, (low, high), bag, ratings, seen, groups)
    for (rater, iid), group in groups.items():
        missing = [k for k in keys if k not in group["criteria"]]
        if missing and not group["unsure"]:
            sheet, line = group["sheet"], group["line"]
            names = ", ".join(f"`{k}` ({CREAM_SEED_WORDS.get(k, k)})" for k in missing)
            bag.error("HF720", f"{sheet.path.name} row {line}: {rater} rated {iid} on {len(keys) - len(missing)} of {len(keys)} criteria; missing: {names}",
                      sheet.line_span(line), hint=f"add a row for each missing criterion, or remove {rater}'s rows for {iid} to leave it unrated")
    if ratings.skipped:
        shown = ", ".join(list(ratings.skipped)[:8]) + (", …" if len(ratings.skipped) > 8 else "")
        file, line = next(iter(ratings.skipped.values()))
        ratings.warnings.append(Diagnostic("HF722", f"ratings of {len(ratings.skipped)} key figure(s) that this catalogue does not list were left out: {shown}",
                                           None, hint=f"the first is in {file} row {line}; they count when you rank the catalogue they come from",
                                           severity=Severity.WARNING))
    if not bag.items and not ratings.items and not ratings.skipped:
        bag.error("HF709", "the ratings files hold no scores", None, hint="fill the `score` column (1-5) for the key figures you rate")
    bag.raise_if_errors()
    return ratings


def _read_records(sheet: Sheet, project: Project, aliases: dict[str, str], keys: list[str], bounds: tuple[float, float], bag: DiagnosticBag,
                  ratings: Ratings, seen: dict, groups: dict) -> None:
    name = sheet.path.name
    rows = sheet.records
    if not rows:
        bag.error("HF709", f"`{name}` is empty", Span(sheet.source, 1, 1, 1, 2), hint="the first row names the columns: rater, indicator, criterion, score, justification")
        return
    header_line, header = rows[0]
    wanted = {fold(alias): key for key, names in HEADERS.items() for alias in names}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = wanted.get(fold(cell))
        if key is not None and key not in columns:
            columns[key] = index
    missing = [k for k in REQUIRED_HEADERS if k not in columns]
    if missing:
        for key in missing:
            guess = did_you_mean(fold(key), [fold(h) for h in header if h.strip()])
            bag.error("HF709", f"`{name}` has no column `{key}` ({HEADERS[key][1]})", sheet.line_span(header_line),
                      hint=(guess + " " if guess else "") + "the columns are rater/bedømmer, indicator/nøgletal, criterion/kriterium, score and justification/begrundelse")
        return
    candidates = project.indicators
    low, high = bounds
    low_text, high_text = (format_number(x, None, "en", trim=True) for x in bounds)

    def cell(record: list[str], key: str) -> str:
        index = columns.get(key)
        return record[index].strip() if index is not None and index < len(record) else ""

    def span(line: int, key: str, record: list[str]) -> Span:
        index = columns[key]
        return sheet.cell_span(line, index, len(record[index]) if index < len(record) else 1)

    for line, record in rows[1:]:
        score_text = cell(record, "score")
        iid = cell(record, "indicator")
        if not score_text:
            continue  # a row of the workshop sheet that this rater left empty
        rater = cell(record, "rater") or sheet.path.stem
        criterion_text = cell(record, "criterion")
        where = f"{name} row {line}"
        ok = True
        if not iid:
            bag.error("HF709", f"{where}: the score has no key figure id", span(line, "indicator", record), hint="write the key figure's id, e.g. HF-O-01")
            ok = False
        elif iid in project.all_indicators and iid not in candidates:
            ratings.skipped.setdefault(iid, (name, line))  # rated in the workshop, but not on this catalogue's list
            continue
        elif iid not in candidates:
            bag.error("HF709", f"{where}: `{iid}` is not a key figure of the catalogue", span(line, "indicator", record),
                      hint=did_you_mean(iid, candidates) or "key figure ids look like HF-P-01; `hfspec cream --format xlsx` writes a sheet with every id")
            ok = False
        criterion = aliases.get(fold(criterion_text))
        if criterion is None:
            shown = ", ".join(f"{k} ({CREAM_SEED_WORDS[k]})" for k in keys if k in CREAM_SEED_WORDS)
            bag.error("HF709", f"{where}: `{criterion_text}` is not a CREAM criterion" if criterion_text else f"{where}: the criterion is missing",
                      span(line, "criterion", record), hint=(did_you_mean(criterion_text, [c for c in keys] + list(CREAM_SEED_WORDS.values())) or "") + f" criteria: {shown}")
            ok = False
        number = _number(score_text)
        if number is None:
            bag.error("HF709", f"{where}: the score `{score_text}` is not a number", span(line, "score", record), hint=f"write a number from {low_text} to {high_text}")
            ok = False
        elif not low <= number <= high:
            bag.error("HF709", f"{where}: the score {score_text} is outside the scale {low_text}-{high_text}", span(line, "score", record),
                      hint=f"CREAM scores go from {low_text} (not at all) to {high_text} (to a great extent)")
            ok = False
        if iid in candidates:  # a criterion counts as rated even when its score is wrong: one problem, one message
            group = groups.setdefault((rater, iid), {"criteria": set(), "sheet": sheet, "line": line, "unsure": False})
            if criterion is None:
                group["unsure"] = True  # an unreadable criterion: its error explains what looks missing
            else:
                group["criteria"].add(criterion)
        if not ok:
            continue
        key = (rater, iid, criterion)
        if key in seen:
            first_file, first_line = seen[key]
            bag.error("HF709", f"{where}: {rater} rated {iid} on `{criterion}` twice", span(line, "criterion", record),
                      hint=f"the first rating is in {first_file} row {first_line}; keep one")
            continue
        seen[key] = (name, line)
        ratings.items.append(Rating(rater, iid, criterion, number, cell(record, "justification"), sheet.source.name, line))


def _number(text: str) -> float | None:
    """A score cell as a number: `4`, `3.5` or `3,5`; None when it is not one."""
    if not re.fullmatch(r"\s*[-+]?[0-9]+(?:[.,][0-9]+)?\s*", text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None
