"""CPR numbers → pseudonyms with the municipality's secret key, and the key itself: where it is
found, how a new one is made, and its fingerprint.

A pseudonym is `P` and 15 hexadecimal digits of HMAC-SHA256(key, "hfspec-cpr-v1" + the CPR
number without dash): the same person gets the same pseudonym every month for as long as the key
is the same; without the key a pseudonym cannot be traced back to a CPR number (nor computed
from one), and it never looks like a CPR number. 60 bits make a collision between two of a
million citizens about as likely as one in two million.

The key is 32 random bytes, written as 64 hexadecimal digits in a key file outside the project
(by default `settings.default_key_file()`, readable by its owner only) or given in an
environment variable. Whoever has the key and a CPR number can find that person's pseudonym, so
the key is kept like a password; if it is lost, every pseudonym changes and earlier results no
longer link to new ones.

Pseudonymising is vectorised: the distinct CPR numbers of a table are hashed once each in Python
(HMAC from the standard library; about 0.2 s for 100,000 people) and joined back in DuckDB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from hfspec.diagnostics import Diagnostic, HfspecError, Message, Severity, os_reason
from hfspec.settings import KEY_ENV, KEY_FILE_ENV, default_key_file
from hfspec.source import display_path

#: Bytes of a key (256 bits, the size of HMAC-SHA256's output).
KEY_BYTES = 32
#: What a pseudonym starts with, and how many hexadecimal digits follow.
PREFIX = "P"
DIGITS = 15
#: Put before every CPR number that is hashed, so that a key used for hfspec gives other values
#: than the same key used elsewhere, and a future scheme can change the tag.
DOMAIN = b"hfspec-cpr-v1\x00"
#: The table in a DuckDB connection that holds the CPR numbers hashed so far and their pseudonyms.
TABLE = "__pseudonyms"

_HEX_LINE = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class PseudonymKey:
    """The secret key and where it was found (its value never appears in `repr`)."""

    secret: bytes = field(repr=False)
    origin: str  # how it was found, for messages: a file path or an environment variable
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        """A short name of the key that tells two keys apart and reveals nothing about it.

        >>> PseudonymKey(bytes(32), "test").fingerprint
        '67F3-4DB5'
        """
        digest = hmac.new(self.secret, b"hfspec-key-fingerprint", hashlib.sha256).hexdigest().upper()
        return f"{digest[:4]}-{digest[4:8]}"

    def pseudonym(self, cpr: str) -> str:
        """The pseudonym of one CPR number as hfspec normalises it (ddmmyyxxxx, upper case).

        >>> PseudonymKey(bytes(32), "test").pseudonym("0101901234")
        'PCAF4166C3879E93'
        """
        return PREFIX + hmac.digest(self.secret, DOMAIN + cpr.encode("ascii", "replace"), "sha256").hex()[:DIGITS].upper()


def new_key_text(now: dt.datetime | None = None) -> tuple[str, PseudonymKey]:
    """The text of a new key file (comments and 64 hex digits) and the key."""
    secret = secrets.token_bytes(KEY_BYTES)
    key = PseudonymKey(secret, "new")
    stamp = (now or dt.datetime.now()).replace(microsecond=0).isoformat(sep=" ")
    text = (f"# hfspec pseudonym key (HMAC-SHA256), made {stamp}, fingerprint {key.fingerprint}.\n"
            "# Keep it secret and keep a copy in a safe place (the municipality's password vault).\n"
            "# Lost: every pseudonym changes, and new results no longer link to earlier ones.\n"
            "# Shared: whoever has it and a CPR number can find that person's pseudonym.\n"
            f"{secret.hex()}\n")
    return text, key


def parse_key(text: str, origin: str, path: Path | None = None) -> PseudonymKey:
    """The key in a key file's text (or an environment variable): one line of 64 hex digits;
    lines starting with `#` are comments. Raises HfspecError (HF536)."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1 or not _HEX_LINE.fullmatch(lines[0]):
        raise HfspecError([Diagnostic("HF536", Message("key.unusable", origin=origin), None, hint=Message("key.unusable_hint"))])
    return PseudonymKey(bytes.fromhex(lines[0]), origin, path)


def _read_key_file(path: Path, origin: str) -> PseudonymKey:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise HfspecError([Diagnostic("HF536", Message("key.unreadable", path=display_path(path, home=True), reason=os_reason(error)), None,
                                      hint=Message("key.unreadable_hint"))]) from None
    return parse_key(text, origin, path)


def find_key(key_file: Path | None = None) -> PseudonymKey | None:
    """The key: `key_file` (from `--key`), else the file in $HFSPEC_PSEUDONYM_KEY_FILE, else the
    key in $HFSPEC_PSEUDONYM_KEY, else the default key file; None when there is none.
    A key that is named but cannot be used raises HfspecError (HF536)."""
    if key_file is not None:
        if not Path(key_file).is_file():
            raise HfspecError([Diagnostic("HF535", Message("key.no_file", path=display_path(key_file, home=True)), None,
                                          hint=Message("key.no_file_hint"))])
        return _read_key_file(Path(key_file), f"`{display_path(key_file, home=True)}`")
    named = os.environ.get(KEY_FILE_ENV)
    if named:
        if not Path(named).is_file():
            raise HfspecError([Diagnostic("HF535", Message("key.env_no_file", env=KEY_FILE_ENV, path=named), None,
                                          hint=Message("key.env_no_file_hint", env=KEY_FILE_ENV))])
        return _read_key_file(Path(named), f"`{display_path(named, home=True)}` ({KEY_FILE_ENV})")
    value = os.environ.get(KEY_ENV)
    if value:
        return parse_key(value, f"${KEY_ENV}")
    default = default_key_file()
    if default.is_file():
        return _read_key_file(default, f"`{display_path(default, home=True)}`")
    return None


def require_key(key_file: Path | None, project_folders: Iterable[Path], why: Message) -> tuple[PseudonymKey, list[Diagnostic]]:
    """The key for a run that turns CPR numbers into pseudonyms (`why` says which), with warnings;
    refuses a missing key (HF535) and a key file inside one of the project's folders (HF537)."""
    key = find_key(key_file)
    if key is None:
        raise HfspecError([Diagnostic(
            "HF535", Message("key.missing", why=why), None,
            hint=Message("key.missing_hint", path=display_path(default_key_file(), home=True), env=KEY_FILE_ENV))])
    warnings: list[Diagnostic] = []
    if key.path is not None:
        real = key.path.resolve()
        default = real == default_key_file().resolve()  # outside every project by design, even one kept in the home folder
        for folder in ([] if default else project_folders):
            root = Path(folder).resolve()
            if real.is_relative_to(root):
                raise HfspecError([Diagnostic(
                    "HF537", Message("key.in_project", path=display_path(key.path, home=True), folder=display_path(root)), None,
                    hint=Message("key.in_project_hint", path=display_path(default_key_file(), home=True)))])
        if os.name == "posix" and key.path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            warnings.append(Diagnostic("HF538", Message("key.readable_by_others", path=display_path(key.path, home=True)), None,
                                       hint=Message("key.readable_by_others_hint", path=display_path(key.path, home=True)), severity=Severity.WARNING))
    return key, warnings


def write_key(path: Path, force: bool = False) -> PseudonymKey:
    """Write a new key file readable by its owner only; refuses to replace a key (HF803) unless `force`."""
    if path.exists() and not force:
        raise HfspecError([Diagnostic("HF803", Message("key.exists", path=display_path(path, home=True)), None, hint=Message("key.exists_hint"))])
    text, key = new_key_text()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        if os.name == "posix":
            os.chmod(path, 0o600)
    except OSError as error:
        raise HfspecError([Diagnostic("HF803", Message("render.cannot_write", path=display_path(path, home=True), reason=os_reason(error)), None,
                                      hint=Message("render.cannot_write_hint"))]) from None
    return PseudonymKey(key.secret, f"`{display_path(path, home=True)}`", path)


def pseudonymise(con, key: PseudonymKey, table: str, columns: Iterable[str], cache: dict[str, str]) -> None:
    """Make sure every CPR number (normalised text) in `columns` of `table` has its pseudonym in
    the connection's table `TABLE` (cpr, pseudonym). Only numbers not hashed before in this run
    (`cache`) are hashed; the join that replaces them is the caller's."""
    from hfspec.lang.sql import quote_ident

    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (cpr VARCHAR, pseudonym VARCHAR)")  # only new numbers go in: no index needed
    parts = [f"SELECT {quote_ident(c)} AS cpr FROM {quote_ident(table)} WHERE {quote_ident(c)} IS NOT NULL" for c in columns]
    if not parts:
        return
    values = [row[0] for row in con.execute(f"SELECT DISTINCT cpr FROM ({' UNION ALL '.join(parts)}) WHERE cpr NOT IN (SELECT cpr FROM {TABLE})").fetchall()]
    if not values:
        return
    pseudonyms = [cache.get(v) or cache.setdefault(v, key.pseudonym(v)) for v in values]
    # one text each rather than two lists of 100,000 values: DuckDB splits it faster than it converts a list
    con.execute(f"INSERT INTO {TABLE} SELECT unnest(string_split(?, '\n')), unnest(string_split(?, '\n'))", ["\n".join(values), "\n".join(pseudonyms)])
