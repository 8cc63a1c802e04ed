"""`hfspec cream`: rank a catalogue's key figures with CREAM, check the short list's coverage,
write the workshop sheet and the short-list catalogue. Thin: the work is `hfspec.cream.model`
(and the Model spec `specs/models/cream.yaml`); this module parses options and prints."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import click

from hfspec.clitools import current_lang, handle_errors, lang_option, print_warnings, say, use_lang
from hfspec.messages import text as message_text
from hfspec.words import CREAM_TEXT, format_number

TITLE_WIDTH = 38
MARKS = {"ok": "✓", "fail": "✗", "note": "·"}


def parse_weights(text: str | None) -> dict[str, float] | None:
    """`clear=30,relevant=30,economic=20` (Danish names too) → {criterion: weight}."""
    if not text:
        return None
    from hfspec.cream.ratings import criterion_key

    out: dict[str, float] = {}
    for part in (p for p in re.split(r"[;,\s]+", text.strip()) if p):
        name, sep, value = part.partition("=")
        key = criterion_key(name.strip())
        if not sep or key is None:
            raise click.BadParameter(message_text("cli.weights_form", current_lang(), part=part), param_hint="--weights")
        try:
            number = float(value)
        except ValueError:
            raise click.BadParameter(message_text("cli.weights_not_number", current_lang(), value=value, part=part), param_hint="--weights") from None
        if number < 0:
            raise click.BadParameter(message_text("cli.weights_negative", current_lang(), name=name), param_hint="--weights")
        out[key] = number
    return out


@click.command(name="cream")
@click.argument("catalogue", required=False, type=click.Path(path_type=Path))
@click.option("--ratings", "-r", "ratings", multiple=True, type=click.Path(path_type=Path),
              help="Workshop ratings (CSV or XLSX; repeatable, e.g. one sheet per participant). Default: the key figures' own cream blocks.")
@click.option("--top", type=click.IntRange(min=1), help="The short list is the N best-ranked key figures that pass (default: the catalogue's select list, else 10).")
@click.option("--weights", help="Criterion weights, e.g. clear=30,relevant=30,economic=20,adequate=10,monitorable=10 (normalised; left out = 1).")
@click.option("--pass-mark", type=click.IntRange(1, 5), help="The score every criterion must reach (default: the catalogue's cream_pass, 3).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "xlsx"]), default="text", show_default=True,
              help="Output format; xlsx is the workshop sheet to fill in and read back with --ratings.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal (required for xlsx).")
@click.option("--write-shortlist", type=click.Path(path_type=Path), help="Write a catalogue that extends CATALOGUE and selects the short list.")
@lang_option("Language of titles and words.")
@handle_errors
def command(catalogue, ratings, top, weights, pass_mark, fmt, out, write_shortlist, lang) -> None:
    """Rank key figures with CREAM and check the short list.

    CATALOGUE is a catalogue file or folder (default: the national catalogue). Every key figure
    is rated on the five criteria (nøjagtighed, relevans, omkostningseffektivitet ved
    indsamling, tilstrækkelighed, objektivitet): a key figure below the pass mark on any
    criterion fails; the rest are ranked by the weighted mean. docs/cream.md explains it.

    \b
    hfspec cream --top 10
    hfspec cream --format xlsx --out workshop.xlsx
    hfspec cream --ratings workshop.xlsx --top 10 --write-shortlist kommune.yaml
    """
    from hfspec.cream.model import evaluate_cream
    from hfspec.cream.ratings import read_ratings
    from hfspec.cream.files import shortlist_catalogue, write_workshop_xlsx
    from hfspec.render.output import write_document
    from hfspec.resources import national_catalogue
    from hfspec.spec.project import load_project

    if fmt == "xlsx" and out is None:
        raise click.UsageError(message_text("cli.xlsx_needs_out", current_lang()))
    parsed_weights = parse_weights(weights)
    project = load_project([catalogue or national_catalogue()])
    lang = use_lang(lang, project)
    print_warnings(project.warnings)
    rated = read_ratings(list(ratings), project) if ratings else None
    if rated is not None:
        print_warnings(rated.warnings)
    result = evaluate_cream(project, rated, parsed_weights, pass_mark, top)
    if fmt == "xlsx":
        write_workshop_xlsx(result, out, lang)
        say("cli.wrote", path=out)
    else:
        text = {"csv": to_csv, "json": to_json, "text": to_text}[fmt](result, lang)
        if out is not None:
            write_document(text if text.endswith("\n") else text + "\n", out)
            say("cli.wrote", path=out)
        else:
            click.echo(text)
    if write_shortlist is not None:
        write_document(shortlist_catalogue(result, write_shortlist), write_shortlist)
        fails = sum(f.level == "fail" for f in result.shortlist.findings)
        if fails:
            say("cli.wrote_shortlist_findings", path=write_shortlist, n=len(result.shortlist.ids), fails=fails)
        else:
            say("cli.wrote_shortlist", path=write_shortlist, n=len(result.shortlist.ids))


def to_csv(result, lang: str = "da") -> str:
    from hfspec.cream.model import records

    keys = [c.key for c in result.criteria]
    columns = ["rank", "id", "title", "type", "goal", "passes", "failing", "weighted_score", *keys, "collection_cost", "disagreement", "shortlisted"]
    from hfspec.render.spreadsheet import CsvWriter

    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\n")
    writer.writerow(columns)
    for rec in records(result, lang):
        row = {k: ("" if v is None else v) for k, v in rec.items()}
        row["passes"] = "true" if rec["passes"] else "false"
        row["shortlisted"] = "true" if rec["shortlisted"] else "false"
        row["failing"] = " ".join(rec["failing"])
        row["disagreement"] = " ".join(rec["disagreement"])
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def to_json(result, lang: str = "da") -> str:
    from hfspec.cream.model import to_json_data

    return json.dumps(to_json_data(result, lang), ensure_ascii=False, indent=2)


def to_text(result, lang: str = "da") -> str:
    """The ranked table, the legend, the disagreements and the short list with its coverage."""
    from hfspec.cream.model import result_context

    w = CREAM_TEXT["en" if lang == "en" else "da"]
    ctx = result_context(result, lang)
    cat = result.catalogue
    out = []
    name = (cat.title.get(lang) if cat and cat.title else cat.id) if cat else ""
    counts = ctx["counts"]
    out.append(f"{w['heading']} · {name}{f' ({cat.id})' if cat else ''} · {counts['total']} {w['key_figures']}: "
               f"{counts['passed']} {w['pass']}, {counts['failed']} {w['fail']}")
    weights = " · ".join(f"{c['letter']} {c['share_text']}" for c in ctx["criteria"])
    out.append(f"{w['pass_mark']} {ctx['pass_mark_text']} · {w['weights']} {weights}")
    out.append(ctx["source"])
    out.append("")
    letters = [c["letter"] for c in ctx["criteria"]]
    header = [w["rank"], "", w["id"], w["title"], w["type"], *letters, w["score"], w["cost"], w["disagree"], w["gate"]]
    body = []
    for row in ctx["rows"]:
        title = row["title"] if len(row["title"]) <= TITLE_WIDTH else row["title"][:TITLE_WIDTH - 1] + "…"
        body.append([row["rank_text"], "*" if row["shortlisted"] else "", row["id"], title, row["type_label"],
                     *[s["text"] for s in row["scores"]], row["weighted_text"], row["cost_text"], row["disagreement_text"], row["gate_text"]])
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    right = {0, *range(5, 5 + len(letters) + 1)}

    def line(cells):
        return "  ".join(str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
    out.append(line(header))
    out.append("  ".join("─" * x for x in widths))
    out.extend(line(r) for r in body)
    out.append("")
    out.append(" · ".join(f"{c['letter']} {c['seed_word']}" if lang != "en" else f"{c['letter']} {c['label'].lower()} ({c['seed_word']})" for c in ctx["criteria"]))
    out.append(w["legend_cost"])
    out.append(w["legend_rank"])
    if ctx["disagreements"]:
        out.append("")
        out.append(w["disagreements"].format(p=format_number(result.disagreement_points, None, lang, trim=True)) + ":")
        for d in ctx["disagreements"]:
            out.append(f"  {d['id']} {d['criterion'].lower()}:")
            for r in d["ratings"]:
                out.append(f"    {r['rater']}: {r['score_text']} – {r['justification'] or w['no_reason']}")
    sl = ctx["shortlist"]
    out.append("")
    out.append(f"{w['shortlist']}: {sl['label']} ({sl['count']} {w['key_figures']})")
    out.append(f"  {', '.join(sl['ids']) or '–'}")
    out.append(f"{w['coverage']}:")
    for f in sl["findings"]:
        out.append(f"  {MARKS[f['level']]} {f['text']}")
        if f["hint"]:
            out.append(f"      → {f['hint']}")
    return "\n".join(out)
