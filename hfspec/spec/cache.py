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
FORMAT = 1
#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 32

_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class Dependencies:
    """What a load read: file contents and folder listings."""

    files: dict[str, str] = field(default_factory=dict)  # resolved path -> content hash
    globs: dict[tuple[str, str, bool], list[str]] = field(default_factory=dict)  # (folder, pattern, recursive) -> matches

    def read(self, path: Path) -> bytes:
        data = path.read_bytes()
        self.files[str(path.resolve())] = _digest(data)
        return data

    def glob(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        found = sorted(_glob(folder, pattern, recursive))
        self.globs[(str(folder.resolve()), pattern, recursive)] = [str(p.relative_to(folder)) for p in found]
        return found

    def unchanged(self) -> bool:
        for (folder, pattern, recursive), before in self.globs.items():
            if [str(p.relative_to(folder)) for p in sorted(_glob(Path(folder), pattern, recursive))] != before:
                return False
        for path, digest in self.files.items():
            try:
                if _digest(Path(path).read_bytes()) != digest:
                    return False
            except OSError:
                return False
        return True


def _glob(folder: Path, pattern: str, recursive: bool) -> list[Path]:
    # the project loader's own folder scans, kept here so lookups repeat them exactly
    return list(folder.rglob(pattern) if recursive else folder.glob(pattern))


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
