"""Command-line options → `Settings`: the settings of one run, each with its one default.

Every command and library entry point takes its settings from here: the smallest group that may
be shown (k), the language of words, the reference date that overrides the catalogue's
`reference_date`, the window of periods to show, and whether invalid rows may be left out. The
defaults are defined here once; the command-line options use these constants.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.messages import LANGUAGES as MESSAGE_LANGUAGES

#: Smallest group size that may be shown (Danish statistics practice: counts under 5 are
#: suppressed). `--suppress-below` overrides it; 0 turns disclosure control off.
DEFAULT_K = 5

#: At or below this k disclosure control is off: a group of one person may be shown. Only with an
#: explicit `--not-for-publication`, and every output made so says so at the top.
UNPROTECTED_K = 1

#: The protection level of secondary suppression, as a multiple of k: the values an output
#: publishes leave every hidden cell an interval at least this many times k wide
#: (`--protection-level` sets the width itself). 1: as wide as the smallest group that may be shown.
DEFAULT_PROTECTION = 1

#: The languages of words, titles and messages (hfspec/messages/ writes every message in each);
#: the first is the default, used when neither `--lang` nor the catalogue's `lang:` chooses.
LANGUAGES = MESSAGE_LANGUAGES
DEFAULT_LANG = LANGUAGES[0]

#: The column that names a municipality when key figures are compared across municipalities
#: (`hfspec report --compare`, `--compare-by`).
DEFAULT_COMPARE_COLUMN = "kommune"

#: Words that mean "the day the command runs" in `--reference-date`.
TODAY_WORDS = ("today", "idag", "i-dag", "dd")

#: The environment variable that names the pseudonym key file (hfspec.data.pseudonym), and the
#: one that holds the key itself (for a server whose secrets come as environment variables).
KEY_FILE_ENV = "HFSPEC_PSEUDONYM_KEY_FILE"
KEY_ENV = "HFSPEC_PSEUDONYM_KEY"


def default_key_file() -> Path:
    """Where `hfspec key new` writes the pseudonym key and where it is looked for: the user's own
    configuration folder, outside every project (%APPDATA%\\hfspec on Windows, else
    $XDG_CONFIG_HOME/hfspec or ~/.config/hfspec)."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "hfspec" / "pseudonym.key"
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "hfspec" / "pseudonym.key"


@dataclass(frozen=True)
class Settings:
    """The settings of one run. A new value is made with `with_(...)`; a Settings never changes."""

    k: int = DEFAULT_K
    lang: str | None = None  # the language chosen with --lang; None: the catalogue's `lang:`, else DEFAULT_LANG
    reference_date: dt.date | None = None  # overrides the catalogue parameter `reference_date`
    date_from: dt.date | None = None  # the first day of the periods shown (--from)
    date_to: dt.date | None = None  # the last day of the periods shown (--to)
    allow_invalid_rows: bool = False
    key_file: Path | None = None  # the pseudonym key for mappings with CPR columns (--key); default: `default_key_file()`
    protection: int | None = None  # secondary suppression's protection level (None: DEFAULT_PROTECTION × k)

    @property
    def protection_level(self) -> int:
        """The width every hidden cell's interval must have (engine.linked)."""
        return self.k * DEFAULT_PROTECTION if self.protection is None else self.protection

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def params(self) -> dict[str, str]:
        """The catalogue parameters these settings override."""
        return {"reference_date": self.reference_date.isoformat()} if self.reference_date else {}

    @classmethod
    def from_options(cls, *, k: int = DEFAULT_K, lang: str | None = None, reference_date: str | None = None,
                     date_from: str | None = None, date_to: str | None = None, allow_invalid_rows: bool = False,
                     key_file: Path | None = None, protection: int | None = None, not_for_publication: bool = False) -> "Settings":
        """Settings from command-line text; a date that cannot be read is HF604, disclosure control
        off (k ≤ `UNPROTECTED_K`) without `not_for_publication` HF812."""
        check_disclosure(k, not_for_publication)
        return cls(k, lang, parse_reference_date(reference_date), parse_bound(date_from, False), parse_bound(date_to, True),
                   allow_invalid_rows, key_file=key_file, protection=protection)


def check_disclosure(k: int, confirmed: bool) -> None:
    """Refuse to turn disclosure control off (k ≤ `UNPROTECTED_K`) unless confirmed.

    >>> check_disclosure(5, False), check_disclosure(0, True)
    (None, None)
    """
    if k <= UNPROTECTED_K and not confirmed:
        raise HfspecError([Diagnostic("HF812", Message("settings.disclosure_off", k=k), None, hint=Message("settings.disclosure_off_hint"))])


def choose_lang(given: str | None, catalogue: str | None) -> str:
    """The language of a run: `--lang` when given, else the catalogue's `lang:`, else Danish.

    >>> choose_lang(None, None), choose_lang(None, "en"), choose_lang("da", "en")
    ('da', 'en', 'da')
    """
    return given or catalogue or DEFAULT_LANG


def parse_reference_date(text: str | None) -> dt.date | None:
    """`--reference-date` as a date: an ISO date, or `today`.

    >>> parse_reference_date("2021-12-31")
    datetime.date(2021, 12, 31)
    """
    if text is None:
        return None
    t = text.strip().lower()
    if t in TODAY_WORDS:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(t)
    except ValueError:
        raise HfspecError([Diagnostic("HF604", Message("engine.not_a_date", text=text), None, hint=Message("engine.not_a_date_hint"))]) from None


def parse_bound(text: str | None, end: bool) -> dt.date | None:
    """A --from/--to value as a date: `2021-03-15`, `2021`, `2021-H2`, `2021-Q3`, `2021-07`.

    >>> parse_bound("2021-Q3", False), parse_bound("2021-Q3", True)
    (datetime.date(2021, 7, 1), datetime.date(2021, 9, 30))
    """
    if text is None:
        return None
    t = text.strip()

    def month_range(year: int, first: int, last: int) -> dt.date:
        if not end:
            return dt.date(year, first, 1)
        nxt = dt.date(year + (last == 12), last % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{4})", t):
            return month_range(int(m[1]), 1, 12)
        if m := re.fullmatch(r"(\d{4})-[Hh]([12])", t):
            h = int(m[2])
            return month_range(int(m[1]), 1 + 6 * (h - 1), 6 * h)
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", t):
            q = int(m[2])
            return month_range(int(m[1]), 1 + 3 * (q - 1), 3 * q)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
            return month_range(int(m[1]), int(m[2]), int(m[2]))
    except ValueError:
        pass
    raise HfspecError([Diagnostic("HF604", Message("engine.not_a_period", text=text), None, hint=Message("engine.not_a_period_hint"))])
