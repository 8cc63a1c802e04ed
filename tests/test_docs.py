"""The documentation stays true: generated tables are current, links lead somewhere, the commands
the user guide names exist, and the spec examples in the guide and the language reference are
valid specs (and their `examples:` pass)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"", re.I)


def _without_code(text: str) -> str:
    """The page with fenced code blocks and inline code blanked out (links there are examples)."""
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return INLINE_CODE.sub("``", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to `-`.

    >>> _slug("A YAML value that starts with `>` (HF101)")
    'a-yaml-value-that-starts-with--hf101'
    """
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    found: set[str] = set(EXPLICIT_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    for match in HEADING.finditer(text):
        slug = _slug(match.group(2))
        count = seen.get(slug, 0)
        found.add(slug if count == 0 else f"{slug}-{count}")
        seen[slug] = count + 1
    return found


def _links() -> list[tuple[Path, str]]:
    out = []
    for page in PAGES:
        for target in LINK.findall(_without_code(page.read_text(encoding="utf-8"))):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            out.append((page, target))
    return out


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("script", ["docs/make_docs.py", "schemas/make_reference.py"])
def test_generated_tables_are_current(script: str):
    result = _run(script, "--check")
    assert result.returncode == 0, f"{script} --check failed (run `python {script}`):\n{result.stderr[-4000:]}"


LINKS = _links()


@pytest.mark.parametrize("page,target", LINKS, ids=[f"{p.name}->{t}" for p, t in LINKS])
def test_relative_links_point_to_existing_files(page: Path, target: str):
    path, _, anchor = target.partition("#")
    resolved = (page.parent / path).resolve() if path else page
    assert resolved.exists(), f"{page.relative_to(ROOT)} links to `{target}`, but {path} does not exist"
    if anchor and resolved.suffix == ".md":
        assert anchor in _anchors(resolved), f"{page.relative_to(ROOT)} links to `{target}`, but {resolved.name} has no heading or anchor `{anchor}`"


def _guide_commands() -> set[str]:
    """`hfspec <command>` in inline code and console blocks of the user guide."""
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    snippets = [m.group(0) for m in INLINE_CODE.finditer(FENCE.sub("", text))]
    snippets += [m.group("body") for m in FENCE.finditer(text) if m.group("info").strip() in ("console", "bash", "sh", "shell")]
    return {name for snippet in snippets for name in re.findall(r"(?:^|[\s`$])hfspec\s+([a-z][a-z_-]*)", snippet, re.M)}


def test_guide_commands_exist():
    result = _run("-m", "hfspec", "--help")
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^  ([a-z][a-z_-]*)\s", result.stdout.split("Commands:", 1)[1], re.M))
    mentioned = _guide_commands()
    assert {"eval", "validate", "init", "test", "explain"} <= mentioned, "the command extraction found too little"
    assert mentioned <= listed, f"guide.md names commands that `hfspec --help` does not list: {sorted(mentioned - listed)}"


def _spec_blocks() -> list[tuple[str, str]]:
    blocks = []
    for name in ("guide.md", "language.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group("info").strip() == "yaml" and match.group("body").startswith("kind:"):
                line = text.count("\n", 0, match.start()) + 1
                blocks.append((f"{name}:{line}", match.group("body")))
    return blocks


BLOCKS = _spec_blocks()


def test_there_are_spec_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("where,block", BLOCKS, ids=[w for w, _ in BLOCKS])
def test_spec_examples_validate(where: str, block: str, tmp_path: Path, run_cli):
    spec = tmp_path / "example.yaml"
    spec.write_text(block, encoding="utf-8")
    code, output = run_cli(["validate", spec.name], cwd=tmp_path)
    assert code == 0, f"the spec example at docs/{where} does not validate:\n{output}"
    with_examples = [d["id"] for d in yaml.safe_load_all(block) if d and d.get("kind") == "Indicator" and d.get("examples")]
    if with_examples:
        args = ["test", spec.name] + [a for i in with_examples for a in ("-i", i)]
        code, output = run_cli(args, cwd=tmp_path)
        assert code == 0, f"the examples of the spec at docs/{where} fail:\n{output}"
