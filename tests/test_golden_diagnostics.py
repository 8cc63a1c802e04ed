"""Golden tests: the exact output of typical mistakes, as a Danish and as an English user sees it.

Each folder tests/golden/<group>/<case>/ holds the files of one mistake (spec YAML, data files)
and, optionally, `cmd`: the `hfspec` command lines to run in a copy of the folder, one per line
(default: `validate input.yaml`). `expected.da.txt` is what a user sees who gives no `--lang`
(Danish, the default); `expected.en.txt` the same with `--lang en`. In both, each command's output
follows a `$ hfspec ...` line and ends with its exit code. `pytest --update-golden` rewrites them:
review every change.

`test_every_code_a_user_can_meet_has_goldens` holds that each registered code appears in both
languages' goldens, except the codes in UNREACHABLE, each with the reason no user meets it.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, check_golden
from hfspec.diagnostics import CODES

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*/*") if p.is_dir())
LANGS = ("da", "en")

#: Codes no user can meet through the command line, and why. Every other code needs a golden.
UNREACHABLE = {
    "HF107": "no stage raises it: an empty YAML document (a stray `---`) is skipped without a word",
    "HF603": "the schema's pattern for `target:` (HF206) refuses every target that the target parser would refuse",
    "HF710": "a model formula that type-checks always evaluates (nulls, not errors); kept for model evaluation that fails",
}

#: Codes a user can meet that a golden folder cannot show, and the tests that show them instead.
NOT_IN_GOLDENS = {
    "HF317": "a symbolic link loop cannot be copied into a case folder; tests/test_spec_hardening.py",
    "HF519": "a workbook beyond Excel's row limit is too large for a case folder; tests/test_data_hardening.py",
    "HF521": "a workbook of a million distinct texts is too large for a case folder; tests/test_data_hardening.py",
    "HF522": "a zip that unpacks to a gigabyte does not belong in the repository; tests/test_data_hardening.py",
    "HF523": "a 16 MB header line does not belong in the repository; tests/test_data_hardening.py",
    "HF524": "tests/test_data_hardening.py builds the wide workbook",
    "HF533": "needs a pseudonym key outside the case folder; tests/test_mapping.py",
    "HF534": "needs a workbook; tests/test_mapping.py",
    "HF535": "whether a key exists depends on the user's own key file; tests/test_mapping.py, tests/test_pseudonym.py",
    "HF537": "the hint names the user's own default key file; tests/test_pseudonym.py",
    "HF538": "file modes are not kept by git; tests/test_pseudonym.py",
    "HF539": "needs two keys outside the case folder; tests/test_pseudonym.py",
    "HF807": "needs another program holding the history file for 30 seconds; tests/test_history_store.py",
}


def commands(case: Path) -> list[list[str]]:
    cmd = case / "cmd"
    lines = cmd.read_text(encoding="utf-8").splitlines() if cmd.exists() else ["validate input.yaml"]
    return [shlex.split(line) for line in lines if line.strip() and not line.startswith("#")]


def normalise(text: str, folder: Path) -> str:
    """The output without what differs between machines and runs: the copy's folder, the
    project's folder, and time stamps."""
    text = text.replace(str(folder.resolve()), "<case>").replace(str(folder), "<case>").replace(str(ROOT), "<hfspec>")
    return re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}", "<time>", text)


def run_case(case: Path, lang: str, tmp_path: Path, run_cli) -> str:
    work = tmp_path / lang / case.name
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected.*.txt", "cmd"))
    out = []
    for args in commands(case):
        code, output = run_cli([*args, "--lang", "en"] if lang == "en" else args, cwd=work)
        assert "Traceback" not in output, output
        assert code in (0, 1), output
        out.append(f"$ hfspec {shlex.join(args)}\n{normalise(output, work).rstrip()}\n[exit {code}]\n")
    return "\n".join(out)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(case: Path, lang: str, run_cli, update_golden, tmp_path):
    check_golden(case / f"expected.{lang}.txt", run_case(case, lang, tmp_path, run_cli), update_golden)


def codes_in_goldens(lang: str) -> set[str]:
    """Every code shown in the goldens of a language, as the header of a diagnostic."""
    found: set[str] = set()
    for case in CASES:
        path = case / f"expected.{lang}.txt"
        if path.exists():
            found |= set(re.findall(r"^\S+\[(HF\d{3})\]: ", path.read_text(encoding="utf-8"), re.M))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_a_user_can_meet_has_goldens(lang):
    missing = sorted(set(CODES) - set(UNREACHABLE) - set(NOT_IN_GOLDENS) - codes_in_goldens(lang))
    assert not missing, (f"no golden case in tests/golden/ shows {', '.join(missing)} (expected.{lang}.txt); add a case folder "
                         "with the files and a `cmd`, run `pytest tests/test_golden_diagnostics.py --update-golden` and review "
                         "both expected files, or list the code in UNREACHABLE with the reason no user can meet it")


def test_unreachable_codes_are_registered_and_not_shown():
    assert set(UNREACHABLE) <= set(CODES)
    assert not set(UNREACHABLE) & (codes_in_goldens("da") | codes_in_goldens("en"))


def test_the_two_languages_show_the_same_codes_in_each_case():
    for case in CASES:
        codes = [re.findall(r"\[(HF\d{3})\]: ", (case / f"expected.{lang}.txt").read_text(encoding="utf-8")) for lang in LANGS
                 if (case / f"expected.{lang}.txt").exists()]
        assert len(codes) == 2 and codes[0] == codes[1], case
