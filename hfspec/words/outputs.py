"""The words of each output (section 4 of `hfspec.words`): one table per command and document."""

from __future__ import annotations

from typing import Any

from hfspec.words.base import AREAS, CREAM_CRITERIA, DOCUMENT, INSTRUMENT_NOTES, PERIODS, STATUS_WORDS, TARGET_OPS, TYPE_INTROS, TYPE_NAMES, TYPE_TITLES, UNITS, YES_NO, by_language

# 4. The words of each output

# -- hfspec eval: the terminal table (render/text.py) and the workbook (render/writers.py) ------

#: The terminal table of key figures.
RESULTS_TABLE: dict[str, dict[str, Any]] = {
    "da": {"value": "Værdi", "n": "n", "status": "Mål", "period": "Periode", "target": "mål", "none": "(ingen data)", "all": "i alt",
           "footer": "Værdier for grupper med færre end {k} enheder (og optællinger under {k}) er diskretioneret og vises som {s}.",
           "nofooter": "Diskretionering er slået fra (--suppress-below 0): små grupper vises."},
    "en": {"value": "Value", "n": "n", "status": "Target", "period": "Period", "target": "target", "none": "(no data)", "all": "total",
           "footer": "Values of groups with fewer than {k} units (and counts under {k}) are suppressed and shown as {s}.",
           "nofooter": "Disclosure control is off (--suppress-below 0): small groups are shown."},
}

#: The workbook for people (`hfspec eval --format xlsx`): one sheet per type (`TYPE_NAMES`) with
#: these column headers (the breakdowns are titled by their Dataset specs), and an about sheet.
RESULTS_WORKBOOK = by_language({
    "about": ("Om", "About"), "indicator": ("Nøgletal", "Key figure"), "title": ("Titel", "Title"), "unit": ("Enhed", "Unit"),
    "period": ("Periode", "Period"), "value": ("Værdi", "Value"), "n": ("n", "n"), "suppressed": ("Diskretioneret", "Suppressed"),
    "target": ("Succeskriterium", "Target"), "status": ("Status", "Status"), "made_with": ("Lavet med", "Made with"),
    "smallest_group": ("Mindste viste gruppe (--suppress-below)", "Smallest group shown (--suppress-below)"),
    "period_from": ("Perioder fra (--from)", "Periods from (--from)"), "period_to": ("Perioder til (--to)", "Periods to (--to)"),
    "empty": ("Tom", "Empty"), "all": ("i alt", "total"), "total_over": ("I alt over", "Total over"), "headline": ("Hovedtal", "Headline"),
    "cell_column": ("hfspec-celle", "hfspec-cell"),
})

# -- hfspec explain: a key figure or an expression explained (render/explain.py) --------------------

#: The labels of `hfspec explain HF-O-09` and `hfspec explain '<expression>'`; spec values and
#: code (`share(who5 <= 12)`, SQL) are shown as they are.
EXPLAIN = by_language({
    "type": ("type", "type"), "unit": ("enhed", "unit"), "definition": ("definition", "definition"), "dataset": ("datasæt", "dataset"),
    "joined": ("sammenkædet med {names}", "joined: {names}"), "by": ("opdelt på", "by"), "period": ("periode", "period"),
    "on": ("på {column}", "on {column}"), "target": ("succeskriterium", "target"), "filter": ("filter", "filter"),
    "measure": ("beregning", "measure"), "expression": ("udtryk", "expression"), "aggregate": ("aggregatfunktion", "aggregate"),
    "columns": ("kolonner", "columns"), "none": ("ingen", "none"), "refs": ("nøgletal, der bruges", "key figures used"),
    "parts": ("dele", "parts"), "column": ("kolonne {name}", "column {name}"), "parameter": ("parameter = {value}", "parameter = {value}"),
    "aggregate_function": ("aggregatfunktion", "aggregate function"), "scalar_function": ("skalarfunktion", "scalar function"),
    "derived": ("(afledt: beregnes af resultaterne af {refs}, parret på ens nøgler)", "(derived: computed from the results of {refs}, matched on equal keys)"),
    "context": ("kontekst", "context"), "context_measure": ("beregning (over rækker)", "measure (over rows)"),
    "context_row": ("række (én række ad gangen)", "row (one row at a time)"),
    "let_value": ("let-værdien {name}", "let value {name}"), "let_values": ("let-værdier", "let values"),
    "from_rows": ("aggregatfunktion over den samme borgers rækker i {dataset}", "aggregate over the rows of {dataset} of the same citizen"),
    "per_unit": ("aggregatfunktion pr. enhed, derefter over enhederne", "aggregate per unit, then over units"),
    "sources": ("den samme borgers rækker fra", "rows of the same citizen from"), "to": ("til", "to"),
})


# -- hfspec render: the catalogue document (catalogue/document.py) ------------------------------

#: The translations `t` of the catalogue templates (docs/templates.md): these words plus the
#: vocabulary tables under the names the templates use.
_CATALOGUE_WORDS: dict[str, dict[str, Any]] = {
    "da": {"document": "Nøgletalskatalog", "short": "Kort version", "key_figures": "nøgletal",
           "key_figure": "Nøgletal", "type": "Type", "area": "Område", "unit": "Enhed", "definition": "Definition", "formula": "Formel",
           "measure": "Beregning", "population": "Population (filter)", "dataset": "Datasæt", "derived": "Afledt af",
           "let": "Navngiven værdi", "time": "Dato for perioden",
           "breakdowns": "Opdelt på", "period": "Periode", "counting_unit": "Tælleenhed", "target": "Succeskriterium",
           "instrument": "Instrument", "source": "Datakilde", "goal": "Mål i målhierarkiet", "goals": "Målhierarki",
           "params": "Parametre", "param": "Parameter", "value": "Værdi", "cream": "CREAM-vurdering", "criterion": "Kriterium",
           "score": "Score", "reason": "Begrundelse", "mean": "Gennemsnit", "passed": "Består", "failed": "Består ikke",
           "pass_rule": "alle kriterier mindst {n} af 5", "out_of": "af", "none": "–",
           "advice": "Råd til arbejdet med nøgletal", "overview": "Oversigt over nøgletal",
           "too_many": "Der er valgt {n} nøgletal. Erfaringen fra puljeprojekterne er, at for mange nøgletal koster registreringstid og gør analysen svær – overvej at vælge færre (fx højst {k}).",
           "field": "Felt", "of_total": "i alt",
           "cream_note": "CREAM: vægtet gennemsnit af de fem kriterier (1–5). ! = består ikke (alle kriterier mindst {n} af 5).",
           "cream_note_md": "CREAM: vægtet gennemsnit af de fem kriterier (1–5); et nøgletal består, når alle kriterier er mindst {n} af 5."},
    "en": {"document": "Key-figure catalogue", "short": "Short version", "key_figures": "key figures",
           "key_figure": "Key figure", "type": "Type", "area": "Area", "unit": "Unit", "definition": "Definition", "formula": "Formula",
           "measure": "Measure", "population": "Population (filter)", "dataset": "Dataset", "derived": "Derived from",
           "let": "Named value", "time": "Date of the period",
           "breakdowns": "Broken down by", "period": "Period", "counting_unit": "Counting unit", "target": "Target",
           "instrument": "Instrument", "source": "Data source", "goal": "Goal in the goal hierarchy", "goals": "Goal hierarchy",
           "params": "Parameters", "param": "Parameter", "value": "Value", "cream": "CREAM assessment", "criterion": "Criterion",
           "score": "Score", "reason": "Reason", "mean": "Mean", "passed": "Passes", "failed": "Does not pass",
           "pass_rule": "every criterion at least {n} of 5", "out_of": "of", "none": "–",
           "advice": "Advice on working with key figures", "overview": "Overview of key figures",
           "too_many": "{n} key figures are chosen. The lesson of the fund's projects is that too many key figures cost registration time and make analysis hard – consider choosing fewer (e.g. at most {k}).",
           "field": "Field", "of_total": "in total",
           "cream_note": "CREAM: weighted mean of the five criteria (1–5). ! = does not pass (every criterion at least {n} of 5).",
           "cream_note_md": "CREAM: weighted mean of the five criteria (1–5); a key figure passes when every criterion is at least {n} of 5."},
}
CATALOGUE = {lang: {**DOCUMENT[lang], **words, "yes": YES_NO[lang][True], "no": YES_NO[lang][False],
                    "types": TYPE_TITLES[lang], "type_labels": TYPE_NAMES[lang], "type_intros": TYPE_INTROS[lang],
                    "cream_criteria": CREAM_CRITERIA[lang], "periods": PERIODS[lang], "ops": TARGET_OPS[lang], "units": UNITS[lang],
                    "areas": AREAS[lang], "instruments": INSTRUMENT_NOTES[lang]}
             for lang, words in _CATALOGUE_WORDS.items()}


# -- hfspec check: the rule check (check/render.py) and a rule's default message ----------------

#: The terminal output of the rule check (the report reuses `check_summary`).
CHECK: dict[str, dict[str, Any]] = {
    "da": {
        "check_title": "Regeltjek", "as_of": "pr.", "data": "data", "rules": ("{n} regel", "{n} regler"), "groups": ("gruppe", "grupper"),
        "rows": ("række", "rækker"), "of": "af",
        "severity": {"error": "FEJL", "warning": "ADVARSEL", "info": "INFO"}, "ok": "OK", "row": "række", "more": "… {n} mere (--limit 0 viser alle)",
        "unknown": "{n} med tomme felter", "check_summary": "{e} regler med fejl, {w} med advarsler, {i} med info, {o} overholdt",
        "exit": "exitkode {c}",
        "confidential": "Borgerniveau med pseudonyme id'er – til medarbejdere, der arbejder med borgernes data. Må ikke indgå i samlede rapporter.",
    },
    "en": {
        "check_title": "Rule check", "as_of": "as of", "data": "data", "rules": ("{n} rule", "{n} rules"), "groups": ("group", "groups"),
        "rows": ("row", "rows"), "of": "of",
        "severity": {"error": "ERROR", "warning": "WARNING", "info": "INFO"}, "ok": "OK", "row": "row", "more": "… {n} more (--limit 0 shows all)",
        "unknown": "{n} with empty values", "check_summary": "{e} rules with errors, {w} with warnings, {i} with info, {o} hold",
        "exit": "exit code {c}",
        "confidential": "Citizen level with pseudonymous ids – for staff who work with the citizens' data. Never part of aggregate reports.",
    },
}

#: The message of a broken rule without `message:` (engine/rules.py).
RULE_MESSAGE = by_language({"fails": ("overholdes ikke", "does not hold"), "value": ("værdi", "value")})

# -- hfspec report: the management report (report/management.py, management_xlsx.py) ------------

#: The management report's words for totals, changes since the previous period, targets in
#: charts, the comparison across municipalities and the pooled workers (merged into `REPORT`).
_REPORT_CELLS = by_language({
    "total_row": ("I alt", "Total"), "all_groups": ("Alle", "All"), "change": ("Ændring", "Change"),
    "change_since": ("siden {p}", "since {p}"), "change_missing": ("ingen værdi for {p} at sammenligne med", "no value for {p} to compare with"),
    "change_words": ({"up": "steget", "down": "faldet", "flat": "uændret"}, {"up": "up", "down": "down", "flat": "unchanged"}),
    "change_arrows": ({"up": "↑", "down": "↓", "flat": "→"}, {"up": "↑", "down": "↓", "flat": "→"}),
    "points": ("pct.-point", "percentage points"), "target_short": ("mål", "target"),
    "headline_rule": ("Hovedtallet er det tal, nøgletallet selv angiver som sit (headline:): som regel totalen over alle grupper, for før/efter-nøgletal efter-målingen, for nøgletal pr. periode seneste periode.",
                      "The headline value is the value the key figure names as its own (headline:): usually the total over every group, the after measurement for before/after figures, the latest period for figures per period."),
    "no_headline": ("hovedtal ikke gemt", "headline not stored"),
    "compare": ("Sammenligning på tværs af kommuner", "Comparison across municipalities"),
    "compare_overall": ("Alle", "All"), "compare_no_overall": ("Intet samlet tal (ikke gemt)", "No overall value (not stored)"),
    "compare_unit": ("Kommune", "Municipality"), "compare_not_split": ("kan ikke opdeles på {c}", "cannot be split by {c}"),
    "compare_intro_data": ("Hovedtallet for hvert nøgletal i hver kommune ({c} i data) og for alle kommuner under ét, beregnet af de samme data{src}. Hver celle er diskretioneret for sig: en kommune med færre end {k} borgere i et tal vises som {s}.",
                           "The headline value of each key figure in each municipality ({c} in the data) and for all of them together, computed from the same data{src}. Each cell has its own disclosure control: a municipality with fewer than {k} citizens in a value is shown as {s}."),
    "compare_sources": (" (datamapperne {names} læst sammen; borger- og medarbejder-id'er holdt adskilt pr. mappe)", " (the data folders {names} read together; citizen and worker ids kept apart per folder)"),
    "compare_intro_history": ("Hovedtallet for hvert nøgletal i den seneste gemte kørsel for hver kommune i {f} (kørslens navn er kommunens navn). Tallene er diskretioneret, da de blev gemt; et samlet tal vises kun, hvis det er gemt som en kørsel ({o}).",
                              "The headline value of each key figure in the latest stored run of each municipality in {f} (the run's label is the municipality's name). The values were suppressed when they were stored; an overall value is shown only when it was stored as a run ({o})."),
    "compare_no_units": ("Der er ingen kommuner at sammenligne: {why}", "There are no municipalities to compare: {why}"),
    "pooled": ("Øvrige {m}-medarbejdere ({n})", "Other {m} workers ({n})"), "pooled_all": ("Øvrige medarbejdere ({n})", "Other workers ({n})"),
    "pooled_note": ("Medarbejdere med færre end {k} aktive borgere er lagt sammen pr. metode (og metoder med for få borgere under ét), så deres tal kan vises uden at pege på enkelte borgere. Data har ingen teamkolonne, så metoden er næste niveau over medarbejderen.",
                    "Workers with fewer than {k} active citizens are pooled per method (and methods with too few citizens together), so that their figures can be shown without pointing at single citizens. The data has no team column, so the method is the level above the worker."),
    "signal_key": ("Signaler", "Signals"),
    "workers_cut": ("Tabellen viser de første {shown} af {total} medarbejdere; alle er i Excel-udgaven (--format xlsx). Puljerne og totalen gælder alle.",
                    "The table shows the first {shown} of {total} workers; all of them are in the workbook (--format xlsx). The pools and the total cover everyone."),
    "suppression_mark": ("Diskretioneret", "Suppressed"), "yes": ("ja", "yes"),
    "suppressed_comment": ("Diskretioneret: for få enheder til at vise tallet", "Suppressed: too few units to show the value"),
    "secondary_mark": ("skjult (sekundær)", "hidden (secondary)"),
    "secondary_comment": ("Skjult: tallet er ikke selv lille, men ville sammen med andre tal afsløre et diskretioneret tal",
                          "Hidden: not small itself, but together with other values it would give away a suppressed value"),
    "cell_column": ("hfspec-celle", "hfspec-cell"),
})

#: The management report, HTML and workbook; its templates get these words as `t`.
REPORT: dict[str, dict[str, Any]] = {
    "da": {
        **DOCUMENT["da"], **STATUS_WORDS["da"], **_REPORT_CELLS["da"], "check_summary": CHECK["da"]["check_summary"],
        "document": "Ledelsesrapport", "kicker": "Housing First · ledelsesrapport", "summary": "Sammenfatning",
        "key_figures": "Nøgletal", "findings": "Metodeloyalitet og datakvalitet (regeltjek)", "workers": "Dobbelt bundlinje pr. medarbejder",
        "history": "Udvikling over kørsler", "som": "SØM-beregning",
        "data_period": "Dataperiode", "whole_data": "hele datagrundlaget", "reference_date": "Opgørelsesdato", "catalogue": "Katalog",
        "datasets": "Rækker pr. datasæt", "dataset": "Datasæt", "rows": "rækker", "skipped": "udeladt (ugyldige)",
        "suppression": "Diskretionering",
        "suppression_rule": "Værdier for grupper med færre end {k} enheder og optællinger på 1–{k1} vises som {s} – aldrig som tal. Medarbejdere med færre end {k} aktive borgere lægges sammen, før noget skjules.",
        "suppression_off": "Diskretionering er slået fra (--suppress-below 0): små grupper vises. Rapporten må ikke deles uden for kommunen.",
        "type": "Type", "no_target": "intet mål", "unknown": "ikke vurderet",
        "status_symbols": {"met": "✔", "not_met": "✖", "no_target": "–", "unknown": "?"},
        "summary_note": "Et nøgletals status er status for dets hovedtal – det tal, nøgletallet selv angiver som sit: som regel totalen over alle grupper, for før/efter-nøgletal efter-målingen, for nøgletal pr. periode seneste periode. «Ikke vurderet»: hovedtallet er diskretioneret eller mangler.",
        "headline": "Hovedtal", "title": "Titel", "target": "Succeskriterium", "value": "Værdi", "n": "n", "status": "Status", "period": "Periode", "unit": "Enhed",
        "all": "alle", "no_rows": "Ingen data.", "no_key_figures": "Ingen nøgletal af denne type i kataloget.",
        "latest_period": "Tabellen viser seneste periode ({p}).", "rows_cut": "Viser {shown} af {total} rækker; alle rækker er i Excel-udgaven (--format xlsx).",
        "pseudonym_left_out": "Nøgletallet er opdelt på borger-id ({cols}) og vises derfor ikke i en ledelsesrapport.",
        "chart_period": "Udvikling pr. periode", "chart_mp": "Før, under og efter", "chart_gaps": "Huller i kurven er diskretionerede værdier.",
        "chart_too_many": "For mange grupper ({n}) til en figur; se tabellen.", "suppressed_short": "diskr.",
        "findings_intro": "Reglerne fra hfspec check pr. {d}. Kun tal på samlet niveau: for regler om enkelte borgere eller datarækker vises antallet af berørte rækker og borgere – aldrig id'er eller rækkernes indhold.",
        "rule": "Regel", "severity": "Alvor", "checked": "Tjekket", "failed": "Brud", "citizens": "Borgere berørt", "empty": "Tomme felter", "details": "Fund",
        "severities": {"error": "fejl", "warning": "advarsel", "info": "info", "ok": "overholdt"},
        "severity_symbols": {"error": "✖", "warning": "!", "info": "i", "ok": "✔"},
        "groups": ["gruppe", "grupper"], "rows_word": ["række", "rækker"], "count_only": "{n} {what} – kun antal (borgerniveau)",
        "workers_intro": "Aktive borgere pr. {d} for hver medarbejder: metode, antal aktive borgere, gennemsnitlig akkumuleret tid brugt af planen og antal borgere med hvert signal. Ingen borger-id'er. Medarbejdere med færre end {k} aktive borgere vises ikke hver for sig.",
        "worker": "Medarbejder", "method": "Metode", "active": "Aktive borgere", "time_used": "Gns. tid brugt af planen", "worker_rules": "Regelbrud (medarbejder)",
        "no_worker": "(ingen medarbejder)", "all_workers": "I alt (viste medarbejdere)",
        "history_intro": ["Hovedtallet for hvert nøgletal i den ene kørsel i {f}, valgt som i resten af rapporten (i kørslens seneste periode).",
                          "Hovedtallet for hvert nøgletal i de {n} kørsler i {f}, valgt som i resten af rapporten (i kørslens seneste periode)."],
        "run": "Kørsel", "label": "Navn", "stamp": "Gemt", "data_hash": "Data", "catalogue_hash": "Katalog",
        "history_cut": "Tabellen viser de seneste {n} kørsler; figurerne viser alle.", "not_in_run": "ikke beregnet",
        "som_intro": "Akkumuleret nettoresultat pr. betaler ved horisonten (år {n}), break-even-år og afkast pr. investeret krone. Hele beregningen:",
        "acc_at": "Akkumuleret nettoresultat år {n}", "break_even": "Break-even-år", "return": "Afkast pr. investeret krone",
        "payer": "Betaler", "mkr": "mio. kr.", "chart_som": "Akkumuleret nettoresultat pr. betaler",
        "not_available": "Ikke med i rapporten: {why}", "missing_files": "der mangler datafiler ({names}).",
        "ref_differs": "Nøgletallene er opgjort pr. katalogets reference_date {c}; regeltjek og medarbejderoversigt pr. {r}.",
    },
    "en": {
        **DOCUMENT["en"], **STATUS_WORDS["en"], **_REPORT_CELLS["en"], "check_summary": CHECK["en"]["check_summary"],
        "document": "Management report", "kicker": "Housing First · management report", "summary": "Summary",
        "key_figures": "Key figures", "findings": "Method fidelity and data quality (rule check)", "workers": "Double bottom line per worker",
        "history": "Development over runs", "som": "SØM calculation",
        "data_period": "Data period", "whole_data": "all the data", "reference_date": "Reference date", "catalogue": "Catalogue",
        "datasets": "Rows per dataset", "dataset": "Dataset", "rows": "rows", "skipped": "left out (invalid)",
        "suppression": "Disclosure control",
        "suppression_rule": "Values of groups with fewer than {k} units and counts of 1–{k1} are shown as {s} – never as numbers. Workers with fewer than {k} active citizens are pooled before anything is hidden.",
        "suppression_off": "Disclosure control is off (--suppress-below 0): small groups are shown. Do not share this report outside the municipality.",
        "type": "Type", "no_target": "no target", "unknown": "not assessed",
        "status_symbols": {"met": "✔", "not_met": "✖", "no_target": "–", "unknown": "?"},
        "summary_note": "A key figure's status is the status of its headline value – the value the key figure names as its own: usually the total over every group, the after measurement for before/after figures, the latest period for figures per period. \"Not assessed\": the headline value is suppressed or missing.",
        "headline": "Headline", "title": "Title", "target": "Target", "value": "Value", "n": "n", "status": "Status", "period": "Period", "unit": "Unit",
        "all": "all", "no_rows": "No data.", "no_key_figures": "No key figures of this type in the catalogue.",
        "latest_period": "The table shows the latest period ({p}).", "rows_cut": "Showing {shown} of {total} rows; every row is in the workbook (--format xlsx).",
        "pseudonym_left_out": "The key figure is broken down by citizen id ({cols}) and is therefore not shown in a management report.",
        "chart_period": "Development per period", "chart_mp": "Before, during and after", "chart_gaps": "Gaps in a line are suppressed values.",
        "chart_too_many": "Too many groups ({n}) for a chart; see the table.", "suppressed_short": "suppr.",
        "findings_intro": "The rules of hfspec check as of {d}. Aggregate figures only: for rules about single citizens or data rows, the number of rows and citizens concerned is shown – never ids or row contents.",
        "rule": "Rule", "severity": "Severity", "checked": "Checked", "failed": "Breaches", "citizens": "Citizens concerned", "empty": "Empty values", "details": "Findings",
        "severities": {"error": "error", "warning": "warning", "info": "info", "ok": "holds"},
        "severity_symbols": {"error": "✖", "warning": "!", "info": "i", "ok": "✔"},
        "groups": ["group", "groups"], "rows_word": ["row", "rows"], "count_only": "{n} {what} – counts only (citizen level)",
        "workers_intro": "Active citizens as of {d} for each worker: method, number of active citizens, average accumulated time used of the plan and number of citizens with each signal. No citizen ids. Workers with fewer than {k} active citizens are not shown one by one.",
        "worker": "Worker", "method": "Method", "active": "Active citizens", "time_used": "Avg. time used of the plan", "worker_rules": "Rule breaches (worker)",
        "no_worker": "(no worker)", "all_workers": "Total (workers shown)",
        "history_intro": ["The headline value of each key figure in the one run in {f}, chosen as in the rest of the report (in the run's latest period).",
                          "The headline value of each key figure in the {n} runs in {f}, chosen as in the rest of the report (in the run's latest period)."],
        "run": "Run", "label": "Label", "stamp": "Stored", "data_hash": "Data", "catalogue_hash": "Catalogue",
        "history_cut": "The table shows the latest {n} runs; the charts show all.", "not_in_run": "not computed",
        "som_intro": "Accumulated net result per payer at the horizon (year {n}), break-even year and return per invested krone. The whole calculation:",
        "acc_at": "Accumulated net result year {n}", "break_even": "Break-even year", "return": "Return per invested krone",
        "payer": "Payer", "mkr": "DKK million", "chart_som": "Accumulated net result per payer",
        "not_available": "Not part of the report: {why}", "missing_files": "data files are missing ({names}).",
        "ref_differs": "The key figures are computed as of the catalogue's reference_date {c}; the rule check and the worker summary as of {r}.",
    },
}

#: The report workbook's sheet names (at most 31 characters).
REPORT_SHEETS: dict[str, dict[str, Any]] = {
    "da": {"summary": "Oversigt", **TYPE_NAMES["da"],
           "findings": "Regeltjek", "workers": "Medarbejdere", "compare": "Sammenligning", "history": "Historik", "som": "SØM"},
    "en": {"summary": "Summary", **TYPE_NAMES["en"],
           "findings": "Rule check", "workers": "Workers", "compare": "Comparison", "history": "History", "som": "SØM"},
}


# -- hfspec dbl: the double bottom line (dbl/render.py) -----------------------------------------

#: The terminal output and the citizen sheets; the templates get the plain texts as `t`.
DBL: dict[str, dict[str, Any]] = {
    "da": {
        "title": "Dobbelt bundlinje", "as_of": "pr.", "goal": "Mål", "confidential": "Borgerniveau med pseudonyme id'er – til bostøttemedarbejderen og teamet. Må ikke indgå i samlede rapporter.",
        "worker": "Medarbejder", "citizen": "Borger", "method": "Metode",
        "worker_citizens": {"active": ("{n} aktiv borger", "{n} aktive borgere"), "all": ("{n} borger", "{n} borgere")},
        "month": "Md.", "time_used": "Tid brugt", "time_planned": "Plan til dato", "goal_latest": "Mål", "goal_expected": "Forv.",
        "trend": "Trend", "signals": "Signaler", "none": "–", "no_data": "ingen registreringer i tid",
        "summary": ("{n} borger, {s} med signaler", "{n} borgere, {s} med signaler"), "phase": "Fase {n}", "step": "Trin", "exp_hours": "Forv. timer", "act_hours": "Fakt. timer",
        "dev_hours": "Afvigelse", "acc_exp": "Akk. forv.", "acc_act": "Akk. fakt.", "exp_goal": "Forv. mål", "act_goal": "Fakt. mål", "dev_goal": "Afv. mål",
        "course": "Forløb", "ended": "afsluttet", "ongoing": "aktivt", "not_started": "ikke startet", "plan": "Plan",
        "plan_text": ("{h} timer over {m} måned", "{h} timer over {m} måneder"), "course_month": "forløbsmåned {n}", "planned": "planlagt", "current": "i gang",
        "chart_title": "Akkumuleret tid i % af planen (søjler) og fagligt mål (kurver)", "chart_y": "Tid brugt af planen",
        "bar_exp": "Forventet tid, akkumuleret", "bar_act": "Faktisk tid, akkumuleret", "line_exp": "Forventet mål", "line_act": "Faktisk mål",
        "no_signals": "Ingen signaler.", "what_to_do": "Hvad gør jeg?", "sheet_kicker": "Dobbelt bundlinje · borgerark",
        "overview_kicker": "Dobbelt bundlinje · oversigt", "worker_signals": "Signaler for medarbejderen",
        "trend_words": {"up": "↑", "down": "↓", "flat": "→"}, "curve_words": {"above": "over kurven", "on": "på kurven", "below": "under kurven"},
        "key_time": "Tid brugt af planen", "key_time_note": "plan til dato {p}", "key_goal": "Seneste mål", "key_goal_note": "forventet {e} · start {s}",
        "key_plan": "Plan i alt", "key_month": "Forløbsmåned", "plan_months": ("timer over {m} måned", "timer over {m} måneder"),
        "partial_plan": "Planen dækker {m} af CTI-forløbets 9 måneder. Procenterne er af den registrerede plan, så den forventede søjle når 100 % i den seneste planlagte måned. Registrér den forventede tid for de kommende måneder (med tom faktisk tid), så søjlerne viser, hvor meget af den afsatte tid der er brugt.",
        "open_plan": "ICM og ACT er ikke tidsbegrænsede: planen er summen af den forventede tid i de registrerede måneder, også kommende måneder, hvis de er registreret.",
        "definitions": "Sådan læses arket",
        "def_items": [
            "Søjlerne viser den akkumulerede forventede og faktiske tid i procent af planen (al forventet tid for borgeren). Ligger den faktiske søjle over den forventede, er der brugt mere tid end planlagt indtil nu.",
            "Kurverne viser det forventede og det faktiske faglige mål ({instrument}) ved trinnets seneste registrering (højre akse).",
            "Afvigelse i timer er faktisk minus forventet tid i de måneder, hvor tiden er registreret; procenten er faktisk i forhold til forventet.",
            "Signalerne kommer fra reglerne i specs/dbl/signaler.yaml; grænserne kan kommunen selv ændre.",
        ],
        "source_status": "fra status", "missing_months": "måneder uden registreret tid",
    },
    "en": {
        "title": "Double bottom line", "as_of": "as of", "goal": "Goal", "confidential": "Citizen level with pseudonymous ids – for the support worker and the team. Never part of aggregate reports.",
        "worker": "Worker", "citizen": "Citizen", "method": "Method",
        "worker_citizens": {"active": ("{n} active citizen", "{n} active citizens"), "all": ("{n} citizen", "{n} citizens")},
        "month": "Mo.", "time_used": "Time used", "time_planned": "Plan to date", "goal_latest": "Goal", "goal_expected": "Exp.",
        "trend": "Trend", "signals": "Signals", "none": "–", "no_data": "no registrations in tid",
        "summary": ("{n} citizen, {s} with signals", "{n} citizens, {s} with signals"), "phase": "Phase {n}", "step": "Step", "exp_hours": "Exp. hours", "act_hours": "Act. hours",
        "dev_hours": "Deviation", "acc_exp": "Acc. exp.", "acc_act": "Acc. act.", "exp_goal": "Exp. goal", "act_goal": "Act. goal", "dev_goal": "Goal dev.",
        "course": "Course", "ended": "ended", "ongoing": "active", "not_started": "not started", "plan": "Plan",
        "plan_text": ("{h} hours over {m} month", "{h} hours over {m} months"), "course_month": "course month {n}", "planned": "planned", "current": "in progress",
        "chart_title": "Accumulated time in % of the plan (bars) and professional goal (curves)", "chart_y": "Time used of the plan",
        "bar_exp": "Expected time, accumulated", "bar_act": "Actual time, accumulated", "line_exp": "Expected goal", "line_act": "Actual goal",
        "no_signals": "No signals.", "what_to_do": "What do I do?", "sheet_kicker": "Double bottom line · citizen sheet",
        "overview_kicker": "Double bottom line · overview", "worker_signals": "Signals for the worker",
        "trend_words": {"up": "↑", "down": "↓", "flat": "→"}, "curve_words": {"above": "above the curve", "on": "on the curve", "below": "below the curve"},
        "key_time": "Time used of the plan", "key_time_note": "plan to date {p}", "key_goal": "Latest goal", "key_goal_note": "expected {e} · start {s}",
        "key_plan": "Plan in total", "key_month": "Course month", "plan_months": ("hours over {m} month", "hours over {m} months"),
        "partial_plan": "The plan covers {m} of the CTI course's 9 months. The percentages are of the registered plan, so the expected bar reaches 100 % in the latest planned month. Register the expected time for the coming months (with empty actual time) so that the bars show how much of the allotted time has been used.",
        "open_plan": "ICM and ACT are open-ended: the plan is the sum of the expected time in the registered months, coming months included when they are registered.",
        "definitions": "How to read the sheet",
        "def_items": [
            "The bars show the accumulated expected and actual time in per cent of the plan (all expected time for the citizen). When the actual bar is above the expected one, more time has been used than planned so far.",
            "The curves show the expected and the actual professional goal ({instrument}) at the step's latest registration (right axis).",
            "The deviation in hours is actual minus expected time in the months where time is registered; the per cent is actual relative to expected.",
            "The signals come from the rules in specs/dbl/signaler.yaml; the municipality can change their limits.",
        ],
        "source_status": "from status", "missing_months": "months without registered time",
    },
}


# -- hfspec som: SØM (som/render.py, som/scenario.py) ---------------------------------------------

#: The terminal output and the report (templates: `w`).
SOM: dict[str, dict[str, Any]] = {
    "da": {
        **DOCUMENT["da"],
        "kicker": "SØM-beregning", "model": "Model", "fixed_prices": "faste {y}-priser", "prices_as_given": "priser som angivet",
        "years": ("{n} år", "{n} år"), "discount": "diskontering",
        "acc_total": "akk. i alt", "payers": {"kommune": "kommune", "region": "region", "stat": "stat"},
        "net_table": "Nettoresultat pr. år og betaler (kr.)", "net_table_pv": "Nettoresultat pr. år og betaler (kr., nutidsværdi)",
        "acc_table": "Akkumuleret nettoresultat pr. betaler (kr.)",
        "savings": "besparelser", "costs": "omkostninger", "net": "nettoresultat",
        "break_even": "Break-even-år", "break_even_none": ("ikke inden for {n} år", "ikke inden for {n} år"), "break_even_year": "år {y}",
        "return": "Afkast pr. investeret krone", "cost_per_success": "Omkostning pr. succesfuld deltager",
        "successes": "Succeser, der tælles med", "of_participants": "af {n} deltagere",
        "sens_title": "Følsomhedsanalyse (én forudsætning ad gangen)",
        "sens_metric": "Resultat: samlet akkumuleret nettoresultat år {n}; basis {b} kr.",
        "sens_cols": ["forudsætning", "lav", "høj", "resultat ved lav", "resultat ved høj", "udsving"],
        "sens_none": "Ingen forudsætninger har et `range:` – der er intet at variere.",
        "switching": "Skifteværdi for {input}: {v} – ved denne værdi er det samlede nettoresultat år {n} lig 0.",
        "switching_none": "Skifteværdi for {input}: ingen i {lo}–{hi} (resultatet skifter ikke fortegn).",
        "mc_title": "Monte Carlo-simulering ({n} trækninger, seed {s})",
        "mc_metric": "Akkumuleret nettoresultat år {n} (kr.); p10/p50/p90 = 10., 50. og 90. percentil.",
        "mc_cols": ["betaler", "P(> 0)", "p10", "p50", "p90", "middel"],
        "mc_break_even": "Andel af trækningerne med break-even inden for perioden: {v}",
        "mc_return": "Afkast pr. krone: p10 {p10}, p50 {p50}, p90 {p90}",
        "mc_varied": "Varierede forudsætninger: {names}",
        "mc_none": "Ingen forudsætninger har et `range:` – alle trækninger er ens.",
        "factor": "faktor", "dists": {"normal": "normal", "triangular": "trekant", "uniform": "ligefordelt"},
        "mode": "mest sandsynligt", "sd": "sd",
        "discount_text": {"none": "ingen", "finansministeriet": "Finansministeriets kædede rente (3,5 % år 0–35, 2,5 % år 36–70, 1,5 % derefter)"},
        "rate": "{r} % om året", "no_rate": "ingen",
        "timing": {"end_of_year": "beløb ved årets slutning (år t diskonteres t år)",
                   "mid_year": "beløb midt i året (år t diskonteres t − ½ år)",
                   "start_of_year": "beløb ved årets begyndelse (år 1 diskonteres ikke; år t diskonteres t − 1 år)"},
        "timing_other": "år t diskonteres t − 1 + {x} år",
        "lasting_break_even": "Varigt break-even-år", "irr": "Intern rente",
        "key_table": "Nøgletal pr. betaler og i alt (kr., over hele perioden)",
        "key_rows": {"savings": "besparelser", "costs": "omkostninger", "net": "nettoresultat", "return": "afkast pr. krone",
                     "break_even": "break-even-år (første)", "lasting": "break-even-år (varigt)", "irr": "intern rente"},
        "lasting_none": "ikke inden for {n} år", "notes": "Noter", "note": "{what} ({who}): {why}.",
        "why_return": {"no_costs": "ingen omkostninger – afkastet pr. krone kan ikke beregnes",
                       "negative_costs": "omkostningerne er negative (basisalternativet koster mere end indsatsen) – afkastet pr. krone giver ikke mening"},
        "why_irr": {"no_cash_flows": "nettoresultatet er 0 i alle år",
                    "no_sign_change": "nettoresultatet skifter ikke fortegn, så ingen rente gør nutidsværdien 0",
                    "several_sign_changes": "nettoresultatet skifter fortegn flere gange, så nutidsværdien kan være 0 ved flere renter, og ingen af dem er den interne rente",
                    "out_of_range": "renten ligger uden for det søgte interval (−100 % til 485 mio. %)"},
        "why_label": "hvorfor", "irr_timing": "Intern rente: den rente, der gør nutidsværdien af nettoresultaterne 0, med {timing}.",
        "refusion": "§ 110-refusion",
        "refusion_2023": "reglen fra {d} – staten refunderer {s} af kommunens udgift til de første {n} døgn pr. borger pr. år (casen er beregnet {p})",
        "refusion_split": "{w} af de sparede herbergsdøgn havde refusion ({a}), så staten bærer {st} og kommunen {k} af de sparede § 110-udgifter",
        "refusion_old": "priserne fordeles, som de er angivet – reglen før {d}, da casen er beregnet {p}",
        "refusion_no_date": "priserne fordeles, som de er angivet – reglen før {d}, da scenariet ikke angiver en beregningsdato (`priced_on`)",
        "refusion_old_split": "staten bærer {st} og kommunen {k} af § 110-døgnets pris",
        "refusion_no_nights": "ingen ændring i § 110-døgn (konsekvensen `herberg`)",
        "assumption": {"whole": "hele borgerår falder bort", "shortened": "hvert borgerår afkortes med samme andel",
                       "mix": "{x} af faldet er hele borgerår, resten afkortede borgerår"},
    },
    "en": {
        **DOCUMENT["en"],
        "kicker": "SØM calculation", "model": "Model", "fixed_prices": "fixed {y} prices", "prices_as_given": "prices as given",
        "years": ("{n} year", "{n} years"), "discount": "discounting",
        "acc_total": "acc. total", "payers": {"kommune": "municipality", "region": "region", "stat": "state"},
        "net_table": "Net result per year and payer (DKK)", "net_table_pv": "Net result per year and payer (DKK, present value)",
        "acc_table": "Accumulated net result per payer (DKK)",
        "savings": "savings", "costs": "costs", "net": "net result",
        "break_even": "Break-even year", "break_even_none": ("not within {n} year", "not within {n} years"), "break_even_year": "year {y}",
        "return": "Return per invested krone", "cost_per_success": "Cost per successful participant",
        "successes": "Successes counted", "of_participants": "of {n} participants",
        "sens_title": "Sensitivity analysis (one assumption at a time)",
        "sens_metric": "Result: total accumulated net result in year {n}; base {b} DKK.",
        "sens_cols": ["assumption", "low", "high", "result at low", "result at high", "swing"],
        "sens_none": "No assumption has a `range:` – there is nothing to vary.",
        "switching": "Switching value of {input}: {v} – at this value the total net result in year {n} is 0.",
        "switching_none": "Switching value of {input}: none in {lo}–{hi} (the result does not change sign).",
        "mc_title": "Monte Carlo simulation ({n} draws, seed {s})",
        "mc_metric": "Accumulated net result in year {n} (DKK); p10/p50/p90 = 10th, 50th and 90th percentile.",
        "mc_cols": ["payer", "P(> 0)", "p10", "p50", "p90", "mean"],
        "mc_break_even": "Share of draws that break even within the horizon: {v}",
        "mc_return": "Return per krone: p10 {p10}, p50 {p50}, p90 {p90}",
        "mc_varied": "Assumptions varied: {names}",
        "mc_none": "No assumption has a `range:` – every draw is the same.",
        "factor": "factor", "dists": {"normal": "normal", "triangular": "triangular", "uniform": "uniform"},
        "mode": "most likely", "sd": "sd",
        "discount_text": {"none": "none", "finansministeriet": "the Finance Ministry's chained rate (3.5 % years 0–35, 2.5 % years 36–70, 1.5 % after)"},
        "rate": "{r} % a year", "no_rate": "none",
        "timing": {"end_of_year": "amounts at the end of the year (year t is discounted t years)",
                   "mid_year": "amounts in the middle of the year (year t is discounted t − ½ years)",
                   "start_of_year": "amounts at the start of the year (year 1 is not discounted; year t is discounted t − 1 years)"},
        "timing_other": "year t is discounted t − 1 + {x} years",
        "lasting_break_even": "Lasting break-even year", "irr": "Internal rate of return",
        "key_table": "Key results per payer and in total (DKK, over the whole horizon)",
        "key_rows": {"savings": "savings", "costs": "costs", "net": "net result", "return": "return per krone",
                     "break_even": "break-even year (first)", "lasting": "break-even year (lasting)", "irr": "internal rate of return"},
        "lasting_none": "not within {n} years", "notes": "Notes", "note": "{what} ({who}): {why}.",
        "why_return": {"no_costs": "no costs – the return per krone cannot be computed",
                       "negative_costs": "the costs are negative (the usual alternative costs more than the intervention) – a return per krone has no meaning"},
        "why_irr": {"no_cash_flows": "the net result is 0 in every year",
                    "no_sign_change": "the net result never changes sign, so no rate makes its present value 0",
                    "several_sign_changes": "the net result changes sign several times, so its present value may be 0 at several rates, and none of them is the internal rate of return",
                    "out_of_range": "the rate lies outside the interval searched (−100 % to 485 million %)"},
        "why_label": "why", "irr_timing": "Internal rate of return: the rate that makes the present value of the net results 0, with {timing}.",
        "refusion": "Section 110 refusion",
        "refusion_2023": "the rule of {d} – the state refunds {s} of the municipality's expense for the first {n} nights per citizen per year (the case is priced {p})",
        "refusion_split": "{w} of the shelter nights saved had refusion ({a}), so the state bears {st} and the municipality {k} of the section 110 spending saved",
        "refusion_old": "the prices are split as given – the rule before {d}, as the case is priced {p}",
        "refusion_no_date": "the prices are split as given – the rule before {d}, as the scenario gives no calculation date (`priced_on`)",
        "refusion_old_split": "the state bears {st} and the municipality {k} of the price of a section 110 night",
        "refusion_no_nights": "no change in section 110 nights (the consequence `herberg`)",
        "assumption": {"whole": "whole citizen-years fall away", "shortened": "every citizen-year is shortened by the same share",
                       "mix": "{x} of the fall is whole citizen-years, the rest shortened citizen-years"},
    },
}

#: Words of the rendered report that the terminal output does not use (templates: `t`).
SOM_REPORT: dict[str, dict[str, Any]] = {
    "da": {
        **DOCUMENT["da"],
        "document": "SØM-beregning", "summary": "Resultat kort",
        "target_group": "Målgruppe", "intervention": "Indsats", "steps": "Beregningen trin for trin",
        "formula": "Formel", "value": "Værdi", "source": "Kilde", "range": "Usikkerhed (range)", "input": "Forudsætning",
        "from_data": "Fra data", "price_year_note": "omregnet fra {y}-priser med prisindeks {a} → {b} (faktor {f})",
        "sections": {
            "target": ("1. Målgruppe og indsats", "Hvem indsatsen er for, og hvad den består af."),
            "participants": ("2. Deltagere", "Antal borgere, der starter i indsatsen, pr. hold. Hold c starter i år c."),
            "success": ("3. Succes", "Hvor mange deltagere der forventes at opnå effektmålet, og hvor mange af dem der tælles med, når dødvægten trækkes fra."),
            "consequences": ("4. Konsekvenser", "Ændret forbrug af offentlige ydelser pr. succesfuld deltager pr. år efter start. Negativ = mindre brug af ydelsen."),
            "prices": ("5. Priser", "Offentlige udgifter pr. enhed af hver ydelse, fordelt på kommune, region og stat. Negativ = indtægt (fx skat)."),
            "costs": ("6. Omkostninger", "Hvad indsatsen koster pr. år og betaler: opstart, fast drift og forløb, minus det basisalternativ, deltagerne ellers ville have fået."),
            "result": ("7. Resultat", "Besparelser minus omkostninger pr. år og betaler, lagt sammen over perioden."),
            "sensitivity": ("8. Følsomhed", "Hvor meget resultatet flytter sig, når én forudsætning ad gangen sættes til den lave og den høje ende af sit interval."),
            "uncertainty": ("9. Usikkerhed", "Alle usikre forudsætninger trækkes samtidigt tilfældigt inden for deres intervaller; fordelingen af resultatet viser, hvor sikkert det er."),
            "formulas": ("10. Modellens formler", "Hver beregning i modellen, i den rækkefølge de bygger på hinanden, med formlen og hvad den beregner."),
            "sources": ("11. Kilder og forudsætninger", "Hvor hvert tal kommer fra."),
        },
        "cohort": "hold", "start_year": "startår", "participants": "deltagere", "successes_col": "succeser (tælles med)",
        "consequence": "konsekvens", "since": "år efter start", "chart_acc": "Akkumuleret nettoresultat pr. betaler",
        "chart_tornado": "Følsomhed: samlet nettoresultat år {n}", "chart_mc": "Akkumuleret nettoresultat i alt: p10, p50, p90",
        "not_run_sens": "Følsomhedsanalysen er ikke kørt (brug `--sensitivity`).",
        "not_run_mc": "Monte Carlo-simulering er ikke kørt (brug `--monte-carlo N --seed S`).",
        "cost_rows": {"fixed_costs": "opstart og fast drift", "course_costs": "forløbsomkostninger", "alternative_costs": "sparet basisalternativ", "costs": "omkostninger i alt"},
        "per_year": "pr. år", "dims": "Dimensioner", "tornado_labels": ("lav", "høj"),
        "refusion_title": "§ 110-refusion: hvem sparer hvad på herbergsdøgn", "stay_group": "gruppe af borgerår",
    },
    "en": {
        **DOCUMENT["en"],
        "document": "SØM calculation", "summary": "Result in brief",
        "target_group": "Target group", "intervention": "Intervention", "steps": "The calculation step by step",
        "formula": "Formula", "value": "Value", "source": "Source", "range": "Uncertainty (range)", "input": "Assumption",
        "from_data": "From data", "price_year_note": "converted from {y} prices with price index {a} → {b} (factor {f})",
        "sections": {
            "target": ("1. Target group and intervention", "Who the intervention is for and what it consists of."),
            "participants": ("2. Participants", "Number of citizens who start the intervention, per cohort. Cohort c starts in year c."),
            "success": ("3. Success", "How many participants are expected to reach the outcome goal, and how many of them count once deadweight is taken off."),
            "consequences": ("4. Consequences", "Change in use of public services per successful participant per year since start. Negative = less use of the service."),
            "prices": ("5. Prices", "Public spending per unit of each service, split on municipality, region and state. Negative = revenue (e.g. tax)."),
            "costs": ("6. Costs", "What the intervention costs per year and payer: start-up, fixed running and courses, minus the usual alternative participants would otherwise have had."),
            "result": ("7. Result", "Savings minus costs per year and payer, added up over the horizon."),
            "sensitivity": ("8. Sensitivity", "How much the result moves when one assumption at a time is set to the low and the high end of its range."),
            "uncertainty": ("9. Uncertainty", "All uncertain assumptions are drawn at random within their ranges at the same time; the distribution of the result shows how certain it is."),
            "formulas": ("10. The model's formulas", "Every calculation of the model, in the order they build on each other, with the formula and what it computes."),
            "sources": ("11. Sources and assumptions", "Where each figure comes from."),
        },
        "cohort": "cohort", "start_year": "start year", "participants": "participants", "successes_col": "successes (counted)",
        "consequence": "consequence", "since": "years since start", "chart_acc": "Accumulated net result per payer",
        "chart_tornado": "Sensitivity: total net result in year {n}", "chart_mc": "Total accumulated net result: p10, p50, p90",
        "not_run_sens": "The sensitivity analysis was not run (use `--sensitivity`).",
        "not_run_mc": "The Monte Carlo simulation was not run (use `--monte-carlo N --seed S`).",
        "cost_rows": {"fixed_costs": "start-up and fixed running", "course_costs": "course costs", "alternative_costs": "saved usual alternative", "costs": "total costs"},
        "per_year": "per year", "dims": "Dimensions", "tornado_labels": ("low", "high"),
        "refusion_title": "Section 110 refusion: who saves what on shelter nights", "stay_group": "group of citizen-years",
    },
}

#: The source of a scenario's `discount:` (a preset, or `rate` with `{r}` the yearly rate in %).
SOM_DISCOUNT = {
    "da": {"none": "Ingen diskontering (SØM's standard: faste priser).",
           "finansministeriet": "Finansministeriets kædede diskonteringsrente: 3,5 % i år 0–35, 2,5 % i år 36–70, 1,5 % derefter.",
           "rate": "Diskonteringsrente {r} % om året i alle år.",
           "timing": "Scenariets konvention `discount_timing: {t}`."},
    "en": {"none": "No discounting (SØM's default: fixed prices).",
           "finansministeriet": "The Danish Finance Ministry's chained discount rate: 3.5 % in years 0–35, 2.5 % in years 36–70, 1.5 % after.",
           "rate": "Discount rate {r} % a year in every year.",
           "timing": "The scenario's convention `discount_timing: {t}`."},
}

# -- hfspec cream: CREAM (cream/model.py, command.py, files.py, ratings.py) ---------------------

#: The CREAM section of documents (cream_section templates).
CREAM: dict[str, dict[str, Any]] = {
    "da": {"title": "CREAM-prioritering", "rank": "Plads", "id": "Id", "key_figure": "Nøgletal", "type": "Type", "score": "Vægtet score",
           "gate": "Port", "passed": "består", "failed": "består ikke", "cost": "Indsamlingsomkostning", "disagreement": "Uenighed",
           "shortlist": "Kort liste", "coverage": "Dækning", "criteria": "Kriterier", "weight": "vægt", "none": "–",
           "intro": "Nøgletallene er vurderet på de fem CREAM-kriterier (1–5). Et nøgletal består, når alle kriterier er mindst {n}; "
                    "de beståede rangeres efter det vægtede gennemsnit, og lige scorer deler plads. Nøgletal, der ikke består, rangeres ikke.",
           "source_catalogue": "Kilde: nøgletallenes egne CREAM-vurderinger i kataloget.",
           "source_ratings": "Kilde: workshopbedømmelser fra {files} ({raters}; medianen pr. kriterium), ellers katalogets vurdering.",
           "legend_disagreement": "Uenighed: bedømmerne ligger mindst {p} point fra hinanden på kriteriet.",
           "legend": "Fed id = på den korte liste. * efter en score = stor uenighed (bedømmerne ligger mindst {p} point fra hinanden). "
                     "Plads – = består ikke og rangeres ikke. Indsamlingsomkostning = omkostningseffektivitet læst som omkostning (lav: 4–5, middel: 3, høj: under 3).",
           "top": "de {n} bedst placerede, der består", "select": "katalogets select-liste",
           "rater": "{n} bedømmer", "raters": "{n} bedømmere"},
    "en": {"title": "CREAM prioritisation", "rank": "Rank", "id": "Id", "key_figure": "Key figure", "type": "Type", "score": "Weighted score",
           "gate": "Gate", "passed": "passes", "failed": "fails", "cost": "Cost of collection", "disagreement": "Disagreement",
           "shortlist": "Short list", "coverage": "Coverage", "criteria": "Criteria", "weight": "weight", "none": "–",
           "intro": "The key figures are rated on the five CREAM criteria (1–5). A key figure passes when every criterion is at least {n}; "
                    "those that pass are ranked by the weighted mean, and equal scores share a rank. Key figures that fail are not ranked.",
           "source_catalogue": "Source: the key figures' own CREAM assessments in the catalogue.",
           "source_ratings": "Source: workshop ratings from {files} ({raters}; the median per criterion), else the catalogue's assessment.",
           "legend_disagreement": "Disagreement: the raters are at least {p} points apart on the criterion.",
           "legend": "Bold id = on the short list. * after a score = strong disagreement (the raters are at least {p} points apart). "
                     "Rank – = fails and is not ranked. Cost of collection = the economic score read as cost (low: 4–5, medium: 3, high: below 3).",
           "top": "the {n} best-ranked that pass", "select": "the catalogue's select list",
           "rater": "{n} rater", "raters": "{n} raters"},
}

#: The terminal output of `hfspec cream`.
CREAM_TEXT: dict[str, dict[str, Any]] = {
    "da": {"rank": "#", "id": "id", "title": "titel", "type": "type", "score": "score", "cost": "indsamlingsomkostning", "disagree": "uenighed",
           "gate": "port", "heading": "CREAM-rangering", "key_figures": "nøgletal", "pass": "består", "fail": "består ikke",
           "pass_mark": "bestå-grænse", "weights": "vægte", "legend_cost": "indsamlingsomkostning = omkostningseffektivitet læst som indsamlingsomkostning (lav: score 4–5, middel: 3, høj: under 3)",
           "legend_rank": "Lige scorer deler plads; nøgletal, der ikke består porten, rangeres ikke (–) og står sidst. * = på den korte liste.",
           "disagreements": "Stor uenighed (højeste og laveste score mindst {p} point fra hinanden)",
           "shortlist": "Kort liste", "coverage": "Dækning", "no_reason": "(ingen begrundelse)"},
    "en": {"rank": "#", "id": "id", "title": "title", "type": "type", "score": "score", "cost": "collection", "disagree": "disagreement",
           "gate": "gate", "heading": "CREAM ranking", "key_figures": "key figures", "pass": "pass", "fail": "fail",
           "pass_mark": "pass mark", "weights": "weights", "legend_cost": "collection = the economic score read as cost of collection (low: score 4–5, medium: 3, high: below 3)",
           "legend_rank": "Equal scores share a rank; key figures that fail the gate are not ranked (–) and come last. * = on the short list.",
           "disagreements": "Strong disagreement (highest and lowest score at least {p} points apart)",
           "shortlist": "Short list", "coverage": "Coverage", "no_reason": "(no justification)"},
}

#: The coverage findings of a short list (cream/model.py). `extend` follows a "no other" hint
#: when the short list is the catalogue's `select:` list.
CREAM_COVERAGE: dict[str, dict[str, str]] = {
    "da": {
        "few_pass": "Kun {passing} nøgletal består CREAM-porten; den korte liste har {passing}, ikke {n}.",
        "tie": "Skæringen ved {n} går gennem en delt {rank}.-plads ({count} nøgletal med {score}): {inside} er valgt "
               "(lavest indsamlingsomkostning, derefter katalogets rækkefølge); {outside} er udeladt.",
        "best": "bedst placerede, der består: {suggestion}", "extend": " – rangér det katalog, der udvides, for at finde et",
        "type_missing": "Ingen {type} på den korte liste.", "type_none": "intet andet {type} i kataloget består porten",
        "types_ok": "Alle fire typer er med ({spread}).",
        "goal_missing": "Målet {goal} ({title}) har intet nøgletal på den korte liste.",
        "goal_none": "intet andet nøgletal i kataloget hører til målet og består porten",
        "goals_ok": "Alle {n} delmål i målhierarkiet har mindst ét nøgletal.",
        "goal_over": "Målet {goal} har {count} nøgletal ({members}); højst {limit} (max_per_goal).",
        "goal_over_hint": "overvej at fjerne de lavest placerede: {lowest}", "goals_under": "Intet mål har mere end {limit} nøgletal.",
        "no_goal": "Uden mål i målhierarkiet: {ids}.",
        "gate": "{id} består ikke CREAM-porten ({scores}), men er på den korte liste.", "gate_hint": "skriv nøgletallet om, eller tag det af listen",
        "too_many": "{n} nøgletal er mange: erfaringen fra puljeprojekterne er, at for mange nøgletal koster registreringstid – overvej højst {k}.",
    },
    "en": {
        "few_pass": "Only {passing} key figures pass the CREAM gate; the short list has {passing}, not {n}.",
        "tie": "The cut at {n} goes through a shared rank {rank} ({count} key figures with {score}): {inside} "
               "are chosen (lowest cost of collection, then catalogue order); {outside} are left out.",
        "best": "best-ranked that passes: {suggestion}", "extend": " – rank the catalogue it extends to find one",
        "type_missing": "No {type} on the short list.", "type_none": "no other {type} of the catalogue passes the gate",
        "types_ok": "All four types are there ({spread}).",
        "goal_missing": "The goal {goal} ({title}) has no key figure on the short list.",
        "goal_none": "no other key figure of the catalogue belongs to this goal and passes the gate",
        "goals_ok": "All {n} leaf goals of the goal hierarchy have at least one key figure.",
        "goal_over": "The goal {goal} has {count} key figures ({members}); at most {limit} (max_per_goal).",
        "goal_over_hint": "consider removing the lowest-ranked: {lowest}", "goals_under": "No goal has more than {limit} key figures.",
        "no_goal": "Not linked to a goal of the hierarchy: {ids}.",
        "gate": "{id} fails the CREAM gate ({scores}) but is on the short list.", "gate_hint": "rewrite the key figure, or take it off the list",
        "too_many": "{n} key figures are many: the lesson of the fund's projects is that too many cost registration time – consider at most {k}.",
    },
}

#: The files people take away (cream/files.py): the workshop sheet, read back by cream/ratings.py
#: under either language's sheet name, and the short-list catalogue.
CREAM_FILES: dict[str, dict[str, Any]] = {
    "da": {
        "ratings_sheet": "Bedømmelser", "criteria_sheet": "Kriterier", "ranking_sheet": "Rangering",
        "ratings_header": ["bedømmer", "nøgletal", "titel", "type", "kriterium", "score", "begrundelse"],
        "criteria_header": ["bogstav", "kriterium", "i ratingsfilen", "definition", "vægt"],
        "ranking_header": ["plads", "nøgletal", "titel", "type", "består", "vægtet score"],
        "ranking_tail": ["indsamlingsomkostning", "uenighed", "kort liste"],
        "score_error": "Score fra 1 til 5",
        "scale": "Skala: {low} = slet ikke … {high} = i høj grad. Bestå-grænse: {pass_mark} på hvert kriterium. "
                 "Skriv dit navn i kolonnen bedømmer (eller lad den stå tom: så bruges filnavnet). Bedøm et nøgletal på alle fem kriterier eller slet ikke.",
        "shortlist_title": "Kort liste over nøgletal (valgt med CREAM)",
    },
    "en": {
        "ratings_sheet": "Ratings", "criteria_sheet": "Criteria", "ranking_sheet": "Ranking",
        "ratings_header": ["rater", "indicator", "title", "type", "criterion", "score", "justification"],
        "criteria_header": ["letter", "criterion", "in the ratings file", "definition", "weight"],
        "ranking_header": ["rank", "indicator", "title", "type", "passes", "weighted score"],
        "ranking_tail": ["cost of collection", "disagreement", "short list"],
        "score_error": "Score from 1 to 5",
        "scale": "Scale: {low} = not at all … {high} = to a great extent. Pass mark: {pass_mark} on every criterion. "
                 "Write your name in the rater column (or leave it empty: the file name is used). Rate a key figure on all five criteria or not at all.",
        "shortlist_title": "Short list of key figures (chosen with CREAM)",
    },
}

#: The seed's Danish wording of the criteria (002, chapter 3), used in both languages.
CREAM_SEED_WORDS = {"clear": "nøjagtighed", "relevant": "relevans", "economic": "omkostningseffektivitet ved indsamling",
                    "adequate": "tilstrækkelighed", "monitorable": "objektivitet"}
#: The cost of data collection, read from the `economic` score (1 low … 3 high).
CREAM_COST = by_language({1: ("lav", "low"), 2: ("middel", "medium"), 3: ("høj", "high")})

# -- hfspec map and hfspec key: the municipality's exports (exports/summary.py, exports/key_command.py)

#: The summary of `hfspec map`: per dataset, the rows of each step of its mapping.
MAP: dict[str, dict[str, Any]] = {
    "da": {
        "title": "Eksporter → standarddata", "into": "skrevet i {folder}", "key": "pseudonymnøgle {fingerprint}",
        "no_key": "ingen CPR-kolonner, ingen nøgle brugt", "files": "{n} fil", "files_plural": "{n} filer", "rows": "rækker",
        "steps": {
            "read": "læst fra eksporterne", "unpivot": "rækker efter omlægning til én række pr. måling",
            "empty_groups": "tomme målinger (ingen række)", "invalid": "ugyldige (se advarslerne)", "filter": "udeladt af filteret",
            "deduplicate": "erstattet af en række med samme nøgle", "aggregate": "lagt sammen med andre rækker",
            "unmatched": "uden match", "orphaned": "udeladt med den række, de henviser til", "written": "skrevet",
        },
        "people": "personer fik et pseudonym", "unchecked": "henvisning ikke tjekket: {column} → {target} (ingen mapning for {target})",
        "written_to": "→ {file}", "nothing": "ingen mapninger at køre", "not_written": "intet skrevet (--dry-run)",
    },
    "en": {
        "title": "Exports → standard data", "into": "written to {folder}", "key": "pseudonym key {fingerprint}",
        "no_key": "no CPR columns, no key used", "files": "{n} file", "files_plural": "{n} files", "rows": "rows",
        "steps": {
            "read": "read from the exports", "unpivot": "rows after reshaping to one row per measurement",
            "empty_groups": "empty measurements (no row)", "invalid": "invalid (see the warnings)", "filter": "left out by the filter",
            "deduplicate": "replaced by a row with the same key", "aggregate": "summed up with other rows",
            "unmatched": "without a match", "orphaned": "left out with the row they refer to", "written": "written",
        },
        "people": "people got a pseudonym", "unchecked": "reference not checked: {column} → {target} (no mapping for {target})",
        "written_to": "→ {file}", "nothing": "no mappings to run", "not_written": "nothing written (--dry-run)",
    },
}

#: `hfspec key`: the new key and the warning that comes with it, and where a key is found.
KEY: dict[str, dict[str, Any]] = {
    "da": {
        "written": "Ny pseudonymnøgle skrevet til {path} (kun læsbar for dig). Fingeraftryk: {fingerprint}.",
        "warning": [
            "VIGTIGT: Gem en kopi af nøglen et sikkert sted, fx i kommunens password-boks.",
            "- Mistes nøglen, får alle borgere nye pseudonymer, og nye kørsler kan ikke kobles til de tidligere.",
            "- Den, der har nøglen og et CPR-nummer, kan finde personens pseudonym: del den kun med dem, der må se CPR-numre.",
            "- Læg den aldrig i projektmappen, sammen med data eller i en e-mail.",
        ],
        "found": "Pseudonymnøgle: {origin}. Fingeraftryk: {fingerprint}.", "none": "Ingen pseudonymnøgle fundet. Standardstedet er {path}; lav en med `hfspec key new`.",
    },
    "en": {
        "written": "New pseudonym key written to {path} (readable by you only). Fingerprint: {fingerprint}.",
        "warning": [
            "IMPORTANT: Keep a copy of the key in a safe place, such as the municipality's password vault.",
            "- If the key is lost, every citizen gets a new pseudonym, and new runs no longer link to earlier ones.",
            "- Whoever has the key and a CPR number can find that person's pseudonym: share it only with those who may see CPR numbers.",
            "- Never put it in the project folder, with the data or in an e-mail.",
        ],
        "found": "Pseudonym key: {origin}. Fingerprint: {fingerprint}.", "none": "No pseudonym key found. The default place is {path}; make one with `hfspec key new`.",
    },
}

# -- hfspec init: the starter project's README (scaffold/project.py) ----------------------------

#: A column's type in the README, which is written in Danish only.
INIT_COLUMN_TYPES = {"string": "tekst", "integer": "heltal", "number": "tal (komma eller punktum)", "boolean": "ja/nej",
                     "date": "dato (2021-06-30 eller 30-06-2021)", "enum": "en af de tilladte værdier"}
#: The XLSX data templates (scaffold/datafiles.py): the checks Excel shows while typing, and the
#: help sheet. Danish only, as the README.
INIT_TEMPLATE = {
    "help_sheet": "Hjælp",
    "header": ["kolonne", "titel", "type", "skal udfyldes", "tilladte værdier / interval", "betydning"],
    "intro": "Udfyld arket «{sheet}»: én række pr. registrering, kolonneoverskrifterne i række 1 som de står. Datoer som "
             "30-06-2021, ja/nej-kolonner med ja eller nej, tal med komma (12,5). Borger-id'er skal være pseudonymer, fx B0001 – "
             "aldrig CPR-numre. Gem som Excel-projektmappe, eller som CSV (semikolonsepareret).",
    "choose": "Vælg en af: {values}.",
    "date": "En dato mellem {low} og {high}, fx 30-06-2021.",
    "whole": "Et helt tal.",
    "number": "Et tal, fx 12,5.",
    "range": "Tilladt: {range}.",
    "error_title": "Tjek værdien",
    "also": "også",
}
