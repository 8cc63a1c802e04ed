"""`hfspec init DIR`: a municipality's own starter project, generated from the shipped specs.

Writes a catalogue that extends the national one, a `data/` folder with header-only templates of
every standard dataset (CSV and XLSX, see datafiles.py), a commented mapping skeleton
(`mappings/herberg.yaml`: the § 110 register's export → herberg), and a README in Danish saying
what to fill in, column by column (generated from the Dataset specs, so it never drifts from them).
"""

from __future__ import annotations

from pathlib import Path

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.render.output import cannot_write, write_document
from hfspec.resources import shipped, standard_datasets
from hfspec.scaffold.datafiles import allowed, write_csv, write_xlsx
from hfspec.source import link_path
from hfspec.spec.model import DatasetSpec
from hfspec.spec.project import load_project
from hfspec.spec.yamlsource import comment, quoted, scalar
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
    """The starter catalogue; every value that does not come from this module is written with
    yamlsource's `comment`, `scalar` and `quoted`, so that it cannot start YAML keys of its own."""
    selection = "\n".join(f"  - {i}" for i in STARTER_SELECTION)
    return f"""{comment(f"yaml-language-server: $schema={schema}")}
# Kommunens eget nøgletalskatalog. Det bygger på det nationale katalog (extends: national) og
# udvælger en kort liste (select). Start med få nøgletal, og udvid når data og arbejdsgange er på
# plads. Tjek filen med `hfspec validate catalogue.yaml` og beregn med
# `hfspec eval catalogue.yaml data`.
kind: Catalogue
id: {scalar(name)}
title:
  da: {quoted("Nøgletal for Housing First – " + title)}
  en: {quoted("Housing First key figures – " + title)}
extends: national
select:
{selection}
# Lokale succeskriterier (override) og parametre (params), for eksempel:
# override:
#   HF-O-01: {{target: ">= 85%"}}
params:
  reference_date: 2021-12-31
# Når jeres egne eksporter (sagssystem, tidsregistrering, § 110-registret) er beskrevet i
# mappings/, så fjern '#' herunder: så læser `hfspec eval catalogue.yaml` (uden datamappe)
# eksporterne direkte, og `hfspec map` skriver standarddata i data/.
# mappings: [mappings/*.yaml]
"""


#: The commented mapping skeleton `hfspec init` writes to mappings/herberg.yaml.
MAPPING_SKELETON = """# yaml-language-server: $schema={schema}
#
# En mapning beskriver, hvordan jeres egen eksport bliver til et standarddatasæt, så ingen skal
# rette i filen i Excel hver måned. Denne er et skelet for § 110-registret → herberg: ret
# filnavne, overskrifter og koder, så de passer til jeres fil. Se docs/guide.md ("Fra jeres
# eksport til jeres nøgletal i fire trin") og docs/spec-reference.md ("Mapping").
#
#   hfspec key new                       # én gang: pseudonymnøglen (gem en kopi sikkert)
#   hfspec map --dry-run                 # læs og tjek eksporterne uden at skrive
#   hfspec map                           # skriv standarddata i data/
kind: Mapping
id: herberg-fra-sel110
title: {{da: Ophold fra § 110-registret, en: Stays from the section 110 register}}
dataset: herberg                       # standarddatasættet, mapningen laver
params:
  opgoerelsesdato: 2021-12-31          # igangværende ophold tælles frem til denne dag
sources:
  - files: ../eksport/sel110/*.txt     # filerne, i forhold til denne fil; * = alle kvartaler
    # sheet: Ophold                    # arket, hvis eksporten er en Excel-fil
    # header_row: 4                    # rækken med overskrifter, hvis der står en titel over
    columns:
      # kolonne i herberg: overskriften i jeres fil (store/små bogstaver og æøå betyder intet)
      borger_id: {{from: CPR-nr., cpr: true}}          # CPR-numre bliver til pseudonymer med nøglen
      indskrivning: {{from: Indskrevet, format: ddmmyyyy}}
      udskrivning: {{from: Udskrevet, format: ddmmyyyy}}
      udskrevet_til:                                  # værdikort: jeres koder → standardens værdier
        from: Udskrevet til
        values: {{"1": egen_bolig, "2": midlertidig_bolig, "3": familie_netvaerk, "4": anden_boform,
                 "5": hospital_behandling, "6": faengsel, "7": gaden, "8": doed, "9": ukendt}}
      # hjælpekolonner (ikke i herberg) har en type; de bruges nedenfor og skrives ikke
      opholdstype: {{from: Opholdstype, type: integer}}
      takst:                                          # boformens døgntakst i kr.
        from: Boform
        type: number
        values: {{"1234": 1450}}
derive:                                # kolonner regnet ud med udtrykssproget, i rækkefølge
  doegn: days_between(indskrivning, coalesce(udskrivning, param.opgoerelsesdato))
  udgift: doegn * takst
filter: opholdstype == 1               # kun herbergsophold (ikke natcafé og efterforsorg)
deduplicate: {{key: [borger_id, indskrivning], keep: last}}   # et ophold i flere kvartalsfiler: den seneste gælder
unmatched_references: leave_out        # beboere uden et forløb i borgere tælles, men skrives ikke
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
        "- `mappings/herberg.yaml` – et skelet til en mapning: hvordan jeres egen eksport (her § 110-registret) bliver",
        "  til standarddata, så ingen skal rette i filerne i Excel. `hfspec map` skriver standarddata i `data/` ud fra",
        "  mapningerne; CPR-numre bliver til pseudonymer med kommunens nøgle (`hfspec key new`, gemmes uden for projektet).",
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
    """Create the starter project; returns the files written. Refuses to overwrite without `force`;
    a file that cannot be written is HF803.

    `name` is the municipality's name (default: the folder's name): the catalogue's id is made
    from it with `slug`, and its title names it as written."""
    name = name or folder.resolve().name
    project = load_project([standard_datasets()], standard=False)
    datasets = [project.datasets[k] for k in sorted(project.datasets)]
    files: dict[Path, str | None] = {folder / "catalogue.yaml": None, folder / "README.md": None, folder / "mappings" / "herberg.yaml": None}
    for ds in datasets:
        files[folder / "data" / f"{ds.id}.csv"] = None
        files[folder / "data" / "excel" / f"{ds.id}.xlsx"] = None
    existing = [p for p in files if p.exists()]
    if existing and not force:
        message = Message("init.exists_more", path=existing[0], n=len(existing) - 1) if len(existing) > 1 else Message("init.exists", path=existing[0])
        raise HfspecError([Diagnostic("HF803", message, None, hint=Message("init.exists_hint"))])
    try:
        (folder / "data" / "excel").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(folder / "data" / "excel", error) from None
    schema = link_path(shipped("schemas") / "catalogue.schema.json", folder.resolve())
    write_document(_catalogue(schema, slug(name), display_name(name)), folder / "catalogue.yaml")
    write_document(_readme(datasets), folder / "README.md")
    try:
        (folder / "mappings").mkdir(exist_ok=True)
    except OSError as error:
        raise cannot_write(folder / "mappings", error) from None
    mapping_schema = link_path(shipped("schemas") / "mapping.schema.json", (folder / "mappings").resolve())
    write_document(MAPPING_SKELETON.format(schema=mapping_schema), folder / "mappings" / "herberg.yaml")
    for ds in datasets:
        for out, write in ((folder / "data" / f"{ds.id}.csv", write_csv), (folder / "data" / "excel" / f"{ds.id}.xlsx", write_xlsx)):
            try:
                write(ds, out)
            except OSError as error:
                raise cannot_write(out, error) from None
    return list(files)
