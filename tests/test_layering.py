"""Imports point one way: source → diagnostics → lang → spec → engine → report → cli."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hfspec"
LAYERS = ["source", "diagnostics", "lang", "spec", "engine", "report", "cli"]
# Modules outside the chain: `resources` is a leaf used by spec and up; `run` is the library
# facade above engine and report; `__init__`/`__main__` are entry points.
EXTRA = {"resources": 1.5, "run": 5.5, "scaffold": 5.5, "__main__": 7, "__init__": 0}


def layer_of(module: str) -> float | None:
    parts = module.split(".")
    if parts == ["hfspec"]:
        return 0
    if parts[0] != "hfspec" or len(parts) < 2:
        return None
    head = parts[1]
    if head.startswith("cli"):  # cli.py and the command modules cli_<name>.py
        return LAYERS.index("cli")
    if head in EXTRA:
        return EXTRA[head]
    return LAYERS.index(head) if head in LAYERS else None


def test_imports_point_down():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        own = layer_of(module)
        assert own is not None, f"{module} is in no layer; add it to LAYERS or EXTRA"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                target = layer_of(name)
                if target is not None and target > own:
                    problems.append(f"{module} imports {name}")
    assert not problems, "imports against the layer direction:\n" + "\n".join(problems)


def test_only_the_parser_imports_lark():
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if p.name != "parser.py" and "lark" in {
        (n.module or "").split(".")[0] for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.ImportFrom)} | {
        a.name.split(".")[0] for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Import) for a in n.names}]
    assert offenders == []
