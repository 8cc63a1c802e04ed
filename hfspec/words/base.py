"""The general words and numbers (sections 1–3 of `hfspec.words`): the indicator types, the
vocabulary keyed by the specs' own values, and the one number formatter. A leaf."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from typing import Any


def by_language(pairs: dict[Any, tuple[Any, Any]]) -> dict[str, dict[Any, Any]]:
    """{key: (Danish, English)} → {"da": {key: Danish}, "en": {key: English}}.

    >>> by_language({"year": ("år", "year")})
    {'da': {'year': 'år'}, 'en': {'year': 'year'}}
    """
    return {"da": {key: da for key, (da, _) in pairs.items()}, "en": {key: en for key, (_, en) in pairs.items()}}


# =============================================================================================
# 1. The indicator types

#: The four types of key figure (DESIGN.md §3), in the seed's order. The JSON Schema of an
#: Indicator lists the same (tests/test_words.py holds them equal).
INDICATOR_TYPES = ("process", "outcome", "economy", "structure")

#: A type's name: a label, a sheet name. Lower-cased in running text (`TYPE_WORDS`).
TYPE_NAMES = by_language({"process": ("Proces", "Process"), "outcome": ("Outcome", "Outcome"), "economy": ("Økonomi", "Economy"),
                           "structure": ("Struktur", "Structure")})
TYPE_WORDS = {lang: {key: name.lower() for key, name in names.items()} for lang, names in TYPE_NAMES.items()}
#: A type's heading in documents.
TYPE_TITLES = by_language({"process": ("Procesindikatorer", "Process indicators"), "outcome": ("Outcomeindikatorer", "Outcome indicators"),
                            "economy": ("Økonomiindikatorer", "Economy indicators"), "structure": ("Strukturindikatorer", "Structure indicators")})
TYPE_INTROS = by_language({
    "process": ("Forløber indsatsen som planlagt? Visitation, udredning, handleplaner, forløbenes kvalitet, samarbejde og metodeloyalitet.",
                "Is the work going as planned? Referral, assessment, action plans, quality of the courses, cooperation and method fidelity."),
    "outcome": ("Opnår borgerne resultaterne? Bolig, job og uddannelse, hverdagsfærdigheder, trivsel, helbred og rusmidler.",
                "Do citizens get the results? Housing, jobs and education, everyday skills, wellbeing, health and substance use."),
    "economy": ("Hvad koster indsatsen, og realiseres den forventede gevinst? Udgifter, medarbejdertid og ophold efter SEL § 110.",
                "What does the work cost, and is the expected gain realised? Spending, staff time and stays under section 110."),
    "structure": ("Er de strukturelle forudsætninger til stede? Billige og almene boliger og brugen af anvisningsretten.",
                  "Are the structural preconditions there? Affordable and public housing and the use of the allocation right."),
})
#: "No structure key figure": Danish writes the compound (strukturnøgletal), English the phrase.
TYPE_KEY_FIGURES = by_language({"process": ("procesnøgletal", "process key figure"), "outcome": ("outcome-nøgletal", "outcome key figure"),
                                 "economy": ("økonominøgletal", "economy key figure"), "structure": ("strukturnøgletal", "structure key figure")})


# =============================================================================================
# 2. Vocabulary keyed by the specs' own values

UNITS = by_language({"citizens": ("borgere", "citizens"), "share": ("andel (%)", "share (%)"), "days": ("dage", "days"), "kr": ("kr.", "DKK"),
                      "cases": ("sager", "cases"), "dwellings": ("boliger", "dwellings"), "nights": ("døgn", "nights"), "hours": ("timer", "hours"),
                      "count": ("antal", "count"), "citizens per worker": ("borgere pr. medarbejder", "citizens per worker"),
                      "hours per citizen-month": ("timer pr. borgermåned", "hours per citizen-month"),
                      "hours per citizen-phase": ("timer pr. borgerfase", "hours per citizen-phase"),
                      "kr per citizen": ("kr. pr. borger", "DKK per citizen"), "nights per citizen": ("døgn pr. borger", "nights per citizen")})
PERIODS = by_language({"month": ("måned", "month"), "quarter": ("kvartal", "quarter"), "half": ("halvår", "half-year"), "year": ("år", "year")})
AREAS = by_language({"assessment": ("Udredning", "Assessment"), "referral": ("Visitation", "Referral"), "action_plan": ("Handleplan", "Action plan"),
                      "interventions": ("Indsatser", "Interventions"), "course_quality": ("Forløbets kvalitet", "Quality of the course"),
                      "management": ("Ledelsesunderstøttelse", "Management support"), "competences": ("Medarbejderkompetencer", "Staff competences"),
                      "supplementary": ("Supplerende indsatser", "Supplementary interventions"), "cooperation": ("Tværfagligt samarbejde", "Cross-disciplinary cooperation"),
                      "fidelity": ("Metodeloyalitet", "Method fidelity"), "homelessness": ("Hjemløshed", "Homelessness"), "employment": ("Job og uddannelse", "Job and education"),
                      "everyday_skills": ("Hverdagsfærdigheder", "Everyday skills"), "wellbeing": ("Trivsel", "Wellbeing"), "network": ("Netværk", "Network"),
                      "physical_health": ("Fysisk helbred", "Physical health"), "mental_health": ("Psykisk helbred", "Mental health"),
                      "substance_use": ("Rusmidler", "Substance use"), "crime": ("Kriminalitet", "Crime"), "total_costs": ("Samlede udgifter", "Total costs"),
                      "social_services": ("Serviceydelser", "Social services"), "employment_measures": ("Beskæftigelsesindsatser", "Employment measures"),
                      "health_services": ("Kommunale sundhedsydelser", "Municipal health services"), "staff_time": ("Medarbejdertid", "Staff time"),
                      "shelter_costs": ("Udgifter til § 110-ophold", "Section 110 stay expenses"), "affordable_housing": ("Billige boliger", "Affordable housing"),
                      "public_housing": ("Almene boliger", "Public housing"), "allocation": ("Kommunal anvisning", "Municipal allocation")})
#: What an indicator's `instrument:` measures (the catalogue document).
INSTRUMENT_NOTES = by_language({
    "WHO-5": ("Trivsel, råscore 0–25; ×4 giver 0–100; 50 eller derunder er lav trivsel.", "Wellbeing, raw score 0–25; ×4 gives 0–100; 50 or below is poor wellbeing."),
    "UCLA-3": ("Ensomhed, 3 spørgsmål, 3–9; 6 eller derover regnes som ensom (Sundhedsprofilen bruger 7 for svær ensomhed).",
               "Loneliness, 3 items, 3–9; 6 or more counts as lonely (the Danish health profile uses 7 for severe loneliness)."),
    "ORS": ("Outcome Rating Scale 0–40; under 25 er klinisk niveau.", "Outcome Rating Scale 0–40; below 25 is the clinical range."),
    "SRS": ("Session Rating Scale 0–40; 36 eller derunder kan tyde på problemer i alliancen.", "Session Rating Scale 0–40; 36 or below may signal an alliance problem."),
    "Likert": ("Likert-skala 1–5 (fra slet ikke til i høj grad).", "Likert scale 1–5 (from not at all to a great extent)."),
})
#: The professional goal's instrument in the double bottom line (engine.derived.INSTRUMENTS).
INSTRUMENT_TITLES = by_language({"who5": ("WHO-5 (trivsel, råscore 0–25)", "WHO-5 (wellbeing, raw score 0–25)"),
                                  "ors": ("ORS (hørt og forstået, 0–40)", "ORS (outcome rating, 0–40)")})
#: The CREAM criteria as short labels (the CREAM model spec has its own titles and definitions).
CREAM_CRITERIA = by_language({"clear": ("Nøjagtighed", "Clear"), "relevant": ("Relevans", "Relevant"), "economic": ("Omkostningseffektivitet", "Economic"),
                               "adequate": ("Tilstrækkelighed", "Adequate"), "monitorable": ("Objektivitet", "Monitorable")})
#: A target's operator in words; `{v}` (and `{h}`) are the formatted bounds.
TARGET_OPS = by_language({"<=": ("højst {v}", "at most {v}"), "<": ("under {v}", "below {v}"), ">=": ("mindst {v}", "at least {v}"),
                           ">": ("over {v}", "above {v}"), "==": ("præcis {v}", "exactly {v}"), "between": ("mellem {v} og {h}", "between {v} and {h}")})
#: A key figure's status against its target.
STATUS_WORDS = by_language({"met": ("opfyldt", "met"), "not_met": ("ikke opfyldt", "not met")})
#: What stands in place of a suppressed value (disclosure control).
SUPPRESSED = {"da": "(diskr.)", "en": "(suppr.)"}
#: What stands in place of a value hidden by secondary suppression: not small itself, hidden so
#: that a suppressed value cannot be worked out from totals and other values beside it.
SECONDARY = {"da": "(skjult)", "en": "(hidden)"}
#: The notice at the top of every output made with disclosure control off ({k}: the k).
NOT_FOR_PUBLICATION = {"da": "IKKE TIL OFFENTLIGGØRELSE: diskretionering er slået fra (--suppress-below {k}); små grupper vises, og enkeltpersoner kan genkendes.",
                       "en": "NOT FOR PUBLICATION: disclosure control is off (--suppress-below {k}); small groups are shown and individuals can be recognised."}
#: The footnote that explains the secondary mark ({s}: `SECONDARY`).
SECONDARY_NOTE = {"da": "Tal vist som {s} er ikke selv små, men skjult, så et diskretioneret tal ikke kan regnes ud af totaler, n og andre tal ved siden af (sekundær diskretionering).",
                  "en": "Values shown as {s} are not small themselves but hidden so that a suppressed value cannot be worked out from totals, n and other values beside it (secondary suppression)."}


def suppressed_mark(secondary: bool, lang: str) -> str:
    """The mark of a hidden value: `SECONDARY` for secondary suppression, else `SUPPRESSED`.

    >>> suppressed_mark(False, "da"), suppressed_mark(True, "da")
    ('(diskr.)', '(skjult)')
    """
    return (SECONDARY if secondary else SUPPRESSED)[lang]
#: A true/false value (format_number) and the catalogue's `t.yes`, `t.no`.
YES_NO = by_language({True: ("ja", "yes"), False: ("nej", "no")})
#: Words that several documents share (the catalogue, the report, SØM).
DOCUMENT = by_language({"contents": ("Indhold", "Contents"), "made_with": ("Lavet med", "Made with"), "total": ("i alt", "total"),
                         "year": ("år", "year"), "kr": (UNITS["da"]["kr"], UNITS["en"]["kr"]), "illustrative": ("ILLUSTRATIV", "ILLUSTRATIVE")})
#: Kroner, and millions of kroner (a chart's kroner axis switches to millions when large).
KRONER = {"da": ("kr.", "mio. kr."), "en": ("DKK", "DKK million")}


# =============================================================================================
# 3. Numbers

def format_number(value: Any, unit: str | None = None, lang: str = "da", decimals: int | None = None, *,
                  whole: bool = False, trim: bool = False, signed: bool = False) -> str:
    """A value as people read it: thousands grouped, Danish decimal comma, shares as percent.

    The one place that groups digits and writes decimal commas; every output calls it.

    - No value, NaN or infinity: `–`. True/false: `ja`/`nej` (`yes`/`no`). A date: ISO. Text: as is.
    - `unit="share"`: the value × 100 followed by ` %`, with one decimal unless `decimals` says
      otherwise. Other units do not change how the number is written.
    - `decimals`: the number of decimals. Without it an `int` has none, and other numbers have 0
      from 1,000 up, 1 from 10 up and 2 below 10.
    - `whole`: a value without a fractional part has no decimals (`4`, not `4,0`).
    - `trim`: trailing zeros of the decimals are dropped (`3,50` → `3,5`).
    - `signed`: `+`, `−` or `±` before the number.

    A number that rounds to zero is never written `-0`.

    >>> format_number(0.805, "share"), format_number(12345.678, "kr"), format_number(3, "citizens", "en")
    ('80,5 %', '12.346', '3')
    >>> format_number(4.0, None, "da", 1, whole=True), format_number(3.5, None, "da", 1, whole=True), format_number(-0.4, None, "da", 0)
    ('4', '3,5', '0')
    >>> format_number(3.5, None, "en", 2, trim=True), format_number(-2.5, None, "da", 1, whole=True, signed=True), format_number(None)
    ('3.5', '−2,5', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return YES_NO["da" if lang == "da" else "en"][value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, numbers.Integral):  # numpy's numbers too
        value = int(value)
    elif isinstance(value, numbers.Real):
        value = float(value)
    else:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if unit == "share":
        shown, suffix = value * 100, " %"
        places = 1 if decimals is None else decimals
    else:
        shown, suffix = value, ""
        if isinstance(value, int):
            places = 0
        elif decimals is not None:
            places = decimals
        else:
            places = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    if whole and float(shown).is_integer():
        places = 0
    text = f"{abs(shown) if signed else shown:,.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    if lang == "da":  # 1,234.5 → 1.234,5
        text = text.replace(",", "§").replace(".", ",").replace("§", ".")
    if signed:
        text = ("+" if shown > 0 else "−" if shown < 0 else "±") + text
    return text + suffix


def plural(forms: tuple[str, str] | list[str], n: int, **values: Any) -> str:
    """The form of a counted phrase for `n` (singular for exactly 1, plural otherwise, as Danish
    and English both count), filled in with `n` and `values`. A table keeps such a phrase as a
    (singular, plural) pair (a list in the tables templates get, which are plain data).

    >>> plural(("{n} aktiv borger", "{n} aktive borgere"), 1), plural(("{n} aktiv borger", "{n} aktive borgere"), 2)
    ('1 aktiv borger', '2 aktive borgere')
    """
    return (forms[0] if n == 1 else forms[1]).format(n=n, **values)
#: A number as a person writes it inside a YAML text: a sign, digits and a decimal comma or point
#: (`"0,45"`, `"12,5"`, `"-3"`). No thousands separators: `1.450` would mean 1450 to a Dane and
#: 1.45 to YAML, so it is not guessed.
NUMBER_TEXT = re.compile(r"\s*[-+]?[0-9]+(?:[.,][0-9]+)?\s*")


def read_number(text: str) -> int | float | None:
    """A number written as text, with a decimal comma or point (`format_number` writes them); None
    for any other text.

    >>> read_number("0,45"), read_number(" 12.5 "), read_number("-3"), read_number("1.450,50"), read_number("abc")
    (0.45, 12.5, -3, None, None)
    """
    if not NUMBER_TEXT.fullmatch(text):
        return None
    text = text.strip().replace(",", ".")
    return float(text) if "." in text else int(text)


def decimal_comma(text: Any) -> str | None:
    """For a text that is a number with a decimal comma, the number as YAML writes it (for hints).

    >>> decimal_comma("0,45"), decimal_comma("0.45"), decimal_comma(0.45)
    ('0.45', None, None)
    """
    if isinstance(text, str) and "," in text and read_number(text) is not None:
        return text.strip().replace(",", ".")
    return None


def target_words(target: Any, lang: str) -> dict[str, str] | None:
    """A parsed target (`spec.model.Target`: op, value, high, text) in words, the bounds as
    `format_number` writes them: {'text': 'mindst 80 %', 'raw': '>= 80%'}.

    >>> from types import SimpleNamespace as Target
    >>> target_words(Target(op="between", value=0.9, high=1.1, text="between 90% and 110%"), "en")["text"]
    'between 90\xa0% and 110\xa0%'
    """
    if target is None:
        return None
    percent = "%" in target.text

    def show(value: float) -> str:
        if percent:
            return format_number(value, "share", lang, 0 if abs(value * 100 - round(value * 100)) < 1e-9 else None)
        return format_number(int(value) if float(value).is_integer() else value, None, lang)
    template = TARGET_OPS["en" if lang == "en" else "da"][target.op]
    text = template.format(v=show(target.value), h=show(target.high or 0)).replace(" %", "\u00a0%")  # keep "80 %" on one line
    return {"text": text, "raw": target.text}


# =============================================================================================
