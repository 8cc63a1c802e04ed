"""The import graph of hfspec: one direction, no cycles, domains apart (docs/architecture.md).

Every import counts: at the top of a module, inside a function, under `if TYPE_CHECKING:`. The
graph is read with `ast` from the files, so a module that is never imported by a test is
checked too. `check_package` is a plain function so that a test can plant a bad import in a copy
of the package and see it fail.
"""

from __future__ import annotations

import ast
import graphlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hfspec"

#: The core by stage, then the domains, then the command line. A module may import modules of a
#: lower rank, and modules of its own package (the same folder).
RANKS = {
    "hfspec.version": 0, "hfspec.source": 0, "hfspec.words": 0, "hfspec.resources": 0,
    "hfspec.messages": 0.5, "hfspec.diagnostics": 1, "hfspec.settings": 1.5,
    "hfspec.lang": 2,
    "hfspec.spec": 3,
    "hfspec.data": 4,
    "hfspec.engine": 5,
    "hfspec.session": 6,
    "hfspec.examples": 7, "hfspec.render": 7,
    "hfspec.clitools": 8,
    # the domains: one package each
    "hfspec.catalogue": 9, "hfspec.cream": 9, "hfspec.som": 9, "hfspec.dbl": 9, "hfspec.check": 9,
    "hfspec.report": 9, "hfspec.scaffold": 9, "hfspec.exports": 9, "hfspec.audit": 9,
    "hfspec.cli": 10, "hfspec.__main__": 11,
    "hfspec": 12,  # the package facade (hfspec/__init__.py): the public names, imported lazily
}

#: Imports between domains that are allowed, and why (docs/architecture.md says the same).
ALLOWED = {
    # the management report is the page that puts the other domains' results side by side
    ("hfspec.report", "hfspec.check"), ("hfspec.report", "hfspec.dbl"), ("hfspec.report", "hfspec.som"),
    # the catalogue document has a CREAM ranking section, rendered by CREAM's own template
    ("hfspec.catalogue", "hfspec.cream"),
}

#: Third-party libraries that `hfspec --help` must not import (each costs 50-400 ms).
HEAVY = ("duckdb", "numpy", "jinja2", "openpyxl", "lark", "jsonschema", "matplotlib", "yaml")


def home(module: str) -> str | None:
    """The entry of RANKS a module belongs to (its longest matching prefix)."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if prefix in RANKS:
            return prefix
    return None


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).with_suffix("")
        out[".".join(rel.parts).removesuffix(".__init__")] = path
    return out


def imports(path: Path, module: str, known: set[str]) -> list[tuple[str, int]]:
    """(imported hfspec module, line) for every import in the file, wherever it stands."""
    found = []
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((sub if sub in known else base, node.lineno))
    return [(name, line) for name, line in found if name == "hfspec" or name.startswith("hfspec.")]


def check_package(package: Path) -> list[str]:
    """Every problem of the import graph: a module in no layer, an import against the direction or
    between domains, a private name taken from another module, and every cycle."""
    mods = modules(package)
    known = set(mods)
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for module, path in mods.items():
        own = home(module)
        if own is None:
            problems.append(f"{module} is in no layer; add it to RANKS in tests/test_layering.py")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, line in imports(path, module, known):
            target = home(name)
            if target is None or name == module:
                continue
            graph[module].add(name if name in known else target)
            where = f"{path.relative_to(package.parent)}:{line}"
            if target == own:
                continue
            if RANKS[target] > RANKS[own]:
                problems.append(f"{where}: {module} imports {name}, a higher layer")
            elif RANKS[target] == RANKS[own] and (own, target) not in ALLOWED:
                problems.append(f"{where}: {module} imports {name}, another package of the same layer")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hfspec"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        problems.append(f"{path.relative_to(package.parent)}:{node.lineno}: {module} takes the private name "
                                        f"`{alias.name}` from {node.module}")
    problems += [f"import cycle: {' → '.join(cycle)}" for cycle in cycles(graph)]
    return list(dict.fromkeys(problems))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles of the graph (module -> modules it imports), each as `a → b → … → a`: graphlib finds
    one, its last import is taken out, and the search goes on until none is left."""
    found: list[list[str]] = []
    graph = {m: set(targets) for m, targets in graph.items()}
    while True:
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return found
        except graphlib.CycleError as error:
            # each node of graphlib's list is imported by the node after it
            cycle = list(reversed(error.args[1]))
            found.append(cycle)
            graph[cycle[-2]].discard(cycle[-1])


def test_import_graph_has_one_direction_and_no_cycles():
    problems = check_package(PACKAGE)
    assert not problems, "the import graph breaks the layout (docs/architecture.md):\n" + "\n".join(problems)


@pytest.mark.parametrize("file, planted, expected", [
    # a core stage importing a domain, inside a function
    ("engine/tables.py", "    from hfspec.som import model  # planted\n", "a higher layer"),
    # one domain importing another
    ("dbl/model.py", "from hfspec.cream import model as cream_model  # planted\n", "another package of the same layer"),
    # a cycle inside one package, hidden under TYPE_CHECKING
    ("lang/ast.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hfspec.lang import check  # planted\n", "import cycle"),
    # a private name of another module
    ("render/text.py", "from hfspec.engine.tables import _clean  # planted\n", "private name"),
], ids=["core-imports-domain", "domain-imports-domain", "cycle", "private-name"])
def test_planted_bad_import_is_found(tmp_path, file, planted, expected):
    copy = tmp_path / "hfspec"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.j2"))
    target = copy / file
    text = target.read_text(encoding="utf-8")
    if planted.startswith("    "):  # into the body of the module's first function
        head, sep, rest = text.partition("\ndef ")
        signature, newline, body = rest.partition(":\n")
        text = head + sep + signature + newline + planted + body
    else:
        text += "\n" + planted
    target.write_text(text, encoding="utf-8")
    problems = check_package(copy)
    assert any(expected in p for p in problems), problems


def test_only_the_parser_imports_lark():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        if "lark" in names and path.name != "parser.py":
            offenders.append(str(path))
    assert offenders == []


def test_help_imports_no_heavy_library():
    """`hfspec --help` lists every command (importing each command module) and loads none of the
    heavy libraries: they are imported inside the commands that use them."""
    code = ("import sys\nfrom hfspec.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
