"""CREAM result → the files people take away: the workshop sheet (XLSX, filled in by raters and
read back by `hfspec.cream.ratings.read_ratings`) and the short-list catalogue (YAML that
extends the catalogue it came from)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from hfspec.cream.model import CreamResult, result_context, scale
from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.render.output import save_workbook
from hfspec.render.spreadsheet import xlsx_append
from hfspec.resources import national_catalogue, shipped
from hfspec.spec.yamlsource import comment, quoted, scalar
from hfspec.words import CREAM_FILES, TYPE_WORDS, format_number

# -- files people take away ----------------------------------------------------------------------

def write_workshop_xlsx(result: CreamResult, path: Path, lang: str = "da") -> None:
    """The workshop sheet: one row per key figure × criterion with empty score and justification
    cells for one rater ("Bedømmelser"), the definitions ("Kriterier") and the current ranking."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    da = lang != "en"
    language = "da" if da else "en"
    w = CREAM_FILES[language]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = w["ratings_sheet"]
    xlsx_append(ws, w["ratings_header"])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF4C2")
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    names = {c.key: (c.title.da.lower() if da else c.key) for c in result.criteria}
    for r in sorted(result.rows, key=lambda r: result.order.index(r.id) if r.id in result.order else len(result.order)):
        for c in result.criteria:
            xlsx_append(ws, ["", r.id, r.spec.title.get(lang), TYPE_WORDS[language].get(r.spec.type, r.spec.type), names[c.key], None, ""])
            for col in (1, 6, 7):
                ws.cell(row=ws.max_row, column=col).fill = fill
    for letter, width in zip("ABCDEFG", (16, 11, 60, 11, 18, 8, 60)):
        ws.column_dimensions[letter].width = width
    low, high = scale()
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high), allow_blank=True,
                           error=w["score_error"], showErrorMessage=True)
    ws.add_data_validation(check)
    if ws.max_row > 1:
        check.add(f"F2:F{ws.max_row}")

    defs = book.create_sheet(w["criteria_sheet"])
    xlsx_append(defs, w["criteria_header"])
    for cell in defs[1]:
        cell.font = bold
    for c in result.criteria:
        xlsx_append(defs, [c.letter, c.title.get(lang), names[c.key], c.definition.get(lang), round(result.shares[c.key], 4)])
        defs.cell(row=defs.max_row, column=5).number_format = "0%"
    xlsx_append(defs, [])
    xlsx_append(defs, [w["scale"].format(low=format_number(low, None, language, trim=True), high=format_number(high, None, language, trim=True),
                                   pass_mark=format_number(result.pass_mark, None, language, 1, whole=True))])
    for letter, width in zip("ABCDE", (8, 22, 20, 90, 8)):
        defs.column_dimensions[letter].width = width
    for row in defs.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    ranking = book.create_sheet(w["ranking_sheet"])
    ctx = result_context(result, lang)
    xlsx_append(ranking, w["ranking_header"] + [c.letter for c in result.criteria] + w["ranking_tail"])
    for cell in ranking[1]:
        cell.font = bold
    for row in ctx["rows"]:
        xlsx_append(ranking, [row["rank"], row["id"], row["title"], row["type_label"], row["gate_text"], row["weighted"],
                        *[s["score"] for s in row["scores"]], row["cost_text"], row["disagreement_text"], "x" if row["shortlisted"] else ""])
    ranking.column_dimensions["C"].width = 60
    ranking.column_dimensions["E"].width = 30
    ranking.freeze_panes = "A2"
    save_workbook(book, path)


def shortlist_catalogue(result: CreamResult, out: Path, today: dt.date | None = None) -> str:
    """A municipal catalogue YAML that `extends:` the rated catalogue and `select:`s the short list."""
    if result.catalogue is None or result.catalogue_path is None:
        raise HfspecError([Diagnostic("HF721", Message("cream.shortlist_needs_catalogue"), None, hint=Message("cream.shortlist_needs_catalogue_hint"))])
    out_dir = out.resolve().parent
    source = result.catalogue_path.resolve()
    extends = "national" if source == national_catalogue().resolve() else _relative(source, out_dir)
    schema = _relative(shipped("schemas").resolve() / "catalogue.schema.json", out_dir)
    slug = re.sub(r"[^a-z0-9]+", "-", fold_slug(out.stem)).strip("-") or "local"
    if not re.match(r"[a-z]", slug):
        slug = "local-" + slug
    if slug == result.catalogue.id:
        slug += "-short"
    today = today or dt.date.today()
    sl = result.shortlist
    how = f"the top {sl.top} that pass" if sl.source == "top" else "the catalogue's select list"
    ratings = result.ratings
    used = (f"ratings: {', '.join(ratings.files)} ({len(ratings.raters)} raters: {', '.join(ratings.raters)})" if ratings and ratings.items
            else "ratings: the key figures' own cream blocks")
    # every value from outside this module (file names, raters, titles, findings) goes through
    # yamlsource's `comment`, `scalar` or `quoted`: none can end its line and start a key of its own
    lines = [comment(f"yaml-language-server: $schema={schema}"),
             comment(f"Short list chosen with CREAM (hfspec cream) on {today.isoformat()}: {how}."),
             comment(used)]
    fails = [f for f in sl.findings if f.level == "fail"]
    if fails:
        lines.append(comment("Coverage findings to settle before this list is used:"))
        lines.extend(comment(f"  - {f.text.en}") for f in fails)
    lines += ["kind: Catalogue", f"id: {scalar(slug)}", "title:", *(f"  {lang}: {quoted(CREAM_FILES[lang]['shortlist_title'])}" for lang in ("da", "en")),
              f"extends: {scalar(extends)}"]
    # written out even when they are the defaults, so that a later run ranks the same way
    lines.append("weights: {" + ", ".join(f"{scalar(k)}: {_yaml_number(round(v, 6))}" for k, v in result.weights.items()) + "}")
    lines.append(f"cream_pass: {int(result.pass_mark)}")
    lines.append("select:")
    for iid in sl.ids:
        r = result.row(iid)
        lines.append(f"  - {scalar(iid)}  " + comment(f"{format_number(r.weighted, None, 'en', 2)} · {r.spec.title.da}"))
    return "\n".join(lines) + "\n"


def fold_slug(text: str) -> str:
    """A file name as an id: lower case, Danish letters folded (`Køge kort` → `koege-kort`)."""
    text = text.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9_]+", "-", text)


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def _yaml_number(value: float) -> str:
    """A number as YAML reads it back (not for people: no grouping, a decimal point): `30`, `0.25`."""
    return str(int(value)) if float(value).is_integer() else str(value)
