"""Template name + plain-dict context → rendered text, in a sandboxed Jinja environment.

The environment is an `ImmutableSandboxedEnvironment`: templates can read the plain data they are
given but cannot reach Python internals (`''.__class__`) or change lists and dicts. HTML templates
(`*.html.j2`) are autoescaped, Markdown templates are not (they use the `md` filter instead).
Undefined names fail loudly (`StrictUndefined`) instead of printing nothing.

Templates are looked up in the user's folder first (`--templates DIR`), then in the templates
folder of the domain that renders (`hfspec/<domain>/templates/`, given as `folders`), then in the
shared `hfspec/render/templates/` (the page frame and macros), so a user template overrides a
shipped one of the same name.

Every problem in a user's template becomes one diagnostic: HF801 (syntax error, undefined name,
missing template, a failing expression) or HF802 (a forbidden operation), with the template file
and line. A failure with only the shipped templates in play is a bug and is raised as such.
jinja2 is imported inside the functions so that `hfspec --help` stays fast.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any, Sequence

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.words import format_number
from hfspec.source import SourceFile, display_path, point

#: The templates every domain shares: the HTML page frame and its macros.
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Characters that start Markdown syntax inside running text or a table cell. `_` is handled
#: separately: inside a word (`egen_bolig`) it is literal in GitHub-flavoured Markdown.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])")
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_LINE_BREAKS = re.compile(r"[ \t\r\n\f\v]+")  # ASCII only: a no-break space stays (it keeps "80 %" together)
_MD_LINE_START = re.compile(r"^([-+=#])(?=\s|$)|^(\d+)([.)])(?=\s|$)")

#: Errors a user's own template can cause while it runs (as opposed to a syntax error). When they
#: come from a user template they are that template's problem; from a shipped one they are bugs.
_RUNTIME_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError)


def md_escape(value: Any) -> str:
    """Text made inert for Markdown: one line, Markdown characters backslash-escaped.

    Safe in a paragraph and in a GitHub table cell (newlines become spaces, `|` is escaped).

    >>> md_escape("a|b *c* <script> egen_bolig __x__")
    'a\\\\|b \\\\*c\\\\* \\\\<script\\\\> egen_bolig \\\\_\\\\_x\\\\_\\\\_'
    >>> md_escape("- not a list"), md_escape("1. not a list")
    ('\\\\- not a list', '1\\\\. not a list')
    """
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    # a leading `-`, `+`, `#`, `=` or `1.` would start a list, heading or underline
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text, count=1)


def md_code(value: Any) -> str:
    """An inline code span that survives any content, also inside a GitHub table cell.

    >>> md_code('a == "x"'), md_code("x `y`")
    ('`a == "x"`', '`` x `y` ``')
    """
    text = _LINE_BREAKS.sub(" ", str(value)).strip().replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def dots(score: Any, scale: int = 5) -> str:
    """A score as filled and empty dots, for text output: `dots(4)` → '●●●●○'."""
    if not isinstance(score, int) or isinstance(score, bool):
        return ""
    filled = max(0, min(scale, score))
    return "●" * filled + "○" * (scale - filled)


def build_environment(user_dir: Path | None = None, lang: str = "da", folders: Sequence[Path] = ()):
    """The sandboxed environment: user folder first, then the domain's `folders`, then the shared templates."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise HfspecError([Diagnostic("HF801", Message("render.no_template_folder", folder=user_dir), None,
                                          hint=Message("render.no_template_folder_hint"))])
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders.extend(FileSystemLoader(str(folder)) for folder in (*folders, SHARED_TEMPLATES))
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        # shipped templates are called `x.html.j2`, so `.html.j2` must count as HTML too
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = lambda value, unit=None, decimals=None: format_number(value, unit, lang, decimals)
    env.filters["md"] = md_escape
    env.filters["md_code"] = md_code
    env.filters["dots"] = dots
    return env


def _bytecode_cache():
    """Jinja's compiled templates, kept in hfspec's private cache folder (spec/cache.py): compiling
    the management report's eleven templates takes about 0.35 s, loading them a few milliseconds. An
    entry is keyed by the template's name and the checksum of its source, so a changed template,
    shipped or your own, is compiled again."""
    from jinja2 import FileSystemBytecodeCache

    from hfspec.spec.cache import private_folder

    folder = private_folder("templates")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


def render_template(name: str, context: dict[str, Any], user_dir: Path | None = None, lang: str = "da", folders: Sequence[Path] = ()) -> str:
    """Render template `name` with `context`; a problem in a user's template raises `HfspecError`.

    Without a user folder only shipped templates run, so any failure is a bug in hfspec and is
    raised as it is (the CLI shows it as one) rather than dressed up as the user's mistake.
    """
    from jinja2 import TemplateError

    env = build_environment(user_dir, lang, folders)
    try:
        return env.get_template(name).render(context)
    except (TemplateError, *_RUNTIME_ERRORS) as error:
        problem = _user_template_problem(error, name, context, user_dir, folders) if user_dir is not None else None
        if problem is None:
            raise
        raise problem from None


def _user_template_problem(error: Exception, name: str, context: dict[str, Any], user_dir: Path, folders: Sequence[Path] = ()) -> HfspecError | None:
    """The diagnostic for an error raised while user templates took part, or None for a bug."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    if isinstance(error, TemplateNotFound):
        known = sorted(p.name for d in (*folders, SHARED_TEMPLATES) for p in d.glob("*.j2"))
        return HfspecError([Diagnostic("HF801", Message("render.template_not_found", name=error.name or name), None,
                                       hint=Message("render.template_not_found_hint", names=known))])
    if isinstance(error, TemplateSyntaxError):
        return _diagnostic("HF801", Message("render.template_syntax", detail=error.message), error.filename or error.name, error.lineno, user_dir, folders)
    where = _template_frame(error)
    if isinstance(error, SecurityError):
        return _diagnostic("HF802", Message("render.template_unsafe", detail=str(error)), *(where or (None, 0)), user_dir, folders,
                           hint=Message("render.template_unsafe_hint"))
    if isinstance(error, TemplateError):
        missing = re.search(r"has no attribute '(\w+)'|^'(\w+)' is undefined", str(error))
        hint = did_you_mean(missing.group(1) or missing.group(2), _known_names(context)) if missing else None
        return _diagnostic("HF801", Message("render.template_error", detail=str(error)), *(where or (name, 0)), user_dir, folders,
                           hint=hint or Message("render.template_error_hint"))
    if where is None or not _is_user_file(where[0], user_dir):
        return None  # a Python error outside the user's files: our bug
    return _diagnostic("HF801", Message("render.template_error", detail=f"{type(error).__name__}: {error}"), *where, user_dir, folders)


def _known_names(value: Any, names: set[str] | None = None) -> set[str]:
    """Every key of the (nested) context, for "did you mean" hints on undefined names."""
    names = set() if names is None else names
    if isinstance(value, dict):
        for key, item in value.items():
            names.add(str(key))
            _known_names(item, names)
    elif isinstance(value, list) and value:
        _known_names(value[0], names)
    return names


def _template_frame(error: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in the traceback (Jinja rewrites them)."""
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(".j2") and frame.lineno:
            found = (frame.filename, frame.lineno)
    return found


def _is_user_file(filename: str | None, user_dir: Path | None) -> bool:
    if not filename or user_dir is None:
        return False
    try:
        return Path(filename).resolve().is_relative_to(user_dir.resolve())
    except OSError:
        return False


def _diagnostic(code: str, message: Message, filename: str | None, line: int, user_dir: Path | None, folders: Sequence[Path] = (),
                hint: Message | None = None) -> HfspecError:
    """One diagnostic at a template line, with the line shown (the whole line is underlined)."""
    span = None
    if filename:
        path = Path(filename)
        if not path.is_absolute():
            path = next((d / filename for d in (user_dir, *folders, SHARED_TEMPLATES) if d is not None and (d / filename).is_file()), path)
        try:
            source = SourceFile.read(path, display_path(path))
        except OSError:
            source = SourceFile.from_text(filename, "")
        text = source.line(line)
        start = len(text) - len(text.lstrip()) + 1
        span = point(source, line, start, len(text.strip())) if line > 0 else point(source, 0, 0)
    return HfspecError([Diagnostic(code, message, span, hint)])
