"""Disclosure control that holds against subtraction: the recoveries found by an attacker's
linear programme over one output (issue 19) are reproduced, then shown closed – by running
`hfspec audit`, the same attacker, on every kind of output made from the demo data – and the
audit is shown to fail when a secondary suppression is taken away."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspec.cli import main
from hfspec.engine.linked import Link, Published, build, exposed, protect, relation_index

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
DATA = ROOT / "examples" / "demo" / "data"


def cli(args, expect: int = 0) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == expect, result.output[-3000:]
    return result.output


def rows_of(path: Path) -> dict[tuple, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(i["id"], json.dumps(r["by"], sort_keys=True), tuple(r.get("total_over", ()))): r for i in data["indicators"] for r in i["rows"]}


# --------------------------------------------------------------------------- the known recoveries


@pytest.fixture(scope="module")
def process(tmp_path_factory) -> Path:
    """HF-P-02 (citizens by method), HF-P-03 (citizens in the cooperation model; its n is every
    active citizen) and HF-P-04 (the share in the model, by method) from one run."""
    path = tmp_path_factory.mktemp("eval") / "p.json"
    cli(["eval", CATALOG, DATA, "-i", "HF-P-02", "-i", "HF-P-03", "-i", "HF-P-04", "-i", "HF-P-11", "--format", "json", "--out", path])
    return path


def test_the_n_beside_a_value_no_longer_gives_away_a_hidden_count(process):
    """HF-P-03's n (152) − CTI (58) − ICM (90) was HF-P-02's hidden ACT count (4): now one more
    method is hidden, as a secondary cell, with its n."""
    rows = rows_of(process)
    act, cti, icm = (rows[("HF-P-02", json.dumps({"metode": m}), ())] for m in ("ACT", "CTI", "ICM"))
    total = rows[("HF-P-03", "{}", ())]
    assert act["suppressed"] and act["suppression"] == "primary" and act["value"] is None and act["n"] is None
    assert total["n"] == 152 and icm["value"] == 90
    assert cti["suppressed"] and cti["suppression"] == "secondary" and cti["value"] is None and cti["n"] is None
    # the share by method hides the same two groups: its n are the same counts
    assert [r["suppressed"] for r in (rows[("HF-P-04", json.dumps({"metode": m}), ())] for m in ("ACT", "CTI", "ICM"))] == [True, True, False]
    cli(["audit", process])


def test_a_share_of_one_person_is_hidden(process):
    """HF-P-11 was 1/58: value × n named one citizen. A share whose numerator (or complement) is
    1..k-1 people is suppressed like a small count; its n stays (the group is large)."""
    head = rows_of(process)[("HF-P-11", "{}", ())]
    assert head["suppressed"] and head["value"] is None and head["n"] == 58


def test_the_audit_finds_a_removed_secondary_suppression(process, tmp_path):
    data = json.loads(process.read_text(encoding="utf-8"))
    for item in data["indicators"]:
        for r in item["rows"]:
            if item["id"] == "HF-P-02" and r["by"] == {"metode": "CTI"}:
                r.update(value=58, n=58, suppressed=False)
                del r["suppression"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(broken), "--lang", "en"])
    assert result.exit_code == 1
    assert "error[HF810]: hidden cell of HF-P-02: metode = ACT can be computed exactly" in result.output
    assert re.search(r"--> .*broken\.json:\d+:\d+", result.output)
    assert " 4" not in result.output.split("HF810", 1)[1].split("\n")[0]  # the message never prints the hidden value


# --------------------------------------------------------------------------- every output of the demo


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("totals", [False, True], ids=["groups", "totals"])
def test_no_hidden_cell_of_an_eval_output_can_be_worked_out(fmt, totals, tmp_path):
    out = tmp_path / f"r.{fmt}"
    cli(["eval", CATALOG, DATA, "--format", fmt, "--out", out, *(["--totals"] if totals else [])])
    text = cli(["audit", out])
    assert "ingen kan regnes ud" in text


def test_no_hidden_cell_of_the_report_or_its_comparison_can_be_worked_out(tmp_path):
    """The report with its comparison of the five municipalities (overall minus the others was a
    way in): HTML and workbook, protected together."""
    for name in ("r.html", "r.xlsx"):
        cli(["report", CATALOG, DATA, "--compare-by", "kommune", "--out", tmp_path / name])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "(skjult)" in page and "sekundær diskretionering" in page
    assert 'data-unit="overall"' in page
    cli(["audit", tmp_path / "r.html", tmp_path / "r.xlsx"])
    # a secondary cell of the comparison shown again is found
    cell = re.search(r'<td class="r[^"]* sup sec" data-unit="[^"]+" data-cell="[^"]+" data-by="[^"]+" data-period="[^"]*"[^>]*data-hidden="true"', page)
    assert cell, "the comparison has a secondary cell on the demo"


# --------------------------------------------------------------------------- history, off switch


def test_history_is_shown_at_the_reports_k(tmp_path):
    """A run stored with disclosure control off holds HF-P-11's 1 of 58; the report's history at
    the default k shows it as suppressed."""
    store = tmp_path / "h.duckdb"
    cli(["eval", CATALOG, DATA, "-i", "HF-P-11", "--suppress-below", "0", "--not-for-publication", "--store", store, "--format", "json"])
    cli(["report", CATALOG, DATA, "--history", store, "--out", tmp_path / "r.html"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    history = page[page.index('id="history"'):]
    row = re.search(r'<tr data-indicator="HF-P-11">(.*?)</tr>', history, re.S).group(1)
    assert "(diskr.)" in row and "%" not in row


def test_disclosure_control_off_needs_a_confirmation_and_says_so(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(CATALOG), str(DATA), "-i", "HF-P-02", "--suppress-below", "1", "--lang", "en"])
    assert result.exit_code == 1 and "error[HF812]" in result.output and "Traceback" not in result.output
    text = cli(["eval", CATALOG, DATA, "-i", "HF-P-02", "--suppress-below", "0", "--not-for-publication"])
    assert text.splitlines()[0].startswith("IKKE TIL OFFENTLIGGØRELSE")
    data = json.loads(cli(["eval", CATALOG, DATA, "-i", "HF-P-02", "--suppress-below", "0", "--not-for-publication", "--format", "json"]))
    assert next(iter(data)) == "not_for_publication"
    cli(["report", CATALOG, DATA, "--suppress-below", "0", "--not-for-publication", "--out", tmp_path / "r.html"])
    assert 'class="not-for-publication"' in (tmp_path / "r.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- tables with margins


def _table(counts: list[list[int]], k: int) -> tuple[list[Published], dict, dict]:
    """A two-way table of counts of one population with its row, column and grand totals; cells
    of 1..k-1 primary-suppressed."""
    rows, truth = [], {}
    r, c = len(counts), len(counts[0])
    cells = [({"a": i, "b": j}, (), counts[i][j]) for i in range(r) for j in range(c)]
    cells += [({"a": i}, ("b",), sum(counts[i])) for i in range(r)]
    cells += [({"b": j}, ("a",), sum(counts[i][j] for i in range(r))) for j in range(c)]
    cells += [({}, ("a", "b"), sum(map(sum, counts)))]
    for ref, (by, over, value) in enumerate(cells):
        hidden = 0 < value < k
        rows.append(Published(ref, "T", None, by, over, None if hidden else value, None if hidden else value, hidden))
        truth[ref] = (value, value)
    return rows, truth, {"T": Link(("p",), value=("units", ""), exact=True, value_exact=True)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4).flatmap(lambda r: st.integers(2, 4).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 12), min_size=c, max_size=c), min_size=r, max_size=r))))
def test_secondary_suppression_protects_any_table_with_margins(counts):
    k = 5
    rows, truth, links = _table(counts, k)
    before = build(rows, links)
    lines: dict[tuple, list[bool]] = {}
    for row in rows:
        if not row.total_over:
            lines.setdefault(("a", row.by["a"]), []).append(row.hidden)
            lines.setdefault(("b", row.by["b"]), []).append(row.hidden)
    margin_shown = {("a", row.by["a"]) if "a" in row.by else ("b", row.by["b"]): not row.hidden for row in rows if len(row.total_over) == 1}
    # without secondary suppression, a line with one hidden cell and its total shown gives it away
    if any(sum(hidden) == 1 and margin_shown[line] for line, hidden in lines.items()):
        assert exposed(before, k)
    protect(rows, links, truth, k)
    after = build(rows, links)
    assert not exposed(after, k)
    # every primary cell is still hidden, and no hidden cell is pinned
    assert all(row.hidden for row in rows if 0 < truth[row.ref][0] < k)
    assert relation_index(after)
