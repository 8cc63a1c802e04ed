"""`hfspec report` comparing municipalities, as the seed's five municipalities compared themselves:
each key figure's headline per municipality beside the overall value, with disclosure control on
every cell – from data folders (read together, ids kept apart), from one data folder with a
`kommune` column, or from runs stored in a shared history file.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("Haderslev", "Køge", "Vejle")


def municipality(name: str, seed: int, citizens: int, out: Path) -> Path:
    """One municipality's own data folder: the demo generator's data with every course in `name`
    (and its own housing market only). Its ids (B001, M01, ...) are the same text as the other
    municipalities' – as they would be – but not the same people."""
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "demo" / "generate.py"), "--citizens", str(citizens), "--seed", str(seed),
                          "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for dataset, keep in (("borgere", None), ("boligmarked", name)):
        path = out / f"{dataset}.csv"
        rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if keep is None or r["kommune"] == keep]
        for r in rows:
            r["kommune"] = name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("kommuner")
    return [municipality(name, 10 + i, 40, base / name.lower()) for i, name in enumerate(NAMES)]


def cli(args, expect: int = 0, cwd: Path | None = None) -> str:
    import os

    from click.testing import CliRunner

    from hfspec.cli import main

    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == expect, result.output[-3000:]
    return result.output


def table(page: str) -> dict[str, dict[str, str]]:
    """The comparison section as {key figure: {municipality: cell text}}."""
    section = page[page.index('id="compare"'):]
    section = section[:section.index("</section>")]
    out: dict[str, dict[str, str]] = {}
    for iid, row in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', section, re.S):
        for unit, text in re.findall(r'<td class="r[^"]*" data-unit="([^"]+)"[^>]*>(.*?)</td>', row, re.S):
            out.setdefault(iid, {})[html.unescape(unit)] = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
    return out


def number(text: str) -> float:
    return float(text.split()[0].replace(".", "").replace(",", "."))


def test_three_municipalities_from_their_data_folders(folders, tmp_path):
    page = tmp_path / "sammenligning.html"
    cli(["report", ROOT / "catalog", folders[0], "--compare", folders[1], "--compare", folders[2], "--out", page])
    text = page.read_text(encoding="utf-8")
    cells = table(text)
    assert set(cells["HF-P-01"]) == {*NAMES, "overall"}
    # no hidden cell of the page, the comparison's included, can be worked out (overall minus the others)
    assert "ingen kan regnes ud" in cli(["audit", page])
    # the overall value is computed from the rows of all three: 3 × 40 different citizens, although
    # each folder's ids are B001..B040 – a union that merged equal ids would count 40
    assert [number(cells["HF-P-01"][n]) for n in NAMES] == [40, 40, 40] and number(cells["HF-P-01"]["overall"]) == 120
    # each municipality's column has its own small cells hidden, as in its own report
    for name in NAMES:
        hidden = [iid for iid, row in cells.items() if row[name] == "(diskr.)"]
        assert hidden, name
    # and no citizen or worker id (with or without the folder's prefix) reaches the page
    ids = {r["borger_id"] for f in folders for r in csv.DictReader((f / "borgere.csv").open(encoding="utf-8"))}
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]


def test_one_folder_compared_by_its_kommune_column(tmp_path):
    """The demo data holds five municipalities: compared by `kommune`, the overall value of every key
    figure is its headline in the report itself (the same data, the same cell)."""
    from hfspec.report.build import build_report, report_specs
    from hfspec.session import Session, Settings

    with Session(None, None, Settings(), specs=report_specs()) as session:
        context, _ = build_report(session, charts=False, compare_by="kommune")
    compare = context["compare"]
    assert [u["label"] for u in compare["units"]] == ["Haderslev", "Helsingør", "København", "Køge", "Vejle"]
    heads = {k["id"]: k["headline"]["value_text"] for k in context["indicators"]}
    for kf in compare["indicators"]:
        assert kf["overall"]["text"] == heads[kf["id"]], kf["id"]
    suppressed = {u["label"]: sum(kf["cells"][i]["suppressed"] for kf in compare["indicators"]) for i, u in enumerate(compare["units"])}
    assert suppressed["København"] > 0  # 20 citizens: several of its cells are small


def test_compare_from_stored_runs(folders, tmp_path):
    store = tmp_path / "fælles.duckdb"
    for name, folder in zip(NAMES, folders):
        cli(["eval", ROOT / "catalog", folder, "--store", store, "--label", name])
    page = tmp_path / "historik.html"
    cli(["report", ROOT / "catalog", folders[0], "--compare-history", store, "--out", page])
    text = page.read_text(encoding="utf-8")
    cells = table(text)
    assert set(cells["HF-P-01"]) == set(NAMES) and [number(cells["HF-P-01"][n]) for n in NAMES] == [40, 40, 40]
    assert "Intet samlet tal (ikke gemt)" in text  # an overall value is never added up from stored cells
    for name in NAMES:
        assert any(row[name] == "(diskr.)" for row in cells.values()), name
    output = cli(["report", ROOT / "catalog", folders[0], "--compare-history", store, "--overall", "Alle", "--out", page], expect=1)
    assert "HF806" in output and "Haderslev" in output
    output = cli(["report", ROOT / "catalog", folders[0], "--overall", "Alle", "--out", page], expect=2)
    assert "--overall kræver --compare-history" in output


def test_unknown_comparison_column(tmp_path):
    output = cli(["report", "--compare-by", "komune", "--out", tmp_path / "x.html"], expect=1)
    assert "HF805" in output and "mente du `kommune`" in output


def test_comparison_in_the_workbook_and_on_a4(folders, tmp_path):
    import openpyxl

    book = tmp_path / "sammenligning.xlsx"
    cli(["report", ROOT / "catalog", folders[0], "--compare", folders[1], "--compare", folders[2], "--out", book])
    ws = openpyxl.load_workbook(book)["Sammenligning"]
    header = [c.value for c in ws[1]]
    assert header[3:] == [*NAMES, "Alle", "hfspec-celle"]  # the last column (hidden): the cells as data for `hfspec audit`
    assert ws.column_dimensions["H"].hidden
    rows = list(ws.iter_rows(min_row=2))
    hidden = [c for r in rows for c in r[3:] if c.fill.fgColor.rgb.endswith("DDDDDD")]
    assert hidden and all(c.value is None and c.comment is not None for c in hidden)  # empty, grey, explained
    assert all(isinstance(c.value, (int, float, type(None))) for r in rows if r[0].value for c in r[3:-1])
    assert ws.auto_filter.ref.startswith("A1:")
    if shutil.which("chromium"):
        from a4 import measure
        from browser import chromium

        page = tmp_path / "sammenligning.html"
        cli(["report", ROOT / "catalog", folders[0], "--compare", folders[1], "--compare", folders[2], "--out", page])
        assert measure(page, chromium(tmp_path / "chromium"), tmp_path)["overflow"] == []
