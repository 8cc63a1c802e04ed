"""Hostile user templates end in HF801, quickly, never in a hang, a memory bomb or a traceback
(issue 20): a recursive macro, `'x' * 10**10`, `9 ** (9 ** 9)`, loops inside loops, a text
doubled again and again, an output without end. The limits are the named constants in
hfspec/render/jinja_env.py."""

from __future__ import annotations


from pathlib import Path

import pytest

from hfspec.render.jinja_env import (
    MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_INTEGER_BITS, MAX_TEMPLATE_LOOP_ITEMS, MAX_TEMPLATE_OUTPUT,
)

HOSTILE = {
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "text times 10**10": "{{ 'x' * 10**10 }}",
    "list times 10**10": "{{ ([1] * 10**10) | length }}",
    "nine to the nine to the nine": "{{ 9 ** (9 ** 9) }}",
    "doubling numbers": "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
    "doubling text in a namespace": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "doubling text by recursion": "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}{% endmacro %}{{ f('x', 45) }}",
    "loops inside loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "endless output": "{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}",
    "a filter's width": "{{ 'x' | center(10**10) }}",
    "a format width": "{{ '%0999999999d' % 1 }}",
    "including itself": "{% include 'catalogue.md.j2' %}",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_template_is_hf801_quickly(tmp_path, run_cli, source):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "catalogue.md.j2").write_text(source + "\n", encoding="utf-8")
    code, output = run_cli(["render", "--templates", folder, "--out", tmp_path / "out.md", "--lang", "en"])
    assert code == 1 and "error[HF801]" in output and "Traceback" not in output, output
    assert "catalogue.md.j2" in output
    assert not (tmp_path / "out.md").exists()


def test_templates_within_the_limits_render(tmp_path, run_cli):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "catalogue.md.j2").write_text(
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{% endif %}{{ n }}{% endmacro %}{{ f(" + str(MAX_TEMPLATE_DEPTH - 2) + ") | length }} "
        "{{ ('x' * 1000) | length }} {{ 2 ** " + str(MAX_TEMPLATE_INTEGER_BITS - 1) + " > 0 }} "
        "{% for k in range(" + str(MAX_TEMPLATE_LOOP_ITEMS // 200_000) + ") %}{% for i in range(100000) %}{% endfor %}{% endfor %}"
        "{{ indicators | length }}\n", encoding="utf-8")
    code, output = run_cli(["render", "--templates", folder, "--out", tmp_path / "out.md"])
    assert code == 0, output
    shipped = len(list((Path(__file__).parents[1] / "catalog").glob("*/HF-*.yaml")))  # the national catalogue's key figures
    assert (tmp_path / "out.md").read_text(encoding="utf-8").split() == [str(len("".join(map(str, range(MAX_TEMPLATE_DEPTH - 1))))), "1000", "True", str(shipped)]


def test_the_limits_are_generous_for_real_templates():
    assert MAX_TEMPLATE_OUTPUT >= 10_000_000 and MAX_TEMPLATE_DEPTH >= 20
    assert MAX_TEMPLATE_INTEGER_BITS >= 64 and MAX_TEMPLATE_LOOP_ITEMS >= 100_000
