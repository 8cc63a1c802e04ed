"""Mappings (`kind: Mapping`): the spec checks at the YAML position, every feature on real export
files read by DuckDB, and every problem located in the export (file, row, column) with CPR
numbers masked. The shipped sample exports are in tests/test_exports_example.py."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from textwrap import dedent, indent

import duckdb
import pytest

from hfspec.data.mapping import run_mappings
from hfspec.data.pseudonym import write_key
from hfspec.diagnostics import HfspecError
from hfspec.source import display_path
from hfspec.spec.project import load_project

CPR_DIGITS = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])")


@pytest.fixture(autouse=True)
def no_key_from_the_machine(monkeypatch, tmp_path):
    """A test sees only the keys it makes: no key variables, and a configuration folder of its own."""
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def key(tmp_path) -> Path:
    path = tmp_path / "keys" / "pseudonym.key"
    write_key(path)
    return path


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content) if name.endswith(".yaml") else content, encoding="utf-8")
    return folder


def mapped(folder: Path, key: Path | None, datasets=None, **options):
    project = load_project([folder / "mapping.yaml"] if (folder / "mapping.yaml").exists() else [folder])
    con = duckdb.connect()
    out = run_mappings(con, project, datasets or [m.spec.dataset for m in project.mappings.values()], key_file=key, **options)
    return con, out


def problems(folder: Path, key: Path | None, **options):
    with pytest.raises(HfspecError) as caught:
        mapped(folder, key, **options)
    return caught.value.diagnostics


BORGERE = """\
    kind: Mapping
    id: borgere-test
    dataset: borgere
    sources:
      - files: eksport/borgere.csv
        columns:
          borger_id: {from: CPR, cpr: true}
          metode: {from: Indsats, values: {"CTI – Critical Time Intervention": CTI, "ICM": ICM}}
          visitationsdato: {from: Visiteret, format: dd.mm.yyyy}
          startdato: {from: Start, format: dd.mm.yyyy}
          slutdato: {from: Slut, format: dd.mm.yyyy}
          samarbejdsmodel: {from: Samarbejde, values: {"X": true, "": false}}
    constants:
      kommune: Vejle
"""
BORGERE_CSV = ("Udtræk fra sagssystemet\nDannet 03.01.2022\n\n"
               "CPR;Alder;Indsats;Medarbejder;Visiteret;Start;Slut;Samarbejde\n"
               "010190-1234;31;CTI – Critical Time Intervention;M1;01.02.2021;15.02.2021;;X\n"
               "0202851234;36;ICM;M2;03.03.2021;04.04.2021;30.11.2021;\n")


# ------------------------------------------------------------------------------ spec checks

SPEC_CASES = {
    "unknown column without a type": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources:
          - files: x.csv
            columns:
              indskrvning: Indskrevet
        """, "HF320", 7, "did you mean `indskrivning`?"),
    "value map value the enum does not have": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources:
          - files: x.csv
            columns:
              udskrevet_til: {from: Til, values: {"1": egen_bolg}}
        """, "HF321", 7, "did you mean `egen_bolig`?"),
    "constant that is not a number": ("""\
        kind: Mapping
        id: m
        dataset: borgere
        sources: [{files: x.csv}]
        constants: {alder: ung}
        """, "HF321", 5, None),
    "derived column of the wrong type": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources: [{files: x.csv}]
        derive:
          doegn: indskrivning
        """, "HF322", 6, None),
    "cpr on a column that is no pseudonym": ("""\
        kind: Mapping
        id: m
        dataset: borgere
        sources:
          - files: x.csv
            columns:
              kommune: {from: Kommune, cpr: true}
        """, "HF323", 7, None),
    "format on a number column": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources:
          - files: x.csv
            columns:
              udgift: {from: Beløb, format: dd.mm.yyyy}
        """, "HF323", 7, "`decimal:`"),
    "a date format hfspec cannot read": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources:
          - files: x.csv
            columns:
              indskrivning: {from: Ind, format: mm/yy}
        """, "HF326", 7, None),
    "a header place without unpivot": ("""\
        kind: Mapping
        id: m
        dataset: status
        sources:
          - files: x.csv
            columns:
              who5: "WHO-5 ({maalepunkt})"
        """, "HF323", 7, None),
    "a column given twice": ("""\
        kind: Mapping
        id: m
        dataset: borgere
        sources:
          - files: x.csv
            columns: {kommune: Kommune}
        constants: {kommune: Vejle}
        """, "HF325", 7, None),
    "a column lost by the aggregation": ("""\
        kind: Mapping
        id: m
        dataset: tid
        sources:
          - files: x.csv
            columns: {forventet_maal: Mål}
        aggregate:
          by: [borger_id, periode]
          columns: {forventet_timer: "sum(forventet_timer)"}
        """, "HF327", 7, "`forventet_maal`"),
    "a word twice in a value map": ("""\
        kind: Mapping
        id: m
        dataset: status
        sources:
          - files: x.csv
            columns:
              boligsituation: {from: Bolig, values: {"Egen bolig": egen_bolig, "egen  BOLIG": egen_bolig}}
        """, "HF328", 7, None),
    "an expression naming an unknown column": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources: [{files: x.csv}]
        filter: opholdstyp == 1
        """, "HF401", 5, None),
    "an unknown key": ("""\
        kind: Mapping
        id: m
        dataset: herberg
        sources: [{files: x.csv, header_rows: 3}]
        """, "HF201", 4, "did you mean `header_row`?"),
    "an unknown dataset": ("""\
        kind: Mapping
        id: m
        dataset: herbreg
        sources: [{files: x.csv}]
        """, "HF302", 3, "did you mean `herberg`?"),
}


@pytest.mark.parametrize("name", SPEC_CASES)
def test_a_mapping_mistake_is_reported_at_its_yaml_line(tmp_path, name):
    text, code, line, hint = SPEC_CASES[name]
    make(tmp_path, {"mapping.yaml": text})
    with pytest.raises(HfspecError) as caught:
        load_project([tmp_path / "mapping.yaml"])
    first = caught.value.diagnostics[0]
    assert (first.code, first.span.line) == (code, line) and first.span.file.endswith("mapping.yaml")
    if hint:
        assert hint in (first.hint.render("en") if first.hint else "") + first.message.render("en")


def test_two_mappings_for_one_dataset_are_refused(tmp_path):
    make(tmp_path, {"a.yaml": "kind: Mapping\nid: a\ndataset: fogedsager\nsources: [{files: a.csv}]\n",
                    "b.yaml": "kind: Mapping\nid: b\ndataset: fogedsager\nsources: [{files: b.csv}]\n"})
    with pytest.raises(HfspecError) as caught:
        load_project([tmp_path])
    assert [d.code for d in caught.value.diagnostics] == ["HF324"]


# ------------------------------------------------------------------------------ features


def test_title_block_value_maps_formats_constants_and_pseudonyms(tmp_path, key):
    folder = make(tmp_path / "p", {"mapping.yaml": BORGERE, "eksport/borgere.csv": BORGERE_CSV})
    con, out = mapped(folder, key)
    rows = con.execute("SELECT * FROM borgere ORDER BY alder").fetchall()
    assert [r[1:] for r in rows] == [
        ("Vejle", 31, "CTI", "M1", dt.date(2021, 2, 1), dt.date(2021, 2, 15), None, True),
        ("Vejle", 36, "ICM", "M2", dt.date(2021, 3, 3), dt.date(2021, 4, 4), dt.date(2021, 11, 30), False),
    ]
    ids = [r[0] for r in rows]
    assert all(re.fullmatch(r"P[0-9A-F]{15}", i) for i in ids)
    assert out.reports["borgere"].people == 2
    assert [(s.key, s.rows) for s in out.reports["borgere"].steps] == [("read", 2), ("written", 2)]


def test_one_person_one_pseudonym_across_files_and_datasets(tmp_path, key):
    """The same CPR number, written with and without its dash in two exports, is one pseudonym;
    the reference from status to borgere holds."""
    status = """\
        kind: Mapping
        id: status-test
        dataset: status
        sources:
          - files: eksport/status.csv
            columns:
              borger_id: {from: CPR-nr, cpr: true}
              dato: {from: Dato, format: dd-mm-yyyy}
              maalepunkt: {from: Måling, values: {"Før": foer, "Efter": efter}}
              boligsituation: {from: Bolig, values: {"Egen bolig": egen_bolig, "Herberg": bolig_efter_serviceloven}}
              beskaeftigelse_uddannelse: Job
              forsoergelse: {from: Forsørgelse, values: {"Kontanthjælp": ydelse}, other: andet}
              rusmiddelbehandling: Behandling
              bostoette_sel85: Bostøtte
        """
    csv = ("CPR-nr;Dato;Måling;Bolig;Job;Forsørgelse;Behandling;Bostøtte\n"
           "0101901234;05-02-2021;Før;Herberg;nej;Kontanthjælp;nej;nej\n"
           "010190-1234;01-12-2021;Efter;egen BOLIG;ja;Løn;nej;ja\n")
    folder = make(tmp_path / "p", {"borgere.yaml": BORGERE, "status.yaml": status, "eksport/borgere.csv": BORGERE_CSV, "eksport/status.csv": csv})
    con, out = mapped(folder, key)
    people = con.execute("SELECT DISTINCT s.borger_id, b.alder FROM status s JOIN borgere b USING (borger_id)").fetchall()
    assert len(people) == 1 and people[0][1] == 31
    assert con.execute("SELECT forsoergelse FROM status ORDER BY dato").fetchall() == [("ydelse",), ("andet",)]


def test_unpivot_makes_one_row_per_measurement_and_skips_empty_ones(tmp_path, key):
    mapping = """\
        kind: Mapping
        id: status-wide
        dataset: status
        sources:
          - files: eksport/wide.csv
            unpivot:
              column: maalepunkt
              values: {"før": foer, "opfølgning": under, "efter": efter}
            columns:
              borger_id: {from: CPR, cpr: true}
              dato: "Dato {maalepunkt}"
              who5: "WHO-5 {maalepunkt}"
              boligsituation: {from: "Bolig {maalepunkt}", values: {"Egen": egen_bolig, "Hjemløs": uden_egen_bolig}}
        constants: {beskaeftigelse_uddannelse: false, forsoergelse: andet, rusmiddelbehandling: false, bostoette_sel85: false}
        """
    csv = ("CPR;Dato før;WHO-5 før;Bolig før;Dato opfølgning;WHO-5 opfølgning;Bolig opfølgning;Dato efter;WHO-5 efter;Bolig efter\n"
           "0101901234;01-02-2021;8;Hjemløs;01-06-2021;12;Egen;;;\n"
           "0202851234;03-03-2021;10;Hjemløs;;;;30-11-2021;17;Egen\n")
    folder = make(tmp_path / "p", {"mapping.yaml": mapping, "eksport/wide.csv": csv})
    con, out = mapped(folder, key)
    assert con.execute("SELECT maalepunkt, who5, boligsituation FROM status ORDER BY dato").fetchall() == [
        ("foer", 8, "uden_egen_bolig"), ("foer", 10, "uden_egen_bolig"), ("under", 12, "egen_bolig"), ("efter", 17, "egen_bolig")]
    steps = {s.key: s.rows for s in out.reports["status"].steps}
    assert steps["read"] == 2 and steps["unpivot"] == 4 and steps["empty_groups"] == 2 and steps["written"] == 4


TID_MAPPING = """\
    kind: Mapping
    id: tid-weeks
    dataset: tid
    sources:
      - files: eksport/tid_*.csv
        columns:
          borger_id: {from: CPR-nr., cpr: true}
          medarbejder: {from: Medarbejder, type: string}
          uge: {from: Uge, type: date, format: dd-mm-yyyy}
          metode: {from: Indsats, values: {"CTI fase 1": CTI, "ICM": ICM}}
          fase: {from: Indsats, values: {"CTI fase 1": 1, "ICM": null}}
          planlagt: {from: Planlagt, type: number, decimal: ","}
          leveret: {from: Leveret, type: number, decimal: ","}
    derive:
      periode: month_start(uge)
    deduplicate: {key: [medarbejder, borger_id, uge]}
    aggregate:
      by: [borger_id, periode, metode, fase]
      columns:
        forventet_timer: sum(planlagt)
        faktisk_timer: sum(leveret)
"""


def test_weeks_of_overlapping_monthly_files_become_months(tmp_path, key):
    header = "Medarbejder;CPR-nr.;Uge;Indsats;Planlagt;Leveret\r\n"
    march = header + "M1;0101901234;01-03-2021;CTI fase 1;3,25;4,5\r\nM1;0101901234;08-03-2021;CTI fase 1;3;2\r\nM2;0101901234;08-03-2021;CTI fase 1;1;1\r\n"
    april = header + "M1;0101901234;08-03-2021;CTI fase 1;3;2,5\r\nM1;0101901234;05-04-2021;ICM;2;\r\n"  # repeats a March week, corrected
    folder = make(tmp_path / "p", {"mapping.yaml": TID_MAPPING, "eksport/tid_2021-03.csv": march.encode("cp1252"),
                                   "eksport/tid_2021-04.csv": april.encode("cp1252")})
    con, out = mapped(folder, key)
    assert con.execute("SELECT periode, metode, fase, forventet_timer, faktisk_timer FROM tid ORDER BY periode").fetchall() == [
        (dt.date(2021, 3, 1), "CTI", 1, 7.25, 8.0), (dt.date(2021, 4, 1), "ICM", None, 2.0, None)]
    steps = {s.key: (s.rows, s.detail) for s in out.reports["tid"].steps}
    assert steps["read"] == (5, "2") and steps["deduplicate"][0] == 1 and steps["aggregate"][0] == 2 and steps["written"][0] == 2


def test_several_sources_and_a_workbook_with_a_title_block(tmp_path, key):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.create_sheet("Forløb")
    sheet.append(["Udtræk fra det andet system"])
    sheet.append([])
    sheet.append(["Borger", "Alder", "Metode", "Kontakt", "Visiteret", "Start", "Slut", "Samarbejde"])
    sheet.append(["030375-4321", 46, "ICM", "M3", dt.date(2021, 5, 1), dt.date(2021, 5, 20), None, "X"])
    (tmp_path / "p" / "eksport").mkdir(parents=True)
    book.save(tmp_path / "p" / "eksport" / "andet.xlsx")
    second = """\
          - files: eksport/andet.xlsx
            sheet: Forløb
            columns:
              borger_id: {from: Borger, cpr: true}
              metode: Metode
              medarbejder_id: Kontakt
              startdato: Start
              slutdato: Slut
              samarbejdsmodel: {from: Samarbejde, values: {"X": true, "": false}}
        """
    # `Visiteret` and `Alder` are found by name (`source:` of borgere), `Medarbejder` in the first file too
    mapping = dedent(BORGERE).replace("constants:", indent(dedent(second), "  ") + "constants:")
    folder = make(tmp_path / "p", {"mapping.yaml": mapping, "eksport/borgere.csv": BORGERE_CSV})
    con, out = mapped(folder, key)
    assert sorted(con.execute("SELECT alder, metode, medarbejder_id, samarbejdsmodel FROM borgere").fetchall()) == [
        (31, "CTI", "M1", True), (36, "ICM", "M2", False), (46, "ICM", "M3", True)]
    assert [p.name for p in out.reports["borgere"].files] == ["borgere.csv", "andet.xlsx"]


def test_windows_1252_with_euro_and_dash_is_read_and_lines_count_blank_lines(tmp_path, key):
    """Bytes DuckDB's Latin-1 refuses (€, –) are read, and a problem after an empty line and a
    quoted line break is shown at the file's own line."""
    text = ("CPR;Alder;Indsats;Medarbejder;Visiteret;Start;Slut;Samarbejde\r\n"
            "010190-1234;31;CTI – Critical Time Intervention;\"M1\r\n(vikar €)\";01.02.2021;15.02.2021;;X\r\n"
            "\r\n"
            "0202851234;36;ICM;M2;03.03.2021;31.02.2021;;\r\n")
    folder = make(tmp_path / "p", {"mapping.yaml": BORGERE, "eksport/borgere.csv": text.encode("cp1252")})
    found = problems(folder, key)
    assert [(d.code, d.span.line, d.span.col) for d in found] == [("HF505", 5, 33)]
    assert "31.02.2021" in found[0].message.render("en") and "XXXXXXXXXX" in found[0].span.source.line(5)
    good = text.replace("31.02.2021", "28.02.2021").encode("cp1252")
    (folder / "eksport" / "borgere.csv").write_bytes(good)
    con, _ = mapped(folder, key)
    assert con.execute("SELECT medarbejder_id FROM borgere ORDER BY alder").fetchall() == [("M1\r\n(vikar €)",), ("M2",)]


def test_filter_and_derived_columns_with_params(tmp_path, key):
    mapping = """\
        kind: Mapping
        id: herberg-test
        dataset: herberg
        params: {opgoerelsesdato: 2021-12-31}
        sources:
          - files: eksport/ophold.txt
            columns:
              borger_id: {from: CPR, cpr: true}
              indskrivning: {from: Ind, format: ddmmyyyy}
              udskrivning: {from: Ud, format: ddmmyyyy}
              type: {from: Type, type: integer}
              takst: {from: Boform, type: number, values: {"8101": 1385.5}}
        derive:
          doegn: days_between(indskrivning, coalesce(udskrivning, param.opgoerelsesdato))
          udgift: doegn * takst
        filter: type == 1
        """
    text = "CPR;Ind;Ud;Type;Boform\n0101901234;01122021;11122021;1;8101\n0101901234;20122021;;1;8101\n0202851234;01122021;02122021;2;8101\n"
    folder = make(tmp_path / "p", {"mapping.yaml": mapping, "eksport/ophold.txt": text})
    con, out = mapped(folder, key)
    assert con.execute("SELECT doegn, udgift FROM herberg ORDER BY indskrivning").fetchall() == [(10, 13855.0), (11, 15240.5)]
    assert {s.key: s.rows for s in out.reports["herberg"].steps}["filter"] == 1
    assert out.unchecked == [("herberg", "borger_id", "borgere")]


def test_a_standard_file_needs_only_its_name(tmp_path):
    folder = make(tmp_path / "p", {"mapping.yaml": "kind: Mapping\nid: f\ndataset: fogedsager\nsources: [{files: fogedsager.csv}]\n",
                                   "fogedsager.csv": "Borger-ID;Dato;Afværget\nB1;30-06-2021;ja\n"})
    con, out = mapped(folder, None)
    assert out.key is None
    assert con.execute("SELECT * FROM fogedsager").fetchall() == [("B1", dt.date(2021, 6, 30), True)]


def test_unmatched_references_are_errors_or_left_out(tmp_path, key):
    herberg = """\
        kind: Mapping
        id: herberg-test
        dataset: herberg
        sources:
          - files: eksport/ophold.csv
            columns:
              borger_id: {from: CPR, cpr: true}
              indskrivning: {from: Ind, format: dd.mm.yyyy}
        constants: {doegn: 1, udgift: 1450}
        """
    ophold = "CPR;Ind\n010190-1234;01.12.2021\n050505-5555;01.12.2021\n"
    folder = make(tmp_path / "p", {"borgere.yaml": BORGERE, "herberg.yaml": herberg, "eksport/borgere.csv": BORGERE_CSV, "eksport/ophold.csv": ophold})
    found = problems(folder, key)
    assert [(d.code, d.span.file.endswith("ophold.csv"), d.span.line) for d in found] == [("HF511", True, 3)]
    assert "XXXXXX-XXXX" in found[0].span.source.line(3) and "050505" not in found[0].message.render("en")
    (folder / "herberg.yaml").write_text(dedent(herberg) + "unmatched_references: leave_out\n", encoding="utf-8")
    con, out = mapped(folder, key)
    assert con.execute("SELECT count(*) FROM herberg").fetchone()[0] == 1
    assert [(s.key, s.rows) for s in out.reports["herberg"].steps if s.key == "unmatched"] == [("unmatched", 1)]


def test_left_out_rows_take_the_rows_that_refer_to_them_along(tmp_path, key):
    """With --allow-invalid-rows a bad borgere row is left out, and so are the stays of that
    citizen: no orphans."""
    herberg = """\
        kind: Mapping
        id: herberg-test
        dataset: herberg
        sources:
          - files: eksport/ophold.csv
            columns:
              borger_id: {from: CPR, cpr: true}
              indskrivning: {from: Ind, format: dd.mm.yyyy}
        constants: {doegn: 1, udgift: 1450}
        """
    bad = BORGERE_CSV.replace("0202851234;36;ICM", "0202851234;36;ACT")  # ACT is not in the value map
    folder = make(tmp_path / "p", {"borgere.yaml": BORGERE, "herberg.yaml": herberg, "eksport/borgere.csv": bad,
                                   "eksport/ophold.csv": "CPR;Ind\n010190-1234;01.12.2021\n0202851234;01.12.2021\n"})
    assert [d.code for d in problems(folder, key)] == ["HF532"]
    con, out = mapped(folder, key, allow_invalid_rows=True)
    assert con.execute("SELECT count(*) FROM borgere").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM herberg").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM herberg h WHERE NOT EXISTS (SELECT 1 FROM borgere b WHERE b.borger_id = h.borger_id)").fetchone()[0] == 0
    assert [(s.key, s.rows) for s in out.reports["herberg"].steps if s.key == "orphaned"] == [("orphaned", 1)]
    assert {"HF520", "HF532"} <= {w.code for w in out.warnings}


# ------------------------------------------------------------------------------ problems in the export


def cell_of(path: Path, line: int, header: str, delimiter: str = ";", encoding: str = "utf-8") -> int:
    """The 1-based column where the cell under `header` starts on `line` of a text file."""
    lines = path.read_bytes().decode(encoding).replace("\r\n", "\n").split("\n")
    headers = lines[0].split(delimiter)
    cells = lines[line - 1].split(delimiter)
    return sum(len(c) + 1 for c in cells[:headers.index(header)]) + 1


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the shipped sample exports and their mappings, to change."""
    import shutil

    root = Path(__file__).resolve().parent.parent / "examples" / "exports"
    target = tmp_path / "exports"
    shutil.copytree(root / "eksport", target / "eksport")
    shutil.copytree(root / "mappings", target / "mappings")
    shutil.copy(root / "catalogue.yaml", target / "catalogue.yaml")
    return target


def edit(path: Path, line: int, header: str, value: str, encoding: str = "cp1252") -> str:
    """Set one cell of a `;` text file; returns the value it had."""
    text = path.read_bytes().decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    column = lines[0].split(";").index(header)
    cells = lines[line - 1].split(";")
    old, cells[column] = cells[column], value
    lines[line - 1] = ";".join(cells)
    path.write_bytes(newline.join(lines).encode(encoding))
    return old


def run_map(run_cli, sample: Path, key: Path, *more):
    code, output = run_cli(["map", sample / "catalogue.yaml", "--key", key, "--out", sample / "data", "--summary", "json", "--lang", "en", *more])
    return code, output


def located(output: str) -> list[dict]:
    return json.loads(output)["diagnostics"]


MUTATIONS = {
    # name: (file, line, header, new value, expected code)
    "unknown code": ("eksport/sel110/Indberetning_110_2021K1.txt", 3, "Udskrevet til", "X", "HF532"),
    "wrong date format": ("eksport/sel110/Indberetning_110_2021K1.txt", 4, "Indskrevet", "2021-13-08", "HF505"),
    "not a number": ("eksport/tid/Tidsregistrering_2021-03.csv", 5, "Leveret tid (timer)", "1.5 t", "HF504"),
    "not a CPR number": ("eksport/tid/Tidsregistrering_2021-03.csv", 6, "CPR-nr.", "B0001", "HF533"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_changed_cell_is_reported_at_the_export_cell(sample, key, run_cli, name):
    file, line, header, value, code = MUTATIONS[name]
    path = sample / file
    edit(path, line, header, value)
    status, output = run_map(run_cli, sample, key)
    assert status == 1
    found = located(output)
    assert [(d["code"], d["file"], d["line"]) for d in found] == [(code, display_path(path), line)]
    assert found[0]["column"] == cell_of(path, line, header, encoding="cp1252")
    assert not CPR_DIGITS.search(output), "a CPR number in the diagnostics"
    assert not (sample / "data").exists(), "nothing is written when the exports are refused"


def test_a_missing_column_is_reported_at_the_export_header(sample, key, run_cli):
    path = sample / "eksport" / "tid" / "Tidsregistrering_2020-06.csv"
    text = path.read_bytes().decode("cp1252").replace("Leveret tid (timer)", "Udført tid (timer)", 1)
    path.write_bytes(text.encode("cp1252"))
    status, output = run_map(run_cli, sample, key, "-d", "tid")
    assert status == 1
    [found] = located(output)
    assert (found["code"], found["file"], found["line"]) == ("HF531", display_path(path), 1)
    assert "lacks `Leveret tid (timer)` (did you mean `Udført tid (timer)`?)" in found["message"]


def test_a_duplicate_key_is_reported_at_the_export_row(sample, key, run_cli):
    """The same course twice in the case system: borgere's key is borger_id."""
    import openpyxl

    path = sample / "eksport" / "sagssystem" / "Borgerforloeb_Haderslev.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Forløb"]
    sheet.append([c.value for c in sheet[7]])
    last = sheet.max_row
    book.save(path)
    status, output = run_map(run_cli, sample, key, "-d", "borgere")
    assert status == 1
    found = located(output)
    assert [(d["code"], d["file"], d["line"]) for d in found] == [("HF512", display_path(path), last)]
    assert "row 7" in found[0]["message"] and not CPR_DIGITS.search(output)


def test_a_cpr_number_in_a_column_not_marked_cpr_is_refused_at_the_cell(sample, key, run_cli):
    import openpyxl

    path = sample / "eksport" / "sagssystem" / "Borgerforloeb_Haderslev.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Forløb"]
    headers = [c.value for c in sheet[4]]
    sheet.cell(row=9, column=headers.index("Kontaktperson") + 1).value = "1105831234"
    book.save(path)
    status, output = run_map(run_cli, sample, key, "-d", "borgere")
    assert status == 1
    [found] = located(output)
    assert (found["code"], found["file"], found["line"]) == ("HF510", display_path(path), 9)
    assert "medarbejder_id" in found["message"] and "1105831234" not in output


def test_a_derived_value_out_of_range_is_reported_at_its_source_row(sample, key, run_cli):
    """A discharge before the admission gives negative nights: reported at the register row, with
    the derivation that made the value."""
    path = sample / "eksport" / "sel110" / "Indberetning_110_2021K1.txt"
    edit(path, 3, "Udskrevet", "01012019")
    status, output = run_map(run_cli, sample, key, "-d", "herberg")
    assert status == 1
    found = located(output)
    assert {(d["code"], d["file"], d["line"]) for d in found} == {("HF508", display_path(path), 3)}
    assert any("derive: days_between" in note for d in found for note in d["notes"])


def test_files_and_sheets_that_are_not_there(sample, key, run_cli):
    mapping = sample / "mappings" / "tid.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("Tidsregistrering_*.csv", "Tidsreg_*.csv"), encoding="utf-8")
    status, output = run_map(run_cli, sample, key, "-d", "tid")
    assert status == 1 and [(d["code"], d["file"]) for d in located(output)] == [("HF530", display_path(mapping))]
    mapping = sample / "mappings" / "borgere.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("sheet: Forløb", "sheet: Forloeb"), encoding="utf-8")
    status, output = run_map(run_cli, sample, key, "-d", "borgere")
    [found] = located(output)
    assert found["code"] == "HF534" and "`Forløb`" in found["message"]


def test_text_output_shows_the_excerpt_with_masked_cpr_and_a_caret(sample, key, run_cli):
    path = sample / "eksport" / "sel110" / "Indberetning_110_2021K1.txt"
    edit(path, 3, "Udskrevet til", "X")
    code, output = run_cli(["map", sample / "catalogue.yaml", "--key", key, "--out", sample / "data", "-d", "herberg", "--lang", "en"])
    assert code == 1
    lines = output.splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("error[HF532]"))
    assert lines[at + 1].strip().endswith(f"Indberetning_110_2021K1.txt:3:{cell_of(path, 3, 'Udskrevet til', encoding='cp1252')}")
    assert "XXXXXX-XXXX" in lines[at + 3] and lines[at + 4].rstrip().endswith("^ not in the value map")
    assert "mappings/herberg.yaml" in output and not CPR_DIGITS.search(output)


def test_init_writes_a_mapping_skeleton_that_validates_and_says_what_is_missing(tmp_path, key, run_cli):
    folder = tmp_path / "haderslev"
    code, output = run_cli(["init", folder])
    assert code == 0, output
    skeleton = folder / "mappings" / "herberg.yaml"
    assert "kind: Mapping" in skeleton.read_text(encoding="utf-8") and "cpr: true" in skeleton.read_text(encoding="utf-8")
    assert "# mappings: [mappings/*.yaml]" in (folder / "catalogue.yaml").read_text(encoding="utf-8")
    code, output = run_cli(["validate", skeleton])
    assert code == 0 and "1 mapning" in output, output  # Danish, the default
    code, output = run_cli(["map", "--dry-run"], cwd=folder)
    assert code == 1 and "HF535" in output, output  # no key yet: nothing is mapped
    code, output = run_cli(["map", "--dry-run", "--key", key, "--lang", "en"], cwd=folder)
    assert code == 1 and "error[HF530]" in output and "mappings/herberg.yaml" in output, output


def test_file_patterns_reach_into_folders_and_are_read_in_name_order(tmp_path):
    mapping = "kind: Mapping\nid: f\ndataset: fogedsager\nsources: [{files: 'eksport/*/fogedsager_*.csv'}]\n"
    folder = make(tmp_path / "p", {"mapping.yaml": mapping,
                                   "eksport/2021/fogedsager_12.csv": "borger_id;dato;afvaerget\nB2;01-12-2021;nej\n",
                                   "eksport/2021/fogedsager_01.csv": "borger_id;dato;afvaerget\nB1;05-01-2021;ja\n",
                                   "eksport/2020/fogedsager_06.csv": "borger_id;dato;afvaerget\nB0;05-06-2020;ja\n",
                                   "eksport/2021/noter.txt": "not an export\n"})
    con, out = mapped(folder, None)
    assert [p.relative_to(folder / "eksport").as_posix() for p in out.reports["fogedsager"].files] == [
        "2020/fogedsager_06.csv", "2021/fogedsager_01.csv", "2021/fogedsager_12.csv"]
    assert [r[0] for r in con.execute("SELECT borger_id FROM fogedsager").fetchall()] == ["B0", "B1", "B2"]


def test_what_excel_does_to_cpr_numbers_and_dates_is_named(tmp_path, key):
    """A CPR number that Excel stored as a number lost its leading zero; a date column Excel
    stored as numbers holds day numbers. Both are refused, with what happened in the hint."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CPR", "Dato"])
    sheet.append([101901234, 44197])
    (tmp_path / "p" / "eksport").mkdir(parents=True)
    book.save(tmp_path / "p" / "eksport" / "fogedsager.xlsx")
    mapping = """\
        kind: Mapping
        id: f
        dataset: fogedsager
        sources:
          - files: eksport/fogedsager.xlsx
            columns: {borger_id: {from: CPR, cpr: true}, dato: Dato}
        constants: {afvaerget: false}
        """
    folder = make(tmp_path / "p", {"mapping.yaml": mapping})
    found = {d.code: d for d in problems(folder, key)}
    assert "leading zero" in found["HF533"].hint.render("en") and "Excel's number for a date" in found["HF505"].hint.render("en")
    for d in found.values():
        assert "101901234" not in d.message.render("en") and "101901234" not in d.span.source.line(d.span.line)
