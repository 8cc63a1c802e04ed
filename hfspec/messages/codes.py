"""Every diagnostic code → its title and explanation, in Danish and English.

`hfspec explain HF401` prints them and `docs/make_docs.py` writes docs/errors.md (Danish) and
docs/errors.en.md from them. A code is used only for the meaning its explanation gives; codes are
the same in both languages.

Stable codes by stage: HF1xx YAML, HF2xx schema, HF3xx project, HF4xx expressions, HF5xx data,
HF6xx evaluation and tests, HF7xx models, HF8xx reports.
"""

from __future__ import annotations

#: code → {"da": (title, explanation), "en": (title, explanation)}.
CODES: dict[str, dict[str, tuple[str, str]]] = {
    # -- HF1xx: YAML ---------------------------------------------------------------------------
    "HF100": {
        "da": ('filen kan ikke læses', 'Stien findes ikke, er ikke en læsbar UTF-8-tekstfil, eller er ikke den slags fil, der forventes. `--history` og `--store` skal have en historikfil skrevet af `--store`: en DuckDB-fil med præcis hfspecs to tabeller; en fil med views, makroer, andre tabeller eller rækker, som hfspec ikke har skrevet, afvises ulæst (angiv et nyt filnavn for at starte en historik). Tjek stien og filens tegnsæt.'),
        "en": ('file cannot be read', "The path does not exist, is not a readable UTF-8 text file, or is not the kind of file expected. `--history` and `--store` need a history file written by `--store`: a DuckDB file that holds exactly hfspec's two tables; one with views, macros, other tables or rows hfspec did not write is refused unread (give a new file name to start a history). Check the path and the file's encoding."),
    },
    "HF101": {
        "da": ("fejl i YAML-syntaksen", "Filen er ikke gyldig YAML. Se på det markerede sted: et manglende kolon, en forkert indrykning eller et anførselstegn eller en parentes, der ikke lukkes, er de almindeligste årsager."),
        "en": ("YAML syntax error", "The file is not valid YAML. Look at the marked position: a missing colon, a wrong indentation or an unclosed quote or bracket are the usual causes."),
    },
    "HF102": {
        "da": ("tabulator i indrykningen", "YAML skal indrykkes med mellemrum, aldrig med tabulatortegn. Erstat tabulatoren med mellemrum (de fleste editorer kan vise tabulatorer)."),
        "en": ("tab in indentation", "YAML indentation must use spaces, never tab characters. Replace the tab with spaces (most editors can show tabs)."),
    },
    "HF103": {
        "da": ("samme nøgle to gange", "Den samme nøgle står to gange i én mapping. Almindelig YAML beholder stiltiende kun den sidste; hfspec afviser filen, så intet går tabt. Fjern eller omdøb den ene."),
        "en": ("duplicate key", "The same key appears twice in one mapping. Plain YAML keeps only the last one silently; hfspec refuses the file so that nothing is lost. Remove or rename one of them."),
    },
    "HF104": {
        "da": ("YAML-tag eller merge-nøgle er ikke tilladt", "Tags som `!!python/object` kan få YAML-læsere til at køre kode eller bygge vilkårlige objekter. hfspec læser kun almindelige data: fjern tagget. Merge-nøgler (`<<: *base`, YAML 1.1's `!!merge`) afvises også: skriv nøglerne ud."),
        "en": ("YAML tag or merge key not allowed", "Tags such as `!!python/object` can make YAML readers run code or build arbitrary objects. hfspec reads only plain data: remove the tag. Merge keys (`<<: *base`, YAML 1.1's `!!merge`) are refused too: write the keys out."),
    },
    "HF105": {
        "da": ("for mange aliasser", "Filen udfolder YAML-aliasser (`*navn`) ud over en sikker størrelse (en 'billion laughs'-fil), eller et alias henviser til den værdi, det selv står i, så udfoldningen aldrig slutter. Skriv værdierne ud, eller brug færre aliasser."),
        "en": ("too many aliases", "The file expands YAML aliases (`*name`) beyond a safe size (a 'billion laughs' file), or an alias refers to the value that contains it, which would never end. Write the values out, or use fewer aliases."),
    },
    "HF106": {
        "da": ("anførselstegn lukkes ikke", "En tekst i anførselstegn lukkes ikke før linjens eller filens slutning. Tilføj det afsluttende anførselstegn."),
        "en": ("unclosed quote", "A quoted string is not closed before the end of the line or file. Add the closing quote."),
    },
    "HF107": {
        "da": ("tomt dokument", "Et YAML-dokument uden indhold. Fjern den overflødige `---`, eller udfyld dokumentet."),
        "en": ("empty document", "A YAML document with no content was found. Remove the stray `---` or fill the document."),
    },
    "HF108": {
        "da": ("ikke en mapping", "Et spec-dokument skal være en mapping af nøgler til værdier (`kind: ...`, `id: ...`)."),
        "en": ("not a mapping", "A spec document must be a mapping of keys to values (`kind: ...`, `id: ...`)."),
    },
    "HF109": {
        "da": ("YAML for dyb eller for stor", "Filen er dybere indlejret eller større, end hfspec læser. Specs er små: del filen op."),
        "en": ("YAML too deep or too large", "The file nests deeper or is larger than hfspec reads. Specs are small: split the file."),
    },
    "HF110": {
        "da": ("nøglen er ikke en enkel værdi", "En nøgle i en mapping er en liste eller en mapping (`[a, b]: 1`, `? {a: 1}`). YAML tillader det, men nøgler i specs er enkle ord og tal: skriv nøglen som ét ord."),
        "en": ("mapping key is not a plain value", "A mapping key is a list or a mapping (`[a, b]: 1`, `? {a: 1}`). YAML allows it, but spec keys are plain words and numbers: write the key as one word."),
    },
    "HF111": {
        "da": ('spec-filen er ikke UTF-8', 'Spec-filer (YAML) læses som UTF-8, det tegnsæt YAML og editorer, der tjekker specs mod hfspecs skemaer, forventer. Filen har en byte, der ikke er UTF-8, som regel fordi den er gemt som Windows-1252 (Notesbloks "ANSI"): så er `æ`, `ø` og `å` én byte hver. Gem filen igen med kodningen UTF-8 (i Notesblok: Filer → Gem som → Kodning: UTF-8). Datafiler er anderledes: dér læser hfspec Windows-1252, som dansk Excel skriver det.'),
        "en": ('spec file not UTF-8', 'Spec files (YAML) are read as UTF-8, the encoding YAML and editors that check specs against hfspec\'s schemas expect. The file holds a byte that is not UTF-8, usually because it was saved as Windows-1252 (Notepad\'s "ANSI"): then `æ`, `ø` and `å` are single bytes. Save the file again with the encoding UTF-8 (in Notepad: File → Save as → Encoding: UTF-8). Data files are different: hfspec reads Windows-1252 there, as Danish Excel writes it.'),
    },
    "HF112": {
        "da": ('listepunkt indrykket for langt', 'Et listepunkt (`- ...`) begynder længere til højre end punktet over det. YAML læser det så som flere ord i punktet over (`HF-P-02 - HF-O-06`), ikke som et punkt for sig. Begynd alle en listes `-` i samme kolonne.'),
        "en": ('list item indented too far', 'A list item (`- ...`) starts further to the right than the item above it. YAML then reads it as more words of the item above (`HF-P-02 - HF-O-06`), not as an item of its own. Start every `-` of a list in the same column.'),
    },
    "HF113": {
        "da": ('decimalkomma inde i klammer', 'Inde i `[...]` og `{...}` adskiller et komma punkter, så `[0,45]` er de to tal 0 og 45, og `{value: 0,5}` er `value: 0` og en nøgle `5`. Tal i YAML har decimalpunktum: skriv `0.45`. En advarsel, fordi en liste af hele tal skrevet uden mellemrum (`[0,1]`) er gyldig; skriv et mellemrum efter kommaet for at sige det.'),
        "en": ('decimal comma inside brackets', 'Inside `[...]` and `{...}` a comma separates items, so `[0,45]` is the two numbers 0 and 45, and `{value: 0,5}` is `value: 0` and a key `5`. YAML numbers have a decimal point: write `0.45`. A warning, because a list of whole numbers written without spaces (`[0,1]`) is valid; write a space after the comma to say so.'),
    },
    "HF114": {
        "da": ('kontroltegn i YAML', 'Filen indeholder et kontroltegn (som U+0001 eller U+001B), som YAML ikke tillader nogen steder, heller ikke i en kommentar eller en værdi i anførselstegn. Det er som regel usynligt i en editor og følger med tekst, der er kopieret fra et andet program. Slet det; markøren viser, hvor det står (tegnet som et synligt symbol).'),
        "en": ('control character in YAML', 'The file holds a control character (such as U+0001 or U+001B), which YAML does not allow anywhere, not even in a comment or a quoted value. It is usually invisible in an editor and comes with text copied from another program. Delete it; the caret shows where it is (drawn as a visible symbol).'),
    },
    # -- HF2xx: schema -------------------------------------------------------------------------
    "HF201": {
        "da": ("ukendt nøgle", "Nøglen hører ikke til denne slags spec. Ofte er den stavet forkert: tippet nævner den nærmeste kendte nøgle. Alle felter står i docs/spec-reference.md."),
        "en": ("unknown key", "The key is not part of this kind of spec. It is often a misspelling: the hint names the closest known key. See docs/spec-reference.md for every field."),
    },
    "HF202": {
        "da": ("påkrævet nøgle mangler", "Denne slags spec skal have den nævnte nøgle. Tilføj den."),
        "en": ("missing required key", "This kind of spec needs the named key. Add it."),
    },
    "HF203": {
        "da": ("forkert slags værdi", "Værdien er af den forkerte slags (fx tekst, hvor der skal stå et tal). Se feltets beskrivelse i docs/spec-reference.md."),
        "en": ("wrong value type", "The value has the wrong type (for example text where a number is expected). See the field's description in docs/spec-reference.md."),
    },
    "HF204": {
        "da": ("værdien er ikke tilladt", "Værdien er ikke en af de tilladte værdier. Meddelelsen nævner dem."),
        "en": ("value not allowed", "The value is not one of the allowed values. The message lists them."),
    },
    "HF205": {
        "da": ('ukendt kind', '`kind:` skal være en af Dataset, Indicator, Catalogue, Model, Scenario, Rule, Mapping.'),
        "en": ('unknown kind', '`kind:` must be one of Dataset, Indicator, Catalogue, Model, Scenario, Rule, Mapping.'),
    },
    "HF206": {
        "da": ("ugyldig værdi", "Værdien bryder en af skemaets regler (en form, et interval eller en længde). Meddelelsen siger hvilken."),
        "en": ("invalid value", "The value breaks a rule of the schema (a pattern, a range or a length). The message says which."),
    },
    # -- HF3xx: project ------------------------------------------------------------------------
    "HF301": {
        "da": ("samme id eller navn to gange", "To specs af samme slags har samme id, eller en af en models formler har samme navn som et af dens input eller dimensioner. Id'er skal være entydige i et projekt og navne i en model; omdøb den ene."),
        "en": ("duplicate id or name", "Two specs of the same kind share one id, or a model's formula has the name of one of its inputs or dimensions. Ids must be unique within a project and names within a model; rename one."),
    },
    "HF302": {
        "da": ("ukendt henvisning", "En spec (eller et argument på kommandolinjen, fx et scenarie-id eller `--dataset`) nævner en anden spec (et datasæt, et nøgletal, en model, et scenarie, et katalog), som projektet ikke har. Tjek id'et, eller tag filen med, der definerer det."),
        "en": ("unknown reference", "A spec (or an argument on the command line, such as a scenario id or `--dataset`) names another spec (a dataset, an indicator, a model, a scenario, a catalogue) that the project does not contain. Check the id, or include the file that defines it."),
    },
    "HF303": {
        "da": ("henvisninger i ring", "Specs (eller en models formler) henviser til hinanden i ring (A bruger B, der bruger A), så ingen af dem kan beregnes først. Bryd ringen."),
        "en": ("reference cycle", "Specs (or the formulas of a model) refer to each other in a circle (A uses B uses A), so none of them can be computed first. Break the circle."),
    },
    "HF304": {
        "da": ('include passer ikke på nogen fil', 'Et `include:`- eller `mappings:`-mønster i et katalog passede ikke på nogen fil. Tjek stien; den regnes fra katalogfilens mappe.'),
        "en": ('include matches nothing', 'An `include:` or `mappings:` pattern of a catalogue matched no file. Check the path; it is relative to the catalogue file.'),
    },
    "HF305": {
        "da": ("ugyldig kolonnehenvisning", "En `references:` skal nævne `datasæt.kolonne` for et datasæt og en kolonne, der findes."),
        "en": ("invalid column reference", "A `references:` entry must name `dataset.column` of an existing dataset and column."),
    },
    "HF306": {
        "da": ("ukendt nøgletal i override, drop eller select", "`override:`, `drop:` eller `select:` nævner et nøgletal, som kataloget ikke har."),
        "en": ("override of unknown indicator", "`override:`, `drop:` or `select:` names an indicator the catalogue does not have."),
    },
    "HF307": {
        "da": ("ingen specs fundet", "De angivne stier indeholder ingen YAML-specs, eller ingen af den slags, kommandoen skal bruge (`hfspec check` skal have specs med `kind: Rule`)."),
        "en": ("no specs found", "The paths given contain no YAML spec files, or none of the kind the command needs (`hfspec check` needs `kind: Rule` specs)."),
    },
    "HF308": {
        "da": ('ugyldig `time:`', '`time:` siger, hvilken dato en række hører til, når `period:` grupperer rækker. I en Dataset-spec skal den nævne en datokolonne i datasættet; i et nøgletal er den ét datoudtryk eller et interval `[start, slut]` af to, og nøgletallet skal have en `period:`.'),
        "en": ('invalid `time:`', '`time:` says which date a row belongs to when `period:` groups rows. In a Dataset spec it must name a date column of the dataset; in a key figure it is one date expression or an interval `[start, end]` of two, and the key figure needs a `period:`.'),
    },
    "HF309": {
        "da": ("ukendt mål", "Et nøgletals `goal:` er ikke et mål i katalogets målhierarki (`goals:`), så katalogets dokumenter viser det uden for hierarkiet. Brug et mål-id fra hierarkiet (tippet nævner det nærmeste), eller tilføj målet. En advarsel: nøgletallet beregnes alligevel."),
        "en": ("unknown goal", "A key figure's `goal:` is not a goal of the catalogue's goal hierarchy (`goals:`), so the catalogue documents show it outside the hierarchy. Use a goal id of the hierarchy (the hint names the closest), or add the goal. A warning: the key figure is computed all the same."),
    },
    "HF310": {
        "da": ("periode uden tidskolonne", "Et nøgletal eller en regel med `period:` grupperer sine rækker efter datasættets tidskolonne, men datasættet har ingen `time:`. Tilføj `time:` (en datokolonne) i datasættets spec, eller fjern `period:`."),
        "en": ("period without a time column", "A key figure or rule with `period:` groups its rows by the dataset's time column, but its dataset has no `time:`. Add `time:` (a date column) to the dataset spec, or remove `period:`."),
    },
    "HF311": {
        "da": ("ukendt nøglekolonne", "Et datasæts `key:` nævner en kolonne, som datasættet ikke har. Nøglekolonnerne siger, hvilke rækker der skal være entydige; nævn kolonner fra datasættet."),
        "en": ("unknown key column", "A dataset's `key:` names a column the dataset does not have. The key columns say which rows must be unique; name columns of the dataset."),
    },
    # -- HF4xx: expressions --------------------------------------------------------------------
    "HF312": {
        "da": ('alias til en ukendt enum-værdi', 'En enum-kolonnes `aliases:` giver andre ord for dens værdier (`bolig_efter_serviceloven: [Bolig efter SEL]`), med den værdi, de betyder, som nøgle. Her er en nøgle ikke en af kolonnens `values:`. Brug en værdi fra kolonnen som nøgle (tippet nævner den nærmeste).'),
        "en": ('alias of an unknown enum value', "An enum column's `aliases:` lists other words for its values (`bolig_efter_serviceloven: [Bolig efter SEL]`), keyed by the value they mean. Here a key is not one of the column's `values:`. Use a value of the column (the hint names the closest) as the key."),
    },
    "HF313": {
        "da": ('enum-ord, der foldes ens', 'Celler i en enum-kolonne sammenlignes foldet: uden store/små bogstaver og omgivende mellemrum, med mellemrum og bindestreger som `_` og æ, ø, å som ae, oe, aa. To værdier i kolonnen, eller et alias og en værdi (eller to aliasser) for forskellige værdier, er det samme ord, når de foldes, så en celle med ordet kunne læses på to måder. Omdøb eller fjern det ene.'),
        "en": ('enum words that fold alike', 'Data cells of an enum column are compared folded: without case and surrounding spaces, with spaces and hyphens as `_` and æ, ø, å as ae, oe, aa. Two values of the column, or an alias and a value (or two aliases) of different values, are the same word when folded, so a cell holding it would have two readings. Rename or remove one of them.'),
    },
    "HF314": {
        "da": ("titel til en ukendt værdi", "En kolonnes `value_titles:` giver en titel til en værdi, som kolonnen ikke har (eller kolonnen er ikke en enum-kolonne). Titlerne er det, rapporter og tabeller kalder værdierne (`foer` vises som \"Før\"); nøglerne skal være kolonnens `values:`, skrevet præcis som dér."),
        "en": ("title for an unknown value", "A column's `value_titles:` gives a title to a value the column does not have (or the column is not an enum column). The titles are what reports and tables call the values (`foer` is shown as \"Before\"); the keys must be the column's `values:`, written exactly as there."),
    },
    "HF316": {
        "da": ('absolut include-mønster', 'Et `include:`- eller `mappings:`-mønster begynder med `/`, `\\\\` eller et drev som `C:`. Include-mønstre regnes fra katalogfilens mappe (`outcome/*.yaml`, eller `../faelles/*.yaml` for filer, som flere kataloger deler), så et katalog betyder det samme på alle computere og ikke kan trække filer ind fra andre steder på din (`/etc/*.yaml`). Skriv mønsteret i forhold til kataloget, eller brug `extends:` for at bygge videre på et andet katalog.'),
        "en": ('absolute include pattern', 'An `include:` or `mappings:` pattern starts with `/`, `\\\\` or a drive such as `C:`. Include patterns are relative to the catalogue file (`outcome/*.yaml`, or `../faelles/*.yaml` for files shared by several catalogues), so that a catalogue means the same on every computer and cannot sweep in files from elsewhere on yours (`/etc/*.yaml`). Write the pattern relative to the catalogue, or use `extends:` to build on another catalogue.'),
    },
    "HF317": {
        "da": ('løkke af symbolske links', 'En gennemgang af en mappe (et `include:`-mønster, eller en mappe angivet på kommandolinjen) mødte et symbolsk link, der fører tilbage til en mappe, gennemgangen allerede er i, så den ville køre i ring. Fjern linket, eller nævn de filer eller mapper, du mener.'),
        "en": ('symbolic link loop', 'A folder scan (an `include:` pattern, or a folder given on the command line) met a symbolic link that leads back into a folder the scan is already in, so it would go round in circles. Remove the link, or name the files or folders you mean.'),
    },
    "HF320": {
        "da": ('ukendt kolonne i en mapping', 'En Mapping nævner en kolonne, som dens datasæt ikke har: i `columns:` uden en `type:` (en hjælpekolonne skal have en), i `constants:`, eller i `deduplicate.key` eller `aggregate.by` uden en kilde-, konstant- eller afledt kolonne med det navn. Hintet nævner den nærmeste kolonne.'),
        "en": ('unknown column in a mapping', 'A Mapping names a column that its dataset does not have: in `columns:` without a `type:` (a helper column needs one), in `constants:`, or in `deduplicate.key` or `aggregate.by` without a source, constant or derived column of that name. The hint names the closest column.'),
    },
    "HF321": {
        "da": ('værdien passer ikke til kolonnen', 'En værdi skrevet i en Mapping (i en værdioversættelse, `other:`, `constants:` eller `unpivot.values`) er ikke en værdi, kolonnen kan have: en enum-værdi, der ikke står i datasættets `values`, tekst i en talkolonne, en dato, der ikke er skrevet 2021-12-31. Meddelelsen siger, hvad kolonnen har.'),
        "en": ('value does not fit the column', "A value written in a Mapping (in a value map, `other:`, `constants:` or `unpivot.values`) is not a value the column can hold: an enum value that is not in the dataset's `values`, text in a number column, a date not written 2021-12-31. The message says what the column holds."),
    },
    "HF322": {
        "da": ('afledt kolonne har forkert type', 'Et udtryk i en Mappings `derive:` eller `aggregate.columns` giver en værdi af en anden type end den datasætkolonne, det udfylder (en dato i en talkolonne, et tal i en tekstkolonne). Ret udtrykket, eller giv resultatet til en hjælpekolonne med et andet navn.'),
        "en": ('derived column has the wrong type', "An expression in a Mapping's `derive:` or `aggregate.columns` gives a value of another type than the dataset column it fills (a date into a number column, a number into a text column). Change the expression, or give the result to a helper column of another name."),
    },
    "HF323": {
        "da": ('mapping-indstilling passer ikke', 'En indstilling i en Mapping bruges, hvor den ikke giver mening: `type:` på en datasætkolonne (den får datasættets type), `cpr: true` på en kolonne, der ikke er en pseudonymkolonne, eller sammen med en værdioversættelse, `format:` på en kolonne, der ikke er en dato, `decimal:` på en kolonne, der ikke er et tal, en hjælpekolonne med forskellige typer i to kilder, eller en `{...}`-plads i en overskrift, der ikke passer til `unpivot.column`.'),
        "en": ('mapping option does not fit', "A Mapping option is used where it has no meaning: `type:` on a dataset column (it takes the dataset's type), `cpr: true` on a column that is not a pseudonym column or together with a value map, `format:` on a column that is not a date, `decimal:` on a column that is not a number, a helper column with different types in two sources, or a `{...}` place in a header that does not match `unpivot.column`."),
    },
    "HF324": {
        "da": ('to mappings til ét datasæt', 'To Mapping-specs laver det samme datasæt, så det er uklart, hvilken der giver dets rækker. Læg begge eksporter i én mapping som to punkter under `sources:`.'),
        "en": ('two mappings for one dataset', 'Two Mapping specs make the same dataset, so it is not clear which one gives its rows. Put both exports in one mapping, as two entries of `sources:`.'),
    },
    "HF325": {
        "da": ('kolonne angivet to gange', 'En Mapping giver en kolonne dens værdi på to måder (fra en overskrift i `columns:` og i `constants:`, `derive:`, `unpivot:` eller `aggregate:`), så det er uklart, hvilken der gælder. Behold den ene.'),
        "en": ('column given twice', 'A Mapping gives a column its value in two ways (from a header in `columns:` and in `constants:`, `derive:`, `unpivot:` or `aggregate:`), so it is not clear which one counts. Keep one.'),
    },
    "HF326": {
        "da": ('datoformatet kan ikke læses', 'En Mappings `format:` for en datokolonne skal bestå af `dd` (dag), `mm` (måned) og `yyyy` (år), hver én gang, med `-`, `.`, `/`, et mellemrum eller ingenting imellem, og eventuelt et klokkeslæt `hh:mm` eller `hh:mm:ss` efter datoen: `dd.mm.yyyy`, `yyyymmdd`, `dd-mm-yyyy hh:mm`.'),
        "en": ('date format cannot be read', "A Mapping's `format:` for a date column must be made of `dd` (day), `mm` (month) and `yyyy` (year), each once, with `-`, `.`, `/`, a blank or nothing between them, and optionally a time `hh:mm` or `hh:mm:ss` after the date: `dd.mm.yyyy`, `yyyymmdd`, `dd-mm-yyyy hh:mm`."),
    },
    "HF327": {
        "da": ('kolonne går tabt ved aggregeringen', 'En Mapping med `aggregate:` beholder kun `by:`-kolonnerne og `aggregate.columns`; en datasætkolonne, som mappingen giver før aggregeringen, ville gå tabt. Føj den til `by:`, eller beregn den i `aggregate.columns` (fx med `max(...)`).'),
        "en": ('column lost by the aggregation', 'A Mapping with `aggregate:` keeps only the `by:` columns and the `aggregate.columns`; a dataset column that the mapping gives before the aggregation would be lost. Add it to `by:`, or compute it in `aggregate.columns` (for example with `max(...)`).'),
    },
    "HF328": {
        "da": ('ord står to gange i en værdioversættelse', 'En værdioversættelse nævner det samme eksportord to gange: ordene sammenlignes uden hensyn til store og små bogstaver og mellemrum omkring og inde i dem, så `Egen bolig` og `egen  bolig` er ét ord. Behold det ene.'),
        "en": ('word listed twice in a value map', 'A value map lists the same export word twice: words are compared without regard to case and blanks around and inside them, so `Egen bolig` and `egen  bolig` are one word. Keep one of them.'),
    },
    "HF401": {
        "da": ("ukendt navn", "Udtrykket bruger et navn, der hverken er en kolonne i datasættet (eller i et datasæt, det henviser til), en parameter eller et input eller en formel i modellen; eller en models `outputs:` nævner noget, der hverken er en formel eller et input. Tippet foreslår det nærmeste kendte navn."),
        "en": ("unknown name", "The expression uses a name that is not a column of the dataset (or of a dataset it references), a parameter, or a model input or formula; or a model's `outputs:` names no formula or input. The hint suggests the closest known name."),
    },
    "HF402": {
        "da": ("syntaksfejl i udtryk", "Udtrykket kan ikke læses. Meddelelsen siger, hvad der skulle have stået på det markerede sted."),
        "en": ("syntax error in expression", "The expression cannot be read. The message says what was expected at the marked position."),
    },
    "HF403": {
        "da": ("`=` i stedet for `==`", "En sammenligning skrives `==` i hfspec (`metode == \"CTI\"`). Et enkelt `=` er ikke en operator."),
        "en": ("`=` instead of `==`", "Comparison is written `==` in hfspec (`metode == \"CTI\"`). A single `=` is not an operator."),
    },
    "HF404": {
        "da": ("`&&`/`||` i stedet for `and`/`or`", "hfspec skriver logik med ord: `and`, `or`, `not`."),
        "en": ("`&&`/`||` instead of `and`/`or`", "hfspec writes logic in words: `and`, `or`, `not`."),
    },
    "HF405": {
        "da": ("komma som decimaltegn", "I udtryk er decimaltegnet punktum: `12.5`, ikke `12,5` (et komma adskiller en funktions argumenter). Datafiler må gerne bruge decimalkomma; udtryk må ikke."),
        "en": ("comma as decimal mark", "Inside expressions the decimal mark is a point: `12.5`, not `12,5` (a comma separates function arguments). Data files may use decimal commas; expressions may not."),
    },
    "HF406": {
        "da": ("parentes lukkes ikke", "En `(` eller `[` lukkes ikke. Tilføj den manglende `)` eller `]`."),
        "en": ("unclosed parenthesis", "A `(` or `[` is not closed. Add the missing `)` or `]`."),
    },
    "HF407": {
        "da": ("`where` uden for en aggregatfunktion", "`where` hører til inde i en aggregatfunktions parentes: `count(where alder < 30)`, `sum(doegn where metode == \"CTI\")`. Brug nøgletallets `filter:` til at afgrænse hele populationen."),
        "en": ("`where` outside an aggregate", "`where` belongs inside an aggregate's parentheses: `count(where alder < 30)`, `sum(doegn where metode == \"CTI\")`. To restrict the whole population use the indicator's `filter:`."),
    },
    "HF408": {
        "da": ("ukendt funktion", "Funktionen findes ikke. Listen står i docs/language.md; tippet nævner den nærmeste."),
        "en": ("unknown function", "The function does not exist. See docs/language.md for the list; the hint names the closest one."),
    },
    "HF409": {
        "da": ("forkert antal argumenter", "Funktionen er kaldt med for mange eller for få argumenter. Se docs/language.md."),
        "en": ("wrong number of arguments", "The function was called with too many or too few arguments. See docs/language.md."),
    },
    "HF410": {
        "da": ("ukendt værdi i enum-kolonne", "En tekst sammenlignes med en enum-kolonne, men teksten er ikke en af kolonnens værdier. Enum-værdier skal skrives præcis som i datasættets spec (fx `egen_bolig`, `CTI`). Meddelelsen nævner de tilladte værdier."),
        "en": ("unknown enum value", "A text is compared with an enum column, but the text is not one of the column's values. Enum values are exact, as written in the dataset spec (for example `egen_bolig`, `CTI`). The message lists the allowed values."),
    },
    "HF411": {
        "da": ("ukendt parameter", "`param.NAVN` nævner en parameter, som katalogets `params:` ikke definerer, eller `param` står uden et navn."),
        "en": ("unknown parameter", "`param.NAME` names a parameter that the catalogue's `params:` does not define, or `param` is written without a name."),
    },
    "HF412": {
        "da": ("ukendt nøgletal i ref()", "`ref(\"ID\")` nævner et nøgletal, som ikke er i projektet."),
        "en": ("unknown indicator in ref()", "`ref(\"ID\")` names an indicator that is not in the project."),
    },
    "HF413": {
        "da": ("tvetydig kolonne", "Kolonnen findes i mere end ét af de datasæt, der henvises til. Skriv `datasæt.kolonne` for at sige hvilken."),
        "en": ("ambiguous column", "The column exists in more than one referenced dataset. Write `dataset.column` to say which."),
    },
    "HF420": {
        "da": ("typerne passer ikke sammen", "Operatoren eller funktionen kan ikke kombinere disse typer (fx et tal plus en tekst). Meddelelsen nævner begge typer."),
        "en": ("type mismatch", "The operator or function cannot combine these types (for example a number plus a text). The message gives both types."),
    },
    "HF421": {
        "da": ("ikke en betingelse (sand/falsk)", "Et `filter`, et `where`, en `if`-betingelse eller en `assert` skal være en betingelse (sand/falsk), fx `alder < 30`."),
        "en": ("condition is not true/false", "A `filter`, `where`, `if` condition or `assert` must be a condition (true/false), such as `alder < 30`."),
    },
    "HF422": {
        "da": ("beregningen giver ikke et tal", "Et nøgletals `measure:` skal give et tal."),
        "en": ("measure is not a number", "A key figure's measure must give a number."),
    },
    "HF430": {
        "da": ("aggregatfunktion på rækkeniveau", "Et `filter:` (eller en regel på rækkeniveau) tjekkes række for række, så det kan ikke indeholde aggregatfunktioner som `count()`. Flyt betingelsen ind i beregningens `where`, eller brug en Rule med `by:`."),
        "en": ("aggregate in a row context", "A `filter:` (or a row-level rule) is checked row by row, so it cannot contain aggregates like `count()`. Move the condition into the measure's `where`, or use a Rule with `by:`."),
    },
    "HF431": {
        "da": ("aggregatfunktion i aggregatfunktion", "Aggregatfunktioner kan ikke stå inden i hinanden: `sum(count())` giver ingen mening række for række. Kombinér dem i stedet med regnearter: `sum(a) / count()`."),
        "en": ("nested aggregate", "Aggregates do not nest: `sum(count())` has no meaning row by row. Combine aggregates with arithmetic instead: `sum(a) / count()`."),
    },
    "HF432": {
        "da": ("kolonne uden for en aggregatfunktion", "En beregning samler mange rækker til ét tal, så hver kolonne skal stå inde i en aggregatfunktion: `mean(alder)`, ikke `alder`. Kolonner at opdele på hører til i `by:`."),
        "en": ("column outside an aggregate", "A measure summarises many rows into one number, so each column must sit inside an aggregate: `mean(alder)`, not `alder`. Breakdown columns belong in `by:`."),
    },
    "HF433": {
        "da": ("`distinct` er ikke tilladt her", "`distinct` må kun stå i `count(distinct x)`."),
        "en": ("`distinct` not allowed here", "`distinct` is only allowed in `count(distinct x)`."),
    },
    "HF434": {
        "da": ("ref() blandet med rækker", "Et afledt nøgletal (uden `dataset:`) kombinerer hele nøgletal med `ref()`: det har ingen rækker, så det kan ikke bruge kolonner, aggregatfunktioner over rækker eller et `filter:`. Og `ref()` hører kun til i sådan et nøgletals beregning: ikke i et nøgletal med `dataset:`, i et `filter:`, i en regel eller i en models formel."),
        "en": ("ref() and rows mixed", "A derived key figure (no `dataset:`) combines whole key figures with `ref()`: it has no rows, so it cannot use columns, aggregates over rows or a `filter:`. And `ref()` belongs only in the measure of such a key figure: not in a key figure with a `dataset:`, a `filter:`, a rule or a model formula."),
    },
    "HF435": {
        "da": ("modelsyntaks uden for en model", "`over` (reduktioner over navngivne dimensioner) og indeksering med `[...]` (`x[year = 1]`) virker på arrays i en models formler. Et nøgletal har ingen dimensioner: opdel det med `by:`, og afgræns det med `where` eller `filter:`."),
        "en": ("model syntax outside a model", "`over` (reductions over named dimensions) and indexing with `[...]` (`x[year = 1]`) work on the arrays of a model formula. A key figure has no dimensions: break it down with `by:`, and restrict it with `where` or `filter:`."),
    },
    "HF440": {
        "da": ("udtrykket er for dybt", "Udtrykket er dybere indlejret, end hfspec tillader (MAX_EXPR_DEPTH). Gør det enklere, eller del det op i flere nøgletal."),
        "en": ("expression too deep", "The expression nests deeper than hfspec allows (MAX_EXPR_DEPTH). Simplify it or split it into several key figures."),
    },
    "HF441": {
        "da": ("udtrykket er for langt", "Udtrykket er længere, end hfspec tillader (MAX_EXPR_LENGTH tegn)."),
        "en": ("expression too long", "The expression is longer than hfspec allows (MAX_EXPR_LENGTH characters)."),
    },
    "HF442": {
        "da": ("teksten er for lang", "En tekst i udtrykket er længere, end hfspec tillader (MAX_STRING_LENGTH tegn)."),
        "en": ("text too long", "A text literal is longer than hfspec allows (MAX_STRING_LENGTH characters)."),
    },
    "HF443": {
        "da": ("listen er for lang", "En liste i udtrykket har flere elementer, end hfspec tillader (MAX_LIST_ITEMS)."),
        "en": ("list too long", "A list literal has more items than hfspec allows (MAX_LIST_ITEMS)."),
    },
    "HF444": {
        "da": ('tallet er for stort', 'Et tal i et udtryk eller en katalogparameter ligger uden for det, nøgletal beregnes med: hele tal skal ligge inden for 64-bit-området (MAX_INTEGER, ca. 9,2 × 10¹⁸), og et decimaltal skal være endeligt. Skriv et mindre tal.'),
        "en": ('number too large', 'A number in an expression or a catalogue parameter is beyond what key figures are computed with: whole numbers must lie within the 64-bit range (MAX_INTEGER, about 9.2 × 10¹⁸), and a decimal number must be finite. Write a smaller number.'),
    },
    "HF445": {
        "da": ('for mange decimaler i round()', '`round(x, decimaler)` tager højst MAX_ROUND_DIGITS (15) decimaler til hver side; en double rummer ikke flere. Decimaler, der kommer fra data, holdes inden for det interval.'),
        "en": ('too many decimals in round()', '`round(x, digits)` takes at most MAX_ROUND_DIGITS (15) decimals either way; a double holds no more. Digits that come from data are clamped to that range.'),
    },
    "HF450": {
        "da": ('ukendt datasæt efter `from`', '`count(from D …)` samler de rækker i datasættet D, der hører til den samme borger, men projektet har intet datasæt D. Tippet nævner det nærmeste.'),
        "en": ('unknown dataset after `from`', '`count(from D …)` aggregates the rows of dataset D that belong to the same citizen, but the project has no dataset D. The hint names the closest one.'),
    },
    "HF451": {
        "da": ('datasæt, der ikke er forbundet', "`from D` skal vide, hvilke af D's rækker der hører til den række, der regnes på. Det finder hfspec ud af datasættenes `references:`-kolonner: D henviser til nøgletallets datasæt (`bolig.borger_id` → `borgere.borger_id`), begge henviser til samme kolonne (`herberg.borger_id` og `bolig.borger_id` → `borgere.borger_id`), eller nøgletallets datasæt henviser til D. Fejlen betyder, at der ingen sådan forbindelse er, eller flere end én."),
        "en": ('datasets not linked', "`from D` needs to know which of D's rows belong to the row it is worked out for. hfspec finds that from the datasets' `references:` columns: D references the key figure's dataset (`bolig.borger_id` → `borgere.borger_id`), both reference the same column (`herberg.borger_id` and `bolig.borger_id` → `borgere.borger_id`), or the key figure's dataset references D. This error means there is no such link, or more than one."),
    },
    "HF452": {
        "da": ('`first`/`last` uden rækkefølge', '`first(x)` og `last(x)` skal vide, hvilken række der kommer først: angiv en rækkefølge med `by`, fx `first(who5 by dato)` for den tidligste måling.'),
        "en": ('`first`/`last` without an order', '`first(x)` and `last(x)` need to know which row comes first: give an order with `by`, for example `first(who5 by dato)` for the earliest measurement.'),
    },
    "HF453": {
        "da": ('`by` uden for `first`/`last`', 'Inde i parenteser giver `by` rækkefølgen for `first` og `last`. Brug nøgletallets felt `by:` for at opdele det.'),
        "en": ('`by` outside `first`/`last`', 'Inside parentheses, `by` gives the order of `first` and `last`. To break a key figure down, use its `by:` field.'),
    },
    "HF454": {
        "da": ('`per` på det forkerte sted', '`agg(værdi per enhed where betingelse)` beregner en værdi for hver enhed blandt gruppens rækker og samler derefter over enhederne. Den hører til øverst i et nøgletals beregning (den kan kombineres med regning), ikke inde i en anden aggregatfunktion eller en anden `per`, ikke i et filter og ikke sammen med `from` eller `first`/`last`.'),
        "en": ('`per` in the wrong place', "`agg(value per unit where condition)` works out a value for each unit among the group's rows and then aggregates over the units. It belongs at the top level of a key figure's measure (it may be combined with arithmetic), not inside another aggregate or another `per`, not in a filter, and not together with `from` or `first`/`last`."),
    },
    "HF455": {
        "da": ('`per`-enheden er ikke en kolonne', 'Enheden efter `per` skal være en kolonne (som `borger_id`) eller et `let`-navn. Navngiv en beregnet enhed i `let:` først.'),
        "en": ('`per` unit is not a column', 'The unit after `per` must be a column (such as `borger_id`) or a `let` name. Name a computed unit in `let:` first.'),
    },
    "HF456": {
        "da": ('`this` uden for `from`', '`this.kolonne` betyder kolonnen i rækken uden for den inderste `from` (i `count(from herberg where indskrivning > this.udskrivning)` det ophold, optællingen regnes for). Uden for `from` betyder den intet, og rækken udenfor skal have kolonnen.'),
        "en": ('`this` outside `from`', '`this.column` means the column of the row outside the innermost `from` (in `count(from herberg where indskrivning > this.udskrivning)`, the stay the count is worked out for). It has no meaning outside `from`, and the row outside must have the column.'),
    },
    "HF457": {
        "da": ('`days_in_period()` uden interval', '`days_in_period()` tæller de dage af en rækkes interval, der falder i resultatets periode. Nøgletallet skal angive `time: [start, slut]` og en `period:`, og funktionen hører til i beregningen.'),
        "en": ('`days_in_period()` without an interval', "`days_in_period()` counts the days of a row's interval that fall in the result's period. It needs the key figure to give `time: [start, end]` and a `period:`, and belongs in the measure."),
    },
    "HF458": {
        "da": ('ugyldigt `let`-navn', 'Et `let`-navn må ikke være navnet på en kolonne, nøgletallet kan se, på et parameterpræfiks (`param`, `this`) eller på en anden `let`; og en `let`-værdi kan kun bruge dem, der er defineret før den. Omdøb den.'),
        "en": ('invalid `let` name', 'A `let` name must not be the name of a column the key figure can see, of a parameter prefix (`param`, `this`), or of another `let`; and a `let` value may use only the ones defined before it. Rename it.'),
    },
    "HF459": {
        "da": ('data-syntaks i en models formel', '`from` (rækker i et andet datasæt), `by` (rækkefølgen for `first`/`last`) og `per` (en aggregatfunktion pr. enhed) virker på datasæts rækker. En models formel har ingen rækker, kun arrays over navngivne dimensioner: reducér over en dimension med `over`, fx `sum(x over year)`.'),
        "en": ('data syntax in a model formula', '`from` (rows of another dataset), `by` (the order of `first`/`last`) and `per` (an aggregate per unit) work on the rows of datasets. A model formula has no rows, only arrays over named dimensions: reduce over a dimension with `over`, e.g. `sum(x over year)`.'),
    },
    # -- HF5xx: data ---------------------------------------------------------------------------
    "HF501": {
        "da": ('datafil mangler', 'Der blev ikke fundet en datafil til et datasæt, nøgletallene skal bruge, eller selve datamappen findes ikke. Filerne hedder som datasættets id (`borgere.csv`, `status.xlsx`, `tid.parquet`). Når et projekt med mappings kører på sine eksporter (uden en datamappe), skal hvert datasæt, det skal bruge, have en Mapping; en standardfil læses med en mapping så kort som `sources: [{files: fogedsager.csv}]`.'),
        "en": ('data file missing', 'No data file was found for a dataset the key figures need, or the data folder itself does not exist. Files are named after the dataset id (`borgere.csv`, `status.xlsx`, `tid.parquet`). When a project with mappings runs from its exports (no data folder given), every dataset it needs must have a Mapping; a standard file is read with a mapping as short as `sources: [{files: fogedsager.csv}]`.'),
    },
    "HF502": {
        "da": ("ukendt kolonneoverskrift", "Datafilen har en kolonne, som datasættets spec ikke kender. Omdøb overskriften, eller oversæt den med `source:` i datasættets spec."),
        "en": ("unknown column header", "The data file has a column that the dataset spec does not know. Rename the header, or map it with `source:` in the dataset spec."),
    },
    "HF503": {
        "da": ("kolonne mangler", "Datafilen mangler en kolonne, som datasættets spec kræver."),
        "en": ("missing column", "The data file lacks a column that the dataset spec requires."),
    },
    "HF504": {
        "da": ("ikke et tal", "En celle i en talkolonne indeholder noget, der ikke er et tal. Decimalkomma (12,5) er fint; tekst er ikke."),
        "en": ("not a number", "A cell in a number column holds something that is not a number. Decimal commas (12,5) are accepted; text is not."),
    },
    "HF505": {
        "da": ("ikke en dato", "En celle i en datokolonne er ikke en dato. Skriv 2021-06-30 eller 30-06-2021."),
        "en": ("not a date", "A cell in a date column is not a date. Use 2021-06-30 or 30-06-2021."),
    },
    "HF506": {
        "da": ("ikke ja/nej", "En celle i en ja/nej-kolonne skal være en af ja/nej, true/false, 1/0 eller yes/no."),
        "en": ("not a true/false value", "A cell in a yes/no column must be one of true/false, 1/0, ja/nej, yes/no."),
    },
    "HF507": {
        "da": ("ukendt værdi i data", "En celle indeholder en værdi, der ikke er en af kolonnens tilladte værdier."),
        "en": ("unknown enum value in data", "A cell holds a value that is not one of the column's allowed values."),
    },
    "HF508": {
        "da": ("værdien er uden for intervallet", "En celle er under kolonnens `min` eller over dens `max`."),
        "en": ("value out of range", "A cell is below the column's `min` or above its `max`."),
    },
    "HF509": {
        "da": ("påkrævet værdi mangler", "En celle er tom i en kolonne, der skal være udfyldt."),
        "en": ("required value missing", "A cell is empty in a column that is required."),
    },
    "HF510": {
        "da": ('CPR-nummer i data', "En celle indeholder noget, der ligner et CPR-nummer: ddmmåå med en mulig dag og måned, så `-`, et mellemrum eller ingenting, så fire cifre, også inde i en tekst (`CPR 010190-1234`); et helt tal læses som 10 cifre, så 0101901234 gemt som 101901234 tæller med. I en pseudonymkolonne, en nøglekolonne eller en kolonne, resultaterne opdeles på (hvis værdier vises), er det en fejl, og filen afvises, også med --allow-invalid-rows: borgerdata skal være pseudonymiseret, før de når hfspec. I andre tekstkolonner er det en advarsel: hfspec viser dem aldrig, men fjern numrene ved kilden. I en Mapping markeres den kolonne, der har CPR-numre, med `cpr: true`: så bliver den til et pseudonym. Meddelelserne viser aldrig nummeret (dets cifre er X'er)."),
        "en": ('CPR number in data', "A cell holds something shaped like a CPR number: ddmmyy with a plausible day and month, then `-`, a space or nothing, then four digits, also inside a text (`CPR 010190-1234`); a whole number is read as 10 digits, so 0101901234 stored as 101901234 counts. In a pseudonym column, a key column or a column that results are broken down by (whose values are printed), it is an error and the file is refused, even with --allow-invalid-rows: citizen data must be pseudonymised before it reaches hfspec. In other text columns it is a warning: hfspec never prints them, but remove the numbers at the source. In a Mapping, mark the column that holds CPR numbers `cpr: true`: it then becomes a pseudonym. Messages never show the number (its digits are X's)."),
    },
    "HF511": {
        "da": ("ukendt henvisning i data", "En række henviser til et id (fx et borger_id), som ikke findes i det datasæt, der henvises til."),
        "en": ("unknown reference in data", "A row refers to an id (for example a borger_id) that does not exist in the referenced dataset."),
    },
    "HF512": {
        "da": ("samme nøgle to gange i data", "To rækker har de samme værdier i datasættets `key:`-kolonner."),
        "en": ("duplicate key in data", "Two rows have the same values in the dataset's `key:` columns."),
    },
    "HF513": {
        "da": ("datafilen kan ikke læses", "Datafilen kan ikke læses som CSV, XLSX eller Parquet (eller dens tegnsæt er hverken UTF-8 eller Windows-1252)."),
        "en": ("data file cannot be read", "The data file is not readable as CSV, XLSX or Parquet (or its encoding is neither UTF-8 nor Windows-1252)."),
    },
    "HF514": {
        "da": ("ikke et helt tal", "En celle i en heltalskolonne indeholder et tal med decimaler."),
        "en": ("not a whole number", "A cell in an integer column holds a number with decimals."),
    },
    "HF515": {
        "da": ("flere filer til ét datasæt", "Datamappen har mere end én fil til et datasæt (fx status.csv og status.xlsx). Behold én, så det er klart, hvilken der gælder."),
        "en": ("several files for one dataset", "The data folder holds more than one file for a dataset (for example status.csv and status.xlsx). Keep one, so it is clear which one counts."),
    },
    "HF516": {
        "da": ("to overskrifter til én kolonne", "To af datafilens overskrifter betyder den samme kolonne i datasættet (når der ses bort fra store og små bogstaver, mellemrum og danske bogstaver, eller gennem `source:`), så det er uklart, hvilken der indeholder data. Fjern eller omdøb den ene."),
        "en": ("two headers for one column", "Two headers of the data file mean the same column of the dataset (after folding case, blanks and Danish letters, or through `source:`), so it is not clear which one holds the data. Remove or rename one."),
    },
    "HF517": {
        "da": ('problem med separatoren', 'Datafilen blander separatorer: overskriften er én celle skrevet med en anden separator end resten (dansk Excel åbner en `,`-adskilt fil med hele overskriften i kolonne A og gemmer den `;`-adskilt), eller nogle linjer er adskilt med et andet tegn end overskriften. Del overskriften i kolonner i Excel (Data → Tekst til kolonner), og gem filen igen som CSV, så hver linje bruger samme separator; skabelonerne fra `hfspec init` er `;`-adskilte, som dansk Excel gemmer dem.'),
        "en": ('separator problem', 'The data file mixes separators: its header is one cell written with another separator than the rest (Danish Excel opens a `,`-separated file with the whole header in column A, and saves it `;`-separated), or some lines are separated by another character than the header. Split the header into columns in Excel (Data → Text to Columns) and save the file again as CSV, so that every line uses one separator; the templates of `hfspec init` are `;`-separated, as Danish Excel saves them.'),
    },
    "HF518": {
        "da": ('dato uden for 1900–2200', 'En celle i en datokolonne er en dato, men før 1900-01-01 eller efter 2200-12-31 (MIN_DATE, MAX_DATE): som regel en tastefejl i året (`0021-03-22`), eller en Parquet-værdi som `infinity`. Sådan en dato ville give rækken en periode for sig selv. Ret året.'),
        "en": ('date outside 1900–2200', 'A cell in a date column is a date, but before 1900-01-01 or after 2200-12-31 (MIN_DATE, MAX_DATE): usually a typo in the year (`0021-03-22`), or a Parquet value such as `infinity`. Such a date would put its row in a period of its own. Correct the year.'),
    },
    "HF519": {
        "da": ('XLSX-ark for langt', 'Arbejdsbogens ark har rækker nummereret ud over MAX_XLSX_ROWS (1.048.576, Excels egen grænse), så det er ikke skrevet af Excel. Gem data igen fra Excel, eller eksportér dem som CSV.'),
        "en": ('XLSX sheet too long', "The workbook's sheet has rows numbered beyond MAX_XLSX_ROWS (1,048,576, Excel's own limit), so it was not written by Excel. Save the data again from Excel, or export it as CSV."),
    },
    "HF520": {
        "da": ('rækker udeladt', 'Med --allow-invalid-rows er de ugyldige rækker udeladt af beregningen, og med dem hver række i en anden fil, der henviser til en udeladt række (status- og herbergsrækkerne for en borger, hvis `borgere`-række var ugyldig), så intet nøgletal tæller en række uden dens borger. Advarslen tæller de udeladte rækker pr. fil og nævner deres rækkenumre. En værdi, der ligner et CPR-nummer, en manglende fil eller kolonne, et problem med separatoren eller en fil, der ikke kan læses, afviser data også med flaget.'),
        "en": ('rows skipped', 'With --allow-invalid-rows the invalid rows were left out of the computation, and with them every row of another file that refers to a left-out row (the status and shelter rows of a citizen whose `borgere` row was invalid), so that no key figure counts a row without its citizen. The warning counts the left-out rows per file and lists their row numbers. A CPR-shaped value, a missing file or column, a separator problem or a file that cannot be read refuses the data even with the flag.'),
    },
    "HF521": {
        "da": ('for mange tekster i XLSX', 'Arbejdsbogen har flere forskellige tekster (delte strenge) end MAX_XLSX_SHARED_STRINGS (1.000.000). De læses alle ind i hukommelsen før første række, så sådan en fil afvises, før den læses. Gem kun dataarket, eller eksportér det som CSV.'),
        "en": ('too many texts in XLSX', 'The workbook holds more distinct texts (shared strings) than MAX_XLSX_SHARED_STRINGS (1,000,000). They are all read into memory before the first row, so such a file is refused before it is read. Save only the data sheet, or export it as CSV.'),
    },
    "HF522": {
        "da": ('XLSX for stor udpakket', 'En XLSX-fil er en zip-fil; denne fylder mere end MAX_XLSX_UNPACKED_BYTES (1.000.000.000 byte), når den pakkes ud, hvilket tjekkes, før noget pakkes ud. Eksportér data som CSV (DuckDB læser store CSV-filer hurtigt), eller del filen op.'),
        "en": ('XLSX too large unpacked', 'An XLSX file is a zip; this one unpacks to more than MAX_XLSX_UNPACKED_BYTES (1,000,000,000 bytes), checked before anything is unpacked. Export the data as CSV (DuckDB reads large CSV files quickly), or split it.'),
    },
    "HF523": {
        "da": ('CSV-overskriftslinjen er for lang', 'Den første linje i en CSV-fil, overskriften, er længere end MAX_HEADER_BYTES (16.000.000 byte) eller har slet intet linjeskift, så det er ikke en tabel med en overskrift. Tjek, at det er den datafil, du mente, og at den har én række pr. linje.'),
        "en": ('CSV header line too long', 'The first line of a CSV file, its header, is longer than MAX_HEADER_BYTES (16,000,000 bytes) or has no line break at all, so it is not a table with a header. Check that this is the data file you meant, and that it has one row per line.'),
    },
    "HF524": {
        "da": ('XLSX-ark for bredt', 'En række i arbejdsbogens ark har en værdi længere til højre end MAX_XLSX_COLUMNS (1.000) kolonner, ofte en vildfaren indtastning langt ude til højre. Slet den, eller gem kun data som et ark for sig eller som CSV.'),
        "en": ('XLSX sheet too wide', "A row of the workbook's sheet has a value further right than MAX_XLSX_COLUMNS (1,000) columns, often a stray entry far out to the right. Delete it, or save only the data as its own sheet or as CSV."),
    },
    "HF530": {
        "da": ('ingen eksportfil fundet', 'Et `files:`-mønster i en kilde i en Mapping passer ikke på nogen fil. Mønstre regnes fra mappingfilens mappe (`eksport/110/*.txt`); tjek mappen og filnavnene, eller om denne måneds eksport er gemt endnu.'),
        "en": ('no export file found', "A Mapping source's `files:` pattern matches no file. Patterns are relative to the mapping file (`eksport/110/*.txt`); check the folder and the file names, or whether this month's export has been saved yet."),
    },
    "HF531": {
        "da": ('kolonnen findes ikke i eksporten', 'Eksporten har ingen overskrift, som Mappingen nævner i `from:` (eller, for en datasætkolonne, mappingen ikke nævner, dens eget navn eller et `source:`-navn). Overskrifter sammenlignes uden hensyn til store og små bogstaver, mellemrum, `-`/`_` og danske bogstaver. Når overskriften ikke står i første række, så angiv `header_row:`. Hintet nævner filens nærmeste overskrift.'),
        "en": ('column not found in the export', 'The export has no header that the Mapping names in `from:` (or, for a dataset column the mapping does not list, its own name or a `source:` name). Headers are compared without regard to case, blanks, `-`/`_` and Danish letters. When the header is not in the first row, give `header_row:`. The hint names the closest header of the file.'),
    },
    "HF532": {
        "da": ('værdien står ikke i værdioversættelsen', 'En celle i eksporten har et ord eller en kode, som kolonnens værdioversættelse ikke nævner (en ny kode i fagsystemet, en stavefejl). Føj det til `values:` med den værdi, det betyder, eller angiv `other:` for alle ord, der ikke står der.'),
        "en": ('value not in the value map', "A cell of the export holds a word or code that the column's value map does not list (a new code in the case system, a misspelling). Add it to `values:` with the value it means, or give `other:` for every word not listed."),
    },
    "HF533": {
        "da": ('ikke et CPR-nummer', 'En celle i en kolonne markeret `cpr: true` indeholder ikke et CPR-nummer (ddmmåå-xxxx, med eller uden bindestreg). Cellen vises med cifrene skjult. Ret eksporten, eller tjek, at det er den rigtige kolonne, der er markeret.'),
        "en": ('not a CPR number', 'A cell of a column marked `cpr: true` does not hold a CPR number (ddmmyy-xxxx, with or without the dash). The cell is shown with its digits masked. Fix the export, or check that the right column is marked.'),
    },
    "HF534": {
        "da": ('arket findes ikke', 'Arbejdsbogen har intet ark med det navn, Mappingens `sheet:` angiver. Meddelelsen nævner de ark, den har.'),
        "en": ('sheet not found', "The workbook has no sheet of the name given in the Mapping's `sheet:`. The message lists the sheets it has."),
    },
    "HF535": {
        "da": ('ingen pseudonymnøgle', 'En Mapping gør CPR-numre til pseudonymer med kommunens hemmelige nøgle, og der blev ikke fundet nogen nøgle: ikke med `--key`, ikke i miljøvariablerne HFSPEC_PSEUDONYM_KEY_FILE eller HFSPEC_PSEUDONYM_KEY, ikke i standardnøglefilen. Lav en med `hfspec key new` (én gang; gem en kopi sikkert), eller peg på den, du har. Uden nøglen mappes intet.'),
        "en": ('no pseudonym key', "A Mapping turns CPR numbers into pseudonyms with the municipality's secret key, and no key was found: not with `--key`, not in the environment variables HFSPEC_PSEUDONYM_KEY_FILE or HFSPEC_PSEUDONYM_KEY, not in the default key file. Create one with `hfspec key new` (once; keep a copy safe), or point to the one you have. Without the key nothing is mapped."),
    },
    "HF536": {
        "da": ('pseudonymnøglen kan ikke bruges', 'Pseudonymnøglen kan ikke læses eller er ikke en nøgle, hfspec har skrevet: en nøgle er 64 hexadecimale tegn (32 tilfældige byte) på en linje for sig; linjer, der begynder med `#`, er kommentarer. Brug den nøglefil, `hfspec key new` lavede.'),
        "en": ('pseudonym key cannot be used', 'The pseudonym key cannot be read or is not a key hfspec wrote: a key is 64 hexadecimal characters (32 random bytes) on a line of its own; lines starting with `#` are comments. Use the key file `hfspec key new` made.'),
    },
    "HF537": {
        "da": ('nøglefil inde i projektet', 'Pseudonymnøglen ligger i projektmappen (ved siden af kataloget, mappingerne eller data). Den, der får en kopi af projektet, får nøglen med, og med nøglen og et CPR-nummer kan enhver finde den persons pseudonym. Flyt nøglen ud af projektet, fx til standardnøglefilen.'),
        "en": ('key file inside the project', "The pseudonym key lies inside the project folder (beside the catalogue, the mappings or the data). Whoever gets a copy of the project would get the key with it, and with the key and a CPR number anyone can find that person's pseudonym. Move the key out of the project, for example to the default key file."),
    },
    "HF538": {
        "da": ('nøglefil kan læses af andre', 'Pseudonymnøglefilen kan læses af andre brugere af computeren. Gør den læsbar for dig alene (`chmod 600 FIL`). En advarsel: mappingen kører alligevel.'),
        "en": ('key file readable by others', 'The pseudonym key file can be read by other users of the computer. Make it readable by you only (`chmod 600 FILE`). A warning: the mapping runs all the same.'),
    },
    "HF539": {
        "da": ('pseudonymnøglen er skiftet', 'Datamappen blev skrevet med en anden pseudonymnøgle (fingeraftrykkene er forskellige). Med en ny nøgle får hver borger et nyt pseudonym, så standarddata og historikken kan ikke længere kobles til tidligere kørsler. Brug nøglen fra sidst; hvis du mener at skifte nøgle, så tilføj `--new-key`.'),
        "en": ('pseudonym key changed', 'The data folder was written with another pseudonym key (the fingerprints differ). With a new key every citizen gets a new pseudonym, so the standard data and the history no longer link to earlier runs. Use the key from last time; if you do mean to change the key, add `--new-key`.'),
    },
    # -- HF6xx: evaluation and tests -----------------------------------------------------------
    "HF601": {
        "da": ("eksempel fejlede", "Et af nøgletallets `examples:` gav andre værdier end forventet. Forskellen viser de forventede og de faktiske rækker."),
        "en": ("example failed", "An indicator's `examples:` case gave other values than expected. The diff shows expected and actual rows."),
    },
    "HF602": {
        "da": ("ugyldigt eksempel", "Et eksempels rækker passer ikke til datasættets spec (en ukendt kolonne, en forkert type), eller giver rækker til et datasæt, som nøgletallet ikke bruger."),
        "en": ("invalid example", "An example's rows do not fit the dataset spec (an unknown column, a wrong type), or give rows for a dataset the key figure does not use."),
    },
    "HF603": {
        "da": ("ugyldigt succeskriterium", "`target:` skal se ud som `>= 80%`, `< 12` eller `between 10 and 20`."),
        "en": ("invalid target", "`target:` must look like `>= 80%`, `< 12` or `between 10 and 20`."),
    },
    "HF604": {
        "da": ("ugyldig dato eller periode", "--from/--to skal være datoer (2021-01-01) eller perioder (2021, 2021-Q3, 2021-07); --reference-date en dato eller `today`."),
        "en": ("invalid date or period", "--from/--to must be dates (2021-01-01) or periods (2021, 2021-Q3, 2021-07); --reference-date a date or `today`."),
    },
    "HF605": {
        "da": ("ukendt nøgletal", "Nøgletallets id på kommandolinjen er ikke i kataloget."),
        "en": ("unknown indicator", "The indicator id given on the command line is not in the catalogue."),
    },
    "HF606": {
        "da": ("ukendt kolonne i by:", "En kolonne i `by:` er ikke en kolonne i datasættet eller i et datasæt, det henviser til."),
        "en": ("unknown breakdown column", "A `by:` column is not a column of the dataset or of a dataset it references."),
    },
    "HF607": {
        "da": ("ukendt pladsholder i en regels meddelelse", "En regels `message:` bruger `{navn}` om en værdi, som reglen ikke har. En meddelelse kan bruge `{value}` (den tjekkede værdi), `by:`-kolonnerne, for regler på rækkeniveau datasættets nøglekolonner og `{row}`, og hvert `show:`-udtryk ved dets tekst (`{max(dato)}`) eller plads (`{show1}`). Skriv `{{` og `}}` for krøllede parenteser."),
        "en": ("unknown placeholder in a rule message", "A rule's `message:` uses `{name}` for a value that the rule does not have. A message may use `{value}` (the checked value), the `by:` columns, for row rules the dataset's key columns and `{row}`, and each `show:` expression by its text (`{max(dato)}`) or position (`{show1}`). Write `{{` and `}}` for literal braces."),
    },
    "HF608": {
        "da": ("ugyldig indstilling af dobbelt bundlinje", "En `dbl_*`-parameter i kataloget for dobbelt bundlinje (specs/dbl/) har en værdi, hfspec ikke kan bruge, fx en `dbl_instrument`, der hverken er `who5` eller `ors`. Meddelelsen nævner de tilladte værdier."),
        "en": ("invalid double-bottom-line setting", "A `dbl_*` parameter of the double-bottom-line catalogue (specs/dbl/) has a value hfspec cannot use, for example `dbl_instrument` other than `who5` or `ors`. The message says which values are allowed."),
    },
    "HF609": {
        "da": ("ukendt borger eller medarbejder", "`hfspec dbl --citizen` eller `--worker` nævner et id, der ikke er i `borgere` (borger_id eller medarbejder_id). Id'er er pseudonymer som B0001 og M01; tippet nævner det nærmeste."),
        "en": ("unknown citizen or worker", "`hfspec dbl --citizen` or `--worker` names an id that is not in `borgere` (borger_id or medarbejder_id). Ids are pseudonyms such as B0001 and M01; the hint names the closest one."),
    },
    "HF610": {
        "da": ("opdelingerne passer ikke sammen", "Et afledt nøgletal kombinerer andre nøgletals resultater, parret på ens opdelinger (og periode). Et af dem skal have alle de opdelinger, de andre har; her har ingen det. Kombinér nøgletal med ens opdelinger, eller hvor de andre ikke er opdelt."),
        "en": ("breakdowns do not nest", "A derived key figure combines the results of other key figures, matched on equal breakdowns (and period). One of them must have every breakdown the others have; here none has. Combine key figures whose breakdowns are equal, or where the others have none."),
    },
    "HF611": {
        "da": ("tallet er for stort", "Et tal voksede ud over 64-bit-intervallet, mens et nøgletal blev beregnet (meget store værdier i data, eller en potens). Tjek data og beregningen."),
        "en": ("number out of range", "A number grew beyond the 64-bit range while a key figure was computed (very large values in the data, or a power). Check the data and the measure."),
    },
    # -- HF7xx: models (SØM, CREAM) ------------------------------------------------------------
    "HF625": {
        "da": ('hovedtallet passer ikke til nøgletallet', 'Et nøgletals `headline:` siger, hvilken af dets værdier der står for det på én linje. `latest` kræver et nøgletal med `period:`, og en gruppe som `{maalepunkt: efter}` skal nævne opdelinger af nøgletallet (dets `by:`, eller for et afledt nøgletal opdelingerne af de nøgletal, det kombinerer). Brug `total`, `latest` eller en af de opdelinger, tippet nævner.'),
        "en": ('headline does not fit the key figure', "A key figure's `headline:` says which of its values stands for it in one line. `latest` needs a key figure with `period:`, and a group such as `{maalepunkt: efter}` must name breakdowns of the key figure (its `by:`, or for a derived key figure those of the key figures it combines). Use `total`, `latest` or one of the breakdowns the hint lists."),
    },
    "HF701": {
        "da": ("ukendt eller unavngivet dimension", "En model nævner en dimension, den ikke erklærer, eller et indeks nævner ikke sin dimension (skriv `x[year = 1]`, ikke `x[1]`)."),
        "en": ("unknown or unnamed dimension", "A model names a dimension it does not declare, or an index does not name its dimension (write `x[year = 1]`, not `x[1]`)."),
    },
    "HF702": {
        "da": ("dimensionerne passer ikke", "Værdierne har ikke de dimensioner, som modellen erklærer for dette input eller denne formel."),
        "en": ("dimension mismatch", "The values do not have the dimensions the model declares for this input or formula."),
    },
    "HF703": {
        "da": ("input mangler", "Scenariet giver ingen værdi for et af modellens input uden standardværdi, eller for en af værdierne i inputtets dimension (en betaler, et år)."),
        "en": ("missing input", "The scenario does not give a value for a model input that has no default, or for one of the values of the input's dimension (a payer, a year)."),
    },
    "HF704": {
        "da": ("input uden for intervallet", "En værdi i scenariet ligger uden for inputtets tilladte interval (fx en succesrate over 100 %)."),
        "en": ("input out of range", "A scenario value is outside the input's allowed range (for example a success rate above 100 %)."),
    },
    "HF705": {
        "da": ("ukendt input", "Scenariet giver en værdi for et input, som modellen ikke har."),
        "en": ("unknown input", "The scenario gives a value for an input the model does not have."),
    },
    "HF706": {
        "da": ("ukendt dimensionsværdi", "En værdi er angivet for en dimensionsværdi (en betaler, en konsekvens), som dimensionen ikke har."),
        "en": ("unknown dimension value", "A value is keyed by a dimension value (a payer, a consequence) that the dimension does not have."),
    },
    "HF707": {
        "da": ("prisindeks mangler", "Scenariet omregner priser fra et år, som prisindekset ikke har en værdi for."),
        "en": ("missing price index", "The scenario converts prices from a year for which the price index has no value."),
    },
    "HF708": {
        "da": ("ugyldig fordeling", "Et `range:` skal angive en fordeling (normal, triangular, uniform) med grænser, der hænger sammen (low <= mode <= high, sd > 0)."),
        "en": ("invalid distribution", "A `range:` must give a distribution (normal, triangular, uniform) with consistent bounds (low <= mode <= high, sd > 0)."),
    },
    "HF709": {
        "da": ("problem med en bedømmelsesfil", "En fil med CREAM-bedømmelser kan ikke bruges, som den er: den er ikke en CSV- eller XLSX-fil eller kan ikke læses, den er tom eller har ingen scorer, en påkrævet kolonne (nøgletal/indicator, kriterium/criterion, score) mangler, en række nævner et ukendt nøgletal eller kriterium, en score er ikke et tal eller ligger uden for skalaen 1..5, eller en bedømmelse står to gange. Meddelelsen nævner filen og rækken."),
        "en": ("ratings file problem", "A CREAM ratings file cannot be used as it is: it is not a CSV or XLSX file or cannot be read, it is empty or holds no scores, a required column (indicator/nøgletal, criterion/kriterium, score) is missing, a row names an unknown key figure or criterion, a score is not a number or lies outside the scale 1..5, or a rating is given twice. The message gives the file and row."),
    },
    "HF710": {
        "da": ("fejl i en models formel", "En formel kan ikke beregnes med de givne input."),
        "en": ("model formula error", "A formula cannot be evaluated with the given inputs."),
    },
    "HF711": {
        "da": ("ugyldig diskontering", "Et scenaries `discount:` skal være en årlig rente (0.035 for 3,5 %) eller en forudindstilling (`none`, `finansministeriet`), modellen skal have inputtet `discount_rate`, og renten må kun angives ét sted (enten `discount:` eller `inputs: discount_rate`)."),
        "en": ("invalid discount setting", "A scenario's `discount:` must be a yearly rate (0.035 for 3.5 %) or a preset (`none`, `finansministeriet`), the model must have a `discount_rate` input, and the rate may be given only once (either `discount:` or `inputs: discount_rate`)."),
    },
    "HF712": {
        "da": ("værdien fra data kan ikke bruges", "Et inputs `from_eval:` skal nævne et nøgletal i kataloget, en datamappe, der findes (regnet fra scenariefilens mappe), og `where:`-betingelser på nøgletallets opdelinger (og `period`), der udvælger præcis ét resultat med en værdi. Tippet nævner de værdier, der findes i data."),
        "en": ("value from data cannot be used", "An input's `from_eval:` must name a key figure of the catalogue, a data folder that exists (relative to the scenario file) and `where:` conditions on the key figure's breakdowns (and `period`) that pick exactly one result with a value. The hint lists the values found in the data."),
    },
    "HF713": {
        "da": ("værdien fra data er diskretioneret", "Nøgletallets gruppe har færre enheder end diskretioneringsgrænsen k (`--suppress-below`), så værdien er diskretioneret, og hfspec bruger den ikke som tal. Brug en større gruppe (færre `where:`-betingelser), eller angiv værdien i hånden med en `source:`."),
        "en": ("value from data is suppressed", "The key figure's group has fewer units than the disclosure limit k (`--suppress-below`), so its value is suppressed and hfspec will not use it as a number. Use a larger group (fewer `where:` conditions) or give the value by hand with a `source:`."),
    },
    "HF714": {
        "da": ("ikke præcis ét scenarie i filen", "`hfspec som FIL` kører det ene scenarie i en scenariefil, men filen har intet (ingen `kind: Scenario`) eller flere. Angiv i stedet scenariets id med filen som ekstra sti: `hfspec som ID FIL`."),
        "en": ("no single scenario in the file", "`hfspec som FILE` runs the one scenario of a scenario file, but the file holds none (no `kind: Scenario`) or several. Give the scenario's id instead, with the file as a further path: `hfspec som ID FILE`."),
    },
    "HF715": {
        "da": ("modellen kan ikke køres som SØM", "`hfspec som` læser modellens resultater fra formler med faste navne (net, net_pv, acc, ...) over dimensionerne `year` og `payer`. Modellen mangler en af dem; meddelelsen nævner hvilken."),
        "en": ("model cannot be run as SØM", "`hfspec som` reads the model's results from formulas with fixed names (net, net_pv, acc, ...) over the dimensions `year` and `payer`. The model lacks one of them; the message names it."),
    },
    "HF716": {
        "da": ("refusionsinput efter § 110 kan ikke bruges", "Siden 1. oktober 2023 refunderer staten kun 50 % af kommunens udgifter efter § 110 for de første 90 døgn pr. borger pr. kalenderår. Et SØM-scenarie, hvor casen er beregnet på eller efter den dato (`priced_on`), og hvor der falder herbergsdøgn, skal sige, hvor mange døgn hver borger bor på herberg om året, for det afgør, hvordan de sparede døgn fordeles mellem kommune og stat: angiv `stay_nights` (døgn pr. borgerår, en liste eller intervaller, med `stay_citizen_years`) eller `within_share` (andelen af døgnene inden for de første 90 pr. borgerår, fx `from_eval` af HF-E-11) – den ene af dem, ikke begge. Afkortede ophold (`whole_years_share` under 1) kræver `stay_nights`."),
        "en": ("section 110 refusion inputs cannot be used", "Since 1 October 2023 the state refunds 50 % of the municipality's section 110 expenses only for the first 90 nights per citizen per calendar year. A SØM scenario priced on or after that date (`priced_on`) in which shelter nights fall must say how many nights each citizen stays a year, since that decides how the nights saved are split between municipality and state: give `stay_nights` (nights per citizen-year, a list or bands, with `stay_citizen_years`) or `within_share` (the share of the nights within the first 90 per citizen-year, e.g. `from_eval` of HF-E-11) – one of them, not both. Shortened stays (`whole_years_share` below 1) need `stay_nights`."),
    },
    "HF717": {
        "da": ("inputdetaljer uden `value:`", "Et input skrevet som en mapping er enten dets værdier pr. værdi af dets første dimension (`price: {herberg: …, job: …}`) eller, med `value:` (eller `from_eval:`), værdien med dens `source:`, `range:`, `unit:` og `price_year:`. En mapping med `source:` eller `range:`, men uden `value:`, er den første slags, så `source` ville blive læst som en konsekvens eller en betaler. Skriv tallene under `value:`."),
        "en": ("input detail without `value:`", "An input written as a mapping is either its values keyed by the values of its first dimension (`price: {herberg: …, job: …}`) or, with `value:` (or `from_eval:`), the value with its `source:`, `range:`, `unit:` and `price_year:`. A mapping with `source:` or `range:` but no `value:` is the first kind, so `source` would be read as a consequence or a payer. Write the numbers under `value:`."),
    },
    "HF718": {
        "da": ("ikke en dato", "Et modelinput af typen `date` (i SØM `priced_on` og `refusion_from`) skal have en dato skrevet år-måned-dag: `2024-03-01`."),
        "en": ("not a date", "A model input of type `date` (SØM's `priced_on`, `refusion_from`) needs a date written year-month-day: `2024-03-01`."),
    },
    "HF719": {
        "da": ("scenarie uden beregningsdato", "Et SØM-scenarie, hvor der falder herbergsdøgn efter § 110, angiver ikke `priced_on`, den dato casen er beregnet. Uden den kan hfspec ikke afgøre, om refusionsreglen fra 1. oktober 2023 gælder, og fordeler de sparede døgn mellem betalerne, som `price` angiver (reglen før). Tilføj `priced_on:`. En advarsel: casen beregnes alligevel, og hvert output siger, hvilken regel der blev brugt."),
        "en": ("scenario without a calculation date", "A SØM scenario in which section 110 shelter nights fall does not give `priced_on`, the date the case is calculated. Without it hfspec cannot tell whether the refusion rule of 1 October 2023 applies, and splits the nights saved between the payers as `price` gives it (the rule before). Add `priced_on:`. A warning: the case is computed all the same, and every output says which rule was used."),
    },
    "HF720": {
        "da": ("ufuldstændig CREAM-bedømmelse", "En bedømmer har scoret et nøgletal på nogle, men ikke alle fem CREAM-kriterier. Porten og den vægtede score skal bruge alle fem: tilføj de manglende kriterier, eller fjern bedømmerens rækker for nøgletallet, så det står ubedømt."),
        "en": ("incomplete CREAM rating", "A rater scored a key figure on some but not all five CREAM criteria. The gate and the weighted score need all five: add the missing criteria, or remove the rater's rows for that key figure to leave it unrated."),
    },
    "HF721": {
        "da": ("ugyldige CREAM-indstillinger", "CREAM-vægtene eller -indstillingerne kan ikke bruges: en vægt for et ukendt kriterium, en negativ vægt, vægte, der tilsammen giver 0, eller en kort liste, der ikke kan skrives."),
        "en": ("invalid CREAM settings", "The CREAM weights or options cannot be used: a weight for an unknown criterion, a negative weight, weights that add up to 0, or a short list that cannot be written."),
    },
    "HF722": {
        "da": ("bedømmelser af nøgletal uden for kataloget", "Bedømmelsesfilerne bedømmer nøgletal, som projektet kender, men som det rangerede katalog ikke har med (det vælger eller fjerner nøgletal fra det katalog, det udvider, og workshoppen bedømte hele kataloget). Deres bedømmelser udelades; de tæller med, når du rangerer det katalog, de kommer fra. En advarsel."),
        "en": ("ratings of key figures outside the catalogue", "The ratings files rate key figures that the project knows but the ranked catalogue does not list (it selects or drops key figures of the catalogue it extends, and the workshop rated the whole one). Their ratings are left out; they count when you rank the catalogue they come from. A warning."),
    },
    # -- HF8xx: reports and outputs ------------------------------------------------------------
    "HF801": {
        "da": ("fejl i en skabelon", "En rapportskabelon kunne ikke dannes eller findes ikke (en `--templates`-mappe, der ikke findes, eller et skabelonnavn, som hverken den eller de medfølgende skabeloner har), eller den overskred en af de grænser, som enhver dannelse har: makrokald indlejret dybere end MAX_TEMPLATE_DEPTH, en tekst, en liste eller et output længere end MAX_TEMPLATE_OUTPUT, et heltal på mere end MAX_TEMPLATE_INTEGER_BITS bit, løkker, der kører mere end MAX_TEMPLATE_LOOP_ITEMS gange. Meddelelsen siger hvor."),
        "en": ("template error", "A report template failed to render, or cannot be found (a `--templates` folder that does not exist, a template name that neither it nor the shipped templates have), or crossed one of the limits every render has: macro calls nested deeper than MAX_TEMPLATE_DEPTH, a text, list or output longer than MAX_TEMPLATE_OUTPUT, a whole number of more than MAX_TEMPLATE_INTEGER_BITS bits, loops that run more than MAX_TEMPLATE_LOOP_ITEMS times. The message says where."),
    },
    "HF802": {
        "da": ("usikker handling i en skabelon", "En skabelon forsøgte noget, sandkassen forbyder (at række ind i Python-objekter)."),
        "en": ("unsafe template operation", "A template tried something the sandbox forbids (reaching into Python objects)."),
    },
    "HF803": {
        "da": ("filen kan ikke skrives", "Uddatafilen (`--out`, eller historikfilen for `--store`) kan ikke skrives: mappen findes ikke eller må ikke skrives i, navnet er en mappe, eller filen er åben i et andet program. Tjek, at mappen findes, og at du må skrive i den. `hfspec init` nægter også at skrive over filer, der findes (tilføj --force)."),
        "en": ("output cannot be written", "The output file (`--out`, or the history file of `--store`) cannot be written: its folder does not exist or may not be written, the name is a folder, or the file is open in another program. Check the folder exists and is writable. `hfspec init` also refuses to write over files that exist (add --force)."),
    },
    "HF804": {
        "da": ("kørslen er allerede gemt", "Historikfilen har allerede en kørsel af dette katalog på disse data med de samme indstillinger, så den gemmes ikke to gange."),
        "en": ("run already stored", "The history file already holds a run of this catalogue on this data with the same settings, so it is not stored twice."),
    },
    "HF805": {
        "da": ('ukendt sammenligningskolonne', '`hfspec report --compare-by KOLONNE` (eller `--compare`, der sammenligner efter `kommune`) nævner den kolonne, der siger, hvilken kommune en række hører til, men intet nøgletal i rapporten når en kolonne med det navn gennem sit datasæts forbindelser. Brug en kolonne fra standarddata som `kommune`; tippet nævner den nærmeste.'),
        "en": ('unknown comparison column', "`hfspec report --compare-by COLUMN` (or `--compare`, which compares by `kommune`) names the column that says which municipality a row belongs to, but no key figure of the report reaches a column of that name through its dataset's links. Use a column of the standard data such as `kommune`; the hint names the closest."),
    },
    "HF806": {
        "da": ('ukendt kørselsnavn', '`hfspec report --compare-history FIL --overall NAVN` nævner den gemte kørsel, der har den samlede værdi, men ingen kørsel i historikfilen har det navn. Tippet nævner filens navne.'),
        "en": ('unknown run label', '`hfspec report --compare-history FILE --overall LABEL` names the stored run that holds the overall value, but no run in the history file has that label. The hint lists the labels the file has.'),
    },
    "HF807": {
        "da": ("historikfilen er i brug", "Et andet program holdt historikfilen (`--store`, `--history`) længere, end hfspec venter (MAX_LOCK_WAIT_SECONDS, 30 sekunder): en anden kørsel af hfspec, der tager usædvanlig lang tid, eller et DuckDB-vindue med filen åben. hfspec venter på en kørsel, der er ved at gemme, så to kørsler, der startes samtidig, kommer begge med; luk det andet program, og kør igen."),
        "en": ("history file in use", "Another program held the history file (`--store`, `--history`) for longer than hfspec waits (MAX_LOCK_WAIT_SECONDS, 30 seconds): another hfspec run that takes unusually long, or a DuckDB window with the file open. hfspec waits for a run that is storing, so two runs started together both land; close the other program and run again."),
    },
    "HF810": {
        "da": ("skjult celle kan regnes ud", "`hfspec audit` fandt en skjult (diskretioneret) celle, hvis værdi kan regnes ud, eller indsnævres til et interval smallere end beskyttelsesniveauet, ud fra det, den samme fil offentliggør: dens totaler, n ved hver værdi, andele gange deres n og andre nøgletal, der tæller de samme borgere (kataloget siger hvilke). Sådan en fil røber det, diskretioneringen skjulte. Lav den igen med `hfspec eval` eller `hfspec report`, som skjuler de yderligere celler, der skal til (sekundær diskretionering, vist som \"(skjult)\"), og offentliggør ikke den gamle."),
        "en": ("hidden cell can be worked out", "`hfspec audit` found a hidden (suppressed) cell whose value can be computed, or narrowed to an interval narrower than the protection level, from what the same file publishes: its totals, the n beside each value, shares times their n, and other key figures that count the same citizens (the catalogue says which). Such a file gives away what disclosure control hid. Make it again with `hfspec eval` or `hfspec report`, which hide the further cells needed (secondary suppression, shown as \"(hidden)\"), and do not publish the old one."),
    },
    "HF811": {
        "da": ("ikke en resultatfil", "`hfspec audit` læser de filer, `hfspec eval` skriver (JSON med `format: hfspec-results/…`, den lange CSV, XLSX-projektmappen), og ledelsesrapporten (`hfspec report`: dens HTML-side eller projektmappe). Filen er ingen af dem. Tjek stien."),
        "en": ("not a results file", "`hfspec audit` reads the files `hfspec eval` writes (JSON with `format: hfspec-results/…`, the long CSV, the XLSX workbook) and the management report (`hfspec report`: its HTML page or workbook). The file is none of these. Check the path."),
    },
    "HF812": {
        "da": ("diskretionering slået fra kræver en bekræftelse", "`--suppress-below 0` (eller 1) slår diskretioneringen fra: nøgletal om én eller få borgere vises, og dermed alt, der kan identificere dem. Det er kun til arbejde inden for kommunen, så hfspec beder dig sige det: tilføj `--not-for-publication`. Alt, der laves sådan, siger \"ikke til offentliggørelse\" øverst (CSV-filen i en første `#`-linje). Udelad `--suppress-below` for at offentliggøre (standard 5)."),
        "en": ("disclosure control off needs a confirmation", "`--suppress-below 0` (or 1) turns disclosure control off: key figures about one or a few citizens are shown, and so is everything that could identify them. That is for work inside the municipality only, so hfspec asks you to say so: add `--not-for-publication`. Every output made that way says \"not for publication\" at the top (the CSV in a first `#` line). To publish, leave `--suppress-below` out (default 5)."),
    },
}
