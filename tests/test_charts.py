"""The SVG charts (hfspec/render/charts.py): value axes that do not mislead, Danish numbers, text
that stays text, well-formed and deterministic SVG, and a real headless browser that draws them."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfspec.render import charts
from hfspec.render.charts import bar_chart, line_chart, nice_step, tornado_chart, value_axis

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "$\\frac{1}{$ <script>alert(1)</script> & \"co\" 'x'"
EXPONENT = re.compile(r"\d[eE][+-]?\d")


def value_ticks(svg: str, cls: str = "value-tick") -> list[str]:
    """The labels of the value axis, as the XML text says them."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == cls]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def parse_number(label: str) -> float:
    """A Danish tick label (`1.250,5`, `40 %`, `-2`) as a number."""
    return float(label.replace(" %", "").replace(".", "").replace(",", "."))


def sample_charts(lang: str = "da") -> dict[str, str]:
    """One chart of every kind and unit the callers use."""
    years = [2019, 2020, 2021]
    return {
        "count line": line_chart({"Haderslev": [(y, v) for y, v in zip(years, [95, 82, 101])],
                                  "Vejle": [(y, v) for y, v in zip(years, [69, None, 75])]}, "Udvikling", ylabel="borgere",
                                 unit="citizens", lang=lang, legend_below=True),
        "share line": line_chart({"a": [(y, 1.0) for y in years]}, "Andel", ylabel="andel", unit="share", lang=lang),
        "percent line": line_chart({"a": [(y, 0.045) for y in years]}, "Andel", percent=True, lang=lang),
        "kr line": line_chart({"i alt": [(y, v) for y, v in zip(range(1, 11), [-958_229, -1_414_128, -1_370_106, -201_527, 1_089_428,
                                                                              2_215_457, 3_153_666, 3_892_936, 4_490_146, 4_953_226])]},
                              "Akkumuleret", xlabel="år", zero_line=True, unit="kr", lang=lang),
        "small kr line": line_chart({"x": [(1, 125_000.0), (2, 250_000.0)]}, "Kroner", unit="kr", lang=lang),
        "days line": line_chart({"x": [("2021-H1", 481.5), ("2021-H2", 499.25)]}, "Dage", ylabel="dage", unit="days", lang=lang),
        "share bars": bar_chart(["Før", "Under", "Efter"], {"Haderslev": [0.0957, 0.8246, 0.55], "Vejle": [None, 0.7467, 0.8182]},
                                "Før, under og efter", ylabel="andel", unit="share", lang=lang, legend_below=True, missing_label="diskr."),
        "count bars": bar_chart(["Før", "Under", "Efter"], {"alle": [218, 101, 21]}, "Før, under og efter", ylabel="borgere",
                                unit="citizens", lang=lang),
        "dbl": bar_chart(["Fase 1", "Fase 2", "Fase 3"], {"Forventet": [0.52, 0.87, 1.0], "Faktisk": [1.17, 1.67, 1.79]}, "Tid",
                         ylabel="Tid brugt af planen", percent=True, lines={"Forventet mål": [6, 8, 11], "Faktisk mål": [7, 10, 13]},
                         line_label="WHO-5", reference=1.0, line_range=(0, 25), legend_below=True, lang=lang),
        "tornado": tornado_chart([("Succesrate", 2_552_258, 7_354_194), ("Dødvægt", 5_894_782, 3_540_892)], 4_953_226,
                                 "Følsomhed", unit="kr", lang=lang),
    }


# --- value axes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [k for k in sample_charts() if k != "tornado"])
def test_counts_shares_and_kroner_start_at_zero(name):
    labels = value_ticks(sample_charts()[name])
    numbers = [parse_number(x) for x in labels]
    assert 0 in numbers and numbers == sorted(numbers), labels


@pytest.mark.parametrize("values, top", [
    ([1.0, 1.0], "100 %"),      # all 100 %: a flat line at the top of 0–100 %, not a line in 96–104
    ([0.42, 0.61], "100 %"),    # at least one value from 50 %: the whole scale
    ([0.48], "50 %"),           # far below 100 %: the axis ends at the first tick above the data
    ([0.02, 0.08], "8 %"),
    ([0.52, 1.79], "200 %"),    # more than the whole plan
    ([None, None], "100 %"),    # nothing to show: the empty scale
], ids=["flat-100", "mixed", "below-half", "small", "above-100", "empty"])
def test_share_axis_rule(values, top):
    labels = value_ticks(line_chart({"a": list(enumerate(values))}, "t", unit="share"))
    assert labels[0] == "0 %" and labels[-1] == top, labels


def test_ticks_are_nice_steps():
    for svg in sample_charts().values():
        numbers = [parse_number(x) for x in value_ticks(svg)]
        steps = {round(b - a, 9) for a, b in zip(numbers, numbers[1:])}
        assert len(steps) == 1, numbers
        mantissa = f"{steps.pop():e}".split("e")[0]
        assert mantissa in ("1.000000", "2.000000", "5.000000"), numbers


def test_danish_and_english_numbers():
    da, en = sample_charts("da"), sample_charts("en")
    assert value_ticks(da["kr line"])[:3] == ["-2", "0", "2"] and "mio. kr." in texts(da["kr line"])
    assert "DKK million" in texts(en["kr line"])
    assert "250.000" in value_ticks(da["small kr line"]) and "kr." in texts(da["small kr line"])
    assert "250,000" in value_ticks(en["small kr line"]) and "DKK" in texts(en["small kr line"])
    small_shares = line_chart({"x": [(1, 0.003), (2, 0.012)]}, "t", unit="share")
    assert value_ticks(small_shares) == ["0,0 %", "0,2 %", "0,4 %", "0,6 %", "0,8 %", "1,0 %", "1,2 %"]  # one step, one number of decimals
    unitless = line_chart({"x": [(1, 0.5), (2, 2.5)]}, "t")  # no unit: the axis fits the data
    assert "0,5" in value_ticks(unitless) and "2,5" in value_ticks(unitless) and "0" not in value_ticks(unitless)
    assert "0.5" in value_ticks(line_chart({"x": [(1, 0.5), (2, 2.5)]}, "t", lang="en"))
    assert value_ticks(da["tornado"]) == ["2", "4", "6", "8"] and "mio. kr." in texts(da["tornado"])
    assert value_ticks(bar_chart(["a"], {"x": [3092.0]}, "t", unit="citizens")) == ["0", "1.000", "2.000", "3.000", "4.000"]


@pytest.mark.parametrize("values", [[1e20, 3e20], [1e-7, 4e-7], [-5e13, 2e13], [123456789.0]], ids=["huge", "tiny", "negative", "one"])
@pytest.mark.parametrize("unit", [None, "citizens", "kr", "share"])
def test_no_exponent_labels(values, unit):
    svg = line_chart({"x": list(enumerate(values))}, "t", unit=unit)
    labels = value_ticks(svg)
    assert labels and not [x for x in labels if EXPONENT.search(x) or "e+" in x], labels


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-1e12, 1e12)), min_size=1, max_size=12),
       st.sampled_from([None, "citizens", "kr", "share"]), st.integers(2, 6))
def test_value_axis_covers_the_data(values, unit, intervals):
    axis = value_axis(values, unit, "da", intervals)
    data = [v for v in values if v is not None]
    assert axis.lo < axis.hi and axis.ticks[0] == axis.lo and axis.ticks[-1] == axis.hi
    slack = (axis.hi - axis.lo) * 1e-9  # a value a hair beyond a tick (float noise) counts as on it
    assert all(axis.lo - slack <= v <= axis.hi + slack for v in data)
    assert len(axis.ticks) - 1 <= intervals
    if unit is not None:
        assert 0.0 in axis.ticks
    if unit == "share":
        assert axis.hi >= 1.0 - slack or max(data, default=0.0) < charts.SHARE_FULL_FROM
    assert not [x for x in axis.labels if EXPONENT.search(x)]


def test_nice_step():
    assert [nice_step(s, 5) for s in (1, 7, 62, 0.3, 250_000, 1e-7)] == [0.2, 2, 20, 0.1, 50_000, 2e-8]


def test_fixed_second_axis():
    svg = sample_charts()["dbl"]
    assert value_ticks(svg, "value-tick2") == ["0", "5", "10", "15", "20", "25"]
    assert value_ticks(svg)[-1] == "200 %" and svg.count('<rect class="bar"') == 6 and svg.count('class="reference"') == 1


# --- text stays text -----------------------------------------------------------------------------

def test_hostile_text_is_escaped_everywhere():
    made = [
        line_chart({HOSTILE: [(HOSTILE, 1.0), ("b", 2.0)], "b": [("b", 1.0)]}, HOSTILE, ylabel=HOSTILE, xlabel=HOSTILE, unit="citizens"),
        bar_chart([HOSTILE, "b"], {HOSTILE: [1.0, None], "x": [2.0, 3.0]}, HOSTILE, ylabel=HOSTILE, lines={HOSTILE: [1, 2]},
                  line_label=HOSTILE, missing_label=HOSTILE, unit="share"),
        tornado_chart([(HOSTILE, 1.0, 3.0)], 2.0, HOSTILE, xlabel=HOSTILE, labels=(HOSTILE, HOSTILE), unit="kr"),
    ]
    for svg in made:
        assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg
        root = ET.fromstring(svg)  # well-formed XML: nothing unescaped
        assert root.get("role") == "img" and root.get("aria-label").startswith("$\\frac{1}{$ <script>")
        assert root.find(f"{SVG}title").text.startswith("$\\frac{1}{$ <script>")
        assert any(t.startswith("$\\frac{1}{$") for t in texts(svg))  # drawn as the characters it is


def test_characters_xml_cannot_hold_are_dropped():
    svg = line_chart({"a\x00b\x1b": [(1, 1.0)], "c": [(1, 2.0)]}, "ti\x07tle\ud800", unit="citizens")
    root = ET.fromstring(svg)  # well-formed: no control characters, no lone surrogates
    assert root.get("aria-label") == "title" and "ab" in texts(svg)


def test_long_labels_are_cut_or_wrapped():
    long = "Akkumuleret nettoresultat for kommune, region og stat i hele perioden fra det første år til horisonten " * 3
    svg = line_chart({long: [(long, 1.0)]}, long, unit="citizens", width=3.4, height=1.6)
    drawn = [t for t in texts(svg)]
    assert all(charts.text_width(t, charts.TITLE_SIZE) <= 3.4 * 72 for t in drawn)
    assert any(t.endswith("…") for t in drawn) and ET.fromstring(svg).find(f"{SVG}title").text == " ".join(long.split())


# --- the SVG itself ------------------------------------------------------------------------------

def test_same_input_same_bytes_and_distinct_ids():
    first, again = sample_charts(), sample_charts()
    assert first == again
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in first.values()]
    every = [i for group in ids for i in group]
    assert len(every) == len(set(every))  # two charts on one page never share an id
    for svg in first.values():
        for ref in re.findall(r"url\(#([^)]+)\)", svg):
            assert f'id="{ref}"' in svg


def test_markers_and_hatches_tell_series_apart():
    assert len({charts.marker(shape, 0, 0, "#000") for shape in charts.MARKERS}) == len(charts.MARKERS) == 8
    series = {f"s{i}": [(1, i + 1.0), (2, i + 2.0)] for i in range(8)}
    svg = line_chart(series, "t", unit="citizens")
    assert svg.count('<path class="marker"') == 16 + 8 and len(set(re.findall(r'class="line"[^>]* stroke="([^"]+)"', svg))) == 8
    bars = bar_chart(["a"], {f"s{i}": [1.0] for i in range(6)}, "t", unit="citizens")
    fills = re.findall(r'<rect class="bar"[^>]* fill="([^"]+)"', bars)
    assert len(set(fills)) == 6 and sum(f.startswith("url(#") for f in fills) == 5


def test_charts_in_a_real_browser(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set: the browser test must run in CI")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    made = sample_charts()
    page = tmp_path / "charts.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><style>figure{width:460px;margin:4px;display:inline-block}"
                    "svg{width:100%;height:auto}</style></head><body>"
                    + "".join(f"<figure>{svg}</figure>" for svg in made.values()) + "</body></html>", encoding="utf-8")
    alone = tmp_path / "alone.svg"  # a chart is also a file of its own (the SØM Markdown embeds it as a data URI)
    alone.write_text(made["dbl"], encoding="utf-8")
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == len(made) and dom.stdout.count('<rect class="bar"') >= 12
    for target, shot in ((page, tmp_path / "page.png"), (alone, tmp_path / "alone.png")):
        run = subprocess.run([*base, f"--screenshot={shot}", "--window-size=1000,1400", target.as_uri()], capture_output=True, text=True,
                             timeout=180)
        assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
        assert distinct_bytes(shot) > 64  # axes, text, bars and colours, not an empty page
        assert not [line for line in run.stderr.splitlines() if "Uncaught" in line or "ERROR:CONSOLE" in line]


def distinct_bytes(path: Path) -> int:
    """How varied the decoded image data is (an empty page has a handful of distinct bytes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


def test_doctests():
    failures, tried = doctest.testmod(charts)
    assert failures == 0 and tried > 0


TARGET_CASES = {
    "line, at most": (lambda: line_chart({"a": [(2020, 0.1), (2021, 0.2)]}, "Andel", unit="share", target=(0.4, None),
                                         target_label="mål: højst 40 %"), [0.4]),
    "bars, between": (lambda: bar_chart(["Før", "Efter"], {"alle": [0.95, 1.02]}, "Tid", unit="share", target=(0.9, 1.1),
                                        target_label="mål: mellem 90 % og 110 %"), [0.9, 1.1]),
    "count far above the data": (lambda: line_chart({"a": [(2020, 3), (2021, 4)]}, "Sager", unit="cases", target=(10, None),
                                                    target_label="mål: mindst 10"), [10]),
}


@pytest.mark.parametrize("make, bounds", TARGET_CASES.values(), ids=TARGET_CASES.keys())
def test_targets_are_drawn_on_an_axis_that_holds_them(make, bounds):
    """A key figure's target is a dashed line (a band for `between`) inside the value axis, named
    in the legend; zero stays on the axis."""
    svg = make()
    root = ET.fromstring(svg)
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]
    assert len([p for p in group.iter(f"{SVG}path") if p.get("stroke-dasharray")]) == len(bounds)
    assert bool(list(group.iter(f"{SVG}rect"))) == (len(bounds) == 2)
    ticks = [parse_number(x) / (100 if x.endswith("%") else 1) for x in value_ticks(svg)]
    assert ticks[0] == 0 and all(ticks[0] <= b <= ticks[-1] for b in bounds)
    assert any(t.startswith("mål:") for t in texts(svg))  # the legend names it


def test_no_target_no_legend_for_one_series():
    svg = line_chart({"a": [(2020, 1), (2021, 2)]}, "Sager", unit="cases")
    assert 'class="legend"' not in svg and 'class="target"' not in svg
