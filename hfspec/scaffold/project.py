"""`hfspec init DIR`: a municipality's own starter project, generated from the shipped specs.

Writes a catalogue that extends the national one, a `data/` folder with header-only templates of
every standard dataset (CSV and XLSX, see datafiles.py), and a README in Danish saying what to
fill in, column by column (generated from the Dataset specs, so it never drifts from them).
"""

from __future__ import annotations

import json
from pathlib import Path

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.resources import shipped, standard_datasets
from hfspec.scaffold.datafiles import allowed, write_csv, write_xlsx
from hfspec.source import link_path
from hfspec.spec.model import DatasetSpec
from hfspec.spec.project import load_project
from hfspec.words import INIT_COLUMN_TYPES, YES_NO

#: A short first list: one or two key figures per type, cheap to collect (high CREAM `economic`).
STARTER_SELECTION = ["HF-P-02", "HF-P-07", "HF-P-12", "HF-O-01", "HF-O-06", "HF-O-09", "HF-E-03", "HF-S-01"]


def slug(text: str) -> str:
    """A catalogue id from a folder name or `--name`: 'Vejle Kommune' → 'vejle-kommune', 'Næstved' → 'naestved'.

    >>> slug("Vejle Kommune"), slug("Næstved"), slug("2021")
    ('vejle-kommune', 'naestved', 'kommune-2021')
    """
    import re

    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not text or not text[0].isalpha():
        text = "kommune-" + text if text else "kommune"
    return text


def display_name(text: str) -> str:
    """The municipality's name for the catalogue's title: as written, but a folder name in lower
    case gets capitals ('næstved' → 'Næstved', 'vejle-kommune' → 'Vejle Kommune').

    >>> display_name("næstved"), display_name("vejle-kommune"), display_name("Høje-Taastrup")
    ('Næstved', 'Vejle Kommune', 'Høje-Taastrup')
    """
    text = " ".join(text.split())
    if text != text.lower():
        return text
    return " ".join(word[:1].upper() + word[1:] for word in text.replace("-", " ").replace("_", " ").split())


def _catalogue(schema: str, name: str, title: str) -> str:
    selection = "\n".join(f"  - {i}" for i in STARTER_SELECTION)
    return f"""# yaml-language-server: $schema={schema}
# Kommunens eget nøgletalskatalog. Det bygger på det nationale katalog (extends: national) og
# udvælger en kort liste (select). Start med få nøgletal, og udvid når data og arbejdsgange er på
# plads. Tjek filen med `hfspec validate catalogue.yaml` og beregn med
# `hfspec eval catalogue.yaml data`.
kind: Catalogue
id: {name}
title:
  da: {json.dumps("Nøgletal for Housing First – " + title, ensure_ascii=False)}
  en: {json.dumps("Housing First key figures – " + title, ensure_ascii=False)}
extends: national
select:
{selection}
# Lokale succeskriterier (override) og parametre (params), for eksempel:
# override:
#   HF-O-01: {{target: ">= 85%"}}
params:
  reference_date: 2021-12-31
"""


def _readme(datasets: list[DatasetSpec]) -> str:
    lines = [
        "# Kommunens hfspec-projekt",
        "",
        "Denne mappe er jeres eget hfspec-projekt. Den rummer:",
        "",
        "- `catalogue.yaml` – jeres nøgletalskatalog. Det arver det nationale katalog og udvælger en kort liste.",
        "- `data/` – én CSV-fil pr. datasæt: tomme skabeloner med de rigtige kolonneoverskrifter, adskilt af",
        "  semikolon, så dansk Excel åbner dem i kolonner.",
        "- `data/excel/` – de samme skabeloner som Excel-filer, med rullelister for de tilladte værdier, ja/nej,",
        "  datoformat og et ark `Hjælp`, der forklarer hver kolonne. Foretrækker I Excel, så udfyld Excel-filen og",
        "  flyt den op i `data/` i stedet for CSV-filen (der må kun ligge én fil pr. datasæt i `data/`).",
        "",
        "## Sådan kommer I i gang",
        "",
        "1. Udfyld datafilerne (se kolonnerne nedenfor). Borger-id'er skal være pseudonymer, fx `B0001` –",
        "   aldrig CPR-numre; hfspec afviser filer med noget, der ligner et CPR-nummer.",
        "2. Tjek kataloget: `hfspec validate catalogue.yaml`",
        "3. Beregn nøgletallene: `hfspec eval catalogue.yaml data`",
        "4. Fejl i data vises med fil, række og kolonne. Ret dem i filen og kør igen.",
        "",
        "Excel-eksport med semikolon og decimalkomma er fint. Ja/nej-kolonner kan skrives ja/nej, true/false eller 1/0.",
        "Værdier som `Før`, `Egen bolig` og `Løn` læses som `foer`, `egen_bolig` og `loen` (store og små bogstaver,",
        "mellemrum, bindestreger og æ, ø, å er lige meget); andre ord for en værdi står i parentes nedenfor.",
        "",
        "## Datasæt og kolonner",
        "",
    ]
    for ds in datasets:
        title = ds.title.get("da") if ds.title else ds.id
        lines += [f"### `{ds.id}` – {title}", ""]
        if ds.description:
            lines += [ds.description.get("da"), ""]
        lines += ["| kolonne | type | skal udfyldes | tilladte værdier / interval | betydning |", "|---|---|---|---|---|"]
        for c in ds.columns.values():
            meaning = (c.description or c.title).get("da") if (c.description or c.title) else ""
            lines.append(f"| `{c.name}` | {INIT_COLUMN_TYPES.get(c.type, c.type)} | {YES_NO['da'][c.required]} | {allowed(c)} | {meaning.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def init_project(folder: Path, name: str | None = None, force: bool = False) -> list[Path]:
    """Create the starter project; returns the files written. Refuses to overwrite without `force`.

    `name` is the municipality's name (default: the folder's name): the catalogue's id is made
    from it with `slug`, and its title names it as written."""
    name = name or folder.resolve().name
    project = load_project([standard_datasets()], standard=False)
    datasets = [project.datasets[k] for k in sorted(project.datasets)]
    files: dict[Path, str | None] = {folder / "catalogue.yaml": None, folder / "README.md": None}
    for ds in datasets:
        files[folder / "data" / f"{ds.id}.csv"] = None
        files[folder / "data" / "excel" / f"{ds.id}.xlsx"] = None
    existing = [p for p in files if p.exists()]
    if existing and not force:
        message = Message("init.exists_more", path=existing[0], n=len(existing) - 1) if len(existing) > 1 else Message("init.exists", path=existing[0])
        raise HfspecError([Diagnostic("HF803", message, None, hint=Message("init.exists_hint"))])
    (folder / "data" / "excel").mkdir(parents=True, exist_ok=True)
    schema = link_path(shipped("schemas") / "catalogue.schema.json", folder.resolve())
    (folder / "catalogue.yaml").write_text(_catalogue(schema, slug(name), display_name(name)), encoding="utf-8")
    (folder / "README.md").write_text(_readme(datasets), encoding="utf-8")
    for ds in datasets:
        write_csv(ds, folder / "data" / f"{ds.id}.csv")
        write_xlsx(ds, folder / "data" / "excel" / f"{ds.id}.xlsx")
    return list(files)
