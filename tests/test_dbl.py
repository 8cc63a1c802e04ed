"""The double bottom line (`hfspec dbl`): hand-built citizens with numbers worked out by hand,
the signal rules of specs/dbl, the demo data, and the HTML sheet in a real browser."""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from browser import chromium, console_errors, distinct_bytes

from hfspec.diagnostics import HfspecError
from hfspec.dbl import model as dbl_model
from hfspec.session import Session, Settings

ROOT = Path(__file__).resolve().parent.parent
REF = "2021-12-31"

BORGERE = ["borger_id", "kommune", "alder", "metode", "medarbejder_id", "visitationsdato", "startdato", "slutdato", "samarbejdsmodel"]
STATUS = ["borger_id", "dato", "maalepunkt", "boligsituation", "beskaeftigelse_uddannelse", "forsoergelse", "who5", "ors",
          "rusmiddelbehandling", "bostoette_sel85"]
TID = ["borger_id", "metode", "periode", "fase", "forventet_timer", "faktisk_timer", "forventet_maal", "faktisk_maal"]


def run_dbl(data, specs=None, catalogue=None, reference_date=None, citizen=None, worker=None, include_ended=False, lang="da"):
    """`hfspec dbl` as the library runs it: one session with the signal specs."""
    paths = [specs] if specs else dbl_model.default_specs()
    with Session(catalogue, data, Settings.from_options(lang=lang, reference_date=reference_date), specs=paths) as session:
        return dbl_model.run_dbl(session, paths, citizen, worker, include_ended)


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, header)
        out.writeheader()
        out.writerows(rows)


def months(first: str, n: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}-01")
        year, month = year + month // 12, month % 12 + 1
    return out


def course(bid: str, metode: str, worker: str, start: str, expected: list[float], actual: list[float | None],
           exp_goal: list[float], act_goal: list[float | None], end: str = "") -> tuple[dict, list[dict]]:
    """A citizen and their `tid` rows, one per month from the start month (CTI phases 3 months each)."""
    row = {"borger_id": bid, "kommune": "Vejle", "alder": 22, "metode": metode, "medarbejder_id": worker, "visitationsdato": start,
           "startdato": start, "slutdato": end, "samarbejdsmodel": "false"}
    tid = []
    for k, (month, e, a, eg, ag) in enumerate(zip(months(start, len(expected)), expected, actual, exp_goal, act_goal)):
        tid.append({"borger_id": bid, "metode": metode, "periode": month, "fase": min(3, k // 3 + 1) if metode == "CTI" else "",
                    "forventet_timer": e, "faktisk_timer": "" if a is None else a, "forventet_maal": eg, "faktisk_maal": "" if ag is None else ag})
    return row, tid


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory):
    """Six citizens whose double bottom line is worked out by hand below."""
    folder = tmp_path_factory.mktemp("dbl")
    courses = [
        # CTI over plan in phase 1 (25 h a month against 10): re-referral to ICM. Plan 3×10 + 3×6 + 3×4 = 60 h.
        course("C1", "CTI", "M1", "2021-01-04", [10, 10, 10, 6, 6, 6, 4, 4, 4], [25, 25, 25, 6, 6, 6, 4, 4, 4],
               [8, 8, 9, 10, 10, 11, 12, 12, 13], [8, 9, 10, 10, 11, 12, 12, 13, 14], end="2021-09-30"),
        # ICM on plan for 12 months: no signal.
        course("I1", "ICM", "M2", "2021-01-10", [8] * 12, [8] * 12, [10] * 12, [10] * 12),
        # CTI with almost no time in the first two months: contact not established yet.
        course("C2", "CTI", "M1", "2021-07-01", [10, 10, 10, 6, 6, 6], [1, 0, 9, 6, 6, 6], [8] * 6, [8] * 6),
        # ICM with the goal below the curve twice running, a month without a goal registration between.
        course("I2", "ICM", "M2", "2021-01-01", [8] * 6, [8] * 6, [10] * 6, [10, 10, 9, None, 9, 11]),
        # ICM with the goal below the curve once only, and March missing from `tid` altogether.
        course("I3", "ICM", "M2", "2021-01-01", [8] * 6, [8] * 6, [10] * 6, [10, 9, 10, 10, 10, 10]),
        # ICM whose June goal is missing in `tid` but measured in `status` (WHO-5 12 on 2021-06-20).
        course("I4", "ICM", "M2", "2021-01-01", [8] * 6, [8] * 6, [10] * 6, [10, 10, 10, 10, 10, None]),
    ]
    borgere = [c[0] for c in courses]
    tid = [r for c in courses for r in c[1] if not (r["borger_id"] == "I3" and r["periode"] == "2021-03-01")]
    for c in courses:  # the ICM examples run to the reference date: fill the later months on plan
        if c[0]["borger_id"] in ("I2", "I3", "I4"):
            tid += [{"borger_id": c[0]["borger_id"], "metode": "ICM", "periode": m, "fase": "", "forventet_timer": 8, "faktisk_timer": 8,
                     "forventet_maal": 10, "faktisk_maal": 10} for m in months("2021-07-01", 6)]
    status = [{"borger_id": b["borger_id"], "dato": b["startdato"], "maalepunkt": "foer", "boligsituation": "egen_bolig",
               "beskaeftigelse_uddannelse": "false", "forsoergelse": "ydelse", "who5": 10, "ors": "", "rusmiddelbehandling": "false",
               "bostoette_sel85": "false"} for b in borgere]
    status.append({**status[-1], "dato": "2021-06-20", "maalepunkt": "under", "who5": 12})
    write_csv(folder / "borgere.csv", BORGERE, borgere)
    write_csv(folder / "tid.csv", TID, tid)
    write_csv(folder / "status.csv", STATUS, status)
    return folder


@pytest.fixture(scope="module")
def everyone(hand_built):
    return run_dbl(hand_built, reference_date=REF, include_ended=True)


def signals(result, bid: str) -> list[str]:
    return [s.rule for s in result.citizens[bid].signals]


def test_cti_citizen_over_plan_in_phase_one_is_flagged_for_re_referral(everyone):
    assert signals(everyone, "C1") == ["dbl-revisitation"]
    [signal] = everyone.citizens["C1"].signals
    assert signal.message == "Fase 1: faktisk tid er 250 % af den forventede (75 mod 30 timer). Overvej revisitation fra CTI til ICM."
    assert "revisitation fra CTI til ICM" in signal.advice


def test_icm_citizen_on_plan_has_no_signal(everyone):
    assert signals(everyone, "I1") == []
    steps = everyone.citizens["I1"].steps
    assert [s.label for s in steps] == [m[:7] for m in months("2021-01-01", 12)]
    # 8 of 96 planned hours a month: 8.33 %, 16.67 %, … 100 %, expected and actual alike
    assert [round(s.acc_expected, 4) for s in steps] == [round(8 * k / 96, 4) for k in range(1, 13)]
    assert [s.acc_actual for s in steps] == [s.acc_expected for s in steps]
    assert all(s.deviation_hours == 0 and s.deviation_share == 1 for s in steps)


def test_accumulated_percentages_at_each_cti_phase(everyone):
    c = everyone.citizens["C1"]
    assert [s.label for s in c.steps] == ["F1", "F2", "F3"]
    assert c.plan_hours == 60 and c.plan_months == 9
    # by hand: expected 30, 48, 60 of 60 hours; actual 75, 93, 105 of 60 hours
    assert [s.expected_hours for s in c.steps] == [30, 18, 12]
    assert [s.actual_hours for s in c.steps] == [75, 18, 12]
    assert [s.acc_expected for s in c.steps] == [0.5, 0.8, 1.0]
    assert [s.acc_actual for s in c.steps] == [1.25, 1.55, 1.75]
    assert [s.deviation_hours for s in c.steps] == [45, 0, 0]
    assert c.steps[0].deviation_share == 2.5
    # goal curves: the value at each phase's latest registration
    assert [s.expected_goal for s in c.steps] == [9, 11, 13]
    assert [s.actual_goal for s in c.steps] == [10, 12, 14]
    assert (c.time_used, c.time_expected, c.goal_first, c.goal_latest, c.goal_trend, c.goal_vs_curve) == (1.75, 1.0, 8, 14, "up", "above")
    assert all(s.state == "done" for s in c.steps)


def test_little_time_at_the_start_asks_for_a_contact_phase(everyone):
    assert signals(everyone, "C2") == ["dbl-kontakt"]
    assert "faktisk tid er 5 % af den forventede (1 mod 20 timer)" in everyone.citizens["C2"].signals[0].message
    assert [s.acc_expected for s in everyone.citizens["C2"].steps] == [30 / 48, 1.0]


def test_goal_below_the_curve_two_registrations_running(everyone):
    # I2: 9 in March, no registration in April, 9 in May: two registrations running below
    assert signals(everyone, "I2") == ["dbl-maal-under-kurven"]
    assert everyone.citizens["I2"].signals[0].message == "Det faktiske mål har ligget under den forventede kurve 2 registreringer i træk (senest 2021-05)."
    # I3: below once only (February)
    assert "dbl-maal-under-kurven" not in signals(everyone, "I3")


def test_missing_month_is_a_missing_registration(everyone):
    assert signals(everyone, "I3") == ["dbl-manglende-tid"]
    assert everyone.citizens["I3"].signals[0].message == "1 måned(er) uden registreret tid (senest 2021-03)."
    march = next(s for s in everyone.citizens["I3"].steps if s.label == "2021-03")
    assert (march.expected_hours, march.actual_hours, march.months) == (None, None, 1)


def test_status_fills_a_missing_goal(everyone):
    june = next(s for s in everyone.citizens["I4"].steps if s.label == "2021-06")
    assert june.actual_goal == 12  # from status (WHO-5 on 2021-06-20)
    assert signals(everyone, "I4") == []


def test_active_citizens_and_workers(hand_built):
    result = run_dbl(hand_built, reference_date=REF)
    assert [(w.medarbejder_id, [c.borger_id for c in w.citizens]) for w in result.workers] == [("M1", ["C2"]), ("M2", ["I1", "I2", "I3", "I4"])]
    # on 2021-06-30, C2 had not started yet and C1 was active
    earlier = run_dbl(hand_built, reference_date="2021-06-30", worker="M1")
    assert [c.borger_id for c in earlier.workers[0].citizens] == ["C1"]


def test_thresholds_live_in_the_yaml(hand_built, tmp_path):
    specs = tmp_path / "dbl"
    shutil.copytree(ROOT / "specs" / "dbl", specs)
    text = (specs / "signaler.yaml").read_text(encoding="utf-8")
    (specs / "signaler.yaml").write_text(text.replace("<= 1.5", "<= 3"), encoding="utf-8")
    result = run_dbl(hand_built, specs=specs, reference_date=REF, citizen="C1")
    assert signals(result, "C1") == []  # 250 % is within a limit of 300 %


def test_ors_instrument_and_a_wrong_one(hand_built, tmp_path):
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text("kind: Catalogue\nid: local\nextends: national\nparams:\n  dbl_instrument: ors\n", encoding="utf-8")
    result = run_dbl(hand_built, catalogue=catalogue, citizen="I1")
    assert (result.instrument.id, result.instrument.high, result.reference_date) == ("ors", 40, REF)
    catalogue.write_text("kind: Catalogue\nid: local\nextends: national\nparams:\n  dbl_instrument: who-5\n", encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        run_dbl(hand_built, catalogue=catalogue, citizen="I1")
    [d] = error.value.diagnostics
    assert d.code == "HF608" and d.span is not None and d.span.line == 5 and "did you mean `who5`?" in d.hint.render("en")


def test_unknown_citizen_and_worker(run_cli, hand_built):
    code, out = run_cli(["dbl", hand_built, "--citizen", "C9"])
    assert code == 1 and "HF609" in out
    code, out = run_cli(["dbl", hand_built, "--worker", "M3"])
    assert code == 1 and "HF609" in out and "`M1`, `M2`" in out
    code, out = run_cli(["dbl", hand_built, "--citizen", "c1"])
    assert code == 1 and "mente du `C1`?" in out


def test_text_overview_per_worker_on_the_demo(run_cli):
    code, out = run_cli(["dbl", "--worker", "M01"])
    assert code == 0, out
    assert "Medarbejder M01 · CTI · 12 aktive borgere" in out
    assert "M01 har 12 aktive CTI-borgere (højst 10)." in out  # the caseload rule names the worker
    assert len(re.findall(r"^  B\d{4} ", out, re.M)) == 12
    assert "pseudonyme" in out and "12 borgere" in out


def test_json_is_marked_citizen_level(run_cli):
    code, out = run_cli(["dbl", "--citizen", "B0001", "--format", "json", "--lang", "en"])
    assert code == 0
    data = json.loads(out)
    assert data["citizen_level"] is True and data["citizen"]["borger_id"] == "B0001"
    assert [s["label"] for s in data["citizen"]["steps"]] == ["F1", "F2", "F3"]
    assert data["citizen"]["signals"][0]["rule"] == "dbl-revisitation"


def test_dbl_never_feeds_aggregate_reports():
    """Only the dbl command and its renderer import the double bottom line: no aggregate report can
    show it. The one exception is `hfspec report`, whose worker summary holds per-worker counts
    only, never a citizen (tests/test_report.py checks that no citizen id reaches the report)."""
    importers = set()
    for path in (ROOT / "hfspec").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) and node.module else []
            if any(n.startswith(("hfspec.dbl.model", "hfspec.dbl.render")) for n in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"hfspec/dbl/command.py", "hfspec/dbl/render.py", "hfspec/report/build.py"}


# --------------------------------------------------------------------------- the HTML sheet


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    from click.testing import CliRunner

    from hfspec.cli import main

    page = tmp_path_factory.mktemp("sheet") / "x.html"
    result = CliRunner().invoke(main, ["dbl", "--citizen", "B0001", "--format", "html", "--out", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return page


def test_html_sheet_is_written(sheet):
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Borger B0001" in text
    assert text.count("<svg") == 1 and "<script" not in text
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', text)  # self-contained: nothing loaded from elsewhere
    assert "Meget mere tid end planlagt (revisitation?)" in text and "225 %" in text
    assert "Fase 1" in text and "Fase 3" in text


def test_html_sheet_in_a_real_browser(sheet, tmp_path):
    browser = chromium(tmp_path / "profile")
    dom = browser.dom(sheet)
    svg = dom.stdout[dom.stdout.index("<svg"):dom.stdout.index("</svg>")]
    bars = re.findall(r'<rect class="bar"', svg)
    assert len(bars) == 6  # 3 phases × expected and actual bars
    assert svg.count('<path class="line"') == 2 and "Fase 2" in svg and "Faktisk tid, akkumuleret" in svg  # the two goal curves
    assert "Borger B0001" in dom.stdout
    shot = tmp_path / "s.png"
    run = browser.screenshot(sheet, shot, "1200,1400")
    assert shot.stat().st_size > 30_000
    assert distinct_bytes(shot) > 64  # text, bars and colours, not a blank page
    assert not console_errors(dom, run)


def test_status_is_optional(hand_built, tmp_path):
    for name in ("borgere.csv", "tid.csv"):
        shutil.copy(hand_built / name, tmp_path / name)
    result = run_dbl(tmp_path, reference_date=REF, citizen="I4")
    june = next(s for s in result.citizens["I4"].steps if s.label == "2021-06")
    assert june.actual_goal is None  # nothing fills the missing goal without `status`
    assert signals(result, "I4") == []


def test_month_table_is_the_same_with_and_without_grouping_the_months():
    """`dbl_maaned` takes `tid`'s months as they are when every `periode` is the first of a month
    (the data contract) and groups them otherwise; on the demo data both give the same table, and a
    `periode` in the middle of a month takes the grouping."""
    from hfspec.data.ingest import stored_table
    from hfspec.engine import derived

    with Session(None, None, Settings(), specs=dbl_model.default_specs()) as session:
        session.require([derived.DBL_DATASET])
        s = derived.settings(session.project)
        grouped = session.con.execute(derived.table_sql(s.reference_date, s.instrument, True, first_days=False)).fetchall()
        as_is = session.con.execute(derived.table_sql(s.reference_date, s.instrument, True, first_days=True)).fetchall()
        assert grouped == as_is == session.con.execute(f"SELECT * FROM {derived.DBL_DATASET}").fetchall()
        session.con.execute(f"UPDATE {stored_table('tid')} SET periode = periode + 14 WHERE rowid = 0")
        derived.build_table(session.con, session.project)
        assert session.con.execute(f"SELECT * FROM {derived.DBL_DATASET}").fetchall() == grouped


def test_worker_summary_counts_in_sql_what_the_citizen_overview_shows():
    """`worker_summary` (the management report's worker table: one query, the active citizens'
    months only) gives per worker the numbers of `run_dbl`'s citizens: active citizens, their time
    used and the citizens with each signal."""
    from hfspec.engine import derived

    paths = dbl_model.default_specs()
    with Session(None, None, Settings(), specs=paths) as session:
        summary = dbl_model.worker_summary(session, paths)
        assert not session.has(derived.DBL_DATASET)  # computed for the active citizens only, not as the dataset
        full = dbl_model.run_dbl(session, paths, steps=False)
        again = dbl_model.worker_summary(session, paths)  # and the same from the whole month table
    assert [(c.medarbejder_id, c.metode, c.citizens, c.time_used_count, c.signals) for c in again.cells] == \
           [(c.medarbejder_id, c.metode, c.citizens, c.time_used_count, c.signals) for c in summary.cells]
    assert [c.time_used_sum for c in again.cells] == pytest.approx([c.time_used_sum for c in summary.cells])
    want = {}
    for worker in full.workers:
        for c in worker.citizens:
            cell = want.setdefault((c.medarbejder_id, c.metode), {"n": 0, "sum": 0.0, "count": 0, "signals": {}})
            cell["n"] += 1
            if c.time_used is not None:
                cell["sum"] += c.time_used
                cell["count"] += 1
            for rid in {s.rule for s in c.signals}:
                cell["signals"][rid] = cell["signals"].get(rid, 0) + 1
    assert {(c.medarbejder_id, c.metode) for c in summary.cells} == set(want)
    for c in summary.cells:
        w = want[(c.medarbejder_id, c.metode)]
        assert (c.citizens, c.time_used_count) == (w["n"], w["count"]) and c.time_used_sum == pytest.approx(w["sum"])
        assert {r: n for r, n in c.signals.items() if n} == w["signals"], c.medarbejder_id
    assert summary.breaches["M01"] and summary.breaches["M04"]  # the caseload rules
