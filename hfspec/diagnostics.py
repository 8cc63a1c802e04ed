"""Problems found in user input → `Diagnostic` values, and their text/JSON renderings.

Every user error is a `Diagnostic` with a stable code from `CODES`, a severity, a message, a span
and an optional hint. The message, hint, label and notes are `Message` values (hfspec/messages/):
an id and parameters, turned into Danish or English text only when the diagnostic is rendered, so
one diagnostic can be shown in either language. Stages *collect* diagnostics in a `DiagnosticBag`
and raise `HfspecError` once at their boundary; only the CLI prints them and exits 1. Unexpected
exceptions are bugs and are never turned into diagnostics.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Iterator

from hfspec.messages import CODES as MESSAGE_CODES
from hfspec.messages import LANGUAGES, Message, code_text, text
from hfspec.source import Span, printable

__all__ = ["CODES", "Diagnostic", "DiagnosticBag", "HfspecError", "Message", "Severity", "did_you_mean", "explain", "render_all_json",
           "render_all_text", "render_text", "suggest", "summary"]

#: The language of a rendering when none is given: the first of the languages (Danish).
DEFAULT_LANG = LANGUAGES[0]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Every registered code (`hfspec/messages/codes.py` holds each one's title and explanation in
#: Danish and English; `hfspec explain CODE` prints them).
CODES = MESSAGE_CODES


#: Widest source excerpt printed under a diagnostic; longer lines are shown as a window.
EXCERPT_WIDTH = 100


#: What `Diagnostic` says when it is given plain text instead of a `Message`.
UNTRANSLATED = ("{field} of {code} is plain text ({value!r}); a diagnostic's message, hint, label and notes are "
                "Message values: add the text in Danish and English to hfspec/messages/ (the module of its stage) and "
                "write Message(\"<stage>.<name>\", param=value) here")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: code, severity, message, where, and what to do about it.

    `message`, `hint`, `label` (the short text next to the caret) and each of `notes` are
    `Message` values, rendered in the chosen language by `render_text` and `render_all_json`.
    """

    code: str
    message: Message
    span: Span | None = None
    hint: Message | None = None
    severity: Severity = Severity.ERROR
    label: Message | None = None
    notes: tuple[Message, ...] = ()
    cells: int = 0  # a data problem: how many cells hold it (data files are reported per file, column and value)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code}")
        for name, value in (("message", self.message), ("hint", self.hint), ("label", self.label), *(("note", n) for n in self.notes)):
            if value is not None and not isinstance(value, Message):
                raise TypeError(UNTRANSLATED.format(field=name, code=self.code, value=value))

    def sort_key(self) -> tuple:
        s = self.span
        return (s.file if s else "", s.line if s else 0, s.col if s else 0, self.code)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message alone, in `lang`."""
        return self.message.render(lang)


@dataclass
class DiagnosticBag:
    """Collects diagnostics from a stage; `raise_if_errors()` at the stage's boundary."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(self, code: str, message: Message, span: Span | None = None, hint: Message | None = None, label: Message | None = None) -> None:
        self.add(Diagnostic(code, message, span, hint, Severity.ERROR, label))

    def warning(self, code: str, message: Message, span: Span | None = None, hint: Message | None = None, label: Message | None = None) -> None:
        self.add(Diagnostic(code, message, span, hint, Severity.WARNING, label))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise HfspecError(self.items)


class HfspecError(Exception):
    """Raised at a stage boundary with every diagnostic collected so far. Exit code 1.

    `lang` is the language the run chose once its project was loaded (a catalogue's `lang:`);
    the session sets it on the way out, and the command line renders in it unless `--lang` says
    otherwise. None: the error came before any project was loaded.
    """

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        self.lang: str | None = None
        super().__init__(summary(self.diagnostics, "en"))


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate above a similarity cutoff, for 'did you mean' hints.

    >>> suggest("boligsituaton", ["boligsituation", "borger_id"])
    'boligsituation'
    >>> suggest("xyz", ["boligsituation"]) is None
    True
    """
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> Message | None:
    """The hint "did you mean `x`?" for the closest candidate, or None.

    >>> did_you_mean("boligsituaton", ["boligsituation"]).render("da")
    'mente du `boligsituation`?'
    """
    best = suggest(word, candidates)
    return Message("common.did_you_mean", name=best) if best else None


def os_reason(error: BaseException) -> Message:
    """Why a file could not be read or written, in words (the operating system's own words when
    hfspec has none for the error).

    >>> os_reason(FileNotFoundError(2, "No such file or directory")).render("da")
    'filen findes ikke'
    """
    import errno

    if isinstance(error, UnicodeDecodeError):
        return Message("common.os_not_utf8")
    known = {errno.ENOENT: "common.os_not_found", errno.EACCES: "common.os_no_access", errno.EPERM: "common.os_no_access",
             errno.EISDIR: "common.os_is_folder", errno.ENOTDIR: "common.os_not_folder", errno.ENOSPC: "common.os_disk_full"}
    number = getattr(error, "errno", None)
    if number in known:
        return Message(known[number])
    return Message("common.verbatim", text=getattr(error, "strerror", None) or str(error))


def did_you_mean_then(word: str, candidates: Iterable[str], then: Message) -> Message:
    """"did you mean `x`? <then>" when a candidate is close, else `then` alone."""
    best = did_you_mean(word, candidates)
    return Message("common.best_then", best=best, then=then) if best else then


def summary(diagnostics: Iterable[Diagnostic], lang: str = DEFAULT_LANG) -> str:
    """'3 fejl, 1 advarsel' / '3 errors, 1 warning' (or 'ingen problemer' / 'no problems')."""
    diagnostics = list(diagnostics)
    counts = {s: sum(d.severity is s for d in diagnostics) for s in Severity}
    parts = [text(f"common.count_{s.value}", lang, n=counts[s]) for s in Severity if counts[s]]
    out = ", ".join(parts) if parts else text("common.no_problems", lang)
    data = [d for d in diagnostics if d.cells]
    if data:  # each data problem is one value of one column of one file, however many rows hold it
        cells = sum(d.cells for d in data)
        grouped = "common.grouped_all" if len(data) == len(diagnostics) else "common.grouped_some"
        out += " " + text(grouped, lang, n=len(data), cells=cells)
    return out


def render_text(diagnostic: Diagnostic, lang: str = DEFAULT_LANG, color: bool = False) -> str:
    """rustc-style rendering: header, location, the source line, a caret under the span, hint.

    Control characters from the user's files (in messages, excerpts and hints) are drawn as
    visible symbols, never sent to the terminal (`source.printable`)."""
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    sev_color = {"error": "1;31", "warning": "1;33", "info": "1;36"}[diagnostic.severity.value]
    head = text(f"common.severity_{diagnostic.severity.value}", lang)
    out = [paint(f"{head}[{diagnostic.code}]", sev_color) + paint(f": {printable(diagnostic.message.render(lang))}", "1")]
    span = diagnostic.span
    if span is not None and span.line > 0:
        width = len(str(span.line))
        pad = " " * width
        out.append(f"{pad}--> {printable(str(span))}")
        if span.source is not None:
            line = printable(span.source.line(span.line).replace("\t", " "))
            start = span.col
            end = span.end_col if span.end_line == span.line else len(line) + 1
            if len(line) > EXCERPT_WIDTH:  # show a window around the span of a very long line
                left = max(0, min(start - 1 - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
                line = ("…" if left else "") + line[left:left + EXCERPT_WIDTH] + ("…" if left + EXCERPT_WIDTH < len(line) else "")
                shift = left - (1 if left else 0)
                start, end = start - shift, min(end - shift, len(line) + 1)
            carets = "^" * max(1, end - start)
            label = f" {printable(diagnostic.label.render(lang))}" if diagnostic.label else ""
            out.append(f"{pad} |")
            out.append(f"{span.line} | {line}")
            out.append(f"{pad} | " + " " * (start - 1) + paint(carets + label, sev_color))
    elif span is not None:
        out.append(f"  --> {printable(span.file)}")
    for note in diagnostic.notes:  # a note of several lines keeps them under its first
        prefix = f"  = {text('common.note', lang)}: "
        out.append(prefix + printable(note.render(lang)).replace("\n", "\n" + " " * len(prefix)))
    if diagnostic.hint:
        out.append(f"  = {text('common.hint', lang)}: {printable(diagnostic.hint.render(lang))}")
    return "\n".join(out)


def render_all_text(diagnostics: Iterable[Diagnostic], lang: str = DEFAULT_LANG, color: bool = False) -> str:
    diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
    blocks = [render_text(d, lang, color) for d in diagnostics]
    return "\n\n".join(blocks + [summary(diagnostics, lang)])


def to_json(diagnostic: Diagnostic, lang: str = DEFAULT_LANG) -> dict:
    """A plain dict for `--format json` (stable keys, documented in docs/errors.en.md); the texts in `lang`."""
    s = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message.render(lang),
        "file": s.file if s else None,
        "line": s.line if s else None,
        "column": s.col if s else None,
        "end_line": s.end_line if s else None,
        "end_column": s.end_col if s else None,
        "hint": diagnostic.hint.render(lang) if diagnostic.hint else None,
        "notes": [n.render(lang) for n in diagnostic.notes],
        "cells": diagnostic.cells,
    }


def render_all_json(diagnostics: Iterable[Diagnostic], lang: str = DEFAULT_LANG) -> str:
    diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps({"diagnostics": [to_json(d, lang) for d in diagnostics], "summary": summary(diagnostics, lang)},
                      ensure_ascii=False, indent=2)


def explain(code: str, lang: str = DEFAULT_LANG) -> str | None:
    """What a code means and how to fix it, in `lang`, or None for an unknown code."""
    code = code.strip().upper()
    if code not in CODES:
        return None
    title, explanation = code_text(code, lang)
    return f"{code}: {title}\n\n{explanation}"
