"""A message id and its parameters → the text people read, in Danish or English.

The one catalogue of what hfspec says about problems: every diagnostic's message, label, note and
hint, every error code's title and explanation (`codes.py`), and the few lines the command line
prints about a run ("ok: 3 filer …"). A diagnostic is built with a `Message` — an id and named
parameters — at its one construction site, and turned into text only when it is shown, in the
language of that run; so the same `Diagnostic` can be shown in either language, and its code is
the same in both.

    >>> m = Message("lang.unknown_column", column="boligsituaton", dataset="status")
    >>> m.render("da")
    'ukendt kolonne `boligsituaton` i datasættet `status`'
    >>> m.render("en")
    'unknown column `boligsituaton` in dataset `status`'

The texts are `str.format` templates with named placeholders, written side by side as
(Danish, English) pairs in the modules of this package, one per stage (`common.py`, `spec.py`,
`lang.py`, `data.py`, `engine.py`, `domains.py`, `cli.py`). Two additions to the format:

- `{n:row|rows}` chooses a word by the number `n`: the first for exactly 1, the second otherwise
  (Danish and English share that rule): `{n} {n:række|rækker}` → `1 række`, `2 rækker`.
- `{n:,}` writes a number as people read it in the language (`words.format_number`):
  `200.000` in Danish, `200,000` in English.

A parameter is shown as it is, except: a `Message` is rendered in the same language; `OneOf` and
`AllOf` join their items with "eller"/"or" and "og"/"and"; `Codes` puts each identifier in
backticks; `Parts` joins with semicolons; a list or tuple is joined with commas; a float is
written with the language's decimal mark. Code identifiers stay in backticks in both
languages (`borger_id`, `HF-O-08`). Why one module of our own rather than gettext/Babel:
docs/architecture.md, "Errors are data".

A leaf below `diagnostics`: it imports only `hfspec.words`.
"""

from __future__ import annotations

import string
from typing import Any

from hfspec.messages.cli import MESSAGES as _CLI
from hfspec.messages.codes import CODES
from hfspec.messages.common import MESSAGES as _COMMON
from hfspec.messages.data import MESSAGES as _DATA
from hfspec.messages.domains import MESSAGES as _DOMAINS
from hfspec.messages.engine import MESSAGES as _ENGINE
from hfspec.messages.lang import MESSAGES as _LANG
from hfspec.messages.spec import MESSAGES as _SPEC
from hfspec.words import format_number

__all__ = ["AllOf", "CODES", "Codes", "LANGUAGES", "MESSAGES", "Message", "OneOf", "Parts", "placeholders", "text"]

#: The languages every message is written in; a text is looked up as MESSAGES[id][LANGUAGES.index(lang)].
LANGUAGES = ("da", "en")

#: Every message: id → (Danish, English). Ids are `<stage>.<name>`; the stage says which module
#: of this package holds it.
MESSAGES: dict[str, tuple[str, str]] = {**_COMMON, **_SPEC, **_LANG, **_DATA, **_ENGINE, **_DOMAINS, **_CLI}


class Message:
    """A message id with its parameters, rendered in a language when it is shown.

    Messages are values: equal when id and parameters are equal, and hashable (lists given as
    parameters are kept as tuples), so diagnostics that say the same thing can be told apart from
    those that do not in either language.
    """

    __slots__ = ("id", "params")

    def __init__(self, id: str, /, **params: Any) -> None:
        if id not in MESSAGES:
            raise KeyError(f"message id {id!r} is not in the catalogue (hfspec/messages/)")
        self.id = id
        self.params = tuple((k, _frozen(v)) for k, v in sorted(params.items()))

    def render(self, lang: str) -> str:
        """The text in `lang` ("da" or "en"; anything else is Danish)."""
        return text(self.id, lang, **dict(self.params))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.id, self.params) == (other.id, other.params)

    def __hash__(self) -> int:
        return hash((self.id, self.params))

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params)
        return f"Message({self.id!r}{args})"


class OneOf(tuple):
    """Alternatives, joined as "a, b eller c" / "a, b or c"."""

    word = "common.or"


class AllOf(tuple):
    """Items that all hold, joined as "a, b og c" / "a, b and c"."""

    word = "common.and"


class Parts(tuple):
    """Parts of one statement, joined with semicolons: "over year; unit kr"."""


class Codes(tuple):
    """Identifiers from specs or data, each in backticks and joined with commas: "`year`, `payer`"
    (an item "…" says the list goes on, and stays as it is)."""


def _frozen(value: Any) -> Any:
    if isinstance(value, (OneOf, AllOf, Parts, Codes)):
        return type(value)(_frozen(v) for v in value)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def _show(value: Any, lang: str) -> str:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, (OneOf, AllOf)):
        items = [_show(v, lang) for v in value]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {MESSAGES[value.word][_index(lang)]} {items[-1]}"
    if isinstance(value, Parts):
        return "; ".join(_show(v, lang) for v in value)
    if isinstance(value, Codes):
        return ", ".join(v if v == "…" else f"`{v}`" for v in (str(v) for v in value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v, lang) for v in value)
    if isinstance(value, float):
        return format_number(value, None, lang, 6, trim=True)
    return str(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:  # {n:række|rækker}
            one, other = format_spec.split("|", 1)
            return one if value == 1 else other
        if format_spec == ",":  # {n:,}: grouped as the language groups digits
            return format_number(value, None, self.lang, trim=True)
        return _show(value, self.lang) if not format_spec else format(value, format_spec)


def text(id: str, lang: str, /, **params: Any) -> str:
    """The message `id` in `lang` with its placeholders filled.

    >>> text("common.count_warning", "da", n=1), text("common.count_warning", "da", n=3), text("yaml.too_large", "en", n=1_234)
    ('1 advarsel', '3 advarsler', 'the file is larger than 1,234 bytes')
    """
    template = MESSAGES[id][_index(lang)]
    return _Formatter(lang).vformat(template, (), params)


def placeholders(template: str) -> set[str]:
    """The names of a template's placeholders.

    >>> sorted(placeholders("`{column}` er tom i {n} {n:række|rækker}"))
    ['column', 'n']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def code_text(code: str, lang: str) -> tuple[str, str]:
    """A code's (title, explanation) in `lang`."""
    return CODES[code][LANGUAGES[_index(lang)]]

