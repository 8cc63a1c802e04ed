"""The messages of running key figures, rules and examples, and of writing outputs (HF6xx, HF8xx)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- settings.py: --reference-date, --from, --to -----------------------------------------------
    "engine.not_a_date": ("`{text}` er ikke en dato", "`{text}` is not a date"),
    "engine.not_a_date_hint": ("skriv --reference-date 2021-12-31 eller --reference-date today",
                               "write --reference-date 2021-12-31 or --reference-date today"),
    "engine.not_a_period": ("`{text}` er hverken en dato eller en periode", "`{text}` is not a date or period"),
    "engine.not_a_period_hint": ("brug 2021-01-01, 2021, 2021-H1, 2021-Q3 eller 2021-07", "use 2021-01-01, 2021, 2021-H1, 2021-Q3 or 2021-07"),
    # -- session.py --------------------------------------------------------------------------------
    "engine.unknown_indicator": ("ukendt nøgletal `{id}`", "unknown key figure `{id}`"),
    "engine.already_stored": ("dette katalog og disse data er allerede gemt i `{path}` som kørsel {run} ({stamp}); de gemmes ikke igen",
                              "this catalogue and data are already stored in `{path}` as run {run} ({stamp}); not stored again"),
    # -- engine/tables.py --------------------------------------------------------------------------
    "engine.overflow": ("`{id}`: et tal voksede ud over 64-bit-intervallet under beregningen",
                        "`{id}`: a number grew beyond the 64-bit range while computing"),
    "engine.duckdb_says": ("DuckDB skriver: {detail}", "DuckDB says: {detail}"),
    "engine.overflow_hint": ("se efter meget store værdier eller potenser i beregningen", "check for very large values or powers in the measure"),
    "engine.breakdowns_do_not_nest": ("`{id}`: de nøgletal, det kombinerer, har opdelinger, der ikke passer ind i hinanden ({sources})",
                                      "`{id}`: the key figures it combines have breakdowns that do not nest ({sources})"),
    "engine.breakdowns_do_not_nest_hint": ("kombinér nøgletal med ens opdelinger, eller hvor det ene ikke er opdelt",
                                           "combine key figures whose breakdowns are equal, or where one has no breakdown"),
    # -- engine/derived.py: the double bottom line's table ------------------------------------------
    "engine.dbl_reference_date": ("den dobbelte bundlinje kræver katalogparameteren `reference_date` (en dato)",
                                  "the double bottom line needs the catalogue parameter `reference_date` (a date)"),
    "engine.dbl_reference_date_hint": ("tilføj `reference_date: 2021-12-31` under `params:` i dit katalog, eller angiv --reference-date",
                                       "add `reference_date: 2021-12-31` under `params:` in your catalogue, or give --reference-date"),
    "engine.dbl_instrument": ("`dbl_instrument: {name}` er ikke et instrument i den dobbelte bundlinje",
                              "`dbl_instrument: {name}` is not an instrument of the double bottom line"),
    "engine.dbl_instrument_hint": ("brug en af: {names}", "use one of: {names}"),
    # -- engine/rules.py ---------------------------------------------------------------------------
    "engine.rule_placeholder": ("reglen `{rule}`: meddelelsen bruger `{name}`, som reglen ikke har en værdi til",
                                "rule `{rule}`: the message uses `{name}`, which the rule has no value for"),
    "engine.rule_placeholder_hint": ("til rådighed: {names}", "available: {names}"),
    "engine.rule_placeholder_label": ("ukendt pladsholder", "unknown placeholder"),
    # -- examples.py: `hfspec test` ------------------------------------------------------------------
    "examples.unused_dataset": ("eksemplet `{name}` til `{id}` giver rækker til `{dataset}`, som nøgletallet ikke bruger",
                                "example `{name}` of `{id}` gives rows for `{dataset}`, which the indicator does not use"),
    "examples.unused_dataset_hint": ("datasæt, der bruges: {datasets}", "datasets used: {datasets}"),
    "examples.wrong_type": ("eksemplet `{name}`: `{column}` = {value} er ikke af typen {type}", "example `{name}`: `{column}` = {value} is not of type {type}"),
    "examples.unknown_column": ("eksemplet `{name}`: `{column}` er ikke en kolonne i `{dataset}`", "example `{name}`: `{column}` is not a column of `{dataset}`"),
    "examples.failed": ("`{id}`: eksemplet `{name}` fejlede", "`{id}`: example `{name}` failed"),
    "examples.value": ("værdi", "value"),
    "examples.diff_missing": ("- forventet {label} = {value}, men rækken findes ikke", "- expected {label} = {value}, but there is no such row"),
    "examples.diff_value": ("- forventet {label} = {value}\n+ faktisk   {label} = {got}", "- expected {label} = {value}\n+ actual   {label} = {got}"),
    "examples.diff_extra": ("+ uventet række {label} = {value}", "+ unexpected row {label} = {value}"),
    # -- render/: outputs, templates, explain ---------------------------------------------------
    "render.cannot_write": ("kan ikke skrive `{path}`: {reason}", "cannot write `{path}`: {reason}"),
    "render.cannot_write_hint": ("tjek, at mappen findes, og at du må skrive i den", "check that the folder exists and that you may write there"),
    "render.no_template_folder": ("skabelonmappen `{folder}` findes ikke", "template folder `{folder}` does not exist"),
    "render.no_template_folder_hint": ("--templates skal nævne en mappe med .j2-filer (se docs/templates.md)",
                                       "--templates must name a folder with .j2 files (see docs/templates.md)"),
    "render.template_not_found": ("skabelonen `{name}` findes ikke", "template `{name}` not found"),
    "render.template_not_found_hint": ("skabeloner søges i --templates og derefter i de medfølgende: {names}",
                                       "templates are looked up in --templates, then in the shipped folder: {names}"),
    "render.template_syntax": ("syntaksfejl i skabelonen: {detail}", "syntax error in template: {detail}"),
    "render.template_unsafe": ("skabelonen forsøgte en usikker handling: {detail}", "the template tried an unsafe operation: {detail}"),
    "render.template_unsafe_hint": ("skabeloner får almindelige data (tekst, tal, lister, dicts); attributter, der begynder med `_`, og Pythons indre er forbudte",
                                    "templates get plain data (text, numbers, lists, dicts); attributes starting with `_` and Python internals are off limits"),
    "render.template_error": ("fejl i skabelonen: {detail}", "template error: {detail}"),
    "render.template_error_hint": ("docs/templates.md nævner alle de variabler, en skabelon får", "docs/templates.md lists every variable a template receives"),
    "explain.datasets": ("datasæt: {names}", "datasets: {names}"),
}
