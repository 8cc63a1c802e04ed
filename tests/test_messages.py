"""The message catalogue (hfspec/messages/) is complete, and nothing hfspec says to people bypasses it.

- Every message and every code has Danish and English, with the same placeholders.
- Every `Message("id", ...)` in hfspec/ names a message that exists, with exactly its placeholders,
  and every message of the catalogue is used somewhere.
- No diagnostic is built with plain text (`test_no_diagnostic_is_built_with_plain_text`): this
  catches diagnostics written in English only, for example on a branch made before the catalogue.
- The command line prints no plain English of its own (`test_commands_print_through_the_catalogue`).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from hfspec.diagnostics import CODES, Diagnostic, Message
from hfspec.messages import LANGUAGES, MESSAGES, placeholders, text

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hfspec"
CATALOGUE = PACKAGE / "messages"

#: The calls that build a diagnostic: `Diagnostic("HF401", message, span, hint, ..., label, notes)`,
#: `bag.error(code, message, span, hint, label)`, `bag.warning(...)` and the checker's `err(...)`.
BUILDERS = {"Diagnostic", "error", "warning", "err"}
#: The arguments of a builder that are texts for people (by position after the code, and by name).
TEXT_KEYWORDS = {"message", "hint", "label", "notes"}

HOW_TO_FIX = ("Every text a diagnostic shows is a Message: add the text in Danish and English to the module of its "
              "stage in hfspec/messages/ (for example \"data.no_file\": (\"der er ingen datafil til datasættet `{dataset}`\", "
              "\"no data file for dataset `{dataset}`\") in hfspec/messages/data.py) and write Message(\"data.no_file\", dataset=name) "
              "where the diagnostic is built. Keep the code and the span as they are. docs/architecture.md, \"Errors are data\", "
              "says how; tests/test_messages.py checks both languages.")


def modules(include_catalogue: bool = False) -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if include_catalogue or CATALOGUE not in p.parents]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- the catalogue ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mid", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(mid):
    texts = MESSAGES[mid]
    assert isinstance(texts, tuple) and len(texts) == len(LANGUAGES) and all(t.strip() for t in texts), mid
    da, en = (placeholders(t) for t in texts)
    assert da == en, f"{mid}: Danish has {sorted(da)}, English {sorted(en)}"
    for t in texts:  # every `{n:one|other}` chooses between two words
        for _, name, spec, _ in string.Formatter().parse(t):
            assert not spec or spec == "," or spec.count("|") == 1, f"{mid}: `{{{name}:{spec}}}`"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_title_and_an_explanation_in_both_languages(code):
    assert set(CODES[code]) == set(LANGUAGES)
    for lang in LANGUAGES:
        title, explanation = CODES[code][lang]
        assert title.strip() and explanation.strip(), (code, lang)
    assert CODES[code]["da"] != CODES[code]["en"], code


#: English words that do not occur in Danish sentences; a Danish text that has one (outside
#: backticks) was very likely left untranslated.
ENGLISH = {"the", "is", "are", "must", "cannot", "should", "with", "found", "expected", "missing", "unknown", "which", "does",
           "not", "of", "file", "row", "rows", "column", "value", "needs", "write", "add", "remove", "check"}


@pytest.mark.parametrize("mid", sorted(MESSAGES))
def test_danish_texts_have_no_english_words(mid):
    da = re.sub(r"`[^`]*`|\{[^}]*\}|\"[^\"]*\"|--[a-z-]+|docs/\S+", " ", MESSAGES[mid][0])
    words = set(re.findall(r"[a-zæøå]+", da.lower()))
    assert not words & ENGLISH, f"{mid}: {MESSAGES[mid][0]!r} has {sorted(words & ENGLISH)}"


def test_plurals_and_numbers_follow_the_language():
    assert text("common.count_warning", "da", n=1) == "1 advarsel" and text("common.count_warning", "da", n=2) == "2 advarsler"
    assert text("common.count_error", "da", n=2) == "2 fejl" and text("common.count_error", "en", n=2) == "2 errors"
    assert text("common.count_error", "en", n=1) == "1 error"
    assert text("yaml.too_large", "da", n=5_000_000) == "filen er større end 5.000.000 byte"
    assert text("yaml.too_large", "en", n=5_000_000) == "the file is larger than 5,000,000 bytes"


def test_a_diagnostic_is_one_value_shown_in_either_language():
    d = Diagnostic("HF401", Message("lang.unknown_column", column="boligsituaton", dataset="status"),
                   hint=Message("common.did_you_mean", name="boligsituation"))
    assert d.text("da") == "ukendt kolonne `boligsituaton` i datasættet `status`"
    assert d.text("en") == "unknown column `boligsituaton` in dataset `status`"
    assert d == Diagnostic("HF401", Message("lang.unknown_column", dataset="status", column="boligsituaton"),
                           hint=Message("common.did_you_mean", name="boligsituation"))


def test_plain_text_is_refused_with_the_way_to_fix_it():
    with pytest.raises(TypeError, match="add the text in Danish and English to hfspec/messages/"):
        Diagnostic("HF401", "unknown column `x`")
    with pytest.raises(KeyError):
        Message("lang.no_such_message")


# -- the uses ---------------------------------------------------------------------------------------

def message_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message":
            yield node


def test_every_message_used_exists_with_its_placeholders():
    problems = []
    for path in modules():
        for call in message_calls(ast.parse(path.read_text(encoding="utf-8"))):
            if not call.args or not isinstance(call.args[0], ast.Constant):
                continue  # an id from a table of ids (such as CELL_HINTS): the tables' strings are checked below
            mid = call.args[0].value
            if mid not in MESSAGES:
                problems.append(f"{rel(path)}:{call.lineno}: no message `{mid}` in hfspec/messages/")
                continue
            given = {k.arg for k in call.keywords}
            if None not in given and given != placeholders(MESSAGES[mid][0]):
                problems.append(f"{rel(path)}:{call.lineno}: `{mid}` takes {sorted(placeholders(MESSAGES[mid][0]))}, given {sorted(given)}")
    assert not problems, "\n".join(problems)


def test_every_message_of_the_catalogue_is_used():
    used: set[str] = set()
    for path in modules(include_catalogue=True):
        if path.parent == CATALOGUE and path.name != "__init__.py":
            continue  # the tables themselves
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in MESSAGES:
                used.add(node.value)
    used |= {f"common.count_{s}" for s in ("error", "warning", "info")} | {f"common.severity_{s}" for s in ("error", "warning", "info")}
    assert sorted(set(MESSAGES) - used) == []


def plain_text(node: ast.AST) -> str | None:
    """Text for people in an expression, outside any `Message(...)`: a string with words, an
    f-string, `"...".format(...)`; None when there is none."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Message", "text", "message_text"):
        return None  # a message of the catalogue, rendered now or later
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in MESSAGES and re.search(r"[A-Za-zæøåÆØÅ]{2}", node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        words = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return ast.unparse(node) if re.search(r"[A-Za-zæøåÆØÅ]{2}", words) else None
    for child in ast.iter_child_nodes(node):
        found = plain_text(child)
        if found is not None:
            return found
    return None


def diagnostic_texts(call: ast.Call):
    """The arguments of a diagnostic builder that are texts for people."""
    yield from call.args[1:2] + call.args[3:4]  # message, hint (span is the third)
    yield from (k.value for k in call.keywords if k.arg in TEXT_KEYWORDS)


def builds_a_diagnostic(call: ast.Call) -> bool:
    name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else None
    first = call.args[0] if call.args else None
    return name in BUILDERS and (isinstance(first, ast.Constant) and isinstance(first.value, str) and bool(re.fullmatch(r"HF\d{3}", first.value))
                                 or name == "Diagnostic")


def test_no_diagnostic_is_built_with_plain_text():
    """A diagnostic written in English (or any one language) cannot be shown in the other one."""
    problems = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and builds_a_diagnostic(node):
                for arg in diagnostic_texts(node):
                    found = plain_text(arg)
                    if found is not None:
                        code = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else "a diagnostic"
                        problems.append(f"{rel(path)}:{node.lineno}: {code} is built with the plain text {found!r}")
    assert not problems, "\n".join(problems) + "\n\n" + HOW_TO_FIX


#: What the command line may print as it is: output made by the library, paths, data.
COMMAND_MODULES = [PACKAGE / "cli.py", PACKAGE / "clitools.py", *sorted(PACKAGE.glob("*/command.py"))]
#: Calls whose text reaches the user: a printed line, or click's own errors.
PRINTERS = {"echo", "ClickException", "UsageError", "BadParameter", "secho"}


def test_commands_print_through_the_catalogue():
    problems = []
    for path in COMMAND_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else None
            if name in PRINTERS:
                for arg in node.args[:1]:
                    found = plain_text(arg)
                    if found is not None and re.search(r"[A-Za-z]{3}", found):
                        problems.append(f"{rel(path)}:{node.lineno}: {found!r}")
    assert not problems, ("the command line prints plain text; put the line in hfspec/messages/cli.py with Danish and English "
                          "and print it with clitools.say(\"cli.<name>\", ...) or messages.text(...):\n" + "\n".join(problems))


def test_the_scan_sees_a_plain_english_diagnostic(tmp_path):
    """The scan itself: a diagnostic added in English, as on a branch made before the catalogue."""
    source = 'bag.error("HF501", f"no data file for `{name}`", None, hint="add it")\nDiagnostic("HF401", Message("lang.bad_dot"))\n'
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and builds_a_diagnostic(n)]
    assert [plain_text(a) for c in calls for a in diagnostic_texts(c)] == ["f'no data file for `{name}`'", "add it", None]
