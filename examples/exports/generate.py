#!/usr/bin/env python3
"""Standard data → synthetic exports as a municipality's own systems write them, and the same
data as standard files, so that mapping the exports can be compared with the standard files.

From the demo data (``examples/demo/data``, or any folder ``examples/demo/generate.py`` wrote) it
makes, for one municipality (default Haderslev, kommunekode 510):

* ``eksport/sagssystem/Borgerforloeb_<kommune>.xlsx`` — a case-system export: a title block, then
  one row per citizen course with Danish headers, words and codes (``Egen lejebolig``,
  ``Kontanthjælp``, ``CTI – Critical Time Intervention``, ``X`` for a ticked box) and the
  measurements side by side: ``WHO-5 (før)``, ``WHO-5 (opfølgning 1)`` … ``WHO-5 (efter)``;
  identified by CPR number (made up). A second sheet, ``Lejemål``, has one row per tenancy the
  citizen got during the course: move-in and move-out dates and the reason for moving out in the
  case system's words (``Udsat af udlejer``). ``--case-format csv`` writes the two sheets as ``;``
  CSV files instead (``Borgerforloeb_<kommune>.csv``, ``Lejemaal_<kommune>.csv``).
* ``eksport/tid/Tidsregistrering_<yyyy-mm>.csv`` — a time registration: one row per worker ×
  citizen × week (the Monday), planned and delivered hours with decimal commas, the monthly goal
  on one of the week's rows; Windows-1252, ``;``, CRLF; each month's file repeats the last week
  of the month before (as a "last five weeks" export does).
* ``eksport/sel110/Indberetning_110_<yyyy>K<q>.txt`` — the quarterly § 110 register file,
  modelled on the report to Statistics Denmark: one row per stay checked in or out in the
  quarter (a stay that spans quarters is in several files), boform, CPR number, handlekommune,
  type of stay, dates as ``ddmmyyyy``, last residence before, how the stay ended and where the
  person went, as codes. It also holds stays the mapping must leave out: other municipalities'
  citizens, night-café stays and residents outside Housing First.
* ``standard/{borgere,status,herberg,tid,bolig}.csv`` — the same citizens' data in the standard
  contract (``herberg`` with ``udskrevet_til`` from the register's code).

Every CPR number is invented (a plausible birth date for the citizen's age and random digits) and
belongs to no one known; the same citizen has the same number in every export. Only the standard
library is used, and the output is byte-identical for the same arguments and Python version (the
workbook's zip entries carry a fixed time).

    python examples/exports/generate.py                                    # the shipped sample
    python examples/exports/generate.py --data /tmp/bench/csv --kommune '' --case-format csv --out /tmp/exports
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "demo" / "data"
SEED = 2021
REFERENCE_DATE = dt.date(2021, 12, 31)

KOMMUNEKODER = {"Haderslev": 510, "Helsingør": 217, "København": 101, "Køge": 259, "Vejle": 630}
OTHER_KOMMUNER = (530, 540, 550, 561, 563, 573, 575, 580)

#: The measurement groups of the case system's wide layout and the standard `maalepunkt`.
FOLLOW_UPS = 5
GROUPS = ["før"] + [f"opfølgning {i}" for i in range(1, FOLLOW_UPS + 1)] + ["efter"]
#: Standard column → the case system's header, with `{}` for the measurement word.
STATUS_HEADERS = {
    "dato": "Dato ({})", "boligsituation": "Boligsituation ({})", "beskaeftigelse_uddannelse": "Job/uddannelse ({})",
    "forsoergelse": "Forsørgelse ({})", "ucla": "UCLA-3 ({})", "who5": "WHO-5 ({})", "bokompetence": "Bokompetence ({})",
    "oekonomi": "Økonomi ({})", "stabil_livsstil": "Stabil livsstil ({})", "mentale_vanskeligheder": "Mentale vanskeligheder ({})",
    "rusmiddelforbrug": "Rusmiddelforbrug ({})", "rusmiddelbehandling": "Rusmiddelbehandling ({})",
    "bostoette_sel85": "Bostøtte § 85 ({})", "ors": "ORS ({})", "srs": "SRS ({})",
}
CITIZEN_HEADERS = ["CPR-nummer", "Alder ved visitation", "Indsats", "Kontaktperson", "Visiteret", "Forløb start", "Forløb slut", "Samarbejdsmodel"]
INDSATS = {"CTI": "CTI – Critical Time Intervention", "ICM": "ICM – Intensive Case Management", "ACT": "ACT – Assertive Community Treatment"}
BOLIG_WORDS = {
    "egen_bolig": ("Egen lejebolig", "Ejerbolig", "Andelsbolig"), "anbragt": ("Anbragt (institution)",),
    "uden_egen_bolig": ("Hjemløs", "Sofasurfer"), "egen_midlertidig_bolig": ("Midlertidig egen bolig",),
    "bolig_efter_serviceloven": ("Botilbud § 107-110", "Herberg/forsorgshjem"),
}
FORSOERGELSE_WORDS = {"loen": ("Løn",), "ydelse": ("Kontanthjælp", "Førtidspension", "Sygedagpenge", "Uddannelseshjælp"),
                      "su": ("SU",), "andet": ("Andet",)}
JA_NEJ = {"true": "Ja", "false": "Nej", "": ""}
#: The case system's sheet of tenancies, and its words for the standard `fraflytningsaarsag`.
LEJEMAAL_HEADERS = ["CPR-nummer", "Indflytning", "Fraflytning", "Årsag til fraflytning"]
FRAFLYTNING_WORDS = {"anden_bolig": "Flyttet til anden bolig", "udsat": "Udsat af udlejer", "opsagt": "Opsagt af borgeren",
                     "doed": "Død", "institution": "Institution/botilbud", "ukendt": "Ukendt"}

TID_HEADERS = ["Medarbejder", "CPR-nr.", "Uge (mandag)", "Indsats", "Planlagt tid (timer)", "Leveret tid (timer)",
               "Fagligt mål, forventet", "Fagligt mål, målt"]

SEL110_HEADERS = ["Boform", "CPR-nr.", "Handlekommune", "Opholdstype", "Indskrevet", "Senest opholdssted", "Udskrevet",
                  "Udskrivningsmåde", "Udskrevet til"]
#: Daily rate of each boform (§ 110 shelter) → its number in the register.
BOFORM = {1385: "8101", 1420: "8102", 1450: "8103", 1480: "8104", 1525: "8105"}
#: "Udskrevet til" code → the standard `udskrevet_til`, with how often it is drawn.
UDSKREVET_TIL = {"1": ("egen_bolig", 25), "2": ("midlertidig_bolig", 15), "3": ("familie_netvaerk", 15), "4": ("anden_boform", 14),
                 "5": ("hospital_behandling", 8), "6": ("faengsel", 5), "7": ("gaden", 11), "8": ("doed", 1), "9": ("ukendt", 6)}
CODE_OF = {word: code for code, (word, _) in UDSKREVET_TIL.items()}
SENEST = ("1", "2", "3", "4", "5", "6", "7", "9")
UDSKRIVNINGSMAADE = ("1", "2", "3", "4", "9")

STANDARD_COLUMNS = {
    "borgere": ["borger_id", "kommune", "alder", "metode", "medarbejder_id", "visitationsdato", "startdato", "slutdato", "samarbejdsmodel"],
    "status": ["borger_id", "dato", "maalepunkt", "boligsituation", "beskaeftigelse_uddannelse", "forsoergelse", "ucla", "who5",
               "bokompetence", "oekonomi", "stabil_livsstil", "mentale_vanskeligheder", "rusmiddelforbrug", "rusmiddelbehandling",
               "bostoette_sel85", "ors", "srs"],
    "herberg": ["borger_id", "indskrivning", "udskrivning", "doegn", "udgift", "udskrevet_til", "handleplan_dato"],
    "tid": ["borger_id", "metode", "periode", "fase", "forventet_timer", "faktisk_timer", "forventet_maal", "faktisk_maal"],
    "bolig": ["borger_id", "indflytningsdato", "fraflytningsdato", "fraflytningsaarsag"],
}


def rows(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def ddmmyyyy(d: dt.date | None) -> str:
    return d.strftime("%d%m%Y") if d else ""


def decimal_comma(hours: float) -> str:
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class People:
    """Invented CPR numbers, one per person, never twice."""

    def __init__(self, seed: int):
        self.seed = seed
        self.used: set[str] = set()

    def cpr(self, key: str, born: dt.date) -> str:
        rng = random.Random(f"{self.seed}-cpr-{key}")
        while True:
            century = rng.choice((4, 9)) if born.year >= 2000 else rng.randint(0, 3)
            number = f"{born:%d%m%y}-{century}{rng.randint(0, 999):03d}"
            if number not in self.used:
                self.used.add(number)
                return number

    def citizen(self, borger_id: str, referred: dt.date, age: int) -> str:
        rng = random.Random(f"{self.seed}-born-{borger_id}")
        upper = _years_before(referred, age)
        lower = _years_before(referred, age + 1)
        return self.cpr(borger_id, lower + dt.timedelta(days=rng.randint(1, (upper - lower).days)))

    def stranger(self, key: str) -> str:
        rng = random.Random(f"{self.seed}-stranger-{key}")
        return self.cpr(key, dt.date(rng.randint(1950, 2003), 1, 1) + dt.timedelta(days=rng.randint(0, 364)))


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def mondays(month: dt.date) -> list[dt.date]:
    first = month + dt.timedelta(days=(7 - month.weekday()) % 7)
    out = []
    while first.month == month.month:
        out.append(first)
        first += dt.timedelta(days=7)
    return out


def split(hours: float, parts: int) -> list[float]:
    """Hours split into `parts` quarter-hour amounts that add up exactly."""
    quarters = round(hours * 4)
    base, extra = divmod(quarters, parts)
    return [(base + (1 if i < extra else 0)) / 4 for i in range(parts)]


def write_csv(path: Path, header: list[str], records, encoding: str = "utf-8", delimiter: str = ",", crlf: bool = False) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(header)
        for record in records:
            writer.writerow(record)
            n += 1
    return n


def generate(data: Path, out: Path, kommune: str, seed: int, case_format: str) -> dict[str, int]:
    people = People(seed)
    counts: dict[str, int] = {}
    borgere = [r for r in rows(data / "borgere.csv") if not kommune or r["kommune"] == kommune]
    ids = {r["borger_id"] for r in borgere}
    cpr = {r["borger_id"]: people.citizen(r["borger_id"], day(r["visitationsdato"]), int(r["alder"])) for r in borgere}
    code = KOMMUNEKODER.get(kommune, 510)

    # -- the standard files ---------------------------------------------------------------------
    standard = out / "standard"
    status = [r for r in rows(data / "status.csv") if r["borger_id"] in ids]
    herberg = [r for r in rows(data / "herberg.csv") if r["borger_id"] in ids]
    for r in herberg:
        if r["udskrivning"] and r.get("udskrevet_til"):  # the demo data's destination, as the register's code
            r["udskrevet_til_kode"] = CODE_OF[r["udskrevet_til"]]
        elif r["udskrivning"]:
            rng = random.Random(f"{seed}-til-{r['borger_id']}-{r['indskrivning']}")
            r["udskrevet_til_kode"] = rng.choices(list(UDSKREVET_TIL), [w for _, w in UDSKREVET_TIL.values()])[0]
            r["udskrevet_til"] = UDSKREVET_TIL[r["udskrevet_til_kode"]][0]
        else:
            r["udskrevet_til_kode"] = r["udskrevet_til"] = ""
        r["handleplan_dato"] = ""
    counts["standard/borgere"] = write_csv(standard / "borgere.csv", STANDARD_COLUMNS["borgere"], ([r[c] for c in STANDARD_COLUMNS["borgere"]] for r in borgere))
    counts["standard/status"] = write_csv(standard / "status.csv", STANDARD_COLUMNS["status"], ([r[c] for c in STANDARD_COLUMNS["status"]] for r in status))
    counts["standard/herberg"] = write_csv(standard / "herberg.csv", STANDARD_COLUMNS["herberg"], ([r[c] for c in STANDARD_COLUMNS["herberg"]] for r in herberg))
    tid_count = write_csv(standard / "tid.csv", STANDARD_COLUMNS["tid"],
                          ([r[c] for c in STANDARD_COLUMNS["tid"]] for r in rows(data / "tid.csv") if r["borger_id"] in ids))
    counts["standard/tid"] = tid_count
    bolig = [r for r in rows(data / "bolig.csv") if r["borger_id"] in ids] if (data / "bolig.csv").is_file() else []
    counts["standard/bolig"] = write_csv(standard / "bolig.csv", STANDARD_COLUMNS["bolig"], ([r[c] for c in STANDARD_COLUMNS["bolig"]] for r in bolig))
    tenancies = [[cpr[r["borger_id"]], day(r["indflytningsdato"]), day(r["fraflytningsdato"]),
                  FRAFLYTNING_WORDS[r["fraflytningsaarsag"]] if r["fraflytningsaarsag"] else None] for r in bolig]

    # -- the case system: one row per citizen course, measurements side by side -----------------
    by_citizen: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in status:
        by_citizen[r["borger_id"]][r["maalepunkt"]].append(r)
    header = list(CITIZEN_HEADERS) + [h.format(g) for g in GROUPS for h in STATUS_HEADERS.values()]
    sheet: list[list] = []
    dropped = 0
    for b in borgere:
        rng = random.Random(f"{seed}-case-{b['borger_id']}")
        record: list = [cpr[b["borger_id"]], int(b["alder"]), INDSATS[b["metode"]], b["medarbejder_id"], day(b["visitationsdato"]),
                        day(b["startdato"]), day(b["slutdato"]), "X" if b["samarbejdsmodel"] == "true" else ""]
        measurements = by_citizen[b["borger_id"]]
        under = sorted(measurements["under"], key=lambda r: r["dato"])
        dropped += max(0, len(under) - FOLLOW_UPS)
        groups = [measurements["foer"][:1]] + [[u] for u in under[:FOLLOW_UPS]] + [[]] * (FOLLOW_UPS - min(len(under), FOLLOW_UPS)) + [measurements["efter"][:1]]
        for group in groups:
            m = group[0] if group else None
            for column in STATUS_HEADERS:
                value = m[column] if m else ""
                if m is None or value == "":
                    record.append(None)
                elif column == "dato":
                    record.append(day(value))
                elif column == "boligsituation":
                    record.append(rng.choice(BOLIG_WORDS[value]))
                elif column == "forsoergelse":
                    record.append(rng.choice(FORSOERGELSE_WORDS[value]))
                elif column in ("beskaeftigelse_uddannelse", "rusmiddelbehandling", "bostoette_sel85"):
                    record.append(JA_NEJ[value])
                elif column in ("ors", "srs"):  # 0-40 with one decimal
                    record.append(float(value))
                else:
                    record.append(int(value))
        sheet.append(record)
    title = [f"Udtræk: borgere i specialiseret bostøtte (Housing First) – {kommune or 'alle kommuner'}"]
    made = [f"Dannet {REFERENCE_DATE + dt.timedelta(days=3):%d-%m-%Y} 08:15 af bruger ANALYTIKER · {len(sheet)} forløb"]
    name = f"Borgerforloeb_{(kommune or 'alle').replace('ø', 'oe').replace('å', 'aa').replace('æ', 'ae')}"
    if case_format == "xlsx":
        path = out / "eksport" / "sagssystem" / f"{name}.xlsx"
        write_workbook(path, "Forløb", [title, made, []], header, sheet, more=[("Lejemål", LEJEMAAL_HEADERS, tenancies)])
    else:
        path = out / "eksport" / "sagssystem" / f"{name}.csv"
        text_rows = [[_cell(v) for v in r] for r in sheet]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(f"{title[0]}\n{made[0]}\n\n")
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(header)
            writer.writerows(text_rows)
        with (out / "eksport" / "sagssystem" / name.replace("Borgerforloeb", "Lejemaal")).with_suffix(".csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(LEJEMAAL_HEADERS)
            writer.writerows([_cell(v) for v in r] for r in tenancies)
    counts["eksport/sagssystem"] = len(sheet)
    counts["eksport/sagssystem lejemål"] = len(tenancies)
    if dropped:
        print(f"note: {dropped} follow-up measurements beyond the export's {FOLLOW_UPS} columns were left out", file=sys.stderr)

    # -- the time registration: worker × citizen × week, one file per month ---------------------
    worker = {b["borger_id"]: b["medarbejder_id"] for b in borgere}
    method = {b["borger_id"]: b["metode"] for b in borgere}
    folder = out / "eksport" / "tid"
    folder.mkdir(parents=True, exist_ok=True)
    handles: dict[dt.date, tuple] = {}
    last_week: dict[dt.date, list[list[str]]] = defaultdict(list)

    def writer_for(month: dt.date):
        if month not in handles:
            handle = (folder / f"Tidsregistrering_{month:%Y-%m}.csv").open("w", encoding="cp1252", newline="")
            w = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            w.writerow(TID_HEADERS)
            handles[month] = (handle, w)
        return handles[month][1]

    n_tid = 0
    for r in rows(data / "tid.csv"):
        if r["borger_id"] not in ids:
            continue
        month = day(r["periode"])
        weeks = mondays(month)
        indsats = f"CTI fase {r['fase']}" if r["metode"] == "CTI" else r["metode"]
        workers = [worker[r["borger_id"]]] + (["ACT-TEAM"] if r["metode"] == "ACT" else [])
        planned = split(float(r["forventet_timer"]), len(weeks) * len(workers))
        delivered = split(float(r["faktisk_timer"]), len(weeks) * len(workers)) if r["faktisk_timer"] else None
        i = 0
        for w_index, who in enumerate(workers):
            for k, monday in enumerate(weeks):
                first = w_index == 0 and k == 0
                record = [who, cpr[r["borger_id"]], monday.strftime("%d-%m-%Y"), indsats, decimal_comma(planned[i]),
                          decimal_comma(delivered[i]) if delivered else "",
                          _comma(r["forventet_maal"]) if first else "", _comma(r["faktisk_maal"]) if first else ""]
                writer_for(month).writerow(record)
                n_tid += 1
                if k == len(weeks) - 1:
                    last_week[month].append(record)
                i += 1
    for month in sorted(handles):  # each file repeats the last week of the month before
        before = (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for record in last_week.get(before, []):
            handles[month][1].writerow(record)
            n_tid += 1
    for handle, _ in handles.values():
        handle.close()
    counts["eksport/tid"] = n_tid

    # -- the § 110 register: one file per quarter ------------------------------------------------
    stays = []  # (boform, cpr, handlekommune, opholdstype, in, out, senest, maade, til)
    for r in herberg:
        rng = random.Random(f"{seed}-stay-{r['borger_id']}-{r['indskrivning']}")
        doegn = int(r["doegn"])
        rate = round(float(r["udgift"]) / doegn) if doegn else rng.choice(sorted(BOFORM))
        ud = day(r["udskrivning"])
        stays.append((BOFORM[rate], cpr[r["borger_id"]], code, "1", day(r["indskrivning"]), ud, rng.choice(SENEST),
                      rng.choice(UDSKRIVNINGSMAADE) if ud else "", r["udskrevet_til_kode"]))
    first_day = min((s[4] for s in stays), default=dt.date(2019, 1, 1))
    span_days = (REFERENCE_DATE - first_day).days
    rng = random.Random(f"{seed}-sel110-noise")
    ids_sorted = sorted(ids)
    for n in range(max(6, len(herberg) // 5)):  # night café and aftercare stays of the citizens: not herberg stays
        start = first_day + dt.timedelta(days=rng.randint(0, span_days - 2))
        stays.append((rng.choice(list(BOFORM.values())), cpr[rng.choice(ids_sorted)], code, rng.choice(("2", "3")), start,
                       start + dt.timedelta(days=rng.randint(0, 2)), rng.choice(SENEST), "2", "9"))
    for n in range(max(10, len(herberg) // 3)):  # residents outside Housing First, and other municipalities' citizens
        start = first_day + dt.timedelta(days=rng.randint(0, span_days - 1))
        end = start + dt.timedelta(days=rng.randint(0, 200))
        end = end if end <= REFERENCE_DATE and rng.random() < 0.85 else None
        own = rng.random() < 0.6
        stays.append((rng.choice(list(BOFORM.values())), people.stranger(f"{kommune}-{n}"), code if own else rng.choice(OTHER_KOMMUNER), "1",
                      start, end, rng.choice(SENEST), rng.choice(UDSKRIVNINGSMAADE) if end else "",
                      rng.choices(list(UDSKREVET_TIL), [w for _, w in UDSKREVET_TIL.values()])[0] if end else ""))
    files: dict[tuple[int, int], list[list[str]]] = defaultdict(list)
    for boform, number, kommunekode, kind, start, end, senest, maade, til in sorted(stays, key=lambda s: (s[4], s[1])):
        q_in = quarter(start)
        same = end is not None and quarter(end) == q_in
        files[q_in].append([boform, number, str(kommunekode), kind, ddmmyyyy(start), senest, ddmmyyyy(end) if same else "",
                            maade if same else "", til if same else ""])
        if end is not None and not same:
            files[quarter(end)].append([boform, number, str(kommunekode), kind, ddmmyyyy(start), senest, ddmmyyyy(end), maade, til])
    year, q = quarter(first_day)
    n_sel = 0
    while (year, q) <= quarter(REFERENCE_DATE):
        n_sel += write_csv(out / "eksport" / "sel110" / f"Indberetning_110_{year}K{q}.txt", SEL110_HEADERS, files.get((year, q), []),
                           encoding="cp1252", delimiter=";", crlf=True)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    counts["eksport/sel110"] = n_sel
    return counts


def _comma(text: str) -> str:
    return decimal_comma(float(text)) if text else ""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return decimal_comma(value)
    return str(value)


def write_workbook(path: Path, sheet_name: str, title: list[list], header: list[str], records: list[list],
                   more: list[tuple[str, list[str], list[list]]] = ()) -> None:
    """An XLSX workbook with a title block above the header, dates as Excel dates, and zip entries
    with a fixed time (so that the same data gives the same bytes); `more` sheets (name, header,
    records) follow without a title block."""
    import openpyxl

    book = openpyxl.Workbook()
    sheets = [(book.active, sheet_name, title, header, records)] + [(book.create_sheet(), n, [], h, r) for n, h, r in more]
    for ws, name, lines, head, body in sheets:
        ws.title = name
        for line in lines:
            ws.append(line)
        ws.append(head)
        for record in body:
            ws.append(record)
        for row in ws.iter_rows(min_row=len(lines) + 2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
    fixed = dt.datetime(2022, 1, 3, 8, 15)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = book.properties.lastModifiedBy = "hfspec examples"
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                import re

                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>",
                              b'<dcterms:modified xsi:type="dcterms:W3CDTF">2022-01-03T08:15:00Z</dcterms:modified>', data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2022, 1, 3, 8, 15, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEMO, help="folder with the standard data (default: the demo data)")
    parser.add_argument("--out", type=Path, default=HERE, help="where eksport/ and standard/ are written (default: this folder)")
    parser.add_argument("--kommune", default="Haderslev", help="the municipality whose exports are made ('' for every citizen)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--case-format", choices=("xlsx", "csv"), default="xlsx", help="the case-system export as a workbook or a CSV file")
    args = parser.parse_args(argv)
    counts = generate(args.data, args.out, args.kommune, args.seed, args.case_format)
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
