"""`kind: Rule` specs and `hfspec check`: caseload, course length, status and data-quality rules,
evaluated one DuckDB query per rule over hand-built data (CSV files written in tmp_path) and
over the shipped demo data."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from textwrap import dedent

import pytest

from hfspec.diagnostics import HfspecError
from hfspec.check import run as check_run
from hfspec.engine.rules import exit_code, fill_message
from hfspec.session import Session, Settings

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "specs" / "rules"
CASELOAD = RULES / "caseload.yaml"

BORGERE = ["borger_id", "kommune", "alder", "metode", "medarbejder_id", "visitationsdato", "startdato", "slutdato", "samarbejdsmodel"]
STATUS = ["borger_id", "dato", "maalepunkt", "boligsituation", "beskaeftigelse_uddannelse", "forsoergelse", "who5",
          "rusmiddelbehandling", "bostoette_sel85"]
TID = ["borger_id", "metode", "periode", "fase", "forventet_timer", "faktisk_timer", "forventet_maal", "faktisk_maal"]


def run_check(data, paths, catalogue=None, reference_date=None, lang="da"):
    """`hfspec check DATA PATHS` as the library runs it: one session with the rule files."""
    with Session(catalogue, data, Settings.from_options(lang=lang, reference_date=reference_date), specs=paths) as session:
        return check_run.run_check(session, paths)


def citizen(bid: str, worker: str, metode: str = "CTI", start: str = "2021-06-01", end: str = "", visit: str | None = None) -> dict:
    return {"borger_id": bid, "kommune": "Køge", "alder": 30, "metode": metode, "medarbejder_id": worker,
            "visitationsdato": visit or start, "startdato": start, "slutdato": end, "samarbejdsmodel": "false"}


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, header)
        out.writeheader()
        out.writerows(rows)


def write_data(folder: Path, borgere: list[dict], status: list[dict] | None = None, tid: list[dict] | None = None) -> Path:
    """The three datasets the shipped rules read. By default every citizen has a `foer` (and, when
    ended, an `efter`) registration and one month of time on plan."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "borgere.csv", BORGERE, borgere)
    if status is None:
        status = []
        for b in borgere:
            status.append({"borger_id": b["borger_id"], "dato": b["startdato"], "maalepunkt": "foer", "boligsituation": "uden_egen_bolig",
                           "beskaeftigelse_uddannelse": "false", "forsoergelse": "ydelse", "who5": 10, "rusmiddelbehandling": "false", "bostoette_sel85": "false"})
            if b["slutdato"]:
                status.append({**status[-1], "dato": b["slutdato"], "maalepunkt": "efter", "boligsituation": "egen_bolig"})
    write_csv(folder / "status.csv", STATUS, status)
    if tid is None:
        tid = [{"borger_id": b["borger_id"], "metode": b["metode"], "periode": b["startdato"][:8] + "01", "fase": 1 if b["metode"] == "CTI" else "",
                "forventet_timer": 10, "faktisk_timer": 10, "forventet_maal": 10, "faktisk_maal": 10} for b in borgere]
    write_csv(folder / "tid.csv", TID, tid)
    return folder


def findings(run, rule: str) -> dict[str, object]:
    """{group or row key: value} of a rule's breaches."""
    outcome = next(o for o in run.outcomes if o.id == rule)
    return {"/".join(str(v) for v in d["group"].values()): d["value"] for d in (f.as_dict() for f in outcome.findings)}


@pytest.fixture
def eleven_and_ten(tmp_path):
    """Worker MA: 11 active CTI citizens. Worker MB: 10 active, one ended before the reference
    date and one starting after it (neither counts)."""
    borgere = [citizen(f"A{i:02d}", "MA") for i in range(11)]
    borgere += [citizen(f"B{i:02d}", "MB") for i in range(10)]
    borgere.append(citizen("B90", "MB", start="2021-02-01", end="2021-10-31"))
    borgere.append(citizen("B91", "MB", start="2022-01-15", visit="2021-12-01"))
    return write_data(tmp_path / "data", borgere)


def test_eleven_active_cti_citizens_break_the_caseload_ten_do_not(eleven_and_ten):
    run = run_check(eleven_and_ten, [CASELOAD], reference_date="2021-12-31")
    assert findings(run, "cti-caseload") == {"MA": 11}
    assert findings(run, "icm-act-caseload") == {}
    assert run.exit_code == 1
    [finding] = run.outcomes[0].findings
    assert finding.message == "MA har 11 aktive CTI-borgere (højst 10)."
    assert run.outcomes[0].checked == 2  # two workers with active CTI citizens


def test_ended_and_future_courses_are_not_active(eleven_and_ten, tmp_path):
    strict = tmp_path / "strict.yaml"
    strict.write_text(CASELOAD.read_text(encoding="utf-8").replace("<= 10", "<= 9"), encoding="utf-8")
    run = run_check(eleven_and_ten, [strict], reference_date="2021-12-31")
    assert findings(run, "cti-caseload") == {"MA": 11, "MB": 10}  # B90 ended, B91 not started: 10


def test_reference_date_decides_who_is_active(eleven_and_ten):
    # on 2021-09-30 B90 was still active (ended 2021-10-31): MB then had 11
    run = run_check(eleven_and_ten, [CASELOAD], reference_date="2021-09-30")
    assert findings(run, "cti-caseload") == {"MA": 11, "MB": 11}


def test_icm_and_act_caseload_is_eight(tmp_path):
    borgere = [citizen(f"I{i}", "MI", "ICM") for i in range(8)] + [citizen(f"J{i}", "MJ", "ACT") for i in range(9)]
    run = run_check(write_data(tmp_path, borgere), [CASELOAD])
    assert findings(run, "icm-act-caseload") == {"MJ": 9}
    assert "MJ har 9 aktive ICM/ACT-borgere (højst 8)." in [f.message for o in run.outcomes for f in o.findings]


def test_row_rules_name_the_file_row(tmp_path):
    borgere = [citizen("C1", "M1"), citizen("C2", "M1", start="2021-06-01", end="2021-05-01"), citizen("C3", "M1", start="2021-03-01", visit="2021-04-01")]
    status = [{"borger_id": "C1", "dato": "2021-06-01", "maalepunkt": "foer", "boligsituation": "egen_bolig", "beskaeftigelse_uddannelse": "false",
               "forsoergelse": "ydelse", "who5": 12, "rusmiddelbehandling": "false", "bostoette_sel85": "false"}]
    status.append({**status[0], "dato": "2020-01-01", "maalepunkt": "under"})  # before the referral
    run = run_check(write_data(tmp_path, borgere, status=status), [RULES / "datakvalitet.yaml"])
    slut = next(o for o in run.outcomes if o.id == "dq-slut-foer-start")
    [f] = slut.findings
    assert (f.file, f.row, f.group) == ("borgere.csv", 3, {"borger_id": "C2"})
    assert f.message == "C2: slutdato 2021-05-01 ligger før startdato 2021-06-01."
    assert slut.unknown == 2  # active courses (no slutdato) are not breaches: null is not false
    assert findings(run, "dq-start-foer-visitation") == {"C3": "2021-03-01"}
    assert findings(run, "dq-status-uden-for-forloeb") == {"C1/2020-01-01/under": None}  # no single checked value
    assert run.exit_code == 1


def test_course_length_status_and_hours(tmp_path):
    borgere = [citizen("L1", "M1", start="2020-01-10", end="2020-12-20"),  # 11 whole months: more than 9 + 1
               citizen("L2", "M1", start="2021-01-10", end="2021-11-09"),  # 9 whole months
               citizen("L3", "M1", start="2020-06-01"),  # active: counted to the reference date, 18 months
               citizen("I1", "M2", "ICM", start="2020-01-15")]
    status = [{"borger_id": b["borger_id"], "dato": b["startdato"], "maalepunkt": "foer", "boligsituation": "egen_bolig", "beskaeftigelse_uddannelse": "false",
               "forsoergelse": "ydelse", "who5": 12, "rusmiddelbehandling": "false", "bostoette_sel85": "false"} for b in borgere]
    tid = [{"borger_id": "L2", "metode": "CTI", "periode": "2021-01-01", "fase": 1, "forventet_timer": 10, "faktisk_timer": 400,
            "forventet_maal": 10, "faktisk_maal": 10}]
    run = run_check(write_data(tmp_path, borgere, status=status, tid=tid), [RULES])
    assert findings(run, "cti-varighed") == {"L1": 11, "L3": 18}
    assert findings(run, "status-efter-mangler") == {"L1/M1": 0, "L2/M1": 0}
    assert findings(run, "icm-act-status-mangler") == {"I1/M2": 23}  # latest status 2020-01-15, 23 months before 2021-12-31
    assert findings(run, "dq-timer") == {"L2/2021-01-01": 400}
    assert run.exit_code == 1  # dq-timer is an error


def test_warnings_alone_exit_zero(tmp_path, run_cli):
    data = write_data(tmp_path / "d", [citizen("L1", "M1", start="2020-01-10", end="2020-12-20")])
    code, out = run_cli(["check", data, RULES])
    assert code == 0, out
    assert "ADVARSEL  cti-varighed" in out and "borgere.csv række 2: L1 (M1): CTI-forløbet har varet 11 måneder" in out
    assert "exitkode 0" in out


def test_unknown_placeholder_is_a_diagnostic(tmp_path, run_cli):
    rule = tmp_path / "r.yaml"
    rule.write_text(dedent("""\
        kind: Rule
        id: x
        dataset: borgere
        by: [medarbejder_id]
        assert: count() <= 10
        severity: error
        message: "{medarbejder} har {value}"
        """), encoding="utf-8")
    code, out = run_cli(["check", write_data(tmp_path / "d", [citizen("C1", "M1")]), rule, "--lang", "en"])
    assert code == 1
    assert "error[HF607]: rule `x`: the message uses `{medarbejder}`" in out
    assert "r.yaml:7:" in out and "did you mean `{medarbejder_id}`?" not in out and "medarbejder_id" in out


def test_messages_fill_show_values_and_formats():
    values = {"value": 2.0625, "show1": 81.0, "sum(faktisk_timer)": 81.0, "periode": __import__("datetime").date(2021, 6, 1)}
    assert fill_message("{value:%} ({sum(faktisk_timer)} t, {show1:1}) {periode:m} {{x}}", values) == "206 % (81 t, 81,0) 2021-06 {x}"
    assert fill_message("{value}", {"value": 1234.5}, "en") == "1,234.5"


def test_one_query_per_rule(eleven_and_ten):
    run = run_check(eleven_and_ten, [RULES])
    by_id = {o.id: o for o in run.outcomes}
    grouped = by_id["cti-caseload"].sql
    assert grouped.startswith("SELECT ") and " GROUP BY 1" in grouped and 'count(DISTINCT "borgere"."borger_id")' in grouped
    assert "WHERE (" in grouped  # the filter
    row = by_id["dq-slut-foer-start"].sql
    assert row.startswith("WITH __checked AS (SELECT ") and "__row" in row and "GROUP BY" not in row


def test_exit_code_counts_only_errors(eleven_and_ten):
    run = run_check(eleven_and_ten, [CASELOAD])
    assert exit_code(run.outcomes) == 1
    assert exit_code([o for o in run.outcomes if o.severity != "error"]) == 0


def test_demo_data_finds_exactly_the_overloaded_workers(run_cli):
    code, out = run_cli(["check"])
    assert code == 1
    assert "M01 har 12 aktive CTI-borgere (højst 10)." in out
    assert "M04 har 9 aktive ICM/ACT-borgere (højst 8)." in out
    code_json, text = run_cli(["check", "--format", "json"])
    assert code_json == 1
    data = json.loads(text)
    rules = {r["id"]: r for r in data["rules"]}
    assert [f["group"] for f in rules["cti-caseload"]["findings"]] == [{"medarbejder_id": "M01"}]
    assert [f["value"] for f in rules["cti-caseload"]["findings"]] == [12]
    assert [f["group"] for f in rules["icm-act-caseload"]["findings"]] == [{"medarbejder_id": "M04"}]
    assert [f["value"] for f in rules["icm-act-caseload"]["findings"]] == [9]
    # the caseload rules are the only error-level rules that break on the demo data
    broken_errors = {r["id"] for r in data["rules"] if r["severity"] == "error" and r["findings"]}
    assert broken_errors == {"cti-caseload", "icm-act-caseload"}
    assert data["exit_code"] == 1 and data["reference_date"] == "2021-12-31"


def test_a_spec_file_first_is_taken_as_a_path(run_cli):
    code, out = run_cli(["check", CASELOAD, "--lang", "en"])
    assert code == 1
    assert "M01 has 12 active CTI citizens (at most 10)." in out and "2 rules" in out


def test_bad_reference_date(run_cli):
    code, out = run_cli(["check", "--reference-date", "31/12/2021"])
    assert code == 1 and "HF604" in out


def test_rules_need_the_catalogue_params(tmp_path):
    bare = tmp_path / "cat.yaml"
    bare.write_text("kind: Catalogue\nid: bare\n", encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        run_check(None, [CASELOAD], catalogue=bare)
    assert {d.code for d in error.value.diagnostics} == {"HF411"}
    assert "reference_date" in error.value.diagnostics[0].text("en")


def test_a_row_rule_can_read_the_citizens_rows_of_another_dataset(tmp_path):
    """`from` in a rule: a citizen who ended the course without any tenancy in `bolig` is named."""
    data = write_data(tmp_path / "d", [citizen("C1", "M1", end="2021-10-01"), citizen("C2", "M1", end="2021-10-01"), citizen("C3", "M1")])
    write_csv(data / "bolig.csv", ["borger_id", "indflytningsdato", "fraflytningsdato", "fraflytningsaarsag"],
              [{"borger_id": "C1", "indflytningsdato": "2021-06-01", "fraflytningsdato": "", "fraflytningsaarsag": ""}])
    rule = tmp_path / "r.yaml"
    rule.write_text(dedent("""\
        kind: Rule
        id: afsluttet-uden-bolig
        dataset: borgere
        filter: slutdato is not null
        assert: count(from bolig where indflytningsdato <= slutdato) > 0
        severity: warning
        citizen_level: true
        """), encoding="utf-8")
    run = run_check(data, [rule])
    assert list(findings(run, "afsluttet-uden-bolig")) == ["C2"]
