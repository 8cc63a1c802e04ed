"""Hostile or broken spec files end in diagnostics, never in a crash, a hang or a read of a file
outside the project: control characters, a huge file, include patterns that leave the catalogue's
folder or go round a symbolic link loop (issue 20)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from hfspec.diagnostics import HfspecError, render_text
from hfspec.spec.project import load_project
from hfspec.spec.yamlsource import MAX_YAML_BYTES

DATASET = "kind: Dataset\nid: x\ncolumns: {a: {type: string}}\n"


def _codes(paths) -> list[str]:
    with pytest.raises(HfspecError) as caught:
        load_project(paths)
    return [d.code for d in caught.value.diagnostics]


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x9b", "\ufffe"])
@pytest.mark.parametrize("where", ["value", "comment", "quoted"])
def test_a_control_character_anywhere_is_hf114_at_its_position(tmp_path, char, where):
    line = {"value": f"id: x{char}y", "comment": f"id: x  # {char}", "quoted": f'id: "x{char}"'}[where]
    (tmp_path / "a.yaml").write_text(DATASET.replace("id: x", line), encoding="utf-8")
    with pytest.raises(HfspecError) as caught:
        load_project([tmp_path / "a.yaml"], standard=False)
    [d] = caught.value.diagnostics
    assert d.code == "HF114" and d.span.line == 2 and d.span.source.line(2)[d.span.col - 1] == char
    shown = render_text(d, color=False)
    assert char not in shown  # drawn as a visible symbol, never sent to the terminal


def test_a_spec_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # a sparse file: 1.2 GB that takes no disk and no time to write
        handle.write(DATASET.encode())
        handle.truncate(1_200_000_000)
    assert big.stat().st_size > MAX_YAML_BYTES
    assert _codes([big]) == ["HF109"]


@pytest.mark.parametrize("pattern", ["/etc/*.yaml", "/*.yaml", "C:/x/*.yaml", "\\\\server\\share\\*.yaml"])
def test_an_absolute_include_pattern_is_hf314(tmp_path, pattern):
    """`include: ["/etc/*.yaml"]` crashed (pathlib refuses absolute patterns)."""
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "c.yaml").write_text(f"kind: Catalogue\nid: c\ntitle: c\ninclude: [{pattern!r}]\n", encoding="utf-8")
    (tmp_path / "x.yaml").write_text(DATASET, encoding="utf-8")
    assert _codes([tmp_path / "k" / "c.yaml"]) == ["HF316"]


def test_an_include_pattern_may_go_up_to_shared_files(tmp_path):
    (tmp_path / "faelles").mkdir()
    (tmp_path / "faelles" / "i.yaml").write_text("kind: Indicator\nid: HF-X-01\ntitle: x\ntype: process\ndataset: borgere\nmeasure: count()\n",
                                                encoding="utf-8")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "c.yaml").write_text('kind: Catalogue\nid: c\ntitle: c\ninclude: ["../faelles/*.yaml"]\n', encoding="utf-8")
    assert list(load_project([tmp_path / "k" / "c.yaml"]).compiled) == ["HF-X-01"]


@pytest.mark.parametrize("pattern", ["**/*.yaml", "d/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*.yaml"])
def test_an_include_through_a_symbolic_link_loop_is_hf315(tmp_path, pattern):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "self").symlink_to("../d")
    (tmp_path / "d" / "i.yaml").write_text("kind: Indicator\nid: HF-X-01\ntitle: x\ntype: process\ndataset: borgere\nmeasure: count()\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(f"kind: Catalogue\nid: c\ntitle: c\ninclude: [{pattern!r}]\n", encoding="utf-8")
    assert _codes([tmp_path / "c.yaml"]) == ["HF317"]
    assert _codes([tmp_path]) == ["HF317"]  # the folder given on the command line


def test_links_that_do_not_loop_are_followed(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "i.yaml").write_text("kind: Indicator\nid: HF-X-01\ntitle: x\ntype: process\ndataset: borgere\nmeasure: count()\n", encoding="utf-8")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "kf").symlink_to(tmp_path / "real")
    (tmp_path / "k" / "c.yaml").write_text(dedent("""\
        kind: Catalogue
        id: c
        title: c
        include: ["kf/*.yaml", "**/*.yaml"]
        """), encoding="utf-8")
    assert list(load_project([tmp_path / "k" / "c.yaml"]).compiled) == ["HF-X-01"]


def test_validate_reports_hostile_specs_without_a_traceback(tmp_path, run_cli):
    (tmp_path / "a.yaml").write_text("kind: Catalogue\nid: c\ntitle: c\ninclude: [\"/etc/*.yaml\"]\n# \x1b]0;owned\x07\n", encoding="utf-8")
    code, output = run_cli(["validate", tmp_path / "a.yaml"])
    assert code == 1 and "HF114" in output and "\x1b" not in output and "Traceback" not in output


NUMBERS = {
    "integer literal above 2^63": ("measure: count(where alder < 99999999999999999999)", "{}", "HF444"),
    "parameter above 2^63": ("measure: count(where alder < param.huge)", "{huge: 99999999999999999999}", "HF444"),
    "rounding digits": ("measure: round(mean(alder), 99999999999)", "{}", "HF445"),
    "rounding digits from a parameter": ("measure: round(mean(alder), param.digits)", "{digits: 400}", "HF445"),
    "400-digit decimal literal": ("measure: count(where alder < " + "9" * 400 + ".5)", "{}", "HF444"),
}


@pytest.mark.parametrize("measure, params, code", NUMBERS.values(), ids=NUMBERS.keys())
def test_numbers_beyond_what_duckdb_computes_are_refused_by_validate(tmp_path, run_cli, measure, params, code):
    """`validate` said ok and `eval` failed inside DuckDB (exit 2); now both say why, with exit 1."""
    (tmp_path / "c.yaml").write_text(dedent("""\
        kind: Catalogue
        id: c
        title: c
        params: PARAMS
        ---
        kind: Indicator
        id: HF-X-01
        title: x
        type: process
        dataset: borgere
        """).replace("PARAMS", params) + measure + "\n", encoding="utf-8")
    for command in (["validate", tmp_path / "c.yaml"], ["eval", tmp_path / "c.yaml"]):
        exit_code, output = run_cli(command)
        assert exit_code == 1 and code in output and "Traceback" not in output, output


def test_a_dataset_bound_too_large_to_compute_with_is_refused(tmp_path):
    (tmp_path / "d.yaml").write_text("kind: Dataset\nid: x\ncolumns: {a: {type: number, max: 1.0e+400}, b: {type: integer, min: -99999999999999999999}}\n",
                                     encoding="utf-8")
    assert _codes([tmp_path / "d.yaml"]) == ["HF444", "HF444"]
