"""Source text → spans and excerpts. A leaf module: no imports from hfspec.

A `Span` is a 1-based (line, column) range in one `SourceFile`. Expressions embedded in YAML get
spans in the YAML file itself (the YAML loader tells the parser where the expression starts), so
every diagnostic points at the file the user edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True, eq=False)
class SourceFile:
    """A named text. `name` is what diagnostics print (a path relative to where the user ran)."""

    name: str
    text: str
    _line_starts: tuple[int, ...] = field(default=(), repr=False)

    @classmethod
    def from_text(cls, name: str, text: str) -> "SourceFile":
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        return cls(name, text, tuple(starts))

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> "SourceFile":
        """Read a UTF-8 file (a BOM is tolerated) and remember how to print its name."""
        text = path.read_bytes().decode("utf-8-sig")
        return cls.from_text(display or str(path), text)

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its newline ('' past the end)."""
        if number < 1 or number > len(self._line_starts):
            return ""
        start = self._line_starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based character offset.

        >>> SourceFile.from_text("x", "ab\\ncd").position(4)
        (2, 2)
        """
        import bisect

        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, start: int, end: int) -> "Span":
        """The span between two 0-based offsets."""
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(self, line, col, end_line, end_col)


@dataclass(frozen=True, slots=True)
class Span:
    """A range in a source file: 1-based, `end_col` exclusive. Spans never take part in equality
    of the things that carry them (AST nodes declare them with ``compare=False``)."""

    source: SourceFile | None
    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def file(self) -> str:
        return self.source.name if self.source else "<input>"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def point(source: SourceFile | None, line: int, col: int, width: int = 1) -> Span:
    """A span of `width` characters starting at (line, col)."""
    return Span(source, line, col, line, col + max(1, width))


NO_SPAN = Span(None, 0, 0, 0, 0)


def display_path(path: str | Path) -> str:
    """A path as diagnostics and messages print it: relative to the working folder when it lies
    below it or the relative form is shorter, else as given. A path on another drive than the
    working folder (Windows: H: and C:) has no relative form and is printed as given.

    >>> display_path(Path.cwd() / "data" / "borgere.csv") == str(Path("data") / "borgere.csv")
    True
    """
    import os

    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") or len(rel) < len(str(path)) else str(path)


def link_path(target: str | Path, start: str | Path, pathmod=None) -> str:
    r"""How a file written into the folder `start` links to `target` (the schema modeline of a
    generated spec): a relative path with `/`, or, when there is none (Windows: the project on H:,
    Python on C:), `target` as a `file:` URI. `pathmod` is `os.path` by default; tests give
    `ntpath` to check the Windows rules on any machine.

    >>> import ntpath
    >>> link_path(r"C:\py\schemas\c.json", r"C:\py\proj", ntpath), link_path(r"C:\py\c.json", r"H:\vejle", ntpath)
    ('../schemas/c.json', 'file:///C:/py/c.json')
    """
    import os
    from pathlib import PurePosixPath, PureWindowsPath

    pathmod = pathmod or os.path
    try:
        return pathmod.relpath(str(target), str(start)).replace(pathmod.sep, "/")
    except ValueError:  # another drive: no relative path exists
        pure = PureWindowsPath if pathmod.sep == "\\" else PurePosixPath
        return pure(pathmod.abspath(str(target))).as_uri()
