"""Mutated and truncated YAML fed to `hfspec validate`: only diagnostics, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspec.diagnostics import HfspecError
from hfspec.spec.project import load_project

SEED_FILES = sorted((Path(__file__).resolve().parent.parent / "catalog").rglob("*.yaml"))[:6] + sorted(
    (Path(__file__).resolve().parent.parent / "specs" / "datasets").glob("*.yaml"))[:2]
SEEDS = [p.read_text(encoding="utf-8") for p in SEED_FILES]
NOISE = [":", "-", "[", "]", "{", "}", "\t", "'", '"', "&a", "*a", "!!python/object ", "#", "\n", "  ", "---\n", "%", "@", "`", "|", ">", "?", ",", "\\"]


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "insert", "delete", "swap_lines"]))
        pos = draw(st.integers(0, max(0, len(text) - 1)))
        if op == "cut":
            text = text[:pos]
        elif op == "insert":
            text = text[:pos] + draw(st.sampled_from(NOISE)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        else:
            lines = text.split("\n")
            if len(lines) > 2:
                i = draw(st.integers(0, len(lines) - 2))
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
                text = "\n".join(lines)
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_yaml_gives_only_diagnostics(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    try:
        load_project([folder])
    except HfspecError as error:
        assert error.diagnostics, "an HfspecError always carries diagnostics"
        for d in error.diagnostics:
            assert d.code.startswith("HF") and d.message
