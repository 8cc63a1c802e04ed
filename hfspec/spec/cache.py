"""A cache of loaded and checked projects, so that a run does not read, validate and type-check
the same catalogue again.

Loading the national catalogue (YAML, JSON Schema, parsing and checking every expression) takes
0.3–0.7 s and the imports of PyYAML, jsonschema and lark; a cached project loads in a few
hundredths of a second. An entry is used only when everything the load depended on is unchanged:

- the same paths, options, working directory (file names in diagnostics are relative to it),
  Python and hfspec code (sizes and modification times of the package's files and schemas);
- the same content of every YAML file that was read (hashes, not modification times);
- the same result of every folder listing and `include:` pattern (a new file is seen).

A load that fails is never cached: its diagnostics are made afresh every time.

Entries are pickles, so they are read only from a folder that belongs to the user and that no
one else can write (`$HFSPEC_CACHE_DIR`, else `$XDG_CACHE_HOME/hfspec`, else `~/.cache/hfspec`).
`HFSPEC_NO_CACHE=1` turns the cache off. Any problem with the cache (a folder that cannot be
written, a damaged or outdated entry) falls back to loading, silently: it is only a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Bump when the shape of cached projects changes in a way the code fingerprint would not see.
FORMAT = 2
#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 32

_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class Dependencies:
    """What a load read: file contents, where symbolic links pointed, and folder listings."""

    files: dict[str, str] = field(default_factory=dict)  # resolved path -> content hash
    links: dict[str, str] = field(default_factory=dict)  # absolute path as named -> the path it resolved to
    globs: dict[tuple[str, str, bool], list[str]] = field(default_factory=dict)  # (folder, pattern, recursive) -> matches

    def read(self, path: Path, limit: int | None = None) -> bytes:
        """The file's bytes (at most `limit` + 1 of them: the caller checked the size, and a file
        that grew since is still not read whole), recorded with where `path` led."""
        real = path.resolve()
        with real.open("rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
        self.files[str(real)] = _digest(data)
        self.links[str(path.absolute())] = str(real)
        return data

    def glob(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        """The paths under `folder` that `pattern` matches, sorted. Raises `GlobLoop` on a
        symbolic link loop."""
        found = _glob(folder, pattern, recursive)
        self.globs[(str(folder.resolve()), pattern, recursive)] = [str(p.relative_to(folder)) for p in found]
        return found

    def unchanged(self) -> bool:
        try:
            for (folder, pattern, recursive), before in self.globs.items():
                if [str(p.relative_to(folder)) for p in _glob(Path(folder), pattern, recursive)] != before:
                    return False
        except GlobLoop:
            return False
        for named, real in self.links.items():  # a re-pointed link (`extends: base.yaml` → another file)
            if str(Path(named).resolve()) != real:
                return False
        for path, digest in self.files.items():
            try:
                if _digest(Path(path).read_bytes()) != digest:
                    return False
            except OSError:
                return False
        return True


class GlobLoop(Exception):
    """A folder scan met a symbolic link that leads back into a folder it is inside (`path`)."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def _glob(folder: Path, pattern: str, recursive: bool) -> list[Path]:
    """The project loader's own folder scans, kept here so that lookups repeat them exactly.

    `pattern` is matched one path part at a time (`*`, `?`, `[...]` within a part, `**` for any
    number of folders, `..` for the folder above); `recursive` means every path below `folder`
    (`**/*`). Symbolic links to
    folders are followed, but a link back into a folder the scan is inside raises `GlobLoop`
    rather than going round for ever (or until the path is too long)."""
    import fnmatch

    parts = ["**", "*"] if recursive else [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")]
    found: dict[Path, None] = {}

    def entries(directory: Path) -> list[os.DirEntry]:
        try:
            with os.scandir(directory) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError:  # not a folder, unreadable, or a name too long
            return []

    def is_dir(entry: os.DirEntry) -> bool:
        try:
            return entry.is_dir()
        except OSError:
            return False

    def enter(entry: os.DirEntry, rest: list[str], chain: tuple[str, ...]) -> None:
        real = os.path.realpath(entry.path)
        if real in chain:
            raise GlobLoop(Path(entry.path))
        walk(Path(entry.path), rest, chain + (real,))

    def walk(directory: Path, rest: list[str], chain: tuple[str, ...]) -> None:
        if not rest:
            return
        head, tail = rest[0], rest[1:]
        if head == "..":  # up, as the pattern says (`../faelles/*.yaml`): the folder left is no longer one the scan is in
            parent = directory / ".."
            walk(parent, tail, chain[:-1] if len(chain) > 1 else (os.path.realpath(parent),))
            return
        if head == "**":
            walk(directory, tail, chain)  # no folder at all
            for entry in entries(directory):
                if is_dir(entry):
                    enter(entry, rest, chain)
            return
        for entry in entries(directory):
            if not fnmatch.fnmatchcase(entry.name, head):
                continue
            if not tail:
                found[Path(entry.path)] = None
            elif is_dir(entry):
                enter(entry, tail, chain)

    walk(folder, parts, (os.path.realpath(folder),))
    return sorted(found)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def cache_dir() -> Path | None:
    if os.environ.get("HFSPEC_NO_CACHE", "") not in ("", "0"):
        return None
    configured = os.environ.get("HFSPEC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hfspec"


def _code_fingerprint() -> list[Any]:
    """Python and hfspec itself: sizes and modification times of the package's files (and of the
    schemas beside it in a source checkout)."""
    from hfspec.version import __version__
    from hfspec.resources import shipped

    entries: list[Any] = [FORMAT, __version__, sys.version, pickle.HIGHEST_PROTOCOL]
    for root in (_PACKAGE, shipped("schemas")):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".lark", ".json") and "__pycache__" not in path.parts:
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return entries


def key(paths: list[Path], options: dict[str, Any]) -> str:
    text = json.dumps([_code_fingerprint(), os.getcwd(), [str(p.resolve()) for p in paths], options], sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else (pickles run code when loaded)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return (not hasattr(os, "getuid") or stat.st_uid == os.getuid()) and not stat.st_mode & 0o022


def private_folder(name: str) -> Path | None:
    """A folder of the cache for another kind of entry (`templates`: Jinja's compiled templates),
    made if need be; None when the cache is off or the folder could be written by someone else
    (compiled code, like a pickle, runs when it is loaded)."""
    base = cache_dir()
    if base is None:
        return None
    folder = base / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if _private(base) and _private(folder) else None


def lookup(entry_key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    entry = folder / f"{entry_key}.pickle"
    if not (_private(folder) and _private(entry)):
        return None
    try:
        with entry.open("rb") as handle:
            deps, project = pickle.load(handle)
        if not deps.unchanged():
            return None
        os.utime(entry)  # recently used
        return project
    except Exception:  # a damaged or outdated entry: load afresh
        return None


def store(entry_key: str, deps: Dependencies, project: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        tmp = folder / f".{entry_key}.{os.getpid()}.tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            pickle.dump((deps, project), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{entry_key}.pickle")
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
