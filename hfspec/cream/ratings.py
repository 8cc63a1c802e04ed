"""Workshop ratings files (CSV or XLSX, one row per rater × key figure × criterion) → `Ratings`,
with a located diagnostic (file, row, caret) for every problem: an unknown key figure or criterion,
a score outside the scale or not a number, a criterion a rater left out."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterable

from hfspec.cream.model import Rating, Ratings, cream_model, criteria, scale
from hfspec.data.sheets import Sheet, SheetTooLarge, SheetUnreadable, fold, read_sheet
from hfspec.diagnostics import Diagnostic, DiagnosticBag, Message, Severity, did_you_mean, did_you_mean_then, os_reason, suggest
from hfspec.messages import Codes
from hfspec.source import Span
from hfspec.spec import model as M
from hfspec.spec.project import Project
from hfspec.words import CREAM_FILES, CREAM_SEED_WORDS

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
            bag.error("HF100", Message("cream.no_ratings_file", path=path), None, hint=Message("cream.no_ratings_file_hint"))
            continue
        if path.suffix.lower() not in (".csv", ".txt", ".xlsx"):
            bag.error("HF709", Message("cream.not_a_sheet", file=path.name), None, hint=Message("cream.not_a_sheet_hint"))
            continue
        try:
            sheet = read_sheet(path, [w["ratings_sheet"] for w in CREAM_FILES.values()])
        except SheetTooLarge as error:
            bag.error(error.code, Message("cream.sheet_too_large", file=path.name, detail=_said(error)), None, hint=Message("cream.sheet_too_large_hint"))
            continue
        except SheetUnreadable as error:  # a damaged XLSX
            bag.error("HF709", Message("cream.unreadable", file=path.name, format="xlsx", reason=_said(error)), None,
                      hint=Message("cream.damaged_xlsx_hint"))
            continue
        except (OSError, KeyError, ValueError) as error:
            reason = os_reason(error) if isinstance(error, OSError) else Message("common.verbatim", text=str(error))
            bag.error("HF709", Message("cream.unreadable", file=path.name, format=path.suffix.lstrip('.'), reason=reason), None,
                      hint=Message("cream.unreadable_hint"))
            continue
        ratings.files.append(sheet.source.name)
        _read_records(sheet, project, aliases, keys, (low, high), bag, ratings, seen, groups)
    for (rater, iid), group in groups.items():
        missing = [k for k in keys if k not in group["criteria"]]
        if missing and not group["unsure"]:
            sheet, line = group["sheet"], group["line"]
            names = [f"`{k}` ({CREAM_SEED_WORDS.get(k, k)})" for k in missing]
            detail = Message("cream.incomplete", rater=rater, id=iid, n=len(keys) - len(missing), total=len(keys), missing=names)
            bag.error("HF720", Message("data.in_row", file=sheet.path.name, row=line, detail=detail),
                      sheet.line_span(line), hint=Message("cream.incomplete_hint", rater=rater, id=iid))
    if ratings.skipped:
        shown = [*list(ratings.skipped)[:8], *(["…"] if len(ratings.skipped) > 8 else [])]
        file, line = next(iter(ratings.skipped.values()))
        ratings.warnings.append(Diagnostic("HF722", Message("cream.outside_catalogue", n=len(ratings.skipped), ids=Codes(shown)),
                                           None, hint=Message("cream.outside_catalogue_hint", file=file, row=line),
                                           severity=Severity.WARNING))
    if not bag.items and not ratings.items and not ratings.skipped:
        bag.error("HF709", Message("cream.no_scores"), None, hint=Message("cream.no_scores_hint"))
    bag.raise_if_errors()
    return ratings


def _read_records(sheet: Sheet, project: Project, aliases: dict[str, str], keys: list[str], bounds: tuple[float, float], bag: DiagnosticBag,
                  ratings: Ratings, seen: dict, groups: dict) -> None:
    name = sheet.path.name
    rows = sheet.records
    if not rows:
        bag.error("HF709", Message("cream.empty", file=name), Span(sheet.source, 1, 1, 1, 2), hint=Message("cream.empty_hint"))
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
            written = {fold(h): h.strip() for h in header if h.strip()}
            guess = suggest(fold(key), written)
            columns_hint = Message("cream.columns_hint")
            bag.error("HF709", Message("cream.missing_column", file=name, column=key, danish=HEADERS[key][1]), sheet.line_span(header_line),
                      hint=Message("common.best_then", best=Message("cream.header_typo", found=written[guess], column=key), then=columns_hint)
                      if guess else columns_hint)
        return
    candidates = project.indicators
    low, high = bounds

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
        def where(detail: Message) -> Message:
            return Message("data.in_row", file=name, row=line, detail=detail)
        ok = True
        if not iid:
            bag.error("HF709", where(Message("cream.no_id")), span(line, "indicator", record), hint=Message("cream.no_id_hint"))
            ok = False
        elif iid in project.all_indicators and iid not in candidates:
            ratings.skipped.setdefault(iid, (name, line))  # rated in the workshop, but not on this catalogue's list
            continue
        elif iid not in candidates:
            bag.error("HF709", where(Message("cream.unknown_indicator", id=iid)), span(line, "indicator", record),
                      hint=did_you_mean(iid, candidates) or Message("cream.unknown_indicator_hint"))
            ok = False
        criterion = aliases.get(fold(criterion_text))
        if criterion is None:
            shown = [f"{k} ({CREAM_SEED_WORDS[k]})" for k in keys if k in CREAM_SEED_WORDS]
            bag.error("HF709", where(Message("cream.unknown_criterion", criterion=criterion_text) if criterion_text else Message("cream.no_criterion")),
                      span(line, "criterion", record),
                      hint=did_you_mean_then(criterion_text, [c for c in keys] + list(CREAM_SEED_WORDS.values()), Message("cream.criteria", names=shown)))
            ok = False
        number = _number(score_text)
        if number is None:
            bag.error("HF709", where(Message("cream.score_not_number", score=score_text)), span(line, "score", record),
                      hint=Message("cream.score_not_number_hint", low=float(low), high=float(high)))
            ok = False
        elif not low <= number <= high:
            bag.error("HF709", where(Message("cream.score_out_of_scale", score=score_text, low=float(low), high=float(high))), span(line, "score", record),
                      hint=Message("cream.score_out_of_scale_hint", low=float(low), high=float(high)))
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
            bag.error("HF709", where(Message("cream.rated_twice", rater=rater, id=iid, criterion=criterion)), span(line, "criterion", record),
                      hint=Message("cream.rated_twice_hint", file=first_file, row=first_line))
            continue
        seen[key] = (name, line)
        ratings.items.append(Rating(rater, iid, criterion, number, cell(record, "justification"), sheet.source.name, line))


def _said(error: Exception) -> Message:
    """What a sheet reader's exception says, as a Message: its own when it carries one (the limits
    of data/sheets.py), else the library's words as they are (a damaged workbook)."""
    said = error.args[0] if error.args else type(error).__name__
    return said if isinstance(said, Message) else Message("common.verbatim", text=str(said))


def _number(text: str) -> float | None:
    """A score cell as a number: `4`, `3.5` or `3,5`; None when it is not one."""
    if not re.fullmatch(r"\s*[-+]?[0-9]+(?:[.,][0-9]+)?\s*", text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None
