"""CREAM: the Model spec, the gate, weighted scores, ranks, the median of raters, disagreement,
coverage of the short list, ratings-file diagnostics, the workshop sheet round trip and the
short-list catalogue — with expectations worked out by hand.

The test catalogue tests/data/cream/mini/catalogue.yaml has seven key figures (scores C R E A M):

    MINI-P-01 process   goal a  5 4 5 3 5   mean 22/5 = 4.4
    MINI-P-02 process   goal a  4 5 3 5 5   mean 22/5 = 4.4   (tie with P-01)
    MINI-P-03 process   goal a  4 4 4 4 4   mean 4.0
    MINI-O-01 outcome   goal b  5 5 2 5 5   economic 2 < 3: fails the gate
    MINI-O-02 outcome   goal b  3 3 3 3 3   mean 3.0          (3 is not below the pass mark 3)
    MINI-E-01 economy   goal a  4 3 5 4 4   mean 4.0          (tie with P-03)
    MINI-S-01 structure goal b  3 5 4 3 3   mean 3.6

with the goal hierarchy g → {a, b} and max_per_goal 2.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hfspec.diagnostics import HfspecError, render_all_text
from hfspec.cream import model as C
from hfspec.cream import ratings as R
from hfspec.cream import files as F
from hfspec.spec import model as M
from hfspec.spec.project import load_project

DATA = Path(__file__).resolve().parent / "data" / "cream"
MINI = DATA / "mini" / "catalogue.yaml"
WORKSHOP = DATA / "ratings_workshop.csv"
MISTAKES = DATA / "ratings_mistakes.csv"


@pytest.fixture(scope="module")
def mini():
    return load_project([MINI])


def table(result: C.CreamResult) -> dict[str, tuple]:
    return {r.id: (r.passes, r.weighted, r.rank) for r in result.rows}


# -- the model spec ------------------------------------------------------------------------------

def test_model_has_the_five_criteria_with_the_seed_wording():
    spec = C.cream_model()
    assert tuple(spec.dimensions["criterion"]["values"]) == M.CREAM_CRITERIA
    definitions = " ".join(c.definition.da for c in C.criteria()).lower()
    for word in ("nøjagtighed", "relevans", "omkostningseffektivitet ved indsamling", "tilstrækkelighed", "objektivitet"):
        assert word in definitions
    assert all(c.definition.en and c.title.en for c in C.criteria())
    assert C.scale() == (1.0, 5.0)


def test_shipped_model_validates(run_cli):
    code, output = run_cli(["validate", C.model_path()])
    assert code == 0, output


# -- gate, weights, ranks ------------------------------------------------------------------------

def test_gate_and_equal_weights(mini):
    result = C.evaluate_cream(mini)
    assert table(result) == {
        "MINI-P-01": (True, 4.4, 1), "MINI-P-02": (True, 4.4, 1),    # a tie shares rank 1 ...
        "MINI-P-03": (True, 4.0, 3), "MINI-E-01": (True, 4.0, 3),    # ... and the next rank is 3
        "MINI-S-01": (True, 3.6, 5), "MINI-O-02": (True, 3.0, 6),
        "MINI-O-01": (False, 4.4, None),                             # fails: weighted but not ranked
    }
    assert result.row("MINI-O-01").failing == ("economic",)
    assert result.shares == {k: 0.2 for k in M.CREAM_CRITERIA}
    # passing key figures first (ties: lower cost of collection, then catalogue order), failing last
    assert [r.id for r in result.rows] == ["MINI-P-01", "MINI-P-02", "MINI-E-01", "MINI-P-03", "MINI-S-01", "MINI-O-02", "MINI-O-01"]
    assert result.row("MINI-P-02").cost == 2 and result.row("MINI-O-01").cost == 3 and result.row("MINI-P-01").cost == 1


def test_custom_weights_spread_over_100_points(mini):
    # shares .3 .3 .2 .1 .1, e.g. P-01: .3*5 + .3*4 + .2*5 + .1*3 + .1*5 = 1.5 + 1.2 + 1.0 + 0.3 + 0.5 = 4.5
    result = C.evaluate_cream(mini, weights={"clear": 30, "relevant": 30, "economic": 20, "adequate": 10, "monitorable": 10})
    assert table(result) == {
        "MINI-P-01": (True, 4.5, 1),   # 1.5 + 1.2 + 1.0 + 0.3 + 0.5
        "MINI-P-02": (True, 4.3, 2),   # 1.2 + 1.5 + 0.6 + 0.5 + 0.5
        "MINI-P-03": (True, 4.0, 3),
        "MINI-E-01": (True, 3.9, 4),   # 1.2 + 0.9 + 1.0 + 0.4 + 0.4
        "MINI-S-01": (True, 3.8, 5),   # 0.9 + 1.5 + 0.8 + 0.3 + 0.3
        "MINI-O-02": (True, 3.0, 6),
        "MINI-O-01": (False, 4.4, None),  # 1.5 + 1.5 + 0.4 + 0.5 + 0.5; still fails the gate
    }
    assert result.shares == pytest.approx({"clear": 0.3, "relevant": 0.3, "economic": 0.2, "adequate": 0.1, "monitorable": 0.1})


def test_only_the_ratio_of_weights_counts_and_left_out_weigh_one(mini):
    assert table(C.evaluate_cream(mini, weights={k: 20 for k in M.CREAM_CRITERIA})) == table(C.evaluate_cream(mini))
    # relevant 3, the others 1 (left out): P-01 = (5 + 3*4 + 5 + 3 + 5) / 7 = 30/7
    result = C.evaluate_cream(mini, weights={"relevant": 3})
    assert result.row("MINI-P-01").weighted == pytest.approx(30 / 7, abs=1e-6)
    assert result.shares["relevant"] == pytest.approx(3 / 7)


def test_weights_that_add_up_to_zero_are_refused(mini):
    with pytest.raises(HfspecError) as error:
        C.evaluate_cream(mini, weights={k: 0 for k in M.CREAM_CRITERIA})
    assert [d.code for d in error.value.diagnostics] == ["HF721"]


def test_pass_mark(mini):
    result = C.evaluate_cream(mini, pass_mark=4)
    assert [r.id for r in result.rows if r.passes] == ["MINI-P-03"]  # the only one with every score >= 4
    assert result.row("MINI-P-01").failing == ("adequate",)
    assert result.row("MINI-O-02").failing == M.CREAM_CRITERIA


def test_catalogue_settings_are_inherited_along_extends(tmp_path):
    local = tmp_path / "local.yaml"
    local.write_text(textwrap.dedent(f"""\
        kind: Catalogue
        id: local
        extends: {Path(F._relative(MINI, tmp_path))}
        weights: {{relevant: 3}}
        cream_pass: 4
        """), encoding="utf-8")
    result = C.evaluate_cream(load_project([local]))
    assert result.pass_mark == 4 and result.max_per_goal == 2  # max_per_goal comes from mini
    assert result.shares["relevant"] == pytest.approx(3 / 7)


# -- ratings: median, disagreement, justifications ----------------------------------------------

@pytest.fixture(scope="module")
def workshop(mini):
    return C.evaluate_cream(mini, R.read_ratings([WORKSHOP], mini))


def test_median_of_an_odd_number_of_raters(workshop):
    # MINI-O-02 by Anna 4 4 4 4 4, Bo 2 3 3 3 3, Carl 5 3 3 3 5 → medians 4 3 3 3 4, mean 17/5
    row = workshop.row("MINI-O-02")
    assert row.scores == {"clear": 4, "relevant": 3, "economic": 3, "adequate": 3, "monitorable": 4}
    assert (row.passes, row.weighted) == (True, 3.4)
    assert row.source == {k: "ratings" for k in M.CREAM_CRITERIA}


def test_median_of_an_even_number_of_raters(workshop):
    # MINI-S-01 by Anna 3 5 4 3 3 and Bo 2 5 4 4 3 → medians 2.5 5 4 3.5 3: clear 2.5 < 3 fails
    row = workshop.row("MINI-S-01")
    assert row.scores == {"clear": 2.5, "relevant": 5, "economic": 4, "adequate": 3.5, "monitorable": 3}
    assert (row.passes, row.failing, row.weighted, row.rank) == (False, ("clear",), 3.6, None)


def test_disagreement_is_a_range_of_two_points_or_more(workshop):
    # O-02: clear 2..5 (range 3) and monitorable 3..5 (range 2) are flagged; relevant 3..4 (range 1) is not
    assert workshop.row("MINI-O-02").disagreement == ("clear", "monitorable")
    # S-01: clear 2..3, adequate 3..4: ranges of 1; key figures without ratings are never flagged
    assert workshop.row("MINI-S-01").disagreement == ()
    assert workshop.row("MINI-P-01").disagreement == ()


def test_ratings_file_overrides_the_catalogue_and_keeps_justifications(workshop):
    assert workshop.row("MINI-P-01").source["clear"] == "catalogue"
    clear = workshop.row("MINI-O-02").ratings["clear"]
    assert [(r.rater, r.score, r.justification, r.row) for r in clear] == [
        ("Anna", 4, "Tæller og nævner er klare", 2), ("Bo", 2, "Hvad tæller som ACT?", 7), ("Carl", 5, "", 12)]
    assert workshop.ratings.raters == ["Anna", "Bo", "Carl"]


def test_english_headers_and_criterion_letters(tmp_path, mini):
    path = tmp_path / "r.csv"
    path.write_text("rater,indicator,criterion,score,justification\n" +
                    "".join(f"Eva,MINI-P-03,{c},2,\"too vague, really\"\n" for c in "CREAM"), encoding="utf-8")
    result = C.evaluate_cream(mini, R.read_ratings([path], mini))
    assert result.row("MINI-P-03").scores == {k: 2 for k in M.CREAM_CRITERIA}
    assert result.row("MINI-P-03").ratings["clear"][0].justification == "too vague, really"


@pytest.mark.parametrize("name, expected", [
    ("nøjagtighed", "clear"), ("Relevans", "relevant"), ("omkostningseffektivitet ved indsamling", "economic"),
    ("Tilstrækkelighed", "adequate"), ("objektivitet", "monitorable"), ("M", "monitorable"), ("gyldighed", None)])
def test_criterion_aliases(name, expected):
    assert R.criterion_key(name) == expected


# -- ratings-file diagnostics (a new user's workshop sheet) --------------------------------------

@pytest.fixture(scope="module")
def mistakes(mini):
    with pytest.raises(HfspecError) as error:
        R.read_ratings([MISTAKES], mini)
    return error.value.diagnostics


@pytest.mark.parametrize("row, code, words", [
    (4, "HF709", "the score 7 is outside the scale 1-5"),
    (7, "HF709", "`MINI-P-99` is not a key figure"),
    (8, "HF720", "Bo rated `MINI-O-02` on 4 of 5 criteria; missing: `economic`"),
    (12, "HF709", "`gyldighed` is not a CREAM criterion"),
    (13, "HF709", "the score `høj` is not a number"),
], ids=["score-7", "unknown-id", "missing-criterion", "unknown-criterion", "not-a-number"])
def test_ratings_mistakes_are_located(mistakes, row, code, words):
    found = [d for d in mistakes if d.span is not None and d.span.line == row]
    assert len(found) == 1, render_all_text(mistakes)
    d = found[0]
    assert d.code == code and words in d.text("en")
    assert d.text("en").startswith(f"ratings_mistakes.csv row {row}:")
    assert d.span.file.endswith("ratings_mistakes.csv")
    assert d.span.source.line(row) == MISTAKES.read_text(encoding="utf-8").splitlines()[row - 1]


def test_ratings_mistakes_have_hints_and_carets(mistakes):
    assert len(mistakes) == 5  # one message per problem: the bad score 7 does not also count as a missing criterion
    unknown = next(d for d in mistakes if d.span.line == 7)
    assert "MINI-P-0" in unknown.hint.render("en")
    text = render_all_text(mistakes)
    assert "4 | Anna,MINI-P-01,omkostningseffektivitet,7,Meget billig at indsamle\n  |" in text
    caret = text.split("4 | Anna,MINI-P-01,omkostningseffektivitet,7,")[1].splitlines()[1]
    assert caret.index("^") == len("  | Anna,MINI-P-01,omkostningseffektivitet,")


def test_ratings_mistakes_through_the_cli(run_cli):
    code, output = run_cli(["cream", MINI, "--ratings", MISTAKES, "--lang", "en"])
    assert code == 1
    assert "Traceback" not in output
    assert "error[HF709]: ratings_mistakes.csv row 4" in output and "ratings_mistakes.csv:4:40" in output
    assert "error[HF720]: ratings_mistakes.csv row 8" in output


def test_missing_score_column(tmp_path, mini):
    path = tmp_path / "r.csv"
    path.write_text("bedømmer;nøgletal;kriterium;scroe\nAnna;MINI-P-01;relevans;4\n", encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        R.read_ratings([path], mini)
    (d,) = error.value.diagnostics
    assert d.code == "HF709" and "no column `score`" in d.text("en") and d.span.line == 1 and "scroe" in d.hint.render("en")


def test_rated_twice(tmp_path, mini):
    path = tmp_path / "r.csv"
    rows = [f"Anna,MINI-P-01,{c},4\n" for c in M.CREAM_CRITERIA] + ["Anna,MINI-P-01,relevans,2\n"]
    path.write_text("rater,indicator,criterion,score\n" + "".join(rows), encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        R.read_ratings([path], mini)
    (d,) = error.value.diagnostics
    assert (d.code, d.span.line) == ("HF709", 7) and "twice" in d.text("en") and "row 3" in d.hint.render("en")


# -- coverage of the short list ------------------------------------------------------------------

def test_coverage_of_the_top_three(mini):
    result = C.evaluate_cream(mini, top=3)
    sl = result.shortlist
    # the cut at 3 goes through the tie at rank 3 (P-03 and E-01, 4.0): E-01 has the lower cost of collection
    assert sl.ids == ["MINI-P-01", "MINI-P-02", "MINI-E-01"] and sl.source == "top"
    kinds = [(f.level, f.kind) for f in sl.findings]
    assert kinds == [("note", "tie"), ("fail", "type"), ("fail", "type"), ("fail", "goal"), ("fail", "max_per_goal")]
    texts = [f.text.en for f in sl.findings]
    assert texts[1] == "No outcome key figure on the short list."
    assert texts[2] == "No structure key figure on the short list."
    assert texts[3].startswith("The goal b (Citizens get a home) has no key figure")
    assert texts[4] == "The goal a has 3 key figures (MINI-P-01, MINI-P-02, MINI-E-01); at most 2 (max_per_goal)."
    assert sl.findings[1].hint.en == "best-ranked that passes: MINI-O-02 (3,00)"
    assert sl.findings[4].hint.en == "consider removing the lowest-ranked: MINI-E-01"
    assert not sl.ok


def _select(tmp_path: Path, ids: list[str]):
    local = tmp_path / "local.yaml"
    local.write_text(f"kind: Catalogue\nid: local\nextends: {F._relative(MINI, tmp_path)}\nselect: [{', '.join(ids)}]\n", encoding="utf-8")
    return load_project([local])


def test_coverage_of_a_good_select_list(tmp_path):
    result = C.evaluate_cream(_select(tmp_path, ["MINI-P-01", "MINI-O-02", "MINI-E-01", "MINI-S-01"]))
    sl = result.shortlist
    assert sl.source == "select" and sl.ids == ["MINI-P-01", "MINI-O-02", "MINI-E-01", "MINI-S-01"]
    assert [(f.level, f.kind) for f in sl.findings] == [("ok", "type"), ("ok", "goal"), ("ok", "max_per_goal")]
    assert sl.ok


def test_coverage_flags_a_failing_key_figure_on_the_list(tmp_path):
    result = C.evaluate_cream(_select(tmp_path, ["MINI-P-01", "MINI-O-01", "MINI-E-01", "MINI-S-01"]))
    gate = [f for f in result.shortlist.findings if f.kind == "gate"]
    assert [f.text.en for f in gate] == ["MINI-O-01 fails the CREAM gate (economic 2) but is on the short list."]


def test_top_beats_select_and_fewer_passing_than_top(tmp_path):
    result = C.evaluate_cream(_select(tmp_path, ["MINI-O-01", "MINI-O-02"]), top=5)
    assert result.shortlist.ids == ["MINI-O-02"]
    assert result.shortlist.findings[0].kind == "few_pass"


# -- the workshop sheet (XLSX) round trip --------------------------------------------------------

def _fill(src: Path, dst: Path, scores: dict[str, dict[str, int]], rater: str | None = None, blank_row: bool = False) -> None:
    import openpyxl

    book = openpyxl.load_workbook(src)
    ws = book["Bedømmelser"]
    for row in ws.iter_rows(min_row=2):
        iid, criterion = row[1].value, R.criterion_key(row[4].value)
        if iid in scores:
            row[5].value = scores[iid][criterion]
            row[6].value = f"{iid} {criterion}"
            if rater:
                row[0].value = rater
    if blank_row:
        ws.insert_rows(3)
    book.save(dst)


def test_workshop_sheet_round_trip(tmp_path, run_cli):
    import openpyxl

    sheet = tmp_path / "workshop.xlsx"
    code, output = run_cli(["cream", MINI, "--format", "xlsx", "--out", sheet])
    assert code == 0, output
    book = openpyxl.load_workbook(sheet)
    assert book.sheetnames[:2] == ["Bedømmelser", "Kriterier"]
    rows = list(book["Bedømmelser"].iter_rows(values_only=True))
    assert rows[0] == ("bedømmer", "nøgletal", "titel", "type", "kriterium", "score", "begrundelse")
    assert len(rows) == 1 + 7 * 5 and rows[1][1] == "MINI-P-01" and rows[1][5] is None
    assert "omkostningseffektivitet ved indsamling" in " ".join(str(r[3]) for r in book["Kriterier"].iter_rows(values_only=True)).lower()

    # two participants fill in their own copy; Anna leaves the rater column empty (the file name is used)
    _fill(sheet, tmp_path / "anna.xlsx", {"MINI-P-03": dict(zip(M.CREAM_CRITERIA, [4, 2, 4, 4, 4]))}, blank_row=True)
    _fill(sheet, tmp_path / "bo.xlsx", {"MINI-P-03": dict(zip(M.CREAM_CRITERIA, [5, 5, 4, 4, 1]))}, rater="Bo")
    code, output = run_cli(["cream", MINI, "--ratings", tmp_path / "anna.xlsx", "--ratings", tmp_path / "bo.xlsx", "--format", "json"])
    assert code == 0, output
    data = json.loads(output)
    p03 = next(i for i in data["indicators"] if i["id"] == "MINI-P-03")
    # medians of two raters: (4+5)/2, (2+5)/2, 4, 4, (4+1)/2 → 4.5 3.5 4 4 2.5: monitorable fails
    assert [p03[k] for k in M.CREAM_CRITERIA] == [4.5, 3.5, 4, 4, 2.5]
    assert p03["passes"] is False and p03["failing"] == ["monitorable"]
    assert p03["disagreement"] == ["relevant", "monitorable"]  # 2..5 and 1..4
    assert data["ratings"]["raters"] == ["anna", "Bo"]
    assert p03["ratings"]["clear"][0] == {"rater": "anna", "score": 4, "justification": "MINI-P-03 clear", "file": str(tmp_path / "anna.xlsx"), "row": 13}  # row 3 is the inserted blank row


def test_workshop_sheet_diagnostics_give_the_excel_row(tmp_path, run_cli, mini):
    import openpyxl

    sheet = tmp_path / "workshop.xlsx"
    run_cli(["cream", MINI, "--format", "xlsx", "--out", sheet])
    _fill(sheet, tmp_path / "bad.xlsx", {"MINI-P-03": dict(zip(M.CREAM_CRITERIA, [4, 7, 4, 4, 4]))}, rater="Anna", blank_row=True)
    book = openpyxl.load_workbook(tmp_path / "bad.xlsx")
    excel_row = next(r[0].row for r in book["Bedømmelser"].iter_rows(min_row=2) if r[5].value == 7)
    with pytest.raises(HfspecError) as error:
        R.read_ratings([tmp_path / "bad.xlsx"], mini)
    (d,) = error.value.diagnostics
    assert (d.code, d.span.line) == ("HF709", excel_row) and d.text("en").startswith(f"bad.xlsx row {excel_row}:")
    assert d.span.source.line(excel_row).startswith("Anna,MINI-P-03,Borgere i ICM,proces,relevans,7,")


# -- the CLI -------------------------------------------------------------------------------------

def test_cli_text_table(run_cli):
    code, output = run_cli(["cream", MINI, "--ratings", WORKSHOP, "--top", "3"])
    assert code == 0, output
    lines = output.splitlines()
    first = next(line for line in lines if "MINI-P-01" in line)
    assert first.split()[:3] == ["1", "*", "MINI-P-01"] and "4,40" in first and "lav" in first and "består" in first
    failing = next(line for line in lines if "MINI-S-01" in line)
    assert failing.split()[0] == "–" and "består ikke: nøjagtighed 2,5" in failing
    assert "C 2–5, M 3–5" in next(line for line in lines if "MINI-O-02" in line)
    assert "  ✗ Ingen strukturnøgletal på den korte liste." in lines
    assert any("Bo: 2 – Hvad tæller som ACT?" in line for line in lines)


def test_cli_csv_and_weights(run_cli):
    code, output = run_cli(["cream", MINI, "--format", "csv", "--weights", "nøjagtighed=30,relevans=30,economic=20,adequate=10,monitorable=10"])
    assert code == 0, output
    header, first, *_ = output.splitlines()
    assert header.startswith("rank,id,title,type,goal,passes,failing,weighted_score,clear,relevant,economic,adequate,monitorable")
    assert first.startswith("1,MINI-P-01,Borgere visiteret,process,a,true,,4.5,5,4,5,3,5,lav,")


@pytest.mark.parametrize("weights", ["clear=abc", "klarhed=3", "clear"])
def test_cli_bad_weights_are_usage_errors(run_cli, weights):
    code, output = run_cli(["cream", MINI, "--weights", weights])
    assert code == 2 and "--weights" in output


def test_shortlist_of_the_national_catalogue_validates_and_runs(tmp_path, run_cli):
    code, output = run_cli(["cream", "--top", "10", "--write-shortlist", "local.yaml"], cwd=tmp_path)
    assert code == 0, output
    text = (tmp_path / "local.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and "catalogue.schema.json" in text.splitlines()[0]
    assert "\nextends: national\n" in text and "\nkind: Catalogue\n" in text
    assert "\nweights: {clear: 1, relevant: 1, economic: 1, adequate: 1, monitorable: 1}\ncream_pass: 3\n" in text
    project = load_project([tmp_path / "local.yaml"])
    assert len(project.indicators) == 10 and project.catalogue.title.da and project.catalogue.title.en
    code, output = run_cli(["validate", "local.yaml"], cwd=tmp_path)
    assert code == 0, output
    code, output = run_cli(["eval", "local.yaml"], cwd=tmp_path)
    assert code == 0, output
    assert list(project.indicators)[0] in output


def test_shortlist_of_another_catalogue_extends_it_by_relative_path(tmp_path, run_cli):
    out = tmp_path / "sub" / "kort liste.yaml"
    out.parent.mkdir()
    code, output = run_cli(["cream", MINI, "--ratings", WORKSHOP, "--top", "4", "--write-shortlist", out])
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert f"extends: {F._relative(MINI, out.parent)}" in text and "id: kort-liste" in text
    assert "ratings_workshop.csv" in text and "3 raters" in text
    assert load_project([out]).indicators.keys() == {"MINI-P-01", "MINI-P-02", "MINI-E-01", "MINI-P-03"}


# -- templates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html"])
def test_partial_templates(mini, fmt):
    from hfspec.render.jinja_env import build_environment

    context = C.cream_context(mini, R.read_ratings([WORKSHOP], mini), "da", top=3)
    assert json.loads(json.dumps(context)) == context  # plain data only
    env = build_environment(None, "da", [C.TEMPLATES])
    text = env.from_string(f'{{% include "cream_section.{fmt}.j2" %}}').render(cream_ranking=context)
    assert "CREAM-prioritering" in text and "MINI-P-01" in text and "består ikke: nøjagtighed 2,5" in text
    assert "Ingen strukturnøgletal på den korte liste." in text and "Hvad tæller som ACT?" in text
    assert env.from_string(f'{{% include "cream_section.{fmt}.j2" %}}').render().strip() == ""


def test_context_in_english(mini):
    context = C.cream_context(mini, lang="en")
    assert context["title"] == "CREAM prioritisation"
    assert context["rows"][0]["gate_text"] == "passes" and context["criteria"][2]["label"] == "Economic"
    assert context["shortlist"]["label"] == "the 10 best-ranked that pass"


def test_a_blank_score_in_a_half_filled_sheet_is_a_missing_criterion(tmp_path, mini):
    path = tmp_path / "r.csv"
    path.write_text("bedømmer,nøgletal,kriterium,score\n" + "".join(
        f"Anna,MINI-P-01,{c},{'' if c == 'economic' else 4}\n" for c in M.CREAM_CRITERIA), encoding="utf-8")
    with pytest.raises(HfspecError) as error:
        R.read_ratings([path], mini)
    (d,) = error.value.diagnostics
    assert (d.code, d.span.line) == ("HF720", 2) and "missing: `economic`" in d.text("en")


def test_danish_excel_csv_in_windows_1252(tmp_path, mini):
    path = tmp_path / "r.csv"
    text = "Bedømmer;Nøgletal;Kriterium;Score;Begrundelse\r\n" + "".join(
        f"Åse;MINI-P-03;{c};3,5;Måles ved hver status\r\n" for c in ("nøjagtighed", "relevans", "omkostningseffektivitet", "tilstrækkelighed", "objektivitet"))
    path.write_bytes(text.encode("cp1252"))
    result = C.evaluate_cream(mini, R.read_ratings([path], mini))
    row = result.row("MINI-P-03")
    assert row.scores == {k: 3.5 for k in M.CREAM_CRITERIA} and row.ratings["relevant"][0].rater == "Åse"
    assert row.ratings["relevant"][0].justification == "Måles ved hver status"


def test_english_workshop_sheet_reads_back(tmp_path, run_cli, mini):
    import openpyxl

    sheet = tmp_path / "ws.xlsx"
    assert run_cli(["cream", MINI, "--format", "xlsx", "--out", sheet, "--lang", "en"])[0] == 0
    book = openpyxl.load_workbook(sheet)
    assert book.sheetnames == ["Ratings", "Criteria", "Ranking"]
    for row in book["Ratings"].iter_rows(min_row=2):
        if row[1].value == "MINI-O-02":
            row[0].value, row[5].value = "Eve", 5
    book.save(sheet)
    result = C.evaluate_cream(mini, R.read_ratings([sheet], mini))
    assert result.row("MINI-O-02").scores == {k: 5 for k in M.CREAM_CRITERIA}
