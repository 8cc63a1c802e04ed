"""Numbers written the Danish way in spec files: a decimal comma in a target or a scenario value is
read, and where YAML would read it as something else, hfspec says so."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from hfspec import words
from hfspec.spec.model import Target

ROOT = Path(__file__).resolve().parent.parent


def test_read_number_examples():
    assert doctest.testmod(words).failed == 0


@pytest.mark.parametrize("text,same_as", [("<= 12,5%", "<= 12.5%"), (">= 0,8", ">= 0.8"), ("between 2,5 and 10", "between 2.5 and 10")])
def test_a_target_may_have_a_decimal_comma(text, same_as):
    danish, point = Target.parse(text), Target.parse(same_as)
    assert danish is not None and (danish.op, danish.value, danish.high) == (point.op, point.value, point.high)


def test_a_catalogue_target_with_a_decimal_comma(tmp_path, run_cli):
    results = []
    for target in ('"<= 12,5%"', '"<= 12.5%"'):
        (tmp_path / "c.yaml").write_text(f"kind: Catalogue\nid: c\nextends: national\nselect: [HF-O-01]\n"
                                         f"override:\n  HF-O-01: {{target: {target}}}\n", encoding="utf-8")
        code, output = run_cli(["eval", tmp_path / "c.yaml", "--format", "json"])
        assert code == 0, output
        results.append([row["status"] for row in json.loads(output)["indicators"][0]["rows"]])
    assert results[0] == results[1] and "met" in results[0]


def test_scenario_values_written_as_danish_text(tmp_path, run_cli):
    koege = (ROOT / "examples" / "som" / "koege.yaml").read_text(encoding="utf-8")
    assert "    value: 0.55\n" in koege and "    value: 0.2\n" in koege
    danish = koege.replace("    value: 0.55\n", "    value: 0,55\n").replace("    value: 0.2\n", '    value: "0,2"\n')
    danish = danish.replace("range: {dist: uniform, low: 0.1, high: 0.3}", 'range: {dist: uniform, low: "0,1", high: "0,3"}')
    outputs = []
    for name, text in (("point", koege), ("comma", danish)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "koege.yaml").write_text(text, encoding="utf-8")
        code, output = run_cli(["som", tmp_path / name / "koege.yaml", "--format", "json", "--sensitivity"])
        assert code == 0, output
        outputs.append(json.loads(output))
    assert outputs[0] == outputs[1]


def test_a_decimal_comma_yaml_splits_is_a_warning(tmp_path, run_cli):
    (tmp_path / "m.yaml").write_text("kind: Catalogue\nid: m\nextends: national\nselect: [HF-O-01]\nweights: {clear: 0,5, relevant: 1}\n",
                                     encoding="utf-8")
    code, output = run_cli(["validate", tmp_path / "m.yaml", "--lang", "en"])
    assert "warning[HF113]: `0,5` is read as `clear: 0` and a key `5`" in output
    assert "write 0.5" in output


def test_a_number_as_text_elsewhere_gets_the_hint(tmp_path, run_cli):
    (tmp_path / "w.yaml").write_text('kind: Catalogue\nid: w\nextends: national\nweights:\n  clear: "1,5"\n', encoding="utf-8")
    code, output = run_cli(["validate", tmp_path / "w.yaml", "--lang", "en"])
    assert code == 1 and "= hint: write 1.5: numbers in YAML have a decimal point" in output
